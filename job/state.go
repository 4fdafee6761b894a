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
	// Pods of other namespaces are ignored.
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
	sel, selErrs := validate.TemplateSelector(j.Spec.Selector, &j.Spec.Template, spec)
	errs = append(errs, selErrs...)
	errs = append(errs, validateSpec(&j.Spec, spec)...)
	errs = append(errs, validateStatus(j, jPath.Child("status"))...)
	errs = append(errs, validate.NoNilEntries(s.Pods, field.NewPath("pods"))...)
	if len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	return sel, nil
}

// validateSpec mirrors the rules of the API server's Job validation that
// the controller relies on. Fields the server defaults (parallelism,
// backoffLimit, completionMode) are required here, since no stored Job
// lacks them.
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
	if s.ActiveDeadlineSeconds != nil && *s.ActiveDeadlineSeconds <= 0 {
		errs = append(errs, field.Invalid(path.Child("activeDeadlineSeconds"), *s.ActiveDeadlineSeconds, "must be greater than 0"))
	}
	if s.TTLSecondsAfterFinished != nil && *s.TTLSecondsAfterFinished < 0 {
		errs = append(errs, field.Invalid(path.Child("ttlSecondsAfterFinished"), *s.TTLSecondsAfterFinished, "must be greater than or equal to 0"))
	}
	rp := s.Template.Spec.RestartPolicy
	if rp != v1.RestartPolicyNever && rp != v1.RestartPolicyOnFailure {
		errs = append(errs, field.NotSupported(path.Child("template", "spec", "restartPolicy"), rp, []string{string(v1.RestartPolicyOnFailure), string(v1.RestartPolicyNever)}))
	}
	indexed := false
	modePath := path.Child("completionMode")
	switch {
	case s.CompletionMode == nil:
		errs = append(errs, field.Required(modePath, "the API server defaults it to NonIndexed"))
	case *s.CompletionMode == batch.IndexedCompletion:
		indexed = true
		if s.Completions == nil {
			errs = append(errs, field.Required(path.Child("completions"), "when completionMode is Indexed"))
		}
	case *s.CompletionMode != batch.NonIndexedCompletion:
		errs = append(errs, field.NotSupported(modePath, *s.CompletionMode, []string{string(batch.NonIndexedCompletion), string(batch.IndexedCompletion)}))
	}
	if s.BackoffLimitPerIndex != nil {
		nonNegative(s.BackoffLimitPerIndex, path.Child("backoffLimitPerIndex"))
		if !indexed {
			errs = append(errs, field.Forbidden(path.Child("backoffLimitPerIndex"), "requires indexed completion mode"))
		}
	}
	if m := s.MaxFailedIndexes; m != nil {
		mPath := path.Child("maxFailedIndexes")
		switch {
		case s.BackoffLimitPerIndex == nil:
			errs = append(errs, field.Required(path.Child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"))
		case *m < 0:
			errs = append(errs, field.Invalid(mPath, *m, "must be greater than or equal to 0"))
		case s.Completions != nil && *m > *s.Completions:
			errs = append(errs, field.Invalid(mPath, *m, "must be less than or equal to completions"))
		}
	}
	if s.SuccessPolicy != nil {
		errs = append(errs, validateSuccessPolicy(s, indexed, path.Child("successPolicy"))...)
	}
	if s.PodFailurePolicy != nil {
		errs = append(errs, validatePodFailurePolicy(s, path.Child("podFailurePolicy"))...)
	}
	if r := s.PodReplacementPolicy; r != nil {
		rPath := path.Child("podReplacementPolicy")
		switch {
		case *r != batch.TerminatingOrFailed && *r != batch.Failed:
			errs = append(errs, field.NotSupported(rPath, *r, []string{string(batch.TerminatingOrFailed), string(batch.Failed)}))
		case s.PodFailurePolicy != nil && *r != batch.Failed:
			errs = append(errs, field.NotSupported(rPath, *r, []string{string(batch.Failed)}))
		}
	}
	return errs
}

func validateSuccessPolicy(s *batch.JobSpec, indexed bool, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if !indexed {
		errs = append(errs, field.Invalid(path, s.SuccessPolicy, "requires indexed completion mode"))
	}
	rulesPath := path.Child("rules")
	if len(s.SuccessPolicy.Rules) == 0 {
		errs = append(errs, field.Required(rulesPath, "at least one rules must be specified when the successPolicy is specified"))
	}
	for i, r := range s.SuccessPolicy.Rules {
		rPath := rulesPath.Index(i)
		if r.SucceededIndexes == nil && r.SucceededCount == nil {
			errs = append(errs, field.Required(rPath, "at least one of succeededCount or succeededIndexes must be specified"))
		}
		if r.SucceededIndexes != nil && s.Completions != nil {
			if _, err := parseIndexes(*r.SucceededIndexes, *s.Completions, true); err != nil {
				errs = append(errs, field.Invalid(rPath.Child("succeededIndexes"), *r.SucceededIndexes, err.Error()))
			}
		}
		if c := r.SucceededCount; c != nil {
			cPath := rPath.Child("succeededCount")
			switch {
			case *c < 0:
				errs = append(errs, field.Invalid(cPath, *c, "must be greater than or equal to 0"))
			case s.Completions != nil && *c > *s.Completions:
				errs = append(errs, field.Invalid(cPath, *c, "must be less than or equal to completions"))
			}
		}
	}
	return errs
}

func validatePodFailurePolicy(s *batch.JobSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if s.Template.Spec.RestartPolicy != v1.RestartPolicyNever {
		errs = append(errs, field.Invalid(field.NewPath("job", "spec", "template", "spec", "restartPolicy"), s.Template.Spec.RestartPolicy, "only \"Never\" is supported when podFailurePolicy is specified"))
	}
	for i, r := range s.PodFailurePolicy.Rules {
		rPath := path.Child("rules").Index(i)
		switch r.Action {
		case batch.PodFailurePolicyActionFailJob, batch.PodFailurePolicyActionIgnore, batch.PodFailurePolicyActionCount:
		case batch.PodFailurePolicyActionFailIndex:
			if s.BackoffLimitPerIndex == nil {
				errs = append(errs, field.Invalid(rPath.Child("action"), r.Action, "requires the backoffLimitPerIndex to be set"))
			}
		default:
			errs = append(errs, field.NotSupported(rPath.Child("action"), r.Action, []string{"Count", "FailIndex", "FailJob", "Ignore"}))
		}
		if (r.OnExitCodes == nil) == (len(r.OnPodConditions) == 0) {
			errs = append(errs, field.Invalid(rPath, r, "specifying one of OnExitCodes and OnPodConditions is required"))
		}
		if ec := r.OnExitCodes; ec != nil {
			ecPath := rPath.Child("onExitCodes")
			if ec.Operator != batch.PodFailurePolicyOnExitCodesOpIn && ec.Operator != batch.PodFailurePolicyOnExitCodesOpNotIn {
				errs = append(errs, field.NotSupported(ecPath.Child("operator"), ec.Operator, []string{"In", "NotIn"}))
			}
			if len(ec.Values) == 0 {
				errs = append(errs, field.Required(ecPath.Child("values"), "at least one value is required"))
			}
		}
		for k, c := range r.OnPodConditions {
			if c.Status != v1.ConditionTrue && c.Status != v1.ConditionFalse && c.Status != v1.ConditionUnknown {
				errs = append(errs, field.NotSupported(rPath.Child("onPodConditions").Index(k).Child("status"), c.Status, []string{"True", "False", "Unknown"}))
			}
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
