package cron_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/apidefault"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/workload"
)

// TestScenarios runs the spec scenarios in testdata. A scenario file is a
// small world (one CronJob, its Jobs, a clock) driven by commands:
//
//	cronjob            the body's "cronjob" line replaces the CronJob and
//	                   its "job" lines replace the Jobs; the clock moves to
//	                   at=<time> when given
//	jobs               the body's "job" lines are added (or replace Jobs
//	                   of the same name)
//	clock <when>       moves the clock: an RFC 3339 time, a time of day
//	                   (12:05 or 12:05:30, same day, UTC) or +<duration>
//	reconcile [apply] [zone=<IANA zone>]
//	                   one sync; with apply, the plan is carried out: Jobs
//	                   are created (started at once, UID uid-<name>) or
//	                   deleted and the status is written
//	finish <job> complete|failed [at=<when>]
//	                   the Job finishes (default: now)
//	remove <job>       the Job disappears (deleted by someone else)
//	explain [zone=..]  why the sync starts a Job or not
//	next-runs n=<n> [zone=..]
//	                   the next n ticks after the clock
//
// Lines (parsed by internal/scenario):
//
//	cronjob <name> schedule=<cron, "_" for spaces> tz=<IANA zone>
//	        policy=Allow|Forbid|Replace suspend deadline=<seconds>
//	        keep=<successful>/<failed>|none created=<when>
//	        lastSchedule=<when> lastSuccess=<when> active=<job>,<job>
//	        deleting
//
// A CronJob is built as the API server stores it: suspend false, history
// limits 3/1 and the pod template defaulted, unless the line says
// otherwise (keep=none leaves the limits unset, as no API server does).
//
//	job <name> owner=<cronjob>|none|other ns=<ns> started=<when>
//	        complete=<when> failed=<when> nocompletiontime
//
// In a schedule "_" stands for a space (CRON_TZ keeps its underscore).
//
// Times (<when>) are as for clock; a bare duration is an age before now.
// Rewrite expected output with go test ./cron -run Scenarios -rewrite, then
// read every changed block against upstream.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			w := &world{now: scenario.Epoch}
			datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
				out, err := w.run(t, d)
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				return out
			})
		})
	}
}

// world is the state a scenario file builds up.
type world struct {
	now  time.Time
	cj   *batchv1.CronJob
	jobs []*batchv1.Job
}

func (w *world) run(t *testing.T, d *datadriven.TestData) (string, error) {
	switch d.Cmd {
	case "cronjob":
		return w.load(d, true)
	case "jobs":
		return w.load(d, false)
	case "clock":
		if len(d.CmdArgs) != 1 {
			return "", fmt.Errorf("clock wants one time")
		}
		t, err := when(d.CmdArgs[0].Key, w.now)
		if err != nil {
			return "", err
		}
		w.now = t
		return "now " + w.now.Format(time.RFC3339Nano) + "\n", nil
	case "reconcile":
		return w.reconcile(d)
	case "finish":
		return w.finish(d)
	case "remove":
		if len(d.CmdArgs) != 1 {
			return "", fmt.Errorf("remove wants a job name")
		}
		name := d.CmdArgs[0].Key
		w.jobs = slices.DeleteFunc(w.jobs, func(j *batchv1.Job) bool { return j.Name == name })
		return "ok\n", nil
	case "explain":
		e, err := cron.Explain(cron.State{CronJob: w.cj, Jobs: w.jobs}, w.now, options(d))
		if err != nil {
			return "", err
		}
		out := fmt.Sprintf("%s: %s\n", e.Reason, e.Message)
		for _, ev := range e.Events {
			out += "event " + ev.String() + "\n"
		}
		return out, nil
	case "next-runs":
		n := 5
		d.MaybeScanArgs(t, "n", &n)
		runs, err := cron.NextRuns(w.cj, w.now, n, options(d))
		if err != nil {
			return "", err
		}
		var b strings.Builder
		for _, r := range runs {
			fmt.Fprintf(&b, "%s  %s\n", r.Format(time.RFC3339), r.Format("Mon"))
		}
		if b.Len() == 0 {
			return "none\n", nil
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("unknown command %q", d.Cmd)
}

func options(d *datadriven.TestData) cron.Options {
	var o cron.Options
	if a, ok := d.Arg("zone"); ok && len(a.Vals) == 1 {
		loc, err := time.LoadLocation(a.Vals[0])
		if err == nil {
			o.Location = loc
		}
	}
	return o
}

// load reads cronjob and job lines.
func (w *world) load(d *datadriven.TestData, reset bool) (string, error) {
	if a, ok := d.Arg("at"); ok && len(a.Vals) == 1 {
		t, err := when(a.Vals[0], w.now)
		if err != nil {
			return "", err
		}
		w.now = t
	}
	lines, err := scenario.ParseLines(d.Input)
	if err != nil {
		return "", err
	}
	if reset {
		w.cj, w.jobs = nil, nil
	}
	for _, l := range lines {
		if l.Kind == "cronjob" {
			if w.cj, err = w.cronJob(l); err != nil {
				return "", err
			}
		}
	}
	for _, l := range lines {
		switch l.Kind {
		case "cronjob":
		case "job":
			j, err := w.job(l)
			if err != nil {
				return "", err
			}
			w.jobs = slices.DeleteFunc(w.jobs, func(o *batchv1.Job) bool { return o.Name == j.Name && o.Namespace == j.Namespace })
			w.jobs = append(w.jobs, j)
		default:
			return "", fmt.Errorf("unknown kind %q (want cronjob or job)", l.Kind)
		}
		if err := l.Unused(); err != nil {
			return "", err
		}
	}
	return "now " + w.now.Format(time.RFC3339Nano) + "\n", nil
}

func (w *world) cronJob(l *scenario.Line) (*batchv1.CronJob, error) {
	created, err := w.optTime(l, "created")
	if err != nil {
		return nil, err
	}
	if created == nil {
		created = &metav1.Time{Time: w.now}
	}
	cj := &batchv1.CronJob{
		ObjectMeta: metav1.ObjectMeta{
			Name: l.Name, Namespace: scenario.Namespace, UID: types.UID("uid-" + l.Name),
			CreationTimestamp: *created, ResourceVersion: "1",
		},
		Spec: batchv1.CronJobSpec{
			Schedule:          strings.ReplaceAll(strings.ReplaceAll(l.Str("schedule", "*/1_*_*_*_*"), "_", " "), "CRON TZ=", "CRON_TZ="),
			ConcurrencyPolicy: batchv1.ConcurrencyPolicy(l.Str("policy", string(batchv1.AllowConcurrent))),
			Suspend:           new(l.Has("suspend")),
			JobTemplate: batchv1.JobTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": l.Name}},
				Spec: batchv1.JobSpec{Template: apidefault.Template(corev1.PodTemplateSpec{Spec: corev1.PodSpec{
					RestartPolicy: corev1.RestartPolicyOnFailure,
					Containers:    []corev1.Container{{Name: "hello", Image: "busybox:1.28", Command: []string{"/bin/sh", "-c", "date; echo Hello"}}},
				}})},
			},
		},
	}
	if tz := l.Str("tz", ""); tz != "" {
		cj.Spec.TimeZone = &tz
	}
	if l.Has("deleting") {
		cj.DeletionTimestamp = &metav1.Time{Time: w.now}
	}
	if l.Has("deadline") {
		sds, err := l.Int("deadline", 0)
		if err != nil {
			return nil, err
		}
		cj.Spec.StartingDeadlineSeconds = &sds
	}
	keep := l.Str("keep", "3/1")
	if keep != "none" {
		var s, f int32
		if _, err := fmt.Sscanf(keep, "%d/%d", &s, &f); err != nil {
			return nil, fmt.Errorf("keep=%s: want <successful>/<failed>", keep)
		}
		cj.Spec.SuccessfulJobsHistoryLimit, cj.Spec.FailedJobsHistoryLimit = &s, &f
	}
	if cj.Status.LastScheduleTime, err = w.optTime(l, "lastSchedule"); err != nil {
		return nil, err
	}
	if cj.Status.LastSuccessfulTime, err = w.optTime(l, "lastSuccess"); err != nil {
		return nil, err
	}
	if names := l.Str("active", ""); names != "" {
		for _, n := range strings.Split(names, ",") {
			cj.Status.Active = append(cj.Status.Active, corev1.ObjectReference{
				Kind: "Job", APIVersion: "batch/v1", Namespace: scenario.Namespace, Name: n,
				UID: types.UID("uid-" + n), ResourceVersion: "1",
			})
		}
	}
	return cj, nil
}

func (w *world) job(l *scenario.Line) (*batchv1.Job, error) {
	j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{
		Name: l.Name, Namespace: l.Str("ns", scenario.Namespace), UID: types.UID("uid-" + l.Name), ResourceVersion: "1",
	}}
	switch owner := l.Str("owner", ""); {
	case owner == "none":
	case owner == "other":
		j.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(&metav1.ObjectMeta{Name: "other", UID: "uid-other"}, batchv1.SchemeGroupVersion.WithKind("CronJob"))}
	case owner != "":
		j.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(&metav1.ObjectMeta{Name: owner, UID: types.UID("uid-" + owner)}, batchv1.SchemeGroupVersion.WithKind("CronJob"))}
	case w.cj != nil:
		j.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(w.cj, batchv1.SchemeGroupVersion.WithKind("CronJob"))}
	}
	var err error
	if j.Status.StartTime, err = w.optTime(l, "started"); err != nil {
		return nil, err
	}
	noCompletionTime := l.Has("nocompletiontime")
	for _, c := range []struct {
		key  string
		kind batchv1.JobConditionType
	}{{"complete", batchv1.JobComplete}, {"failed", batchv1.JobFailed}} {
		t, err := w.optTime(l, c.key)
		if err != nil {
			return nil, err
		}
		if t != nil {
			finish(j, c.kind, *t)
		}
	}
	if noCompletionTime {
		j.Status.CompletionTime = nil
	}
	return j, nil
}

func finish(j *batchv1.Job, kind batchv1.JobConditionType, at metav1.Time) {
	j.Status.Conditions = append(j.Status.Conditions, batchv1.JobCondition{Type: kind, Status: corev1.ConditionTrue, LastTransitionTime: at})
	if kind == batchv1.JobComplete {
		j.Status.CompletionTime = &at
	}
}

func (w *world) optTime(l *scenario.Line, key string) (*metav1.Time, error) {
	s := l.Str(key, "")
	if s == "" {
		return nil, nil
	}
	t, err := when(s, w.now)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %s=%s: %v", l.Kind, l.Name, key, s, err)
	}
	return &metav1.Time{Time: t}, nil
}

// when reads an RFC 3339 time, a time of day on now's (UTC) date, a
// +duration after now or a duration before now.
func when(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			y, m, d := now.UTC().Date()
			return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC), nil
		}
	}
	if after, ok := strings.CutPrefix(s, "+"); ok {
		d, err := time.ParseDuration(after)
		return now.Add(d), err
	}
	d, err := time.ParseDuration(s)
	return now.Add(-d), err
}

func (w *world) finish(d *datadriven.TestData) (string, error) {
	if len(d.CmdArgs) < 2 {
		return "", fmt.Errorf("finish wants a job name and complete or failed")
	}
	name := d.CmdArgs[0].Key
	kind := map[string]batchv1.JobConditionType{"complete": batchv1.JobComplete, "failed": batchv1.JobFailed}[d.CmdArgs[1].Key]
	if kind == "" {
		return "", fmt.Errorf("finish %s: want complete or failed", name)
	}
	at := w.now
	if a, ok := d.Arg("at"); ok && len(a.Vals) == 1 {
		var err error
		if at, err = when(a.Vals[0], w.now); err != nil {
			return "", err
		}
	}
	for i, j := range w.jobs {
		if j.Name == name {
			j = j.DeepCopy()
			finish(j, kind, metav1.Time{Time: at})
			w.jobs[i] = j
			return "ok\n", nil
		}
	}
	return "", fmt.Errorf("no job %s", name)
}

func (w *world) reconcile(d *datadriven.TestData) (string, error) {
	plan, err := cron.Reconcile(cron.State{CronJob: w.cj, Jobs: w.jobs}, w.now, options(d))
	if err != nil {
		return "", err
	}
	out := render(plan)
	if d.HasArg("apply") {
		w.apply(plan)
	}
	return out, nil
}

// apply carries out a plan as an API server and a Job controller would:
// a created Job gets its UID and starts at once.
func (w *world) apply(p cron.Plan) {
	for _, a := range p.Actions {
		switch {
		case a.Verb == workload.Create:
			j := a.Object.(*batchv1.Job).DeepCopy()
			j.Namespace = a.Namespace
			j.UID = types.UID("uid-" + j.Name)
			j.ResourceVersion = "1"
			j.CreationTimestamp = metav1.Time{Time: w.now}
			j.Status.StartTime = &metav1.Time{Time: w.now}
			w.jobs = append(w.jobs, j)
			cron.RecordCreated(p, j)
		case a.Verb == workload.Delete:
			w.jobs = slices.DeleteFunc(w.jobs, func(j *batchv1.Job) bool { return j.Name == a.Name && j.Namespace == a.Namespace })
		case a.Verb == workload.UpdateStatus:
			w.cj = a.Object.(*batchv1.CronJob).DeepCopy()
		}
	}
}

// render prints a plan: each action, the new Job's scheduled-timestamp
// annotation, the delete propagation, the status written, the requeue and
// the events.
func render(p cron.Plan) string {
	return scenario.RenderPlan(p.Plan, cronDetail)
}

// cronDetail is the RenderPlan detail of CronJob scenarios: the scheduled
// time of a created Job, the status a status write sends, the propagation
// policy of a delete.
func cronDetail(a workload.Action) []string {
	var lines []string
	switch o := a.Object.(type) {
	case *batchv1.Job:
		lines = append(lines, fmt.Sprintf("annotation %s=%s", batchv1.CronJobScheduledTimestampAnnotation, o.Annotations[batchv1.CronJobScheduledTimestampAnnotation]))
	case *batchv1.CronJob:
		lines = append(lines, statusLine(o.Status))
	}
	if a.DeleteOptions != nil && a.DeleteOptions.PropagationPolicy != nil {
		lines = append(lines, fmt.Sprintf("propagationPolicy=%s", *a.DeleteOptions.PropagationPolicy))
	}
	return lines
}

func statusLine(s batchv1.CronJobStatus) string {
	names := make([]string, len(s.Active))
	for i, r := range s.Active {
		names[i] = r.Name
	}
	stamp := func(t *metav1.Time) string {
		if t == nil {
			return "nil"
		}
		return t.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("status: active=[%s] lastScheduleTime=%s lastSuccessfulTime=%s",
		strings.Join(names, " "), stamp(s.LastScheduleTime), stamp(s.LastSuccessfulTime))
}
