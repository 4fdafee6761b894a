package replicaset_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/replicaset"
)

// A ReplicaSet of three replicas with one pod running and an orphan whose
// labels match: the sync adopts the orphan, creates the one pod still
// missing, and records the new counts.
func ExampleReconcile() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	replicas, grace := int32(3), int64(30)
	labels := map[string]string{"app": "web"}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "rs-1", Generation: 1},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				// The template as the API server stores it: with the fields
				// its defaulting always sets (a manifest without them hashes
				// differently, and Reconcile refuses it).
				Spec: v1.PodSpec{
					Containers: []v1.Container{{
						Name: "web", Image: "nginx:1.25", ImagePullPolicy: v1.PullIfNotPresent,
						TerminationMessagePath: v1.TerminationMessagePathDefault, TerminationMessagePolicy: v1.TerminationMessageReadFile,
					}},
					RestartPolicy: v1.RestartPolicyAlways, DNSPolicy: v1.DNSClusterFirst, SchedulerName: v1.DefaultSchedulerName,
					TerminationGracePeriodSeconds: &grace, SecurityContext: &v1.PodSecurityContext{},
				},
			},
		},
	}
	yes := true
	running := func(name string, owned bool) *v1.Pod {
		p := &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("uid-" + name), Labels: labels},
			Status: v1.PodStatus{Phase: v1.PodRunning, Conditions: []v1.PodCondition{{
				Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(now.Add(-time.Hour)),
			}}},
		}
		if owned {
			p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web", UID: "rs-1", Controller: &yes}}
		}
		return p
	}

	plan, err := replicaset.Reconcile(replicaset.State{
		ReplicaSet: rs,
		Pods:       []*v1.Pod{running("web-a", true), running("stray", false)},
	}, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(plan)
	// Output:
	// patch pods default/stray: adopt orphan: labels match the selector of ReplicaSet default/web
	// create pods default/web-*: 2 of 3 replicas active
	// update-status replicasets default/web: status: replicas 0->2, fullyLabeledReplicas 0->2, readyReplicas 0->2, availableReplicas 0->2, terminatingReplicas nil->0, observedGeneration 0->1
	// event Normal SuccessfulCreate: Created pod:
}
