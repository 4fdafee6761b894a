package fuzzstate

import (
	"math"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/job"
)

// The generated Job's name and UID.
const (
	jobName = "job"
	jobUID  = types.UID("job-uid")
)

// jobLabels are the labels the API server puts on a Job's pod template
// when the selector is generated.
func jobLabels() map[string]string {
	return map[string]string{
		batchv1.ControllerUidLabel: string(jobUID), "controller-uid": string(jobUID),
		batchv1.JobNameLabel: jobName, "job-name": jobName,
	}
}

// Job builds a Job sync state: a Job as the API server stores it
// (NonIndexed or Indexed, with or without completions, back-off per index,
// success and pod failure policies, deadlines, suspended, being deleted,
// managed elsewhere) with a status from earlier syncs, up to six pods
// (owned, orphaned, foreign; with or without the tracking finalizer; in
// every phase with exit codes and finish times), uncounted pods, and the
// back-off record.
func Job(r *Reader, now time.Time) job.State {
	j := JobObject(r, now)
	st := job.State{Job: j}
	for i := range r.Intn(7) {
		st.Pods = append(st.Pods, jobPod(r, j, i, now))
	}
	jobUncounted(r, j, st.Pods)
	if r.OneIn(3) {
		st.Backoff.FailuresAfterLastSuccess = int32(r.IntRange(1, 8))
		at := now.Add(-time.Duration(r.Intn(700)) * time.Second)
		st.Backoff.LastFailureTime = &at
	}
	switch r.Intn(48) {
	case 1:
		j.Spec.Parallelism = nil
	case 2:
		j.Spec.Selector = nil
	case 3:
		st.Pods = append(st.Pods, nil)
	case 4:
		j.Spec.Template.Spec.RestartPolicy = v1.RestartPolicyAlways
	case 5:
		j.Status.CompletedIndexes = Pick(r, "x", "3-1", "1,,2", "0-")
	case 6:
		if len(st.Pods) > 0 {
			st.Pods = append(st.Pods, st.Pods[0])
		}
	}
	return st
}

// CloneJob deep-copies every object of s.
func CloneJob(s job.State) job.State {
	s.Job = s.Job.DeepCopy()
	s.Pods = cloneList(s.Pods)
	if t := s.Backoff.LastFailureTime; t != nil {
		c := *t
		s.Backoff.LastFailureTime = &c
	}
	return s
}

// PermuteJob reorders s's pods.
func PermuteJob(r *Reader, s job.State) job.State {
	s.Pods = Permute(r, s.Pods)
	return s
}

// JobObject builds the Job alone, with its spec and status; it is also the
// input of the TTL-after-finished controller (see TTLJob).
func JobObject(r *Reader, now time.Time) *batchv1.Job {
	indexed := r.OneIn(3)
	j := &batchv1.Job{
		TypeMeta: metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{
			Name: jobName, Namespace: Namespace, UID: jobUID, ResourceVersion: "7", Generation: 1,
			CreationTimestamp: metav1.NewTime(now.Add(-time.Hour)),
		},
		Spec: batchv1.JobSpec{
			Selector:       &metav1.LabelSelector{MatchLabels: map[string]string{batchv1.ControllerUidLabel: string(jobUID)}},
			Template:       podTemplate("busybox:1.36", jobLabels(), v1.RestartPolicyNever),
			Parallelism:    int32p(int32(r.Intn(4))),
			BackoffLimit:   int32p(int32(r.Intn(4))),
			CompletionMode: ptrTo(batchv1.NonIndexedCompletion),
			Suspend:        ptrTo(r.OneIn(6)),
			ManualSelector: ptrTo(false),
		},
	}
	if c := r.IntRange(-1, 4); c >= 0 {
		j.Spec.Completions = int32p(int32(c))
	} else if indexed {
		j.Spec.Completions = int32p(3)
	}
	if indexed {
		j.Spec.CompletionMode = ptrTo(batchv1.IndexedCompletion)
		if r.OneIn(3) {
			j.Spec.BackoffLimitPerIndex = int32p(int32(r.Intn(3)))
			j.Spec.BackoffLimit = int32p(math.MaxInt32)
			if r.Bool() {
				j.Spec.MaxFailedIndexes = int32p(int32(r.IntRange(0, int(*j.Spec.Completions))))
			}
		}
		if r.OneIn(4) && *j.Spec.Completions > 0 {
			j.Spec.SuccessPolicy = successPolicy(r, *j.Spec.Completions)
		}
	}
	if r.OneIn(3) {
		j.Spec.PodFailurePolicy = podFailurePolicy(r, j.Spec.BackoffLimitPerIndex != nil)
		j.Spec.PodReplacementPolicy = ptrTo(batchv1.Failed)
	} else {
		j.Spec.PodReplacementPolicy = ptrTo(Pick(r, batchv1.TerminatingOrFailed, batchv1.TerminatingOrFailed, batchv1.Failed))
		if r.OneIn(4) {
			j.Spec.Template.Spec.RestartPolicy = v1.RestartPolicyOnFailure
		}
	}
	if r.OneIn(4) {
		j.Spec.ActiveDeadlineSeconds = int64p(Pick[int64](r, 5, 30, 100, 3600, 9223372037))
	}
	if r.OneIn(4) {
		j.Spec.TTLSecondsAfterFinished = int32p(Pick[int32](r, 0, 10, 100, 3600))
	}
	if r.OneIn(30) {
		j.Spec.ManagedBy = ptrTo("example.com/other")
	}
	if r.OneIn(20) {
		ts := ago(r, now)
		j.DeletionTimestamp = &ts
	}
	if r.OneIn(4) {
		j.Spec.Template.Spec.InitContainers = []v1.Container{{Name: "side", Image: "busybox:1.36", RestartPolicy: ptrTo(v1.ContainerRestartPolicyAlways)}}
		j.Spec.Template.Spec.InitContainers[0].TerminationMessagePath = v1.TerminationMessagePathDefault
		j.Spec.Template.Spec.InitContainers[0].TerminationMessagePolicy = v1.TerminationMessageReadFile
		j.Spec.Template.Spec.InitContainers[0].ImagePullPolicy = v1.PullIfNotPresent
	}
	jobStatus(r, j, now)
	return j
}

// TTLJob builds the input of job.ReconcileTTL: a Job, finished or not,
// usually with a TTL, whose terminal condition lies around the TTL's end.
func TTLJob(r *Reader, now time.Time) *batchv1.Job {
	j := JobObject(r, now)
	if !r.OneIn(5) {
		j.Spec.TTLSecondsAfterFinished = int32p(Pick[int32](r, 0, 10, 100, 3600, math.MaxInt32))
	}
	if r.OneIn(3) {
		return j
	}
	finished := metav1.NewTime(now.Add(-Pick(r, 0, 5*time.Second, 10*time.Second, 2*time.Minute, 2*time.Hour, -time.Minute)))
	if r.OneIn(10) {
		finished = metav1.Time{}
	}
	ct := Pick(r, batchv1.JobComplete, batchv1.JobFailed)
	cond := batchv1.JobCondition{Type: ct, Status: Pick(r, v1.ConditionTrue, v1.ConditionTrue, v1.ConditionFalse), LastTransitionTime: finished}
	if r.Bool() {
		j.Status.Conditions = append(j.Status.Conditions, cond)
	} else {
		j.Status.Conditions = append([]batchv1.JobCondition{cond}, j.Status.Conditions...)
	}
	if r.OneIn(40) {
		j.Spec.TTLSecondsAfterFinished = int32p(-1)
	}
	mangleMeta(r, &j.ObjectMeta)
	return j
}

func ptrTo[T any](v T) *T { return &v }

func successPolicy(r *Reader, completions int32) *batchv1.SuccessPolicy {
	var sp batchv1.SuccessPolicy
	for range r.IntRange(1, 2) {
		var rule batchv1.SuccessPolicyRule
		if r.Bool() {
			rule.SucceededCount = int32p(int32(r.IntRange(1, int(completions))))
		} else {
			first := r.IntRange(0, int(completions)-1)
			last := r.IntRange(first, int(completions)-1)
			s := strconv.Itoa(first)
			if last > first {
				s += "-" + strconv.Itoa(last)
			}
			rule.SucceededIndexes = &s
			if r.Bool() {
				rule.SucceededCount = int32p(int32(r.IntRange(1, last-first+1)))
			}
		}
		sp.Rules = append(sp.Rules, rule)
	}
	return &sp
}

func podFailurePolicy(r *Reader, perIndex bool) *batchv1.PodFailurePolicy {
	actions := []batchv1.PodFailurePolicyAction{batchv1.PodFailurePolicyActionFailJob, batchv1.PodFailurePolicyActionIgnore, batchv1.PodFailurePolicyActionCount}
	if perIndex {
		actions = append(actions, batchv1.PodFailurePolicyActionFailIndex)
	}
	var p batchv1.PodFailurePolicy
	for range r.IntRange(1, 3) {
		rule := batchv1.PodFailurePolicyRule{Action: Pick(r, actions...)}
		if r.Bool() {
			rule.OnExitCodes = &batchv1.PodFailurePolicyOnExitCodesRequirement{
				Operator: Pick(r, batchv1.PodFailurePolicyOnExitCodesOpIn, batchv1.PodFailurePolicyOnExitCodesOpNotIn),
				Values:   []int32{int32(r.IntRange(1, 3))},
			}
			if r.OneIn(4) {
				rule.OnExitCodes.ContainerName = ptrTo(Pick(r, "app", "side"))
			}
		} else {
			rule.OnPodConditions = []batchv1.PodFailurePolicyOnPodConditionsPattern{{
				Type:   Pick(r, v1.DisruptionTarget, v1.PodReady),
				Status: Pick(r, v1.ConditionTrue, v1.ConditionTrue, v1.ConditionFalse),
			}}
		}
		p.Rules = append(p.Rules, rule)
	}
	return &p
}

func jobStatus(r *Reader, j *batchv1.Job, now time.Time) {
	st := &j.Status
	if !r.OneIn(4) {
		ts := metav1.NewTime(now.Add(-time.Duration(Pick(r, 1, 10, 29, 30, 31, 100, 4000)) * time.Second))
		st.StartTime = &ts
	}
	st.Active = int32(r.Intn(4))
	if r.Bool() {
		st.Ready = int32p(int32(r.Intn(3)))
	}
	if r.Bool() {
		st.Terminating = int32p(int32(r.Intn(3)))
	}
	st.Failed = int32(r.Intn(4))
	if *j.Spec.CompletionMode == batchv1.IndexedCompletion {
		var done, failed []int
		for i := range int(*j.Spec.Completions) {
			switch {
			case r.OneIn(4):
				done = append(done, i)
			case j.Spec.BackoffLimitPerIndex != nil && r.OneIn(5):
				failed = append(failed, i)
			}
		}
		st.CompletedIndexes = indexList(done)
		st.Succeeded = int32(len(done))
		if j.Spec.BackoffLimitPerIndex != nil && r.Bool() {
			st.FailedIndexes = ptrTo(indexList(failed))
		}
	} else {
		st.Succeeded = int32(r.Intn(4))
	}
	if r.Bool() {
		st.UncountedTerminatedPods = &batchv1.UncountedTerminatedPods{}
	}
	cond := func(ct batchv1.JobConditionType, s v1.ConditionStatus, reason, msg string) batchv1.JobCondition {
		ts := ago(r, now)
		return batchv1.JobCondition{Type: ct, Status: s, Reason: reason, Message: msg, LastProbeTime: ts, LastTransitionTime: ts}
	}
	switch r.Intn(10) {
	case 1, 2:
		st.Conditions = append(st.Conditions, cond(batchv1.JobSuspended, v1.ConditionTrue, "JobSuspended", "Job suspended"))
	case 3:
		st.Conditions = append(st.Conditions, cond(batchv1.JobSuspended, v1.ConditionFalse, "JobResumed", "Job resumed"))
	case 4:
		st.Conditions = append(st.Conditions, cond(batchv1.JobFailureTarget, v1.ConditionTrue, batchv1.JobReasonBackoffLimitExceeded, "Job has reached the specified backoff limit"))
	case 5:
		st.Conditions = append(st.Conditions, cond(batchv1.JobSuccessCriteriaMet, v1.ConditionTrue, batchv1.JobReasonCompletionsReached, "Reached expected number of succeeded pods"))
	case 6:
		st.Conditions = append(st.Conditions,
			cond(batchv1.JobSuccessCriteriaMet, v1.ConditionTrue, batchv1.JobReasonCompletionsReached, "Reached expected number of succeeded pods"),
			cond(batchv1.JobComplete, v1.ConditionTrue, batchv1.JobReasonCompletionsReached, "Reached expected number of succeeded pods"))
	}
}

// jobUncounted lists in status.uncountedTerminatedPods some finished pods
// and perhaps one that is gone.
func jobUncounted(r *Reader, j *batchv1.Job, pods []*v1.Pod) {
	if !r.OneIn(3) {
		return
	}
	u := &batchv1.UncountedTerminatedPods{}
	indexed := *j.Spec.CompletionMode == batchv1.IndexedCompletion
	for _, p := range pods {
		if !r.Bool() {
			continue
		}
		switch p.Status.Phase {
		case v1.PodSucceeded:
			if !indexed {
				u.Succeeded = append(u.Succeeded, p.UID)
			}
		case v1.PodFailed:
			u.Failed = append(u.Failed, p.UID)
		}
	}
	if r.Bool() {
		u.Failed = append(u.Failed, "gone-uid")
	}
	j.Status.UncountedTerminatedPods = u
}

func jobPod(r *Reader, j *batchv1.Job, i int, now time.Time) *v1.Pod {
	p := basePod(r, name("p", i), &j.Spec.Template, now)
	p.Namespace = Namespace
	p.Finalizers = []string{batchv1.JobTrackingFinalizer}
	switch r.Intn(10) {
	case 0:
		p.Finalizers = nil // an orphan: adopted if it matches
	case 1:
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("batch/v1", "Job", "other", "other-uid")}
	default:
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("batch/v1", "Job", jobName, jobUID)}
	}
	if r.OneIn(10) {
		p.Labels = map[string]string{"app": "else"}
	}
	if r.OneIn(8) {
		p.Finalizers = nil
	}
	failures := 0
	if *j.Spec.CompletionMode == batchv1.IndexedCompletion {
		ann := map[string]string{}
		switch k := r.Intn(10); {
		case k == 0:
		case k == 1:
			ann[batchv1.JobCompletionIndexAnnotation] = "x"
		default:
			ann[batchv1.JobCompletionIndexAnnotation] = strconv.Itoa(r.IntRange(0, int(*j.Spec.Completions)))
		}
		if j.Spec.BackoffLimitPerIndex != nil {
			failures = r.Intn(4)
			ann[batchv1.JobIndexFailureCountAnnotation] = strconv.Itoa(failures)
			if r.OneIn(4) {
				ann[batchv1.JobIndexIgnoredFailureCountAnnotation] = "1"
			}
		}
		p.Annotations = ann
	}
	// Finish times grow with the failure count and the pod number, so that
	// the pod an index keeps for its counts never depends on pod order.
	finished := metav1.NewTime(now.Add(-time.Duration(200-40*failures-i) * time.Second))
	sidecar := len(p.Spec.InitContainers) > 0
	switch p.Status.Phase {
	case v1.PodSucceeded, v1.PodFailed:
		code := int32(0)
		if p.Status.Phase == v1.PodFailed {
			code = int32(r.IntRange(1, 3))
		}
		if r.OneIn(4) {
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: finished}}
			p.Status.ContainerStatuses = nil
		} else {
			p.Status.Conditions = nil
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "app", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: code, FinishedAt: finished}}}}
			if sidecar {
				p.Status.InitContainerStatuses = []v1.ContainerStatus{{Name: "side", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: int32(r.Intn(2)), FinishedAt: finished}}}}
			}
		}
		if p.Status.Phase == v1.PodFailed && r.OneIn(4) {
			p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{Type: v1.DisruptionTarget, Status: v1.ConditionTrue, LastTransitionTime: finished})
		}
	default:
		if sidecar && r.Bool() {
			p.Status.InitContainerStatuses = []v1.ContainerStatus{{Name: "side", RestartCount: int32(r.Intn(3))}}
		}
		if p.Status.Phase != v1.PodRunning {
			p.Status.Conditions = nil
		}
	}
	if p.DeletionTimestamp != nil {
		ts := metav1.NewTime(finished.Add(30 * time.Second))
		p.DeletionTimestamp = &ts
	}
	return p
}

// indexList writes ascending indexes as a status index list ("0-2,4").
func indexList(ix []int) string {
	var parts []string
	for k := 0; k < len(ix); {
		e := k
		for e+1 < len(ix) && ix[e+1] == ix[e]+1 {
			e++
		}
		switch {
		case e == k:
			parts = append(parts, strconv.Itoa(ix[k]))
		case e == k+1:
			parts = append(parts, strconv.Itoa(ix[k]), strconv.Itoa(ix[e]))
		default:
			parts = append(parts, strconv.Itoa(ix[k])+"-"+strconv.Itoa(ix[e]))
		}
		k = e + 1
	}
	return strings.Join(parts, ",")
}
