package replicaset

import (
	"reflect"
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
	var c workload.Changes
	c.Int("replicas", int64(old.Replicas), int64(cur.Replicas))
	c.Int("fullyLabeledReplicas", int64(old.FullyLabeledReplicas), int64(cur.FullyLabeledReplicas))
	c.Int("readyReplicas", int64(old.ReadyReplicas), int64(cur.ReadyReplicas))
	c.Int("availableReplicas", int64(old.AvailableReplicas), int64(cur.AvailableReplicas))
	c.Int32Ptr("terminatingReplicas", old.TerminatingReplicas, cur.TerminatingReplicas)
	c.Int("observedGeneration", old.ObservedGeneration, generation)
	if len(cur.Conditions) < len(old.Conditions) {
		c.Add("ReplicaFailure condition removed")
	}
	return c.String()
}
