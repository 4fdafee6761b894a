package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kubepure/kubepure/internal/apidefault"
	"github.com/kubepure/kubepure/workload"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// step is how far the simulated clock moves between two rounds of syncs;
// startup is how long a new pod takes to become ready.
const (
	step    = 5 * time.Second
	startup = 10 * time.Second
)

// run tells the story: an nginx Deployment of three replicas is created and
// comes up; then its image changes and the 25%/25% rolling update replaces
// the pods a few at a time.
func run(out io.Writer) error {
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	w := newWorld(start, startup)
	fmt.Fprintln(out, "# kubectl create deployment nginx --image=nginx:1.25 --replicas=3")
	if _, err := w.store.Create(nginx("nginx:1.25")); err != nil {
		return err
	}
	if err := settle(w, out); err != nil {
		return err
	}

	fmt.Fprintln(out, "\n# kubectl set image deployment/nginx nginx=nginx:1.26")
	obj, err := w.store.Get(workload.ResourceDeployments, "default", "nginx")
	if err != nil {
		return err
	}
	d := obj.(*appsv1.Deployment)
	d.Spec.Template.Spec.Containers[0].Image = "nginx:1.26"
	if _, err := w.store.Do(workload.Action{Verb: workload.Update, Resource: workload.ResourceDeployments, Namespace: d.Namespace, Name: d.Name, Object: d}); err != nil {
		return err
	}
	return settle(w, out)
}

// settle runs rounds of syncs until a round changes nothing, printing each
// round's calls.
func settle(w *world, out io.Writer) error {
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for round := 0; round < 50; round++ {
		calls, err := syncAll(w)
		if err != nil {
			return err
		}
		if len(calls) > 0 {
			fmt.Fprintf(out, "t=%-6s %s\n", w.store.Now().Sub(start), summary(w))
			for _, line := range calls {
				fmt.Fprintf(out, "         %s\n", line)
			}
		} else if converged(w) {
			fmt.Fprintf(out, "t=%-6s %s (converged)\n", w.store.Now().Sub(start), summary(w))
			return nil
		}
		w.store.SetTime(w.store.Now().Add(step))
		if err := w.kubelet(); err != nil {
			return err
		}
	}
	return fmt.Errorf("no convergence after 50 rounds")
}

// nginx is the Deployment as the API server stores it, defaults filled in.
func nginx(image string) *appsv1.Deployment {
	replicas, history, deadline := int32(3), int32(10), int32(600)
	quarter := intstr.FromString("25%")
	labels := map[string]string{"app": "nginx"}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "nginx", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: apidefault.Template(v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: v1.PodSpec{
					Containers:    []v1.Container{{Name: "nginx", Image: image}},
					RestartPolicy: v1.RestartPolicyAlways,
				},
			}),
			Strategy: appsv1.DeploymentStrategy{
				Type:          appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &quarter, MaxUnavailable: &quarter},
			},
			RevisionHistoryLimit:    &history,
			ProgressDeadlineSeconds: &deadline,
		},
	}
}
