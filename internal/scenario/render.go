package scenario

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/kubepure/kubepure/workload"
)

// RenderPlan prints a plan for a scenario's expected output: one line per
// action (identical creates from one template folded into one line with a
// count), the patch body and the lines detail gives indented below it, then
// the requeue, then the events (identical consecutive ones folded likewise). detail may be nil; it shows the fields of a written object
// that matter to the scenario's reader.
func RenderPlan(p workload.Plan, detail func(workload.Action) []string) string {
	var b strings.Builder
	for i := 0; i < len(p.Actions); i++ {
		a := p.Actions[i]
		line := a.String()
		n := 1
		for a.Verb == workload.Create && i+n < len(p.Actions) && p.Actions[i+n].String() == line {
			n++
		}
		i += n - 1
		b.WriteString(line)
		if n > 1 {
			fmt.Fprintf(&b, " (x%d)", n)
		}
		b.WriteByte('\n')
		if a.Verb == workload.Patch {
			fmt.Fprintf(&b, "  body: %s\n", a.Patch)
		}
		if detail != nil {
			for _, l := range detail(a) {
				b.WriteString("  " + l + "\n")
			}
		}
	}
	if r := p.RequeueString(); r != "" {
		b.WriteString(r + "\n")
	}
	for i := 0; i < len(p.Events); i++ {
		line := "event " + p.Events[i].String()
		n := 1
		for i+n < len(p.Events) && p.Events[i+n] == p.Events[i] {
			n++
		}
		i += n - 1
		b.WriteString(line)
		if n > 1 {
			fmt.Fprintf(&b, " (x%d)", n)
		}
		b.WriteByte('\n')
	}
	if b.Len() == 0 {
		return "no actions\n"
	}
	return b.String()
}

// ReplicaSetStatus is a RenderPlan detail: the status a ReplicaSet status
// write sends.
func ReplicaSetStatus(a workload.Action) []string {
	rs, ok := a.Object.(*appsv1.ReplicaSet)
	if !ok || a.Verb != workload.UpdateStatus {
		return nil
	}
	s := rs.Status
	out := fmt.Sprintf("status: replicas=%d fullyLabeled=%d ready=%d available=%d", s.Replicas, s.FullyLabeledReplicas, s.ReadyReplicas, s.AvailableReplicas)
	if s.TerminatingReplicas != nil {
		out += fmt.Sprintf(" terminating=%d", *s.TerminatingReplicas)
	}
	out += fmt.Sprintf(" observedGeneration=%d", s.ObservedGeneration)
	for _, c := range s.Conditions {
		out += fmt.Sprintf(" condition=%s/%s/%s", c.Type, c.Status, c.Reason)
	}
	return []string{out}
}
