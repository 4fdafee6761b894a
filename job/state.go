package job

import (
	"fmt"
	"strings"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/internal/validate"
)

// jobKind is the group, version and kind written into the controller
// references of the pods a Job creates or adopts.
var jobKind = batch.SchemeGroupVersion.WithKind("Job")

// State is what one Job sync looks at.
type State struct {
	// Job is the object being synced, as the controller's cache holds it.
	Job *batch.Job
	// Pods are the pods of the Job's namespace: those it controls, orphans
	// it may adopt, and pods of other owners, which are never touched.
	// Pods of other namespaces are ignored. Each pod appears once: two
	// entries with one name or one UID are an error, as they would be
	// counted twice.
	Pods []*v1.Pod
	// Backoff is the pod re-creation back-off record the previous sync of
	// this Job returned (Plan.Backoff). Upstream keeps it in controller
	// memory; the zero record is what a freshly started controller has.
	// Jobs with backoffLimitPerIndex do not use it: their back-off is read
	// from the pods.
	Backoff backoff.JobRecord
}

// validate checks what the API server would have refused to store and what
// the reconciler needs to run, and returns the parsed selector.
func (s State) validate() (labels.Selector, error) {
	jPath := field.NewPath("job")
	j := s.Job
	if j == nil {
		return nil, field.ErrorList{field.Required(jPath, "")}.ToAggregate()
	}
	var errs field.ErrorList
	if j.Name == "" {
		errs = append(errs, field.Required(jPath.Child("metadata", "name"), ""))
	}
	spec := jPath.Child("spec")
	sel, selErrs := jobSelector(&j.Spec, spec)
	errs = append(errs, selErrs...)
	errs = append(errs, validate.TemplateDefaulted(&j.Spec.Template, spec.Child("template"))...)
	errs = append(errs, validateSpec(&j.Spec, spec)...)
	errs = append(errs, validateStatus(j, jPath.Child("status"))...)
	podsPath := field.NewPath("pods")
	errs = append(errs, validate.NoNilEntries(s.Pods, podsPath)...)
	for i, p := range s.Pods {
		if p != nil && !validate.PodLooksValid(p) {
			errs = append(errs, validate.Pod(p, podsPath.Index(i))...)
		}
	}
	errs = append(errs, validate.UniqueNames(s.Pods, podsPath)...)
	errs = append(errs, validate.UniqueUIDs(s.Pods, podsPath)...)
	if n := s.Backoff.FailuresAfterLastSuccess; n < 0 {
		errs = append(errs, field.Invalid(field.NewPath("backoff", "failuresAfterLastSuccess"), n, "must be greater than or equal to 0"))
	}
	if len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	return sel, nil
}

// jobSelector checks spec.selector as the API server does for a Job. Unlike
// the apps/v1 workloads, a Job with manualSelector may have the empty
// selector {}, which selects every pod of the namespace: the controller then
// adopts every orphan there.
func jobSelector(s *batch.JobSpec, spec *field.Path) (labels.Selector, field.ErrorList) {
	ls := s.Selector
	if ls != nil && len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 && s.ManualSelector != nil && *s.ManualSelector {
		return labels.Everything(), nil
	}
	return validate.TemplateSelector(ls, &s.Template, spec)
}

// knownCompletionMode reports whether the controller knows mode; a nil mode
// is NonIndexed to it.
func knownCompletionMode(mode *batch.CompletionMode) bool {
	return mode == nil || *mode == batch.NonIndexedCompletion || *mode == batch.IndexedCompletion
}

// validateSpec mirrors the rules of the API server's Job validation. Fields
// the server defaults and the controller reads without a nil check
// (parallelism, backoffLimit) are required here, since no stored Job lacks
// them; those the controller reads as unset (completionMode: NonIndexed,
// suspend: false, podReplacementPolicy: TerminatingOrFailed) may be nil.
// An unknown completionMode, which older API servers stored, is no error:
// the controller skips such a Job with a warning (see Reconcile), and the
// rules that depend on the mode are not applied to it.
func validateSpec(s *batch.JobSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	nonNegative := func(v *int32, p *field.Path) {
		if v != nil && *v < 0 {
			errs = append(errs, field.Invalid(p, *v, "must be greater than or equal to 0"))
		}
	}
	if s.Parallelism == nil {
		errs = append(errs, field.Required(path.Child("parallelism"), "the API server defaults it to 1"))
	}
	nonNegative(s.Parallelism, path.Child("parallelism"))
	nonNegative(s.Completions, path.Child("completions"))
	if s.BackoffLimit == nil {
		errs = append(errs, field.Required(path.Child("backoffLimit"), "the API server defaults it to 6"))
	}
	nonNegative(s.BackoffLimit, path.Child("backoffLimit"))
	if s.ActiveDeadlineSeconds != nil && *s.ActiveDeadlineSeconds < 0 {
		errs = append(errs, field.Invalid(path.Child("activeDeadlineSeconds"), *s.ActiveDeadlineSeconds, "must be greater than or equal to 0"))
	}
	if s.TTLSecondsAfterFinished != nil && *s.TTLSecondsAfterFinished < 0 {
		errs = append(errs, field.Invalid(path.Child("ttlSecondsAfterFinished"), *s.TTLSecondsAfterFinished, "must be greater than or equal to 0"))
	}
	nonNegative(s.BackoffLimitPerIndex, path.Child("backoffLimitPerIndex"))
	nonNegative(s.MaxFailedIndexes, path.Child("maxFailedIndexes"))
	if s.MaxFailedIndexes != nil && s.BackoffLimitPerIndex == nil {
		errs = append(errs, field.Required(path.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
	}
	errs = append(errs, validateManagedBy(s.ManagedBy, path.Child("managedBy"))...)
	rp := s.Template.Spec.RestartPolicy
	if rp != v1.RestartPolicyNever && rp != v1.RestartPolicyOnFailure {
		errs = append(errs, field.NotSupported(path.Child("template", "spec", "restartPolicy"), rp, []string{string(v1.RestartPolicyOnFailure), string(v1.RestartPolicyNever)}))
	}
	switch {
	case !knownCompletionMode(s.CompletionMode):
	case isIndexedSpec(s):
		errs = append(errs, validateIndexed(s, path)...)
	default:
		if s.BackoffLimitPerIndex != nil {
			errs = append(errs, field.Invalid(path.Child("backoffLimitPerIndex"), *s.BackoffLimitPerIndex, "requires indexed completion mode"))
		}
		if s.MaxFailedIndexes != nil {
			errs = append(errs, field.Invalid(path.Child("maxFailedIndexes"), *s.MaxFailedIndexes, "requires indexed completion mode"))
		}
	}
	if s.SuccessPolicy != nil && knownCompletionMode(s.CompletionMode) {
		if !isIndexedSpec(s) {
			errs = append(errs, field.Invalid(path.Child("successPolicy"), s.SuccessPolicy, "requires indexed completion mode"))
		} else {
			errs = append(errs, validateSuccessPolicy(s, path.Child("successPolicy"))...)
		}
	}
	if s.PodFailurePolicy != nil {
		errs = append(errs, validatePodFailurePolicy(s, path.Child("podFailurePolicy"))...)
	}
	if r := s.PodReplacementPolicy; r != nil {
		rPath := path.Child("podReplacementPolicy")
		switch {
		case s.PodFailurePolicy != nil && *r != batch.Failed:
			errs = append(errs, field.NotSupported(rPath, *r, []string{string(batch.Failed)}))
		case *r != batch.TerminatingOrFailed && *r != batch.Failed:
			errs = append(errs, field.NotSupported(rPath, *r, []string{string(batch.Failed), string(batch.TerminatingOrFailed)}))
		}
	}
	return errs
}

func isIndexedSpec(s *batch.JobSpec) bool {
	return s.CompletionMode != nil && *s.CompletionMode == batch.IndexedCompletion
}

// Limits of the API server's validation of an Indexed Job.
const (
	// maxIndexedParallelism caps parallelism, and so the length of
	// status.completedIndexes.
	maxIndexedParallelism = 100_000
	// maxFailedIndexesLimit caps maxFailedIndexes.
	maxFailedIndexesLimit = 100_000
	// Above completionsSoftLimit completions with backoffLimitPerIndex,
	// maxFailedIndexes is required and it and parallelism are capped
	// at highCompletionsLimit.
	completionsSoftLimit = 100_000
	highCompletionsLimit = 10_000
)

func validateIndexed(s *batch.JobSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.Completions == nil {
		errs = append(errs, field.Required(path.Child("completions"), "when completion mode is Indexed"))
	}
	if s.Parallelism != nil && *s.Parallelism > maxIndexedParallelism {
		errs = append(errs, field.Invalid(path.Child("parallelism"), *s.Parallelism, fmt.Sprintf("must be less than or equal to %d when completion mode is Indexed", maxIndexedParallelism)))
	}
	mPath := path.Child("maxFailedIndexes")
	if m := s.MaxFailedIndexes; m != nil {
		if s.Completions != nil && *m > *s.Completions {
			errs = append(errs, field.Invalid(mPath, *m, "must be less than or equal to completions"))
		}
		if *m > maxFailedIndexesLimit {
			errs = append(errs, field.Invalid(mPath, *m, fmt.Sprintf("must be less than or equal to %d", maxFailedIndexesLimit)))
		}
	}
	if s.Completions != nil && *s.Completions > completionsSoftLimit && s.BackoffLimitPerIndex != nil {
		why := fmt.Sprintf("must be less than or equal to %d when completions are above %d and used with backoff limit per index", highCompletionsLimit, completionsSoftLimit)
		if s.MaxFailedIndexes == nil {
			errs = append(errs, field.Required(mPath, fmt.Sprintf("must be specified when completions is above %d", completionsSoftLimit)))
		} else if *s.MaxFailedIndexes > highCompletionsLimit {
			errs = append(errs, field.Invalid(mPath, *s.MaxFailedIndexes, why))
		}
		if s.Parallelism != nil && *s.Parallelism > highCompletionsLimit {
			errs = append(errs, field.Invalid(path.Child("parallelism"), *s.Parallelism, why))
		}
	}
	return errs
}

// validateStatus checks the parts of the status the controller parses.
func validateStatus(j *batch.Job, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if j.Status.Succeeded < 0 {
		errs = append(errs, field.Invalid(path.Child("succeeded"), j.Status.Succeeded, "must be greater than or equal to 0"))
	}
	if j.Status.Failed < 0 {
		errs = append(errs, field.Invalid(path.Child("failed"), j.Status.Failed, "must be greater than or equal to 0"))
	}
	if j.Status.Active < 0 {
		errs = append(errs, field.Invalid(path.Child("active"), j.Status.Active, "must be greater than or equal to 0"))
	}
	if u := j.Status.UncountedTerminatedPods; u != nil {
		for _, list := range []struct {
			name string
			uids []string
		}{{"succeeded", uidStrings(u.Succeeded)}, {"failed", uidStrings(u.Failed)}} {
			for i, uid := range list.uids {
				if uid == "" {
					errs = append(errs, field.Required(path.Child("uncountedTerminatedPods", list.name).Index(i), ""))
				}
			}
		}
	}
	return errs
}

func uidStrings[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, u := range in {
		out[i] = string(u)
	}
	return out
}

// describeIndexErr formats an index-list parse problem.
func describeIndexErr(s string, msg string) error {
	return fmt.Errorf("%s: %q", msg, strings.TrimSpace(s))
}
