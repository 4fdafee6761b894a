package scenario

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/kubepure/kubepure/workload"
)

// RenderPlan prints a plan for a scenario's expected output: one line per
// action, with the patch body or the written status indented below it, then
// the requeue.
func RenderPlan(p workload.Plan) string {
	var b strings.Builder
	for i := 0; i < len(p.Actions); i++ {
		a := p.Actions[i]
		line := a.String()
		// Identical creates from one template read better as one line.
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
		switch {
		case a.Verb == workload.Patch:
			fmt.Fprintf(&b, "  body: %s\n", a.Patch)
		case a.Verb == workload.UpdateStatus:
			if rs, ok := a.Object.(*appsv1.ReplicaSet); ok {
				b.WriteString("  " + replicaSetStatus(rs) + "\n")
			}
		}
	}
	if p.Requeue {
		b.WriteString("requeue now\n")
	}
	if p.RequeueAfter > 0 {
		fmt.Fprintf(&b, "requeue after %s\n", p.RequeueAfter)
	}
	if b.Len() == 0 {
		return "no actions\n"
	}
	return b.String()
}

func replicaSetStatus(rs *appsv1.ReplicaSet) string {
	s := rs.Status
	out := fmt.Sprintf("status: replicas=%d fullyLabeled=%d ready=%d available=%d", s.Replicas, s.FullyLabeledReplicas, s.ReadyReplicas, s.AvailableReplicas)
	if s.TerminatingReplicas != nil {
		out += fmt.Sprintf(" terminating=%d", *s.TerminatingReplicas)
	}
	out += fmt.Sprintf(" observedGeneration=%d", s.ObservedGeneration)
	for _, c := range s.Conditions {
		out += fmt.Sprintf(" condition=%s/%s/%s", c.Type, c.Status, c.Reason)
	}
	return out
}
