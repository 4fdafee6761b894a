package harness

import (
	"fmt"
	"time"

	"github.com/go-logr/logr"

	apps "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/flowcontrol"
	"k8s.io/kubernetes/pkg/controller/daemon"
	clocktesting "k8s.io/utils/clock/testing"
)

// DaemonSetState is what one DaemonSet sync observes.
type DaemonSetState struct {
	DaemonSet *apps.DaemonSet
	Revisions []*apps.ControllerRevision
	Pods      []*v1.Pod
	Nodes     []*v1.Node
	// Backoff is the failed-pods back-off the controller remembers from
	// earlier syncs: per key, the current delay (a power of two seconds, or
	// the 15 minute cap) and when it was last advanced.
	Backoff map[string]BackoffEntry
}

// BackoffEntry is one remembered failed-pod back-off.
type BackoffEntry struct {
	Delay      time.Duration
	LastUpdate time.Time
}

// DaemonSetResult is one upstream DaemonSet sync: its calls, events and
// requeues, and the failed-pods back-off delay per key afterwards (0 for no
// entry).
type DaemonSetResult struct {
	Result
	BackoffDelay func(key string) time.Duration
}

// SyncDaemonSet runs one sync of the upstream DaemonSet controller on
// state. kube-controller-manager passes a failed-pods back-off of 1s to
// 15m on the real clock; the harness passes the same back-off on a fake
// clock that reads now, after replaying state.Backoff into it.
func SyncDaemonSet(state DaemonSetState, now time.Time) (DaemonSetResult, error) {
	return syncOnce(PrepareDaemonSetSync(state, now))
}

// PrepareDaemonSetSync builds the cluster and the controller for one
// DaemonSet sync and returns the sync, to be called once, and a function
// that releases what the controller started.
func PrepareDaemonSetSync(state DaemonSetState, now time.Time) (sync func() (DaemonSetResult, error), done func(), err error) {
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
		return nil, nil, err
	}
	ctx, cancel := quietContext()
	dsInf := c.Informers.Apps().V1().DaemonSets()
	revInf := c.Informers.Apps().V1().ControllerRevisions()
	podInf := c.Informers.Core().V1().Pods()
	nodeInf := c.Informers.Core().V1().Nodes()
	clk := clocktesting.NewFakeClock(now)
	backoff := flowcontrol.NewFakeBackOff(time.Second, 15*time.Minute, clk)
	for key, e := range state.Backoff {
		// Next doubles from 1s and stamps the clock's time: step it to the
		// remembered delay at the remembered time.
		clk.SetTime(e.LastUpdate)
		for backoff.Next(key, e.LastUpdate); backoff.Get(key) < e.Delay; {
			backoff.Next(key, e.LastUpdate)
		}
		if backoff.Get(key) != e.Delay {
			cancel()
			return nil, nil, fmt.Errorf("back-off %q: delay %v is not reachable", key, e.Delay)
		}
	}
	clk.SetTime(now)
	dsc, err := daemon.NewDaemonSetsController(ctx, dsInf, revInf, podInf, nodeInf, c.Client, backoff)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	done = func() {
		shutDownQueue(dsc, "queue")
		shutDownQueue(dsc, "nodeUpdateQueue")
		cancel()
	}
	fail := func(err error) (func() (DaemonSetResult, error), func(), error) {
		done()
		return nil, nil, err
	}
	events := &EventLog{}
	if !installEventLog(dsc, events, []string{"eventRecorder"}, []string{"podControl"}) {
		return fail(fmt.Errorf("cannot replace the DaemonSet controller's event recorders"))
	}
	queue := &recordingQueue{}
	if !replaceQueue(dsc, "queue", queue) {
		return fail(fmt.Errorf("cannot wrap the DaemonSet controller's queue"))
	}
	for _, f := range []struct {
		inf  cacheInformer
		objs []runtime.Object
	}{{dsInf.Informer(), dss}, {revInf.Informer(), revs}, {podInf.Informer(), pods}, {nodeInf.Informer(), nodes}} {
		if err := Fill(f.inf, f.objs...); err != nil {
			return fail(err)
		}
	}
	key := keyOf(state.DaemonSet)
	sync = func() (DaemonSetResult, error) {
		syncErr := syncDaemonSet(dsc, ctx, key)
		calls, err := Calls(c.Client.Actions())
		if err != nil {
			return DaemonSetResult{}, err
		}
		return DaemonSetResult{
			Result: Result{Calls: calls, SyncErr: syncErr, RequeueAfter: queue.after, RateLimited: queue.rateLimited,
				Events: events.Events(), Generated: c.Generated()},
			BackoffDelay: backoff.Get,
		}, nil
	}
	return sync, done, nil
}

// UpstreamNodeShouldRunDaemonPod is upstream's exported eligibility check.
func UpstreamNodeShouldRunDaemonPod(node *v1.Node, ds *apps.DaemonSet) (shouldRun, shouldContinueRunning bool) {
	return daemon.NodeShouldRunDaemonPod(logr.Discard(), node, ds)
}
