package harness

import (
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clocktesting "k8s.io/utils/clock/testing"
)

// JobState is what one Job sync observes.
type JobState struct {
	Job  *batch.Job
	Pods []*v1.Pod
}

// SyncJob runs one sync of the upstream Job controller on state, built by
// job.newControllerWithClock on a fake clock reading now. The workload and
// pod-group informers are nil, as kube-controller-manager passes them
// while the WorkloadWithJob gate is off (its 1.37 default).
func SyncJob(state JobState, now time.Time) (Result, error) {
	var jobs, pods []runtime.Object
	if state.Job != nil {
		jobs = append(jobs, state.Job)
	}
	for _, p := range state.Pods {
		pods = append(pods, p)
	}
	c, err := NewCluster(append(append([]runtime.Object(nil), jobs...), pods...)...)
	if err != nil {
		return Result{}, err
	}
	ctx, cancel := quietContext()
	defer cancel()
	jobInf := c.Informers.Batch().V1().Jobs()
	podInf := c.Informers.Core().V1().Pods()
	jm, err := newJobControllerWithClock(ctx, c.Client, clocktesting.NewFakeClock(now), podInf, jobInf, nil, nil)
	if err != nil {
		return Result{}, err
	}
	defer shutDownQueue(jm, "queue")
	defer shutDownQueue(jm, "orphanQueue")
	if err := Fill(jobInf.Informer(), jobs...); err != nil {
		return Result{}, err
	}
	if err := Fill(podInf.Informer(), pods...); err != nil {
		return Result{}, err
	}
	syncErr := syncJob(jm, ctx, keyOf(state.Job))
	calls, err := Calls(c.Client.Actions())
	if err != nil {
		return Result{}, err
	}
	return Result{Calls: calls, SyncErr: syncErr}, nil
}
