package workload

import (
	"time"

	v1 "k8s.io/api/core/v1"
)

// IsPodActive reports whether a pod still counts towards its controller's
// replicas: its phase is neither Succeeded nor Failed and it is not being
// deleted. A pod with an empty, Pending, Running or Unknown phase is active.
// A nil pod is not.
func IsPodActive(p *v1.Pod) bool {
	if p == nil {
		return false
	}
	return !isTerminalPhase(p.Status.Phase) && p.DeletionTimestamp == nil
}

// IsPodTerminating reports whether a pod has been asked to go away but may
// still be running: its deletionTimestamp is set and its phase is not
// terminal. Such pods are neither active nor finished; controllers count them
// separately. A nil pod is not terminating.
func IsPodTerminating(p *v1.Pod) bool {
	if p == nil {
		return false
	}
	return !isTerminalPhase(p.Status.Phase) && p.DeletionTimestamp != nil
}

// IsPodSucceeded reports whether the pod's phase is Succeeded.
func IsPodSucceeded(p *v1.Pod) bool {
	return p != nil && p.Status.Phase == v1.PodSucceeded
}

// IsPodFailed reports whether the pod's phase is Failed.
func IsPodFailed(p *v1.Pod) bool {
	return p != nil && p.Status.Phase == v1.PodFailed
}

func isTerminalPhase(phase v1.PodPhase) bool {
	return phase == v1.PodSucceeded || phase == v1.PodFailed
}

// PodReadyCondition returns the pod's first condition of type Ready, or nil
// if it has none. Only the first one counts: the kubelet never writes two,
// and upstream ignores any later duplicate. The result points into the pod;
// do not modify it.
func PodReadyCondition(p *v1.Pod) *v1.PodCondition {
	if p == nil {
		return nil
	}
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == v1.PodReady {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}

// IsPodReady reports whether the pod's first Ready condition is True.
func IsPodReady(p *v1.Pod) bool {
	c := PodReadyCondition(p)
	return c != nil && c.Status == v1.ConditionTrue
}

// IsPodAvailable reports whether a pod is ready and has been ready for at
// least minReadySeconds at time now. The boundary is inclusive: a pod that
// turned ready exactly minReadySeconds ago is available. With a positive
// minReadySeconds, a ready pod whose Ready condition has a zero
// lastTransitionTime never becomes available; with zero, readiness is enough.
func IsPodAvailable(p *v1.Pod, minReadySeconds int32, now time.Time) bool {
	if !IsPodReady(p) {
		return false
	}
	if minReadySeconds == 0 {
		return true
	}
	since := PodReadyCondition(p).LastTransitionTime.Time
	if since.IsZero() {
		return false
	}
	return since.Add(time.Duration(minReadySeconds)*time.Second).Compare(now) <= 0
}

// NextAvailabilityCheck says how long from now the next of the given pods
// becomes available, so a controller can look again at that moment. Only
// ready pods with a non-zero Ready lastTransitionTime take part; of those the
// smallest positive lastTransitionTime+minReadySeconds-now wins. It reports
// false when no pod will become available later (none is waiting, or
// minReadySeconds is not positive); the caller then falls back to its own
// default. Nil pods are skipped.
func NextAvailabilityCheck(pods []*v1.Pod, minReadySeconds int32, now time.Time) (time.Duration, bool) {
	if minReadySeconds <= 0 {
		return 0, false
	}
	wait := time.Duration(minReadySeconds) * time.Second
	var best time.Duration
	found := false
	for _, p := range pods {
		if !IsPodReady(p) {
			continue
		}
		since := PodReadyCondition(p).LastTransitionTime.Time
		if since.IsZero() {
			continue
		}
		left := since.Add(wait).Sub(now)
		if left > 0 && (!found || left < best) {
			best, found = left, true
		}
	}
	return best, found
}
