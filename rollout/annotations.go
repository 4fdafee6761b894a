package rollout

import (
	"math"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
)

// The annotations the controller reads and writes.
const (
	// RevisionAnnotation numbers the rollouts: each ReplicaSet carries the
	// revision at which it last became the new one, and the Deployment
	// carries the revision of its current new ReplicaSet.
	RevisionAnnotation = "deployment.kubernetes.io/revision"
	// RevisionHistoryAnnotation lists, comma-separated, the earlier
	// revisions of a ReplicaSet that was reused (by a rollback).
	RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
	// DesiredReplicasAnnotation is the Deployment's spec.replicas when the
	// controller last sized the ReplicaSet; a mismatch is a scaling event.
	DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	// MaxReplicasAnnotation is spec.replicas + maxSurge at that time; it is
	// the base of proportional scaling.
	MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
	// RollbackToAnnotation is the legacy rollback request (apps/v1
	// DeprecatedRollbackTo): a revision, 0 meaning the previous one.
	RollbackToAnnotation = appsv1.DeprecatedRollbackTo
	// maxRevisionHistoryChars caps the length of the revision history.
	maxRevisionHistoryChars = 2000
)

// notCopied are the Deployment annotations that stay on the Deployment:
// they describe it, not its template.
var notCopied = map[string]bool{
	v1.LastAppliedConfigAnnotation: true,
	RevisionAnnotation:             true,
	RevisionHistoryAnnotation:      true,
	DesiredReplicasAnnotation:      true,
	MaxReplicasAnnotation:          true,
	RollbackToAnnotation:           true,
}

// revisionOf parses the revision annotation; missing is 0.
func revisionOf(rs *appsv1.ReplicaSet) (int64, error) {
	v, ok := rs.Annotations[RevisionAnnotation]
	if !ok {
		return 0, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

// maxRevision is the highest parsable revision; unparsable ones are skipped.
func maxRevision(rss []*appsv1.ReplicaSet) int64 {
	var m int64
	for _, rs := range rss {
		if v, err := revisionOf(rs); err == nil && v > m {
			m = v
		}
	}
	return m
}

// lastRevision is the second-highest revision, the one "previous" means;
// a duplicate of the highest counts as second-highest.
func lastRevision(rss []*appsv1.ReplicaSet) int64 {
	var first, second int64
	for _, rs := range rss {
		v, err := revisionOf(rs)
		switch {
		case err != nil:
		case v >= first:
			second, first = first, v
		case v > second:
			second = v
		}
	}
	return second
}

// replicasAnnotation reads desired-replicas or max-replicas as upstream
// does: a base-10 unsigned number no larger than MaxInt32.
func replicasAnnotation(rs *appsv1.ReplicaSet, key string) (int32, bool) {
	s, ok := rs.Annotations[key]
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil || v > math.MaxInt32 {
		return 0, false
	}
	return int32(v), true
}

// setReplicasAnnotations writes desired and max replicas, reporting change.
func setReplicasAnnotations(rs *appsv1.ReplicaSet, desired, maxReplicas int32) bool {
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	changed := false
	for k, v := range map[string]string{
		DesiredReplicasAnnotation: strconv.Itoa(int(desired)),
		MaxReplicasAnnotation:     strconv.Itoa(int(maxReplicas)),
	} {
		if rs.Annotations[k] != v {
			rs.Annotations[k] = v
			changed = true
		}
	}
	return changed
}

// replicasAnnotationsStale reports whether desired or max replicas differ
// from the given values (no annotations at all counts as stale).
func replicasAnnotationsStale(rs *appsv1.ReplicaSet, desired, maxReplicas int32) bool {
	if rs.Annotations == nil {
		return true
	}
	return rs.Annotations[DesiredReplicasAnnotation] != strconv.Itoa(int(desired)) ||
		rs.Annotations[MaxReplicasAnnotation] != strconv.Itoa(int(maxReplicas))
}

// copyAnnotations copies the Deployment's annotations onto the
// ReplicaSet, one way: an annotation removed from the Deployment stays on
// the ReplicaSet.
func copyAnnotations(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	changed := false
	for k, v := range d.Annotations {
		if cur, ok := rs.Annotations[k]; notCopied[k] || (ok && cur == v) {
			continue
		}
		rs.Annotations[k] = v
		changed = true
	}
	return changed
}

// setNewReplicaSetAnnotations brings the new ReplicaSet's annotations up to
// date (upstream SetNewReplicaSetAnnotations): the Deployment's annotations,
// the revision (never lowered; a reused ReplicaSet's old revision goes to
// its history), and for a ReplicaSet about to be created the replicas
// annotations. A revision that does not parse stops it short and reports
// no change, even if annotations were copied into rs.
func setNewReplicaSetAnnotations(d *appsv1.Deployment, rs *appsv1.ReplicaSet, newRevision string, exists bool) bool {
	changed := copyAnnotations(d, rs)
	oldRevision, had := rs.Annotations[RevisionAnnotation]
	oldN, err := strconv.ParseInt(oldRevision, 10, 64)
	if err != nil {
		if oldRevision != "" {
			return false
		}
		oldN = 0
	}
	newN, err := strconv.ParseInt(newRevision, 10, 64)
	if err != nil {
		return false
	}
	if oldN < newN {
		rs.Annotations[RevisionAnnotation] = newRevision
		changed = true
	}
	if had && oldN < newN {
		appendRevisionHistory(rs, oldRevision)
	}
	if !exists && setReplicasAnnotations(rs, *d.Spec.Replicas, *d.Spec.Replicas+maxSurge(d)) {
		changed = true
	}
	return changed
}

// appendRevisionHistory adds old to the revision history, dropping the
// oldest entries to stay within maxRevisionHistoryChars; if even that is
// not enough the history is left as it is.
func appendRevisionHistory(rs *appsv1.ReplicaSet, old string) {
	history := rs.Annotations[RevisionHistoryAnnotation]
	entries := strings.Split(history, ",")
	if entries[0] == "" {
		rs.Annotations[RevisionHistoryAnnotation] = old
		return
	}
	total := len(history) + len(old) + 1
	start := 0
	for total > maxRevisionHistoryChars && start < len(entries) {
		total -= len(entries[start]) + 1
		start++
	}
	if total <= maxRevisionHistoryChars {
		rs.Annotations[RevisionHistoryAnnotation] = strings.Join(append(entries[start:], old), ",")
	}
}

// rollbackRevision is the revision the legacy annotation asks for, if it
// parses; an unparsable value is ignored as upstream ignores it.
func rollbackRevision(d *appsv1.Deployment) (int64, bool) {
	s := d.Annotations[RollbackToAnnotation]
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// atoi is strconv.Atoi reporting success, for the one place upstream reads
// an annotation with Atoi (a leading sign is accepted there).
func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}
