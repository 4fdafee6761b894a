package rollout_test

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/internal/apidefault"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/rollout"
)

// inputDeployment is a stored RollingUpdate Deployment of two replicas at
// revision 2, image img:v2.
func inputDeployment() *appsv1.Deployment {
	two, ten, deadline := int32(2), int32(10), int32(600)
	q := intstr.FromString("25%")
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns", UID: "web-uid", Generation: 1,
			Annotations: map[string]string{rollout.RevisionAnnotation: "2"}},
		Spec: appsv1.DeploymentSpec{
			Replicas: &two,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: inputTemplate("img:v2"),
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &q, MaxUnavailable: &q}},
			RevisionHistoryLimit: &ten, ProgressDeadlineSeconds: &deadline,
		},
	}
}

func inputTemplate(image string) v1.PodTemplateSpec {
	return apidefault.Template(v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: image}}},
	})
}

// inputReplicaSet is a ReplicaSet of d named name with uid, at revision rev,
// created at the scenario epoch.
func inputReplicaSet(d *appsv1.Deployment, name, uid, rev, image string) *appsv1.ReplicaSet {
	one := int32(1)
	t := inputTemplate(image)
	t.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = name
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: d.Namespace, UID: types.UID(uid), Labels: t.Labels,
			CreationTimestamp: metav1.NewTime(scenario.Epoch),
			Annotations:       map[string]string{rollout.RevisionAnnotation: rev},
			OwnerReferences:   []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))}},
		Spec: appsv1.ReplicaSetSpec{Replicas: &one, Template: t,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}},
	}
}

func inputPod(name, uid string) *v1.Pod {
	return &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: types.UID(uid)}}
}

// wantError fails unless err names every one of fields.
func wantError(t *testing.T, err error, fields ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one naming %v", fields)
	}
	for _, f := range fields {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not name %s", err, f)
		}
	}
}

// TestDuplicatesRejected: two ReplicaSets or pods of one name, or of one
// UID, are a state no cluster holds, and the plan would depend on their
// order; Reconcile and Undo refuse them, whatever the order.
func TestDuplicatesRejected(t *testing.T) {
	d := inputDeployment()
	// Two ReplicaSets of one name and creation time but different
	// templates: the order decided which was taken for revision 1.
	a := inputReplicaSet(d, "web-1", "uid-a", "1", "img:v1")
	b := inputReplicaSet(d, "web-1", "uid-b", "1", "img:v0")
	for _, rss := range [][]*appsv1.ReplicaSet{{a, b}, {b, a}} {
		_, err := rollout.Reconcile(rollout.State{Deployment: d, ReplicaSets: rss}, scenario.Epoch)
		wantError(t, err, "replicaSets[1].metadata.name: Duplicate value")
		_, err = rollout.Undo(d, rss, 0)
		wantError(t, err, "replicaSets[1].metadata.name: Duplicate value")
	}
	c := inputReplicaSet(d, "web-2", "uid-a", "2", "img:v2")
	_, err := rollout.Reconcile(rollout.State{Deployment: d, ReplicaSets: []*appsv1.ReplicaSet{a, c}}, scenario.Epoch)
	wantError(t, err, "replicaSets[1].metadata.uid: Duplicate value")
	_, err = rollout.Undo(d, []*appsv1.ReplicaSet{a, c}, 0)
	wantError(t, err, "replicaSets[1].metadata.uid: Duplicate value")

	// Recreate reads the pods: duplicates among them are refused. A
	// RollingUpdate sync never reads them.
	pods := []*v1.Pod{inputPod("p", "u1"), inputPod("p", "u2"), inputPod("q", "u1")}
	recreate := d.DeepCopy()
	recreate.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	_, err = rollout.Reconcile(rollout.State{Deployment: recreate, Pods: pods}, scenario.Epoch)
	wantError(t, err, "pods[1].metadata.name: Duplicate value", "pods[2].metadata.uid: Duplicate value")
	if _, err := rollout.Reconcile(rollout.State{Deployment: d, Pods: pods}, scenario.Epoch); err != nil {
		t.Fatalf("RollingUpdate with pods it never reads: %v", err)
	}

	// The same name in two namespaces is two objects.
	other := inputReplicaSet(d, "web-1", "uid-o", "1", "img:v1")
	other.Namespace = "elsewhere"
	if _, err := rollout.Reconcile(rollout.State{Deployment: d, ReplicaSets: []*appsv1.ReplicaSet{a, other}}, scenario.Epoch); err != nil {
		t.Fatalf("same name, other namespace: %v", err)
	}
}

// TestUndefaultedRejected: a template without the fields the API server
// always defaults hashes and compares differently from the stored one, and
// a nil revisionHistoryLimit or progressDeadlineSeconds is never stored by
// apps/v1: each is an error naming the field, not a silently wrong plan.
func TestUndefaultedRejected(t *testing.T) {
	d := inputDeployment()
	d.Spec.Template.Spec.RestartPolicy = ""
	d.Spec.Template.Spec.Containers[0].ImagePullPolicy = ""
	_, err := rollout.Reconcile(rollout.State{Deployment: d}, scenario.Epoch)
	wantError(t, err, "deployment.spec.template.spec.restartPolicy: Required value",
		"deployment.spec.template.spec.containers[0].imagePullPolicy")
	_, err = rollout.Undo(d, nil, 0)
	wantError(t, err, "deployment.spec.template.spec.restartPolicy: Required value")

	d = inputDeployment()
	rs := inputReplicaSet(d, "web-1", "uid-a", "1", "img:v1")
	rs.Spec.Template.Spec.DNSPolicy = ""
	_, err = rollout.Reconcile(rollout.State{Deployment: d, ReplicaSets: []*appsv1.ReplicaSet{rs}}, scenario.Epoch)
	wantError(t, err, "replicaSets[0].spec.template.spec.dnsPolicy: Required value")
	_, err = rollout.Undo(d, []*appsv1.ReplicaSet{rs}, 0)
	wantError(t, err, "replicaSets[0].spec.template.spec.dnsPolicy: Required value")

	d.Spec.RevisionHistoryLimit, d.Spec.ProgressDeadlineSeconds = nil, nil
	_, err = rollout.Reconcile(rollout.State{Deployment: d}, scenario.Epoch)
	wantError(t, err, "deployment.spec.revisionHistoryLimit: Required value: the API server defaults it",
		"deployment.spec.progressDeadlineSeconds: Required value: the API server defaults it")
}

// TestSelectingAll: an empty selector is upstream's guard, a plan rather
// than an error: a warning, and the observed generation brought up to date
// when it lags, nothing else (no adoption of the namespace's ReplicaSets).
// A selector whose matchLabels map is empty but present is not upstream's
// empty selector and stays an error, as the API server refuses it.
func TestSelectingAll(t *testing.T) {
	d := inputDeployment()
	d.Spec.Selector = &metav1.LabelSelector{}
	d.Generation, d.Status.ObservedGeneration = 3, 2
	orphan := inputReplicaSet(d, "web-1", "uid-a", "1", "img:v1")
	orphan.OwnerReferences = nil
	plan, err := rollout.Reconcile(rollout.State{Deployment: d, ReplicaSets: []*appsv1.ReplicaSet{orphan}}, scenario.Epoch)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Events) != 1 || plan.Events[0].Reason != rollout.EventSelectingAll || plan.Events[0].Type != v1.EventTypeWarning {
		t.Fatalf("events %v, want one Warning SelectingAll", plan.Events)
	}
	if len(plan.Actions) != 1 || plan.Actions[0].Object.(*appsv1.Deployment).Status.ObservedGeneration != 3 {
		t.Fatalf("actions %v, want one status write of observedGeneration 3", plan.Actions)
	}
	d.Status.ObservedGeneration = 3
	plan, err = rollout.Reconcile(rollout.State{Deployment: d}, scenario.Epoch)
	if err != nil || len(plan.Actions) != 0 || len(plan.Events) != 1 {
		t.Fatalf("up to date: plan %v, err %v; want the warning alone", plan, err)
	}
	d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{}}
	_, err = rollout.Reconcile(rollout.State{Deployment: d}, scenario.Epoch)
	wantError(t, err, "deployment.spec.selector")
}
