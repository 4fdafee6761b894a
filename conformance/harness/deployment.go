package harness

import (
	"fmt"
	"sync"
	"time"

	apps "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/cache"
	"k8s.io/kubernetes/pkg/controller/deployment"
)

// deploymentClock guards deployment.nowFn, a package variable of upstream
// that the harness points at the state's "now" for the length of one sync.
var deploymentClock sync.Mutex

// DeploymentState is what one Deployment sync observes.
type DeploymentState struct {
	Deployment  *apps.Deployment
	ReplicaSets []*apps.ReplicaSet
	Pods        []*v1.Pod
}

// SyncDeployment runs one sync of the upstream Deployment controller on
// state, with upstream's clocks (deployment.nowFn, util.nowFn) reading now.
func SyncDeployment(state DeploymentState, now time.Time) (Result, error) {
	return syncOnce(PrepareDeploymentSync(state, now))
}

// PrepareDeploymentSync builds the cluster and the controller for one
// Deployment sync and returns the sync itself, to be called once, and a
// function that releases what the controller started. Benchmarks time the
// sync alone with it.
func PrepareDeploymentSync(state DeploymentState, now time.Time) (sync func() (Result, error), done func(), err error) {
	var objs, rss, pods []runtime.Object
	if state.Deployment != nil {
		objs = append(objs, state.Deployment)
	}
	for _, rs := range state.ReplicaSets {
		rss = append(rss, rs)
	}
	for _, p := range state.Pods {
		pods = append(pods, p)
	}
	c, err := NewCluster(append(append(objs, rss...), pods...)...)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := quietContext()
	dInf := c.Informers.Apps().V1().Deployments()
	rsInf := c.Informers.Apps().V1().ReplicaSets()
	podInf := c.Informers.Core().V1().Pods()
	dc, err := deployment.NewDeploymentController(ctx, dInf, rsInf, podInf, c.Client)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	done = func() {
		shutDownQueue(dc, "queue")
		cancel()
	}
	fail := func(err error) (func() (Result, error), func(), error) {
		done()
		return nil, nil, err
	}
	queue := &recordingQueue{}
	if !replaceQueue(dc, "queue", queue) {
		return fail(fmt.Errorf("cannot wrap the Deployment controller's queue"))
	}
	// Every event goes through eventRecorder; rsControl (adoption and
	// release patches) holds the same recorder but records nothing today,
	// and is covered should that change.
	events := &EventLog{}
	if !installEventLog(dc, events, []string{"eventRecorder"}, []string{"rsControl"}) {
		return fail(fmt.Errorf("cannot install the event log in the Deployment controller"))
	}
	for _, fill := range []struct {
		inf  cache.SharedIndexInformer
		objs []runtime.Object
	}{{dInf.Informer(), objs}, {rsInf.Informer(), rss}, {podInf.Informer(), pods}} {
		if err := Fill(fill.inf, fill.objs...); err != nil {
			return fail(err)
		}
	}
	sync = func() (Result, error) {
		deploymentClock.Lock()
		saved, savedUtil := deploymentNowFn, deploymentUtilNowFn
		deploymentNowFn = func() time.Time { return now }
		deploymentUtilNowFn = deploymentNowFn
		syncErr := syncDeployment(dc, ctx, keyOf(state.Deployment))
		deploymentNowFn, deploymentUtilNowFn = saved, savedUtil
		deploymentClock.Unlock()
		calls, err := Calls(c.Client.Actions())
		if err != nil {
			return Result{}, err
		}
		return Result{Calls: calls, SyncErr: syncErr, RequeueAfter: queue.after, RateLimited: queue.rateLimited,
			Events: events.Events(), Generated: c.Generated()}, nil
	}
	return sync, done, nil
}
