package job

import (
	"fmt"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/validate/content"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Limits of the API server's validation of a Job's policies.
const (
	maxPodFailurePolicyRules         = 20
	maxExitCodeValues                = 255
	maxOnPodConditionsPatterns       = 20
	maxSuccessPolicyRules            = 20
	maxSucceededIndexesLength        = 64 * 1024
	maxManagedByLength               = 63
	supportedPodFailurePolicyActions = "Count, FailIndex, FailJob, Ignore"
)

// validateManagedBy: a domain-prefixed path of at most 63 characters.
func validateManagedBy(m *string, path *field.Path) field.ErrorList {
	if m == nil {
		return nil
	}
	errs := validation.IsDomainPrefixedPath(path, *m)
	if len(*m) > maxManagedByLength {
		errs = append(errs, field.TooLong(path, *m, maxManagedByLength))
	}
	return errs
}

func validateSuccessPolicy(s *batch.JobSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	rulesPath := path.Child("rules")
	switch n := len(s.SuccessPolicy.Rules); {
	case n == 0:
		errs = append(errs, field.Required(rulesPath, "at least one rules must be specified when the successPolicy is specified"))
	case n > maxSuccessPolicyRules:
		errs = append(errs, field.TooMany(rulesPath, n, maxSuccessPolicyRules))
	}
	for i, r := range s.SuccessPolicy.Rules {
		rPath := rulesPath.Index(i)
		if r.SucceededIndexes == nil && r.SucceededCount == nil {
			errs = append(errs, field.Required(rPath, "at least one of succeededCount or succeededIndexes must be specified"))
		}
		total := -1
		if r.SucceededIndexes != nil && s.Completions != nil {
			ixPath := rPath.Child("succeededIndexes")
			if len(*r.SucceededIndexes) > maxSucceededIndexesLength {
				errs = append(errs, field.TooLong(ixPath, "", maxSucceededIndexesLength))
			}
			if ix, err := parseIndexes(*r.SucceededIndexes, *s.Completions, true); err != nil {
				errs = append(errs, field.Invalid(ixPath, *r.SucceededIndexes, "error parsing succeededIndexes: "+err.Error()))
			} else {
				total = ix.total()
			}
		}
		if c := r.SucceededCount; c != nil {
			cPath := rPath.Child("succeededCount")
			switch {
			case *c < 0:
				errs = append(errs, field.Invalid(cPath, *c, "must be greater than or equal to 0"))
			case s.Completions != nil && *c > *s.Completions:
				errs = append(errs, field.Invalid(cPath, *c, "must be less than or equal to completions"))
			case r.SucceededIndexes != nil && total >= 0 && int(*c) > total:
				errs = append(errs, field.Invalid(cPath, *c, fmt.Sprintf("must be less than or equal to %d (the number of indexes in the specified succeededIndexes field)", total)))
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
	rulesPath := path.Child("rules")
	if n := len(s.PodFailurePolicy.Rules); n > maxPodFailurePolicyRules {
		errs = append(errs, field.TooMany(rulesPath, n, maxPodFailurePolicyRules))
	}
	containers := map[string]bool{}
	for _, c := range s.Template.Spec.Containers {
		containers[c.Name] = true
	}
	for _, c := range s.Template.Spec.InitContainers {
		containers[c.Name] = true
	}
	for i, r := range s.PodFailurePolicy.Rules {
		rPath := rulesPath.Index(i)
		aPath := rPath.Child("action")
		switch r.Action {
		case batch.PodFailurePolicyActionFailJob, batch.PodFailurePolicyActionIgnore, batch.PodFailurePolicyActionCount:
		case "":
			errs = append(errs, field.Required(aPath, "valid values: "+supportedPodFailurePolicyActions))
		case batch.PodFailurePolicyActionFailIndex:
			if s.BackoffLimitPerIndex == nil {
				errs = append(errs, field.Invalid(aPath, r.Action, "requires the backoffLimitPerIndex to be set"))
			}
		default:
			errs = append(errs, field.NotSupported(aPath, r.Action, []string{"Count", "FailIndex", "FailJob", "Ignore"}))
		}
		switch {
		case r.OnExitCodes != nil && len(r.OnPodConditions) > 0:
			errs = append(errs, field.Invalid(rPath, field.OmitValueType{}, "specifying both OnExitCodes and OnPodConditions is not supported"))
		case r.OnExitCodes == nil && len(r.OnPodConditions) == 0:
			errs = append(errs, field.Invalid(rPath, field.OmitValueType{}, "specifying one of OnExitCodes and OnPodConditions is required"))
		}
		if r.OnExitCodes != nil {
			errs = append(errs, validateOnExitCodes(r.OnExitCodes, containers, rPath.Child("onExitCodes"))...)
		}
		errs = append(errs, validateOnPodConditions(r.OnPodConditions, rPath.Child("onPodConditions"))...)
	}
	return errs
}

// validateOnExitCodes: a known operator, a container of the template, and
// 1 to 255 exit codes, ascending, without repeats, and no 0 under In (a
// container that exits 0 has not failed).
func validateOnExitCodes(ec *batch.PodFailurePolicyOnExitCodesRequirement, containers map[string]bool, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	opPath := path.Child("operator")
	switch ec.Operator {
	case batch.PodFailurePolicyOnExitCodesOpIn, batch.PodFailurePolicyOnExitCodesOpNotIn:
	case "":
		errs = append(errs, field.Required(opPath, "valid values: In, NotIn"))
	default:
		errs = append(errs, field.NotSupported(opPath, ec.Operator, []string{"In", "NotIn"}))
	}
	if ec.ContainerName != nil && !containers[*ec.ContainerName] {
		errs = append(errs, field.Invalid(path.Child("containerName"), *ec.ContainerName, "must be one of the container or initContainer names in the pod template"))
	}
	vPath := path.Child("values")
	switch n := len(ec.Values); {
	case n == 0:
		errs = append(errs, field.Invalid(vPath, ec.Values, "at least one value is required"))
	case n > maxExitCodeValues:
		errs = append(errs, field.TooMany(vPath, n, maxExitCodeValues))
	}
	seen := make(map[int32]bool, len(ec.Values))
	ordered := true
	for k, v := range ec.Values {
		if ec.Operator == batch.PodFailurePolicyOnExitCodesOpIn && v == 0 {
			errs = append(errs, field.Invalid(vPath.Index(k), v, "must not be 0 for the In operator"))
		}
		if seen[v] {
			errs = append(errs, field.Duplicate(vPath.Index(k), v))
		}
		seen[v] = true
		if k > 0 && ec.Values[k-1] > v {
			ordered = false
		}
	}
	if !ordered {
		errs = append(errs, field.Invalid(vPath, ec.Values, "must be ordered"))
	}
	return errs
}

// validateOnPodConditions: at most 20 patterns, each a qualified condition
// type and a status of True, False or Unknown.
func validateOnPodConditions(patterns []batch.PodFailurePolicyOnPodConditionsPattern, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if n := len(patterns); n > maxOnPodConditionsPatterns {
		errs = append(errs, field.TooMany(path, n, maxOnPodConditionsPatterns))
	}
	for k, c := range patterns {
		pPath := path.Index(k)
		for _, msg := range content.IsLabelKey(string(c.Type)) {
			errs = append(errs, field.Invalid(pPath.Child("type"), c.Type, msg))
		}
		sPath := pPath.Child("status")
		switch c.Status {
		case v1.ConditionTrue, v1.ConditionFalse, v1.ConditionUnknown:
		case "":
			errs = append(errs, field.Required(sPath, "valid values: False, True, Unknown"))
		default:
			errs = append(errs, field.NotSupported(sPath, c.Status, []string{"False", "True", "Unknown"}))
		}
	}
	return errs
}
