package workload_test

import (
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/workload"
)

// BenchmarkReconcileReplicaSet measures one sync that scales a ReplicaSet
// of n pods down by a tenth, so the full deletion ranking runs.
func BenchmarkReconcileReplicaSet(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("pods=%d", n), func(b *testing.B) {
			state := benchReplicaSetState(n, n-n/10)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := workload.ReconcileReplicaSet(state, propNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchReplicaSetState is a ReplicaSet owned by a Deployment with n running
// pods spread over n/10 nodes, half of them ready, wanting replicas.
func benchReplicaSetState(n, replicas int) workload.ReplicaSetState {
	r := int32(replicas)
	labels := map[string]string{"app": "web"}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: gen.Namespace, UID: "web-uid",
			OwnerReferences: []metav1.OwnerReference{gen.ControllerRef("Deployment", "d")}},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &r,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}},
		},
	}
	pods := make([]*v1.Pod, n)
	for i := range pods {
		p := &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Name: fmt.Sprintf("web-%05d", i), Namespace: gen.Namespace, UID: types.UID(fmt.Sprintf("uid-%05d", i)),
				Labels: labels, OwnerReferences: []metav1.OwnerReference{gen.ControllerRef("ReplicaSet", "web")},
				CreationTimestamp: metav1.NewTime(propNow.Add(-time.Duration(i) * time.Minute)),
			},
			Spec:   v1.PodSpec{NodeName: fmt.Sprintf("node-%d", i%max(1, n/10))},
			Status: v1.PodStatus{Phase: v1.PodRunning},
		}
		p.OwnerReferences[0].UID = rs.UID
		if i%2 == 0 {
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue,
				LastTransitionTime: metav1.NewTime(propNow.Add(-time.Duration(i) * 30 * time.Second))}}
		}
		pods[i] = p
	}
	return workload.ReplicaSetState{ReplicaSet: rs, Pods: pods}
}
