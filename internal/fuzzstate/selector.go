package fuzzstate

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// EligibilityInput is a node and the DaemonSets asked about it.
type EligibilityInput struct {
	Node       *v1.Node
	DaemonSets []*appsv1.DaemonSet
}

// Eligibility builds a node (labels, taints, a name the affinity may
// name) and up to three DaemonSets with placements: nodeSelector, node
// affinity terms (including operators and values the API server refuses,
// which match no node), tolerations, hostNetwork, spec.nodeName; one
// perhaps being deleted.
func Eligibility(r *Reader, now time.Time) EligibilityInput {
	in := EligibilityInput{Node: Node(r, r.Intn(3))}
	if r.OneIn(3) {
		in.Node.Labels["cpus"] = Pick(r, "2", "8", "x")
	}
	for i := range r.IntRange(1, 3) {
		tmpl := podTemplate("agent:1", map[string]string{"app": "agent"}, v1.RestartPolicyAlways)
		Placement(r, &tmpl.Spec)
		if a := tmpl.Spec.Affinity; a != nil && r.OneIn(6) {
			terms := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
			terms = append(terms, v1.NodeSelectorTerm{MatchExpressions: []v1.NodeSelectorRequirement{{
				Key: Pick(r, "role", "", "cpus"), Operator: Pick[v1.NodeSelectorOperator](r, "Gt", "Near", "In"), Values: Pick(r, []string{"x"}, nil, []string{"1", "2"}),
			}}})
			a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms = terms
		}
		if r.OneIn(8) {
			tmpl.Spec.Tolerations = append(tmpl.Spec.Tolerations, v1.Toleration{Key: "dedicated", Operator: Pick[v1.TolerationOperator](r, "Equal", "Exists", "Lt"), Value: Pick(r, "gpu", ""), Effect: Pick(r, v1.TaintEffectNoExecute, "")})
		}
		ds := &appsv1.DaemonSet{
			ObjectMeta: metav1.ObjectMeta{Name: name("agent-", i), Namespace: Pick(r, Namespace, Namespace, OtherNamespace), UID: types.UID(name("agent-uid-", i))},
			Spec:       appsv1.DaemonSetSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}}, Template: tmpl},
		}
		if r.OneIn(8) {
			ts := ago(r, now)
			ds.DeletionTimestamp = &ts
		}
		in.DaemonSets = append(in.DaemonSets, ds)
	}
	if r.OneIn(40) {
		in.DaemonSets = append(in.DaemonSets, nil)
	}
	if r.OneIn(40) {
		in.Node = nil
	}
	return in
}

// CloneEligibility deep-copies in.
func CloneEligibility(in EligibilityInput) EligibilityInput {
	in.Node = in.Node.DeepCopy()
	in.DaemonSets = cloneList(in.DaemonSets)
	return in
}

// PermuteEligibility reorders in's DaemonSets. A node's taints keep their
// order: it is part of the node (the first untolerated one is named).
func PermuteEligibility(r *Reader, in EligibilityInput) EligibilityInput {
	in.DaemonSets = Permute(r, in.DaemonSets)
	return in
}

// Label keys and values: valid ones, and ones the API server refuses.
var (
	selectorKeys     = []string{"app", "tier", "example.com/team", "x_y", "UPPER"}
	badSelectorKeys  = []string{"a/b/c", "", "-x", "k.io/"}
	selectorValues   = []string{"web", "db", "", "v1.2"}
	badSelectorValue = []string{"x_", "a b", "-v"}
)

// LabelSelector draws a label selector: nil, empty (selects everything),
// or up to two matchLabels and two matchExpressions over a few keys, with
// every operator (and an unknown one) and zero to two values.
func LabelSelector(r *Reader) *metav1.LabelSelector {
	switch r.Intn(16) {
	case 0:
		return nil
	case 1:
		return &metav1.LabelSelector{}
	}
	s := &metav1.LabelSelector{}
	for range r.Intn(3) {
		if s.MatchLabels == nil {
			s.MatchLabels = map[string]string{}
		}
		s.MatchLabels[selectorKey(r)] = selectorValue(r)
	}
	for range r.Intn(3) {
		req := metav1.LabelSelectorRequirement{
			Key:      selectorKey(r),
			Operator: Pick(r, metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn, metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist),
		}
		if r.OneIn(10) {
			req.Operator = Pick[metav1.LabelSelectorOperator](r, "Gt", "in", "")
		}
		// Mostly the number of values the operator wants: none for
		// Exists and DoesNotExist, some for the others.
		n := r.IntRange(1, 2)
		if req.Operator == metav1.LabelSelectorOpExists || req.Operator == metav1.LabelSelectorOpDoesNotExist {
			n = 0
		}
		if r.OneIn(8) {
			n = r.Intn(3)
		}
		for range n {
			req.Values = append(req.Values, selectorValue(r))
		}
		s.MatchExpressions = append(s.MatchExpressions, req)
	}
	return s
}

// LabelSets are label sets to try a selector on: empty, and each drawn
// from the same keys and values as LabelSelector.
func LabelSets(r *Reader) []map[string]string {
	sets := []map[string]string{{}, {"app": "web"}, {"app": "db", "tier": "web"}}
	for range r.Intn(3) {
		set := map[string]string{}
		for range r.IntRange(1, 3) {
			set[selectorKey(r)] = selectorValue(r)
		}
		sets = append(sets, set)
	}
	return sets
}

// selectorKey is a label key, now and then an invalid one.
func selectorKey(r *Reader) string {
	if r.OneIn(10) {
		return Pick(r, badSelectorKeys...)
	}
	return Pick(r, selectorKeys...)
}

// selectorValue is a label value, now and then an invalid one.
func selectorValue(r *Reader) string {
	if r.OneIn(10) {
		return Pick(r, badSelectorValue...)
	}
	return Pick(r, selectorValues...)
}
