package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kubepure/kubepure/internal/apidefault"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/workload"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	rs := replicaSet("web", 3)

	// Two pods are running; an orphan pod with the right labels is lying
	// around (its previous owner was deleted with --cascade=orphan).
	pods := []*v1.Pod{
		pod("web-a", "node-1", rs, now.Add(-time.Hour), true),
		pod("web-b", "node-2", rs, now.Add(-time.Hour), true),
		pod("stray", "node-1", nil, now.Add(-2*time.Hour), true),
	}
	rs, err := step("1. an orphan with matching labels is adopted; status catches up", rs, pods, now)
	if err != nil {
		return err
	}

	// The adopted pod is now controlled; someone deletes web-b.
	pods = []*v1.Pod{pods[0], pod("stray", "node-1", rs, now.Add(-2*time.Hour), true)}
	if rs, err = step("2. a pod was deleted: the ReplicaSet creates a replacement", rs, pods, now); err != nil {
		return err
	}

	// Scale down from 3 to 1 with a fresh, not yet ready pod among them:
	// the not-ready pod goes first, then the one on the busier node.
	one := int32(1)
	rs = rs.DeepCopy()
	rs.Spec.Replicas = &one
	rs.Generation++
	pods = append(pods, pod("web-c", "node-2", rs, now.Add(-10*time.Second), false))
	_, err = step("3. scaled to 1: the not-ready pod and the more recently ready one go", rs, pods, now)
	return err
}

// step syncs rs once, prints the plan, and returns the ReplicaSet as the
// plan's status write leaves it, as an API server would.
func step(title string, rs *appsv1.ReplicaSet, pods []*v1.Pod, now time.Time) (*appsv1.ReplicaSet, error) {
	plan, err := replicaset.Reconcile(replicaset.State{ReplicaSet: rs, Pods: pods}, now)
	if err != nil {
		return nil, err
	}
	fmt.Printf("%s\n%s\n", title, indent(plan.String()))
	for _, a := range plan.Actions {
		if a.Verb == workload.UpdateStatus {
			rs = a.Object.(*appsv1.ReplicaSet)
		}
	}
	return rs, nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n    ") + "\n"
}

func replicaSet(name string, replicas int32) *appsv1.ReplicaSet {
	labels := map[string]string{"app": name}
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID(name + "-uid"), Generation: 1},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: apidefault.Template(v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "nginx", Image: "nginx:1.25"}}},
			}),
		},
	}
}

func pod(name, node string, owner *appsv1.ReplicaSet, created time.Time, ready bool) *v1.Pod {
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: "default", UID: types.UID(name + "-uid"),
			Labels:            map[string]string{"app": "web"},
			CreationTimestamp: metav1.NewTime(created),
		},
		Spec:   v1.PodSpec{NodeName: node},
		Status: v1.PodStatus{Phase: v1.PodRunning},
	}
	if owner != nil {
		yes := true
		p.OwnerReferences = []metav1.OwnerReference{{
			APIVersion: "apps/v1", Kind: "ReplicaSet", Name: owner.Name, UID: owner.UID,
			Controller: &yes, BlockOwnerDeletion: &yes,
		}}
	}
	status := v1.ConditionFalse
	if ready {
		status = v1.ConditionTrue
	}
	p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: status, LastTransitionTime: metav1.NewTime(created.Add(5 * time.Second))}}
	return p
}
