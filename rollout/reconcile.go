package rollout

import (
	"errors"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/selector"
	"github.com/kubepure/kubepure/workload"
)

// Reconcile returns what one sync of the upstream Deployment controller
// (syncDeployment) does with state at time now, call for call and in
// upstream's order, and the events upstream records along the way:
//
//  0. a Deployment whose selector is empty (stored by an older API server)
//     only gets a SelectingAll warning and its observedGeneration brought
//     up to date;
//  1. claim the namespace's ReplicaSets: adopt matching orphans, release
//     the ones it controls that no longer match (strategic-merge patches);
//  2. a Deployment being deleted only gets its revision and status synced;
//  3. mark a paused or resumed Deployment in its Progressing condition;
//  4. paused: scale (never create) and clean up history; a legacy rollback
//     annotation: roll the template back; a scaling event (spec.replicas
//     changed): proportional scaling;
//  5. otherwise roll out with the Deployment's strategy (RollingUpdate or
//     Recreate): create the new ReplicaSet, scale it up and the old ones
//     down, delete old ReplicaSets beyond revisionHistoryLimit once the
//     rollout completed, and write the status with its conditions;
//  6. requeue when the progress deadline would pass unnoticed.
//
// Every call is assumed to succeed, as against the fake clientset upstream's
// own tests use: so stale writes (a second write of an object carrying the
// resourceVersion the sync started with) are in the plan even though a real
// API server would answer them with a conflict. The only failures the plan
// foresees are those the observed state makes certain: a new ReplicaSet
// whose name is already taken (a hash collision, which bumps
// status.collisionCount and ends the sync with Plan.Requeue, as upstream's
// error return does).
//
// Invalid input (what the API server would refuse to store) returns an error
// naming the field and no plan. state is never modified; the plan's objects
// are fresh copies.
func Reconcile(state State, now time.Time) (Plan, error) {
	sel, err := state.validate()
	if err != nil {
		return Plan{}, err
	}
	s := &syncer{
		d:   state.Deployment.DeepCopy(),
		sel: sel,
		now: now,
	}
	s.ref = workload.ObjectRef(s.d, deploymentKind)
	if sel == nil {
		// The empty selector: upstream's guard, before anything else.
		s.selectingAll()
		return Plan{s.plan}, nil
	}
	for _, rs := range state.ReplicaSets {
		if rs.Namespace == s.d.Namespace {
			s.inNamespace = append(s.inNamespace, rs)
		}
	}
	s.pods = state.Pods
	if err := s.syncDeployment(); err != nil {
		if !errors.Is(err, errSyncFailed) {
			return Plan{}, err
		}
		// Upstream returns an error and the work queue retries with
		// rate limiting.
		s.plan.Requeue = true
		s.plan.RequeueAfter = 0
	}
	return Plan{s.plan}, nil
}

// selectingAll is upstream's guard for a Deployment whose selector is
// empty (`{}`), which older API servers stored: such a Deployment would
// claim every ReplicaSet and pod of its namespace, so the controller only
// warns and brings status.observedGeneration up to date, touching nothing
// else.
func (s *syncer) selectingAll() {
	s.plan.Warning(s.ref, EventSelectingAll, selectingAllMessage)
	if s.d.Status.ObservedGeneration < s.d.Generation {
		before := s.d.Status
		s.d.Status.ObservedGeneration = s.d.Generation
		s.updateStatus("selector selects everything: " + statusChanges(before, s.d.Status))
	}
}

// errSyncFailed marks a sync that upstream ends with an error: the actions
// so far stand and the Deployment is requeued at once (rate-limited).
var errSyncFailed = errors.New("sync failed")

// syncer carries one sync: the working copy of the Deployment, which is
// modified in memory exactly where upstream modifies its copy (so later
// writes carry those changes and the resourceVersion read at the start),
// and the plan being built.
type syncer struct {
	d           *appsv1.Deployment
	ref         v1.ObjectReference // the Deployment, as its events name it
	sel         labels.Selector
	now         time.Time
	inNamespace []*appsv1.ReplicaSet // the ReplicaSet lister's view
	pods        []*v1.Pod
	plan        workload.Plan
	// sameTemplate remembers which ReplicaSet templates equal the
	// Deployment's (see runsCurrentTemplate).
	sameTemplate map[*v1.PodTemplateSpec]bool
}

func (s *syncer) syncDeployment() error {
	rsList := s.claimReplicaSets()
	if s.d.DeletionTimestamp != nil {
		return s.syncStatusOnly(rsList)
	}
	s.checkPausedConditions()
	if s.d.Spec.Paused {
		return s.sync(rsList)
	}
	if _, ok := rollbackRevision(s.d); ok {
		return s.rollback(rsList)
	}
	scaling, err := s.isScalingEvent(rsList)
	if err != nil {
		return err
	}
	if scaling {
		return s.sync(rsList)
	}
	switch s.d.Spec.Strategy.Type {
	case appsv1.RecreateDeploymentStrategyType:
		return s.rolloutRecreate(rsList, s.podMap(rsList))
	case appsv1.RollingUpdateDeploymentStrategyType:
		return s.rolloutRolling(rsList)
	}
	// Validation rules this out.
	return fmt.Errorf("unexpected deployment strategy type: %s", s.d.Spec.Strategy.Type)
}

// claimReplicaSets adopts and releases as upstream's ClaimReplicaSets and
// returns the ReplicaSets the Deployment controls: the cached objects, so an
// adopted one still shows no owner reference.
func (s *syncer) claimReplicaSets() []*appsv1.ReplicaSet {
	claim := selector.ClaimObjects(s.d, deploymentKind, s.sel, s.inNamespace)
	for _, c := range claim.Changes {
		s.plan.Actions = append(s.plan.Actions, c.Action(workload.ResourceReplicaSets, deploymentKind.Kind, s.d))
	}
	return claim.Claimed
}

// podMap groups the pods each claimed ReplicaSet controls, as upstream's
// getPodMapForDeployment does through its pod index: by the controller
// reference's kind, name and UID, whatever the pod's labels now say. One
// pass over the pods, not one per ReplicaSet.
func (s *syncer) podMap(rsList []*appsv1.ReplicaSet) map[types.UID][]*v1.Pod {
	m := make(map[types.UID][]*v1.Pod, len(rsList))
	byUID := make(map[types.UID]*appsv1.ReplicaSet, len(rsList))
	for _, rs := range rsList {
		m[rs.UID] = nil
		byUID[rs.UID] = rs
	}
	for _, p := range s.pods {
		ref := metav1.GetControllerOfNoCopy(p)
		if ref == nil || ref.Kind != "ReplicaSet" {
			continue
		}
		if rs := byUID[ref.UID]; rs != nil && ref.Name == rs.Name && p.Namespace == rs.Namespace {
			m[rs.UID] = append(m[rs.UID], p)
		}
	}
	return m
}

// syncStatusOnly: a Deployment being deleted still syncs its new
// ReplicaSet's annotations and its own revision, then its status.
func (s *syncer) syncStatusOnly(rsList []*appsv1.ReplicaSet) error {
	newRS, old, err := s.allReplicaSets(rsList, false)
	if err != nil {
		return err
	}
	s.syncDeploymentStatus(withNew(old, newRS), newRS)
	return nil
}

// sync is the paused and scaling-event path: scale, clean up history when
// paused, write the status.
func (s *syncer) sync(rsList []*appsv1.ReplicaSet) error {
	newRS, old, err := s.allReplicaSets(rsList, false)
	if err != nil {
		return err
	}
	s.scale(newRS, old)
	if _, rollback := rollbackRevision(s.d); s.d.Spec.Paused && !rollback {
		s.cleanupDeployment(old)
	}
	s.syncDeploymentStatus(withNew(old, newRS), newRS)
	return nil
}

// checkPausedConditions records pausing and resuming in the Progressing
// condition, so the deadline clock restarts on resume. A timed-out
// Deployment keeps its condition.
func (s *syncer) checkPausedConditions() {
	d := s.d
	if !hasProgressDeadline(d) {
		return
	}
	cur := getCondition(d.Status, appsv1.DeploymentProgressing)
	if cur != nil && cur.Reason == ReasonProgressDeadlineExceeded {
		return
	}
	pausedMarked := cur != nil && cur.Reason == ReasonDeploymentPaused
	before := d.Status
	switch {
	case d.Spec.Paused && !pausedMarked:
		setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, v1.ConditionUnknown, ReasonDeploymentPaused, "Deployment is paused", s.now))
		s.updateStatus("mark paused: " + statusChanges(before, d.Status))
	case !d.Spec.Paused && pausedMarked:
		setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, v1.ConditionUnknown, ReasonDeploymentResumed, "Deployment is resumed", s.now))
		s.updateStatus("mark resumed: " + statusChanges(before, d.Status))
	}
}

// updateStatus writes the working Deployment to the status subresource.
// The API server keeps its annotations too (only spec and labels are reset
// on a status write), which is how the revision annotation is stored.
func (s *syncer) updateStatus(reason string) {
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb: workload.UpdateStatus, Resource: workload.ResourceDeployments, Namespace: s.d.Namespace, Name: s.d.Name,
		Object: s.d.DeepCopy(), Reason: reason,
	})
}

// updateDeployment writes the working Deployment (main resource).
func (s *syncer) updateDeployment(reason string) {
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb: workload.Update, Resource: workload.ResourceDeployments, Namespace: s.d.Namespace, Name: s.d.Name,
		Object: s.d.DeepCopy(), Reason: reason,
	})
}

// updateReplicaSet writes rs (a copy the caller owns) and returns it as
// the API server's answer: every call succeeds, and nothing later in the
// sync reads what a server would add.
func (s *syncer) updateReplicaSet(rs *appsv1.ReplicaSet, reason string) *appsv1.ReplicaSet {
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb: workload.Update, Resource: workload.ResourceReplicaSets, Namespace: rs.Namespace, Name: rs.Name,
		Object: rs.DeepCopy(), Reason: reason,
	})
	return rs
}
