package job

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/selector"
	"github.com/kubepure/kubepure/workload"
)

// manage brings the number of active pods towards what the Job wants, as
// upstream's manageJob: a sync either deletes or creates pods, never both,
// deletion first. It returns the new active count.
func (s *syncer) manage() int32 {
	j := s.job
	active := int32(len(s.active))
	if isSuspended(j) {
		deleted, deletedReady := s.deletePods(s.removalCandidates(int(active)), true, "job is suspended")
		s.terminating += deleted
		s.ready -= deletedReady
		return active - deleted
	}
	parallelism := *j.Spec.Parallelism
	var want int32
	if j.Spec.Completions == nil {
		// A work queue keeps parallelism pods until one succeeds; then it
		// lets the running ones finish and starts no more.
		want = parallelism
		if s.succeeded > 0 {
			want = active
		}
	} else {
		want = max(min(*j.Spec.Completions-s.succeeded, parallelism), 0)
	}
	rm := s.removalCandidates(int(max(active-want, 0)))
	if len(rm) > MaxPodCreateDeletePerSync {
		rm = rm[:MaxPodCreateDeletePerSync]
	}
	if len(rm) > 0 {
		deleted, deletedReady := s.deletePods(rm, true, fmt.Sprintf("too many active pods: want %d", want))
		s.terminating += deleted
		s.ready -= deletedReady
		return active - deleted
	}
	var terminating int32
	if onlyReplaceFailed(j) {
		// Pods still terminating take a slot until they are Failed.
		terminating = s.terminating
	}
	diff := want - terminating - active
	if diff <= 0 {
		return active
	}
	if !hasBackoffLimitPerIndex(j) {
		if wait := backoff.JobRemaining(s.newBackoff, s.now); wait > 0 {
			s.requeueAfter(backoff.JobRequeueAfter(wait))
			return active
		}
	}
	diff = min(diff, MaxPodCreateDeletePerSync)
	indexes := []int(nil)
	if isIndexed(j) {
		indexes = s.firstPendingIndexes(int(diff))
		if hasBackoffLimitPerIndex(j) {
			wait := s.readyIndexes(&indexes)
			if wait > 0 {
				s.requeueAfter(backoff.JobRequeueAfter(wait))
				return active
			}
		}
		diff = int32(len(indexes))
	}
	s.createPods(int(diff), indexes)
	return active + diff
}

// readyIndexes keeps the indexes whose per-index back-off has passed. When
// none has, it returns the shortest wait.
func (s *syncer) readyIndexes(indexes *[]int) (wait time.Duration) {
	var now []int
	first := true
	for _, ix := range *indexes {
		r := backoff.JobIndexRemaining(s.delayedPerIndex[ix], s.now)
		if r == 0 {
			now = append(now, ix)
		} else if first || r < wait {
			wait, first = r, false
		}
	}
	*indexes = now
	if len(now) > 0 {
		return 0
	}
	return wait
}

// removalCandidates returns the active pods to delete when at least n must
// go. For an Indexed Job these always include pods without a valid index,
// with an index at or above completions, and all but one pod of a
// repeated index (the one kept is the last in removal order); further pods
// are taken from the rest in removal order (compareForRemoval).
func (s *syncer) removalCandidates(n int) []*v1.Pod {
	var rm, left []*v1.Pod
	if isIndexed(s.job) {
		rm, left = s.duplicateIndexPods(s.active, int(*s.job.Spec.Completions))
	} else {
		left = slices.Clone(s.active)
	}
	if len(rm) < n {
		slices.SortStableFunc(left, compareForRemoval)
		rm = append(rm, left[:n-len(rm)]...)
	}
	return rm
}

// duplicateIndexPods splits active pods into those an Indexed Job removes
// whatever its counts (no index, index out of range, repeated index) and
// the rest.
func (s *syncer) duplicateIndexPods(pods []*v1.Pod, completions int) (rm, left []*v1.Pod) {
	sorted := s.byIndex(pods, compareForRemoval)
	for i := 0; i < len(sorted); {
		ix := sorted[i].ix
		if ix >= completions {
			for _, e := range sorted[i:] {
				rm = append(rm, e.pod)
			}
			break
		}
		k := i
		for k < len(sorted) && sorted[k].ix == ix {
			k++
		}
		for n, e := range sorted[i:k] {
			// The group is in removal order: all but the last go, and an
			// invalid index loses them all.
			if ix == noIndex || n < k-i-1 {
				rm = append(rm, e.pod)
			} else {
				left = append(left, e.pod)
			}
		}
		i = k
	}
	return rm, left
}

// indexedPod is a pod with its completion index, for sorting.
type indexedPod struct {
	ix  int
	pod *v1.Pod
}

// byIndex returns pods sorted by completion index (no index first), and
// within an index by then (nil: input order).
func (s *syncer) byIndex(pods []*v1.Pod, then func(a, b *v1.Pod) int) []indexedPod {
	out := make([]indexedPod, len(pods))
	for i, p := range pods {
		out[i] = indexedPod{s.index(p), p}
	}
	slices.SortStableFunc(out, func(a, b indexedPod) int {
		if a.ix != b.ix {
			return cmp.Compare(a.ix, b.ix)
		}
		if then == nil {
			return 0
		}
		return then(a.pod, b.pod)
	})
	return out
}

// firstPendingIndexes returns up to count indexes below completions that
// are neither succeeded, running, failed, nor (when pods are replaced only
// once Failed) held by a terminating pod, lowest first.
func (s *syncer) firstPendingIndexes(count int) []int {
	if count == 0 {
		return nil
	}
	completions := int(*s.job.Spec.Completions)
	busy := s.succeededIndexes.withIndexes(s.indexesOf(s.active))
	if onlyReplaceFailed(s.job) {
		var terminating []*v1.Pod
		for _, p := range s.pods {
			if workload.IsPodTerminating(p) {
				terminating = append(terminating, p)
			}
		}
		busy = busy.withIndexes(s.indexesOf(terminating))
	}
	if s.failedIndexes != nil {
		busy = busy.merge(*s.failedIndexes)
	}
	var out []int
	next := 0
	for _, iv := range busy {
		for ; next < completions && len(out) < count && next < iv.first; next++ {
			out = append(out, next)
		}
		next = max(next, iv.last+1)
	}
	for ; next < completions && len(out) < count; next++ {
		out = append(out, next)
	}
	return out
}

// deletePods deletes pods and returns how many, and how many of them were
// ready. With removeFinalizer set each delete is preceded by the patch
// that removes the tracking finalizer, so the pod is never counted (how
// manageJob removes surplus pods); without, the finalizer stays and the
// tracking that follows counts the pod (how a finishing Job stops its
// pods).
func (s *syncer) deletePods(pods []*v1.Pod, removeFinalizer bool, why string) (deleted, deletedReady int32) {
	for _, p := range pods {
		if removeFinalizer && hasTrackingFinalizer(p) {
			s.plan.Actions = append(s.plan.Actions, removeFinalizerAction(p, "remove tracking finalizer before deleting: "+why))
		}
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb: workload.Delete, Resource: workload.ResourcePods, Namespace: s.job.Namespace, Name: p.Name, Reason: why,
		})
		s.plan.Normal(s.ref, workload.EventSuccessfulDelete, "Deleted pod: %v", p.Name)
		if workload.IsPodReady(p) {
			deletedReady++
		}
	}
	return int32(len(pods)), deletedReady
}

// removeFinalizerPatch is the strategic-merge patch that removes the
// tracking finalizer and leaves any other finalizer in place.
var removeFinalizerPatch = []byte(`{"metadata":{"$deleteFromPrimitiveList/finalizers":["` + TrackingFinalizer + `"]}}`)

func removeFinalizerAction(p *v1.Pod, why string) workload.Action {
	return workload.Action{
		Verb: workload.Patch, Resource: workload.ResourcePods, Namespace: p.Namespace, Name: p.Name,
		PatchType: types.StrategicMergePatchType, Patch: slices.Clone(removeFinalizerPatch), Reason: why,
	}
}

// createPods creates n pods; for an Indexed Job one for each index given.
func (s *syncer) createPods(n int, indexes []int) {
	j := s.job
	tmpl := j.Spec.Template.DeepCopy()
	if isIndexed(j) {
		addIndexEnv(tmpl)
	}
	if !slices.Contains(tmpl.Finalizers, TrackingFinalizer) {
		tmpl.Finalizers = append(tmpl.Finalizers, TrackingFinalizer)
	}
	ref := selector.ControllerRef(j, jobKind)
	for i := range n {
		t := tmpl
		generateName := ""
		reason := "create pod"
		if indexes != nil {
			ix := indexes[i]
			t = tmpl.DeepCopy()
			if t.Annotations == nil {
				t.Annotations = map[string]string{}
			}
			if t.Labels == nil {
				t.Labels = map[string]string{}
			}
			t.Annotations[batch.JobCompletionIndexAnnotation] = strconv.Itoa(ix)
			t.Labels[batch.JobCompletionIndexAnnotation] = strconv.Itoa(ix)
			t.Spec.Hostname = fmt.Sprintf("%s-%d", j.Name, ix)
			generateName = indexedGenerateName(j.Name, ix)
			if hasBackoffLimitPerIndex(j) {
				s.addFailureCounts(t, s.delayedPerIndex[ix])
			}
			reason = fmt.Sprintf("create pod for index %d", ix)
		}
		pod, err := workload.PodFromTemplate(t, j.Name, ref)
		if err != nil {
			// Validation guarantees labels and a complete controller
			// reference; nothing else makes PodFromTemplate fail.
			continue
		}
		if generateName != "" {
			pod.GenerateName = generateName
		}
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb: workload.Create, Resource: workload.ResourcePods, Namespace: j.Namespace, Object: pod, Reason: reason,
		})
		// The API server names the pod; the event carries the request's
		// name, which is empty.
		s.plan.Normal(s.ref, workload.EventSuccessfulCreate, "Created pod: %v", pod.Name)
	}
}

// addFailureCounts writes the failure-count annotations a replacement pod
// inherits from the failed pod it replaces: its counts plus that failure,
// as counted or as ignored by the podFailurePolicy.
func (s *syncer) addFailureCounts(t *v1.PodTemplateSpec, replaced *v1.Pod) {
	var failures, ignored int32
	if replaced != nil {
		failures = backoff.CountAnnotation(replaced, batch.JobIndexFailureCountAnnotation)
		ignored = backoff.CountAnnotation(replaced, batch.JobIndexIgnoredFailureCountAnnotation)
		if MatchPodFailurePolicy(s.job.Spec.PodFailurePolicy, replaced).Counts {
			failures++
		} else {
			ignored++
		}
	}
	t.Annotations[batch.JobIndexFailureCountAnnotation] = strconv.Itoa(int(failures))
	if ignored > 0 {
		t.Annotations[batch.JobIndexIgnoredFailureCountAnnotation] = strconv.Itoa(int(ignored))
	}
}

// maxGeneratedNameLength is the longest generateName whose generated name
// (five random characters appended) still fits a 63-character name.
const maxGeneratedNameLength = 63 - 5

// indexedGenerateName is "<job>-<index>-", with the Job name shortened so
// that the prefix fits the generated-name limit.
func indexedGenerateName(jobName string, ix int) string {
	suffix := "-" + strconv.Itoa(ix) + "-"
	prefix := jobName + suffix
	if len(prefix) > maxGeneratedNameLength {
		prefix = prefix[:maxGeneratedNameLength-len(suffix)] + suffix
	}
	return prefix
}

// completionIndexEnv is the variable through which a pod of an Indexed Job
// learns its index, read from the index label.
const completionIndexEnv = "JOB_COMPLETION_INDEX"

func addIndexEnv(t *v1.PodTemplateSpec) {
	for i := range t.Spec.InitContainers {
		addIndexEnvTo(&t.Spec.InitContainers[i])
	}
	for i := range t.Spec.Containers {
		addIndexEnvTo(&t.Spec.Containers[i])
	}
}

func addIndexEnvTo(c *v1.Container) {
	for _, e := range c.Env {
		if e.Name == completionIndexEnv {
			return
		}
	}
	c.Env = append(c.Env, v1.EnvVar{
		Name: completionIndexEnv,
		ValueFrom: &v1.EnvVarSource{FieldRef: &v1.ObjectFieldSelector{
			FieldPath: fmt.Sprintf("metadata.labels['%s']", batch.JobCompletionIndexAnnotation),
		}},
	})
}
