package validate

import (
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/selector"
)

// TemplateSelector checks a workload's spec.selector against its
// spec.template as the API server does for ReplicaSets, Deployments and
// DaemonSets: the selector is required, must not be empty, must parse, and
// must match the template's labels. spec is the path of the workload's spec;
// errors name spec.selector or spec.template.metadata.labels below it.
// On success it returns the parsed selector.
func TemplateSelector(ls *metav1.LabelSelector, template *v1.PodTemplateSpec, spec *field.Path) (labels.Selector, field.ErrorList) {
	selPath := spec.Child("selector")
	if ls == nil {
		return nil, field.ErrorList{field.Required(selPath, "")}
	}
	var errs field.ErrorList
	if len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
		errs = append(errs, field.Invalid(selPath, ls, "empty selector is invalid"))
	}
	sel, err := selector.FromLabelSelector(ls, selPath)
	if err != nil {
		errs = append(errs, field.Invalid(selPath, ls, err.Error()))
		return nil, errs
	}
	if template == nil {
		return nil, append(errs, field.Required(spec.Child("template"), ""))
	}
	if !sel.Empty() && !sel.Matches(labels.Set(template.Labels)) {
		errs = append(errs, field.Invalid(spec.Child("template", "metadata", "labels"), template.Labels, "`selector` does not match template `labels`"))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return sel, nil
}

// NoNilEntries reports each nil entry of a list the caller passed in (pods,
// nodes, revisions, ...) as a required value at path[i].
func NoNilEntries[T any](list []*T, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, e := range list {
		if e == nil {
			errs = append(errs, field.Required(path.Index(i), ""))
		}
	}
	return errs
}
