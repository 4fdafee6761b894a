package gen

import (
	"fmt"
	"math"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/internal/apidefault"
)

// JobName and JobUID name the generated Job.
const (
	JobName = "job"
	JobUID  = types.UID("job-uid")
)

// JobState is a generated input of one Job sync: the Job, the pods of its
// namespace, and the controller's in-memory back-off record for it.
type JobState struct {
	Job         *batchv1.Job
	Pods        []*v1.Pod
	Failures    int32
	LastFailure *time.Time
}

// jobLabels are the labels the API server puts on a Job's pod template
// (without manualSelector); the selector is the controller-uid one.
func jobLabels() map[string]string {
	return map[string]string{
		batchv1.ControllerUidLabel: string(JobUID), "controller-uid": string(JobUID),
		batchv1.JobNameLabel: JobName, "job-name": JobName,
	}
}

// Job draws a Job sync state at now: every Job is one the API server
// would store (defaults applied), and the pods cover the corners the
// controller distinguishes.
func Job(t *rapid.T, now time.Time) JobState {
	j := jobSpec(t, now)
	jobStatus(t, j, now)
	st := JobState{Job: j}
	n := rapid.IntRange(0, 9).Draw(t, "pods")
	for i := range n {
		st.Pods = append(st.Pods, jobPod(t, j, i, now))
	}
	jobUncounted(t, j, st.Pods)
	if rapid.IntRange(0, 2).Draw(t, "hasBackoff") == 0 {
		st.Failures = int32(rapid.IntRange(1, 8).Draw(t, "backoffFailures"))
		lf := now.Add(-time.Duration(rapid.IntRange(0, 700).Draw(t, "backoffAge")) * time.Second)
		st.LastFailure = &lf
	}
	return st
}

func jobSpec(t *rapid.T, now time.Time) *batchv1.Job {
	indexed := rapid.IntRange(0, 2).Draw(t, "indexed") == 0
	j := &batchv1.Job{
		TypeMeta: metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{
			Name: JobName, Namespace: Namespace, UID: JobUID, ResourceVersion: "7", Generation: 1,
			CreationTimestamp: metav1.NewTime(now.Add(-time.Hour)),
		},
		Spec: batchv1.JobSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{batchv1.ControllerUidLabel: string(JobUID)}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: jobLabels()},
				Spec: v1.PodSpec{
					Containers:    []v1.Container{{Name: "main", Image: "busybox"}},
					RestartPolicy: v1.RestartPolicyNever,
				},
			},
			BackoffLimit:   ptr.To(int32(rapid.IntRange(0, 5).Draw(t, "backoffLimit"))),
			CompletionMode: ptr.To(batchv1.NonIndexedCompletion),
			Suspend:        ptr.To(rapid.IntRange(0, 5).Draw(t, "suspend") == 0),
			ManualSelector: ptr.To(false),
		},
	}
	if rapid.IntRange(0, 3).Draw(t, "sidecar") == 0 {
		j.Spec.Template.Spec.InitContainers = []v1.Container{{Name: "side", Image: "busybox", RestartPolicy: ptr.To(v1.ContainerRestartPolicyAlways)}}
	}
	par := int32(rapid.IntRange(0, 5).Draw(t, "parallelism"))
	j.Spec.Parallelism = &par
	switch c := rapid.IntRange(-1, 6).Draw(t, "completions"); {
	case c >= 0:
		j.Spec.Completions = ptr.To(int32(c))
	case indexed:
		j.Spec.Completions = ptr.To(int32(3))
	}
	if indexed {
		j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
		if rapid.IntRange(0, 2).Draw(t, "perIndex") == 0 {
			j.Spec.BackoffLimitPerIndex = ptr.To(int32(rapid.IntRange(0, 2).Draw(t, "backoffLimitPerIndex")))
			j.Spec.BackoffLimit = ptr.To(int32(math.MaxInt32))
			if rapid.Bool().Draw(t, "hasMaxFailed") {
				j.Spec.MaxFailedIndexes = ptr.To(int32(rapid.IntRange(0, int(*j.Spec.Completions)).Draw(t, "maxFailedIndexes")))
			}
		}
		if rapid.IntRange(0, 3).Draw(t, "hasSuccessPolicy") == 0 && *j.Spec.Completions > 0 {
			j.Spec.SuccessPolicy = successPolicy(t, *j.Spec.Completions)
		}
	}
	if rapid.IntRange(0, 2).Draw(t, "hasPFP") == 0 {
		j.Spec.PodFailurePolicy = podFailurePolicy(t, j.Spec.BackoffLimitPerIndex != nil, len(j.Spec.Template.Spec.InitContainers) > 0)
		j.Spec.PodReplacementPolicy = ptr.To(batchv1.Failed)
	} else {
		j.Spec.PodReplacementPolicy = ptr.To(rapid.SampledFrom([]batchv1.PodReplacementPolicy{batchv1.TerminatingOrFailed, batchv1.TerminatingOrFailed, batchv1.Failed}).Draw(t, "replacement"))
		if rapid.IntRange(0, 3).Draw(t, "onFailure") == 0 {
			j.Spec.Template.Spec.RestartPolicy = v1.RestartPolicyOnFailure
		}
	}
	if rapid.IntRange(0, 3).Draw(t, "hasADS") == 0 {
		// 0 is valid (the deadline has always passed); 9,223,372,037 s and
		// more overflow time.Duration, upstream as here.
		j.Spec.ActiveDeadlineSeconds = ptr.To(rapid.SampledFrom([]int64{0, 5, 30, 100, 3600, 9_223_372_036, 9_223_372_037, math.MaxInt64}).Draw(t, "ads"))
	}
	if rapid.IntRange(0, 29).Draw(t, "managedElsewhere") == 0 {
		j.Spec.ManagedBy = ptr.To("example.com/other")
	}
	if rapid.IntRange(0, 19).Draw(t, "jobDeleting") == 0 {
		ts := metav1.NewTime(now.Add(-time.Second))
		j.DeletionTimestamp = &ts
	}
	apidefault.PodTemplate(&j.Spec.Template)
	jobGuarded(t, j)
	return j
}

// jobGuarded makes some Jobs into objects only older API servers stored or
// that the controller reads without the server's defaults: an unknown
// completionMode (upstream warns and skips the Job), the empty selector of
// a manualSelector Job (it selects every pod of the namespace), and unset
// completionMode, suspend or podReplacementPolicy (the controller reads
// them as NonIndexed, false and TerminatingOrFailed).
func jobGuarded(t *rapid.T, j *batchv1.Job) {
	// rapid favours small numbers: the guarded cases take the large ones,
	// so that they stay rare.
	switch rapid.IntRange(0, 59).Draw(t, "guarded") {
	case 55:
		j.Spec.CompletionMode = ptr.To(batchv1.CompletionMode(rapid.SampledFrom([]string{"Sometimes", "indexed", ""}).Draw(t, "unknownMode")))
	case 56:
		j.Spec.ManualSelector = ptr.To(true)
		j.Spec.Selector = &metav1.LabelSelector{}
	case 57:
		if j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.NonIndexedCompletion {
			j.Spec.CompletionMode = nil
		}
	case 58:
		j.Spec.Suspend = nil
	case 59:
		j.Spec.PodReplacementPolicy = nil
	}
}

func successPolicy(t *rapid.T, completions int32) *batchv1.SuccessPolicy {
	var sp batchv1.SuccessPolicy
	for i := range rapid.IntRange(1, 2).Draw(t, "successRules") {
		var r batchv1.SuccessPolicyRule
		switch rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("successRule%d", i)) {
		case 0:
			r.SucceededCount = ptr.To(int32(rapid.IntRange(1, int(completions)).Draw(t, "succeededCount")))
		default:
			first := rapid.IntRange(0, int(completions)-1).Draw(t, "spFirst")
			last := rapid.IntRange(first, int(completions)-1).Draw(t, "spLast")
			s := strconv.Itoa(first)
			if last > first {
				s += "-" + strconv.Itoa(last)
			}
			r.SucceededIndexes = &s
			if rapid.Bool().Draw(t, "spWithCount") {
				r.SucceededCount = ptr.To(int32(rapid.IntRange(1, last-first+1).Draw(t, "spCount")))
			}
		}
		sp.Rules = append(sp.Rules, r)
	}
	return &sp
}

// podFailurePolicy draws rules the API server accepts: exit codes
// ascending and unique, never 0 under In, container names of the template
// (side only with the sidecar).
func podFailurePolicy(t *rapid.T, perIndex, sidecar bool) *batchv1.PodFailurePolicy {
	containers := []string{"main"}
	if sidecar {
		containers = append(containers, "side")
	}
	actions := []batchv1.PodFailurePolicyAction{batchv1.PodFailurePolicyActionFailJob, batchv1.PodFailurePolicyActionIgnore, batchv1.PodFailurePolicyActionCount}
	if perIndex {
		actions = append(actions, batchv1.PodFailurePolicyActionFailIndex)
	}
	var p batchv1.PodFailurePolicy
	for i := range rapid.IntRange(1, 3).Draw(t, "pfpRules") {
		r := batchv1.PodFailurePolicyRule{Action: rapid.SampledFrom(actions).Draw(t, fmt.Sprintf("pfpAction%d", i))}
		if rapid.Bool().Draw(t, "pfpOnExit") {
			op := rapid.SampledFrom([]batchv1.PodFailurePolicyOnExitCodesOperator{batchv1.PodFailurePolicyOnExitCodesOpIn, batchv1.PodFailurePolicyOnExitCodesOpNotIn}).Draw(t, "pfpOp")
			low := 1
			if op == batchv1.PodFailurePolicyOnExitCodesOpNotIn {
				low = 0
			}
			var codes []int32
			for c := low; c <= 3; c++ {
				if rapid.IntRange(0, 2).Draw(t, "pfpCode") == 0 {
					codes = append(codes, int32(c))
				}
			}
			if len(codes) == 0 {
				codes = []int32{int32(rapid.IntRange(1, 3).Draw(t, "pfpOnlyCode"))}
			}
			r.OnExitCodes = &batchv1.PodFailurePolicyOnExitCodesRequirement{Operator: op, Values: codes}
			if rapid.IntRange(0, 3).Draw(t, "pfpContainer") == 0 {
				r.OnExitCodes.ContainerName = ptr.To(rapid.SampledFrom(containers).Draw(t, "pfpContainerName"))
			}
		} else {
			r.OnPodConditions = []batchv1.PodFailurePolicyOnPodConditionsPattern{{
				Type:   rapid.SampledFrom([]v1.PodConditionType{v1.DisruptionTarget, v1.PodReady}).Draw(t, "pfpCondType"),
				Status: rapid.SampledFrom([]v1.ConditionStatus{v1.ConditionTrue, v1.ConditionTrue, v1.ConditionFalse}).Draw(t, "pfpCondStatus"),
			}}
		}
		p.Rules = append(p.Rules, r)
	}
	return &p
}

func jobStatus(t *rapid.T, j *batchv1.Job, now time.Time) {
	st := &j.Status
	if rapid.IntRange(0, 3).Draw(t, "hasStart") > 0 {
		ts := metav1.NewTime(now.Add(-time.Duration(rapid.SampledFrom([]int{1, 10, 29, 30, 31, 99, 100, 500, 4000}).Draw(t, "startAge")) * time.Second))
		st.StartTime = &ts
	}
	st.Active = int32(rapid.IntRange(0, 3).Draw(t, "statusActive"))
	if rapid.Bool().Draw(t, "hasReady") {
		st.Ready = ptr.To(int32(rapid.IntRange(0, 2).Draw(t, "statusReady")))
	}
	if rapid.Bool().Draw(t, "hasTerminating") {
		st.Terminating = ptr.To(int32(rapid.IntRange(0, 2).Draw(t, "statusTerminating")))
	}
	st.Failed = int32(rapid.IntRange(0, 4).Draw(t, "statusFailed"))
	if j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.IndexedCompletion {
		var done []int
		for i := 0; i <= int(*j.Spec.Completions); i++ {
			if rapid.IntRange(0, 3).Draw(t, "completedIx") == 0 {
				done = append(done, i)
			}
		}
		st.CompletedIndexes = indexList(done)
		st.Succeeded = int32(len(done))
		if j.Spec.BackoffLimitPerIndex != nil && rapid.Bool().Draw(t, "hasFailedIx") {
			var failed []int
			for i := 0; i < int(*j.Spec.Completions); i++ {
				if !contains(done, i) && rapid.IntRange(0, 4).Draw(t, "failedIx") == 0 {
					failed = append(failed, i)
				}
			}
			st.FailedIndexes = ptr.To(indexList(failed))
		}
	} else {
		st.Succeeded = int32(rapid.IntRange(0, 3).Draw(t, "statusSucceeded"))
	}
	if rapid.Bool().Draw(t, "hasUncountedField") {
		st.UncountedTerminatedPods = &batchv1.UncountedTerminatedPods{}
	}
	cond := func(ct batchv1.JobConditionType, s v1.ConditionStatus, reason, msg string) batchv1.JobCondition {
		ts := metav1.NewTime(now.Add(-time.Duration(rapid.IntRange(1, 200).Draw(t, "condAge")) * time.Second))
		return batchv1.JobCondition{Type: ct, Status: s, Reason: reason, Message: msg, LastProbeTime: ts, LastTransitionTime: ts}
	}
	switch rapid.IntRange(0, 12).Draw(t, "conditions") {
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

// jobUncounted fills status.uncountedTerminatedPods with UIDs of some
// finished pods and of a pod that is gone.
func jobUncounted(t *rapid.T, j *batchv1.Job, pods []*v1.Pod) {
	if rapid.IntRange(0, 2).Draw(t, "hasUncounted") != 0 {
		return
	}
	u := &batchv1.UncountedTerminatedPods{}
	indexed := j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.IndexedCompletion
	for _, p := range pods {
		if !rapid.Bool().Draw(t, "uncountedPick") {
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
	if rapid.Bool().Draw(t, "uncountedGone") {
		if indexed || rapid.Bool().Draw(t, "goneFailed") {
			u.Failed = append(u.Failed, "gone-uid")
		} else {
			u.Succeeded = append(u.Succeeded, "gone-uid")
		}
	}
	j.Status.UncountedTerminatedPods = u
}

func jobPod(t *rapid.T, j *batchv1.Job, i int, now time.Time) *v1.Pod {
	name := fmt.Sprintf("p%02d", i)
	label := func(s string) string { return name + "." + s }
	created := now.Add(-time.Duration(rapid.SampledFrom([]int{2, 20, 50, 120, 600}).Draw(t, label("created"))) * time.Second)
	p := &v1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: Namespace, UID: types.UID(name + "-uid"), ResourceVersion: "10",
			CreationTimestamp: metav1.NewTime(created), Labels: jobLabels(),
			Finalizers: []string{batchv1.JobTrackingFinalizer},
		},
		Spec: *j.Spec.Template.Spec.DeepCopy(),
	}
	yes := true
	switch rapid.IntRange(0, 11).Draw(t, label("owner")) {
	case 0:
		// An orphan: adopted if it matches.
		p.Finalizers = nil
	case 1:
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: "other", UID: "other-uid", Controller: &yes, BlockOwnerDeletion: &yes}}
	default:
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: JobName, UID: JobUID, Controller: &yes, BlockOwnerDeletion: &yes}}
	}
	if rapid.IntRange(0, 11).Draw(t, label("mismatch")) == 0 {
		p.Labels = map[string]string{"app": "else"}
	}
	if rapid.IntRange(0, 7).Draw(t, label("noFinalizer")) == 0 {
		p.Finalizers = nil
	}
	if rapid.IntRange(0, 4).Draw(t, label("scheduled")) > 0 {
		p.Spec.NodeName = rapid.SampledFrom([]string{"n1", "n2"}).Draw(t, label("node"))
	}
	indexed := j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batchv1.IndexedCompletion
	failures := 0
	if indexed {
		ann := map[string]string{}
		switch k := rapid.IntRange(0, 9).Draw(t, label("index")); {
		case k == 0:
		case k == 1:
			ann[batchv1.JobCompletionIndexAnnotation] = "x"
		default:
			ann[batchv1.JobCompletionIndexAnnotation] = strconv.Itoa(rapid.IntRange(0, int(*j.Spec.Completions)).Draw(t, label("ix")))
		}
		if j.Spec.BackoffLimitPerIndex != nil {
			failures = rapid.IntRange(0, 3).Draw(t, label("indexFailures"))
			ann[batchv1.JobIndexFailureCountAnnotation] = strconv.Itoa(failures)
			if rapid.IntRange(0, 3).Draw(t, label("hasIgnored")) == 0 {
				ann[batchv1.JobIndexIgnoredFailureCountAnnotation] = "1"
			}
		}
		p.Annotations = ann
	}
	// Finish times grow with the failure count and the pod number, so that
	// the pod an index keeps for its counts does not depend on pod order
	// (where upstream's choice would).
	finished := now.Add(-time.Duration(200-40*failures-i) * time.Second)
	phase := rapid.SampledFrom([]v1.PodPhase{v1.PodPending, v1.PodRunning, v1.PodRunning, v1.PodSucceeded, v1.PodSucceeded, v1.PodFailed, v1.PodFailed, v1.PodUnknown, ""}).Draw(t, label("phase"))
	p.Status.Phase = phase
	sidecar := len(p.Spec.InitContainers) > 0
	switch phase {
	case v1.PodRunning, v1.PodPending, v1.PodUnknown, "":
		restarts := int32(rapid.IntRange(0, 3).Draw(t, label("restarts")))
		p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main", RestartCount: restarts}}
		if sidecar {
			p.Status.InitContainerStatuses = []v1.ContainerStatus{{Name: "side", RestartCount: int32(rapid.IntRange(0, 2).Draw(t, label("sideRestarts")))}}
		}
		if phase == v1.PodRunning && rapid.Bool().Draw(t, label("ready")) {
			since := now.Add(-time.Duration(rapid.SampledFrom([]int{5, 30, 30, 90}).Draw(t, label("readyAge"))) * time.Second)
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(since)}}
		}
	case v1.PodSucceeded, v1.PodFailed:
		code := int32(0)
		if phase == v1.PodFailed {
			code = int32(rapid.IntRange(1, 3).Draw(t, label("exit")))
		}
		switch rapid.IntRange(0, 3).Draw(t, label("finishSource")) {
		case 0:
			// No container status: the Ready=False time tells the finish.
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: metav1.NewTime(finished)}}
		default:
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: code, FinishedAt: metav1.NewTime(finished)}}}}
			if sidecar {
				p.Status.InitContainerStatuses = []v1.ContainerStatus{{Name: "side", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: int32(rapid.IntRange(0, 1).Draw(t, label("sideExit"))), FinishedAt: metav1.NewTime(finished)}}}}
			}
		}
		if phase == v1.PodFailed && rapid.IntRange(0, 3).Draw(t, label("disrupted")) == 0 {
			p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{Type: v1.DisruptionTarget, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(finished)})
		}
	}
	if rapid.IntRange(0, 6).Draw(t, label("deleting")) == 0 {
		ts := metav1.NewTime(finished.Add(30 * time.Second))
		p.DeletionTimestamp = &ts
		p.DeletionGracePeriodSeconds = ptr.To(int64(30))
	}
	return p
}

// indexList writes ascending indexes as a status index list.
func indexList(ix []int) string {
	s := ""
	for k := 0; k < len(ix); {
		e := k
		for e+1 < len(ix) && ix[e+1] == ix[e]+1 {
			e++
		}
		if s != "" {
			s += ","
		}
		s += strconv.Itoa(ix[k])
		switch {
		case e == k+1:
			s += "," + strconv.Itoa(ix[e])
		case e > k+1:
			s += "-" + strconv.Itoa(ix[e])
		}
		k = e + 1
	}
	return s
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
