package daemon

import (
	"fmt"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/internal/validate"
)

// validateInputs checks the lists a sync reads besides the DaemonSet: what
// no API server holds (two objects of one name, a nameless or
// effect-less node, a negative revision number) and a back-off memory no
// controller could have built. A plan computed from such input would
// depend on the order of the lists, or pin pods to node "".
func (s State) validateInputs() field.ErrorList {
	nodesPath, podsPath, revsPath := field.NewPath("nodes"), field.NewPath("pods"), field.NewPath("revisions")
	var errs field.ErrorList
	errs = append(errs, validate.NoNilEntries(s.Nodes, nodesPath)...)
	errs = append(errs, validate.NoNilEntries(s.Pods, podsPath)...)
	errs = append(errs, validate.NoNilEntries(s.Revisions, revsPath)...)
	errs = append(errs, validate.UniqueNames(s.Nodes, nodesPath)...)
	errs = append(errs, validate.UniqueNames(s.Pods, podsPath)...)
	errs = append(errs, validate.UniqueUIDs(s.Pods, podsPath)...)
	errs = append(errs, validate.UniqueNames(s.Revisions, revsPath)...)
	for i, n := range s.Nodes {
		if n != nil && !nodeLooksValid(n) {
			errs = append(errs, validateNode(n, nodesPath.Index(i))...)
		}
	}
	for i, r := range s.Revisions {
		if r != nil && r.Revision < 0 {
			errs = append(errs, field.Invalid(revsPath.Index(i).Child("revision"), r.Revision, "must be greater than or equal to 0"))
		}
	}
	for k, e := range s.Backoff {
		path := field.NewPath("backoff").Key(k).Child("delay")
		switch {
		case e.Delay < 0:
			errs = append(errs, field.Invalid(path, e.Delay, "must not be negative"))
		case e.Delay > backoff.DaemonMax:
			errs = append(errs, field.Invalid(path, e.Delay, fmt.Sprintf("must not exceed the back-off's maximum, %s", backoff.DaemonMax)))
		}
	}
	return errs
}

// validateNode checks what the API server requires of a node that the
// sync reads: a name (pods are pinned to it) and taints with a known
// effect (an empty one would never count as NoSchedule or NoExecute).
func validateNode(n *v1.Node, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if n.Name == "" {
		errs = append(errs, field.Required(path.Child("metadata", "name"), ""))
	}
	for i, t := range n.Spec.Taints {
		tp := path.Child("spec", "taints").Index(i)
		if t.Key == "" {
			errs = append(errs, field.Required(tp.Child("key"), ""))
		}
		errs = append(errs, validateTaintEffect(t.Effect, false, tp.Child("effect"))...)
	}
	return errs
}

// nodeLooksValid is validateNode's test without building any error path,
// for the common case.
func nodeLooksValid(n *v1.Node) bool {
	if n.Name == "" {
		return false
	}
	for _, t := range n.Spec.Taints {
		switch t.Effect {
		case v1.TaintEffectNoSchedule, v1.TaintEffectPreferNoSchedule, v1.TaintEffectNoExecute:
		default:
			return false
		}
		if t.Key == "" {
			return false
		}
	}
	return true
}

var taintEffects = []string{string(v1.TaintEffectNoSchedule), string(v1.TaintEffectPreferNoSchedule), string(v1.TaintEffectNoExecute)}

func validateTaintEffect(e v1.TaintEffect, allowEmpty bool, path *field.Path) field.ErrorList {
	switch e {
	case v1.TaintEffectNoSchedule, v1.TaintEffectPreferNoSchedule, v1.TaintEffectNoExecute:
		return nil
	case "":
		if allowEmpty {
			return nil
		}
		return field.ErrorList{field.Required(path, "")}
	}
	return field.ErrorList{field.NotSupported(path, e, taintEffects)}
}

// validatePlacement checks the parts of a pod template that decide where
// daemon pods go, as the API server's pod validation does: node affinity
// operators and value counts, node field selectors (metadata.name only,
// one value), and tolerations (known operators and effects; Gt and Lt
// only with the TaintTolerationComparisonOperators gate, off in 1.37).
//
// A Gt or Lt requirement whose value is not an integer passes: the API
// server checks only that it is one valid label value. Upstream's parser
// then rejects the term, which matches no node, and so does the plan.
func validatePlacement(spec *v1.PodSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if a := spec.Affinity; a != nil && a.NodeAffinity != nil {
		na := a.NodeAffinity
		naPath := path.Child("affinity", "nodeAffinity")
		if req := na.RequiredDuringSchedulingIgnoredDuringExecution; req != nil {
			termsPath := naPath.Child("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
			if len(req.NodeSelectorTerms) == 0 {
				errs = append(errs, field.Required(termsPath, "must have at least one node selector term"))
			}
			for i := range req.NodeSelectorTerms {
				errs = append(errs, validateTerm(&req.NodeSelectorTerms[i], termsPath.Index(i))...)
			}
		}
		prefPath := naPath.Child("preferredDuringSchedulingIgnoredDuringExecution")
		for i := range na.PreferredDuringSchedulingIgnoredDuringExecution {
			t := &na.PreferredDuringSchedulingIgnoredDuringExecution[i]
			if t.Weight <= 0 || t.Weight > 100 {
				errs = append(errs, field.Invalid(prefPath.Index(i).Child("weight"), t.Weight, "must be in the range 1-100"))
			}
			errs = append(errs, validateTerm(&t.Preference, prefPath.Index(i).Child("preference"))...)
		}
	}
	tolPath := path.Child("tolerations")
	for i, t := range spec.Tolerations {
		p := tolPath.Index(i)
		if t.Key == "" && t.Operator != v1.TolerationOpExists {
			errs = append(errs, field.Invalid(p.Child("operator"), t.Operator, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
		}
		if t.TolerationSeconds != nil && t.Effect != v1.TaintEffectNoExecute {
			errs = append(errs, field.Invalid(p.Child("effect"), t.Effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
		}
		switch t.Operator {
		case v1.TolerationOpEqual, "":
		case v1.TolerationOpExists:
			if t.Value != "" {
				errs = append(errs, field.Invalid(p.Child("operator"), t.Value, "value must be empty when `operator` is 'Exists'"))
			}
		default:
			errs = append(errs, field.NotSupported(p.Child("operator"), t.Operator, []string{string(v1.TolerationOpEqual), string(v1.TolerationOpExists)}))
		}
		errs = append(errs, validateTaintEffect(t.Effect, true, p.Child("effect"))...)
	}
	return errs
}

// validateTerm checks one node selector term's requirements.
func validateTerm(term *v1.NodeSelectorTerm, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, r := range term.MatchExpressions {
		p := path.Child("matchExpressions").Index(i)
		switch r.Operator {
		case v1.NodeSelectorOpIn, v1.NodeSelectorOpNotIn:
			if len(r.Values) == 0 {
				errs = append(errs, field.Required(p.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
			}
		case v1.NodeSelectorOpExists, v1.NodeSelectorOpDoesNotExist:
			if len(r.Values) > 0 {
				errs = append(errs, field.Forbidden(p.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
			}
		case v1.NodeSelectorOpGt, v1.NodeSelectorOpLt:
			if len(r.Values) != 1 {
				errs = append(errs, field.Required(p.Child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"))
			}
		default:
			errs = append(errs, field.Invalid(p.Child("operator"), r.Operator, "not a valid selector operator"))
		}
		if r.Key == "" {
			errs = append(errs, field.Required(p.Child("key"), ""))
		}
	}
	for i, r := range term.MatchFields {
		p := path.Child("matchFields").Index(i)
		switch r.Operator {
		case v1.NodeSelectorOpIn, v1.NodeSelectorOpNotIn:
			if len(r.Values) != 1 {
				errs = append(errs, field.Required(p.Child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
			}
		default:
			errs = append(errs, field.Invalid(p.Child("operator"), r.Operator, "not a valid selector operator"))
		}
		if r.Key != metav1.ObjectNameField {
			errs = append(errs, field.Invalid(p.Child("key"), r.Key, "not a valid field selector key"))
		}
	}
	return errs
}
