package replicaset

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/kubepure/kubepure/workload"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// replicaSetStatus computes the status one sync writes, from the claimed
// active pods and the terminating pods the ReplicaSet controls. Because a
// plan assumes its calls succeed, a ReplicaFailure condition left by an
// earlier failed sync is removed and none is added.
func replicaSetStatus(rs *appsv1.ReplicaSet, active, terminating []*v1.Pod, now time.Time) appsv1.ReplicaSetStatus {
	status := *rs.Status.DeepCopy()
	templateLabels := labels.SelectorFromSet(rs.Spec.Template.Labels)
	var fullyLabeled, ready, available int32
	for _, p := range active {
		if templateLabels.Matches(labels.Set(p.Labels)) {
			fullyLabeled++
		}
		if workload.IsPodReady(p) {
			ready++
			if workload.IsPodAvailable(p, rs.Spec.MinReadySeconds, now) {
				available++
			}
		}
	}
	status.Replicas = int32(len(active))
	status.FullyLabeledReplicas = fullyLabeled
	status.ReadyReplicas = ready
	status.AvailableReplicas = available
	terminatingCount := int32(len(terminating))
	status.TerminatingReplicas = &terminatingCount
	status.Conditions = withoutReplicaFailure(status.Conditions)
	return status
}

// withoutReplicaFailure drops the ReplicaFailure condition. Like upstream it
// returns the input untouched when there is none, and a fresh slice (nil
// when nothing is left) when there is.
func withoutReplicaFailure(conds []appsv1.ReplicaSetCondition) []appsv1.ReplicaSetCondition {
	found := false
	for _, c := range conds {
		if c.Type == appsv1.ReplicaSetReplicaFailure {
			found = true
		}
	}
	if !found {
		return conds
	}
	var out []appsv1.ReplicaSetCondition
	for _, c := range conds {
		if c.Type != appsv1.ReplicaSetReplicaFailure {
			out = append(out, c)
		}
	}
	return out
}

// replicaSetStatusWrite returns the status update for rs, unless the status
// is unchanged and the generation already observed, when upstream skips it.
// Conditions compare with reflect.DeepEqual as upstream's do, so a nil and
// an empty list differ.
func replicaSetStatusWrite(rs *appsv1.ReplicaSet, status appsv1.ReplicaSetStatus) (workload.Action, bool) {
	old := rs.Status
	if old.Replicas == status.Replicas &&
		old.FullyLabeledReplicas == status.FullyLabeledReplicas &&
		old.ReadyReplicas == status.ReadyReplicas &&
		old.AvailableReplicas == status.AvailableReplicas &&
		equalInt32Ptr(old.TerminatingReplicas, status.TerminatingReplicas) &&
		rs.Generation == old.ObservedGeneration &&
		reflect.DeepEqual(old.Conditions, status.Conditions) {
		return workload.Action{}, false
	}
	status.ObservedGeneration = rs.Generation
	updated := rs.DeepCopy()
	updated.Status = status
	return workload.Action{
		Verb:      workload.UpdateStatus,
		Resource:  workload.ResourceReplicaSets,
		Namespace: rs.Namespace,
		Name:      rs.Name,
		Object:    updated,
		Reason:    "status: " + replicaSetStatusChanges(rs.Status, status, rs.Generation),
	}, true
}

func equalInt32Ptr(a, b *int32) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// replicaSetStatusChanges lists what a status write changes, for its reason.
func replicaSetStatusChanges(old, cur appsv1.ReplicaSetStatus, generation int64) string {
	var changes []string
	count := func(name string, from, to int32) {
		if from != to {
			changes = append(changes, fmt.Sprintf("%s %d->%d", name, from, to))
		}
	}
	count("replicas", old.Replicas, cur.Replicas)
	count("fullyLabeledReplicas", old.FullyLabeledReplicas, cur.FullyLabeledReplicas)
	count("readyReplicas", old.ReadyReplicas, cur.ReadyReplicas)
	count("availableReplicas", old.AvailableReplicas, cur.AvailableReplicas)
	if !equalInt32Ptr(old.TerminatingReplicas, cur.TerminatingReplicas) {
		changes = append(changes, fmt.Sprintf("terminatingReplicas %s->%s", int32PtrString(old.TerminatingReplicas), int32PtrString(cur.TerminatingReplicas)))
	}
	if old.ObservedGeneration != generation {
		changes = append(changes, fmt.Sprintf("observedGeneration %d->%d", old.ObservedGeneration, generation))
	}
	if len(cur.Conditions) < len(old.Conditions) {
		changes = append(changes, "ReplicaFailure condition removed")
	}
	if len(changes) == 0 {
		return "unchanged"
	}
	return strings.Join(changes, ", ")
}

func int32PtrString(p *int32) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}
