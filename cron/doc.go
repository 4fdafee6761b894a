// Package cron is the CronJob controller of kube-controller-manager v1.37.1
// as a pure function.
//
// Reconcile takes a CronJob, the Jobs the controller can see and the time,
// and returns the Plan of one upstream sync: which finished Jobs to delete
// for the history limits, which Job to create for the most recent unmet
// tick of the schedule (and, under concurrencyPolicy Replace, which active
// Jobs to delete first), the status update, the events, and when to look
// again. Nothing is read from the clock or the host: the caller passes now
// and, through Options, the time zone the controller process runs in.
//
//	plan, err := cron.Reconcile(cron.State{CronJob: cj, Jobs: jobs}, now, cron.Options{})
//	for _, a := range plan.Actions { apply(a) }
//	requeue(plan.RequeueAfter)
//
// # How upstream decides
//
// A sync first trims history: Complete and Failed Jobs beyond
// successfulJobsHistoryLimit and failedJobsHistoryLimit are deleted with
// background propagation, oldest start time first (a Job that never started
// counts as the newest). It then reconciles status.active with the Jobs
// that exist: a finished Job leaves the list, a vanished one too, a running
// Job the list does not know is only reported (the controller never
// adopts). lastSuccessfulTime follows the latest completion time.
//
// Then the schedule. A CronJob being deleted or suspended starts nothing
// and is not requeued. Otherwise the schedule is parsed with
// github.com/robfig/cron/v3 exactly as upstream does (five fields or a
// descriptor such as @hourly or @every 90m), evaluated in spec.timeZone, in
// the zone of a legacy TZ= or CRON_TZ= prefix (with an UnsupportedSchedule
// warning on every sync), or else in the controller's zone. The search for
// the most recent unmet tick starts from lastScheduleTime (or the creation
// time), or from now minus startingDeadlineSeconds when that is later: so a
// deadline of 0 means no Job ever starts, and ticks older than the deadline
// are dropped silently. After an outage only the latest missed tick runs,
// never the others; more than 100 missed ticks add a TooManyMissedTimes
// warning but the latest still runs.
//
// A tick whose Job is already active (by name) or equals lastScheduleTime is
// done. Forbid holds the tick back while any Job is active; as
// lastScheduleTime does not move, the tick starts late once they are gone,
// unless the deadline has passed by then. Replace deletes every active Job
// first. Allow just adds one. The Job is named <cronjob>-<minutes since the
// epoch of the tick>, which makes a second create for the same tick fail,
// carries the template's labels and annotations plus
// batch.kubernetes.io/cronjob-scheduled-timestamp (the tick in RFC 3339, in
// spec.timeZone or UTC), and has the CronJob as controller.
//
// The status is written when upstream's own bookkeeping says so, which is
// not always when it changed (any history deletion writes it). The requeue
// aims at the tick after the most recent one, plus 100 ms of pad.
//
// # Beyond upstream
//
// NextRuns lists the next ticks of a schedule, with robfig's handling of
// daylight saving time (a skipped wall-clock time does not fire, a repeated
// one fires twice). Explain says in words, with a Reason code, why a sync
// did or did not start a Job. RecordCreated fills the UID of a freshly
// created Job into the status update of its plan.
//
// # Determinism
//
// Jobs are walked in namespace/name order; the input slices are never
// modified and their order never changes a plan. Upstream's history sort
// breaks start-time ties by name only; here the namespace breaks the rest.
// Times are evaluated in Options.Location (UTC by default) where upstream
// would use the process's local zone. Time zone names are resolved with
// the host's zoneinfo when it has one and with the tzdata embedded by this
// package otherwise, as the Go runtime does. The scenarios in testdata are
// the manual of this package.
package cron

import (
	// A CronJob's spec.timeZone must resolve even on a host without
	// zoneinfo.
	_ "time/tzdata"
)
