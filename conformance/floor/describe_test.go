package floor

import (
	"fmt"
	"strings"

	v1 "k8s.io/api/core/v1"
)

// describePod renders the fields the deletion ranking reads, one pod per
// line, so that a divergence can be read without a debugger.
func describePod(p *v1.Pod) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s uid=%s node=%q phase=%q created=%s", p.Name, p.UID, p.Spec.NodeName, p.Status.Phase, fmtTime(p.CreationTimestamp.Time))
	if c, ok := p.Annotations["controller.kubernetes.io/pod-deletion-cost"]; ok {
		fmt.Fprintf(&b, " cost=%q", c)
	}
	for _, c := range p.Status.Conditions {
		fmt.Fprintf(&b, " cond[%s=%s since %s]", c.Type, c.Status, fmtTime(c.LastTransitionTime.Time))
	}
	for _, c := range p.Status.ContainerStatuses {
		fmt.Fprintf(&b, " restarts[%s]=%d", c.Name, c.RestartCount)
	}
	for _, c := range p.Spec.InitContainers {
		if c.RestartPolicy != nil {
			fmt.Fprintf(&b, " init[%s restartPolicy=%s]", c.Name, *c.RestartPolicy)
		} else {
			fmt.Fprintf(&b, " init[%s]", c.Name)
		}
	}
	for _, c := range p.Status.InitContainerStatuses {
		fmt.Fprintf(&b, " initRestarts[%s]=%d", c.Name, c.RestartCount)
	}
	if p.DeletionTimestamp != nil {
		b.WriteString(" deleting")
	}
	return b.String()
}

func fmtTime(t interface{ IsZero() bool }) string {
	if t.IsZero() {
		return "zero"
	}
	return fmt.Sprint(t)
}
