package rollout_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/rollout"
)

// A Deployment just created, as the API server stores it (defaults
// filled in): the first sync creates its ReplicaSet and writes the status.
func ExampleReconcile() {
	replicas, history, deadline := int32(3), int32(10), int32(600)
	quarter := intstr.FromString("25%")
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx", Namespace: "default", UID: "d-1", Generation: 1},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "nginx"}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "nginx"}},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "nginx", Image: "nginx:1.25"}}},
			},
			Strategy: appsv1.DeploymentStrategy{
				Type:          appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &quarter, MaxUnavailable: &quarter},
			},
			RevisionHistoryLimit:    &history,
			ProgressDeadlineSeconds: &deadline,
		},
	}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	plan, err := rollout.Reconcile(rollout.State{Deployment: d}, now)
	if err != nil {
		panic(err)
	}
	fmt.Print(plan)
	// Output:
	// create replicasets default/nginx-6f55975848: create new replica set nginx-6f55975848 at revision 1 with 3 replicas
	// update-status deployments default/nginx: revision 1, new replica set nginx-6f55975848 created
	// update-status deployments default/nginx: rollout status: replicas=0 updated=0 ready=0 available=0 unavailable=3
}

// Undo gives the Deployment `kubectl rollout undo` would write.
func ExampleUndo() {
	replicas := int32(1)
	yes := true
	tmpl := func(image string) v1.PodTemplateSpec {
		return v1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
			Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: image}}},
		}
	}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "d-1",
			Annotations: map[string]string{rollout.RevisionAnnotation: "2"}},
		Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: tmpl("img:v2")},
	}
	rs := func(name, rev, image string) *appsv1.ReplicaSet {
		t := tmpl(image)
		t.Labels = map[string]string{"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: name}
		return &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("u-" + name), Labels: t.Labels,
				Annotations:     map[string]string{rollout.RevisionAnnotation: rev, "kubernetes.io/change-cause": "deploy " + image},
				OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: "d-1", Controller: &yes}}},
			Spec: appsv1.ReplicaSetSpec{Replicas: &replicas, Template: t},
		}
	}
	out, err := rollout.Undo(d, []*appsv1.ReplicaSet{rs("web-1", "1", "img:v1"), rs("web-2", "2", "img:v2")}, 0)
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Spec.Template.Spec.Containers[0].Image, out.Spec.Template.Labels, out.Annotations)
	// Output:
	// img:v1 map[app:web] map[deployment.kubernetes.io/revision:2 kubernetes.io/change-cause:deploy img:v1]
}
