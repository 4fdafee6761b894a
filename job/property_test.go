package job_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/job"
	"github.com/kubepure/kubepure/workload"
)

var propNow = scenario.Epoch

func stateOf(g gen.JobState) job.State {
	return job.State{Job: g.Job, Pods: g.Pods, Backoff: backoff.JobRecord{FailuresAfterLastSuccess: g.Failures, LastFailureTime: g.LastFailure}}
}

// planText renders a plan fully: every call with its body, the requeue
// and the back-off record.
func planText(t *rapid.T, p job.Plan) string {
	var out string
	for _, a := range p.Actions {
		body, err := json.Marshal(a.Object)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		out += fmt.Sprintf("%s %s %s %s\n", a.String(), a.Patch, body, fmt.Sprint(a.DeleteOptions))
	}
	for _, e := range p.Events {
		out += fmt.Sprintf("event %+v\n", e)
	}
	return out + fmt.Sprintf("%v %v %+v", p.Requeue, p.RequeueAfter, p.Backoff)
}

func TestPropertyPlanIgnoresInputOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := gen.Job(t, propNow)
		want, err := job.Reconcile(stateOf(g), propNow)
		if err != nil {
			t.Fatalf("generated state refused: %v", err)
		}
		perm := rapid.Permutation(g.Pods).Draw(t, "perm")
		g.Pods = perm
		got, err := job.Reconcile(stateOf(g), propNow)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := planText(t, want), planText(t, got); a != b {
			t.Fatalf("plan depends on pod order:\n%s\n---\n%s", a, b)
		}
	})
}

func TestPropertyInputsAreNotMutated(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := gen.Job(t, propNow)
		before := g.Job.DeepCopy()
		pods := make([]*v1.Pod, len(g.Pods))
		for i, p := range g.Pods {
			pods[i] = p.DeepCopy()
		}
		plan, _ := job.Reconcile(stateOf(g), propNow)
		_, _ = job.ReconcileTTL(g.Job, propNow)
		if !reflect.DeepEqual(before, g.Job) {
			t.Fatal("job mutated")
		}
		for i := range pods {
			if !reflect.DeepEqual(pods[i], g.Pods[i]) {
				t.Fatalf("pod %s mutated", pods[i].Name)
			}
		}
		// The plan's objects are the plan's own.
		for _, a := range plan.Actions {
			if a.Object == g.Job {
				t.Fatal("plan aliases the input job")
			}
		}
	})
}

func TestPropertySuspendedJobCreatesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := gen.Job(t, propNow)
		yes := true
		g.Job.Spec.Suspend = &yes
		plan, err := job.Reconcile(stateOf(g), propNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range plan.Actions {
			if a.Verb == workload.Create {
				t.Fatalf("suspended job creates: %s", a)
			}
		}
		// A Job being deleted manages no pods, suspended or not.
		if last := lastStatus(plan); last != nil && last.Status.Active != 0 && g.Job.DeletionTimestamp == nil {
			t.Fatalf("suspended job left active=%d", last.Status.Active)
		}
	})
}

// TestPropertySyncInvariants checks one sync of any generated state: the
// active count it writes stays within parallelism for a Job it manages,
// status counters never decrease, completedIndexes lists each index once
// and agrees with succeeded, and conditions are only ever added.
func TestPropertySyncInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := gen.Job(t, propNow)
		plan, err := job.Reconcile(stateOf(g), propNow)
		if err != nil {
			t.Fatal(err)
		}
		checkStep(t, g.Job, plan)
	})
}

// TestPropertyTrajectories starts fresh Jobs, applies each plan, lets pods
// succeed or fail at random and time pass, and syncs again.
func TestPropertyTrajectories(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		now := propNow
		g := gen.Job(t, now)
		g.Job.Status = batch.JobStatus{}
		g.Job.DeletionTimestamp = nil
		g.Pods, g.Failures, g.LastFailure = nil, 0, nil
		indexes := map[int]bool{}
		for step := range rapid.IntRange(1, 12).Draw(t, "steps") {
			plan, err := job.Reconcile(stateOf(g), now)
			if err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			checkStep(t, g.Job, plan)
			if last := lastStatus(plan); last != nil {
				if c := g.Job.Spec.Completions; c != nil && last.Status.Succeeded > *c {
					t.Fatalf("succeeded %d exceeds completions %d", last.Status.Succeeded, *c)
				}
				for _, ix := range parseList(last.Status.CompletedIndexes) {
					indexes[ix] = true
				}
			}
			g, now = gen.ProgressJob(t, gen.ApplyJobPlan(g, plan.Actions, plan.Backoff, step, now), now)
		}
	})
}

func checkStep(t *rapid.T, before *batch.Job, plan job.Plan) {
	prev := before
	for _, a := range plan.Actions {
		j, ok := a.Object.(*batch.Job)
		if !ok {
			continue
		}
		s := j.Status
		if s.Succeeded < prev.Status.Succeeded && !isIndexedJob(j) {
			t.Fatalf("succeeded decreased %d -> %d", prev.Status.Succeeded, s.Succeeded)
		}
		if s.Failed < prev.Status.Failed {
			t.Fatalf("failed decreased %d -> %d", prev.Status.Failed, s.Failed)
		}
		for _, c := range prev.Status.Conditions {
			if (c.Type == batch.JobComplete || c.Type == batch.JobFailed || c.Type == batch.JobFailureTarget || c.Type == batch.JobSuccessCriteriaMet) && c.Status == v1.ConditionTrue && !hasCondition(j, c.Type) {
				t.Fatalf("condition %s removed", c.Type)
			}
		}
		if isIndexedJob(j) {
			list := parseList(s.CompletedIndexes)
			seen := map[int]bool{}
			for _, ix := range list {
				if seen[ix] || ix >= int(*j.Spec.Completions) {
					t.Fatalf("completedIndexes %q lists %d twice or out of range", s.CompletedIndexes, ix)
				}
				seen[ix] = true
			}
			if int(s.Succeeded) != len(list) {
				t.Fatalf("succeeded %d but completedIndexes %q", s.Succeeded, s.CompletedIndexes)
			}
		}
		if s.Ready != nil && *s.Ready > s.Active {
			t.Fatalf("ready %d > active %d", *s.Ready, s.Active)
		}
		prev = j
	}
	// A work queue that has seen a success lets its running pods finish
	// whatever parallelism says, so the bound holds for counted Jobs.
	if last := lastStatus(plan); last != nil && before.DeletionTimestamp == nil && before.Spec.Completions != nil {
		if p := before.Spec.Parallelism; p != nil && last.Status.Active > *p {
			t.Fatalf("active %d exceeds parallelism %d", last.Status.Active, *p)
		}
	}
}

func lastStatus(p job.Plan) *batch.Job {
	var last *batch.Job
	for _, a := range p.Actions {
		if j, ok := a.Object.(*batch.Job); ok {
			last = j
		}
	}
	return last
}

func hasCondition(j *batch.Job, t batch.JobConditionType) bool {
	for _, c := range j.Status.Conditions {
		if c.Type == t && c.Status == v1.ConditionTrue {
			return true
		}
	}
	return false
}

func isIndexedJob(j *batch.Job) bool {
	return j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batch.IndexedCompletion
}

// parseList expands an index list such as "0-2,4" (the controller writes
// only well-formed ones).
func parseList(s string) []int {
	var out []int
	var a, b int
	for len(s) > 0 {
		n, _ := fmt.Sscanf(s, "%d-%d", &a, &b)
		if n == 2 {
			for i := a; i <= b; i++ {
				out = append(out, i)
			}
		} else {
			fmt.Sscanf(s, "%d", &a)
			out = append(out, a)
		}
		k := 0
		for k < len(s) && s[k] != ',' {
			k++
		}
		if k == len(s) {
			break
		}
		s = s[k+1:]
	}
	return out
}
