package cron

import (
	"fmt"
	"strings"
	"time"

	robfig "github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"

	"github.com/kubepure/kubepure/workload"
)

// Reason says, in one machine-readable word, why a sync did or did not
// start a Job.
type Reason string

// The reasons Explain gives, one for each way upstream's sync ends.
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
	// startingDeadlineSeconds allows (or a deadline of 0, or one too large
	// for a time.Duration, admits no tick at all); it is skipped for good.
	ReasonMissedDeadline Reason = "MissedDeadline"
	// ReasonForbidden: concurrencyPolicy is Forbid and a Job is still
	// active; the tick waits (it starts late once they are gone, if still
	// within the starting deadline).
	ReasonForbidden Reason = "Forbidden"
	// ReasonSuspended: spec.suspend is true; nothing starts until it is
	// resumed.
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
	// does not parse; nothing starts until the schedule is fixed.
	ReasonUnparseableSchedule Reason = "UnparseableSchedule"
	// ReasonUnknownTimeZone: spec.timeZone is not in the time zone
	// database; nothing starts, suspended or not.
	ReasonUnknownTimeZone Reason = "UnknownTimeZone"
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
	// NextRun is the first tick of the schedule after now (the tick after
	// the one started, when one is), also for a suspended CronJob: the
	// tick that would be next if it were resumed. Zero when the schedule
	// has none within five years, does not parse, or is not evaluated
	// (the CronJob is being deleted or its time zone is unknown).
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
// runs the same sync as Reconcile on the same inputs, and refuses what
// Reconcile refuses; times in the message are in spec.timeZone, or
// opts.Location.
func Explain(state State, now time.Time, opts Options) (Explanation, error) {
	if err := validateState(state, now); err != nil {
		return Explanation{}, err
	}
	s := newSyncer(state, now, opts)
	s.run()
	cj := state.CronJob
	show := displayLocation(cj, s.loc)
	at := func(t time.Time) string { return t.In(show).Format(time.RFC3339) }
	w := s.why
	e := Explanation{Reason: w.reason, ScheduledTime: w.scheduled, MissedRuns: w.missed, Events: s.plan.Events}
	if !e.ScheduledTime.IsZero() {
		e.ScheduledTime = e.ScheduledTime.In(show)
	}
	sched := w.sched
	if w.reason == ReasonSuspended {
		// The sync stops before the schedule; parse it here to say when
		// the next tick would be.
		sched, _ = parseSchedule(effectiveSchedule(cj))
	}
	if sched != nil && w.reason != ReasonInvalidSchedule {
		if next := sched.Next(start(s.cj, sched, s.now, s.loc)); !next.IsZero() {
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
	case ReasonUnknownTimeZone:
		e.Message = fmt.Sprintf("spec.timeZone %q is not in the time zone database (%v): no Job starts, suspended or not, and the CronJob is not looked at again until something changes", *cj.Spec.TimeZone, unknownTimeZone(cj))
	case ReasonSuspended:
		e.Message = "spec.suspend is true: no Job starts until it is resumed, and then only the latest missed tick runs"
		if sched == nil {
			e.Message += "; the schedule does not parse"
		} else {
			e.Message += "; " + strings.Replace(nextText, "next tick", "the next tick would be", 1)
		}
	case ReasonUnparseableSchedule:
		_, err := parseSchedule(effectiveSchedule(cj))
		e.Message = fmt.Sprintf("the schedule %q does not parse with its time zone (%s): no Job starts and the CronJob is not looked at again until something changes",
			cj.Spec.Schedule, scheduleProblem(cj.Spec.Schedule, err))
	case ReasonInvalidSchedule:
		e.Message = fmt.Sprintf("the schedule %q names no time that exists within five years: no Job ever starts", cj.Spec.Schedule)
	case ReasonNotYetTime:
		e.Message = "no tick since " + sinceText(s, at) + "; " + nextText
		explainDeadline(s, &e, sched, at, nextText)
	case ReasonMissedDeadline:
		e.Message = fmt.Sprintf("the tick at %s is more than startingDeadlineSeconds old; %s", at(w.scheduled), nextText)
		if note := overflowNote(cj); note != "" {
			e.Message = fmt.Sprintf("%s, so the check that a tick is recent enough fails for every tick; the tick at %s is skipped, as every tick will be", note, at(w.scheduled))
		}
	case ReasonAlreadyStarted:
		e.Message = fmt.Sprintf("the Job for the tick at %s (%s) was already started; %s", at(w.scheduled), name, nextText)
	case ReasonForbidden:
		n := len(s.active.refs())
		e.Message = fmt.Sprintf("concurrencyPolicy is Forbid and %s still active: the tick at %s waits for %s; %s",
			plural(n, "Job is", "Jobs are"), at(w.scheduled), them(n), nextText)
	case ReasonNameTaken:
		e.Message = fmt.Sprintf("a Job named %s exists that this CronJob does not control: nothing starts and the CronJob is not looked at again until something changes", name)
	case ReasonReplaceFailed:
		e.Message = "concurrencyPolicy is Replace and an active Job to delete cannot be found: the sync fails and is retried"
	case ReasonRecorded:
		e.Message = fmt.Sprintf("Job %s for the tick at %s exists already but is not in status.active: it is recorded there; %s", name, at(w.scheduled), nextText)
	case ReasonStarted:
		e.Message = startedText(s, at, name, nextText)
	}
	if legacyTZ(cj) && cj.Spec.TimeZone != nil && w.reason != ReasonDeleting && w.reason != ReasonUnknownTimeZone {
		e.Message += fmt.Sprintf(" (the schedule's own TZ prefix sets the zone it runs in; spec.timeZone %s only dates the Job's annotation)", *cj.Spec.TimeZone)
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

// overflowNote says how upstream reads a startingDeadlineSeconds too large
// for a time.Duration, "" for one that fits.
func overflowNote(cj *batchv1.CronJob) string {
	sds := cj.Spec.StartingDeadlineSeconds
	if sds == nil || *sds <= deadlineLimit {
		return ""
	}
	return fmt.Sprintf("startingDeadlineSeconds %d is too large for upstream's duration arithmetic, which wraps it around to %v", *sds, startingDeadline(*sds))
}

// explainDeadline turns "not yet time" into "missed the deadline" when a
// tick did come but startingDeadlineSeconds puts it out of reach, and says
// so when the deadline keeps every tick out of reach.
func explainDeadline(s *syncer, e *Explanation, sched robfig.Schedule, at func(time.Time) string, nextText string) {
	sds := s.cj.Spec.StartingDeadlineSeconds
	if sds == nil || sched == nil {
		return
	}
	// A deadline of zero, or one that wraps around to a negative
	// duration, lies at or after now: no tick is ever recent enough.
	never := ""
	if d := startingDeadline(*sds); d <= 0 {
		never = "startingDeadlineSeconds is 0, so no tick is ever recent enough"
		if note := overflowNote(s.cj); note != "" {
			never = note + ", putting the deadline at or after now, so no tick is ever recent enough"
		}
	}
	found, err := mostRecentTick(s.cj, s.now, sched, false, s.loc)
	if err != nil || found.recent == nil {
		if never != "" {
			e.Message += "; but " + never + " and no Job ever starts"
		}
		return
	}
	e.Reason = ReasonMissedDeadline
	e.ScheduledTime = found.recent.In(displayLocation(s.cj, s.loc))
	e.MissedRuns = found.count
	if never != "" {
		e.Message = fmt.Sprintf("%s; the tick at %s is skipped, as every tick will be", never, at(*found.recent))
		return
	}
	e.Message = fmt.Sprintf("the tick at %s is more than startingDeadlineSeconds (%ds) old: it is skipped; %s", at(*found.recent), *sds, nextText)
	if note := overflowNote(s.cj); note != "" {
		e.Message = fmt.Sprintf("the tick at %s is older than the deadline (%s): it is skipped; %s", at(*found.recent), note, nextText)
	}
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
