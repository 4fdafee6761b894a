package harness

import (
	"context"
	"fmt"
	"time"

	apps "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/replicaset"
	"k8s.io/utils/clock"
	testingclock "k8s.io/utils/clock/testing"

	"github.com/kubepure/kubepure/workload"
)

// ReplicaSetState is what one ReplicaSet sync observes: the ReplicaSet to
// sync, the other ReplicaSets in the cluster (siblings under the same
// Deployment rank pods by colocation) and all pods.
type ReplicaSetState struct {
	ReplicaSet  *apps.ReplicaSet
	ReplicaSets []*apps.ReplicaSet
	Pods        []*v1.Pod
	// Now, when set, is the time of the controller's own clock (status,
	// availability, the requeue); the zero value keeps the wall clock. The
	// deletion ranking reads the wall clock whatever Now says.
	Now time.Time
}

// Result is what one upstream sync did.
type Result struct {
	// Calls are the writes the controller made, normalised by Calls.
	Calls []workload.Action
	// SyncErr is the error the sync function returned; a worker would
	// requeue the key with rate limiting.
	SyncErr error
	// RequeueAfter are the delays the sync asked its work queue for
	// (AddAfter), in order, and RateLimited counts its AddRateLimited
	// calls; both recorded only where the harness wraps the queue
	// (SyncReplicaSet, SyncDeployment).
	RequeueAfter []time.Duration
	RateLimited  int
	// Events are the events the controller recorded, in the order its
	// recorder received them, and Generated the names the fake API server
	// gave objects created with only a generateName (see EventStrings);
	// both recorded only where the harness installs an EventLog.
	Events    []workload.Event
	Generated []string
}

// Err is the error the controller's sync returned.
func (r Result) Err() error { return r.SyncErr }

// SyncReplicaSet runs one sync of the upstream ReplicaSet controller,
// built as kube-controller-manager builds it, on state.
//
// Upstream reads the wall clock (status conditions, the deletion ranking's
// logarithmic time buckets), so timestamps in state should be relative to
// time.Now() and keep away from bucket edges.
func SyncReplicaSet(state ReplicaSetState) (Result, error) {
	return syncOnce(PrepareReplicaSetSync(state))
}

// PrepareReplicaSetSync builds the cluster and the controller for one
// ReplicaSet sync and returns the sync itself, to be called once, and a
// function that releases what the controller started. Benchmarks time the
// sync alone with it.
func PrepareReplicaSetSync(state ReplicaSetState) (sync func() (Result, error), done func(), err error) {
	if state.ReplicaSet == nil {
		return nil, nil, fmt.Errorf("state.ReplicaSet is nil")
	}
	objs := []runtime.Object{state.ReplicaSet}
	for _, rs := range state.ReplicaSets {
		objs = append(objs, rs)
	}
	for _, p := range state.Pods {
		objs = append(objs, p)
	}
	c, err := NewCluster(objs...)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := quietContext()
	rsInformer := c.Informers.Apps().V1().ReplicaSets()
	podInformer := c.Informers.Core().V1().Pods()
	rsc := replicaset.NewReplicaSetController(ctx, rsInformer, podInformer, c.Client, replicaset.BurstReplicas)
	done = func() {
		shutDownQueue(rsc, "queue")
		cancel()
	}
	fail := func(err error) (func() (Result, error), func(), error) {
		done()
		return nil, nil, err
	}
	if !state.Now.IsZero() && !setField(rsc, "clock", clock.PassiveClock(testingclock.NewFakePassiveClock(state.Now))) {
		return fail(fmt.Errorf("cannot set the ReplicaSet controller's clock"))
	}
	events := &EventLog{}
	if !installEventLog(rsc, events, nil, []string{"podControl"}) {
		return fail(fmt.Errorf("cannot replace the ReplicaSet controller's event recorder"))
	}
	queue := &recordingQueue{}
	if !replaceQueue(rsc, "queue", queue) {
		return fail(fmt.Errorf("cannot wrap the ReplicaSet controller's queue"))
	}
	if err := Fill(rsInformer.Informer(), objs[:1+len(state.ReplicaSets)]...); err != nil {
		return fail(err)
	}
	if err := Fill(podInformer.Informer(), objs[1+len(state.ReplicaSets):]...); err != nil {
		return fail(err)
	}
	key := state.ReplicaSet.Namespace + "/" + state.ReplicaSet.Name
	sync = func() (Result, error) {
		syncErr := syncReplicaSet(rsc, ctx, key)
		calls, err := Calls(c.Client.Actions())
		if err != nil {
			return Result{}, err
		}
		return Result{Calls: calls, SyncErr: syncErr, RequeueAfter: queue.after, RateLimited: queue.rateLimited, Events: events.Events(), Generated: c.Generated()}, nil
	}
	return sync, done, nil
}

// quietContext returns a context whose logger discards everything: the
// controllers log at every sync, and a conformance run makes many thousands
// of syncs. Cancelling it shuts down the event broadcaster the controller
// started.
func quietContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	return klog.NewContext(ctx, klog.Background().V(100)), cancel
}

// UpstreamPodsToDelete is upstream's replicaset.getPodsToDelete on a copy
// of pods (upstream sorts its argument in place). Upstream ranks by the
// wall clock; see gen.StableAge for keeping timestamps away from the
// bucket edges it could cross between two clock readings. n must be in
// [0, len(pods)]: upstream slices pods[:n].
func UpstreamPodsToDelete(pods, related []*v1.Pod, n int) []*v1.Pod {
	cp := append([]*v1.Pod(nil), pods...)
	return append([]*v1.Pod(nil), getPodsToDelete(cp, related, n)...)
}
