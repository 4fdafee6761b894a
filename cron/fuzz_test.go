package cron_test

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/gen"
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

// FuzzReconcile drives generated states, mangled in ways the API server
// would refuse, through Reconcile and Explain: a plan or an error, never a
// panic.
func FuzzReconcile(f *testing.F) {
	gen.Fuzz(f, func(t *rapid.T) {
		s, now := genState(t)
		cj := s.CronJob
		switch rapid.IntRange(0, 9).Draw(t, "mangle") {
		case 1:
			s.CronJob = nil
		case 2:
			s.Jobs = append(s.Jobs, nil)
		case 3:
			cj.Spec.Schedule = rapid.String().Draw(t, "schedule")
		case 4:
			tz := rapid.String().Draw(t, "timeZone")
			cj.Spec.TimeZone = &tz
		case 5:
			neg := -rapid.Int64Range(1, 100).Draw(t, "negative")
			cj.Spec.StartingDeadlineSeconds = &neg
		case 6:
			cj.CreationTimestamp = metav1.Time{}
			cj.Status.LastScheduleTime = nil
		case 7:
			now = now.Add(time.Duration(rapid.Int64().Draw(t, "shift")))
		case 8:
			if len(s.Jobs) > 0 {
				s.Jobs = append(s.Jobs, s.Jobs[0])
			}
		case 9:
			cj.Spec.ConcurrencyPolicy = batchv1.ConcurrencyPolicy(rapid.String().Draw(t, "policy"))
		}
		_, _ = cron.Reconcile(s, now, cron.Options{})
		if s.CronJob != nil {
			_, _ = cron.Explain(s, now, cron.Options{})
		}
	})
}
