package daemon

import (
	"errors"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/selector"
	"github.com/kubepure/kubepure/workload"
)

// Reconcile returns what one sync of the upstream DaemonSet controller
// (syncDaemonSet) does with state at time now, call for call and event for
// event, in upstream's order:
//
//  0. a DaemonSet with an empty selector gets a Warning SelectingAll event
//     and nothing else (upstream's guard for objects stored under older
//     validation);
//  1. a DaemonSet being deleted gets nothing at all;
//  2. history: claim the namespace's ControllerRevisions, label the ones
//     lacking controller-revision-hash, then find the revision whose data
//     is the current template (create it, or de-duplicate several and
//     raise its revision number to the newest);
//  3. manage: per node, create the missing daemon pod and delete the pods
//     that must go (on nodes that no longer fit, failed pods past their
//     back-off, succeeded pods, surplus pods), at most BurstReplicas of
//     each, with the FailedDaemonPod, SucceededDaemonPod, SuccessfulCreate
//     and SuccessfulDelete events;
//  4. when manage had nothing to do, the rolling update (RollingUpdate
//     strategy) deletes old pods within maxUnavailable or surges new ones
//     within maxSurge;
//  5. delete old revisions beyond revisionHistoryLimit that no pod uses;
//  6. write the status, and requeue after minReadySeconds while a ready
//     pod is not yet available, or after a failed pod's back-off.
//
// Every call is assumed to succeed, as against a fake clientset. The only
// failures the plan foresees are those the state makes certain (a revision
// name taken by another template, which bumps status.collisionCount; a
// surge onto a node that no longer exists); they end with Plan.Requeue, as
// upstream's error return does.
//
// Invalid input (what the API server would refuse to store) returns an error
// naming the field and no plan. state is never modified.
func Reconcile(state State, now time.Time) (Plan, error) {
	sel, selectingAll, err := state.validate()
	if err != nil {
		return Plan{}, err
	}
	if selectingAll {
		// Upstream's guard for a DaemonSet stored under older validation:
		// it warns and does nothing else, not even a status write.
		var plan workload.Plan
		plan.Warning(workload.ObjectRef(state.DaemonSet, daemonSetKind), EventSelectingAll, "This daemon set is selecting all pods. A non-empty selector is required.")
		return Plan{Plan: plan, Backoff: copyBackoff(state.Backoff)}, nil
	}
	s := &syncer{
		ds:      state.DaemonSet,
		ref:     workload.ObjectRef(state.DaemonSet, daemonSetKind),
		sel:     sel,
		now:     now,
		nodes:   sortedNodes(state.Nodes),
		backoff: copyBackoff(state.Backoff),

		deletedPods: map[string]bool{},
	}
	s.placement = selector.NewDaemonPlacement(&s.ds.Spec.Template)
	for _, p := range state.Pods {
		if p.Namespace == s.ds.Namespace {
			s.pods = append(s.pods, p)
		}
	}
	for _, r := range state.Revisions {
		if r.Namespace == s.ds.Namespace {
			s.revisions = append(s.revisions, r)
		}
	}
	if err := s.sync(); err != nil {
		if !errors.Is(err, errSyncFailed) {
			return Plan{}, err
		}
		s.plan.Requeue = true
	}
	if len(s.requeueAfter) > 0 {
		s.plan.RequeueAfter = s.requeueAfter[0]
		for _, d := range s.requeueAfter[1:] {
			s.plan.RequeueAfter = min(s.plan.RequeueAfter, d)
		}
	}
	return Plan{Plan: s.plan, Backoff: s.backoff}, nil
}

// errSyncFailed marks a sync that upstream ends with an error: the actions
// so far stand and the DaemonSet is requeued with rate limiting.
var errSyncFailed = errors.New("sync failed")

// syncer carries one sync.
type syncer struct {
	ds        *appsv1.DaemonSet
	ref       v1.ObjectReference // the DaemonSet, as its events name it
	sel       labels.Selector
	now       time.Time
	nodes     []*v1.Node // sorted by name: the order of creates and deletes past the burst
	pods      []*v1.Pod  // the namespace's pods
	revisions []*appsv1.ControllerRevision
	placement selector.DaemonPlacement
	backoff   map[string]backoff.Entry

	deletedPods  map[string]bool // pods deleted earlier in this sync
	plan         workload.Plan
	requeueAfter []time.Duration
}

func (s *syncer) sync() error {
	if s.ds.DeletionTimestamp != nil {
		// Upstream cannot tell whether the revisions still exist while the
		// garbage collector works, so it does not touch the status either.
		return nil
	}
	hash, old, err := s.constructHistory()
	if err != nil {
		return err
	}
	manageErr := s.updateDaemonSet(hash, old)
	s.updateStatus(hash)
	return manageErr
}

// updateDaemonSet is manage, the rolling update when manage left nothing
// in flight, and the history clean-up.
func (s *syncer) updateDaemonSet(hash string, old []*appsv1.ControllerRevision) error {
	busy := s.manage(hash)
	// Upstream waits for the creates and deletes it just made to be
	// observed (its expectations) before it rolls; any call counts.
	if !busy && s.ds.Spec.UpdateStrategy.Type == appsv1.RollingUpdateDaemonSetStrategyType {
		if err := s.rollingUpdate(hash); err != nil {
			return err
		}
	}
	s.cleanupHistory(old)
	return nil
}

// claimPods is upstream's getDaemonPods: the pods the DaemonSet owns, or
// adopts, after its adoption and release patches. Upstream claims again in
// every step that needs the pods, and its cache does not see its own
// patches within a sync, so each claim repeats the patches.
func (s *syncer) claimPods() []*v1.Pod {
	owned := selector.OwnedBy(s.ds, daemonSetKind.Kind, s.pods, true)
	claim := selector.ClaimPods(s.ds, daemonSetKind, s.sel, owned)
	claimed := claim.Claimed
	for _, c := range claim.Changes {
		if c.Kind == selector.Adopt && s.deletedPods[c.Object.Name] {
			// The adoption patch of a pod this sync deleted finds nothing;
			// upstream drops the pod from the claim and carries on.
			claimed = withoutPod(claimed, c.Object)
		}
		s.plan.Actions = append(s.plan.Actions, c.Action(workload.ResourcePods, daemonSetKind.Kind, s.ds))
	}
	return claimed
}

func withoutPod(pods []*v1.Pod, p *v1.Pod) []*v1.Pod {
	out := make([]*v1.Pod, 0, len(pods))
	for _, q := range pods {
		if q != p {
			out = append(out, q)
		}
	}
	return out
}

// nodeToPods groups the claimed pods by the node they are for (spec.nodeName,
// or the node an unscheduled daemon pod is pinned to by its node affinity).
// Pods that are finished and being deleted are left out unless
// withDeletedTerminal: the kubelet or the pod garbage collector owns them.
func (s *syncer) nodeToPods(withDeletedTerminal bool) map[string][]*v1.Pod {
	out := map[string][]*v1.Pod{}
	for _, p := range s.claimPods() {
		if !withDeletedTerminal && p.DeletionTimestamp != nil && (workload.IsPodFailed(p) || workload.IsPodSucceeded(p)) {
			continue
		}
		node, ok := dsutil.TargetNode(p)
		if !ok {
			continue
		}
		out[node] = append(out[node], p)
	}
	return out
}

func (s *syncer) requeue(d time.Duration) {
	s.requeueAfter = append(s.requeueAfter, d)
}

// sortedNodes orders the nodes by name (validation made names unique).
func sortedNodes(nodes []*v1.Node) []*v1.Node {
	out := append([]*v1.Node(nil), nodes...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func copyBackoff(m map[string]backoff.Entry) map[string]backoff.Entry {
	out := make(map[string]backoff.Entry, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
