package job

import (
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/workload"
)

// syncer carries one sync: the working copy of the Job, modified in memory
// where upstream modifies its copy so that each status write carries what
// came before it, and the counts upstream keeps in its sync context.
type syncer struct {
	job     *batch.Job
	now     time.Time
	nowMeta metav1.Time
	// pods are the claimed pods, in claim order (namespace, name, UID).
	pods   []*v1.Pod
	active []*v1.Pod

	ready, terminating int32
	succeeded, failed  int32
	uncountedSucceeded map[types.UID]bool
	uncountedFailed    map[types.UID]bool

	prevBackoff, newBackoff, backoff backoff.JobRecord

	// finished is the pending finished condition (FailureTarget, Failed,
	// SuccessCriteriaMet or Complete), nil while the Job is not finishing.
	finished *batch.JobCondition

	// indexOf caches the completion index of each claimed pod of an
	// Indexed Job: the sync reads it many times.
	indexOf map[*v1.Pod]int

	prevSucceededIndexes, succeededIndexes intervals
	failedIndexes                          *intervals
	delayedPerIndex                        map[int]*v1.Pod

	// written is the status last written in this sync, at first the one
	// it started from: each write's reason says what it changes.
	written batch.JobStatus
	// ref is the Job as the object of the events the sync records.
	ref v1.ObjectReference

	plan workload.Plan
}

func (s *syncer) sync() {
	j := s.job
	if isIndexed(j) {
		s.indexOf = make(map[*v1.Pod]int, len(s.pods))
		for _, p := range s.pods {
			s.indexOf[p] = completionIndex(p)
		}
	}
	for _, p := range s.pods {
		if workload.IsPodActive(p) {
			s.active = append(s.active, p)
			if workload.IsPodReady(p) {
				s.ready++
			}
		}
		if workload.IsPodTerminating(p) {
			s.terminating++
		}
	}
	s.uncountedSucceeded = uidSet(j.Status.UncountedTerminatedPods.Succeeded)
	s.uncountedFailed = uidSet(j.Status.UncountedTerminatedPods.Failed)
	active := int32(len(s.active))
	newSucceeded := s.newlyFinished(s.uncountedSucceeded, func(p *v1.Pod) bool { return p.Status.Phase == v1.PodSucceeded })
	newFailed := s.newlyFinished(s.uncountedFailed, func(p *v1.Pod) bool { return isPodFailed(p, j) })
	s.succeeded = j.Status.Succeeded + int32(len(newSucceeded)) + int32(len(s.uncountedSucceeded))
	s.failed = j.Status.Failed + s.countedFailures(newFailed) + int32(len(s.uncountedFailed))

	if j.Status.StartTime == nil && !isSuspended(j) {
		t := s.nowMeta
		j.Status.StartTime = &t
	}
	s.newBackoff = backoff.NextJobRecord(s.prevBackoff, newSucceeded, newFailed)
	s.backoff = s.prevBackoff

	s.evaluateFailure()
	if isIndexed(j) {
		s.evaluateIndexes()
	}

	suspendChanged := false
	if s.finished != nil {
		// A finishing Job loses its running pods at once; their finalizers
		// stay until tracking counts them.
		deleted, deletedReady := s.deletePods(s.active, false, "job is finishing: "+s.finished.Reason)
		active -= deleted
		s.terminating += deleted
		s.ready -= deletedReady
	} else {
		managed := false
		if j.DeletionTimestamp == nil {
			active = s.manage()
			managed = true
		}
		complete := false
		if j.Spec.Completions == nil {
			// A work queue is done once any pod succeeded and none runs.
			complete = s.succeeded > 0 && active == 0
		} else {
			complete = s.succeeded >= *j.Spec.Completions && active == 0
		}
		switch {
		case complete:
			s.finished = s.condition(batch.JobSuccessCriteriaMet, batch.JobReasonCompletionsReached, "Reached expected number of succeeded pods")
		case managed && isSuspended(j):
			if s.ensureCondition(batch.JobSuspended, v1.ConditionTrue, "JobSuspended", "Job suspended") {
				suspendChanged = true
				s.plan.Normal(s.ref, EventSuspended, "Job suspended")
				// Suspending clears startTime, so that activeDeadlineSeconds
				// counts from the resume.
				j.Status.StartTime = nil
			}
		case managed:
			if s.ensureCondition(batch.JobSuspended, v1.ConditionFalse, "JobResumed", "Job resumed") {
				suspendChanged = true
				s.plan.Normal(s.ref, EventResumed, "Job resumed")
				t := s.nowMeta
				j.Status.StartTime = &t
			}
		}
	}

	needsWrite := suspendChanged || active != j.Status.Active ||
		j.Status.Ready == nil || *j.Status.Ready != s.ready ||
		j.Status.Terminating == nil || *j.Status.Terminating != s.terminating
	j.Status.Active = active
	ready, terminating := s.ready, s.terminating
	j.Status.Ready = &ready
	j.Status.Terminating = &terminating
	s.track(needsWrite)
}

// newlyFinished returns the pods that finished (per test) and are not yet
// counted: they still carry the tracking finalizer, are not in the
// uncounted list given, and, for an Indexed Job, have a valid index.
func (s *syncer) newlyFinished(uncounted map[types.UID]bool, test func(*v1.Pod) bool) []*v1.Pod {
	var out []*v1.Pod
	for _, p := range s.pods {
		if !hasTrackingFinalizer(p) || uncounted[p.UID] {
			continue
		}
		if isIndexed(s.job) && !validIndex(s.index(p), *s.job.Spec.Completions) {
			continue
		}
		if test(p) {
			out = append(out, p)
		}
	}
	return out
}

// countedFailures is how many of the failed pods count towards
// backoffLimit: all of them but those an Ignore rule matches.
func (s *syncer) countedFailures(failed []*v1.Pod) int32 {
	n := int32(len(failed))
	if s.job.Spec.PodFailurePolicy != nil {
		for _, p := range failed {
			if !MatchPodFailurePolicy(s.job.Spec.PodFailurePolicy, p).Counts {
				n--
			}
		}
	}
	return n
}

// evaluateFailure looks for the reasons a Job fails, in upstream's order:
// an existing SuccessCriteriaMet wins over everything, then an existing
// FailureTarget, a FailJob rule, backoffLimit, activeDeadlineSeconds.
func (s *syncer) evaluateFailure() {
	j := s.job
	if c := findCondition(j.Status.Conditions, batch.JobSuccessCriteriaMet); c != nil && c.Status == v1.ConditionTrue {
		s.finished = c.DeepCopy()
		return
	}
	if c := findCondition(j.Status.Conditions, batch.JobFailureTarget); c != nil && c.Status == v1.ConditionTrue {
		s.finished = s.condition(batch.JobFailed, c.Reason, c.Message)
		return
	}
	if msg, ok := s.failJobMessage(); ok {
		s.finished = s.condition(batch.JobFailureTarget, batch.JobReasonPodFailurePolicy, msg)
		return
	}
	switch {
	case s.failed > *j.Spec.BackoffLimit || s.pastBackoffLimitOnFailure():
		s.finished = s.condition(batch.JobFailureTarget, batch.JobReasonBackoffLimitExceeded, "Job has reached the specified backoff limit")
	case s.pastActiveDeadline():
		s.finished = s.condition(batch.JobFailureTarget, batch.JobReasonDeadlineExceeded, "Job was active longer than specified deadline")
	case j.Spec.ActiveDeadlineSeconds != nil && !isSuspended(j):
		// Look again exactly when the deadline passes (no rounding: the
		// work queue takes the delay as it is).
		s.requeueAfter(time.Duration(*j.Spec.ActiveDeadlineSeconds)*time.Second - s.now.Sub(j.Status.StartTime.Time))
	}
}

// failJobMessage is the message of the first failed pod, in claim order,
// that matches a FailJob rule. Upstream takes the first in informer order.
func (s *syncer) failJobMessage() (string, bool) {
	if s.job.Spec.PodFailurePolicy == nil {
		return "", false
	}
	for _, p := range s.pods {
		if !isPodFailed(p, s.job) {
			continue
		}
		if v := MatchPodFailurePolicy(s.job.Spec.PodFailurePolicy, p); v.Action == batch.PodFailurePolicyActionFailJob {
			return v.Message, true
		}
	}
	return "", false
}

// pastBackoffLimitOnFailure applies backoffLimit to container restarts
// under restartPolicy OnFailure: the restarts of every container of every
// pending or running pod, summed, reach backoffLimit (exceed it when
// backoffLimit is 0) — unlike failed pods, which must exceed it.
func (s *syncer) pastBackoffLimitOnFailure() bool {
	j := s.job
	if j.Spec.Template.Spec.RestartPolicy != v1.RestartPolicyOnFailure {
		return false
	}
	var sum int32
	for _, p := range s.pods {
		if p.Status.Phase != v1.PodRunning && p.Status.Phase != v1.PodPending {
			continue
		}
		for _, c := range p.Status.InitContainerStatuses {
			sum += c.RestartCount
		}
		for _, c := range p.Status.ContainerStatuses {
			sum += c.RestartCount
		}
	}
	if *j.Spec.BackoffLimit == 0 {
		return sum > 0
	}
	return sum >= *j.Spec.BackoffLimit
}

// pastActiveDeadline reports whether a running Job has been active for
// activeDeadlineSeconds since its startTime. A suspended Job never is.
func (s *syncer) pastActiveDeadline() bool {
	j := s.job
	if j.Spec.ActiveDeadlineSeconds == nil || j.Status.StartTime == nil || isSuspended(j) {
		return false
	}
	return s.now.Sub(j.Status.StartTime.Time) >= time.Duration(*j.Spec.ActiveDeadlineSeconds)*time.Second
}

// evaluateIndexes counts succeeded and failed indexes of an Indexed Job and
// applies maxFailedIndexes, failed indexes and the success policy.
func (s *syncer) evaluateIndexes() {
	j := s.job
	completions := *j.Spec.Completions
	s.prevSucceededIndexes = controllerParse(j.Status.CompletedIndexes, completions)
	var fresh []int
	for _, p := range s.pods {
		if ix := s.index(p); p.Status.Phase == v1.PodSucceeded && validIndex(ix, completions) && hasTrackingFinalizer(p) {
			fresh = append(fresh, ix)
		}
	}
	s.succeededIndexes = s.prevSucceededIndexes.withIndexes(sortedUnique(fresh))
	s.succeeded = int32(s.succeededIndexes.total())
	if hasBackoffLimitPerIndex(j) {
		s.failedIndexes = s.computeFailedIndexes()
		if s.finished == nil {
			failed := s.failedIndexes.total()
			switch {
			case j.Spec.MaxFailedIndexes != nil && failed > int(*j.Spec.MaxFailedIndexes):
				s.finished = s.condition(batch.JobFailureTarget, batch.JobReasonMaxFailedIndexesExceeded, "Job has exceeded the specified maximal number of failed indexes")
			case failed > 0 && failed+s.succeededIndexes.total() >= int(completions):
				s.finished = s.condition(batch.JobFailureTarget, batch.JobReasonFailedIndexes, "Job has failed indexes")
			}
		}
		s.delayedPerIndex = s.podsWithDelayedDeletion()
	}
	if s.finished == nil {
		if msg, ok := matchSuccessPolicy(j.Spec.SuccessPolicy, completions, s.succeededIndexes); ok {
			s.finished = s.condition(batch.JobSuccessCriteriaMet, batch.JobReasonSuccessPolicy, msg)
		}
	}
}

// computeFailedIndexes is status.failedIndexes plus the indexes of
// uncounted pods that failed for good: a FailIndex rule matched, or the
// pod's counted failure reached backoffLimitPerIndex.
func (s *syncer) computeFailedIndexes() *intervals {
	j := s.job
	completions := *j.Spec.Completions
	var prev intervals
	if j.Status.FailedIndexes != nil {
		prev = controllerParse(*j.Status.FailedIndexes, completions)
	}
	var fresh []int
	for _, p := range s.pods {
		if ix := s.index(p); validIndex(ix, completions) && hasTrackingFinalizer(p) && s.isIndexFailed(p) {
			fresh = append(fresh, ix)
		}
	}
	out := prev.withIndexes(sortedUnique(fresh))
	return &out
}

func (s *syncer) isIndexFailed(p *v1.Pod) bool {
	j := s.job
	if !isPodFailed(p, j) {
		return false
	}
	counts := true
	if j.Spec.PodFailurePolicy != nil {
		v := MatchPodFailurePolicy(j.Spec.PodFailurePolicy, p)
		if v.Action == batch.PodFailurePolicyActionFailIndex {
			return true
		}
		counts = v.Counts
	}
	return counts && backoff.CountAnnotation(p, batch.JobIndexFailureCountAnnotation) >= *j.Spec.BackoffLimitPerIndex
}

// podsWithDelayedDeletion picks, per index that is neither succeeded,
// failed nor running, the failed pod whose finalizer stays until its
// replacement exists: the replacement copies its failure counts. Of
// several, the one with the highest total count that also finished last
// wins; pods are visited in claim order (upstream: informer order, which
// decides when the highest count did not finish last).
func (s *syncer) podsWithDelayedDeletion() map[int]*v1.Pod {
	j := s.job
	completions := *j.Spec.Completions
	activeIx := map[int]bool{}
	for _, ix := range s.indexesOf(s.active) {
		activeIx[ix] = true
	}
	out := map[int]*v1.Pod{}
	for _, p := range s.pods {
		if !hasTrackingFinalizer(p) || !isPodFailed(p, j) {
			continue
		}
		ix := s.index(p)
		if !validIndex(ix, completions) {
			continue
		}
		if s.succeededIndexes.has(ix) || s.failedIndexes.has(ix) || activeIx[ix] {
			continue
		}
		last, ok := out[ix]
		if !ok || (backoff.IndexFailures(last) <= backoff.IndexFailures(p) && !backoff.PodFinishedTime(p).Before(backoff.PodFinishedTime(last))) {
			out[ix] = p
		}
	}
	return out
}

// index is the completion index of a pod, from the cache when the pod is
// one of the claimed pods.
func (s *syncer) index(p *v1.Pod) int {
	if ix, ok := s.indexOf[p]; ok {
		return ix
	}
	return completionIndex(p)
}

func (s *syncer) requeueAfter(d time.Duration) {
	// The work queue keeps the earliest of several delayed adds.
	if d <= 0 {
		d = 0
	}
	if s.plan.RequeueAfter <= 0 || d < s.plan.RequeueAfter {
		s.plan.RequeueAfter = d
	}
}

func uidSet(uids []types.UID) map[types.UID]bool {
	out := make(map[types.UID]bool, len(uids))
	for _, u := range uids {
		out[u] = true
	}
	return out
}

func sortedUnique(ix []int) []int {
	if len(ix) == 0 {
		return nil
	}
	seen := map[int]bool{}
	var out []int
	for _, x := range ix {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sortInts(out)
	return out
}
