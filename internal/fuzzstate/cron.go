package fuzzstate

import (
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/cron"
)

// schedules mix regular, irregular, descriptor, legacy-TZ and impossible
// schedules.
var schedules = []string{
	"*/1 * * * *", "0 * * * *", "*/5 * * * *", "30 2 * * *", "30 1 * * *",
	"0,1 0 * * *", "@hourly", "@every 90m", "0 0 31 2 *", "0 0 1 * MON",
	"CRON_TZ=America/New_York 30 * * * *", "TZ=Asia/Kolkata 0 9 * * *", "*/15 9-17 * * 1-5", "@daily", "7 */3 * * *",
}

// zones are the time zones of spec.timeZone, legacy prefixes and the
// controller process; "Mars/Olympus" is unknown (upstream's
// UnknownTimeZone guard).
var zones = []string{"UTC", "Asia/Kolkata", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"}

// Schedule draws a schedule: mostly one of a known list, otherwise one
// assembled from cron fields (ranges, steps, lists, names, descriptors, a
// TZ prefix) or, rarely, a short string of cron characters, which mostly
// does not parse.
func Schedule(r *Reader) string {
	switch r.Intn(8) {
	case 0, 1, 2, 3:
		return Pick(r, schedules...)
	case 7:
		return r.String("0123456789*/-, @?LW#TZ=MONJAhery", 24)
	}
	if r.OneIn(5) {
		return Pick(r, "@yearly", "@monthly", "@weekly", "@midnight", "@every "+Pick(r, "1s", "30s", "1m", "90m", "25h", "0s", "-1m"))
	}
	limits := [5]int{59, 23, 31, 12, 7}
	fields := make([]string, 5)
	for i, hi := range limits {
		a, b := r.IntRange(0, hi), r.IntRange(0, hi)
		switch r.Intn(8) {
		case 0:
			fields[i] = fmt.Sprint(a)
		case 1:
			fields[i] = fmt.Sprintf("%d-%d", a, b)
		case 2:
			fields[i] = fmt.Sprintf("*/%d", r.IntRange(0, 15))
		case 3:
			fields[i] = fmt.Sprintf("%d,%d", a, b)
		case 4:
			fields[i] = fmt.Sprintf("%d-%d/%d", a, b, r.IntRange(1, 7))
		case 5:
			if i == 3 {
				fields[i] = Pick(r, "JAN", "feb", "DEC", "JAN-MAR")
			} else if i == 4 {
				fields[i] = Pick(r, "MON", "sun", "MON-FRI", "SAT,SUN")
			} else {
				fields[i] = "*"
			}
		case 6:
			fields[i] = "?"
		default:
			fields[i] = "*"
		}
	}
	s := strings.Join(fields, " ")
	if r.OneIn(6) {
		s = Pick(r, "TZ=", "CRON_TZ=") + Pick(r, append(zones, "", "Mars/Olympus")...) + " " + s
	}
	return s
}

// Location draws the controller process's time zone for cron.Options.
func Location(r *Reader) *time.Location {
	if r.Bool() {
		return nil
	}
	return locations[r.Intn(len(locations))]
}

// locations are zones loaded once: loading one reads the time zone
// database, which would otherwise dominate a fuzz execution.
var locations = func() []*time.Location {
	var out []*time.Location
	for _, z := range zones {
		if loc, err := time.LoadLocation(z); err == nil {
			out = append(out, loc)
		}
	}
	return out
}()

// CronInput is the input of one CronJob sync.
type CronInput struct {
	State   cron.State
	Now     time.Time
	Options cron.Options
}

// CronJob builds a CronJob sync input: a clock near a daylight saving
// change, a CronJob as the API server stores it (defaults filled in) with a
// schedule, a time zone, a deadline, history limits, a last schedule and
// success, and up to six Jobs around it (owned, foreign, orphaned;
// running, Complete, Failed; some named after recent ticks, some listed
// in status.active, plus now and then a listed Job that does not exist).
func CronJob(r *Reader) CronInput {
	base := Pick(r, time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	now := base.Add(time.Duration(r.Intn(48*3600)) * time.Second)
	if r.OneIn(4) {
		now = now.Add(100 * time.Millisecond)
	}
	sched := Pick(r, schedules...)
	if r.OneIn(4) {
		sched = Schedule(r)
	}
	pod := podTemplate("busybox:1.36", map[string]string{"app": "cj"}, v1.RestartPolicyOnFailure)
	cj := &batchv1.CronJob{
		TypeMeta: metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"},
		ObjectMeta: metav1.ObjectMeta{
			Name: "cj", Namespace: Namespace, UID: "cj-uid", ResourceVersion: "5",
			CreationTimestamp: metav1.NewTime(now.Add(-time.Duration(r.Intn(300*60)) * time.Minute)),
		},
		Spec: batchv1.CronJobSpec{
			Schedule:                   sched,
			ConcurrencyPolicy:          Pick(r, batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent),
			Suspend:                    ptrTo(r.OneIn(8)),
			SuccessfulJobsHistoryLimit: int32p(Pick[int32](r, 3, 0, 1, 2)),
			FailedJobsHistoryLimit:     int32p(Pick[int32](r, 1, 0, 2)),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "cj"}},
				Spec:       batchv1.JobSpec{Template: pod},
			},
		},
	}
	if !strings.Contains(sched, "TZ") && r.OneIn(3) {
		cj.Spec.TimeZone = ptrTo(Pick(r, zones...))
	} else if r.OneIn(30) {
		cj.Spec.TimeZone = ptrTo(Pick(r, "Mars/Olympus", "UTC"))
	}
	if r.OneIn(12) {
		cj.DeletionTimestamp = &metav1.Time{Time: now}
	}
	if r.Bool() {
		cj.Spec.StartingDeadlineSeconds = int64p(Pick[int64](r, 0, 10, 60, 600, 3600, 100000, 9223372037))
	}
	if r.Bool() {
		cj.Status.LastScheduleTime = &metav1.Time{Time: now.Add(-time.Duration(r.Intn(200*60)) * time.Minute).Truncate(time.Minute)}
	}
	if r.Bool() {
		cj.Status.LastSuccessfulTime = &metav1.Time{Time: now.Add(-time.Duration(r.Intn(100*60)) * time.Minute)}
	}
	var jobs []*batchv1.Job
	seen := map[string]bool{}
	for i := range r.Intn(7) {
		jn := name("cj-j", i)
		if r.Bool() {
			tick := now.Add(-time.Duration(r.Intn(11)) * time.Minute).Truncate(time.Minute)
			jn = cron.JobName(cj.Name, tick)
		}
		if seen[jn] {
			continue
		}
		seen[jn] = true
		jobs = append(jobs, cronJobJob(r, cj, jn, now))
	}
	for _, j := range jobs {
		if r.Bool() {
			cj.Status.Active = append(cj.Status.Active, v1.ObjectReference{
				Kind: "Job", APIVersion: "batch/v1", Namespace: j.Namespace, Name: j.Name, UID: j.UID, ResourceVersion: j.ResourceVersion,
			})
		}
	}
	if r.OneIn(5) {
		cj.Status.Active = append(cj.Status.Active, v1.ObjectReference{Kind: "Job", APIVersion: "batch/v1", Namespace: Namespace, Name: "ghost", UID: "ghost-uid"})
	}
	in := CronInput{State: cron.State{CronJob: cj, Jobs: jobs}, Now: now, Options: cron.Options{Location: Location(r)}}
	switch r.Intn(48) {
	case 1:
		in.State.CronJob = nil
	case 2:
		in.State.Jobs = append(in.State.Jobs, nil)
	case 3:
		cj.Spec.Suspend = nil
	case 4:
		cj.Spec.JobTemplate.Spec.Template.Spec.DNSPolicy = ""
	case 5:
		if len(jobs) > 0 {
			in.State.Jobs = append(in.State.Jobs, jobs[0].DeepCopy())
		}
	case 6:
		cj.Name = strings.Repeat("c", 53)
	}
	return in
}

// CloneCron deep-copies every object of in.
func CloneCron(in CronInput) CronInput {
	in.State.CronJob = in.State.CronJob.DeepCopy()
	in.State.Jobs = cloneList(in.State.Jobs)
	return in
}

// PermuteCron reorders in's Jobs.
func PermuteCron(r *Reader, in CronInput) CronInput {
	in.State.Jobs = Permute(r, in.State.Jobs)
	return in
}

func cronJobJob(r *Reader, cj *batchv1.CronJob, jn string, now time.Time) *batchv1.Job {
	j := &batchv1.Job{
		TypeMeta:   metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"},
		ObjectMeta: metav1.ObjectMeta{Name: jn, Namespace: Namespace, UID: types.UID(jn + "-uid"), ResourceVersion: "3"},
	}
	switch r.Intn(6) {
	case 0:
	case 1:
		j.OwnerReferences = []metav1.OwnerReference{controllerRef("batch/v1", "CronJob", "x", "x-uid")}
	default:
		j.OwnerReferences = []metav1.OwnerReference{controllerRef("batch/v1", "CronJob", cj.Name, cj.UID)}
	}
	if r.Bool() {
		j.Status.StartTime = &metav1.Time{Time: now.Add(-time.Duration(r.Intn(6)) * time.Hour)}
	}
	switch r.Intn(5) {
	case 1:
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobComplete, Status: v1.ConditionTrue}}
		if !r.OneIn(5) {
			ct := metav1.NewTime(now.Add(-time.Duration(r.Intn(300)) * time.Minute))
			j.Status.CompletionTime = &ct
		}
	case 2:
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: v1.ConditionTrue}}
	case 3:
		j.Status.Conditions = []batchv1.JobCondition{{Type: batchv1.JobFailed, Status: v1.ConditionTrue}, {Type: batchv1.JobComplete, Status: v1.ConditionTrue}}
	}
	if r.OneIn(10) {
		ts := ago(r, now)
		j.DeletionTimestamp = &ts
	}
	return j
}

// NextRunsInput is the input of cron.NextRuns.
type NextRunsInput struct {
	CronJob *batchv1.CronJob
	After   time.Time
	N       int
	Options cron.Options
}

// NextRuns builds a NextRuns input: any schedule (see Schedule), a time
// zone or none, a creation and last schedule time, and an instant to count
// from that may lie centuries away.
func NextRuns(r *Reader) NextRunsInput {
	created := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Intn(400*24)) * time.Hour)
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{Name: "f", Namespace: Namespace, UID: "f-uid", CreationTimestamp: metav1.NewTime(created)},
		Spec:       batchv1.CronJobSpec{Schedule: Schedule(r)},
	}
	if r.OneIn(3) {
		cj.Spec.TimeZone = ptrTo(Pick(r, append(zones, "", "Local", "Mars/Olympus", "../etc")...))
	}
	if r.Bool() {
		cj.Status.LastScheduleTime = &metav1.Time{Time: created.Add(time.Duration(r.Intn(1000)) * time.Minute)}
	}
	after := created.Add(time.Duration(r.IntRange(-1000, 100000)) * time.Minute)
	if r.OneIn(10) {
		after = after.AddDate(Pick(r, 290, 300, -300, 5000), 0, 0)
	}
	return NextRunsInput{CronJob: cj, After: after, N: r.IntRange(-1, 6), Options: cron.Options{Location: Location(r)}}
}

// CloneNextRuns deep-copies in.
func CloneNextRuns(in NextRunsInput) NextRunsInput {
	in.CronJob = in.CronJob.DeepCopy()
	return in
}
