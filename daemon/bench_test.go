package daemon_test

import (
	"fmt"
	"testing"

	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/gen"
)

// BenchmarkReconcile is one sync of a DaemonSet part-way through a rolling
// update on clusters of 100, 1,000 and 5,000 nodes. The conformance module
// times upstream's sync on the same states.
func BenchmarkReconcile(b *testing.B) {
	for _, n := range []int{100, 1000, 5000} {
		st := gen.DaemonSetAtScale(n, epoch).State()
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := daemon.Reconcile(st, epoch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
