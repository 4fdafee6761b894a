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

// The reasons of the events upstream records on a CronJob during a sync.
const (
	EventUnexpectedJob       = "UnexpectedJob"
	EventSawCompletedJob     = "SawCompletedJob"
	EventMissingJob          = "MissingJob"
	EventUnsupportedSchedule = "UnsupportedSchedule"
	EventUnparseableSchedule = "UnparseableSchedule"
	EventInvalidSchedule     = "InvalidSchedule"
	EventMissSchedule        = "MissSchedule"
	EventTooManyMissedTimes  = "TooManyMissedTimes"
	EventJobAlreadyActive    = "JobAlreadyActive"
	EventFailedGet           = "FailedGet"
	EventSuccessfulDelete    = "SuccessfulDelete"
	EventSuccessfulCreate    = "SuccessfulCreate"
)

func (s *syncer) normal(reason, format string, args ...any) {
	s.plan.Normal(workload.ObjectRef(s.fresh, cronJobKind), reason, format, args...)
}

func (s *syncer) warning(reason, format string, args ...any) {
	s.plan.Warning(workload.ObjectRef(s.fresh, cronJobKind), reason, format, args...)
}
