package job

import (
	"testing"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
)

func exitPod(name string, codes ...int32) *v1.Pod {
	p := &v1.Pod{}
	p.Name, p.Namespace = name, "ns"
	p.Status.Phase = v1.PodFailed
	for i, c := range codes {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, v1.ContainerStatus{
			Name: []string{"a", "b", "c"}[i], State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: c}},
		})
	}
	return p
}

func TestMatchPodFailurePolicy(t *testing.T) {
	in := func(a batch.PodFailurePolicyAction, codes ...int32) batch.PodFailurePolicyRule {
		return batch.PodFailurePolicyRule{Action: a, OnExitCodes: &batch.PodFailurePolicyOnExitCodesRequirement{Operator: batch.PodFailurePolicyOnExitCodesOpIn, Values: codes}}
	}
	disrupted := batch.PodFailurePolicyRule{Action: batch.PodFailurePolicyActionIgnore,
		OnPodConditions: []batch.PodFailurePolicyOnPodConditionsPattern{{Type: v1.DisruptionTarget, Status: v1.ConditionTrue}}}
	evicted := exitPod("e", 137)
	evicted.Status.Conditions = []v1.PodCondition{{Type: v1.DisruptionTarget, Status: v1.ConditionTrue}}
	for _, tc := range []struct {
		name   string
		rules  []batch.PodFailurePolicyRule
		pod    *v1.Pod
		action batch.PodFailurePolicyAction
		counts bool
		msg    string
	}{
		{"no rules count", nil, exitPod("p", 1), "", true, ""},
		{"fail job names container and rule", []batch.PodFailurePolicyRule{in(batch.PodFailurePolicyActionCount, 2), in(batch.PodFailurePolicyActionFailJob, 42)}, exitPod("p", 0, 42), batch.PodFailurePolicyActionFailJob, true,
			"Container b for pod ns/p failed with exit code 42 matching FailJob rule at index 1"},
		{"first rule wins", []batch.PodFailurePolicyRule{in(batch.PodFailurePolicyActionIgnore, 1), in(batch.PodFailurePolicyActionFailJob, 1)}, exitPod("p", 1), batch.PodFailurePolicyActionIgnore, false, ""},
		{"exit code 0 never matches NotIn", []batch.PodFailurePolicyRule{{Action: batch.PodFailurePolicyActionFailJob, OnExitCodes: &batch.PodFailurePolicyOnExitCodesRequirement{Operator: batch.PodFailurePolicyOnExitCodesOpNotIn, Values: []int32{5}}}}, exitPod("p", 0), "", true, ""},
		{"disruption ignored", []batch.PodFailurePolicyRule{disrupted}, evicted, batch.PodFailurePolicyActionIgnore, false, ""},
		{"condition fail job message", []batch.PodFailurePolicyRule{{Action: batch.PodFailurePolicyActionFailJob, OnPodConditions: disrupted.OnPodConditions}}, evicted, batch.PodFailurePolicyActionFailJob, true,
			"Pod ns/e has condition DisruptionTarget matching FailJob rule at index 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := MatchPodFailurePolicy(&batch.PodFailurePolicy{Rules: tc.rules}, tc.pod)
			if v.Action != tc.action || v.Counts != tc.counts || v.Message != tc.msg {
				t.Errorf("got %+v", v)
			}
		})
	}
}

func TestMatchSuccessPolicy(t *testing.T) {
	idx, two := "0-2", int32(2)
	for _, tc := range []struct {
		rule      batch.SuccessPolicyRule
		succeeded string
		want      bool
	}{
		{batch.SuccessPolicyRule{SucceededIndexes: &idx}, "0-2", true},
		{batch.SuccessPolicyRule{SucceededIndexes: &idx}, "0,1", false},
		{batch.SuccessPolicyRule{SucceededIndexes: &idx, SucceededCount: &two}, "1,2,7", true},
		{batch.SuccessPolicyRule{SucceededCount: &two}, "5,9", true},
		{batch.SuccessPolicyRule{SucceededCount: &two}, "", false},
	} {
		_, got := matchSuccessPolicy(&batch.SuccessPolicy{Rules: []batch.SuccessPolicyRule{tc.rule}}, 10, controllerParse(tc.succeeded, 10))
		if got != tc.want {
			t.Errorf("rule %+v on %q: %v", tc.rule, tc.succeeded, got)
		}
	}
}

func TestIndexedGenerateName(t *testing.T) {
	long := "a123456789b123456789c123456789d123456789e123456789f1234567" // 58 characters
	for _, tc := range []struct {
		job  string
		ix   int
		want string
	}{
		{"pi", 3, "pi-3-"},
		{long, 12, long[:54] + "-12-"},
	} {
		if got := indexedGenerateName(tc.job, tc.ix); got != tc.want {
			t.Errorf("indexedGenerateName(%q, %d) = %q, want %q", tc.job, tc.ix, got, tc.want)
		}
	}
}
