package rollout

import (
	"math"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// scaledValue resolves an int-or-percent against total, rounding a
// percentage up or down. Validation has ruled out malformed values; one
// that still fails to parse (a percentage too large for an int) counts as
// 0, as upstream's MaxSurge and MaxUnavailable ignore the error.
func scaledValue(v *intstr.IntOrString, total int32, roundUp bool) int32 {
	if v == nil {
		return 0
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(v, int(total), roundUp)
	if err != nil {
		return 0
	}
	return int32(n)
}

// fenceposts resolves maxSurge (rounded up) and maxUnavailable (rounded
// down) for replicas. Both zero would deadlock a rollout, so unavailable
// then becomes 1: with 2 replicas, maxSurge 0 and maxUnavailable 1%, one pod
// may still go down.
func fenceposts(ru *appsv1.RollingUpdateDeployment, replicas int32) (surge, unavailable int32) {
	zero := intstr.FromInt32(0)
	s, u := ru.MaxSurge, ru.MaxUnavailable
	if s == nil {
		s = &zero
	}
	if u == nil {
		u = &zero
	}
	surge = scaledValue(s, replicas, true)
	unavailable = scaledValue(u, replicas, false)
	if surge == 0 && unavailable == 0 {
		unavailable = 1
	}
	return surge, unavailable
}

func isRollingUpdate(d *appsv1.Deployment) bool {
	return d.Spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType
}

// maxSurge is how many pods above spec.replicas a rollout may run; 0 for
// Recreate.
func maxSurge(d *appsv1.Deployment) int32 {
	if !isRollingUpdate(d) || d.Spec.Strategy.RollingUpdate == nil {
		return 0
	}
	s, _ := fenceposts(d.Spec.Strategy.RollingUpdate, *d.Spec.Replicas)
	return s
}

// maxUnavailable is how many of spec.replicas may be unavailable during a
// rollout, never more than spec.replicas; 0 for Recreate or 0 replicas.
func maxUnavailable(d *appsv1.Deployment) int32 {
	if !isRollingUpdate(d) || d.Spec.Strategy.RollingUpdate == nil || *d.Spec.Replicas == 0 {
		return 0
	}
	_, u := fenceposts(d.Spec.Strategy.RollingUpdate, *d.Spec.Replicas)
	return min(u, *d.Spec.Replicas)
}

// newReplicaSetTarget is the size the new ReplicaSet may grow to in this
// sync (upstream NewRSNewReplicas): for RollingUpdate, as far as maxSurge
// allows over the sum of all ReplicaSets' spec.replicas, never past
// spec.replicas; for Recreate, spec.replicas at once. Unlike maxSurge it
// applies no fencepost and reads maxSurge itself.
func newReplicaSetTarget(d *appsv1.Deployment, all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) int32 {
	if !isRollingUpdate(d) {
		return *d.Spec.Replicas
	}
	surge := scaledValue(d.Spec.Strategy.RollingUpdate.MaxSurge, *d.Spec.Replicas, true)
	current := specReplicas(all)
	maxTotal := *d.Spec.Replicas + surge
	if current >= maxTotal {
		return *newRS.Spec.Replicas
	}
	up := min(maxTotal-current, *d.Spec.Replicas-*newRS.Spec.Replicas)
	return *newRS.Spec.Replicas + up
}

// hasProgressDeadline: nil and MaxInt32 both mean "no deadline".
func hasProgressDeadline(d *appsv1.Deployment) bool {
	p := d.Spec.ProgressDeadlineSeconds
	return p != nil && *p != math.MaxInt32
}

// hasRevisionHistoryLimit: nil and MaxInt32 both mean "keep everything".
func hasRevisionHistoryLimit(d *appsv1.Deployment) bool {
	l := d.Spec.RevisionHistoryLimit
	return l != nil && *l != math.MaxInt32
}
