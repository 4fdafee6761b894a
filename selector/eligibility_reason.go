package selector

import (
	"fmt"
	"sort"
	"strings"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
)

// causeKind is which rule kept a DaemonSet's pod off a node.
type causeKind uint8

const (
	causeNone causeKind = iota
	causeNodeName
	causeAffinity
	causeTaint
)

// cause is what Node found, kept as pointers into the inputs so that a
// decision costs no allocation; Reason reads them later.
type cause struct {
	kind         causeKind
	nodeName     string            // causeNodeName: the node the template names
	node         *v1.Node          // causeAffinity: the node that did not match
	nodeSelector map[string]string // causeAffinity
	required     *v1.NodeSelector  // causeAffinity
	taint        v1.Taint          // causeTaint: the first untolerated taint
}

// Reason says in a few words why the pod should not run: the node the
// template names, the nodeSelector label or the required node affinity
// requirement the node fails (one per term), or the taint that is not
// tolerated. It is empty when ShouldRun holds. The words are built on each
// call, from the node and template the decision was made on: those must
// not have changed since.
func (e Eligibility) Reason() string {
	c := e.why
	switch c.kind {
	case causeNodeName:
		return "template names node " + c.nodeName
	case causeAffinity:
		return affinityReason(c)
	case causeTaint:
		return "taint " + c.taint.ToString() + " is not tolerated"
	}
	return ""
}

// affinityReason names the first nodeSelector entry the node fails, or
// else, for each required node affinity term, the first requirement it
// fails.
func affinityReason(c cause) string {
	labels := c.node.Labels
	keys := make([]string, 0, len(c.nodeSelector))
	for k := range c.nodeSelector {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		want := c.nodeSelector[k]
		if got, ok := labels[k]; !ok {
			return fmt.Sprintf("nodeSelector %s=%s: the node has no label %s", k, want, k)
		} else if got != want {
			return fmt.Sprintf("nodeSelector %s=%s: the node has %s=%s", k, want, k, got)
		}
	}
	if c.required == nil {
		return "node does not match the nodeSelector or required node affinity"
	}
	terms := c.required.NodeSelectorTerms
	if len(terms) == 0 {
		return "required node affinity has no terms"
	}
	parts := make([]string, len(terms))
	for i := range terms {
		parts[i] = termReason(&terms[i], c.node)
	}
	if len(parts) == 1 {
		return "required node affinity: " + parts[0]
	}
	return "required node affinity, no term matches: " + strings.Join(parts, "; ")
}

// termReason describes the first requirement of term that node fails.
func termReason(term *v1.NodeSelectorTerm, node *v1.Node) string {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return "an empty term matches no node"
	}
	for _, req := range term.MatchExpressions {
		if why, failed := requirementReason(v1.NodeSelectorTerm{MatchExpressions: []v1.NodeSelectorRequirement{req}}, req, node, false); failed {
			return why
		}
	}
	for _, req := range term.MatchFields {
		if why, failed := requirementReason(v1.NodeSelectorTerm{MatchFields: []v1.NodeSelectorRequirement{req}}, req, node, true); failed {
			return why
		}
	}
	return "the term does not match"
}

// requirementReason checks one requirement alone, with the same matcher
// the decision used, and describes it when it fails.
func requirementReason(term v1.NodeSelectorTerm, req v1.NodeSelectorRequirement, node *v1.Node, isField bool) (string, bool) {
	text := req.Key + " " + string(req.Operator)
	if len(req.Values) > 0 {
		text += " [" + strings.Join(req.Values, " ") + "]"
	}
	ns, err := nodeaffinity.NewNodeSelector(&v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{term}})
	if err != nil {
		return text + " does not parse: " + err.Error(), true
	}
	if ns.Match(node) {
		return "", false
	}
	switch {
	case isField && req.Key == metav1.ObjectNameField:
		return text + " (the node is " + node.Name + ")", true
	case isField:
		return text + " (no such node field)", true
	}
	if v, ok := node.Labels[req.Key]; ok {
		return text + " (the node has " + req.Key + "=" + v + ")", true
	}
	return text + " (the node has no label " + req.Key + ")", true
}
