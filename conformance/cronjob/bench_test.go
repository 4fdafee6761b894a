package cronjob

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/gen"
)

// The two benchmarks below run the same states (gen.CronJobAtScale: an
// every-minute CronJob with n owned Jobs) through upstream's sync and
// through kubepure, side by side. Upstream's time counts its sync alone:
// building the fake clientset, the controller and its caches is outside
// the timer.
var benchSizes = []int{10, 100, 1000}

func BenchmarkUpstreamCronJob(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("jobs=%d", n), func(b *testing.B) {
			st, now := gen.CronJobAtScale(n)
			harness.TimeSyncs(b, func() (func() error, func(), error) {
				return harness.Timed(harness.PrepareCronJobSync(harness.CronJobState{CronJob: st.CronJob, Jobs: st.Jobs}, now))
			})
		})
	}
}

func BenchmarkKubepureCronJob(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("jobs=%d", n), func(b *testing.B) {
			st, now := gen.CronJobAtScale(n)
			state := cron.State{CronJob: st.CronJob, Jobs: st.Jobs}
			for b.Loop() {
				if _, err := cron.Reconcile(state, now, cron.Options{Location: time.UTC}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
