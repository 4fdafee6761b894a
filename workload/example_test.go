package workload_test

import (
	"fmt"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// A ReplicaSet with three pods is scaled down by one. The pod that shares its
// node with a pod of a sibling ReplicaSet goes first.
func ExamplePodsToDelete() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	pod := func(name, node string, readyFor time.Duration) *v1.Pod {
		return &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Namespace:         "default",
				Name:              name,
				UID:               types.UID("uid-" + name),
				CreationTimestamp: metav1.NewTime(now.Add(-time.Hour)),
			},
			Spec: v1.PodSpec{NodeName: node},
			Status: v1.PodStatus{
				Phase: v1.PodRunning,
				Conditions: []v1.PodCondition{{
					Type:               v1.PodReady,
					Status:             v1.ConditionTrue,
					LastTransitionTime: metav1.NewTime(now.Add(-readyFor)),
				}},
			},
		}
	}
	pods := []*v1.Pod{
		pod("web-a", "node-1", time.Hour),
		pod("web-b", "node-2", time.Hour),
		pod("web-c", "node-3", time.Hour),
	}
	sibling := pod("web-old-x", "node-2", 2*time.Hour)
	related := append([]*v1.Pod{sibling}, pods...)

	fmt.Println(workload.ColocationRanks(pods, related))
	for _, p := range workload.PodsToDelete(pods, related, 1, now) {
		fmt.Println("delete", p.Name)
	}
	// Output:
	// [1 2 1]
	// delete web-b
}

// The pod-template-hash of a Deployment's template names its ReplicaSet.
// After a name collision the Deployment bumps its collisionCount and the hash
// changes.
func ExampleComputeHash() {
	template := &v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
		Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "nginx", Image: "nginx:1.25"}}},
	}
	fmt.Println("nginx-" + workload.ComputeHash(template, nil))
	collisions := int32(1)
	fmt.Println("nginx-" + workload.ComputeHash(template, &collisions))
	// Output:
	// nginx-6f55975848
	// nginx-86bd6f5b6f
}

func ExamplePodFromTemplate() {
	yes := true
	template := &v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "web", Image: "web:v1"}}},
	}
	owner := &metav1.OwnerReference{
		APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-6f55975848", UID: "rs-uid",
		Controller: &yes, BlockOwnerDeletion: &yes,
	}
	pod, err := workload.PodFromTemplate(template, owner.Name, owner)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pod.GenerateName, pod.Labels, pod.OwnerReferences[0].Kind, pod.Spec.Containers[0].Image)

	_, err = workload.PodFromTemplate(&v1.PodTemplateSpec{}, owner.Name, owner)
	fmt.Println(err)
	// Output:
	// web-6f55975848- map[app:web] ReplicaSet web:v1
	// template.metadata.labels: Required value: unable to create pods, no labels
}
