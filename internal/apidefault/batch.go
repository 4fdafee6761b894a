package apidefault

import (
	"maps"
	"math"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
)

// Job and CronJob defaults.
const (
	defaultBackoffLimit          = int32(6)
	defaultSuccessfulJobsHistory = int32(3)
	defaultFailedJobsHistory     = int32(1)
)

// Job defaults a Job in place, in the API server's order: with neither
// completions nor parallelism both become 1, otherwise a missing
// parallelism becomes 1 (a work queue keeps nil completions); backoffLimit
// 6, or the largest int32 when a per-index limit is set; a Job without
// labels takes its template's labels (a copy; the API server shares the
// map); NonIndexed completion, not suspended, pods replaced once Failed
// when a pod failure policy is set and once TerminatingOrFailed
// otherwise, manualSelector false; each pod-condition pattern of the
// failure policy with no status gets True; and the template.
//
// The selector and the job-name and controller-uid labels are not
// defaults: the Job strategy generates them on create.
func Job(job *batchv1.Job) {
	if job == nil {
		return
	}
	spec := &job.Spec
	if spec.Completions == nil && spec.Parallelism == nil {
		spec.Completions = new(int32(1))
	}
	setNil(&spec.Parallelism, 1)
	if spec.BackoffLimitPerIndex != nil {
		setNil(&spec.BackoffLimit, math.MaxInt32)
	} else {
		setNil(&spec.BackoffLimit, defaultBackoffLimit)
	}
	if labels := spec.Template.Labels; labels != nil && len(job.Labels) == 0 {
		job.Labels = maps.Clone(labels)
	}
	setNil(&spec.CompletionMode, batchv1.NonIndexedCompletion)
	setNil(&spec.Suspend, false)
	if spec.PodFailurePolicy != nil {
		setNil(&spec.PodReplacementPolicy, batchv1.Failed)
	} else {
		setNil(&spec.PodReplacementPolicy, batchv1.TerminatingOrFailed)
	}
	setNil(&spec.ManualSelector, false)
	podFailurePolicy(spec.PodFailurePolicy)
	PodSpec(&spec.Template.Spec)
}

// CronJob defaults a CronJob in place: Allow concurrency, not suspended,
// histories of 3 successful and 1 failed Jobs. Its job template gets only
// the failure-policy pattern statuses and the pod template defaults; the
// Job defaults (completions, backoffLimit, ...) appear when the CronJob
// controller creates the Job.
func CronJob(cj *batchv1.CronJob) {
	if cj == nil {
		return
	}
	spec := &cj.Spec
	if spec.ConcurrencyPolicy == "" {
		spec.ConcurrencyPolicy = batchv1.AllowConcurrent
	}
	setNil(&spec.Suspend, false)
	setNil(&spec.SuccessfulJobsHistoryLimit, defaultSuccessfulJobsHistory)
	setNil(&spec.FailedJobsHistoryLimit, defaultFailedJobsHistory)
	podFailurePolicy(spec.JobTemplate.Spec.PodFailurePolicy)
	PodSpec(&spec.JobTemplate.Spec.Template.Spec)
}

func podFailurePolicy(p *batchv1.PodFailurePolicy) {
	if p == nil {
		return
	}
	for i := range p.Rules {
		conds := p.Rules[i].OnPodConditions
		for j := range conds {
			if conds[j].Status == "" {
				conds[j].Status = v1.ConditionTrue
			}
		}
	}
}
