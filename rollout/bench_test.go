package rollout_test

import (
	"fmt"
	"testing"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/rollout"
)

// BenchmarkReconcile syncs a Deployment of n replicas mid-rollover (four old
// ReplicaSets and a new one, gen.DeploymentAtScale), with RollingUpdate and
// with Recreate, the one strategy that reads the pods. The conformance
// module runs upstream's sync on the same states.
func BenchmarkReconcile(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		for _, recreate := range []bool{false, true} {
			name := fmt.Sprintf("pods=%d/rolling", n)
			if recreate {
				name = fmt.Sprintf("pods=%d/recreate", n)
			}
			b.Run(name, func(b *testing.B) {
				g := gen.DeploymentAtScale(n, recreate, scenario.Epoch)
				st := rollout.State{Deployment: g.Deployment, ReplicaSets: g.ReplicaSets, Pods: g.Pods}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := rollout.Reconcile(st, scenario.Epoch); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
