package rollout

import (
	appsv1 "k8s.io/api/apps/v1"
)

// The orderings below are upstream's, used with sort.Sort exactly where
// upstream sorts, so that even its one inconsistent comparator (by revision,
// when a revision does not parse) gives upstream's answer for the same input
// order. The input order itself is fixed: claimed ReplicaSets start sorted
// by name and UID, and the first thing a sync does is sort them by creation
// time (name breaking ties), which is a total order within a namespace.

// byCreation: oldest first; equal timestamps by name.
type byCreation []*appsv1.ReplicaSet

func (o byCreation) Len() int           { return len(o) }
func (o byCreation) Swap(i, j int)      { o[i], o[j] = o[j], o[i] }
func (o byCreation) Less(i, j int) bool { return createdBefore(o[i], o[j]) }

func createdBefore(a, b *appsv1.ReplicaSet) bool {
	if a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.Name < b.Name
	}
	return a.CreationTimestamp.Before(&b.CreationTimestamp)
}

// bySizeOlder: largest first; equal sizes oldest first. Proportional
// scaling takes replicas away in this order.
type bySizeOlder []*appsv1.ReplicaSet

func (o bySizeOlder) Len() int      { return len(o) }
func (o bySizeOlder) Swap(i, j int) { o[i], o[j] = o[j], o[i] }
func (o bySizeOlder) Less(i, j int) bool {
	if *o[i].Spec.Replicas == *o[j].Spec.Replicas {
		return createdBefore(o[i], o[j])
	}
	return *o[i].Spec.Replicas > *o[j].Spec.Replicas
}

// bySizeNewer: largest first; equal sizes newest first. Proportional
// scaling hands out replicas in this order.
type bySizeNewer []*appsv1.ReplicaSet

func (o bySizeNewer) Len() int      { return len(o) }
func (o bySizeNewer) Swap(i, j int) { o[i], o[j] = o[j], o[i] }
func (o bySizeNewer) Less(i, j int) bool {
	if *o[i].Spec.Replicas == *o[j].Spec.Replicas {
		return createdBefore(o[j], o[i])
	}
	return *o[i].Spec.Replicas > *o[j].Spec.Replicas
}

// byRevision: lowest revision first; equal revisions, or a revision that
// does not parse on either side, fall back to creation order. A missing
// revision counts as 0. History cleanup deletes in this order.
type byRevision []*appsv1.ReplicaSet

func (o byRevision) Len() int      { return len(o) }
func (o byRevision) Swap(i, j int) { o[i], o[j] = o[j], o[i] }
func (o byRevision) Less(i, j int) bool {
	ri, erri := revisionOf(o[i])
	rj, errj := revisionOf(o[j])
	if erri != nil || errj != nil || ri == rj {
		return createdBefore(o[i], o[j])
	}
	return ri < rj
}

// filterReplicaSets keeps, in order, the ReplicaSets keep accepts.
func filterReplicaSets(rss []*appsv1.ReplicaSet, keep func(*appsv1.ReplicaSet) bool) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, rs := range rss {
		if keep(rs) {
			out = append(out, rs)
		}
	}
	return out
}

// active keeps the ReplicaSets that want at least one pod.
func active(rss []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	return filterReplicaSets(rss, func(rs *appsv1.ReplicaSet) bool { return rs != nil && *rs.Spec.Replicas > 0 })
}

// specReplicas sums spec.replicas; nil entries (a missing new ReplicaSet)
// count as nothing. Sums wrap around like upstream's int32 arithmetic.
func specReplicas(rss []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += *rs.Spec.Replicas
		}
	}
	return n
}

// statusSum sums one status counter over the non-nil ReplicaSets.
func statusSum(rss []*appsv1.ReplicaSet, f func(*appsv1.ReplicaSetStatus) int32) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += f(&rs.Status)
		}
	}
	return n
}

func withNew(old []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	out := make([]*appsv1.ReplicaSet, 0, len(old)+1)
	return append(append(out, old...), newRS)
}
