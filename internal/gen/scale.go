package gen

import (
	"fmt"
	"time"

	"github.com/kubepure/kubepure/internal/apidefault"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/workload"
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
			Template: apidefault.Template(v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "app", Image: "nginx:1.25"}}, RestartPolicy: v1.RestartPolicyAlways},
			}),
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

// DeploymentAtScale is the Deployment benchmark state shared by kubepure's
// benchmarks and the upstream ones in the conformance module: a Deployment
// of n replicas mid-rollover, four old ReplicaSets and a new one sharing the
// pods, every pod running and available. The pods are part of the state
// (upstream's caches hold them) though only Recreate reads them.
func DeploymentAtScale(n int, recreate bool, now time.Time) DeploymentState {
	replicas := int32(n)
	labels := map[string]string{"app": "web"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: DeploymentName, Namespace: Namespace, UID: types.UID(DeploymentName + "-uid"),
			Generation: 2, ResourceVersion: "50", CreationTimestamp: metav1.NewTime(now.Add(-100 * time.Hour)),
		},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: deploymentTemplate("nginx:2.0", labels),
		},
		Status: appsv1.DeploymentStatus{ObservedGeneration: 1},
	}
	if recreate {
		d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
	} else {
		quarter := intstrPercent(25)
		d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &quarter, MaxUnavailable: &quarter}}
	}
	limit, deadline := int32(10), int32(600)
	d.Spec.RevisionHistoryLimit, d.Spec.ProgressDeadlineSeconds = &limit, &deadline
	w := NewDeploymentWorld(now, d)
	owner := ControllerRef("Deployment", d.Name)
	for i := range 5 {
		image := fmt.Sprintf("nginx:1.%d", i)
		if i == 4 {
			image = "nginx:2.0"
		}
		tmpl := deploymentTemplate(image, labels)
		hash := workload.ComputeHash(&tmpl, nil)
		tmpl.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = hash
		r := int32(n / 5)
		w.ReplicaSets["web-"+hash] = &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{
				Name: "web-" + hash, Namespace: Namespace, UID: types.UID(fmt.Sprintf("rs%d-uid", i)),
				CreationTimestamp: metav1.NewTime(now.Add(-time.Duration(5-i) * time.Hour)),
				Labels:            tmpl.Labels, Generation: 1, ResourceVersion: fmt.Sprint(60 + i),
				Annotations: map[string]string{
					"deployment.kubernetes.io/revision":         fmt.Sprint(i + 1),
					"deployment.kubernetes.io/desired-replicas": fmt.Sprint(n),
					"deployment.kubernetes.io/max-replicas":     fmt.Sprint(n + n/4),
				},
				OwnerReferences: []metav1.OwnerReference{owner},
			},
			Spec: appsv1.ReplicaSetSpec{Replicas: &r, Template: tmpl, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{
				"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: hash,
			}}},
		}
	}
	w.Settle()
	return w.State()
}

func intstrPercent(p int) intstr.IntOrString { return intstr.FromString(fmt.Sprintf("%d%%", p)) }
