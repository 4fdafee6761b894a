package job

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"

	"github.com/kubepure/kubepure/workload"
)

// TrackingFinalizer is the finalizer the Job controller puts on every pod
// it creates or adopts, and removes once the pod's outcome is counted in
// the Job's status.
const TrackingFinalizer = batch.JobTrackingFinalizer

// noIndex is the completion index of a pod without a usable one.
const noIndex = -1

// completionIndex reads the batch.kubernetes.io/job-completion-index
// annotation (not the label of the same name): a non-negative decimal
// integer, else noIndex.
func completionIndex(p *v1.Pod) int {
	v, ok := p.Annotations[batch.JobCompletionIndexAnnotation]
	if !ok {
		return noIndex
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return noIndex
	}
	return i
}

// validIndex reports whether a pod's index counts for a Job of completions.
func validIndex(ix int, completions int32) bool {
	return ix != noIndex && ix < int(completions)
}

func hasTrackingFinalizer(p *v1.Pod) bool {
	return slices.Contains(p.Finalizers, TrackingFinalizer)
}

// isPodFailed is the controller's notion of a failed pod: phase Failed, or,
// unless pods are replaced only once Failed, a pod being deleted that did
// not succeed (an orphan that never reaches a terminal phase).
func isPodFailed(p *v1.Pod, j *batch.Job) bool {
	if p.Status.Phase == v1.PodFailed {
		return true
	}
	if onlyReplaceFailed(j) {
		return false
	}
	return p.DeletionTimestamp != nil && p.Status.Phase != v1.PodSucceeded
}

func onlyReplaceFailed(j *batch.Job) bool {
	return j.Spec.PodReplacementPolicy != nil && *j.Spec.PodReplacementPolicy == batch.Failed
}

func isIndexed(j *batch.Job) bool {
	return j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batch.IndexedCompletion
}

func hasBackoffLimitPerIndex(j *batch.Job) bool {
	return j.Spec.BackoffLimitPerIndex != nil
}

func isSuspended(j *batch.Job) bool {
	return j.Spec.Suspend != nil && *j.Spec.Suspend
}

// phaseOrdinal orders the phases of active pods for removal: pending (and
// unset) first, then unknown, then running.
func phaseOrdinal(p v1.PodPhase) int {
	switch p {
	case v1.PodUnknown:
		return 1
	case v1.PodRunning:
		return 2
	}
	return 0
}

// maxRestarts is the highest restart count of the regular containers and
// of the sidecar (restartable init) containers.
func maxRestarts(p *v1.Pod) (regular, sidecar int32) {
	for _, c := range p.Status.ContainerStatuses {
		regular = max(regular, c.RestartCount)
	}
	sidecars := map[string]bool{}
	for _, c := range p.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == v1.ContainerRestartPolicyAlways {
			sidecars[c.Name] = true
		}
	}
	for _, c := range p.Status.InitContainerStatuses {
		if sidecars[c.Name] {
			sidecar = max(sidecar, c.RestartCount)
		}
	}
	return regular, sidecar
}

// compareForRemoval orders active pods the way the Job controller picks
// which to delete first (upstream's unranked ActivePods order, with exact
// times): unscheduled before scheduled, pending before unknown before
// running, not ready before ready, ready more recently before ready longer
// (a zero ready time first), more restarts before fewer (regular
// containers, then sidecars), created more recently before older (a zero
// creation time first). Upstream leaves pods equal under these rules in
// its input order, which is informer order; here they are ordered by
// namespace, name and UID.
func compareForRemoval(a, b *v1.Pod) int {
	if c := compareRemovalRules(a, b); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name), cmp.Compare(a.UID, b.UID))
}

// compareRemovalRules is compareForRemoval without the final tie-break.
func compareRemovalRules(a, b *v1.Pod) int {
	if a.Spec.NodeName != b.Spec.NodeName && (a.Spec.NodeName == "" || b.Spec.NodeName == "") {
		if a.Spec.NodeName == "" {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(phaseOrdinal(a.Status.Phase), phaseOrdinal(b.Status.Phase)); c != 0 {
		return c
	}
	ra, rb := workload.IsPodReady(a), workload.IsPodReady(b)
	if ra != rb {
		if !ra {
			return -1
		}
		return 1
	}
	if ra {
		if c := afterOrZero(readyTime(a), readyTime(b)); c != 0 {
			return c
		}
	}
	ga, sa := maxRestarts(a)
	gb, sb := maxRestarts(b)
	if ga != gb {
		return -cmp.Compare(ga, gb)
	}
	if sa != sb {
		return -cmp.Compare(sa, sb)
	}
	return afterOrZero(a.CreationTimestamp.Time, b.CreationTimestamp.Time)
}

// readyTime is the transition time of the first Ready=True condition.
func readyTime(p *v1.Pod) (t time.Time) {
	for _, c := range p.Status.Conditions {
		if c.Type == v1.PodReady && c.Status == v1.ConditionTrue {
			return c.LastTransitionTime.Time
		}
	}
	return t
}

// afterOrZero orders a zero time first, then later times before earlier.
func afterOrZero(a, b time.Time) int {
	if a.Equal(b) {
		return 0
	}
	if a.IsZero() || b.IsZero() {
		if a.IsZero() {
			return -1
		}
		return 1
	}
	if a.After(b) {
		return -1
	}
	return 1
}

// indexesOf is the set of valid completion indexes of pods, ascending.
func (s *syncer) indexesOf(pods []*v1.Pod) []int {
	seen := make(map[int]bool, len(pods))
	var out []int
	for _, p := range pods {
		if ix := s.index(p); ix != noIndex && !seen[ix] {
			seen[ix] = true
			out = append(out, ix)
		}
	}
	slices.Sort(out)
	return out
}

func sortInts(s []int) { slices.Sort(s) }
