package daemonset

import (
	"fmt"
	"testing"

	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/gen"
)

// The two benchmarks below run the same states (a DaemonSet part-way
// through a rolling update on n nodes, gen.DaemonSetAtScale) through
// upstream's syncDaemonSet and through kubepure, side by side. Upstream's
// time counts its sync alone: building the fake clientset, the controller
// and its caches is outside the timer.
var benchSizes = []int{100, 1000, 5000}

func BenchmarkUpstreamDaemonSet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			st := gen.DaemonSetAtScale(n, epoch)
			harness.TimeSyncs(b, func() (func() error, func(), error) {
				return harness.Timed(harness.PrepareDaemonSetSync(harness.DaemonSetState{
					DaemonSet: st.DaemonSet, Revisions: st.Revisions, Pods: st.Pods, Nodes: st.Nodes}, epoch))
			})
		})
	}
}

func BenchmarkKubepureDaemonSet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			state := gen.DaemonSetAtScale(n, epoch).State()
			for b.Loop() {
				if _, err := daemon.Reconcile(state, epoch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
