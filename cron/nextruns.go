package cron

import (
	"time"

	robfig "github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// NextRuns returns the next n times the CronJob's schedule fires strictly
// after the given time, as the controller evaluates it: in spec.timeZone, in
// the zone of a legacy TZ= prefix, or else in opts.Location (UTC when nil).
// Daylight saving time is handled as robfig/cron handles it: a wall-clock
// time skipped by a spring-forward change does not fire that day, and one
// repeated by a fall-back change fires twice. The times are given in
// spec.timeZone when it is set and in opts.Location otherwise.
//
// An @every schedule counts from the last schedule time, or the creation
// time, as the controller does.
//
// Fewer than n times come back when the schedule has no further tick within
// five years (robfig's search horizon, e.g. 30 February). suspend and
// startingDeadlineSeconds are not considered: these are the ticks, not the
// Jobs. n <= 0 gives none. An invalid CronJob is an error naming the field.
func NextRuns(cj *batchv1.CronJob, after time.Time, n int, opts Options) ([]time.Time, error) {
	if errs := validateNextRuns(cj); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	sched, err := parseSchedule(effectiveSchedule(cj))
	if err != nil {
		return nil, field.ErrorList{field.Invalid(field.NewPath("cronJob", "spec", "schedule"), cj.Spec.Schedule, err.Error())}.ToAggregate()
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
	return first.Add(after.Sub(first) / every.Delay * every.Delay)
}

// validateNextRuns checks only what the schedule depends on.
func validateNextRuns(cj *batchv1.CronJob) field.ErrorList {
	root := field.NewPath("cronJob")
	if cj == nil {
		return field.ErrorList{field.Required(root, "")}
	}
	spec := root.Child("spec")
	errs := validateSchedule(cj.Spec.Schedule, cj.Spec.TimeZone, spec.Child("schedule"))
	return append(errs, validateTimeZone(cj.Spec.TimeZone, spec.Child("timeZone"))...)
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
