package daemon_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/apidefault"
)

// A fluentd DaemonSet on a fresh cluster of two workers and a tainted
// control-plane node: the first sync records the template as revision 1,
// starts a pod on each worker, records an event per pod and writes the
// status.
func ExampleReconcile() {
	one := intstr.FromInt32(1)
	ten := int32(10)
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{Name: "fluentd", Namespace: "kube-system", UID: "fluentd-uid", Generation: 1},
		Spec: appsv1.DaemonSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "fluentd"}},
			// As the API server stores it: with restartPolicy, dnsPolicy and
			// the other fields it always defaults.
			Template: apidefault.Template(v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "fluentd"}},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "fluentd", Image: "fluentd:1.17"}}},
			}),
			UpdateStrategy: appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &one}},
			RevisionHistoryLimit: &ten,
		},
	}
	node := func(name string, taints ...v1.Taint) *v1.Node {
		return &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v1.NodeSpec{Taints: taints}}
	}
	nodes := []*v1.Node{
		node("worker-1"), node("worker-2"),
		node("control-plane", v1.Taint{Key: "node-role.kubernetes.io/control-plane", Effect: v1.TaintEffectNoSchedule}),
	}
	plan, err := daemon.Reconcile(daemon.State{DaemonSet: ds, Nodes: nodes}, time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	for _, a := range plan.Actions {
		fmt.Println(a)
	}
	// The events upstream's recorder gets: one per pod created (the API
	// server names the pod, so the plan's message names none).
	for _, e := range plan.Events {
		fmt.Println("event", e.Type, e.Reason)
	}
	// Output:
	// create controllerrevisions kube-system/fluentd-85b667fc6f: record the current template as revision 1
	// create pods kube-system/fluentd-*: node worker-1 has no daemon pod
	// create pods kube-system/fluentd-*: node worker-2 has no daemon pod
	// update-status daemonsets kube-system/fluentd: status: observedGeneration 0->1, desired 0->2, unavailable 0->2
	// event Normal SuccessfulCreate
	// event Normal SuccessfulCreate
}
