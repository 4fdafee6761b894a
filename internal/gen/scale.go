package gen

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// ReplicaSetAtScale is the benchmark state shared by kubepure's benchmarks
// and the upstream ones in the conformance module: a ReplicaSet owned by a
// Deployment, with n running pods created a minute apart and spread over
// n/10 nodes, every other one ready, wanting replicas.
func ReplicaSetAtScale(n, replicas int, now time.Time) ReplicaSetState {
	r := int32(replicas)
	labels := map[string]string{"app": "web"}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: "web", Namespace: Namespace, UID: "web-uid", Generation: 1, ResourceVersion: "100",
			OwnerReferences:   []metav1.OwnerReference{ControllerRef("Deployment", DeploymentName)},
			CreationTimestamp: metav1.NewTime(now.Add(-1000 * time.Hour)),
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &r,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "app", Image: "nginx:1.25"}}, RestartPolicy: v1.RestartPolicyAlways},
			},
		},
	}
	owner := ControllerRef("ReplicaSet", rs.Name)
	owner.UID = rs.UID
	pods := make([]*v1.Pod, n)
	for i := range pods {
		created := now.Add(-time.Duration(i+1) * time.Minute)
		p := &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Name: fmt.Sprintf("web-%05d", i), Namespace: Namespace, UID: types.UID(fmt.Sprintf("uid-%05d", i)),
				Labels: labels, OwnerReferences: []metav1.OwnerReference{owner}, ResourceVersion: "10",
				CreationTimestamp: metav1.NewTime(created),
			},
			Spec:   v1.PodSpec{NodeName: fmt.Sprintf("node-%d", i%max(1, n/10))},
			Status: v1.PodStatus{Phase: v1.PodRunning},
		}
		if i%2 == 0 {
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue,
				LastTransitionTime: metav1.NewTime(created.Add(30 * time.Second))}}
		}
		pods[i] = p
	}
	return ReplicaSetState{ReplicaSet: rs, Pods: pods}
}
