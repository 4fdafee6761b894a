package selector

import (
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// supportedOperators lists the operators a metav1.LabelSelectorRequirement
// may carry, in the order they are reported when another one is used.
var supportedOperators = []string{
	string(metav1.LabelSelectorOpIn),
	string(metav1.LabelSelectorOpNotIn),
	string(metav1.LabelSelectorOpExists),
	string(metav1.LabelSelectorOpDoesNotExist),
}

// FromLabelSelector converts a metav1.LabelSelector as upstream
// metav1.LabelSelectorAsSelector does: nil matches nothing, a non-nil
// selector without matchLabels and matchExpressions matches everything, and
// every other selector is the conjunction of its requirements.
//
// Upstream stops at the first invalid requirement, and which one is first
// depends on map order. Here every problem is reported, each with a field
// path below path: matchLabels[key] for a label, matchExpressions[i] (and
// .key, .operator, .values[j]) for an expression. The input is never
// modified and the selector shares no memory with it.
func FromLabelSelector(s *metav1.LabelSelector, path *field.Path) (labels.Selector, error) {
	if s == nil {
		return labels.Nothing(), nil
	}
	if len(s.MatchLabels)+len(s.MatchExpressions) == 0 {
		return labels.Everything(), nil
	}
	var errs field.ErrorList
	reqs := make([]labels.Requirement, 0, len(s.MatchLabels)+len(s.MatchExpressions))

	// Walk the labels in key order so that both the requirements and the
	// error list come out the same on every call.
	keys := make([]string, 0, len(s.MatchLabels))
	for k := range s.MatchLabels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	labelsPath := path.Child("matchLabels")
	for _, k := range keys {
		r, err := labels.NewRequirement(k, selection.Equals, []string{s.MatchLabels[k]}, field.WithPath(labelsPath.Key(k)))
		if err != nil {
			errs = append(errs, flatten(err)...)
			continue
		}
		reqs = append(reqs, *r)
	}

	exprsPath := path.Child("matchExpressions")
	for i, expr := range s.MatchExpressions {
		p := exprsPath.Index(i)
		op, ok := operatorOf(expr.Operator)
		if !ok {
			errs = append(errs, field.NotSupported(p.Child("operator"), expr.Operator, supportedOperators))
			continue
		}
		// Copy the values: the requirement must not alias the caller's slice.
		values := append([]string(nil), expr.Values...)
		r, err := labels.NewRequirement(expr.Key, op, values, field.WithPath(p))
		if err != nil {
			errs = append(errs, flatten(err)...)
			continue
		}
		reqs = append(reqs, *r)
	}
	if len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	return labels.NewSelector().Add(reqs...), nil
}

// operatorOf maps an API operator to the labels package's operator.
func operatorOf(op metav1.LabelSelectorOperator) (selection.Operator, bool) {
	switch op {
	case metav1.LabelSelectorOpIn:
		return selection.In, true
	case metav1.LabelSelectorOpNotIn:
		return selection.NotIn, true
	case metav1.LabelSelectorOpExists:
		return selection.Exists, true
	case metav1.LabelSelectorOpDoesNotExist:
		return selection.DoesNotExist, true
	}
	return "", false
}

// flatten turns the aggregate that labels.NewRequirement returns back into
// field errors, so that all problems of a selector end up in one flat list.
func flatten(err error) field.ErrorList {
	var out field.ErrorList
	if agg, ok := err.(interface{ Errors() []error }); ok {
		for _, e := range agg.Errors() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	if fe, ok := err.(*field.Error); ok {
		return field.ErrorList{fe}
	}
	return field.ErrorList{field.InternalError(nil, err)}
}
