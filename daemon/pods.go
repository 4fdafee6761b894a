package daemon

import (
	"sort"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// templateGenerationLabel is the pre-hash way to tell a pod's template:
// pods carry the DaemonSet's deprecated template generation annotation
// under this label.
const templateGenerationLabel = "pod-template-generation"

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

// templateGeneration is the DaemonSet's deprecated template generation
// annotation, or nil when it is absent or not a number.
func templateGeneration(ds *appsv1.DaemonSet) *int64 {
	s, ok := ds.Annotations[appsv1.DeprecatedTemplateGeneration]
	if !ok {
		return nil
	}
	g, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	return &g
}

// isUpdated reports whether a pod runs the current template: its
// controller-revision-hash label is hash, or its pod-template-generation
// label is the DaemonSet's template generation.
func isUpdated(p *v1.Pod, hash string, generation *int64) bool {
	if hash != "" && p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] == hash {
		return true
	}
	return generation != nil && p.Labels[templateGenerationLabel] == strconv.FormatInt(*generation, 10)
}

// sortOldestFirst orders the pods of one node as the controller ranks them
// when it keeps one: scheduled pods first, then by creation time, then by
// name. Pods of one namespace have distinct names, so the order is total.
func sortOldestFirst(pods []*v1.Pod) []*v1.Pod {
	out := append([]*v1.Pod(nil), pods...)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Spec.NodeName != "") != (b.Spec.NodeName != "") {
			return a.Spec.NodeName != ""
		}
		if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
			return a.CreationTimestamp.Before(&b.CreationTimestamp)
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.UID < b.UID
	})
	return out
}
