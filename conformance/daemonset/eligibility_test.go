package daemonset

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/selector"
)

var epoch = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// TestNodeEligibilityConformance compares selector.NodeEligibility with
// upstream's daemon.NodeShouldRunDaemonPod on generated (node, DaemonSet)
// pairs, and guards that every outcome is reached.
func TestNodeEligibilityConformance(t *testing.T) {
	seen := check.Coverage{}
	check.Run(t, "NodeEligibility", func(rt *rapid.T) string {
		node, ds := gen.EligibilityPair(rt, epoch)
		run, keep := harness.UpstreamNodeShouldRunDaemonPod(node.DeepCopy(), ds.DeepCopy())
		got, err := selector.NodeEligibility(node, ds)
		if err != nil {
			return "kubepure refused a valid pair: " + err.Error()
		}
		seen.Add(fmt.Sprintf("run=%v keep=%v", got.ShouldRun, got.ShouldContinueRunning))
		if got.ShouldRun != run || got.ShouldContinueRunning != keep {
			return fmt.Sprintf("node %s labels=%v taints=%v\n  template nodeSelector=%v affinity=%v tolerations=%v hostNetwork=%v nodeName=%q\n  upstream run=%v keep=%v, kubepure %+v",
				node.Name, node.Labels, node.Spec.Taints, ds.Spec.Template.Spec.NodeSelector, ds.Spec.Template.Spec.Affinity,
				ds.Spec.Template.Spec.Tolerations, ds.Spec.Template.Spec.HostNetwork, ds.Spec.Template.Spec.NodeName, run, keep, got)
		}
		return ""
	})
	seen.Require(t, "run=true keep=true", "run=false keep=true", "run=false keep=false")
}
