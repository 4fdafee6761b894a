package job

import (
	"fmt"
	"slices"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
)

// FailureVerdict is what a Job's podFailurePolicy makes of one failed pod.
type FailureVerdict struct {
	// Action is the action of the first matching rule; empty when no rule
	// matches (the pod then counts, as with Count).
	Action batch.PodFailurePolicyAction
	// Counts is false only for Ignore: the failure does not count towards
	// backoffLimit or backoffLimitPerIndex.
	Counts bool
	// Message is the Job failure message of a FailJob match, naming the
	// container and exit code or the pod condition and the rule's index.
	Message string
}

// MatchPodFailurePolicy applies the rules of policy, in order, to a failed
// pod. An onExitCodes rule matches the first terminated container (regular
// containers, then init containers) with a non-zero exit code that the
// operator accepts, restricted to containerName if set; an onPodConditions
// rule matches the first pod condition equal in type and status to one of
// its patterns. A nil policy or no match counts the failure.
func MatchPodFailurePolicy(policy *batch.PodFailurePolicy, pod *v1.Pod) FailureVerdict {
	if policy == nil || pod == nil {
		return FailureVerdict{Counts: true}
	}
	for i, rule := range policy.Rules {
		var msg string
		switch {
		case rule.OnExitCodes != nil:
			cs := matchExitCodes(&pod.Status, rule.OnExitCodes)
			if cs == nil {
				continue
			}
			msg = fmt.Sprintf("Container %s for pod %s/%s failed with exit code %v matching %v rule at index %d",
				cs.Name, pod.Namespace, pod.Name, cs.State.Terminated.ExitCode, rule.Action, i)
		case rule.OnPodConditions != nil:
			c := matchPodConditions(&pod.Status, rule.OnPodConditions)
			if c == nil {
				continue
			}
			msg = fmt.Sprintf("Pod %s/%s has condition %v matching %v rule at index %d",
				pod.Namespace, pod.Name, c.Type, rule.Action, i)
		default:
			continue
		}
		switch rule.Action {
		case batch.PodFailurePolicyActionIgnore:
			return FailureVerdict{Action: rule.Action}
		case batch.PodFailurePolicyActionFailIndex, batch.PodFailurePolicyActionCount:
			return FailureVerdict{Action: rule.Action, Counts: true}
		case batch.PodFailurePolicyActionFailJob:
			return FailureVerdict{Action: rule.Action, Counts: true, Message: msg}
		}
		// An unknown action matches nothing and the next rule is tried,
		// as upstream's switch falls through to the loop.
	}
	return FailureVerdict{Counts: true}
}

func matchExitCodes(st *v1.PodStatus, req *batch.PodFailurePolicyOnExitCodesRequirement) *v1.ContainerStatus {
	if cs := matchContainer(st.ContainerStatuses, req); cs != nil {
		return cs
	}
	return matchContainer(st.InitContainerStatuses, req)
}

func matchContainer(list []v1.ContainerStatus, req *batch.PodFailurePolicyOnExitCodesRequirement) *v1.ContainerStatus {
	for i := range list {
		cs := &list[i]
		t := cs.State.Terminated
		if t == nil || t.ExitCode == 0 {
			continue
		}
		if req.ContainerName != nil && *req.ContainerName != cs.Name {
			continue
		}
		in := slices.Contains(req.Values, t.ExitCode)
		if (req.Operator == batch.PodFailurePolicyOnExitCodesOpIn && in) || (req.Operator == batch.PodFailurePolicyOnExitCodesOpNotIn && !in) {
			return cs
		}
	}
	return nil
}

func matchPodConditions(st *v1.PodStatus, patterns []batch.PodFailurePolicyOnPodConditionsPattern) *v1.PodCondition {
	for i := range st.Conditions {
		c := &st.Conditions[i]
		for _, p := range patterns {
			if c.Type == p.Type && c.Status == p.Status {
				return c
			}
		}
	}
	return nil
}

// matchSuccessPolicy returns the SuccessCriteriaMet message of the first
// rule the succeeded indexes satisfy. A rule with succeededIndexes needs
// all of them, or at least succeededCount of them; a rule with only
// succeededCount needs that many succeeded indexes in all. A rule whose
// succeededIndexes parse to nothing is skipped.
func matchSuccessPolicy(policy *batch.SuccessPolicy, completions int32, succeeded intervals) (string, bool) {
	if policy == nil || len(succeeded) == 0 {
		return "", false
	}
	for i, r := range policy.Rules {
		if r.SucceededIndexes != nil {
			required := controllerParse(*r.SucceededIndexes, completions)
			if len(required) == 0 {
				continue
			}
			n := overlap(required, succeeded)
			if n == required.total() || (r.SucceededCount != nil && n >= int(*r.SucceededCount)) {
				return fmt.Sprintf("Matched rules at index %d", i), true
			}
		} else if r.SucceededCount != nil && succeeded.total() >= int(*r.SucceededCount) {
			return fmt.Sprintf("Matched rules at index %d", i), true
		}
	}
	return "", false
}
