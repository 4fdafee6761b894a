package replicaset

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/replicaset"
)

// The two benchmarks below run the same states (a ReplicaSet of n pods
// scaled down by a tenth) through upstream's syncReplicaSet and through
// kubepure, side by side. Upstream's time counts its sync alone: building
// the fake clientset, the controller and its caches is outside the timer.
var benchSizes = []int{100, 1000, 10000}

func BenchmarkUpstreamReplicaSet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pods=%d", n), func(b *testing.B) {
			now := syncTime()
			st := gen.ReplicaSetAtScale(n, n-n/10, now)
			harness.TimeSyncs(b, func() (func() error, func(), error) {
				return harness.Timed(harness.PrepareReplicaSetSync(harness.ReplicaSetState{ReplicaSet: st.ReplicaSet, Pods: st.Pods, Now: now}))
			})
		})
	}
}

func BenchmarkKubepureReplicaSet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("pods=%d", n), func(b *testing.B) {
			now := time.Now().Truncate(time.Second)
			st := gen.ReplicaSetAtScale(n, n-n/10, now)
			state := replicaset.State{ReplicaSet: st.ReplicaSet, Pods: st.Pods}
			for b.Loop() {
				if _, err := replicaset.Reconcile(state, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
