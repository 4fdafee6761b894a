package replicaset

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"

	"github.com/kubepure/kubepure/selector"
)

// Reconcile returns what one sync of the upstream ReplicaSet
// controller (syncReplicaSet) does with state at time now:
//
//  1. claim the active pods: adopt matching orphans, release controlled pods
//     that no longer match the selector (strategic-merge patches);
//  2. unless expectations are pending or the ReplicaSet is being deleted,
//     create pods from the template when too few are active, or delete the
//     surplus chosen by the deletion ranking (at most BurstReplicas either
//     way);
//  3. write the status when it changed (replicas, fullyLabeledReplicas,
//     readyReplicas, availableReplicas, terminatingReplicas,
//     observedGeneration, and removal of a stale ReplicaFailure condition);
//  4. ask to be requeued when minReadySeconds will turn ready pods available.
//
// The plan assumes every call succeeds, as a sync against a healthy API
// server does: so a ReplicaFailure condition is never added, only removed.
// Invalid input (what the API server would reject) returns an error naming
// the field and no plan.
func Reconcile(state State, now time.Time) (Plan, error) {
	sel, err := state.validate()
	if err != nil {
		return Plan{}, err
	}
	rs := state.ReplicaSet
	var plan Plan

	// Pods the controller looks at: its own and the orphans of its namespace.
	candidates := selector.OwnedBy(rs, replicaSetKind.Kind, inNamespace(state.Pods, rs.Namespace), true)
	claim := selector.ClaimPods(rs, replicaSetKind, sel, filterPods(candidates, workload.IsPodActive))
	for _, c := range claim.Changes {
		plan.Actions = append(plan.Actions, c.Action(workload.ResourcePods, replicaSetKind.Kind, rs))
	}
	active := claim.Claimed
	terminating := filterPods(candidates, func(p *v1.Pod) bool {
		ref := selector.ControllerOf(p)
		return workload.IsPodTerminating(p) && ref != nil && ref.UID == rs.UID && sel.Matches(labels.Set(p.Labels))
	})

	if !state.ExpectationsPending && rs.DeletionTimestamp == nil {
		manageReplicas(&plan, state, active, now)
	}

	status := replicaSetStatus(rs, active, terminating, now)
	if written, ok := replicaSetStatusWrite(rs, status); ok {
		plan.Actions = append(plan.Actions, written)
	}
	if rs.Spec.MinReadySeconds > 0 && status.ReadyReplicas != status.AvailableReplicas {
		plan.RequeueAfter = time.Duration(rs.Spec.MinReadySeconds) * time.Second
		if next, ok := workload.NextAvailabilityCheck(active, rs.Spec.MinReadySeconds, now); ok {
			plan.RequeueAfter = next
		}
	}
	return plan, nil
}

// manageReplicas creates or deletes pods so that the number of active pods
// moves towards spec.replicas, by at most BurstReplicas, and records the
// event upstream's pod control records after each call.
func manageReplicas(plan *Plan, state State, active []*v1.Pod, now time.Time) {
	rs := state.ReplicaSet
	ref := workload.ObjectRef(rs, replicaSetKind)
	want := int(*rs.Spec.Replicas)
	diff := len(active) - want
	switch {
	case diff < 0:
		n := min(-diff, BurstReplicas)
		pod, err := workload.PodFromTemplate(&rs.Spec.Template, rs.Name, selector.ControllerRef(rs, replicaSetKind))
		if err != nil {
			// Upstream fails before any API call; validation makes this
			// unreachable for objects a cluster can store.
			return
		}
		reason := fmt.Sprintf("%d of %d replicas active", len(active), want)
		for range n {
			plan.Actions = append(plan.Actions, workload.Action{Verb: workload.Create, Resource: workload.ResourcePods, Namespace: rs.Namespace, Object: pod.DeepCopy(), Reason: reason})
			plan.Normal(ref, workload.EventSuccessfulCreate, "Created pod: %v", pod.Name)
		}
	case diff > 0:
		n := min(diff, BurstReplicas)
		victims := workload.PodsToDelete(active, relatedPods(state), n, now)
		reason := fmt.Sprintf("%d replicas active, want %d", len(active), want)
		for _, p := range victims {
			plan.Actions = append(plan.Actions, workload.Action{Verb: workload.Delete, Resource: workload.ResourcePods, Namespace: rs.Namespace, Name: p.Name, Reason: reason})
			plan.Normal(ref, workload.EventSuccessfulDelete, "Deleted pod: %v", p.Name)
		}
	}
}

// relatedPods are the pods, of any owner and phase, that match the selector
// of a ReplicaSet controlled by the same owner as the one synced (itself
// included), each once. They feed the co-location rank. A ReplicaSet without
// a controller has none, so every rank is 0.
func relatedPods(state State) []*v1.Pod {
	rs := state.ReplicaSet
	owner := selector.ControllerOf(rs)
	if owner == nil {
		return nil
	}
	siblings := []*appsv1.ReplicaSet{rs}
	for _, other := range state.ReplicaSets {
		ref := selector.ControllerOf(other)
		if ref != nil && ref.UID == owner.UID && other.UID != rs.UID {
			siblings = append(siblings, other)
		}
	}
	seen := make(map[types.UID]bool)
	var related []*v1.Pod
	for _, sib := range siblings {
		sel, err := selector.FromLabelSelector(sib.Spec.Selector, nil)
		if err != nil {
			continue // an invalid selector matches no pods
		}
		for _, p := range state.Pods {
			if p.Namespace != sib.Namespace || seen[p.UID] || !sel.Matches(labels.Set(p.Labels)) {
				continue
			}
			seen[p.UID] = true
			related = append(related, p)
		}
	}
	return related
}

// inNamespace keeps the pods of one namespace.
func inNamespace(pods []*v1.Pod, ns string) []*v1.Pod {
	return filterPods(pods, func(p *v1.Pod) bool { return p.Namespace == ns })
}

// filterPods keeps the pods for which keep is true, in input order.
func filterPods(pods []*v1.Pod, keep func(*v1.Pod) bool) []*v1.Pod {
	var out []*v1.Pod
	for _, p := range pods {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}
