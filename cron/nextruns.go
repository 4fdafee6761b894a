package cron

import (
	"fmt"
	"time"

	robfig "github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// NextRuns returns the next n times the CronJob's schedule fires strictly
// after the given time, as the controller evaluates it: in the zone of a
// legacy TZ= or CRON_TZ= prefix (which wins over spec.timeZone, as
// upstream has it), in spec.timeZone, or else in opts.Location (UTC when
// nil). Daylight saving time is handled as robfig/cron handles it: a
// wall-clock time skipped by a spring-forward change does not fire that
// day, and one repeated by a fall-back change fires twice. The times are
// given in spec.timeZone when it is set and in opts.Location otherwise.
//
// An @every schedule counts from the last schedule time, or the creation
// time, as the controller does.
//
// Fewer than n times come back when the schedule has no further tick within
// five years (robfig's search horizon, e.g. 30 February). suspend and
// startingDeadlineSeconds are not considered: these are the ticks, not the
// Jobs. n <= 0 gives none. A schedule that does not parse, an unknown time
// zone (on which the controller never starts a Job) and an invalid CronJob
// are errors naming the field.
func NextRuns(cj *batchv1.CronJob, after time.Time, n int, opts Options) ([]time.Time, error) {
	sched, err := scheduleOf(cj)
	if err != nil {
		return nil, err
	}
	loc := opts.location()
	show := displayLocation(cj, loc)
	var out []time.Time
	t := start(cj, sched, after.In(loc), loc)
	for range max(n, 0) {
		t = sched.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t.In(show))
	}
	return out, nil
}

// scheduleOf parses the CronJob's schedule as the controller does, or says
// what keeps the controller from evaluating it.
func scheduleOf(cj *batchv1.CronJob) (robfig.Schedule, error) {
	root := field.NewPath("cronJob")
	if cj == nil {
		return nil, field.ErrorList{field.Required(root, "")}.ToAggregate()
	}
	spec := root.Child("spec")
	var errs field.ErrorList
	if cj.Spec.Schedule == "" {
		errs = append(errs, field.Required(spec.Child("schedule"), ""))
	}
	errs = append(errs, validateTimeZoneSyntax(cj.Spec.TimeZone, spec.Child("timeZone"))...)
	if err := unknownTimeZone(cj); err != nil {
		errs = append(errs, field.Invalid(spec.Child("timeZone"), *cj.Spec.TimeZone,
			fmt.Sprintf("%v: the controller starts no Job for this CronJob (UnknownTimeZone)", err)))
	}
	if len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	sched, err := parseSchedule(effectiveSchedule(cj))
	if err != nil {
		return nil, field.ErrorList{field.Invalid(spec.Child("schedule"), cj.Spec.Schedule, scheduleProblem(cj.Spec.Schedule, err))}.ToAggregate()
	}
	return sched, nil
}

// start is the time the walk of ticks begins from. An @every schedule
// fires at fixed distances from the CronJob's last schedule (or creation),
// not from an arbitrary instant, so its walk begins at the last of those
// ticks that is not after the given time. Other schedules are the same
// from any instant.
func start(cj *batchv1.CronJob, sched robfig.Schedule, after time.Time, loc *time.Location) time.Time {
	every, ok := sched.(robfig.ConstantDelaySchedule)
	if !ok {
		return after
	}
	anchor := cj.CreationTimestamp.Time
	if cj.Status.LastScheduleTime != nil {
		anchor = cj.Status.LastScheduleTime.Time
	}
	if anchor.IsZero() {
		return after
	}
	first := every.Next(anchor.In(loc))
	if first.After(after) {
		return anchor.In(loc)
	}
	// Count whole delays in seconds: a time.Duration between first and
	// after saturates beyond 292 years and would start the walk too early.
	// first falls on a whole second and the delay is whole seconds (robfig
	// rounds it), so the floor of the seconds between them is exact.
	delay := int64(every.Delay / time.Second)
	steps := (after.Unix() - first.Unix()) / delay
	return time.Unix(first.Unix()+steps*delay, 0).In(loc)
}

// displayLocation is the zone times are reported in: spec.timeZone when it
// is set and loadable, the controller's zone otherwise.
func displayLocation(cj *batchv1.CronJob, loc *time.Location) *time.Location {
	if cj.Spec.TimeZone != nil {
		if l, err := time.LoadLocation(*cj.Spec.TimeZone); err == nil {
			return l
		}
	}
	return loc
}
