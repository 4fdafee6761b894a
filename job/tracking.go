package job

import (
	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// track is upstream's trackJobStatusAndRemoveFinalizers: it moves finished
// pods into status.uncountedTerminatedPods (and new completed indexes into
// completedIndexes), writes the status, removes those pods' tracking
// finalizers, moves them from the uncounted lists into the counters, and
// writes again — with the terminal condition when the Job is done and no
// pod is terminating. needsWrite says whether the sync already changed the
// status.
func (s *syncer) track(needsWrite bool) {
	j := s.job
	indexed := isIndexed(j)
	pods := s.pods
	if indexed {
		// Completed indexes are introduced in index order.
		sorted := s.byIndex(pods, nil)
		pods = make([]*v1.Pod, len(sorted))
		for i, e := range sorted {
			pods[i] = e.pod
		}
	}
	withFinalizer := make(map[types.UID]bool, len(s.pods))
	for _, p := range s.pods {
		if hasTrackingFinalizer(p) {
			withFinalizer[p.UID] = true
		}
	}
	if s.countRemoved(withFinalizer) {
		needsWrite = true
	}
	uncounted := j.Status.UncountedTerminatedPods
	var toRemove []*v1.Pod
	var newIndexes []int
	capped := false
	for _, p := range pods {
		if !hasTrackingFinalizer(p) {
			continue // counted by an earlier sync
		}
		failed := isPodFailed(p, j)
		if !s.canRemoveFinalizer(p, failed) {
			continue
		}
		toRemove = append(toRemove, p)
		ix := s.index(p)
		switch {
		case p.Status.Phase == v1.PodSucceeded && !s.uncountedFailed[p.UID]:
			if indexed {
				// The index alone keeps a success from being counted twice.
				if validIndex(ix, *j.Spec.Completions) && !s.prevSucceededIndexes.has(ix) {
					newIndexes = append(newIndexes, ix)
					needsWrite = true
				}
			} else if !s.uncountedSucceeded[p.UID] {
				needsWrite = true
				uncounted.Succeeded = append(uncounted.Succeeded, p.UID)
			}
		case failed || (s.finished != nil && !isSuccessCriteriaMet(s.finished)):
			// A failing Job counts every pod it stops as failed.
			if !s.uncountedFailed[p.UID] && (!indexed || validIndex(ix, *j.Spec.Completions)) &&
				MatchPodFailurePolicy(j.Spec.PodFailurePolicy, p).Counts {
				needsWrite = true
				uncounted.Failed = append(uncounted.Failed, p.UID)
			}
		}
		if len(newIndexes)+len(uncounted.Succeeded)+len(uncounted.Failed) >= MaxUncountedPods {
			// Keep the status small and the sync short; the writes below
			// bring the Job back for the rest.
			capped = true
			break
		}
	}
	if indexed {
		s.succeededIndexes = s.succeededIndexes.withIndexes(newIndexes)
		completed := s.succeededIndexes.String()
		if completed != j.Status.CompletedIndexes {
			needsWrite = true
		}
		j.Status.Succeeded = int32(s.succeededIndexes.total())
		j.Status.CompletedIndexes = completed
		var failedStr *string
		if s.failedIndexes != nil {
			str := s.failedIndexes.String()
			failedStr = &str
		}
		if !equalStringPtr(j.Status.FailedIndexes, failedStr) {
			j.Status.FailedIndexes = failedStr
			needsWrite = true
		}
	}
	if s.finished != nil && s.finished.Type == batch.JobFailureTarget {
		// The interim FailureTarget is written before any finalizer is
		// removed; Failed waits for the pods to be counted.
		j.Status.Conditions = append(j.Status.Conditions, *s.finished)
		needsWrite = true
		s.finished = s.condition(batch.JobFailed, s.finished.Reason, s.finished.Message)
	}
	if isSuccessCriteriaMet(s.finished) {
		if c := findCondition(j.Status.Conditions, batch.JobSuccessCriteriaMet); c == nil || c.Status != v1.ConditionTrue {
			j.Status.Conditions = append(j.Status.Conditions, *s.finished)
			needsWrite = true
		}
		s.finished = s.condition(batch.JobComplete, s.finished.Reason, s.finished.Message)
	}

	if needsWrite {
		s.writeStatus("status")
		// Upstream stores the new back-off record only once this write
		// succeeded.
		s.backoff = s.newBackoff
		needsWrite = false
	}
	for _, p := range toRemove {
		s.plan.Actions = append(s.plan.Actions, removeFinalizerAction(p, "pod outcome recorded in job status"))
		delete(withFinalizer, p.UID)
	}
	if s.countRemoved(withFinalizer) {
		needsWrite = true
	}
	finished := !capped && s.enactFinished()
	if finished {
		needsWrite = true
	}
	if needsWrite {
		s.writeStatus("status after removing finalizers")
		if finished {
			s.recordFinished()
		}
	}
}

// recordFinished records the events of the write that finished the Job:
// Completed (after TooManySucceededPods when more pods succeeded than
// completions asked for), or a Warning with the Failed condition's reason
// and message.
func (s *syncer) recordFinished() {
	c, j := s.finished, s.job
	if c.Type != batch.JobComplete {
		s.plan.Warning(s.ref, c.Reason, "%s", c.Message)
		return
	}
	if j.Spec.Completions != nil && j.Status.Succeeded > *j.Spec.Completions {
		s.plan.Warning(s.ref, EventTooManySucceededPods, "Too many succeeded pods running after completion count reached")
	}
	s.plan.Normal(s.ref, EventCompleted, "Job completed")
}

// canRemoveFinalizer: a pod's finalizer goes when the Job is being deleted
// or finishing, when the pod succeeded, or when it failed — unless it is
// the failed pod of an index whose replacement must copy its counts first.
func (s *syncer) canRemoveFinalizer(p *v1.Pod, failed bool) bool {
	if s.job.DeletionTimestamp != nil || s.finished != nil || p.Status.Phase == v1.PodSucceeded {
		return true
	}
	if !failed {
		return false
	}
	if hasBackoffLimitPerIndex(s.job) {
		if ix := s.index(p); ix != noIndex {
			if d, ok := s.delayedPerIndex[ix]; ok && d.UID == p.UID {
				return false
			}
		}
	}
	return true
}

// countRemoved moves the uncounted pods that no longer carry the tracking
// finalizer (or no longer exist) into status.succeeded and status.failed.
func (s *syncer) countRemoved(withFinalizer map[types.UID]bool) bool {
	st := &s.job.Status
	u := st.UncountedTerminatedPods
	changed := false
	keep := func(uids []types.UID) []types.UID {
		var out []types.UID
		for _, uid := range uids {
			if withFinalizer[uid] {
				out = append(out, uid)
			}
		}
		return out
	}
	if k := keep(u.Succeeded); len(k) != len(u.Succeeded) {
		st.Succeeded += int32(len(u.Succeeded) - len(k))
		u.Succeeded = k
		changed = true
	}
	if k := keep(u.Failed); len(k) != len(u.Failed) {
		st.Failed += int32(len(u.Failed) - len(k))
		u.Failed = k
		changed = true
	}
	return changed
}

// enactFinished adds the terminal condition once every finished pod is
// counted and no pod is terminating; Complete also sets completionTime.
func (s *syncer) enactFinished() bool {
	c := s.finished
	if c == nil {
		return false
	}
	u := s.job.Status.UncountedTerminatedPods
	if len(u.Succeeded)+len(u.Failed) > 0 || s.terminating > 0 {
		return false
	}
	s.ensureCondition(c.Type, c.Status, c.Reason, c.Message)
	if c.Type == batch.JobComplete {
		t := c.LastTransitionTime
		s.job.Status.CompletionTime = &t
	}
	return true
}

// writeStatus writes the working copy's status; the reason, prefixed by
// what, lists what changed since the previous write (or since the status
// the sync started from).
func (s *syncer) writeStatus(what string) {
	obj := s.job.DeepCopy()
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb: workload.UpdateStatus, Resource: workload.ResourceJobs, Namespace: s.job.Namespace, Name: s.job.Name,
		Object: obj, Reason: what + ": " + statusChanges(&s.written, &obj.Status),
	})
	s.written = obj.Status
}

func isSuccessCriteriaMet(c *batch.JobCondition) bool {
	return c != nil && c.Type == batch.JobSuccessCriteriaMet && c.Status == v1.ConditionTrue
}
