package cron_test

import (
	"fmt"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/gen"
)

func BenchmarkReconcile(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("jobs=%d", n), func(b *testing.B) {
			g, now := gen.CronJobAtScale(n)
			s := cron.State{CronJob: g.CronJob, Jobs: g.Jobs}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cron.Reconcile(s, now, cron.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReconcileListed is the state that was quadratic: every finished
// Job still listed in status.active (gen.CronJobListedAtScale). B/op and
// ns/op grow linearly with the number of Jobs (times a log for sorting).
func BenchmarkReconcileListed(b *testing.B) {
	for _, n := range []int{1000, 5000, 20000} {
		b.Run(fmt.Sprintf("jobs=%d", n), func(b *testing.B) {
			g, now := gen.CronJobListedAtScale(n)
			s := cron.State{CronJob: g.CronJob, Jobs: g.Jobs}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cron.Reconcile(s, now, cron.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNextRuns(b *testing.B) {
	for _, schedule := range []string{"*/1 * * * *", "30 2 * * *", "0 0 1 * MON"} {
		b.Run(schedule, func(b *testing.B) {
			tz := "America/New_York"
			cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "b"}, Spec: batchv1.CronJobSpec{Schedule: schedule, TimeZone: &tz}}
			after := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cron.NextRuns(cj, after, 10, cron.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
