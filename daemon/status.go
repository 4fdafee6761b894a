package daemon

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/kubepure/kubepure/workload"
)

// updateStatus computes the status counts and writes them when they (or
// observedGeneration) changed. Per node that should run the pod, the
// oldest of its pods counts for ready, available and updated. A DaemonSet
// with minReadySeconds is requeued after that long while a ready pod is
// not available yet.
func (s *syncer) updateStatus(hash string) {
	byNode := s.nodeToPods(false)
	generation := templateGeneration(s.ds)
	var st appsv1.DaemonSetStatus
	for _, n := range s.nodes {
		shouldRun := s.placement.Node(n).ShouldRun
		pods := byNode[n.Name]
		if !shouldRun {
			if len(pods) > 0 {
				st.NumberMisscheduled++
			}
			continue
		}
		st.DesiredNumberScheduled++
		if len(pods) == 0 {
			continue
		}
		st.CurrentNumberScheduled++
		pod := sortOldestFirst(pods)[0]
		if workload.IsPodReady(pod) {
			st.NumberReady++
			if workload.IsPodAvailable(pod, s.ds.Spec.MinReadySeconds, s.now) {
				st.NumberAvailable++
			}
		}
		if isUpdated(pod, hash, generation) {
			st.UpdatedNumberScheduled++
		}
	}
	st.NumberUnavailable = st.DesiredNumberScheduled - st.NumberAvailable

	cur := s.ds.Status
	if cur.DesiredNumberScheduled != st.DesiredNumberScheduled || cur.CurrentNumberScheduled != st.CurrentNumberScheduled ||
		cur.NumberMisscheduled != st.NumberMisscheduled || cur.NumberReady != st.NumberReady ||
		cur.UpdatedNumberScheduled != st.UpdatedNumberScheduled || cur.NumberAvailable != st.NumberAvailable ||
		cur.NumberUnavailable != st.NumberUnavailable || cur.ObservedGeneration < s.ds.Generation {
		up := s.ds.DeepCopy()
		up.Status.ObservedGeneration = s.ds.Generation
		up.Status.DesiredNumberScheduled = st.DesiredNumberScheduled
		up.Status.CurrentNumberScheduled = st.CurrentNumberScheduled
		up.Status.NumberMisscheduled = st.NumberMisscheduled
		up.Status.NumberReady = st.NumberReady
		up.Status.UpdatedNumberScheduled = st.UpdatedNumberScheduled
		up.Status.NumberAvailable = st.NumberAvailable
		up.Status.NumberUnavailable = st.NumberUnavailable
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb: workload.UpdateStatus, Resource: workload.ResourceDaemonSets, Namespace: up.Namespace, Name: up.Name,
			Object: up, Reason: "status: " + statusChanges(cur, up.Status, s.ds.Generation),
		})
	}
	if s.ds.Spec.MinReadySeconds > 0 && st.NumberReady != st.NumberAvailable {
		s.requeue(time.Duration(s.ds.Spec.MinReadySeconds) * time.Second)
	}
}

// statusChanges lists the fields a status write changes, "name a->b".
func statusChanges(was, is appsv1.DaemonSetStatus, generation int64) string {
	var c workload.Changes
	c.Int("observedGeneration", was.ObservedGeneration, generation)
	c.Int("desired", int64(was.DesiredNumberScheduled), int64(is.DesiredNumberScheduled))
	c.Int("current", int64(was.CurrentNumberScheduled), int64(is.CurrentNumberScheduled))
	c.Int("misscheduled", int64(was.NumberMisscheduled), int64(is.NumberMisscheduled))
	c.Int("ready", int64(was.NumberReady), int64(is.NumberReady))
	c.Int("updated", int64(was.UpdatedNumberScheduled), int64(is.UpdatedNumberScheduled))
	c.Int("available", int64(was.NumberAvailable), int64(is.NumberAvailable))
	c.Int("unavailable", int64(was.NumberUnavailable), int64(is.NumberUnavailable))
	return c.String()
}
