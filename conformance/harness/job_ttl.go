package harness

import (
	"context"
	"fmt"
	"time"
	_ "unsafe" // for go:linkname

	batch "k8s.io/api/batch/v1"
	"k8s.io/kubernetes/pkg/controller/ttlafterfinished"
	"k8s.io/utils/clock"
	clocktesting "k8s.io/utils/clock/testing"
)

// processTTLJob is ttlafterfinished.(*Controller).processJob.
//
//go:linkname processTTLJob k8s.io/kubernetes/pkg/controller/ttlafterfinished.(*Controller).processJob
func processTTLJob(tc *ttlafterfinished.Controller, ctx context.Context, key string) error

// SyncTTLAfterFinished runs one sync of the upstream TTL-after-finished
// controller on j at now (its clock is a fake one reading now). The Job is
// both in the informer cache and in the fake API server, which answers the
// controller's fresh GET with the same object.
func SyncTTLAfterFinished(j *batch.Job, now time.Time) (Result, error) {
	if j == nil {
		return Result{}, fmt.Errorf("job is nil")
	}
	c, err := NewCluster(j)
	if err != nil {
		return Result{}, err
	}
	ctx, cancel := quietContext()
	defer cancel()
	jobInf := c.Informers.Batch().V1().Jobs()
	tc := ttlafterfinished.New(ctx, jobInf, c.Client)
	defer shutDownQueue(tc, "queue")
	if !setField(tc, "clock", clock.Clock(clocktesting.NewFakeClock(now))) {
		return Result{}, fmt.Errorf("cannot set the TTL controller's clock")
	}
	// The controller holds a recorder but records nothing; the log shows
	// that it stays so.
	events := &EventLog{}
	if !installEventLog(tc, events, []string{"recorder"}, nil) {
		return Result{}, fmt.Errorf("cannot replace the TTL controller's event recorder")
	}
	queue := &recordingQueue{}
	if !replaceQueue(tc, "queue", queue) {
		return Result{}, fmt.Errorf("cannot wrap the TTL controller's queue")
	}
	if err := Fill(jobInf.Informer(), j); err != nil {
		return Result{}, err
	}
	syncErr := processTTLJob(tc, ctx, keyOf(j))
	calls, err := Calls(c.Client.Actions())
	if err != nil {
		return Result{}, err
	}
	return Result{Calls: calls, SyncErr: syncErr, RequeueAfter: queue.after, RateLimited: queue.rateLimited, Events: events.Events()}, nil
}
