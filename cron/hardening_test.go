package cron_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/gen"
)

// allocated returns the bytes one Reconcile of the listed-at-scale state
// with n Jobs allocates.
func allocated(t *testing.T, n int) uint64 {
	g, now := gen.CronJobListedAtScale(n)
	s := cron.State{CronJob: g.CronJob, Jobs: g.Jobs}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := cron.Reconcile(s, now, cron.Options{}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Every finished Job still listed in status.active used to cost memory
// quadratic in their number (2,000 took 700 MB): eight times the Jobs
// must now cost about eight times the memory, far from sixty-four.
func TestReconcileMemoryIsLinear(t *testing.T) {
	small, large := allocated(t, 1000), allocated(t, 8000)
	if large > 12*small {
		t.Fatalf("1,000 Jobs allocate %d B, 8,000 allocate %d B: %.1f times", small, large, float64(large)/float64(small))
	}
}

// A startingDeadlineSeconds too large for a time.Duration wraps around in
// upstream's arithmetic, and the plan keeps upstream's result; Explain
// says what really happens.
func TestStartingDeadlineOverflow(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 100e6, time.UTC)
	tests := []struct {
		name    string
		seconds int64
		reason  cron.Reason
		creates bool
		message string
	}{
		{"largest that fits", 9223372036, cron.ReasonStarted, true, "Job hello-29454480 starts"},
		{"wraps negative", 9223372037, cron.ReasonMissedDeadline, false,
			"startingDeadlineSeconds 9223372037 is too large for upstream's duration arithmetic, which wraps it around to -2562047h47m16.709551616s, putting the deadline at or after now, so no tick is ever recent enough; the tick at 2026-01-01T12:00:00Z is skipped, as every tick will be"},
		{"wraps to zero", 1 << 62, cron.ReasonMissedDeadline, false, "wraps it around to 0s, putting the deadline at or after now"},
		{"wraps to a fraction of a second", 18446744074, cron.ReasonStarted, true, "Job hello-29454480 starts"},
		{"wraps to the minimum", 1 << 54, cron.ReasonMissedDeadline, false,
			"wraps it around to -2562047h47m16.854775808s, so the check that a tick is recent enough fails for every tick"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cj := helloCronJob(now.Add(-30 * time.Second))
			cj.Spec.StartingDeadlineSeconds = new(tt.seconds)
			s := cron.State{CronJob: cj}
			plan, err := cron.Reconcile(s, now, cron.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(plan.Actions) > 0 && plan.Actions[0].Verb == "create"; got != tt.creates {
				t.Fatalf("creates=%v, want %v:\n%s", got, tt.creates, plan)
			}
			e, err := cron.Explain(s, now, cron.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if e.Reason != tt.reason || !strings.Contains(e.Message, tt.message) {
				t.Fatalf("%s: %s\nwant %s containing %q", e.Reason, e.Message, tt.reason, tt.message)
			}
		})
	}
	// Before the first tick, too, Explain says no tick will ever start.
	cj := helloCronJob(now.Add(-30 * time.Second))
	cj.Spec.StartingDeadlineSeconds = new(int64(9223372037))
	e, err := cron.Explain(cron.State{CronJob: cj}, now.Add(-10*time.Second), cron.Options{})
	if err != nil || e.Reason != cron.ReasonNotYetTime || !strings.Contains(e.Message, "no Job ever starts") {
		t.Fatalf("%v %s: %s", err, e.Reason, e.Message)
	}
}

// NextRuns promises ticks strictly after the given time, also centuries
// after the CronJob's creation, where a time.Duration saturates.
func TestNextRunsFarFromCreation(t *testing.T) {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, schedule := range []string{"@every 90m", "@every 7s", "*/5 * * * *"} {
		cj := helloCronJob(created)
		cj.Spec.Schedule = schedule
		for _, years := range []int{1, 291, 292, 300, 1000} {
			after := created.AddDate(years, 0, 0).Add(1234567 * time.Millisecond)
			runs, err := cron.NextRuns(cj, after, 3, cron.Options{})
			if err != nil || len(runs) != 3 {
				t.Fatalf("%s +%dy: %v %v", schedule, years, runs, err)
			}
			prev := after
			for _, r := range runs {
				if !r.After(prev) {
					t.Fatalf("%s +%dy: tick %s not after %s", schedule, years, r, prev)
				}
				prev = r
			}
			if every := strings.TrimPrefix(schedule, "@every "); every != schedule {
				d, _ := time.ParseDuration(every)
				if gap := runs[0].Sub(after); gap > d {
					t.Fatalf("%s +%dy: first tick %s is %s after %s", schedule, years, runs[0], gap, after)
				}
				if off := runs[0].Unix() - created.Unix(); off%int64(d/time.Second) != 0 {
					t.Fatalf("%s +%dy: tick %s is off the grid", schedule, years, runs[0])
				}
			}
		}
	}
}

// A TZ prefix without fields used to answer with a runtime error.
func TestNextRunsPrefixWithoutFields(t *testing.T) {
	cj := helloCronJob(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for _, schedule := range []string{"TZ=UTC", "CRON_TZ=Europe/Paris", "TZ="} {
		cj.Spec.Schedule = schedule
		_, err := cron.NextRuns(cj, cj.CreationTimestamp.Time, 1, cron.Options{})
		if err == nil || strings.Contains(err.Error(), "runtime error") || !strings.Contains(err.Error(), "cronJob.spec.schedule") {
			t.Errorf("%q: %v", schedule, err)
		}
	}
}

// Explain on a suspended CronJob says when the next tick would be.
func TestExplainSuspendedNextRun(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 10, 0, 0, time.UTC)
	cj := helloCronJob(now.Add(-time.Hour))
	cj.Spec.Schedule = "0 * * * *"
	cj.Spec.Suspend = new(true)
	e, err := cron.Explain(cron.State{CronJob: cj}, now, cron.Options{})
	want := time.Date(2026, 1, 1, 13, 0, 0, 0, time.UTC)
	if err != nil || e.Reason != cron.ReasonSuspended || !e.NextRun.Equal(want) || !strings.Contains(e.Message, "the next tick would be 2026-01-01T13:00:00Z") {
		t.Fatalf("%v %+v", err, e)
	}
}

// The guards upstream keeps for objects stored under older validation
// are plans, not errors: an unparseable schedule, an unknown time zone,
// a TZ prefix with spec.timeZone.
func TestGuardsArePlans(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 100e6, time.UTC)
	tests := []struct {
		name    string
		edit    func(*batchv1.CronJob)
		events  []string
		actions int
	}{
		{"unparseable", func(c *batchv1.CronJob) { c.Spec.Schedule = "0 0 * * * *" }, []string{"UnparseableSchedule"}, 0},
		{"prefix without fields", func(c *batchv1.CronJob) { c.Spec.Schedule = "TZ=UTC" }, []string{"UnsupportedSchedule", "UnparseableSchedule"}, 0},
		{"unknown zone", func(c *batchv1.CronJob) { c.Spec.TimeZone = new("Mars/Olympus_Mons") }, []string{"UnknownTimeZone"}, 0},
		{"unknown zone, suspended", func(c *batchv1.CronJob) {
			c.Spec.TimeZone = new("Mars/Olympus_Mons")
			c.Spec.Suspend = new(true)
		}, []string{"UnknownTimeZone"}, 0},
		{"prefix and timeZone", func(c *batchv1.CronJob) {
			c.Spec.Schedule = "TZ=Asia/Tokyo */1 * * * *"
			c.Spec.TimeZone = new("Europe/Paris")
		}, []string{"UnsupportedSchedule", "SuccessfulCreate"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cj := helloCronJob(now.Add(-30 * time.Second))
			tt.edit(cj)
			plan, err := cron.Reconcile(cron.State{CronJob: cj}, now, cron.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var reasons []string
			for _, e := range plan.Events {
				reasons = append(reasons, e.Reason)
			}
			if strings.Join(reasons, " ") != strings.Join(tt.events, " ") || len(plan.Actions) != tt.actions {
				t.Fatalf("plan:\n%s", plan)
			}
			if tt.actions == 0 && (plan.Requeue || plan.RequeueAfter != 0) {
				t.Fatalf("requeued:\n%s", plan)
			}
		})
	}
	// The Job of the prefix-and-timeZone CronJob is dated in spec.timeZone.
	cj := helloCronJob(now.Add(-30 * time.Second))
	cj.Spec.Schedule, cj.Spec.TimeZone = "TZ=Asia/Tokyo */1 * * * *", new("Europe/Paris")
	plan, _ := cron.Reconcile(cron.State{CronJob: cj}, now, cron.Options{})
	if got := plan.Actions[0].Object.(metav1.Object).GetAnnotations()[batchv1.CronJobScheduledTimestampAnnotation]; got != "2026-01-01T13:00:00+01:00" {
		t.Fatalf("annotation %s", got)
	}
}
