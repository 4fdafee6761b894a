package job_test

import (
	"fmt"
	"testing"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/job"
)

// BenchmarkReconcile syncs a busy Job of n pods (gen.JobAtScale), NonIndexed
// and Indexed (the Indexed one at 10,000 pods has 10,000 completions). The
// conformance module runs upstream's sync on the same states.
func BenchmarkReconcile(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		for _, indexed := range []bool{false, true} {
			mode := "nonindexed"
			if indexed {
				mode = "indexed"
			}
			b.Run(fmt.Sprintf("pods=%d/%s", n, mode), func(b *testing.B) {
				g := gen.JobAtScale(n, indexed, scenario.Epoch)
				st := job.State{Job: g.Job, Pods: g.Pods}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := job.Reconcile(st, scenario.Epoch); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkReconcileTTL is one TTL decision.
func BenchmarkReconcileTTL(b *testing.B) {
	g := gen.JobAtScale(1, false, scenario.Epoch)
	for b.Loop() {
		if _, err := job.ReconcileTTL(g.Job, scenario.Epoch); err != nil {
			b.Fatal(err)
		}
	}
}
