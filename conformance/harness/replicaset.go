package harness

import (
	"context"
	"fmt"

	apps "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/replicaset"

	"github.com/kubepure/kubepure/workload"
)

// ReplicaSetState is what one ReplicaSet sync observes: the ReplicaSet to
// sync, the other ReplicaSets in the cluster (siblings under the same
// Deployment rank pods by colocation) and all pods.
type ReplicaSetState struct {
	ReplicaSet  *apps.ReplicaSet
	ReplicaSets []*apps.ReplicaSet
	Pods        []*v1.Pod
}

// Result is what one upstream sync did.
type Result struct {
	// Calls are the writes the controller made, normalised by Calls.
	Calls []workload.Action
	// SyncErr is the error the sync function returned; a worker would
	// requeue the key with rate limiting.
	SyncErr error
}

// SyncReplicaSet runs one sync of the upstream ReplicaSet controller,
// built as kube-controller-manager builds it, on state.
//
// Upstream reads the wall clock (status conditions, the deletion ranking's
// logarithmic time buckets), so timestamps in state should be relative to
// time.Now() and keep away from bucket edges.
func SyncReplicaSet(state ReplicaSetState) (Result, error) {
	if state.ReplicaSet == nil {
		return Result{}, fmt.Errorf("state.ReplicaSet is nil")
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
		return Result{}, err
	}
	ctx, cancel := quietContext()
	defer cancel()

	rsInformer := c.Informers.Apps().V1().ReplicaSets()
	podInformer := c.Informers.Core().V1().Pods()
	rsc := replicaset.NewReplicaSetController(ctx, rsInformer, podInformer, c.Client, replicaset.BurstReplicas)
	defer shutDownQueue(rsc, "queue")

	if err := Fill(rsInformer.Informer(), objs[:1+len(state.ReplicaSets)]...); err != nil {
		return Result{}, err
	}
	if err := Fill(podInformer.Informer(), objs[1+len(state.ReplicaSets):]...); err != nil {
		return Result{}, err
	}
	key := state.ReplicaSet.Namespace + "/" + state.ReplicaSet.Name
	syncErr := syncReplicaSet(rsc, ctx, key)
	calls, err := Calls(c.Client.Actions())
	if err != nil {
		return Result{}, err
	}
	return Result{Calls: calls, SyncErr: syncErr}, nil
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
