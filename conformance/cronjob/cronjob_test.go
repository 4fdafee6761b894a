package cronjob

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	batch "k8s.io/api/batch/v1"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/workload"
)

// controllerZones are the local time zones the upstream controller is run
// in. Upstream reads a schedule without spec.timeZone in the process's
// local zone: robfig parses it into time.Local and then evaluates it in the
// location of the time it is given, which for the controller's clock
// (time.Now) is time.Local again. The test sets time.Local for each state
// and hands upstream's clock the state's time in that zone; kubepure takes
// the zone as Options.Location. Nothing else in this test binary runs while
// a state is compared.
var controllerZones = []string{"UTC", "America/New_York", "Asia/Kolkata"}

func TestCronJobConformance(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	seen := check.Coverage{}
	check.Run(t, "CronJob", func(rt *rapid.T) string {
		zone, err := time.LoadLocation(rapid.SampledFrom(controllerZones).Draw(rt, "controllerZone"))
		if err != nil {
			return err.Error()
		}
		time.Local = zone
		st, now := gen.CronJob(rt)
		st = decoded(rt, st)
		plan, msg := compare(st, now, zone)
		for _, a := range plan.Actions {
			seen.Add(string(a.Verb) + " " + a.Resource)
		}
		for _, e := range plan.Events {
			seen.Add("event " + e.Reason)
		}
		if plan.RequeueAfter > 0 {
			seen.Add("requeue after")
		}
		if strings.Contains(st.CronJob.Spec.Schedule, "TZ") && st.CronJob.Spec.TimeZone != nil && slices.ContainsFunc(plan.Actions, func(a workload.Action) bool { return a.Verb == workload.Create }) {
			seen.Add("tz prefix with timeZone")
		}
		return msg
	})
	// The guarded objects (stored under older validation rules) must be
	// among the states compared: an unparseable schedule, an unknown
	// spec.timeZone, a TZ prefix (alone or with spec.timeZone), and the
	// startingDeadlineSeconds whose duration wraps around to MinInt64.
	seen.Require(t, "create jobs", "delete jobs", "update-status cronjobs", "requeue after",
		"event SuccessfulCreate", "event SawCompletedJob", "event UnexpectedJob", "event SuccessfulDelete",
		"event UnparseableSchedule", "event UnknownTimeZone", "event UnsupportedSchedule", "tz prefix with timeZone",
		"event MissSchedule", "event MissingJob", "event JobAlreadyActive", "event TooManyMissedTimes")
}

// decoded returns the state as the controller's informers would hold it:
// encoded and decoded again, which puts every timestamp in time.Local, as
// metav1.Time's decoders do. Upstream feeds those timestamps to robfig,
// which evaluates a schedule without spec.timeZone in the location of the
// time it is given, so this is what makes the controller's zone matter.
func decoded(t *rapid.T, st gen.CronJobState) gen.CronJobState {
	var out gen.CronJobState
	out.CronJob = roundTrip(t, st.CronJob, &batch.CronJob{})
	for _, j := range st.Jobs {
		out.Jobs = append(out.Jobs, roundTrip(t, j, &batch.Job{}))
	}
	return out
}

func roundTrip[T any](t *rapid.T, in T, out T) T {
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return out
}

func compare(st gen.CronJobState, now time.Time, zone *time.Location) (cron.Plan, string) {
	up, err := harness.SyncCronJob(harness.CronJobState{CronJob: st.CronJob, Jobs: st.Jobs}, now.In(zone))
	if err != nil {
		return cron.Plan{}, "harness: " + err.Error()
	}
	plan, err := cron.Reconcile(cron.State{CronJob: st.CronJob, Jobs: st.Jobs}, now, cron.Options{Location: zone})
	if err != nil {
		return plan, describe(st, now, zone) + "kubepure refused a valid state: " + err.Error()
	}
	createdRefs(up.Calls)
	var problems []string
	if d := harness.DiffCalls(harness.RenderAll(up.Calls), harness.RenderAll(plan.Actions)); d != "" {
		problems = append(problems, d)
	}
	if d := diffEvents(up.Events, plan.Events); d != "" {
		problems = append(problems, d)
	}
	if d := diffRequeue(up, plan); d != "" {
		problems = append(problems, d)
	}
	if len(problems) == 0 {
		return plan, ""
	}
	return plan, describe(st, now, zone) + strings.Join(problems, "\n")
}

// createdRefs clears the UID and resourceVersion of status.active entries
// that name a Job upstream created in the same sync.
//
// Normalisation, and why it is sound: upstream copies them from the
// create's response, which the API server (here the harness's create
// reactor) fills in; a plan cannot know them, so its entry leaves them
// empty for the caller to fill from its own create response
// (cron.RecordCreated). Every other field of the entry is compared.
func createdRefs(calls []workload.Action) {
	created := map[string]bool{}
	for _, c := range calls {
		if c.Verb == workload.Create && c.Resource == "jobs" {
			created[c.Namespace+"/"+c.Name] = true
		}
	}
	for _, c := range calls {
		cj, ok := c.Object.(*batch.CronJob)
		if !ok {
			continue
		}
		for i, ref := range cj.Status.Active {
			if created[ref.Namespace+"/"+ref.Name] && strings.HasPrefix(string(ref.UID), "created-") {
				cj.Status.Active[i].UID, cj.Status.Active[i].ResourceVersion = "", ""
			}
		}
	}
}

// diffEvents compares events as multisets.
//
// Normalisation, and why it is sound: upstream walks the CronJob's Jobs in
// the order of its informer index (map order), so events about several
// Jobs come in no defined order; kubepure walks them by namespace and name.
// Which events are emitted, and how often, is compared exactly.
func diffEvents(up []string, ours []workload.Event) string {
	var got []string
	for _, e := range ours {
		got = append(got, e.Type+" "+e.Reason+" "+e.Message)
	}
	want := slices.Clone(up)
	slices.Sort(want)
	slices.Sort(got)
	if slices.Equal(want, got) {
		return ""
	}
	return fmt.Sprintf("events differ:\n  upstream: %q\n  kubepure: %q", want, got)
}

// diffRequeue compares upstream's requeue (the error that makes its worker
// retry with rate limiting, or the delay it returns) with the plan's.
func diffRequeue(up harness.CronJobResult, plan cron.Plan) string {
	switch {
	case up.SyncErr != nil:
		if !plan.Requeue {
			return fmt.Sprintf("upstream failed (%v) and retries; kubepure does not requeue", up.SyncErr)
		}
	case up.RequeueAfter == nil:
		if plan.Requeue || plan.RequeueAfter != 0 {
			return fmt.Sprintf("upstream does not requeue; kubepure requeue=%v after=%v", plan.Requeue, plan.RequeueAfter)
		}
	case *up.RequeueAfter <= 0:
		if !plan.Requeue {
			return fmt.Sprintf("upstream requeues at once (%v); kubepure after=%v", *up.RequeueAfter, plan.RequeueAfter)
		}
	default:
		if plan.RequeueAfter != *up.RequeueAfter || plan.Requeue {
			return fmt.Sprintf("requeue: upstream after %v, kubepure requeue=%v after=%v", *up.RequeueAfter, plan.Requeue, plan.RequeueAfter)
		}
	}
	return ""
}

func describe(st gen.CronJobState, now time.Time, zone *time.Location) string {
	var b strings.Builder
	cj := st.CronJob
	fmt.Fprintf(&b, "now=%s controllerZone=%s\ncronjob schedule=%q timeZone=%v policy=%s suspend=%v deadline=%v limits=%v/%v deleting=%v created=%s\n  status=%+v\n",
		now.Format(time.RFC3339Nano), zone, cj.Spec.Schedule, deref(cj.Spec.TimeZone), cj.Spec.ConcurrencyPolicy, cj.Spec.Suspend,
		cj.Spec.StartingDeadlineSeconds, cj.Spec.SuccessfulJobsHistoryLimit, cj.Spec.FailedJobsHistoryLimit,
		cj.DeletionTimestamp != nil, cj.CreationTimestamp.Format(time.RFC3339), cj.Status)
	for _, j := range st.Jobs {
		fmt.Fprintf(&b, "  job %s owner=%v conditions=%v start=%v completion=%v\n", j.Name, j.OwnerReferences, j.Status.Conditions, j.Status.StartTime, j.Status.CompletionTime)
	}
	return b.String()
}

func deref(s *string) string {
	if s == nil {
		return "nil"
	}
	return *s
}

// TestCronJobListedAtScale compares the state that used to cost kubepure
// quadratic memory (every finished Job still listed in status.active) with
// upstream, to show the linear bookkeeping gives the same plan.
func TestCronJobListedAtScale(t *testing.T) {
	for _, n := range []int{1, 2, 50, 400} {
		st, now := gen.CronJobListedAtScale(n)
		if _, msg := compare(st, now, time.UTC); msg != "" {
			t.Errorf("jobs=%d: %s", n, msg)
		}
	}
}
