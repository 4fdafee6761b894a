package cron

import (
	"time"

	robfig "github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// Reconcile returns what one upstream CronJob sync does at now: delete the
// finished Jobs beyond the history limits, bring status.active,
// lastScheduleTime and lastSuccessfulTime up to date with the Jobs that
// exist, start the Job of the most recent unmet tick when the schedule,
// startingDeadlineSeconds, suspend and concurrencyPolicy allow it (deleting
// the active Jobs first under Replace), write the status when upstream
// would, and requeue for the next tick.
//
// Every call is taken to succeed but one: a create whose name is already
// taken by a Job in state.Jobs is in the plan, as upstream sends it, with a
// reason saying the API server answers AlreadyExists; the sync then goes on
// as upstream does after that answer: it records the existing Job when the
// CronJob controls it and it is not yet active, and stops otherwise.
//
// The status.active entry of a Job created in this plan carries its kind,
// apiVersion, namespace and name; its UID and resourceVersion are the API
// server's to assign, so they are empty here and the caller fills them in
// from the create's response before sending the status update (see
// RecordCreated).
//
// The requeue is RequeueAfter when upstream schedules the next sync after a
// delay. Requeue is set when upstream's sync ends in an error and is retried
// with rate limiting (an active Job to replace that cannot be found), and
// also in the one case where upstream's delay is not positive (the next
// tick lies beyond robfig's five-year horizon), which re-adds it at once.
//
// An input the API server would refuse is an error naming the field: a nil
// CronJob or Job, a schedule that does not parse, a TZ prefix together with
// spec.timeZone, an unknown time zone, a negative startingDeadlineSeconds or
// history limit, two Jobs with one name, a CronJob without creation time.
func Reconcile(state State, now time.Time, opts Options) (Plan, error) {
	if err := validateState(state, now); err != nil {
		return Plan{}, err
	}
	s := newSyncer(state, now, opts)
	s.run()
	return s.plan, nil
}

// syncer carries one sync.
type syncer struct {
	// fresh is the CronJob as given; it is never modified.
	fresh *batchv1.CronJob
	// written is the deep copy every change goes to and the body of the
	// status update.
	written *batchv1.CronJob
	// cj is the copy the schedule logic reads and edits: written, unless
	// upstream's switch to a fresh copy happens (see checkOwned).
	cj    *batchv1.CronJob
	owned []*batchv1.Job
	// store is what the API server answers to a GET of a Job by name.
	store map[jobKey]*batchv1.Job
	now   time.Time
	loc   *time.Location
	plan  Plan
	// why records the decision for Explain.
	why decision
}

// decision is what the schedule half of the sync decided and why.
type decision struct {
	reason    Reason
	scheduled time.Time
	missed    int64
	replaced  []string
	sched     robfig.Schedule
}

func newSyncer(state State, now time.Time, opts Options) *syncer {
	loc := opts.location()
	s := &syncer{
		fresh: state.CronJob,
		now:   now.In(loc),
		loc:   loc,
		store: make(map[jobKey]*batchv1.Job, len(state.Jobs)),
	}
	s.written = state.CronJob.DeepCopy()
	s.cj = s.written
	for _, j := range state.Jobs {
		s.store[jobKey{j.Namespace, j.Name}] = j
	}
	s.owned = ownedJobs(state.CronJob, state.Jobs)
	return s
}

func (s *syncer) run() {
	cleaned := s.cleanupFinished()
	requeue, synced, failed := s.syncSchedule()
	if cleaned || synced {
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb:      workload.UpdateStatus,
			Resource:  "cronjobs",
			Namespace: s.written.Namespace,
			Name:      s.written.Name,
			Object:    s.written,
			Reason:    statusChange(&s.fresh.Status, &s.written.Status),
		})
	}
	switch {
	case requeue != nil && *requeue > 0:
		s.plan.RequeueAfter = *requeue
	case requeue != nil || failed:
		s.plan.Requeue = true
	}
}

// get answers a GET of a Job by namespace and name.
func (s *syncer) get(namespace, name string) *batchv1.Job {
	return s.store[jobKey{namespace, name}]
}

// deleteJob issues a background delete of j and, as upstream does after a
// successful delete, drops j's UID from the active list of cj.
func (s *syncer) deleteJob(cj *batchv1.CronJob, j *batchv1.Job, reason string) {
	bg := metav1.DeletePropagationBackground
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb:          workload.Delete,
		Resource:      "jobs",
		Namespace:     j.Namespace,
		Name:          j.Name,
		DeleteOptions: &metav1.DeleteOptions{PropagationPolicy: &bg},
		Reason:        reason,
	})
	delete(s.store, jobKey{j.Namespace, j.Name})
	dropActive(cj, j.UID)
	s.normal(EventSuccessfulDelete, "Deleted job %v", j.Name)
}

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
	// Unreachable in practice: the search above already skips ticks
	// older than the deadline. Kept because upstream has it.
	if sds := cj.Spec.StartingDeadlineSeconds; sds != nil && scheduled.Add(time.Second*time.Duration(*sds)).Before(s.now) {
		s.warning(EventMissSchedule, "Missed scheduled time to start a job: %s", scheduled.UTC().Format(time.RFC1123Z))
		s.why.reason = ReasonMissedDeadline
		return next(), dirty, false
	}
	name := JobName(cj.Name, scheduled)
	if inActiveByName(cj, cj.Namespace, name) || cj.Status.LastScheduleTime.Equal(&metav1.Time{Time: scheduled}) {
		s.why.reason = ReasonAlreadyStarted
		return next(), dirty, false
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent && len(cj.Status.Active) > 0 {
		s.normal(EventJobAlreadyActive, "Not starting job because prior execution is running and concurrency policy is Forbid")
		s.why.reason = ReasonForbidden
		return next(), dirty, false
	}
	if cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent {
		for _, ref := range cj.Status.Active {
			j := s.get(ref.Namespace, ref.Name)
			if j == nil {
				err := apierrors.NewNotFound(batchv1.Resource("jobs"), ref.Name)
				s.warning(EventFailedGet, "Get job: %v", err)
				s.why.reason = ReasonReplaceFailed
				return nil, dirty, true
			}
			s.deleteJob(cj, j, "concurrencyPolicy Replace: the Job for "+scheduled.UTC().Format(time.RFC3339)+" takes its place")
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
		// Unreachable: the time zone was validated.
		return nil, dirty, true
	}
	var created *batchv1.Job
	create := workload.Action{
		Verb:      workload.Create,
		Resource:  "jobs",
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
		if inActive(cj, existing.UID) {
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
	cj.Status.Active = append(cj.Status.Active, jobRef(created))
	cj.Status.LastScheduleTime = &metav1.Time{Time: scheduled}
	return next(), true, false
}

// checkOwned walks the owned Jobs: a running Job missing from the active
// list is reported (never adopted into it), a finished one leaves the list,
// and a successful one moves lastSuccessfulTime forward.
func (s *syncer) checkOwned() bool {
	dirty := false
	for _, j := range s.owned {
		cj := s.cj
		listed := inActive(cj, j.UID)
		cond := finishedCondition(j)
		switch {
		case !listed && cond == "":
			// Upstream re-reads the CronJob from the API server; if that
			// copy lists the Job it carries on with it. Its later edits
			// then go to that copy, not to the one the status update sends.
			if inActive(s.fresh, j.UID) {
				s.cj = s.fresh.DeepCopy()
				continue
			}
			s.warning(EventUnexpectedJob, "Saw a job that the controller did not create or forgot: %s", j.Name)
		case cond != "":
			if listed {
				dropActive(cj, j.UID)
				s.normal(EventSawCompletedJob, "Saw completed job: %s, condition: %v", j.Name, cond)
				dirty = true
			}
			if succeeded(j) && s.noteSuccess(cj, j.Status.CompletionTime) {
				dirty = true
			}
		}
	}
	return dirty
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
// name, as upstream asks the API server.
func (s *syncer) checkActive() bool {
	owned := make(map[types.UID]bool, len(s.owned))
	for _, j := range s.owned {
		owned[j.UID] = true
	}
	dirty := false
	cj := s.cj
	for _, ref := range cj.Status.Active {
		if owned[ref.UID] || s.get(ref.Namespace, ref.Name) != nil {
			continue
		}
		s.normal(EventMissingJob, "Active job went missing: %v", ref.Name)
		dropActive(cj, ref.UID)
		dirty = true
	}
	return dirty
}
