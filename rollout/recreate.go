package rollout

import (
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// rolloutRecreate is one step of a Recreate rollout (upstream
// rolloutRecreate): scale every old ReplicaSet to 0; wait until no old pod
// runs (terminating ones included); then create the new ReplicaSet at full
// size, or scale it there; clean up history once complete; write the
// rollout status.
func (s *syncer) rolloutRecreate(rsList []*appsv1.ReplicaSet, pods map[types.UID][]*v1.Pod) error {
	newRS, old, err := s.allReplicaSets(rsList, false)
	if err != nil {
		return err
	}
	all := withNew(old, newRS)

	scaledDown := false
	for _, rs := range active(old) {
		if scaled, _ := s.scaleReplicaSet(rs, 0, false); scaled {
			scaledDown = true
		}
	}
	if scaledDown {
		s.syncRolloutStatus(all, newRS)
		return nil
	}
	if oldPodsRunning(newRS, old, pods) {
		s.syncRolloutStatus(all, newRS)
		return nil
	}
	if newRS == nil {
		newRS, old, err = s.allReplicaSets(rsList, true)
		if err != nil {
			return err
		}
		all = withNew(old, newRS)
	}
	s.scaleReplicaSet(newRS, *s.d.Spec.Replicas, false)
	if deploymentComplete(s.d, &s.d.Status) {
		s.cleanupDeployment(old)
	}
	s.syncRolloutStatus(all, newRS)
	return nil
}

// oldPodsRunning: an old ReplicaSet still reports pods, or a pod of a
// ReplicaSet other than the new one has not finished (Succeeded or Failed).
func oldPodsRunning(newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet, pods map[types.UID][]*v1.Pod) bool {
	if statusSum(old, func(st *appsv1.ReplicaSetStatus) int32 { return st.Replicas }) > 0 {
		return true
	}
	for uid, list := range pods {
		if newRS != nil && newRS.UID == uid {
			continue
		}
		for _, p := range list {
			if p.Status.Phase != v1.PodFailed && p.Status.Phase != v1.PodSucceeded {
				return true
			}
		}
	}
	return false
}
