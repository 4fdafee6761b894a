package cron

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/internal/validate"
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
// The zero value is kube-controller-manager's default on a host whose
// local zone is UTC.
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

// maxNameLength is the longest CronJob name the API server accepts on
// create: a Job's name is the CronJob's plus an 11-character suffix, and
// must fit a 63-character label value.
const maxNameLength = 52

// validTimeZonePart is what the API server allows in each "/"-separated
// part of spec.timeZone.
var validTimeZonePart = regexp.MustCompile(`^[A-Za-z.\-_0-9+]{1,14}$`)

// defaulted is the detail of an error about a field the API server always
// fills in: a CronJob read from a manifest must be defaulted first.
const defaulted = "the API server defaults it; default the object as the API server does before reconciling it"

// validateCronJob reports what the API server would refuse in a stored
// CronJob (the parts a sync depends on), with paths under root. It leaves
// out what upstream's controller itself guards against, because a cluster
// can still hold it from older validation rules: a schedule that does not
// parse, a spec.timeZone the time zone database does not know, a TZ prefix
// together with spec.timeZone (see the package documentation).
func validateCronJob(cj *batchv1.CronJob, root *field.Path) field.ErrorList {
	if cj == nil {
		return field.ErrorList{field.Required(root, "")}
	}
	var errs field.ErrorList
	name := root.Child("metadata", "name")
	switch {
	case cj.Name == "":
		errs = append(errs, field.Required(name, ""))
	case len(cj.Name) > maxNameLength:
		errs = append(errs, field.Invalid(name, cj.Name, fmt.Sprintf("must be no more than %d characters", maxNameLength)))
	}
	spec := root.Child("spec")
	if cj.Spec.Schedule == "" {
		errs = append(errs, field.Required(spec.Child("schedule"), ""))
	}
	errs = append(errs, validateTimeZoneSyntax(cj.Spec.TimeZone, spec.Child("timeZone"))...)
	if s := cj.Spec.StartingDeadlineSeconds; s != nil && *s < 0 {
		errs = append(errs, field.Invalid(spec.Child("startingDeadlineSeconds"), *s, "must be greater than or equal to 0"))
	}
	switch cj.Spec.ConcurrencyPolicy {
	case batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent:
	case "":
		errs = append(errs, field.Required(spec.Child("concurrencyPolicy"), defaulted))
	default:
		errs = append(errs, field.NotSupported(spec.Child("concurrencyPolicy"), cj.Spec.ConcurrencyPolicy,
			[]batchv1.ConcurrencyPolicy{batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent}))
	}
	if cj.Spec.Suspend == nil {
		errs = append(errs, field.Required(spec.Child("suspend"), defaulted))
	}
	for _, l := range []struct {
		name  string
		limit *int32
	}{
		{"successfulJobsHistoryLimit", cj.Spec.SuccessfulJobsHistoryLimit},
		{"failedJobsHistoryLimit", cj.Spec.FailedJobsHistoryLimit},
	} {
		switch {
		case l.limit == nil:
			errs = append(errs, field.Required(spec.Child(l.name), defaulted))
		case *l.limit < 0:
			errs = append(errs, field.Invalid(spec.Child(l.name), *l.limit, "must be greater than or equal to 0"))
		}
	}
	template := spec.Child("jobTemplate", "spec", "template")
	errs = append(errs, validate.TemplateDefaulted(&cj.Spec.JobTemplate.Spec.Template, template)...)
	return errs
}

// validateTimeZoneSyntax reports a spec.timeZone the API server has always
// refused and the controller does not guard against, because the time zone
// database resolves it: the empty string (UTC), "Local" (the host's zone)
// and names outside the safe character set. A name the database does not
// know is left to the controller's UnknownTimeZone guard.
func validateTimeZoneSyntax(tz *string, path *field.Path) field.ErrorList {
	if tz == nil {
		return nil
	}
	if *tz == "" {
		return field.ErrorList{field.Invalid(path, *tz, "timeZone must be nil or non-empty string")}
	}
	if _, err := time.LoadLocation(*tz); err != nil {
		return nil
	}
	if strings.EqualFold(*tz, "Local") {
		return field.ErrorList{field.Invalid(path, *tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones")}
	}
	for _, part := range strings.Split(*tz, "/") {
		if part == "." || part == ".." || strings.HasPrefix(part, "-") || !validTimeZonePart.MatchString(part) {
			return field.ErrorList{field.Invalid(path, *tz, fmt.Sprintf("unknown time zone %s", *tz))}
		}
	}
	return nil
}

// unknownTimeZone returns the error the time zone database gives for
// spec.timeZone, nil when it is unset or known. Upstream's sync stops with
// an UnknownTimeZone warning on such a CronJob.
func unknownTimeZone(cj *batchv1.CronJob) error {
	if cj.Spec.TimeZone == nil {
		return nil
	}
	_, err := time.LoadLocation(*cj.Spec.TimeZone)
	return err
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

// validateJobs refuses nil entries, a Job without a UID, and two Jobs with
// one namespace and name or one UID, none of which an API server holds.
// (Upstream tells the Jobs apart by UID: a list with duplicates would make
// the plan depend on its order.)
func validateJobs(jobs []*batchv1.Job, path *field.Path) field.ErrorList {
	errs := validate.NoNilEntries(jobs, path)
	for i, j := range jobs {
		if j != nil && j.UID == "" {
			errs = append(errs, field.Required(path.Index(i).Child("metadata", "uid"), "the API server sets it"))
		}
	}
	errs = append(errs, validate.UniqueNames(jobs, path)...)
	return append(errs, validate.UniqueUIDs(jobs, path)...)
}
