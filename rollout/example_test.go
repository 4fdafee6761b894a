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
				Spec:       podSpec("nginx", "nginx:1.25"),
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
	fmt.Println(plan)
	// Output:
	// create replicasets default/nginx-6d9676f5c4: Scaled up replica set nginx-6d9676f5c4 from 0 to 3 (new replica set, revision 1)
	// update-status deployments default/nginx: new replica set nginx-6d9676f5c4 created: revision annotation set to 1, Progressing condition added (True/NewReplicaSetCreated)
	// update-status deployments default/nginx: rollout status: observedGeneration 0->1, unavailableReplicas 0->3, terminatingReplicas nil->0, Available condition added (False/MinimumReplicasUnavailable)
	// event Normal ScalingReplicaSet: Scaled up replica set nginx-6d9676f5c4 from 0 to 3
}

// podSpec is a one-container pod spec as the API server stores it: with
// the fields it always defaults, which Reconcile and Undo require.
func podSpec(name, image string) v1.PodSpec {
	grace := int64(30)
	return v1.PodSpec{
		Containers: []v1.Container{{
			Name: name, Image: image, ImagePullPolicy: v1.PullIfNotPresent,
			TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: v1.TerminationMessageReadFile,
		}},
		RestartPolicy: v1.RestartPolicyAlways, DNSPolicy: v1.DNSClusterFirst, SchedulerName: "default-scheduler",
		TerminationGracePeriodSeconds: &grace, SecurityContext: &v1.PodSecurityContext{},
	}
}

// Undo gives the Deployment `kubectl rollout undo` would write.
func ExampleUndo() {
	replicas := int32(1)
	yes := true
	tmpl := func(image string) v1.PodTemplateSpec {
		return v1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
			Spec:       podSpec("c", image),
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
