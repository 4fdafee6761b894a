package cluster_test

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

func applyAll(t *testing.T, c *cluster.Cluster, plan workload.Plan) {
	t.Helper()
	for _, r := range cluster.Failed(c.Apply(plan)) {
		t.Fatalf("%s: %v", r.Action, r.Err)
	}
}

// The Job controller's back-off is memory upstream keeps between syncs;
// the cluster keeps it between Reconcile calls, keyed by the Job's UID.
func TestReconcileKeepsJobBackoff(t *testing.T) {
	c := cluster.New(t0)
	tmpl := podTemplate()
	tmpl.Spec.RestartPolicy = v1.RestartPolicyNever
	seed(t, c, &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "once", Namespace: "ns"}, Spec: batchv1.JobSpec{Template: tmpl}})
	plan, err := c.Reconcile(workload.ResourceJobs, "ns", "once", t0)
	if err != nil {
		t.Fatal(err)
	}
	applyAll(t, c, plan)
	pods := c.List(workload.ResourcePods, "ns")
	if len(pods) != 1 {
		t.Fatalf("%d pods, want 1", len(pods))
	}
	pod := pods[0].(*v1.Pod)
	pod.Status.Phase = v1.PodFailed
	do(t, c, workload.Action{Verb: workload.UpdateStatus, Resource: workload.ResourcePods, Namespace: "ns", Name: pod.Name, Object: pod})
	now := t0.Add(time.Second)
	plan, err = c.Reconcile(workload.ResourceJobs, "ns", "once", now)
	if err != nil {
		t.Fatal(err)
	}
	// Whether or not its calls succeed, the sync's memory is kept.
	c.Apply(plan)
	s, err := c.JobState("ns", "once")
	if err != nil {
		t.Fatal(err)
	}
	if s.Backoff.FailuresAfterLastSuccess != 1 {
		t.Fatalf("kept back-off = %+v, want one failure recorded", s.Backoff)
	}
}
