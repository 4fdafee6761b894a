package deployment

import (
	"fmt"
	"testing"

	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/rollout"
)

// The two benchmarks below run the same states (gen.DeploymentAtScale: a
// Deployment of n replicas mid-rollover, RollingUpdate and Recreate)
// through upstream's syncDeployment and through kubepure, side by side.
// Upstream's time counts its sync alone: building the fake clientset, the
// controller and its caches is outside the timer.
var benchSizes = []int{100, 1000, 10000}

func benchName(n int, recreate bool) string {
	if recreate {
		return fmt.Sprintf("pods=%d/recreate", n)
	}
	return fmt.Sprintf("pods=%d/rolling", n)
}

func BenchmarkUpstreamDeployment(b *testing.B) {
	for _, n := range benchSizes {
		for _, recreate := range []bool{false, true} {
			b.Run(benchName(n, recreate), func(b *testing.B) {
				now := syncTime()
				st := gen.DeploymentAtScale(n, recreate, now)
				harness.TimeSyncs(b, func() (func() error, func(), error) {
					return harness.Timed(harness.PrepareDeploymentSync(harness.DeploymentState{Deployment: st.Deployment, ReplicaSets: st.ReplicaSets, Pods: st.Pods}, now))
				})
			})
		}
	}
}

func BenchmarkKubepureDeployment(b *testing.B) {
	for _, n := range benchSizes {
		for _, recreate := range []bool{false, true} {
			b.Run(benchName(n, recreate), func(b *testing.B) {
				now := syncTime()
				st := gen.DeploymentAtScale(n, recreate, now)
				state := rollout.State{Deployment: st.Deployment, ReplicaSets: st.ReplicaSets, Pods: st.Pods}
				for b.Loop() {
					if _, err := rollout.Reconcile(state, now); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
