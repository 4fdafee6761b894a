// Package dsutil holds the two DaemonSet facts that the daemon package, the
// generators and the conformance tests must agree on without daemon
// exporting them: the node a daemon pod is for, and the data of the
// ControllerRevision that records a template.
package dsutil

import (
	"encoding/json"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TargetNode returns the node a daemon pod is for: spec.nodeName once it is
// scheduled, and before that the node its required node affinity pins it to
// (the first matchFields requirement "metadata.name In [node]" of any term,
// which must have exactly one value). ok is false when the pod names no
// node that way; the controller then ignores it.
func TargetNode(p *v1.Pod) (node string, ok bool) {
	if p.Spec.NodeName != "" {
		return p.Spec.NodeName, true
	}
	a := p.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return "", false
	}
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		for _, req := range term.MatchFields {
			if req.Key == metav1.ObjectNameField && req.Operator == v1.NodeSelectorOpIn {
				if len(req.Values) != 1 {
					return "", false
				}
				return req.Values[0], true
			}
		}
	}
	return "", false
}

// RevisionData is the data of the ControllerRevision that records a
// DaemonSet's template: a strategic merge patch
// {"spec":{"template":{...,"$patch":"replace"}}} that restores it. It is
// also how a revision is matched to the DaemonSet: byte for byte. Keys
// come sorted at every level, since the template goes through a generic
// JSON map on the way (as upstream does, so numbers take float64's form).
func RevisionData(template *v1.PodTemplateSpec) ([]byte, error) {
	raw, err := json.Marshal(template)
	if err != nil {
		return nil, err
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return nil, err
	}
	generic["$patch"] = "replace"
	return json.Marshal(map[string]any{"spec": map[string]any{"template": generic}})
}
