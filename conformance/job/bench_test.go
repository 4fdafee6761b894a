package job

import (
	"fmt"
	"testing"

	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/job"
)

// The benchmarks below run the same states (gen.JobAtScale: a busy Job of
// n pods, a tenth of them newly succeeded and a tenth newly failed,
// NonIndexed and Indexed) through upstream's syncJob and through kubepure,
// side by side. Upstream's time counts its sync alone: building the fake
// clientset, the controller and its caches is outside the timer.
var benchSizes = []int{100, 1000, 10000}

func BenchmarkUpstreamJob(b *testing.B) {
	for _, n := range benchSizes {
		for _, indexed := range []bool{false, true} {
			b.Run(benchName(n, indexed), func(b *testing.B) {
				st := gen.JobAtScale(n, indexed, syncTime)
				harness.TimeSyncs(b, func() (func() error, func(), error) {
					return harness.Timed(harness.PrepareJobSync(harness.JobState{Job: st.Job, Pods: st.Pods}, syncTime))
				})
			})
		}
	}
}

func BenchmarkKubepureJob(b *testing.B) {
	for _, n := range benchSizes {
		for _, indexed := range []bool{false, true} {
			b.Run(benchName(n, indexed), func(b *testing.B) {
				st := gen.JobAtScale(n, indexed, syncTime)
				state := job.State{Job: st.Job, Pods: st.Pods}
				for b.Loop() {
					if _, err := job.Reconcile(state, syncTime); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func benchName(n int, indexed bool) string {
	if indexed {
		return fmt.Sprintf("pods=%d/indexed", n)
	}
	return fmt.Sprintf("pods=%d/nonindexed", n)
}

// TestJobAtScaleAgrees compares the benchmark states themselves at 100 and
// 1,000 pods, so that the ratio is measured on syncs that do the same work.
func TestJobAtScaleAgrees(t *testing.T) {
	for _, n := range []int{100, 1000} {
		for _, indexed := range []bool{false, true} {
			st := gen.JobAtScale(n, indexed, syncTime)
			if _, msg := compare(gen.JobState{Job: st.Job, Pods: st.Pods}, syncTime); msg != "" {
				t.Errorf("%s: %s", benchName(n, indexed), lastLines(msg, 6))
			}
		}
	}
}
