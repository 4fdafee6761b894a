package cron_test

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cron"
)

// FuzzNextRuns feeds arbitrary schedules and time zones through the
// parser and the tick walk: an error or some ticks, never a panic, and the
// ticks strictly increasing.
func FuzzNextRuns(f *testing.F) {
	for _, s := range []string{"*/1 * * * *", "@every 90m", "TZ=0", "CRON_TZ=Asia/Kolkata 30 15 * * *", "0 0 31 2 *", "0 0 1 * MON", "@hourly ", "*/0 * * * *", "TZ="} {
		f.Add(s, "", int64(0))
		f.Add(s, "America/New_York", int64(1774000000))
	}
	f.Fuzz(func(t *testing.T, schedule, tz string, unix int64) {
		cj := &batchv1.CronJob{
			ObjectMeta: metav1.ObjectMeta{Name: "f", CreationTimestamp: metav1.Unix(1767225600, 0)},
			Spec:       batchv1.CronJobSpec{Schedule: schedule},
		}
		if tz != "" {
			cj.Spec.TimeZone = &tz
		}
		after := time.Unix(unix%(1<<34), 0)
		runs, err := cron.NextRuns(cj, after, 5, cron.Options{})
		if err != nil {
			return
		}
		prev := after
		for _, r := range runs {
			if !r.After(prev) {
				t.Fatalf("%q: tick %s not after %s", schedule, r, prev)
			}
			prev = r
		}
	})
}
