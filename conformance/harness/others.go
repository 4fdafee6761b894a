package harness

import (
	"fmt"
	"sync"
	"time"

	apps "k8s.io/api/apps/v1"
	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/flowcontrol"
	"k8s.io/kubernetes/pkg/controller/cronjob"
	"k8s.io/kubernetes/pkg/controller/daemon"
	"k8s.io/kubernetes/pkg/controller/deployment"
	clocktesting "k8s.io/utils/clock/testing"
)

// The Deployment, DaemonSet, Job and CronJob syncs below are built the same
// way as SyncReplicaSet. They are proven to link and run; the differential
// tests that use them come with the controllers they check.

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
// state, with upstream's progress-deadline clock reading now.
func SyncDeployment(state DeploymentState, now time.Time) (Result, error) {
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
		return Result{}, err
	}
	ctx, cancel := quietContext()
	defer cancel()
	dInf := c.Informers.Apps().V1().Deployments()
	rsInf := c.Informers.Apps().V1().ReplicaSets()
	podInf := c.Informers.Core().V1().Pods()
	dc, err := deployment.NewDeploymentController(ctx, dInf, rsInf, podInf, c.Client)
	if err != nil {
		return Result{}, err
	}
	defer shutDownQueue(dc, "queue")
	queue := &recordingQueue{}
	if !replaceQueue(dc, "queue", queue) {
		return Result{}, fmt.Errorf("cannot wrap the Deployment controller's queue")
	}
	if err := Fill(dInf.Informer(), objs...); err != nil {
		return Result{}, err
	}
	if err := Fill(rsInf.Informer(), rss...); err != nil {
		return Result{}, err
	}
	if err := Fill(podInf.Informer(), pods...); err != nil {
		return Result{}, err
	}
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
	return Result{Calls: calls, SyncErr: syncErr, RequeueAfter: queue.after, RateLimited: queue.rateLimited}, nil
}

// DaemonSetState is what one DaemonSet sync observes.
type DaemonSetState struct {
	DaemonSet *apps.DaemonSet
	Revisions []*apps.ControllerRevision
	Pods      []*v1.Pod
	Nodes     []*v1.Node
}

// SyncDaemonSet runs one sync of the upstream DaemonSet controller on
// state. kube-controller-manager passes a failed-pods back-off of 1s to
// 15m on the real clock; the harness passes the same back-off on a fake
// clock that reads now.
func SyncDaemonSet(state DaemonSetState, now time.Time) (Result, error) {
	var dss, revs, pods, nodes []runtime.Object
	if state.DaemonSet != nil {
		dss = append(dss, state.DaemonSet)
	}
	for _, r := range state.Revisions {
		revs = append(revs, r)
	}
	for _, p := range state.Pods {
		pods = append(pods, p)
	}
	for _, n := range state.Nodes {
		nodes = append(nodes, n)
	}
	all := append(append(append(append([]runtime.Object(nil), dss...), revs...), pods...), nodes...)
	c, err := NewCluster(all...)
	if err != nil {
		return Result{}, err
	}
	ctx, cancel := quietContext()
	defer cancel()
	dsInf := c.Informers.Apps().V1().DaemonSets()
	revInf := c.Informers.Apps().V1().ControllerRevisions()
	podInf := c.Informers.Core().V1().Pods()
	nodeInf := c.Informers.Core().V1().Nodes()
	backoff := flowcontrol.NewFakeBackOff(time.Second, 15*time.Minute, clocktesting.NewFakeClock(now))
	dsc, err := daemon.NewDaemonSetsController(ctx, dsInf, revInf, podInf, nodeInf, c.Client, backoff)
	if err != nil {
		return Result{}, err
	}
	defer shutDownQueue(dsc, "queue")
	for _, f := range []struct {
		inf  cacheInformer
		objs []runtime.Object
	}{{dsInf.Informer(), dss}, {revInf.Informer(), revs}, {podInf.Informer(), pods}, {nodeInf.Informer(), nodes}} {
		if err := Fill(f.inf, f.objs...); err != nil {
			return Result{}, err
		}
	}
	syncErr := syncDaemonSet(dsc, ctx, keyOf(state.DaemonSet))
	calls, err := Calls(c.Client.Actions())
	if err != nil {
		return Result{}, err
	}
	return Result{Calls: calls, SyncErr: syncErr}, nil
}

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

// CronJobState is what one CronJob sync observes.
type CronJobState struct {
	CronJob *batch.CronJob
	Jobs    []*batch.Job
}

// CronJobResult adds to Result the requeue delay the CronJob sync returns.
type CronJobResult struct {
	Result
	RequeueAfter *time.Duration
}

// SyncCronJob runs one sync of the upstream CronJob controller on state,
// with the controller's clock function set to return now.
func SyncCronJob(state CronJobState, now time.Time) (CronJobResult, error) {
	var cjs, jobs []runtime.Object
	if state.CronJob != nil {
		cjs = append(cjs, state.CronJob)
	}
	for _, j := range state.Jobs {
		jobs = append(jobs, j)
	}
	c, err := NewCluster(append(append([]runtime.Object(nil), cjs...), jobs...)...)
	if err != nil {
		return CronJobResult{}, err
	}
	ctx, cancel := quietContext()
	defer cancel()
	jobInf := c.Informers.Batch().V1().Jobs()
	cjInf := c.Informers.Batch().V1().CronJobs()
	jm, err := cronjob.NewControllerV2(ctx, jobInf, cjInf, c.Client)
	if err != nil {
		return CronJobResult{}, err
	}
	defer shutDownQueue(jm, "queue")
	if !setField(jm, "now", func() time.Time { return now }) {
		return CronJobResult{}, errNoClockField
	}
	if err := Fill(cjInf.Informer(), cjs...); err != nil {
		return CronJobResult{}, err
	}
	if err := Fill(jobInf.Informer(), jobs...); err != nil {
		return CronJobResult{}, err
	}
	requeue, syncErr := syncCronJob(jm, ctx, keyOf(state.CronJob))
	calls, err := Calls(c.Client.Actions())
	if err != nil {
		return CronJobResult{}, err
	}
	return CronJobResult{Result: Result{Calls: calls, SyncErr: syncErr}, RequeueAfter: requeue}, nil
}
