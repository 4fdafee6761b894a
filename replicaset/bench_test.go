package replicaset_test

import (
	"fmt"
	"testing"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/replicaset"
)

// BenchmarkReconcileReplicaSet measures one sync that scales a ReplicaSet
// of n pods down by a tenth, so the full deletion ranking runs. The
// conformance module runs upstream's sync on the same states.
func BenchmarkReconcileReplicaSet(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("pods=%d", n), func(b *testing.B) {
			state := rsState(gen.ReplicaSetAtScale(n, n-n/10, propNow))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := replicaset.Reconcile(state, propNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
