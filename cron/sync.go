package cron

import (
	"time"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// syncSchedule is upstream's syncCronJob. It returns the requeue delay
// (nil for none), whether the status must be written, and whether the
// sync ended in an error.
func (s *syncer) syncSchedule() (requeue *time.Duration, dirty, failed bool) {
	dirty = s.checkOwned()
	if s.checkActive() {
		dirty = true
	}
	cj := s.cj
	if cj.DeletionTimestamp != nil {
		s.why.reason = ReasonDeleting
		return nil, dirty, false
	}
	// Upstream looks at the time zone before suspend: a suspended CronJob
	// with an unknown zone is warned about on every sync.
	if err := unknownTimeZone(cj); err != nil {
		s.warning(EventUnknownTimeZone, "invalid timeZone: %q: %s", *cj.Spec.TimeZone, err)
		s.why.reason = ReasonUnknownTimeZone
		return nil, dirty, false
	}
	if cj.Spec.Suspend != nil && *cj.Spec.Suspend {
		s.why.reason = ReasonSuspended
		return nil, dirty, false
	}
	if legacyTZ(cj) {
		s.warning(EventUnsupportedSchedule, "CRON_TZ or TZ used in schedule %q is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details", cj.Spec.Schedule)
	}
	sched, err := parseSchedule(effectiveSchedule(cj))
	if err != nil {
		s.warning(EventUnparseableSchedule, "unparseable schedule: %q : %s", cj.Spec.Schedule, err)
		s.why.reason = ReasonUnparseableSchedule
		return nil, dirty, false
	}
	s.why.sched = sched
	found, err := mostRecentTick(cj, s.now, sched, true, s.loc)
	if err != nil {
		s.warning(EventInvalidSchedule, "invalid schedule: %s : %s", cj.Spec.Schedule, err)
		s.why.reason = ReasonInvalidSchedule
		return nil, dirty, false
	}
	next := func() *time.Duration {
		d := requeueDelay(cj, s.now, sched, s.loc)
		return &d
	}
	if found.recent == nil {
		s.why.reason = ReasonNotYetTime
		return next(), dirty, false
	}
	scheduled := *found.recent
	s.why.scheduled, s.why.missed = scheduled, found.count
	if found.missed == manyMissed {
		s.warning(EventTooManyMissedTimes, "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew")
	}
	// The search above already skips ticks older than the deadline, so
	// this is reached only when the deadline's duration wraps around to
	// exactly math.MinInt64 nanoseconds (see startingDeadline): then the
	// search ignores it and this check misses every tick, as upstream's.
	if sds := cj.Spec.StartingDeadlineSeconds; sds != nil && scheduled.Add(startingDeadline(*sds)).Before(s.now) {
		s.warning(EventMissSchedule, "Missed scheduled time to start a job: %s", scheduled.UTC().Format(time.RFC1123Z))
		s.why.reason = ReasonMissedDeadline
		return next(), dirty, false
	}
	name := JobName(cj.Name, scheduled)
	if s.active.hasName(cj.Namespace, name) || cj.Status.LastScheduleTime.Equal(&metav1.Time{Time: scheduled}) {
		s.why.reason = ReasonAlreadyStarted
		return next(), dirty, false
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent && len(s.active.refs()) > 0 {
		s.normal(EventJobAlreadyActive, "Not starting job because prior execution is running and concurrency policy is Forbid")
		s.why.reason = ReasonForbidden
		return next(), dirty, false
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent {
		for _, ref := range s.active.refs() {
			j := s.get(ref.Namespace, ref.Name)
			if j == nil {
				err := apierrors.NewNotFound(batchv1.Resource(workload.ResourceJobs), ref.Name)
				s.warning(EventFailedGet, "Get job: %v", err)
				s.why.reason = ReasonReplaceFailed
				return nil, dirty, true
			}
			s.deleteJob(j, "concurrencyPolicy Replace: the Job for "+scheduled.UTC().Format(time.RFC3339)+" takes its place")
			s.why.replaced = append(s.why.replaced, j.Name)
			dirty = true
		}
	}
	return s.start(scheduled, next, dirty)
}

// start creates the Job for the scheduled time, or finds it already there,
// and records it in the status.
func (s *syncer) start(scheduled time.Time, next func() *time.Duration, dirty bool) (*time.Duration, bool, bool) {
	cj := s.cj
	req, err := jobFor(cj, scheduled)
	if err != nil {
		// Unreachable: an unknown time zone stopped the sync earlier.
		return nil, dirty, true
	}
	var created *batchv1.Job
	create := workload.Action{
		Verb:      workload.Create,
		Resource:  workload.ResourceJobs,
		Namespace: cj.Namespace,
		Name:      req.Name,
		Object:    req,
		Reason:    "scheduled for " + req.Annotations[batchv1.CronJobScheduledTimestampAnnotation],
	}
	if existing := s.get(cj.Namespace, req.Name); existing != nil {
		create.Reason += " (the name is taken: the API server answers AlreadyExists)"
		s.plan.Actions = append(s.plan.Actions, create)
		// AlreadyExists. A Job of someone else's is assumed to be handled
		// by its owner; one of ours already active needs nothing; one of
		// ours missing from the list (a lost status write) is recorded.
		if !metav1.IsControlledBy(existing, cj) {
			s.why.reason = ReasonNameTaken
			return nil, dirty, false
		}
		if s.active.has(existing.UID) {
			s.why.reason = ReasonAlreadyStarted
			return nil, dirty, false
		}
		created = existing
		s.why.reason = ReasonRecorded
	} else {
		s.plan.Actions = append(s.plan.Actions, create)
		s.normal(EventSuccessfulCreate, "Created job %v", req.Name)
		created = req.DeepCopy()
		created.Namespace = cj.Namespace
		s.why.reason = ReasonStarted
	}
	s.active.add(jobRef(created))
	cj.Status.LastScheduleTime = &metav1.Time{Time: scheduled}
	return next(), true, false
}

// checkOwned walks the owned Jobs: a running Job missing from the active
// list is reported (never adopted into it), a finished one leaves the list,
// and a successful one moves lastSuccessfulTime forward.
func (s *syncer) checkOwned() bool {
	dirty := false
	for _, j := range s.owned {
		listed := s.active.has(j.UID)
		cond := finishedCondition(j)
		switch {
		case !listed && cond == "":
			// Upstream re-reads the CronJob from the API server; if that
			// copy lists the Job it carries on with it. Its later edits
			// then go to that copy, not to the one the status update
			// sends. (With Job UIDs unique, as validation ensures, the
			// copies never disagree about a running Job; kept as upstream
			// has it.)
			if s.inFresh(j.UID) {
				s.active.refs()
				s.cj = s.fresh.DeepCopy()
				s.active = newActiveList(s.cj)
				continue
			}
			s.warning(EventUnexpectedJob, "Saw a job that the controller did not create or forgot: %s", j.Name)
		case cond != "":
			if listed {
				s.active.drop(j.UID)
				s.normal(EventSawCompletedJob, "Saw completed job: %s, condition: %v", j.Name, cond)
				dirty = true
			}
			if succeeded(j) && s.noteSuccess(s.cj, j.Status.CompletionTime) {
				dirty = true
			}
		}
	}
	return dirty
}

// inFresh reports whether the CronJob as given lists uid in status.active.
func (s *syncer) inFresh(uid types.UID) bool {
	if s.freshUIDs == nil {
		s.freshUIDs = make(map[types.UID]bool, len(s.fresh.Status.Active))
		for _, r := range s.fresh.Status.Active {
			s.freshUIDs[r.UID] = true
		}
	}
	return s.freshUIDs[uid]
}

// noteSuccess applies upstream's lastSuccessfulTime rule. Note that a
// Complete Job without completionTime marks the status dirty while
// lastSuccessfulTime is unset, without setting it.
func (s *syncer) noteSuccess(cj *batchv1.CronJob, completed *metav1.Time) bool {
	dirty := false
	if cj.Status.LastSuccessfulTime == nil {
		cj.Status.LastSuccessfulTime = completed.DeepCopy()
		dirty = true
	}
	if completed != nil && completed.After(cj.Status.LastSuccessfulTime.Time) {
		cj.Status.LastSuccessfulTime = completed.DeepCopy()
		dirty = true
	}
	return dirty
}

// checkActive drops the active entries whose Job no longer exists. An
// entry an owned Job answers (by UID) stays; any other is looked up by
// name, as upstream asks the API server. Upstream walks the list as it
// was before this loop, so an entry whose UID an earlier entry already
// dropped is still looked at.
func (s *syncer) checkActive() bool {
	owned := make(map[types.UID]bool, len(s.owned))
	for _, j := range s.owned {
		owned[j.UID] = true
	}
	dirty := false
	for _, ref := range s.active.refs() {
		if owned[ref.UID] || s.get(ref.Namespace, ref.Name) != nil {
			continue
		}
		s.normal(EventMissingJob, "Active job went missing: %v", ref.Name)
		s.active.drop(ref.UID)
		dirty = true
	}
	return dirty
}
