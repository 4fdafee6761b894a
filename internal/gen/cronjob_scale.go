package gen

import (
	"fmt"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/internal/apidefault"
)

// CronJobAtScale is the CronJob benchmark state shared by kubepure's
// benchmarks and the upstream ones in the conformance module: an
// every-minute CronJob with n owned Jobs: most Complete,
// a few Failed, the last one running and listed as active.
func CronJobAtScale(n int) (CronJobState, time.Time) {
	return cronJobScale(n, false)
}

// CronJobListedAtScale is CronJobAtScale with every Job still listed in
// status.active, as after a long controller outage: the state where
// upstream's sync costs time and memory quadratic in n.
func CronJobListedAtScale(n int) (CronJobState, time.Time) {
	return cronJobScale(n, true)
}

func cronJobScale(n int, allListed bool) (CronJobState, time.Time) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 100e6, time.UTC)
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "bench", Namespace: "default", UID: "uid-bench", CreationTimestamp: metav1.NewTime(now.Add(-48 * time.Hour))},
		Spec: batchv1.CronJobSpec{
			Schedule: "*/1 * * * *", ConcurrencyPolicy: batchv1.AllowConcurrent, Suspend: new(false),
			SuccessfulJobsHistoryLimit: new(int32(3)), FailedJobsHistoryLimit: new(int32(3)),
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: apidefault.Template(corev1.PodTemplateSpec{Spec: corev1.PodSpec{
				RestartPolicy: corev1.RestartPolicyOnFailure, Containers: []corev1.Container{{Name: "c", Image: "busybox"}},
			}})}},
		},
		Status: batchv1.CronJobStatus{LastScheduleTime: &metav1.Time{Time: now.Add(-time.Minute).Truncate(time.Minute)}},
	}
	var jobs []*batchv1.Job
	for i := range n {
		tick := now.Truncate(time.Minute).Add(-time.Duration(n-i) * time.Minute)
		j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{
			Name: fmt.Sprintf("bench-%d", tick.Unix()/60), Namespace: "default", UID: types.UID(fmt.Sprintf("uid-%d", i)),
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))},
		}}
		j.Status.StartTime = &metav1.Time{Time: tick}
		switch {
		case i == n-1:
		case i%10 == 3:
			j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue}}
		default:
			done := metav1.NewTime(tick.Add(30 * time.Second))
			j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}
			j.Status.CompletionTime = &done
		}
		if allListed || i == n-1 {
			cj.Status.Active = append(cj.Status.Active, corev1.ObjectReference{Kind: "Job", APIVersion: "batch/v1", Namespace: "default", Name: j.Name, UID: j.UID})
		}
		jobs = append(jobs, j)
	}
	return CronJobState{CronJob: cj, Jobs: jobs}, now
}
