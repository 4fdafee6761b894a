package job

import (
	"fmt"
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/workload"
)

// ReconcileTTL returns what one sync of the upstream TTL-after-finished
// controller does with a Job at time now:
//
//   - nothing for a Job being deleted, without ttlSecondsAfterFinished, or
//     not finished (Complete or Failed True);
//   - a requeue after the time left when the TTL has not yet run out,
//     counted from the lastTransitionTime of the first Complete=True or
//     Failed=True condition (a finish time in the future only delays it);
//   - otherwise the Job's delete, with propagationPolicy Foreground (so its
//     pods go first; the API's default for Jobs is to orphan them) and a
//     precondition on its UID, so that a new Job of the same name is safe.
//
// A finished Job whose terminal condition has a zero lastTransitionTime
// makes upstream fail the sync: the plan asks for a rate-limited requeue.
// Upstream re-reads the Job from the API server before deleting it; j
// stands for that fresh copy. The controller records no events. A nil Job,
// one without a name or UID (which no API server stores), or a negative
// TTL is an error.
func ReconcileTTL(j *batch.Job, now time.Time) (workload.Plan, error) {
	path := field.NewPath("job")
	if j == nil {
		return workload.Plan{}, field.ErrorList{field.Required(path, "")}.ToAggregate()
	}
	var errs field.ErrorList
	if j.Name == "" {
		errs = append(errs, field.Required(path.Child("metadata", "name"), "the delete names the Job"))
	}
	if j.UID == "" {
		errs = append(errs, field.Required(path.Child("metadata", "uid"), "the delete is conditional on the Job's UID"))
	}
	ttl := j.Spec.TTLSecondsAfterFinished
	if ttl != nil && *ttl < 0 {
		errs = append(errs, field.Invalid(path.Child("spec", "ttlSecondsAfterFinished"), *ttl, "must be greater than or equal to 0"))
	}
	if len(errs) > 0 {
		return workload.Plan{}, errs.ToAggregate()
	}
	if j.DeletionTimestamp != nil || ttl == nil || !IsFinished(j) {
		return workload.Plan{}, nil
	}
	finishedAt, ok := finishTime(j)
	if !ok {
		return workload.Plan{Requeue: true}, nil
	}
	expireAt := finishedAt.Add(time.Duration(*ttl) * time.Second)
	if left := expireAt.Sub(now); left > 0 {
		return workload.Plan{RequeueAfter: left}, nil
	}
	policy := metav1.DeletePropagationForeground
	uid := j.UID
	return workload.Plan{Actions: []workload.Action{{
		Verb: workload.Delete, Resource: workload.ResourceJobs, Namespace: j.Namespace, Name: j.Name,
		DeleteOptions: &metav1.DeleteOptions{PropagationPolicy: &policy, Preconditions: &metav1.Preconditions{UID: &uid}},
		Reason:        fmt.Sprintf("finished at %s, ttlSecondsAfterFinished %d has passed", finishedAt.UTC().Format(time.RFC3339), *ttl),
	}}}, nil
}

// finishTime is the lastTransitionTime of the first terminal condition;
// false when it is zero.
func finishTime(j *batch.Job) (time.Time, bool) {
	for _, c := range j.Status.Conditions {
		if (c.Type == batch.JobComplete || c.Type == batch.JobFailed) && c.Status == v1.ConditionTrue {
			return c.LastTransitionTime.Time, !c.LastTransitionTime.IsZero()
		}
	}
	return time.Time{}, false
}
