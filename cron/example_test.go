package cron_test

import (
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/apidefault"
)

// helloCronJob is the CronJob of the Kubernetes documentation's example,
// with the fields the API server defaults filled in as a cluster stores it.
func helloCronJob(created time.Time) *batchv1.CronJob {
	return &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "hello", Namespace: "default", UID: "uid-hello", CreationTimestamp: metav1.NewTime(created)},
		Spec: batchv1.CronJobSpec{
			Schedule:                   "*/1 * * * *",
			ConcurrencyPolicy:          batchv1.AllowConcurrent,
			Suspend:                    new(false),
			SuccessfulJobsHistoryLimit: new(int32(3)),
			FailedJobsHistoryLimit:     new(int32(1)),
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: apidefault.Template(corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyOnFailure,
				Containers:    []corev1.Container{{Name: "hello", Image: "busybox:1.28", Command: []string{"/bin/sh", "-c", "date; echo Hello"}}},
			}})}},
		},
	}
}

// One sync of the hello CronJob just after its first tick: it starts the
// Job for 12:00, records it in the status and looks again at the next tick.
func ExampleReconcile() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 100e6, time.UTC)
	cj := helloCronJob(now.Add(-30 * time.Second))
	plan, err := cron.Reconcile(cron.State{CronJob: cj}, now, cron.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(plan)
	// Output:
	// create jobs default/hello-29454480: scheduled for 2026-01-01T12:00:00Z
	// update-status cronjobs default/hello: status: active +hello-29454480 (1 listed), lastScheduleTime nil->2026-01-01T12:00:00Z
	// requeue after 1m0s
	// event Normal SuccessfulCreate: Created job hello-29454480
}

// A 02:30 schedule in New York skips the day clocks spring forward.
func ExampleNextRuns() {
	tz := "America/New_York"
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "nightly"},
		Spec:       batchv1.CronJobSpec{Schedule: "30 2 * * *", TimeZone: &tz},
	}
	runs, err := cron.NextRuns(cj, time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC), 3, cron.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range runs {
		fmt.Println(r.Format(time.RFC3339))
	}
	// Output:
	// 2026-03-09T02:30:00-04:00
	// 2026-03-10T02:30:00-04:00
	// 2026-03-11T02:30:00-04:00
}

// Why a Forbid CronJob does not start its 10:00 Job.
func ExampleExplain() {
	now := time.Date(2026, 1, 1, 10, 0, 0, 100e6, time.UTC)
	cj := helloCronJob(now.Add(-90 * time.Minute))
	cj.Spec.Schedule = "0 * * * *"
	cj.Spec.ConcurrencyPolicy = batchv1.ForbidConcurrent
	cj.Status.LastScheduleTime = &metav1.Time{Time: now.Add(-time.Hour).Truncate(time.Hour)}
	running := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{
		Name: "hello-29454300", Namespace: "default", UID: "uid-run",
		OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
	}}
	cj.Status.Active = []corev1.ObjectReference{{Kind: "Job", APIVersion: "batch/v1", Namespace: "default", Name: running.Name, UID: running.UID}}
	e, err := cron.Explain(cron.State{CronJob: cj, Jobs: []*batchv1.Job{running}}, now, cron.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(e.Reason)
	fmt.Println(e.Message)
	// Output:
	// Forbidden
	// concurrencyPolicy is Forbid and 1 Job is still active: the tick at 2026-01-01T10:00:00Z waits for it; next tick 2026-01-01T11:00:00Z
}
