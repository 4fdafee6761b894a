package cron

import (
	"fmt"
	"math"
	"strings"
	"time"

	robfig "github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
)

// requeuePad is added to every requeue aimed at the next tick, so that a
// controller clock slightly behind the API server's still wakes up after
// the tick rather than just before it.
const requeuePad = 100 * time.Millisecond

// manyMissedThreshold is the number of missed ticks above which upstream
// warns (TooManyMissedTimes). It still starts the latest one.
const manyMissedThreshold = 100

// parseSchedule parses a standard five-field cron line or a descriptor
// (@hourly, @every 90m, ...), with an optional TZ= or CRON_TZ= prefix, as
// upstream does. robfig's parser panics on some malformed prefixes (such as
// "TZ=0"); the panic becomes an error with upstream's wording.
func parseSchedule(spec string) (sched robfig.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			sched = nil
			err = fmt.Errorf("invalid schedule format: %v", r)
		}
	}()
	return robfig.ParseStandard(spec)
}

// scheduleProblem turns a parse error into words for a caller (NextRuns):
// the one robfig panic a schedule can cause, a TZ= or CRON_TZ= prefix not
// followed by a space, is named as such rather than as the runtime error
// upstream's event carries.
func scheduleProblem(schedule string, err error) string {
	if (strings.HasPrefix(schedule, "TZ=") || strings.HasPrefix(schedule, "CRON_TZ=")) && !strings.Contains(schedule, " ") {
		return "a TZ= or CRON_TZ= prefix must be followed by a space and the schedule's fields"
	}
	return err.Error()
}

// startingDeadline is spec.startingDeadlineSeconds as upstream turns it
// into a duration: time.Second times the value, in int64 nanoseconds. Above
// deadlineLimit seconds (about 292 years) the product wraps around, as it
// does upstream, and the deadline lands anywhere: typically after now, so
// that no tick is ever recent enough. That is reproduced, not corrected.
func startingDeadline(seconds int64) time.Duration {
	return time.Second * time.Duration(seconds)
}

// deadlineLimit is the largest startingDeadlineSeconds whose duration does
// not wrap around.
const deadlineLimit = math.MaxInt64 / int64(time.Second)

// legacyTZ reports whether the schedule carries its own time zone prefix,
// which upstream detects by the mere substring "TZ".
func legacyTZ(cj *batchv1.CronJob) bool {
	return strings.Contains(cj.Spec.Schedule, "TZ")
}

// effectiveSchedule is the line the controller hands to the parser: the
// schedule as written when it carries a TZ prefix, otherwise the schedule
// prefixed with TZ=<spec.timeZone> when one is set and known, otherwise the
// bare schedule (which robfig then evaluates in the zone of the times it is
// given: the controller's zone).
func effectiveSchedule(cj *batchv1.CronJob) string {
	if legacyTZ(cj) {
		return cj.Spec.Schedule
	}
	if tz := cj.Spec.TimeZone; tz != nil {
		if _, err := time.LoadLocation(*tz); err != nil {
			return cj.Spec.Schedule
		}
		return "TZ=" + *tz + " " + cj.Spec.Schedule
	}
	return cj.Spec.Schedule
}

// missed says how many ticks went by unmet, in upstream's three grades.
type missed int

const (
	noneMissed missed = iota
	fewMissed
	manyMissed
)

// tickSearch is the result of looking for the most recent unmet tick.
type tickSearch struct {
	// earliest is the time the search started from: the last schedule
	// time, or the creation time, moved up to now-startingDeadlineSeconds
	// when that is later and the deadline counts.
	earliest time.Time
	// recent is the most recent tick in (earliest, now], if any.
	recent *time.Time
	missed missed
	// count is upstream's estimate of the number of missed ticks (zero
	// when the search stopped early).
	count int64
}

// mostRecentTick finds the latest tick after the CronJob's last schedule
// (or creation) and no later than now, the way upstream does: the first
// two ticks give an interval, the interval an estimate of how many ticks
// were missed, and a short walk from just before the estimated last one
// gives the answer. For irregular schedules the estimate can overshoot and
// the answer be none although a tick was missed; that is upstream's
// behaviour and is kept. All times are in the controller's zone.
func mostRecentTick(cj *batchv1.CronJob, now time.Time, sched robfig.Schedule, withDeadline bool, loc *time.Location) (tickSearch, error) {
	earliest := cj.CreationTimestamp.Time.In(loc)
	if cj.Status.LastScheduleTime != nil {
		earliest = cj.Status.LastScheduleTime.Time.In(loc)
	}
	if withDeadline && cj.Spec.StartingDeadlineSeconds != nil {
		deadline := now.Add(-startingDeadline(*cj.Spec.StartingDeadlineSeconds))
		if deadline.After(earliest) {
			earliest = deadline
		}
	}
	res := tickSearch{earliest: earliest}
	t1 := sched.Next(earliest)
	t2 := sched.Next(t1)
	if now.Before(t1) {
		return res, nil
	}
	if now.Before(t2) {
		res.recent = &t1
		return res, nil
	}
	// A schedule that parses but names an impossible date (31 February)
	// has no next tick; robfig returns the zero time for it.
	interval := int64(t2.Sub(t1).Round(time.Second).Seconds())
	if interval < 1 {
		return res, fmt.Errorf("time difference between two schedules is less than 1 second")
	}
	elapsed := int64(now.Sub(t1).Seconds())
	res.count = elapsed/interval + 1
	// Start one interval before the estimated last tick, so that robfig
	// lands on a real tick even when the schedule is not evenly spaced.
	var recent time.Time
	start := t1.Add(time.Duration((res.count-2)*interval) * time.Second)
	for t := sched.Next(start); !t.After(now); t = sched.Next(t) {
		if t.IsZero() {
			// No further tick within robfig's five-year horizon: upstream
			// would spin here forever; stop with what was found.
			break
		}
		recent = t
	}
	switch {
	case res.count > manyMissedThreshold:
		res.missed = manyMissed
	case res.count > 0:
		res.missed = fewMissed
	}
	if !recent.IsZero() {
		res.recent = &recent
	}
	return res, nil
}

// requeueDelay is how long upstream waits before the next sync: until the
// tick after the most recent one (ignoring startingDeadlineSeconds), plus
// the pad. Without a recent tick it counts from the search start when
// nothing was missed, and from now otherwise.
func requeueDelay(cj *batchv1.CronJob, now time.Time, sched robfig.Schedule, loc *time.Location) time.Duration {
	res, err := mostRecentTick(cj, now, sched, false, loc)
	base := now
	switch {
	case err != nil:
	case res.recent != nil:
		base = *res.recent
	case res.missed == noneMissed:
		base = res.earliest
	}
	return sched.Next(base).Add(requeuePad).Sub(now)
}
