package rollout

import (
	"fmt"
	"sort"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/kubepure/kubepure/workload"
)

// cleanupDeployment deletes old ReplicaSets beyond revisionHistoryLimit
// (upstream cleanupDeployment). Only the diff lowest revisions are looked
// at, and among those only empty, settled ones are deleted: one that still
// has replicas, has a newer generation than its status, or is being deleted
// is skipped, and no younger one is deleted in its place.
func (s *syncer) cleanupDeployment(old []*appsv1.ReplicaSet) {
	d := s.d
	if !hasRevisionHistoryLimit(d) {
		return
	}
	alive := filterReplicaSets(old, func(rs *appsv1.ReplicaSet) bool { return rs != nil && rs.DeletionTimestamp == nil })
	diff := int32(len(alive)) - *d.Spec.RevisionHistoryLimit
	if diff <= 0 {
		return
	}
	sort.Sort(byRevision(alive))
	for _, rs := range alive[:diff] {
		if rs.Status.Replicas != 0 || *rs.Spec.Replicas != 0 || rs.Generation > rs.Status.ObservedGeneration || rs.DeletionTimestamp != nil {
			continue
		}
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb: workload.Delete, Resource: workload.ResourceReplicaSets, Namespace: rs.Namespace, Name: rs.Name,
			Reason: fmt.Sprintf("revision %s is beyond revisionHistoryLimit %d", rs.Annotations[RevisionAnnotation], *d.Spec.RevisionHistoryLimit),
		})
	}
}
