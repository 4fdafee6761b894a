package cron

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// State is what one sync of a CronJob looks at.
type State struct {
	// CronJob is the object being synced. Upstream reads it from its
	// informer cache and, when it meets a running Job that is missing from
	// status.active, reads it once more from the API server in case the
	// cache is stale. Here the CronJob given IS that fresh copy: the cache
	// and the API server are taken to agree.
	CronJob *batchv1.CronJob
	// Jobs are the Jobs the controller can see, typically those of the
	// CronJob's namespace. Only those whose controller reference carries the
	// CronJob's UID belong to it (upstream never adopts). The others matter
	// only where upstream asks the API server for a Job by name: an entry of
	// status.active that no owned Job answers, a Job that Replace deletes,
	// and the name a new Job would take. The list is also what the API
	// server holds: a name absent from it is NotFound.
	Jobs []*batchv1.Job
}

// Options are the settings of the controller process that shape a sync.
type Options struct {
	// Location is the time zone of the kube-controller-manager process.
	// Upstream evaluates a schedule without spec.timeZone (and without a
	// legacy TZ= prefix) in the process's local zone, because its clock and
	// the timestamps it decodes are local. nil means UTC. The
	// scheduled-timestamp annotation of a new Job is written in
	// spec.timeZone, or UTC without one, whatever Location says.
	Location *time.Location
}

func (o Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// maxLookBack bounds how far before now a CronJob's last schedule (or its
// creation) may lie. Upstream estimates missed ticks with time.Duration
// arithmetic, which saturates after about 292 years and would then make it
// walk the schedule tick by tick for centuries. No API server stores such a
// timestamp; here it is refused instead of looped over.
const maxLookBack = 200 * 365 * 24 * time.Hour

// validTimeZonePart is what the API server allows in each "/"-separated
// part of spec.timeZone.
var validTimeZonePart = regexp.MustCompile(`^[A-Za-z.\-_0-9+]{1,14}$`)

// validateCronJob reports what the API server would refuse in a stored
// CronJob (the parts a sync depends on), with paths under root.
func validateCronJob(cj *batchv1.CronJob, root *field.Path) field.ErrorList {
	if cj == nil {
		return field.ErrorList{field.Required(root, "")}
	}
	var errs field.ErrorList
	meta := root.Child("metadata")
	if cj.Name == "" {
		errs = append(errs, field.Required(meta.Child("name"), ""))
	}
	spec := root.Child("spec")
	errs = append(errs, validateSchedule(cj.Spec.Schedule, cj.Spec.TimeZone, spec.Child("schedule"))...)
	errs = append(errs, validateTimeZone(cj.Spec.TimeZone, spec.Child("timeZone"))...)
	if s := cj.Spec.StartingDeadlineSeconds; s != nil && *s < 0 {
		errs = append(errs, field.Invalid(spec.Child("startingDeadlineSeconds"), *s, "must be greater than or equal to 0"))
	}
	switch cj.Spec.ConcurrencyPolicy {
	case "", batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent:
	default:
		errs = append(errs, field.NotSupported(spec.Child("concurrencyPolicy"), cj.Spec.ConcurrencyPolicy,
			[]batchv1.ConcurrencyPolicy{batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent}))
	}
	if l := cj.Spec.SuccessfulJobsHistoryLimit; l != nil && *l < 0 {
		errs = append(errs, field.Invalid(spec.Child("successfulJobsHistoryLimit"), *l, "must be greater than or equal to 0"))
	}
	if l := cj.Spec.FailedJobsHistoryLimit; l != nil && *l < 0 {
		errs = append(errs, field.Invalid(spec.Child("failedJobsHistoryLimit"), *l, "must be greater than or equal to 0"))
	}
	return errs
}

// validateSchedule mirrors the API server: the schedule must parse as a
// standard cron line, and a legacy TZ= or CRON_TZ= prefix (anything
// containing "TZ") may not be combined with spec.timeZone. A TZ prefix
// alone is accepted: the API server keeps it on objects that already had
// it, and the controller still honours it.
func validateSchedule(schedule string, timeZone *string, path *field.Path) field.ErrorList {
	if schedule == "" {
		return field.ErrorList{field.Required(path, "")}
	}
	var errs field.ErrorList
	if _, err := parseSchedule(schedule); err != nil {
		errs = append(errs, field.Invalid(path, schedule, err.Error()))
	}
	if strings.Contains(schedule, "TZ") && timeZone != nil {
		errs = append(errs, field.Invalid(path, schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"))
	}
	return errs
}

// validateTimeZone mirrors the API server's check of spec.timeZone: an IANA
// name made of safe parts, not "Local", and known to the time zone
// database (the one embedded in this package when the host has none).
func validateTimeZone(tz *string, path *field.Path) field.ErrorList {
	if tz == nil {
		return nil
	}
	if *tz == "" {
		return field.ErrorList{field.Invalid(path, *tz, "timeZone must be nil or non-empty string")}
	}
	for _, part := range strings.Split(*tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !validTimeZonePart.MatchString(part) {
			return field.ErrorList{field.Invalid(path, *tz, fmt.Sprintf("unknown time zone %s", *tz))}
		}
	}
	var errs field.ErrorList
	if strings.EqualFold(*tz, "Local") {
		errs = append(errs, field.Invalid(path, *tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"))
	}
	if _, err := time.LoadLocation(*tz); err != nil {
		errs = append(errs, field.Invalid(path, *tz, err.Error()))
	}
	return errs
}

// validateState checks the whole input of a sync.
func validateState(s State, now time.Time) error {
	root := field.NewPath("cronJob")
	errs := validateCronJob(s.CronJob, root)
	if s.CronJob != nil {
		errs = append(errs, validateClock(s.CronJob, now, root)...)
	}
	errs = append(errs, validateJobs(s.Jobs, field.NewPath("jobs"))...)
	return errs.ToAggregate()
}

// validateClock refuses a CronJob without a creation time (the API server
// always sets one, and the schedule counts from it) and one whose last
// schedule lies so far before now that counting missed ticks breaks down.
func validateClock(cj *batchv1.CronJob, now time.Time, root *field.Path) field.ErrorList {
	var errs field.ErrorList
	earliest := cj.CreationTimestamp.Time
	path := root.Child("metadata", "creationTimestamp")
	if cj.Status.LastScheduleTime != nil {
		earliest = cj.Status.LastScheduleTime.Time
		path = root.Child("status", "lastScheduleTime")
	} else if earliest.IsZero() {
		return append(errs, field.Required(path, "the API server sets it; the schedule counts from it"))
	}
	if now.Sub(earliest) > maxLookBack {
		errs = append(errs, field.Invalid(path, earliest.UTC().Format(time.RFC3339), "more than 200 years before now"))
	}
	return errs
}

// validateJobs refuses nil entries and two Jobs with one namespace and
// name, which no API server holds at once.
func validateJobs(jobs []*batchv1.Job, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := make(map[jobKey]bool, len(jobs))
	for i, j := range jobs {
		if j == nil {
			errs = append(errs, field.Required(path.Index(i), ""))
			continue
		}
		k := jobKey{j.Namespace, j.Name}
		if seen[k] {
			errs = append(errs, field.Duplicate(path.Index(i), j.Namespace+"/"+j.Name))
		}
		seen[k] = true
	}
	return errs
}
