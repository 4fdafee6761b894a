package job

import (
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/selector"
	"github.com/kubepure/kubepure/workload"
)

// ControllerName is the spec.managedBy value of Jobs the built-in
// controller manages (as does an unset managedBy).
const ControllerName = batch.JobControllerName

// Limits of one sync.
const (
	// MaxUncountedPods is how many finished pods one status write takes
	// into uncountedTerminatedPods (and new completed indexes) before the
	// controller stops removing finalizers until the next sync.
	MaxUncountedPods = 500
	// MaxPodCreateDeletePerSync caps the pods one sync creates or deletes
	// in manageJob.
	MaxPodCreateDeletePerSync = 500
)

// Plan is what one Job sync decides: the API calls and the requeue, and
// the pod re-creation back-off record to pass in as State.Backoff next
// time.
type Plan struct {
	workload.Plan
	// Backoff is the record to keep for the next sync of this Job. It is
	// the zero record once the Job is finished, as upstream forgets it then.
	Backoff backoff.JobRecord
}

// Reconcile returns what one sync of the upstream Job controller (syncJob)
// does with state at time now, call for call and in upstream's order:
//
//  1. claim pods: adopt matching orphans (adding the tracking finalizer),
//     release controlled pods the selector no longer matches;
//  2. decide whether the Job is finishing: an earlier SuccessCriteriaMet or
//     FailureTarget, a FailJob podFailurePolicy match, backoffLimit (failed
//     pods, or container restarts under restartPolicy OnFailure),
//     activeDeadlineSeconds, maxFailedIndexes or failed indexes, a
//     successPolicy;
//  3. finishing: delete every active pod. Otherwise manage pods: delete all
//     of them when suspended, delete surplus or duplicate-index pods, or
//     create missing ones (never both), at most 500, within the back-off;
//     then check completions and update the Suspended condition;
//  4. track: write the status with the newly finished pods in
//     uncountedTerminatedPods (and completedIndexes, failedIndexes, the
//     interim FailureTarget or SuccessCriteriaMet condition), remove their
//     tracking finalizers, and write the counters again with the terminal
//     Failed or Complete condition once no pod is terminating.
//
// The plan's events are those upstream records on the way (see the package
// documentation). A Job managed by another controller (spec.managedBy) or
// already finished gets an empty plan; one with an unknown completionMode
// gets only the Warning UnknownCompletionMode.
//
// Every call is assumed to succeed, as against the fake clientset upstream's
// own tests use. The sync is the one a freshly started controller, or one
// whose earlier calls have all been observed, makes: pod expectations are
// satisfied and no finalizer removal is pending. A caller that applies each
// plan and waits for its informers to show the result before the next call
// meets that condition.
//
// Invalid input (what the API server would refuse to store) returns an error
// naming the field and no plan. state is never modified; the plan's objects
// are fresh copies.
func Reconcile(state State, now time.Time) (Plan, error) {
	sel, err := state.validate()
	if err != nil {
		return Plan{}, err
	}
	j := state.Job
	if j.Spec.ManagedBy != nil && *j.Spec.ManagedBy != ControllerName {
		return Plan{Backoff: state.Backoff.Clone()}, nil
	}
	if IsFinished(j) {
		return Plan{}, nil
	}
	if !knownCompletionMode(j.Spec.CompletionMode) {
		// Stored under older validation: upstream warns and skips the Job,
		// leaving its back-off record as it was.
		plan := Plan{Backoff: state.Backoff.Clone()}
		plan.Warning(workload.ObjectRef(j, jobKind), EventUnknownCompletionMode, "Skipped Job sync because completion mode is unknown")
		return plan, nil
	}
	s := &syncer{job: j.DeepCopy(), now: now, prevBackoff: state.Backoff}
	s.nowMeta = metav1.NewTime(now)
	s.ref = workload.ObjectRef(j, jobKind)
	s.written = *j.Status.DeepCopy()
	if s.job.Status.UncountedTerminatedPods == nil {
		s.job.Status.UncountedTerminatedPods = &batch.UncountedTerminatedPods{}
	}
	candidates := selector.OwnedBy(s.job, jobKind.Kind, state.Pods, true)
	claim := selector.ClaimPods(s.job, jobKind, sel, candidates, selector.WithFinalizers(TrackingFinalizer))
	for _, c := range claim.Changes {
		s.plan.Actions = append(s.plan.Actions, c.Action(workload.ResourcePods, jobKind.Kind, j))
	}
	s.pods = withAdoptionFinalizers(s.job, claim.Claimed)
	s.sync()
	return Plan{Plan: s.plan, Backoff: s.backoff}, nil
}

// withAdoptionFinalizers returns the claimed pods, where a pod this sync
// adopts is shown with the tracking finalizer its adoption patch adds (a
// copy; the caller's pod is untouched), as upstream does for the rest of
// the sync.
func withAdoptionFinalizers(j *batch.Job, pods []*v1.Pod) []*v1.Pod {
	out := make([]*v1.Pod, len(pods))
	for i, p := range pods {
		out[i] = p
		owned := false
		for _, r := range p.OwnerReferences {
			if r.UID == j.UID {
				owned = true
				break
			}
		}
		if !owned && !hasTrackingFinalizer(p) {
			cp := p.DeepCopy()
			cp.Finalizers = append(cp.Finalizers, TrackingFinalizer)
			out[i] = cp
		}
	}
	return out
}

// IsFinished reports whether a Job has a Complete or Failed condition with
// status True. FailureTarget and SuccessCriteriaMet alone do not finish it.
func IsFinished(j *batch.Job) bool {
	if j == nil {
		return false
	}
	for _, c := range j.Status.Conditions {
		if (c.Type == batch.JobComplete || c.Type == batch.JobFailed) && c.Status == v1.ConditionTrue {
			return true
		}
	}
	return false
}
