package cron

import (
	"github.com/kubepure/kubepure/workload"

	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
)

// Reason says, in one machine-readable word, why a sync did or did not
// start a Job.
type Reason string

// The reasons Explain gives.
const (
	// ReasonStarted: a Job is created for the most recent unmet tick.
	ReasonStarted Reason = "Started"
	// ReasonRecorded: the Job for the tick exists already (a status write
	// was lost) and is recorded in status.active instead of created.
	ReasonRecorded Reason = "Recorded"
	// ReasonAlreadyStarted: the Job for the most recent tick was started
	// by an earlier sync.
	ReasonAlreadyStarted Reason = "AlreadyStarted"
	// ReasonNotYetTime: no tick has come since the last one started (or
	// since the CronJob was created).
	ReasonNotYetTime Reason = "NotYetTime"
	// ReasonMissedDeadline: a tick came, but longer ago than
	// startingDeadlineSeconds allows; it is skipped for good.
	ReasonMissedDeadline Reason = "MissedDeadline"
	// ReasonForbidden: concurrencyPolicy is Forbid and a Job is still
	// active; the tick waits (it starts late once they are gone, if still
	// within the starting deadline).
	ReasonForbidden Reason = "Forbidden"
	// ReasonSuspended: spec.suspend is true.
	ReasonSuspended Reason = "Suspended"
	// ReasonDeleting: the CronJob is being deleted.
	ReasonDeleting Reason = "Deleting"
	// ReasonNameTaken: a Job with the tick's name exists and belongs to
	// someone else; upstream leaves it be and does not requeue.
	ReasonNameTaken Reason = "NameTaken"
	// ReasonReplaceFailed: concurrencyPolicy is Replace and an active Job
	// to delete cannot be found; the sync fails and is retried.
	ReasonReplaceFailed Reason = "ReplaceFailed"
	// ReasonInvalidSchedule: the schedule parses but names no time that
	// exists (such as 31 February).
	ReasonInvalidSchedule Reason = "InvalidSchedule"
	// ReasonUnparseableSchedule: the schedule, combined with the time zone,
	// does not parse.
	ReasonUnparseableSchedule Reason = "UnparseableSchedule"
)

// Explanation is a plain account of one sync's decision about starting a
// Job.
type Explanation struct {
	Reason Reason
	// Message says the same in a sentence or two, with the times involved.
	Message string
	// ScheduledTime is the tick the decision is about: the most recent
	// unmet one, or the one skipped for the deadline. Zero when there is
	// none.
	ScheduledTime time.Time
	// NextRun is the first tick after now, zero when the schedule has none
	// (or is not evaluated because the CronJob is suspended or deleted).
	NextRun time.Time
	// MissedRuns is upstream's estimate of how many ticks went by unmet
	// since the last schedule; only the latest of them ever starts.
	MissedRuns int64
	// Events are the events the sync records.
	Events []workload.Event
}

// Explain says why one sync at now starts a Job for the CronJob's most
// recent tick or does not: suspended, being deleted, not yet time, already
// started, outside startingDeadlineSeconds, held back by Forbid, started
// (replacing active Jobs, or catching up after missed ticks), and so on. It
// runs the same sync as Reconcile and takes the same inputs; times in the
// message are in spec.timeZone, or opts.Location.
func Explain(cj *batchv1.CronJob, jobs []*batchv1.Job, now time.Time, opts Options) (Explanation, error) {
	state := State{CronJob: cj, Jobs: jobs}
	if err := validateState(state, now); err != nil {
		return Explanation{}, err
	}
	s := newSyncer(state, now, opts)
	s.run()
	show := displayLocation(cj, s.loc)
	at := func(t time.Time) string { return t.In(show).Format(time.RFC3339) }
	w := s.why
	e := Explanation{Reason: w.reason, ScheduledTime: w.scheduled, MissedRuns: w.missed, Events: s.plan.Events}
	if !e.ScheduledTime.IsZero() {
		e.ScheduledTime = e.ScheduledTime.In(show)
	}
	if w.sched != nil && w.reason != ReasonInvalidSchedule {
		if next := w.sched.Next(s.now); !next.IsZero() {
			e.NextRun = next.In(show)
		}
	}
	nextText := "no further tick within five years"
	if !e.NextRun.IsZero() {
		nextText = "next tick " + at(e.NextRun)
	}
	name := ""
	if !w.scheduled.IsZero() {
		name = JobName(cj.Name, w.scheduled)
	}
	switch w.reason {
	case ReasonDeleting:
		e.Message = "the CronJob is being deleted: no Job starts"
	case ReasonSuspended:
		e.Message = "spec.suspend is true: no Job starts until it is resumed, and then only the latest missed tick runs"
	case ReasonUnparseableSchedule:
		e.Message = fmt.Sprintf("the schedule %q does not parse with its time zone", cj.Spec.Schedule)
	case ReasonInvalidSchedule:
		e.Message = fmt.Sprintf("the schedule %q names no time that exists within five years: no Job ever starts", cj.Spec.Schedule)
	case ReasonNotYetTime:
		e.Message = "no tick since " + sinceText(s, at) + "; " + nextText
		explainDeadline(s, &e, at, nextText)
	case ReasonMissedDeadline:
		e.Message = fmt.Sprintf("the tick at %s is more than startingDeadlineSeconds old; %s", at(w.scheduled), nextText)
	case ReasonAlreadyStarted:
		e.Message = fmt.Sprintf("the Job for the tick at %s (%s) was already started; %s", at(w.scheduled), name, nextText)
	case ReasonForbidden:
		e.Message = fmt.Sprintf("concurrencyPolicy is Forbid and %s still active: the tick at %s waits for %s; %s",
			plural(len(s.cj.Status.Active), "Job is", "Jobs are"), at(w.scheduled), them(len(s.cj.Status.Active)), nextText)
	case ReasonNameTaken:
		e.Message = fmt.Sprintf("a Job named %s exists that this CronJob does not control: nothing starts and the CronJob is not looked at again until something changes", name)
	case ReasonReplaceFailed:
		e.Message = "concurrencyPolicy is Replace and an active Job to delete cannot be found: the sync fails and is retried"
	case ReasonRecorded:
		e.Message = fmt.Sprintf("Job %s for the tick at %s exists already but is not in status.active: it is recorded there; %s", name, at(w.scheduled), nextText)
	case ReasonStarted:
		e.Message = startedText(s, at, name, nextText)
	}
	return e, nil
}

// sinceText names the time the schedule counts from.
func sinceText(s *syncer, at func(time.Time) string) string {
	if lst := s.cj.Status.LastScheduleTime; lst != nil {
		return "the last one at " + at(lst.Time)
	}
	return "the CronJob was created at " + at(s.cj.CreationTimestamp.Time)
}

// explainDeadline turns "not yet time" into "missed the deadline" when a
// tick did come but startingDeadlineSeconds puts it out of reach.
func explainDeadline(s *syncer, e *Explanation, at func(time.Time) string, nextText string) {
	sds := s.cj.Spec.StartingDeadlineSeconds
	if sds == nil || s.why.sched == nil {
		return
	}
	found, err := mostRecentTick(s.cj, s.now, s.why.sched, false, s.loc)
	if err != nil || found.recent == nil {
		return
	}
	e.Reason = ReasonMissedDeadline
	e.ScheduledTime = found.recent.In(displayLocation(s.cj, s.loc))
	e.MissedRuns = found.count
	if *sds == 0 {
		e.Message = fmt.Sprintf("startingDeadlineSeconds is 0, so no tick is ever recent enough: the tick at %s is skipped, as every tick will be", at(*found.recent))
		return
	}
	e.Message = fmt.Sprintf("the tick at %s is more than startingDeadlineSeconds (%ds) old: it is skipped; %s", at(*found.recent), *sds, nextText)
}

func startedText(s *syncer, at func(time.Time) string, name, nextText string) string {
	w := s.why
	var b strings.Builder
	fmt.Fprintf(&b, "Job %s starts for the tick at %s", name, at(w.scheduled))
	if late := s.now.Sub(w.scheduled); late >= time.Second {
		fmt.Fprintf(&b, ", %s late", late.Truncate(time.Second))
	}
	if w.missed > 1 {
		fmt.Fprintf(&b, "; about %d ticks were missed and only the latest runs", w.missed)
	}
	if w.missed > manyMissedThreshold {
		b.WriteString(" (more than 100: upstream warns TooManyMissedTimes)")
	}
	if len(w.replaced) > 0 {
		fmt.Fprintf(&b, "; concurrencyPolicy Replace deletes %s first", strings.Join(w.replaced, ", "))
	}
	b.WriteString("; " + nextText)
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
