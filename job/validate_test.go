package job_test

import (
	"strings"
	"testing"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/job"
)

// validJob is a NonIndexed Job as the API server stores it, with one pod.
func validJob() gen.JobState {
	return gen.JobAtScale(1, false, propNow)
}

func exitRule(op batch.PodFailurePolicyOnExitCodesOperator, codes ...int32) batch.PodFailurePolicyRule {
	return batch.PodFailurePolicyRule{Action: batch.PodFailurePolicyActionFailJob,
		OnExitCodes: &batch.PodFailurePolicyOnExitCodesRequirement{Operator: op, Values: codes}}
}

func withPolicy(rules ...batch.PodFailurePolicyRule) func(*gen.JobState) {
	return func(g *gen.JobState) {
		g.Job.Spec.PodFailurePolicy = &batch.PodFailurePolicy{Rules: rules}
		g.Job.Spec.PodReplacementPolicy = ptr.To(batch.Failed)
	}
}

// TestValidationRejects covers what the API server refuses and Reconcile
// used to accept: each case must fail with an error naming the field.
func TestValidationRejects(t *testing.T) {
	many := make([]batch.PodFailurePolicyRule, 21)
	for i := range many {
		many[i] = exitRule(batch.PodFailurePolicyOnExitCodesOpIn, int32(i+1))
	}
	codes := make([]int32, 256)
	for i := range codes {
		codes[i] = int32(i + 1)
	}
	cases := []struct {
		name   string
		mutate func(*gen.JobState)
		want   string
	}{
		{"duplicate pod name", func(g *gen.JobState) {
			p := g.Pods[0].DeepCopy()
			p.UID = "other-uid"
			g.Pods = append(g.Pods, p)
		}, `pods[1].metadata.name: Duplicate value`},
		{"duplicate pod UID", func(g *gen.JobState) {
			p := g.Pods[0].DeepCopy()
			p.Name = "other"
			g.Pods = append(g.Pods, p)
		}, `pods[1].metadata.uid: Duplicate value`},
		{"pod without UID", func(g *gen.JobState) { g.Pods[0].UID = "" }, `pods[0].metadata.uid: Required value`},
		{"indexed parallelism above 100,000", func(g *gen.JobState) {
			g.Job.Spec.CompletionMode = ptr.To(batch.IndexedCompletion)
			g.Job.Spec.Completions = ptr.To(int32(200_000))
			g.Job.Spec.Parallelism = ptr.To(int32(100_001))
		}, `job.spec.parallelism: Invalid value: 100001: must be less than or equal to 100000`},
		{"more than 20 rules", withPolicy(many...), `job.spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items`},
		{"more than 255 exit codes", withPolicy(exitRule(batch.PodFailurePolicyOnExitCodesOpNotIn, codes...)), `job.spec.podFailurePolicy.rules[0].onExitCodes.values: Too many: 256`},
		{"In [0]", withPolicy(exitRule(batch.PodFailurePolicyOnExitCodesOpIn, 0)), `values[0]: Invalid value: 0: must not be 0 for the In operator`},
		{"unordered exit codes", withPolicy(exitRule(batch.PodFailurePolicyOnExitCodesOpIn, 3, 1)), `onExitCodes.values: Invalid value: [3,1]: must be ordered`},
		{"duplicate exit codes", withPolicy(exitRule(batch.PodFailurePolicyOnExitCodesOpIn, 2, 2)), `values[1]: Duplicate value: 2`},
		{"empty condition type", withPolicy(batch.PodFailurePolicyRule{Action: batch.PodFailurePolicyActionIgnore,
			OnPodConditions: []batch.PodFailurePolicyOnPodConditionsPattern{{Status: v1.ConditionTrue}}}), `onPodConditions[0].type: Invalid value: ""`},
		{"unknown container", withPolicy(batch.PodFailurePolicyRule{Action: batch.PodFailurePolicyActionFailJob,
			OnExitCodes: &batch.PodFailurePolicyOnExitCodesRequirement{Operator: batch.PodFailurePolicyOnExitCodesOpIn, Values: []int32{1}, ContainerName: ptr.To("nope")}}),
			`onExitCodes.containerName: Invalid value: "nope"`},
		{"empty action", withPolicy(batch.PodFailurePolicyRule{OnExitCodes: &batch.PodFailurePolicyOnExitCodesRequirement{Operator: batch.PodFailurePolicyOnExitCodesOpIn, Values: []int32{1}}}),
			`rules[0].action: Required value`},
		{"negative back-off count", func(g *gen.JobState) { g.Failures = -1 }, `backoff.failuresAfterLastSuccess: Invalid value: -1`},
		{"undefaulted template", func(g *gen.JobState) { g.Job.Spec.Template.Spec.DNSPolicy = "" }, `job.spec.template.spec.dnsPolicy: Required value: the API server always sets it`},
		{"nil parallelism", func(g *gen.JobState) { g.Job.Spec.Parallelism = nil }, `job.spec.parallelism: Required value: the API server defaults it`},
		{"nil backoffLimit", func(g *gen.JobState) { g.Job.Spec.BackoffLimit = nil }, `job.spec.backoffLimit: Required value: the API server defaults it`},
		{"empty selector without manualSelector", func(g *gen.JobState) { g.Job.Spec.Selector.MatchLabels = nil }, `job.spec.selector: Invalid value`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := validJob()
			c.mutate(&g)
			_, err := job.Reconcile(stateOf(g), propNow)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestValidationAccepts covers Jobs the API server stores, or the
// controller copes with, that Reconcile must plan for.
func TestValidationAccepts(t *testing.T) {
	cases := map[string]func(*gen.JobState){
		"activeDeadlineSeconds 0":  func(g *gen.JobState) { g.Job.Spec.ActiveDeadlineSeconds = ptr.To(int64(0)) },
		"nil completionMode":       func(g *gen.JobState) { g.Job.Spec.CompletionMode = nil },
		"nil podReplacementPolicy": func(g *gen.JobState) { g.Job.Spec.PodReplacementPolicy = nil },
		"unknown completionMode":   func(g *gen.JobState) { g.Job.Spec.CompletionMode = ptr.To(batch.CompletionMode("Sometimes")) },
		"exit code 0 under NotIn":  withPolicy(exitRule(batch.PodFailurePolicyOnExitCodesOpNotIn, 0, 1, 2)),
		"empty selector with manualSelector": func(g *gen.JobState) {
			g.Job.Spec.ManualSelector = ptr.To(true)
			g.Job.Spec.Selector.MatchLabels = nil
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			g := validJob()
			mutate(&g)
			if _, err := job.Reconcile(stateOf(g), propNow); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestUnknownCompletionModeIsGuarded: upstream skips such a Job with a
// warning and no call, and keeps its back-off record.
func TestUnknownCompletionModeIsGuarded(t *testing.T) {
	g := validJob()
	g.Job.Spec.CompletionMode = ptr.To(batch.CompletionMode("Sometimes"))
	g.Failures = 2
	last := propNow.Add(-5e9)
	g.LastFailure = &last
	plan, err := job.Reconcile(stateOf(g), propNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Actions) != 0 || plan.RequeueAfter != 0 || len(plan.Events) != 1 {
		t.Fatalf("plan %v, want one event and nothing else", plan.Plan)
	}
	e := plan.Events[0]
	if e.Type != v1.EventTypeWarning || e.Reason != job.EventUnknownCompletionMode || e.Object.Name != g.Job.Name || e.Object.Kind != "Job" {
		t.Fatalf("event %+v", e)
	}
	if plan.Backoff.FailuresAfterLastSuccess != 2 {
		t.Fatalf("back-off record %+v not kept", plan.Backoff)
	}
	// The record handed back is a copy: writing through the plan must not
	// change the caller's state (found by the native fuzz target).
	if plan.Backoff.LastFailureTime == nil || plan.Backoff.LastFailureTime == g.LastFailure {
		t.Fatalf("plan's back-off time %p shares memory with the state's %p", plan.Backoff.LastFailureTime, g.LastFailure)
	}
}

// TestDeadlineOverflowFailsAtOnce: activeDeadlineSeconds of 9,223,372,037
// or more overflows time.Duration upstream, so a running Job fails at once
// with DeadlineExceeded; kubepure reproduces it.
func TestDeadlineOverflowFailsAtOnce(t *testing.T) {
	for _, ads := range []int64{9_223_372_037, 1 << 62} {
		g := validJob()
		g.Job.Spec.ActiveDeadlineSeconds = ptr.To(ads)
		plan, err := job.Reconcile(stateOf(g), propNow)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range plan.Actions {
			if j, ok := a.Object.(*batch.Job); ok {
				for _, c := range j.Status.Conditions {
					found = found || (c.Type == batch.JobFailureTarget && c.Reason == batch.JobReasonDeadlineExceeded)
				}
			}
		}
		if !found {
			t.Fatalf("ads=%d: no DeadlineExceeded FailureTarget in\n%s", ads, plan.String())
		}
	}
}

// TestReconcileTTLNeedsNameAndUID: the delete names the Job and is
// conditional on its UID; without them it would delete "".
func TestReconcileTTLNeedsNameAndUID(t *testing.T) {
	for _, mutate := range []func(*batch.Job){
		func(j *batch.Job) { j.Name = "" },
		func(j *batch.Job) { j.UID = "" },
	} {
		j := finishedJob()
		mutate(j)
		if _, err := job.ReconcileTTL(j, propNow); err == nil {
			t.Fatalf("no error for %s/%q uid %q", j.Namespace, j.Name, j.UID)
		}
	}
	if plan, err := job.ReconcileTTL(finishedJob(), propNow); err != nil || len(plan.Actions) != 1 {
		t.Fatalf("valid job: %v %v", plan, err)
	}
}

func finishedJob() *batch.Job {
	j := validJob().Job
	j.Spec.TTLSecondsAfterFinished = ptr.To(int32(0))
	j.Status.Conditions = []batch.JobCondition{{Type: batch.JobComplete, Status: v1.ConditionTrue, LastTransitionTime: j.Status.StartTime.Rfc3339Copy()}}
	return j
}
