package cron

import (
	"github.com/kubepure/kubepure/workload"
)

// Plan is what one CronJob sync decides: the API calls (create and delete
// of "jobs", update-status of "cronjobs"), the requeue and the events
// upstream records on the CronJob, as in every kubepure controller. Some of
// those events are the only trace of a decision (a schedule evaluated with
// an unsupported TZ prefix, too many missed start times, an impossible
// date). CronJob keeps no memory between syncs, so Plan adds nothing to
// workload.Plan.
type Plan struct {
	workload.Plan
}

// The reasons of the events upstream's sync records on a CronJob, with
// their type, in the order the sync can reach them. Every one lands in
// Plan.Events exactly as upstream's recorder receives it. (FailedCreate
// and FailedDelete, which report a call the API server refused, cannot
// occur in a plan that takes its calls to succeed.)
const (
	// EventSuccessfulDelete (Normal): a Job was deleted, for the history
	// limits or to make way under concurrencyPolicy Replace.
	EventSuccessfulDelete = workload.EventSuccessfulDelete
	// EventUnexpectedJob (Warning): a running Job the CronJob controls is
	// missing from status.active; the controller never adopts it.
	EventUnexpectedJob = "UnexpectedJob"
	// EventSawCompletedJob (Normal): a Job in status.active finished and
	// leaves the list.
	EventSawCompletedJob = "SawCompletedJob"
	// EventMissingJob (Normal): a Job in status.active no longer exists
	// and leaves the list.
	EventMissingJob = "MissingJob"
	// EventUnknownTimeZone (Warning): spec.timeZone is not in the time
	// zone database; the sync starts nothing and does not requeue.
	EventUnknownTimeZone = "UnknownTimeZone"
	// EventUnsupportedSchedule (Warning): the schedule carries a TZ= or
	// CRON_TZ= prefix; it is honoured (over spec.timeZone, if set) but
	// warned about on every sync that evaluates the schedule.
	EventUnsupportedSchedule = "UnsupportedSchedule"
	// EventUnparseableSchedule (Warning): the schedule does not parse; the
	// sync starts nothing and does not requeue.
	EventUnparseableSchedule = "UnparseableSchedule"
	// EventInvalidSchedule (Warning): the schedule parses but names no
	// time that exists (31 February); nothing starts, no requeue.
	EventInvalidSchedule = "InvalidSchedule"
	// EventTooManyMissedTimes (Warning): more than 100 ticks went by
	// unmet; the latest still starts.
	EventTooManyMissedTimes = "TooManyMissedTimes"
	// EventMissSchedule (Warning): the tick is older than
	// startingDeadlineSeconds allows (reachable only through the deadline's
	// overflow, see the package documentation).
	EventMissSchedule = "MissSchedule"
	// EventJobAlreadyActive (Normal): concurrencyPolicy Forbid holds the
	// tick back while a Job is active.
	EventJobAlreadyActive = "JobAlreadyActive"
	// EventFailedGet (Warning): concurrencyPolicy Replace cannot find an
	// active Job to delete; the sync fails and is retried.
	EventFailedGet = "FailedGet"
	// EventSuccessfulCreate (Normal): the Job for the tick was created.
	EventSuccessfulCreate = workload.EventSuccessfulCreate
)

func (s *syncer) normal(reason, format string, args ...any) {
	s.plan.Normal(workload.ObjectRef(s.fresh, cronJobKind), reason, format, args...)
}

func (s *syncer) warning(reason, format string, args ...any) {
	s.plan.Warning(workload.ObjectRef(s.fresh, cronJobKind), reason, format, args...)
}
