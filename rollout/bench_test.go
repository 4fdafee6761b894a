package rollout_test

import (
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// benchWorld is a Deployment of n replicas mid-rollover: four old
// ReplicaSets sharing the pods and a new one growing. Pods exist only for
// the Recreate variant, which is the one strategy that reads them.
func benchWorld(b *testing.B, n int, recreate bool) rollout.State {
	w := gen.NewDeploymentWorld(scenario.Epoch, &appsv1.Deployment{})
	w.Deployment.Name = "web"
	l, _ := scenario.ParseLines(fmt.Sprintf("deployment web replicas=%d image=nginx:2.0", n))
	if err := editDeployment(w, l[0]); err != nil {
		b.Fatal(err)
	}
	for i := range 5 {
		tmpl := *w.Deployment.Spec.Template.DeepCopy()
		tmpl.Spec.Containers[0].Image = fmt.Sprintf("nginx:1.%d", i)
		if i == 4 {
			tmpl.Spec.Containers[0].Image = "nginx:2.0"
		}
		hash := workload.ComputeHash(&tmpl, nil)
		tmpl.Labels = map[string]string{"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: hash}
		r := int32(n / 5)
		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{
				Name: "web-" + hash, Namespace: w.Deployment.Namespace, UID: types.UID(fmt.Sprintf("rs%d", i)),
				CreationTimestamp: metav1.NewTime(scenario.Epoch.Add(-time.Duration(5-i) * time.Hour)),
				Labels:            tmpl.Labels, Generation: 1,
				Annotations:     map[string]string{rollout.RevisionAnnotation: fmt.Sprint(i + 1), rollout.DesiredReplicasAnnotation: fmt.Sprint(n)},
				OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(w.Deployment, appsv1.SchemeGroupVersion.WithKind("Deployment"))},
			},
			Spec: appsv1.ReplicaSetSpec{Replicas: &r, Template: tmpl, Selector: &metav1.LabelSelector{MatchLabels: tmpl.Labels}},
		}
		w.ReplicaSets[rs.Name] = rs
	}
	if recreate {
		w.Deployment.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	}
	w.Settle()
	if !recreate {
		w.Pods = nil
	}
	return worldState(w)
}

func BenchmarkReconcile(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		for _, recreate := range []bool{false, true} {
			name := fmt.Sprintf("pods=%d/rolling", n)
			if recreate {
				name = fmt.Sprintf("pods=%d/recreate", n)
			}
			b.Run(name, func(b *testing.B) {
				st := benchWorld(b, n, recreate)
				b.ResetTimer()
				for b.Loop() {
					if _, err := rollout.Reconcile(st, scenario.Epoch); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
