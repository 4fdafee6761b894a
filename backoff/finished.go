package backoff

import (
	"time"

	v1 "k8s.io/api/core/v1"
)

// PodFinishedTime is when the Job controller considers a finished pod to
// have finished, the first of:
//
//  1. from container statuses: the latest state.terminated.finishedAt of the
//     regular containers, provided every regular status is terminated with
//     a non-zero finishedAt, then raised to the latest finishedAt of the
//     sidecar (restartable init) containers, provided every sidecar status
//     is terminated likewise. A regular container that is not terminated
//     drops the regular part only: the sidecars alone may still give a time.
//     A sidecar that is not terminated drops the whole step;
//  2. the lastTransitionTime of the first Ready condition, if it is False
//     and its time is non-zero;
//  3. deletionTimestamp minus deletionGracePeriodSeconds (nil counts as 0);
//  4. creationTimestamp.
//
// Kubelet-managed pods get a Ready=False condition when they turn terminal,
// so they end at step 1 or 2; pods removed by pod GC end at step 3. A nil
// pod gives the zero time.
func PodFinishedTime(p *v1.Pod) time.Time {
	if p == nil {
		return time.Time{}
	}
	if t, ok := finishedFromContainers(p); ok {
		return t
	}
	if t, ok := finishedFromReadyFalse(p); ok {
		return t
	}
	if p.DeletionTimestamp != nil {
		var grace int64
		if p.DeletionGracePeriodSeconds != nil {
			grace = *p.DeletionGracePeriodSeconds
		}
		return p.DeletionTimestamp.Add(-time.Duration(grace) * time.Second)
	}
	return p.CreationTimestamp.Time
}

// finishedFromContainers is step 1 of PodFinishedTime.
func finishedFromContainers(p *v1.Pod) (time.Time, bool) {
	latest, ok := latestTermination(time.Time{}, false, p.Status.ContainerStatuses, nil)
	sidecars := map[string]bool{}
	for _, c := range p.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == v1.ContainerRestartPolicyAlways {
			sidecars[c.Name] = true
		}
	}
	return latestTermination(latest, ok, p.Status.InitContainerStatuses, sidecars)
}

// latestTermination folds the finishedAt of the statuses (only those named
// in only, when only is non-nil) into the running latest (known says
// whether latest holds a time yet). Any considered status that is not
// terminated, or terminated without a finishedAt, voids the result.
func latestTermination(latest time.Time, known bool, statuses []v1.ContainerStatus, only map[string]bool) (time.Time, bool) {
	for _, s := range statuses {
		if only != nil && !only[s.Name] {
			continue
		}
		t := s.State.Terminated
		if t == nil || t.FinishedAt.IsZero() {
			return time.Time{}, false
		}
		if !known || latest.Before(t.FinishedAt.Time) {
			latest, known = t.FinishedAt.Time, true
		}
	}
	return latest, known
}

// finishedFromReadyFalse is step 2 of PodFinishedTime. Only the first Ready
// condition is looked at, as upstream's condition lookup returns the first.
func finishedFromReadyFalse(p *v1.Pod) (time.Time, bool) {
	for _, c := range p.Status.Conditions {
		if c.Type != v1.PodReady {
			continue
		}
		if c.Status == v1.ConditionFalse && !c.LastTransitionTime.IsZero() {
			return c.LastTransitionTime.Time, true
		}
		return time.Time{}, false
	}
	return time.Time{}, false
}
