package backoff

import (
	"time"

	v1 "k8s.io/api/core/v1"
)

// The Job controller's pod-failure back-off: 10 s after the first failure,
// doubling per further failure, capped at 10 minutes.
const (
	JobInitial = 10 * time.Second
	JobMax     = 10 * time.Minute
	// JobMinRequeue is the shortest delay the Job controller requeues a Job
	// with (its pod-event batching period).
	JobMinRequeue = time.Second
)

// JobRecord is the Job controller's global back-off record for one Job:
// how many pods failed since the last success, and when the latest of them
// finished. The zero JobRecord is the empty record upstream starts from.
//
// Upstream keeps it in memory under the Job's namespace/name. It replaces
// the stored record only in a sync that writes the Job status to account
// for newly finished pods, and drops it when the Job finishes or is deleted;
// a caller stores it likewise and passes it back.
type JobRecord struct {
	FailuresAfterLastSuccess int32
	// LastFailureTime is nil when FailuresAfterLastSuccess is 0.
	LastFailureTime *time.Time
}

// NextJobRecord folds the pods that finished since the last sync into the
// record, as upstream's newBackoffRecord. newSucceeded and newFailed are the
// pods the sync counts as newly succeeded and newly failed — for failures
// this includes the ones a podFailurePolicy Ignore rule does not count, and
// terminating pods when podReplacementPolicy is TerminatingOrFailed.
//
//   - no new pods: the record is unchanged;
//   - new failures only: the count grows by their number, and the last
//     failure time becomes the latest of their finish times;
//   - any new success: the old count is dropped; the count becomes the
//     number of new failures that finished strictly after the latest new
//     success, and the last failure time the latest of those (nil if none).
//
// Finish times come from PodFinishedTime. Neither the record nor the pods
// are modified (upstream sorts the pod slices in place; the result does not
// depend on their order either way). Nil pods are skipped.
func NextJobRecord(prev JobRecord, newSucceeded, newFailed []*v1.Pod) JobRecord {
	succeeded := finishTimes(newSucceeded)
	failed := finishTimes(newFailed)
	next := JobRecord{FailuresAfterLastSuccess: prev.FailuresAfterLastSuccess, LastFailureTime: copyTime(prev.LastFailureTime)}
	if len(succeeded) == 0 {
		if len(failed) == 0 {
			return next
		}
		latest := latestOf(failed)
		next.FailuresAfterLastSuccess += int32(len(failed))
		next.LastFailureTime = &latest
		return next
	}
	lastSuccess := latestOf(succeeded)
	next = JobRecord{}
	for _, t := range failed {
		if !t.After(lastSuccess) {
			continue
		}
		next.FailuresAfterLastSuccess++
		if next.LastFailureTime == nil || next.LastFailureTime.Before(t) {
			t := t
			next.LastFailureTime = &t
		}
	}
	return next
}

// JobDelay is the back-off after n failures: 0 for n = 0, else
// min(10 s * 2^(n-1), 10 min), i.e. 10, 20, 40, 80, 160, 320, 600, 600 … s.
// A negative n (an index failure count that overflowed int32 upstream)
// gives the initial 10 s, as upstream's doubling loop then never runs.
func JobDelay(n int32) time.Duration {
	if n == 0 {
		return 0
	}
	d := JobInitial
	for i := int32(1); i < n; i++ {
		d *= 2
		if d >= JobMax {
			return JobMax
		}
	}
	return d
}

// JobRemaining is how long the Job controller still waits, at now, before
// it creates replacement pods: JobDelay(failures) minus the time since the
// last failure, and 0 once that has passed. now is the controller's clock
// while the failure time comes from pod status (the kubelet's clock, whole
// seconds), so a failure time in the future lengthens the wait beyond the
// delay, as upstream. A record with failures but no failure time cannot come
// out of NextJobRecord; it is treated as long past (0).
func JobRemaining(r JobRecord, now time.Time) time.Duration {
	if r.LastFailureTime == nil {
		return 0
	}
	return remaining(JobDelay(r.FailuresAfterLastSuccess), *r.LastFailureTime, now)
}

// JobRequeueAfter is the delay the Job controller requeues a Job with when
// pod creation waits for remaining: never less than JobMinRequeue.
func JobRequeueAfter(remaining time.Duration) time.Duration {
	return max(remaining, JobMinRequeue)
}

// remaining is delay minus the time elapsed since last, floored at 0. A
// zero delay never waits.
func remaining(delay time.Duration, last, now time.Time) time.Duration {
	if delay == 0 {
		return 0
	}
	elapsed := now.Sub(last)
	if delay < elapsed {
		return 0
	}
	return delay - elapsed
}

func finishTimes(pods []*v1.Pod) []time.Time {
	out := make([]time.Time, 0, len(pods))
	for _, p := range pods {
		if p != nil {
			out = append(out, PodFinishedTime(p))
		}
	}
	return out
}

func latestOf(ts []time.Time) time.Time {
	latest := ts[0]
	for _, t := range ts[1:] {
		if latest.Before(t) {
			latest = t
		}
	}
	return latest
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// Clone returns a copy of the record that shares no memory with it, for a
// plan that hands a record back unchanged.
func (r JobRecord) Clone() JobRecord {
	r.LastFailureTime = copyTime(r.LastFailureTime)
	return r
}
