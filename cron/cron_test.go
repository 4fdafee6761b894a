package cron_test

import (
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/workload"
)

func TestReconcileRefusesBadInput(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	valid := func() *batchv1.CronJob { return helloCronJob(now.Add(-time.Hour)) }
	job := func(name string) *batchv1.Job {
		return &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("uid-" + name)}}
	}
	with := func(edit func(c *batchv1.CronJob)) cron.State {
		c := valid()
		edit(c)
		return cron.State{CronJob: c}
	}
	tests := []struct {
		name  string
		state cron.State
		want  string
	}{
		{"nil CronJob", cron.State{}, "cronJob: Required value"},
		{"nil Job", cron.State{CronJob: valid(), Jobs: []*batchv1.Job{job("a"), nil}}, "jobs[1]: Required value"},
		{"duplicate Job", cron.State{CronJob: valid(), Jobs: []*batchv1.Job{job("a"), job("a")}}, "jobs[1].metadata.name: Duplicate value"},
		{"duplicate Job UID", cron.State{CronJob: valid(), Jobs: []*batchv1.Job{job("a"), func() *batchv1.Job { j := job("b"); j.UID = "uid-a"; return j }()}}, "jobs[1].metadata.uid: Duplicate value"},
		{"Job without UID", cron.State{CronJob: valid(), Jobs: []*batchv1.Job{{ObjectMeta: metav1.ObjectMeta{Name: "a", Namespace: "default"}}}}, "jobs[0].metadata.uid: Required value"},
		{"no name", with(func(c *batchv1.CronJob) { c.Name = "" }), "cronJob.metadata.name: Required value"},
		{"name over 52", with(func(c *batchv1.CronJob) { c.Name = strings.Repeat("a", 53) }), "cronJob.metadata.name: Invalid value: \"" + strings.Repeat("a", 53) + "\": must be no more than 52 characters"},
		{"no schedule", with(func(c *batchv1.CronJob) { c.Spec.Schedule = "" }), "cronJob.spec.schedule: Required value"},
		{"no creation time", with(func(c *batchv1.CronJob) { c.CreationTimestamp = metav1.Time{} }), "cronJob.metadata.creationTimestamp: Required value"},
		{"centuries ago", with(func(c *batchv1.CronJob) { c.Status.LastScheduleTime = &metav1.Time{Time: now.AddDate(-300, 0, 0)} }), "cronJob.status.lastScheduleTime: Invalid value"},
		{"empty time zone", with(func(c *batchv1.CronJob) { c.Spec.TimeZone = new("") }), "cronJob.spec.timeZone: Invalid value"},
		{"Local time zone", with(func(c *batchv1.CronJob) { c.Spec.TimeZone = new("Local") }), "timeZone must be an explicit time zone"},
		{"negative failed limit", with(func(c *batchv1.CronJob) { c.Spec.FailedJobsHistoryLimit = new(int32(-1)) }), "cronJob.spec.failedJobsHistoryLimit: Invalid value"},
		{"unknown policy", with(func(c *batchv1.CronJob) { c.Spec.ConcurrencyPolicy = "Sometimes" }), "cronJob.spec.concurrencyPolicy: Unsupported value"},
		{"policy not defaulted", with(func(c *batchv1.CronJob) { c.Spec.ConcurrencyPolicy = "" }), "cronJob.spec.concurrencyPolicy: Required value: the API server defaults it"},
		{"suspend not defaulted", with(func(c *batchv1.CronJob) { c.Spec.Suspend = nil }), "cronJob.spec.suspend: Required value: the API server defaults it"},
		{"successful limit not defaulted", with(func(c *batchv1.CronJob) { c.Spec.SuccessfulJobsHistoryLimit = nil }), "cronJob.spec.successfulJobsHistoryLimit: Required value: the API server defaults it"},
		{"failed limit not defaulted", with(func(c *batchv1.CronJob) { c.Spec.FailedJobsHistoryLimit = nil }), "cronJob.spec.failedJobsHistoryLimit: Required value: the API server defaults it"},
		{"template not defaulted", with(func(c *batchv1.CronJob) { c.Spec.JobTemplate.Spec.Template.Spec.DNSPolicy = "" }), "cronJob.spec.jobTemplate.spec.template.spec.dnsPolicy: Required value: the API server always sets it"},
		{"container not defaulted", with(func(c *batchv1.CronJob) { c.Spec.JobTemplate.Spec.Template.Spec.Containers[0].ImagePullPolicy = "" }), "cronJob.spec.jobTemplate.spec.template.spec.containers[0].imagePullPolicy: Required value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cron.Reconcile(tt.state, now, cron.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if tt.state.CronJob != nil {
				if _, err := cron.Explain(tt.state, now, cron.Options{}); err == nil {
					t.Fatalf("Explain accepted it")
				}
			}
		})
	}
}

func TestJobName(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), "hello-29454480"},
		{time.Date(2026, 1, 1, 12, 0, 59, 999, time.UTC), "hello-29454480"},
		{time.Date(2026, 1, 1, 17, 30, 0, 0, time.FixedZone("IST", 5*3600+1800)), "hello-29454480"},
		{time.Date(2026, 3, 7, 10, 0, 0, 0, time.UTC), "hello-29547960"},
	}
	for _, tt := range tests {
		if got := cron.JobName("hello", tt.at); got != tt.want {
			t.Errorf("JobName(%s) = %s, want %s", tt.at, got, tt.want)
		}
	}
}

func TestNextRunsEdges(t *testing.T) {
	after := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cj := helloCronJob(after)
	for _, n := range []int{-1, 0} {
		if runs, err := cron.NextRuns(cj, after, n, cron.Options{}); err != nil || len(runs) != 0 {
			t.Errorf("n=%d: %v %v", n, runs, err)
		}
	}
	if _, err := cron.NextRuns(nil, after, 1, cron.Options{}); err == nil || !strings.Contains(err.Error(), "cronJob: Required") {
		t.Errorf("nil CronJob: %v", err)
	}
	// Without spec.timeZone the controller's zone decides: 05:00 in
	// Kolkata is 23:30 UTC the day before.
	cj.Spec.Schedule = "0 5 * * *"
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	runs, err := cron.NextRuns(cj, after, 1, cron.Options{Location: kolkata})
	if err != nil || len(runs) != 1 || !runs[0].Equal(time.Date(2026, 1, 1, 23, 30, 0, 0, time.UTC)) {
		t.Errorf("Kolkata controller: %v %v", runs, err)
	}
}

func TestRecordCreated(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 100e6, time.UTC)
	plan, err := cron.Reconcile(cron.State{CronJob: helloCronJob(now.Add(-time.Minute))}, now, cron.Options{})
	if err != nil {
		t.Fatal(err)
	}
	created := plan.Actions[0].Object.(*batchv1.Job).DeepCopy()
	created.Namespace, created.UID, created.ResourceVersion = "default", "uid-new", "7"
	if !cron.RecordCreated(plan, created) {
		t.Fatal("nothing recorded")
	}
	st := plan.Actions[1].Object.(*batchv1.CronJob).Status
	if plan.Actions[1].Verb != workload.UpdateStatus || st.Active[0].UID != "uid-new" || st.Active[0].ResourceVersion != "7" {
		t.Fatalf("status %+v", st)
	}
	if cron.RecordCreated(plan, created) || cron.RecordCreated(plan, nil) {
		t.Fatal("recorded twice")
	}
}

// Options.Location nil is UTC.
func TestDefaultLocationIsUTC(t *testing.T) {
	now := time.Date(2026, 1, 1, 5, 0, 0, 100e6, time.UTC)
	cj := helloCronJob(now.Add(-time.Hour))
	cj.Spec.Schedule = "0 5 * * *"
	a, err1 := cron.Reconcile(cron.State{CronJob: cj}, now, cron.Options{})
	b, err2 := cron.Reconcile(cron.State{CronJob: cj}, now, cron.Options{Location: time.UTC})
	if err1 != nil || err2 != nil || a.String() != b.String() || len(a.Actions) != 2 {
		t.Fatalf("%v %v\n%s\n%s", err1, err2, a, b)
	}
}
