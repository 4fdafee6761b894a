package gen

import (
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/internal/apidefault"
)

// cronSchedules mixes regular, irregular, descriptor, legacy TZ and
// impossible schedules.
var cronSchedules = []string{
	"*/1 * * * *", "0 * * * *", "*/5 * * * *", "30 2 * * *", "30 1 * * *",
	"0,1 0 * * *", "@hourly", "@every 90m", "0 0 31 2 *", "0 0 1 * MON",
	"CRON_TZ=America/New_York 30 * * * *", "*/15 9-17 * * 1-5", "@daily", "7 */3 * * *",
	"TZ=Asia/Kolkata 0 * * * *",
}

// unparseableSchedules do not parse: a cluster may still hold them from
// older validation rules, and the controller guards against them
// (UnparseableSchedule). The prefix without fields makes robfig's parser
// panic; a prefix naming no zone fails to load it.
var unparseableSchedules = []string{
	"0 0 * * * *", "0 0 * * 7", "TZ=UTC", "CRON_TZ=Mars/Base */5 * * * *", "@fortnightly", "61 * * * *",
}

var cronZones = []string{"UTC", "Asia/Kolkata", "America/New_York", "Europe/Berlin"}

// unknownZones pass the API server's character check but are not in the
// time zone database (the controller's UnknownTimeZone guard); the last
// one is a path, which older validation let through.
var unknownZones = []string{"Mars/Olympus_Mons", "America/Atlantis", "../etc"}

// cronDeadlines are ordinary startingDeadlineSeconds values.
var cronDeadlines = []int64{0, 10, 60, 600, 3600, 100000}

// overflowingDeadlines are too large for a time.Duration: their product
// with time.Second wraps around, as it does upstream, to a negative
// duration (no tick is ever recent enough), to a fraction of a second, to
// zero, and to exactly math.MinInt64 (every tick is missed with a
// MissSchedule warning).
var overflowingDeadlines = []int64{9223372037, 18446744074, 1 << 62, 1 << 54}

// CronJobState is a generated input of one CronJob sync.
type CronJobState struct {
	CronJob *batchv1.CronJob
	Jobs    []*batchv1.Job
}

// CronJob draws a CronJob a cluster can hold, defaulted as the API server
// stores it (including, now and then, one that older validation let
// through and upstream's controller guards against: an unparseable
// schedule, an unknown spec.timeZone, a TZ prefix with spec.timeZone),
// Jobs around it (owned, foreign, orphan; running, Complete, Failed; some
// named after recent ticks) and a clock near a daylight saving change.
func CronJob(t *rapid.T) (CronJobState, time.Time) {
	base := rapid.SampledFrom([]time.Time{
		time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	}).Draw(t, "base")
	now := base.Add(time.Duration(rapid.Int64Range(0, 48*3600).Draw(t, "now")) * time.Second)
	if rapid.Bool().Draw(t, "fraction") {
		now = now.Add(100 * time.Millisecond)
	}
	sched := rapid.SampledFrom(cronSchedules).Draw(t, "schedule")
	if rapid.IntRange(0, 11).Draw(t, "unparseable") == 0 {
		sched = rapid.SampledFrom(unparseableSchedules).Draw(t, "badSchedule")
	}
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{
			Name: "cj", Namespace: "default", UID: "uid-cj", ResourceVersion: "5",
			CreationTimestamp: metav1.NewTime(now.Add(-time.Duration(rapid.Int64Range(0, 300*3600).Draw(t, "age")) * time.Second)),
		},
		Spec: batchv1.CronJobSpec{
			Schedule:          sched,
			ConcurrencyPolicy: rapid.SampledFrom([]batchv1.ConcurrencyPolicy{"Allow", "Forbid", "Replace"}).Draw(t, "policy"),
			Suspend:           new(rapid.IntRange(0, 7).Draw(t, "suspend") == 0),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "cj"}},
				Spec: batchv1.JobSpec{Template: apidefault.Template(corev1.PodTemplateSpec{Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyOnFailure, Containers: []corev1.Container{{Name: "c", Image: "busybox"}},
				}})},
			},
		},
	}
	// A legacy TZ prefix together with spec.timeZone is refused by today's
	// validation but may be stored: the prefix wins (UnsupportedSchedule).
	if strings.Contains(sched, "TZ") && rapid.IntRange(0, 2).Draw(t, "tzAndTimeZone") > 0 ||
		!strings.Contains(sched, "TZ") && rapid.Bool().Draw(t, "hasTimeZone") {
		z := rapid.SampledFrom(cronZones).Draw(t, "timeZone")
		if rapid.IntRange(0, 9).Draw(t, "unknownZone") == 0 {
			z = rapid.SampledFrom(unknownZones).Draw(t, "badZone")
		}
		cj.Spec.TimeZone = &z
	}
	if rapid.IntRange(0, 10).Draw(t, "deleting") == 0 {
		cj.DeletionTimestamp = &metav1.Time{Time: now}
	}
	if rapid.Bool().Draw(t, "hasDeadline") {
		s := rapid.SampledFrom(cronDeadlines).Draw(t, "deadline")
		if rapid.IntRange(0, 5).Draw(t, "overflow") == 0 {
			s = rapid.SampledFrom(overflowingDeadlines).Draw(t, "hugeDeadline")
		}
		cj.Spec.StartingDeadlineSeconds = &s
	}
	// The API server defaults the limits to 3 and 1.
	a, b := int32(3), int32(1)
	if rapid.IntRange(0, 3).Draw(t, "limits") > 0 {
		a, b = int32(rapid.IntRange(0, 3).Draw(t, "successLimit")), int32(rapid.IntRange(0, 2).Draw(t, "failedLimit"))
	}
	cj.Spec.SuccessfulJobsHistoryLimit, cj.Spec.FailedJobsHistoryLimit = &a, &b
	if rapid.Bool().Draw(t, "hasLastSchedule") {
		lst := now.Add(-time.Duration(rapid.Int64Range(0, 200*60).Draw(t, "lastSchedule")) * time.Minute).Truncate(time.Minute)
		cj.Status.LastScheduleTime = &metav1.Time{Time: lst}
	}
	if rapid.Bool().Draw(t, "hasLastSuccess") {
		cj.Status.LastSuccessfulTime = &metav1.Time{Time: now.Add(-time.Duration(rapid.Int64Range(0, 100*60).Draw(t, "lastSuccess")) * time.Minute)}
	}
	var jobs []*batchv1.Job
	seen := map[string]bool{}
	for i := range rapid.IntRange(0, 7).Draw(t, "jobs") {
		name := fmt.Sprintf("cj-j%d", i)
		if rapid.Bool().Draw(t, "tickName") {
			tick := now.Add(-time.Duration(rapid.Int64Range(0, 10).Draw(t, "tickAgo")) * time.Minute).Truncate(time.Minute)
			name = fmt.Sprintf("cj-%d", tick.Unix()/60) // the CronJob controller's name for that tick
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		jobs = append(jobs, cronJobJob(t, cj, name, now))
	}
	for _, j := range jobs {
		if rapid.Bool().Draw(t, "listed") {
			cj.Status.Active = append(cj.Status.Active, corev1.ObjectReference{
				Kind: "Job", APIVersion: "batch/v1", Namespace: j.Namespace, Name: j.Name, UID: j.UID, ResourceVersion: j.ResourceVersion,
			})
		}
	}
	if rapid.IntRange(0, 4).Draw(t, "ghost") == 0 {
		cj.Status.Active = append(cj.Status.Active, corev1.ObjectReference{Kind: "Job", APIVersion: "batch/v1", Namespace: "default", Name: "ghost", UID: "uid-ghost"})
	}
	return CronJobState{CronJob: cj, Jobs: jobs}, now
}

func cronJobJob(t *rapid.T, cj *batchv1.CronJob, name string, now time.Time) *batchv1.Job {
	j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("uid-" + name), ResourceVersion: "3"}}
	switch rapid.IntRange(0, 5).Draw(t, "owner") {
	case 0:
	case 1:
		j.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(&metav1.ObjectMeta{Name: "x", UID: "uid-x"}, batchv1.SchemeGroupVersion.WithKind("CronJob"))}
	default:
		j.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))}
	}
	if rapid.Bool().Draw(t, "started") {
		j.Status.StartTime = &metav1.Time{Time: now.Add(-time.Duration(rapid.Int64Range(0, 5).Draw(t, "startedAgo")) * time.Hour)}
	}
	switch rapid.IntRange(0, 4).Draw(t, "condition") {
	case 1:
		ct := metav1.NewTime(now.Add(-time.Duration(rapid.Int64Range(0, 300).Draw(t, "completedAgo")) * time.Minute))
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}
		if rapid.IntRange(0, 4).Draw(t, "hasCompletionTime") > 0 {
			j.Status.CompletionTime = &ct
		}
	case 2:
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue}}
	case 3:
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: corev1.ConditionTrue}, {Type: batchv1.JobComplete, Status: corev1.ConditionTrue}}
	}
	return j
}
