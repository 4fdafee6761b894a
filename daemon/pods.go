package daemon

import (
	"sort"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
)

// templateGenerationLabel is the pre-hash way to tell a pod's template:
// pods carry the DaemonSet's deprecated template generation annotation
// under this label.
const templateGenerationLabel = "pod-template-generation"

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
