package cron

import (
	"time"

	robfig "github.com/robfig/cron/v3"
	batchv1 "k8s.io/api/batch/v1"
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
// A CronJob a cluster can hold although today's validation refuses it gets
// upstream's plan, not an error: a schedule that does not parse (an
// UnparseableSchedule warning), a spec.timeZone the time zone database does
// not know (UnknownTimeZone), a TZ prefix together with spec.timeZone (the
// prefix wins, with an UnsupportedSchedule warning). Any other input the
// API server would refuse is an error naming the field: a nil CronJob or
// Job, a name over 52 characters, an empty schedule, a negative
// startingDeadlineSeconds or history limit, a field the API server always
// defaults left unset (concurrencyPolicy, suspend, the history limits, the
// pod template's defaults), two Jobs with one name or UID, a Job without a
// UID, a CronJob without creation time.
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
	cj *batchv1.CronJob
	// active is cj's status.active.
	active *activeList
	// freshUIDs are the UIDs fresh lists in status.active, built on first
	// use.
	freshUIDs map[types.UID]bool
	owned     []*batchv1.Job
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
	s.active = newActiveList(s.cj)
	for _, j := range state.Jobs {
		s.store[jobKey{j.Namespace, j.Name}] = j
	}
	s.owned = ownedJobs(state.CronJob, state.Jobs)
	return s
}

func (s *syncer) run() {
	cleaned := s.cleanupFinished()
	requeue, synced, failed := s.syncSchedule()
	s.active.refs()
	if cleaned || synced {
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb:      workload.UpdateStatus,
			Resource:  workload.ResourceCronJobs,
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
// successful delete, drops j's UID from the active list of the CronJob
// copy being edited.
func (s *syncer) deleteJob(j *batchv1.Job, reason string) {
	bg := metav1.DeletePropagationBackground
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb:          workload.Delete,
		Resource:      workload.ResourceJobs,
		Namespace:     j.Namespace,
		Name:          j.Name,
		DeleteOptions: &metav1.DeleteOptions{PropagationPolicy: &bg},
		Reason:        reason,
	})
	delete(s.store, jobKey{j.Namespace, j.Name})
	s.active.drop(j.UID)
	s.normal(EventSuccessfulDelete, "Deleted job %v", j.Name)
}
