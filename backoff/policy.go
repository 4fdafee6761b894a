package backoff

import "time"

// Policy is an exponential back-off as client-go's flowcontrol.Backoff keeps
// it for the daemon controller and the kubelet, without jitter (neither of
// them configures any): a key's first delay is Initial, each further step
// doubles it up to Max, and an entry goes stale when an event comes more
// than ExpireAfter after the entry's last update.
type Policy struct {
	// Initial is the delay a fresh entry starts with. As upstream, it is not
	// capped by Max.
	Initial time.Duration
	// Max caps the doubled delay.
	Max time.Duration
	// ExpireAfter is how long an entry may sit without update before it
	// counts as absent. flowcontrol's default is 2*Max; the kubelet's crash
	// loop back-off uses a fixed 600 s.
	ExpireAfter time.Duration
}

// Entry is one key's back-off state: the current delay and when it was last
// advanced. The zero Entry stands for "no entry"; a caller keeps one Entry
// per key (usually in a map) and passes it back on the next call.
type Entry struct {
	Delay      time.Duration
	LastUpdate time.Time
}

// IsZero reports whether e is the zero Entry, that is no entry at all.
func (e Entry) IsZero() bool {
	return e.Delay == 0 && e.LastUpdate.IsZero()
}

// Expired reports whether e counts as absent for an event at eventTime:
// more than ExpireAfter has passed between its last update and the event.
// The zero Entry is expired.
func (p Policy) Expired(e Entry, eventTime time.Time) bool {
	if e.IsZero() {
		return true
	}
	return eventTime.Sub(e.LastUpdate) > p.ExpireAfter
}

// Current is the delay flowcontrol's Get reports: the entry's delay, or 0
// without an entry. Like Get, it does not look at expiry.
func (p Policy) Current(e Entry) time.Duration {
	if e.IsZero() {
		return 0
	}
	return e.Delay
}

// Next advances the back-off for an event at eventTime, as flowcontrol's
// Next: a missing or expired entry restarts at Initial, a live one doubles
// (capped at Max). The new entry's LastUpdate is now — the back-off's own
// clock, which for the kubelet differs from the event time (a container's
// finishedAt).
func (p Policy) Next(e Entry, eventTime, now time.Time) Entry {
	if p.Expired(e, eventTime) {
		return Entry{Delay: p.Initial, LastUpdate: now}
	}
	d := e.Delay * 2
	if d > p.Max || d < e.Delay { // d < e.Delay only on overflow
		d = p.Max
	}
	return Entry{Delay: d, LastUpdate: now}
}

// InBackOffSinceUpdate is flowcontrol's IsInBackOffSinceUpdate: true when
// the entry is live at eventTime and less than its delay has passed since
// its last update. The daemon controller asks this.
func (p Policy) InBackOffSinceUpdate(e Entry, eventTime time.Time) bool {
	if p.Expired(e, eventTime) {
		return false
	}
	return eventTime.Sub(e.LastUpdate) < e.Delay
}

// InBackOffSince is flowcontrol's IsInBackOffSince: true when the entry is
// live at eventTime and less than its delay has passed between eventTime
// and now. The kubelet asks this with eventTime = the container's last
// finishedAt.
func (p Policy) InBackOffSince(e Entry, eventTime, now time.Time) bool {
	if p.Expired(e, eventTime) {
		return false
	}
	return now.Sub(eventTime) < e.Delay
}

// GC returns entries without the ones expired at now, as flowcontrol's GC.
// The input map is not modified. Dropping an expired entry never changes a
// decision (an expired entry already counts as absent), so a caller may
// collect whenever it likes; upstream does it once a minute (daemon
// controller) or on each pod cleanup (kubelet).
func (p Policy) GC(entries map[string]Entry, now time.Time) map[string]Entry {
	out := make(map[string]Entry, len(entries))
	for k, e := range entries {
		if !p.Expired(e, now) {
			out[k] = e
		}
	}
	return out
}
