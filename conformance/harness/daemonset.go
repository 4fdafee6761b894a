package harness

import (
	"time"

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
