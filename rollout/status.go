package rollout

import (
	"fmt"
	"reflect"
	"time"

	"github.com/kubepure/kubepure/workload"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
)

// calculateStatus is the Deployment status the ReplicaSets in memory imply
// (upstream calculateStatus). Counts come from their status, except
// unavailableReplicas, which subtracts from the sum of spec.replicas and so
// counts surge pods too. Conditions are copied and Available is set.
func calculateStatus(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment, now time.Time) appsv1.DeploymentStatus {
	available := statusSum(all, func(s *appsv1.ReplicaSetStatus) int32 { return s.AvailableReplicas })
	unavailable := specReplicas(all) - available
	if unavailable < 0 {
		unavailable = 0
	}
	st := appsv1.DeploymentStatus{
		ObservedGeneration:  d.Generation,
		Replicas:            statusSum(all, func(s *appsv1.ReplicaSetStatus) int32 { return s.Replicas }),
		UpdatedReplicas:     statusSum([]*appsv1.ReplicaSet{newRS}, func(s *appsv1.ReplicaSetStatus) int32 { return s.Replicas }),
		ReadyReplicas:       statusSum(all, func(s *appsv1.ReplicaSetStatus) int32 { return s.ReadyReplicas }),
		AvailableReplicas:   available,
		UnavailableReplicas: unavailable,
		TerminatingReplicas: terminatingReplicas(all),
		CollisionCount:      d.Status.CollisionCount,
	}
	// Appending to nil keeps an empty list nil, as upstream's copy does.
	st.Conditions = append(st.Conditions, d.Status.Conditions...)
	if available >= *d.Spec.Replicas-maxUnavailable(d) {
		setCondition(&st, newCondition(appsv1.DeploymentAvailable, v1.ConditionTrue, ReasonMinimumReplicasAvailable, "Deployment has minimum availability.", now))
	} else {
		setCondition(&st, newCondition(appsv1.DeploymentAvailable, v1.ConditionFalse, ReasonMinimumReplicasUnavailable, "Deployment does not have minimum availability.", now))
	}
	return st
}

// terminatingReplicas sums the ReplicaSets' terminating pods (the
// DeploymentReplicaSetTerminatingReplicas gate, on in 1.37). A ReplicaSet
// never synced (observedGeneration 0, no count) is skipped; any other
// without a count makes the total unknown (nil).
func terminatingReplicas(all []*appsv1.ReplicaSet) *int32 {
	var n int32
	for _, rs := range all {
		switch {
		case rs == nil:
		case rs.Status.ObservedGeneration == 0 && rs.Status.TerminatingReplicas == nil:
		case rs.Status.TerminatingReplicas == nil:
			return nil
		default:
			n += *rs.Status.TerminatingReplicas
		}
	}
	return &n
}

// syncDeploymentStatus writes the calculated status if it differs (paused,
// scaling and deleting syncs: no Progressing logic).
func (s *syncer) syncDeploymentStatus(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) {
	st := calculateStatus(all, newRS, s.d, s.now)
	if reflect.DeepEqual(s.d.Status, st) {
		return
	}
	before := s.d.Status
	s.d.Status = st
	s.updateStatus("status: " + statusChanges(before, st))
}

// syncRolloutStatus is the status write of the rollout paths (upstream
// syncRolloutStatus): the calculated status plus the Progressing condition
// (complete, progressing, or timed out) and ReplicaFailure copied from the
// ReplicaSets. With nothing to write, it asks to be requeued when the
// progress deadline would pass.
func (s *syncer) syncRolloutStatus(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) {
	d := s.d
	st := calculateStatus(all, newRS, d, s.now)
	if !hasProgressDeadline(d) {
		removeCondition(&st, appsv1.DeploymentProgressing)
	}
	cur := getCondition(d.Status, appsv1.DeploymentProgressing)
	completeAlready := st.Replicas == st.UpdatedReplicas && cur != nil && cur.Reason == ReasonNewReplicaSetAvailable
	if hasProgressDeadline(d) && !completeAlready {
		subject := fmt.Sprintf("Deployment %q", d.Name)
		if newRS != nil {
			subject = fmt.Sprintf("ReplicaSet %q", newRS.Name)
		}
		switch {
		case deploymentComplete(d, &st):
			setCondition(&st, newCondition(appsv1.DeploymentProgressing, v1.ConditionTrue, ReasonNewReplicaSetAvailable, subject+" has successfully progressed.", s.now))
		case deploymentProgressing(d, &st):
			c := newCondition(appsv1.DeploymentProgressing, v1.ConditionTrue, ReasonReplicaSetUpdated, subject+" is progressing.", s.now)
			if cur != nil {
				if cur.Status == v1.ConditionTrue {
					c.LastTransitionTime = cur.LastTransitionTime
				}
				removeCondition(&st, appsv1.DeploymentProgressing)
			}
			setCondition(&st, c)
		case s.timedOut(&st):
			setCondition(&st, newCondition(appsv1.DeploymentProgressing, v1.ConditionFalse, ReasonProgressDeadlineExceeded, subject+" has timed out progressing.", s.now))
		}
	}
	if failures := replicaFailures(all, newRS); len(failures) > 0 {
		setCondition(&st, failures[0])
	} else {
		removeCondition(&st, appsv1.DeploymentReplicaFailure)
	}
	if reflect.DeepEqual(d.Status, st) {
		s.requeueStuck(st)
		return
	}
	before := d.Status
	d.Status = st
	s.updateStatus("rollout status: " + statusChanges(before, st))
}

// deploymentComplete: every wanted pod is updated and available, and the
// status describes the current generation.
func deploymentComplete(d *appsv1.Deployment, st *appsv1.DeploymentStatus) bool {
	r := *d.Spec.Replicas
	return st.UpdatedReplicas == r && st.Replicas == r && st.AvailableReplicas == r && st.ObservedGeneration >= d.Generation
}

// deploymentProgressing compares the new status with the one stored: more
// updated, fewer old, more ready or more available pods is progress.
func deploymentProgressing(d *appsv1.Deployment, st *appsv1.DeploymentStatus) bool {
	old := d.Status
	return st.UpdatedReplicas > old.UpdatedReplicas ||
		st.Replicas-st.UpdatedReplicas < old.Replicas-old.UpdatedReplicas ||
		st.ReadyReplicas > old.ReadyReplicas ||
		st.AvailableReplicas > old.AvailableReplicas
}

// timedOut: the Progressing condition of the new status is not complete
// and either already timed out or last updated more than the deadline ago
// (strictly).
func (s *syncer) timedOut(st *appsv1.DeploymentStatus) bool {
	if !hasProgressDeadline(s.d) {
		return false
	}
	c := getCondition(*st, appsv1.DeploymentProgressing)
	if c == nil || c.Reason == ReasonNewReplicaSetAvailable {
		return false
	}
	if c.Reason == ReasonProgressDeadlineExceeded {
		return true
	}
	deadline := time.Duration(*s.d.Spec.ProgressDeadlineSeconds) * time.Second
	return c.LastUpdateTime.Add(deadline).Before(s.now)
}

// replicaFailures are the ReplicaFailure conditions of the new ReplicaSet,
// or if it has none, of all ReplicaSets in order.
func replicaFailures(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) []appsv1.DeploymentCondition {
	collect := func(rss []*appsv1.ReplicaSet) []appsv1.DeploymentCondition {
		var out []appsv1.DeploymentCondition
		for _, rs := range rss {
			if rs == nil {
				continue
			}
			for _, c := range rs.Status.Conditions {
				if c.Type == appsv1.ReplicaSetReplicaFailure {
					out = append(out, fromReplicaSetCondition(c))
				}
			}
		}
		return out
	}
	if out := collect([]*appsv1.ReplicaSet{newRS}); len(out) > 0 {
		return out
	}
	return collect(all)
}

// requeueStuck asks to look again when the progress deadline passes, so
// that a rollout that stopped moving is marked as timed out even though
// nothing it watches changes. Less than a second left is an immediate
// (rate-limited) requeue; otherwise one second of slack is added.
func (s *syncer) requeueStuck(st appsv1.DeploymentStatus) {
	d := s.d
	cur := getCondition(d.Status, appsv1.DeploymentProgressing)
	if !hasProgressDeadline(d) || cur == nil {
		return
	}
	if deploymentComplete(d, &st) || cur.Reason == ReasonProgressDeadlineExceeded {
		return
	}
	after := cur.LastUpdateTime.Add(time.Duration(*d.Spec.ProgressDeadlineSeconds) * time.Second).Sub(s.now)
	if after < time.Second {
		s.plan.Requeue = true
		return
	}
	s.plan.RequeueAfter = after + time.Second
}

// statusChanges says what a status write changes, for its reason: each
// counter that moves ("availableReplicas 1->3"), and each condition added,
// removed or changed ("Progressing condition True/ReplicaSetUpdated ->
// True/NewReplicaSetAvailable"); a condition whose message or times alone
// changed is "refreshed".
func statusChanges(old, cur appsv1.DeploymentStatus) string {
	var c workload.Changes
	c.Int("observedGeneration", old.ObservedGeneration, cur.ObservedGeneration)
	c.Int("replicas", int64(old.Replicas), int64(cur.Replicas))
	c.Int("updatedReplicas", int64(old.UpdatedReplicas), int64(cur.UpdatedReplicas))
	c.Int("readyReplicas", int64(old.ReadyReplicas), int64(cur.ReadyReplicas))
	c.Int("availableReplicas", int64(old.AvailableReplicas), int64(cur.AvailableReplicas))
	c.Int("unavailableReplicas", int64(old.UnavailableReplicas), int64(cur.UnavailableReplicas))
	c.Int32Ptr("terminatingReplicas", old.TerminatingReplicas, cur.TerminatingReplicas)
	c.Int32Ptr("collisionCount", old.CollisionCount, cur.CollisionCount)
	for _, t := range []appsv1.DeploymentConditionType{appsv1.DeploymentAvailable, appsv1.DeploymentProgressing, appsv1.DeploymentReplicaFailure} {
		was, is := getCondition(old, t), getCondition(cur, t)
		switch {
		case was == nil && is == nil:
		case was == nil:
			c.Add("%s condition added (%s/%s)", t, is.Status, is.Reason)
		case is == nil:
			c.Add("%s condition removed", t)
		case was.Status != is.Status || was.Reason != is.Reason:
			c.Add("%s condition %s/%s -> %s/%s", t, was.Status, was.Reason, is.Status, is.Reason)
		case !reflect.DeepEqual(*was, *is):
			c.Add("%s condition refreshed", t)
		}
	}
	if c.Empty() && !reflect.DeepEqual(old.Conditions, cur.Conditions) {
		c.Add("conditions reordered")
	}
	return c.String()
}
