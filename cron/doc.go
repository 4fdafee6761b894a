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
// Then the schedule. A CronJob being deleted starts nothing and is not
// requeued; nor is one that is suspended. Otherwise the schedule is parsed
// with github.com/robfig/cron/v3 exactly as upstream does (five fields or a
// descriptor such as @hourly or @every 90m), evaluated in the zone of a
// legacy TZ= or CRON_TZ= prefix (with an UnsupportedSchedule warning on
// every sync), in spec.timeZone, or else in the controller's zone. The
// search for the most recent unmet tick starts from lastScheduleTime (or
// the creation time), or from now minus startingDeadlineSeconds when that
// is later: so a deadline of 0 means no Job ever starts, and ticks older
// than the deadline are dropped silently. After an outage only the latest
// missed tick runs, never the others; more than 100 missed ticks add a
// TooManyMissedTimes warning but the latest still runs.
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
// # Upstream's guards, reproduced as plans
//
// A cluster can hold CronJobs that today's validation refuses, stored
// under older rules. Where upstream's sync guards against one, the plan is
// upstream's (the status bookkeeping above still happens first), never an
// error:
//
//   - a schedule that does not parse, including a TZ prefix with no fields
//     (which makes robfig's parser panic; upstream recovers and reports the
//     runtime error): a Warning UnparseableSchedule, no call, no requeue;
//   - a spec.timeZone the time zone database does not know: a Warning
//     UnknownTimeZone, no call, no requeue, even when suspended (upstream
//     checks the zone before suspend);
//   - a TZ= or CRON_TZ= prefix together with spec.timeZone: the prefix
//     decides the zone the schedule runs in and spec.timeZone only dates
//     the Job's annotation; a Warning UnsupportedSchedule, and the Job runs
//     as usual;
//   - a schedule that parses but names no time that exists (31 February):
//     a Warning InvalidSchedule, no call, no requeue;
//   - a tick older than startingDeadlineSeconds: a Warning MissSchedule
//     (reachable only through the overflow below);
//   - Replace with an active Job that does not exist: a Warning FailedGet,
//     and the sync fails and is retried;
//   - a create whose name a Job already holds (AlreadyExists): the Job is
//     recorded in status.active when the CronJob controls it and it is not
//     yet listed, and left alone otherwise.
//
// Upstream's informer handler also warns UnParseableCronJobSchedule when an
// update makes the schedule unparseable; that happens outside a sync, so no
// plan carries it.
//
// # Upstream quirks, reproduced
//
//   - startingDeadlineSeconds above 9,223,372,036 (about 292 years)
//     overflows time.Duration: upstream multiplies it by time.Second and
//     the product wraps around. Usually the deadline then lands after now
//     and no Job ever starts; some values wrap to a fraction of a second,
//     and 2^54 (and its odd multiples) wraps to math.MinInt64, which makes
//     every tick a MissSchedule. The plan does the same arithmetic; Explain
//     says so.
//   - A running Job missing from status.active is reported (UnexpectedJob)
//     on every sync, never adopted.
//   - A Complete Job without completionTime marks the status dirty while
//     lastSuccessfulTime is unset, without setting it.
//   - For irregular schedules the missed-tick estimate can overshoot, and
//     the sync then finds no unmet tick although one was missed.
//   - The UnsupportedSchedule warning repeats on every sync that reaches
//     the schedule.
//
// # Refused input
//
// What no API server stores is an error naming the field: a nil CronJob or
// Job, a name over 52 characters (the API server refuses it on create; an
// older CronJob with a longer name makes upstream's Job create fail, which
// a plan that takes its calls to succeed cannot express), an empty
// schedule, an empty or "Local" spec.timeZone, a negative
// startingDeadlineSeconds or history limit, an unknown concurrencyPolicy, a
// field the API server always defaults left unset (concurrencyPolicy,
// suspend, successfulJobsHistoryLimit, failedJobsHistoryLimit, the pod
// template's defaults: default a manifest as the API server does first),
// two Jobs with one name or one UID, a Job without UID, a CronJob without
// creation time or whose last schedule is more than 200 years old.
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
// modified and their order never changes a plan. A sync costs time and
// memory linear in the number of Jobs (and of status.active entries),
// where upstream's costs are quadratic in the listed Jobs; the plan is the
// same. Upstream's history sort
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
