package rollout

import (
	"sort"

	appsv1 "k8s.io/api/apps/v1"
)

// rolloutRolling is one step of a RollingUpdate (upstream rolloutRolling):
// create the new ReplicaSet if needed; scale it up as far as maxSurge
// allows and stop there if it grew; else scale old ReplicaSets down as far
// as maxUnavailable allows, unhealthy replicas first; once the rollout is
// complete, clean up history; write the rollout status. The status is
// computed from the ReplicaSets as they were before this sync's writes.
func (s *syncer) rolloutRolling(rsList []*appsv1.ReplicaSet) error {
	newRS, old, err := s.allReplicaSets(rsList, true)
	if err != nil {
		return err
	}
	all := withNew(old, newRS)

	if s.reconcileNewReplicaSet(all, newRS) {
		s.syncRolloutStatus(all, newRS)
		return nil
	}
	if s.reconcileOldReplicaSets(all, active(old), newRS) {
		s.syncRolloutStatus(all, newRS)
		return nil
	}
	// Judged on the stored status, as upstream does.
	if deploymentComplete(s.d, &s.d.Status) {
		s.cleanupDeployment(old)
	}
	s.syncRolloutStatus(all, newRS)
	return nil
}

// reconcileNewReplicaSet sizes the new ReplicaSet: down to spec.replicas
// if above, else up to what maxSurge allows. It reports a size change.
func (s *syncer) reconcileNewReplicaSet(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) bool {
	replicas := *s.d.Spec.Replicas
	switch {
	case *newRS.Spec.Replicas == replicas:
		return false
	case *newRS.Spec.Replicas > replicas:
		scaled, _ := s.scaleReplicaSet(newRS, replicas, false)
		return scaled
	}
	scaled, _ := s.scaleReplicaSet(newRS, newReplicaSetTarget(s.d, all, newRS), false)
	return scaled
}

// reconcileOldReplicaSets scales old ReplicaSets down by at most what
// keeps spec.replicas − maxUnavailable pods available, counting the new
// ReplicaSet's unavailable pods against the budget. It reports whether
// anything was scaled down.
func (s *syncer) reconcileOldReplicaSets(all, activeOld []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) bool {
	if specReplicas(activeOld) == 0 {
		return false
	}
	minAvailable := *s.d.Spec.Replicas - maxUnavailable(s.d)
	newUnavailable := *newRS.Spec.Replicas - newRS.Status.AvailableReplicas
	maxScaledDown := specReplicas(all) - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		return false
	}
	activeOld, cleaned, ok := s.cleanupUnhealthyReplicas(activeOld, maxScaledDown)
	if !ok {
		// Upstream logs the error and reports no scale-down (quirk).
		return false
	}
	scaledDown := s.scaleDownOldReplicaSets(withNew(activeOld, newRS), activeOld)
	return cleaned+scaledDown > 0
}

// cleanupUnhealthyReplicas removes unavailable replicas of old
// ReplicaSets, oldest first, up to maxCleanup: they give no availability,
// so they can go without counting against maxUnavailable. A ReplicaSet
// with more available pods than it wants makes upstream give up (ok false)
// after whatever it already wrote.
func (s *syncer) cleanupUnhealthyReplicas(old []*appsv1.ReplicaSet, maxCleanup int32) ([]*appsv1.ReplicaSet, int32, bool) {
	sort.Sort(byCreation(old))
	var total int32
	for i, rs := range old {
		if total >= maxCleanup {
			break
		}
		if *rs.Spec.Replicas == 0 || *rs.Spec.Replicas == rs.Status.AvailableReplicas {
			continue
		}
		n := min(maxCleanup-total, *rs.Spec.Replicas-rs.Status.AvailableReplicas)
		target := *rs.Spec.Replicas - n
		if target > *rs.Spec.Replicas {
			return nil, 0, false
		}
		_, written := s.scaleReplicaSet(rs, target, false)
		total += n
		old[i] = written
	}
	return old, total, true
}

// scaleDownOldReplicaSets takes available replicas away from old
// ReplicaSets, oldest first, while more than spec.replicas −
// maxUnavailable pods are available.
func (s *syncer) scaleDownOldReplicaSets(all, old []*appsv1.ReplicaSet) int32 {
	minAvailable := *s.d.Spec.Replicas - maxUnavailable(s.d)
	available := statusSum(all, func(st *appsv1.ReplicaSetStatus) int32 { return st.AvailableReplicas })
	if available <= minAvailable {
		return 0
	}
	sort.Sort(byCreation(old))
	budget := available - minAvailable
	var total int32
	for _, rs := range old {
		if total >= budget {
			break
		}
		if *rs.Spec.Replicas == 0 {
			continue
		}
		n := min(*rs.Spec.Replicas, budget-total)
		s.scaleReplicaSet(rs, *rs.Spec.Replicas-n, false)
		total += n
	}
	return total
}
