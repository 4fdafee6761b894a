package cron

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubepure/kubepure/selector"
)

// cronJobKind is the kind a CronJob's Jobs name in their controller
// reference.
var cronJobKind = batchv1.SchemeGroupVersion.WithKind("CronJob")

// jobKey identifies a Job the way a GET does: by namespace and name.
type jobKey struct{ namespace, name string }

// JobName is the name of the Job a CronJob starts for a scheduled time: the
// CronJob's name, a dash, and the scheduled time in whole minutes since the
// Unix epoch. The name is the lock that keeps one tick from starting two
// Jobs: the API server refuses the second create.
func JobName(cronJobName string, scheduled time.Time) string {
	return fmt.Sprintf("%s-%d", cronJobName, scheduled.Unix()/60)
}

// finishedCondition returns the type of the first Complete or Failed
// condition that is True, or "" while the Job runs. A Job that is merely
// about to finish (SuccessCriteriaMet, FailureTarget) still runs.
func finishedCondition(j *batchv1.Job) batchv1.JobConditionType {
	for _, c := range j.Status.Conditions {
		if (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) && c.Status == corev1.ConditionTrue {
			return c.Type
		}
	}
	return ""
}

// succeeded reports whether any Complete condition is True. It is not the
// same question as finishedCondition == Complete: a Job carrying both a
// True Failed and a later True Complete condition is reported as Failed by
// one and as succeeded by the other, as upstream does.
func succeeded(j *batchv1.Job) bool {
	for _, c := range j.Status.Conditions {
		if c.Type == batchv1.JobComplete && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// ownedJobs returns the Jobs whose controller reference carries the
// CronJob's UID (upstream's index looks at the UID alone), sorted by
// namespace and name. Upstream walks them in informer order, which has no
// meaning; the fixed order only decides the order of events.
func ownedJobs(cj *batchv1.CronJob, jobs []*batchv1.Job) []*batchv1.Job {
	var out []*batchv1.Job
	for _, j := range jobs {
		if ref := selector.ControllerOf(j); ref != nil && ref.UID == cj.UID {
			out = append(out, j)
		}
	}
	slices.SortFunc(out, compareJobKeys)
	return out
}

func compareJobKeys(a, b *batchv1.Job) int {
	if c := cmp.Compare(a.Namespace, b.Namespace); c != 0 {
		return c
	}
	return cmp.Compare(a.Name, b.Name)
}

// compareStartTimes is upstream's history order: oldest status.startTime
// first, Jobs without a start time last (as if newest), ties by name. The
// namespace settles what upstream's unstable sort would leave to chance.
func compareStartTimes(a, b *batchv1.Job) int {
	as, bs := a.Status.StartTime, b.Status.StartTime
	switch {
	case as == nil && bs != nil:
		return 1
	case as != nil && bs == nil:
		return -1
	case as != nil && !as.Equal(bs):
		return as.Time.Compare(bs.Time)
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Namespace, b.Namespace)
}

// jobRef is the status.active entry for a Job: kind and apiVersion from the
// Job's type metadata when it has any, batch/v1 Job otherwise, and its
// namespace, name, UID and resourceVersion.
func jobRef(j *batchv1.Job) corev1.ObjectReference {
	gvk := j.GroupVersionKind()
	if gvk.Empty() {
		gvk = batchv1.SchemeGroupVersion.WithKind("Job")
	}
	return corev1.ObjectReference{
		Kind:            gvk.Kind,
		APIVersion:      schema.GroupVersion{Group: gvk.Group, Version: gvk.Version}.String(),
		Namespace:       j.Namespace,
		Name:            j.Name,
		UID:             j.UID,
		ResourceVersion: j.ResourceVersion,
	}
}

// jobFor builds the Job a CronJob starts for a scheduled time, as upstream
// sends it: the template's labels and annotations (copied, never shared),
// the scheduled-timestamp annotation in spec.timeZone (UTC without one),
// the deterministic name, the CronJob as controller owner, and a deep copy
// of the template's spec. The namespace is left to the request path and the
// creation timestamp is the scheduled time, which the API server replaces.
func jobFor(cj *batchv1.CronJob, scheduled time.Time) (*batchv1.Job, error) {
	tz := ""
	if cj.Spec.TimeZone != nil {
		tz = *cj.Spec.TimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	maps.Copy(labels, cj.Spec.JobTemplate.Labels)
	annotations := map[string]string{}
	maps.Copy(annotations, cj.Spec.JobTemplate.Annotations)
	annotations[batchv1.CronJobScheduledTimestampAnnotation] = scheduled.In(loc).Format(time.RFC3339)
	job := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{
			Name:              JobName(cj.Name, scheduled),
			Labels:            labels,
			Annotations:       annotations,
			CreationTimestamp: metav1.Time{Time: scheduled},
			OwnerReferences:   []metav1.OwnerReference{*metav1.NewControllerRef(cj, cronJobKind)},
		},
	}
	cj.Spec.JobTemplate.Spec.DeepCopyInto(&job.Spec)
	return job, nil
}
