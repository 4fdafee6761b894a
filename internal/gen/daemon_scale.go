package gen

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/workload"
)

// CleanDaemonSet is a fluentd DaemonSet with image, rolling out with
// maxUnavailable (surge false) or maxSurge (surge true) set to limit.
func CleanDaemonSet(image string, surge bool, limit intstr.IntOrString, now time.Time) *appsv1.DaemonSet {
	labels := map[string]string{"app": "fluentd"}
	zero := intstr.FromInt32(0)
	ru := &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &limit, MaxSurge: &zero}
	if surge {
		ru = &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &zero, MaxSurge: &limit}
	}
	return &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "fluentd", Namespace: "default", UID: "fluentd-uid", Generation: 1,
			CreationTimestamp: metav1.NewTime(now.Add(-time.Hour))},
		Spec: appsv1.DaemonSetSpec{
			Selector:             &metav1.LabelSelector{MatchLabels: labels},
			Template:             DaemonSetTemplate(image, labels),
			UpdateStrategy:       appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: ru},
			RevisionHistoryLimit: ptrInt32(10),
		},
	}
}

// PlainNodes are n untainted nodes named node-0 … node-(n-1).
func PlainNodes(n int) []*v1.Node {
	out := make([]*v1.Node, n)
	for i := range out {
		name := fmt.Sprintf("node-%d", i)
		out[i] = &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID(name + "-uid"), Labels: map[string]string{"kubernetes.io/hostname": name}}}
	}
	return out
}

// DaemonSetAtScale is a benchmark state: n nodes, a DaemonSet part-way
// through a rolling update (maxUnavailable 10%) from fluentd:1.16 to 1.17:
// a tenth of the nodes already run the new pod, the rest an old ready one,
// every twentieth node has no pod, and both revisions exist.
func DaemonSetAtScale(n int, now time.Time) DaemonSetState {
	ds := CleanDaemonSet("fluentd:1.17", false, intstr.FromString("10%"), now)
	ds.Generation = 2
	ds.Status.ObservedGeneration = 1
	oldTmpl := DaemonSetTemplate("fluentd:1.16", ds.Spec.Template.Labels)
	st := DaemonSetState{DaemonSet: ds, Nodes: PlainNodes(n)}
	var hashes [2]string
	for i, tmpl := range []v1.PodTemplateSpec{oldTmpl, ds.Spec.Template} {
		hash := workload.ComputeHash(&tmpl, nil)
		hashes[i] = hash
		data, _ := dsutil.RevisionData(&tmpl)
		st.Revisions = append(st.Revisions, &appsv1.ControllerRevision{
			ObjectMeta: metav1.ObjectMeta{Name: "fluentd-" + hash, Namespace: "default", UID: types.UID("rev-" + hash),
				Labels:          map[string]string{"app": "fluentd", appsv1.DefaultDaemonSetUniqueLabelKey: hash},
				OwnerReferences: []metav1.OwnerReference{daemonOwnerRef(ds)}},
			Data: runtime.RawExtension{Raw: data}, Revision: int64(i + 1),
		})
	}
	for i, node := range st.Nodes {
		if i%20 == 19 {
			continue
		}
		v := 0
		if i%10 == 0 {
			v = 1
		}
		name := fmt.Sprintf("fluentd-n%05d", i)
		p := &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID(name + "-uid"),
				Labels:            map[string]string{"app": "fluentd", appsv1.DefaultDaemonSetUniqueLabelKey: hashes[v]},
				OwnerReferences:   []metav1.OwnerReference{daemonOwnerRef(ds)},
				CreationTimestamp: metav1.NewTime(now.Add(-time.Hour))},
			Spec: *oldTmpl.Spec.DeepCopy(),
			Status: v1.PodStatus{Phase: v1.PodRunning, Conditions: []v1.PodCondition{
				{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(now.Add(-time.Hour))}}},
		}
		p.Spec.NodeName = node.Name
		st.Pods = append(st.Pods, p)
	}
	return st
}
