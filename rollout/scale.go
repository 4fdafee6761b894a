package rollout

import (
	"fmt"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/utils/integer"
)

// scaleReplicaSet is upstream scaleReplicaSet: unless forced, a ReplicaSet
// already at newScale is left alone; otherwise it is written when its size
// or its desired/max replicas annotations are out of date, and every write
// refreshes both annotations (which is what ends a scaling event). It
// reports whether the size changed, and the ReplicaSet as written.
func (s *syncer) scaleReplicaSet(rs *appsv1.ReplicaSet, newScale int32, force bool) (bool, *appsv1.ReplicaSet) {
	if !force && *rs.Spec.Replicas == newScale {
		return false, rs
	}
	d := s.d
	desired, maxReplicas := *d.Spec.Replicas, *d.Spec.Replicas+maxSurge(d)
	resize := *rs.Spec.Replicas != newScale
	if !resize && !replicasAnnotationsStale(rs, desired, maxReplicas) {
		return false, rs
	}
	oldScale := *rs.Spec.Replicas
	c := rs.DeepCopy()
	*c.Spec.Replicas = newScale
	setReplicasAnnotations(c, desired, maxReplicas)
	if !resize {
		return false, s.updateReplicaSet(c, fmt.Sprintf("refresh replicas annotations of %s: desired %d, max %d", c.Name, desired, maxReplicas))
	}
	dir := "down"
	if oldScale < newScale {
		dir = "up"
	}
	// The reason is the text of the event upstream records after the write.
	const scaled = "Scaled %s replica set %s from %d to %d"
	written := s.updateReplicaSet(c, fmt.Sprintf(scaled, dir, c.Name, oldScale, newScale))
	s.plan.Normal(s.ref, EventScalingReplicaSet, scaled, dir, written.Name, oldScale, newScale)
	return true, written
}

// isScalingEvent reports whether spec.replicas differs from the
// desired-replicas annotation of an active ReplicaSet. It first brings the
// new ReplicaSet up to date, which may already write it (see the quirks in
// the package documentation).
func (s *syncer) isScalingEvent(rsList []*appsv1.ReplicaSet) (bool, error) {
	newRS, old, err := s.allReplicaSets(rsList, false)
	if err != nil {
		return false, err
	}
	for _, rs := range active(withNew(old, newRS)) {
		if desired, ok := replicasAnnotation(rs, DesiredReplicasAnnotation); ok && desired != *s.d.Spec.Replicas {
			return true, nil
		}
	}
	return false, nil
}

// scale is upstream scale, for paused Deployments and scaling events:
//   - with one active ReplicaSet (or none: the new one, else the newest
//     old one) it gets spec.replicas;
//   - with a saturated new ReplicaSet the active old ones go to 0;
//   - otherwise, for RollingUpdate, the difference between spec.replicas +
//     maxSurge and the current total is shared out in proportion to each
//     ReplicaSet's size (proportional scaling), the rounding leftover going
//     to the first in order.
//
// Recreate with several active ReplicaSets does nothing.
func (s *syncer) scale(newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet) {
	d := s.d
	replicas := *d.Spec.Replicas
	if only := activeOrLatest(newRS, old); only != nil {
		if *only.Spec.Replicas == replicas {
			return
		}
		s.scaleReplicaSet(only, replicas, false)
		return
	}
	if isSaturated(d, newRS) {
		for _, rs := range active(old) {
			s.scaleReplicaSet(rs, 0, false)
		}
		return
	}
	if !isRollingUpdate(d) {
		return
	}
	rss := active(withNew(old, newRS))
	var allowed int32
	if replicas > 0 {
		allowed = replicas + maxSurge(d)
	}
	toAdd := allowed - specReplicas(rss)
	switch {
	case toAdd > 0:
		sort.Sort(bySizeNewer(rss))
	case toAdd < 0:
		sort.Sort(bySizeOlder(rss))
	}
	sizes := make([]int32, len(rss))
	var added int32
	for i, rs := range rss {
		sizes[i] = *rs.Spec.Replicas
		if toAdd != 0 {
			p := s.proportion(rs, toAdd, added)
			sizes[i] += p
			added += p
		}
	}
	for i, rs := range rss {
		if i == 0 && toAdd != 0 {
			sizes[i] += toAdd - added
			if sizes[i] < 0 {
				sizes[i] = 0
			}
		}
		s.scaleReplicaSet(rs, sizes[i], true)
	}
}

// activeOrLatest sorts old newest first, in place as upstream does, and
// returns the only active ReplicaSet, or with none active the new one (or
// the newest old one), or nil when several are active.
func activeOrLatest(newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet) *appsv1.ReplicaSet {
	if newRS == nil && len(old) == 0 {
		return nil
	}
	sort.Sort(sort.Reverse(byCreation(old)))
	act := active(withNew(old, newRS))
	switch len(act) {
	case 0:
		if newRS != nil {
			return newRS
		}
		return old[0]
	case 1:
		return act[0]
	}
	return nil
}

// isSaturated: the new ReplicaSet has all wanted replicas, was sized for
// the current spec.replicas, and all of them are available.
func isSaturated(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	if rs == nil {
		return false
	}
	desired, ok := atoi(rs.Annotations[DesiredReplicasAnnotation])
	if !ok {
		return false
	}
	r := *d.Spec.Replicas
	return *rs.Spec.Replicas == r && int32(desired) == r && rs.Status.AvailableReplicas == r
}

// proportion is upstream GetReplicaSetProportion: this ReplicaSet's share
// of toAdd, bounded by what is still left to hand out.
func (s *syncer) proportion(rs *appsv1.ReplicaSet, toAdd, added int32) int32 {
	if *rs.Spec.Replicas == 0 || toAdd == 0 || toAdd == added {
		return 0
	}
	f := s.fraction(rs)
	left := toAdd - added
	if toAdd > 0 {
		return min(f, left)
	}
	return max(f, left)
}

// fraction is upstream getReplicaSetFraction: the ReplicaSet's size scaled
// from the Deployment size it was last sized for (its max-replicas
// annotation, or else status.replicas) to the current spec.replicas +
// maxSurge, rounded half away from zero, minus its size. The product is
// taken in int32 before the division, overflow included, as upstream does.
func (s *syncer) fraction(rs *appsv1.ReplicaSet) int32 {
	d := s.d
	if *d.Spec.Replicas == 0 {
		return -*rs.Spec.Replicas
	}
	newMax := *d.Spec.Replicas + maxSurge(d)
	oldMax, ok := replicasAnnotation(rs, MaxReplicasAnnotation)
	if !ok || oldMax == 0 {
		oldMax = d.Status.Replicas
		if oldMax == 0 {
			return 0
		}
	}
	size := float64(*rs.Spec.Replicas*newMax) / float64(oldMax)
	return integer.RoundToInt32(size) - *rs.Spec.Replicas
}
