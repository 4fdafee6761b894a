package cron_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/workload"
)

func reconcile(t *rapid.T, s cron.State, now time.Time) cron.Plan {
	p, err := cron.Reconcile(s, now, cron.Options{})
	if err != nil {
		t.Fatalf("valid state refused: %v", err)
	}
	return p
}

func creates(p cron.Plan) []*batchv1.Job {
	var out []*batchv1.Job
	for _, a := range p.Actions {
		if a.Verb == workload.Create {
			out = append(out, a.Object.(*batchv1.Job))
		}
	}
	return out
}

// started are the creates of p that succeed against s: a create whose name
// a Job still holds after the plan's deletes gets AlreadyExists.
func started(s cron.State, p cron.Plan, now time.Time) []*batchv1.Job {
	left := apply(s, cron.Plan{Plan: workload.Plan{Actions: deletes(p)}}, now).Jobs
	var out []*batchv1.Job
	for _, j := range creates(p) {
		if !slices.ContainsFunc(left, func(o *batchv1.Job) bool { return o.Name == j.Name && o.Namespace == s.CronJob.Namespace }) {
			out = append(out, j)
		}
	}
	return out
}

func writtenStatus(p cron.Plan) *batchv1.CronJob {
	for _, a := range p.Actions {
		if a.Verb == workload.UpdateStatus {
			return a.Object.(*batchv1.CronJob)
		}
	}
	return nil
}

// Every created Job is named after the tick in its annotation and at most
// one is created a sync. (A create under a name that exists is sent, as
// upstream sends it, and answered AlreadyExists; apply skips it.)
func TestPropertyJobNamesFollowTheTick(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, now := genState(t)
		p := reconcile(t, s, now)
		cs := creates(p)
		if len(cs) > 1 {
			t.Fatalf("%d creates in one sync", len(cs))
		}
		for _, j := range cs {
			tick, err := time.Parse(time.RFC3339, j.Annotations[batchv1.CronJobScheduledTimestampAnnotation])
			if err != nil {
				t.Fatalf("annotation: %v", err)
			}
			if want := cron.JobName(s.CronJob.Name, tick); j.Name != want {
				t.Fatalf("job %s for tick %s, want %s", j.Name, tick, want)
			}
			if tick.After(now) {
				t.Fatalf("tick %s after now %s", tick, now)
			}
		}
	})
}

func deletes(p cron.Plan) []workload.Action {
	var out []workload.Action
	for _, a := range p.Actions {
		if a.Verb == workload.Delete {
			out = append(out, a)
		}
	}
	return out
}

// Followed over time, with each plan applied, a CronJob never starts two
// Jobs for one tick, and under Forbid never has two active. (A generated
// start state may hold a finished Job for an unmet tick, which history
// cleanup deletes and the sync then starts again, as upstream does; so
// only the Jobs the trajectory itself starts are counted.)
func TestPropertyTrajectory(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, now := genState(t)
		startedNames := map[string]bool{}
		for step := range 12 {
			p := reconcile(t, s, now)
			begun := started(s, p, now)
			for _, j := range begun {
				if startedNames[j.Name] {
					t.Fatalf("step %d: second Job %s for one tick", step, j.Name)
				}
				startedNames[j.Name] = true
			}
			s = apply(s, p, now)
			if s.CronJob.Spec.ConcurrencyPolicy == batchv1.ForbidConcurrent && len(begun) > 0 && len(s.CronJob.Status.Active) > 1 {
				t.Fatalf("step %d: Forbid left %d active Jobs", step, len(s.CronJob.Status.Active))
			}
			// Some running Jobs finish; the clock moves on.
			for i, j := range s.Jobs {
				if len(j.Status.Conditions) == 0 && rapid.Bool().Draw(t, "finish") {
					j = j.DeepCopy()
					at := metav1.NewTime(now)
					j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: "True"}}
					j.Status.CompletionTime = &at
					s.Jobs[i] = j
				}
			}
			switch {
			case p.RequeueAfter > 0 && rapid.Bool().Draw(t, "onTime"):
				now = now.Add(p.RequeueAfter)
			default:
				now = now.Add(time.Duration(rapid.Int64Range(1, 7200).Draw(t, "wait")) * time.Second)
			}
		}
	})
}

func apply(s cron.State, p cron.Plan, now time.Time) cron.State {
	jobs := slices.Clone(s.Jobs)
	cj := s.CronJob
	for _, a := range p.Actions {
		switch a.Verb {
		case workload.Create:
			if slices.ContainsFunc(jobs, func(o *batchv1.Job) bool { return o.Name == a.Name && o.Namespace == a.Namespace }) {
				continue // AlreadyExists
			}
			j := a.Object.(*batchv1.Job).DeepCopy()
			j.Namespace, j.UID, j.ResourceVersion = a.Namespace, types.UID("uid-"+j.Name), "1"
			j.Status.StartTime = &metav1.Time{Time: now}
			cron.RecordCreated(p, j)
			jobs = append(jobs, j)
		case workload.Delete:
			jobs = slices.DeleteFunc(jobs, func(j *batchv1.Job) bool { return j.Name == a.Name && j.Namespace == a.Namespace })
		case workload.UpdateStatus:
			cj = a.Object.(*batchv1.CronJob).DeepCopy()
		}
	}
	return cron.State{CronJob: cj, Jobs: jobs}
}

// The requeue never aims before the next tick.
func TestPropertyRequeueNotBeforeNextTick(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, now := genState(t)
		p := reconcile(t, s, now)
		if p.RequeueAfter <= 0 {
			return
		}
		cj := s.CronJob
		if w := writtenStatus(p); w != nil {
			cj = w
		}
		next, err := cron.NextRuns(cj, now, 1, cron.Options{})
		if err != nil || len(next) == 0 {
			t.Fatalf("requeue %s but no next run (%v)", p.RequeueAfter, err)
		}
		if at := now.Add(p.RequeueAfter); at.Before(next[0]) {
			t.Fatalf("requeue at %s, before the next tick %s", at, next[0])
		}
	})
}

// The order of the Jobs never changes the plan, and no input is modified.
func TestPropertyOrderAndPurity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, now := genState(t)
		before := s.CronJob.DeepCopy()
		var jobsBefore []*batchv1.Job
		for _, j := range s.Jobs {
			jobsBefore = append(jobsBefore, j.DeepCopy())
		}
		p1 := reconcile(t, s, now)
		perm := rapid.Permutation(s.Jobs).Draw(t, "perm")
		p2 := reconcile(t, cron.State{CronJob: s.CronJob, Jobs: perm}, now)
		if d := cmp.Diff(p1, p2); d != "" {
			t.Fatalf("plan depends on Job order:\n%s", d)
		}
		if d := cmp.Diff(before, s.CronJob); d != "" {
			t.Fatalf("CronJob modified:\n%s", d)
		}
		if d := cmp.Diff(jobsBefore, s.Jobs); d != "" {
			t.Fatalf("Jobs modified:\n%s", d)
		}
	})
}
