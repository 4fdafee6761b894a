package job

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubernetes/pkg/controller"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/job"
	"github.com/kubepure/kubepure/workload"
)

// syncTime is the time both sides sync at. The Job controller reads only
// the fake clock it is built with, so any whole second will do.
var syncTime = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

func TestJobConformance(t *testing.T) {
	seen := check.Coverage{}
	check.Run(t, "Job", func(rt *rapid.T) string {
		st := gen.Job(rt, syncTime)
		plan, msg := compare(st, syncTime)
		for _, k := range planKinds(plan) {
			seen.Add(k)
		}
		return msg
	})
	seen.Require(t, "create pods", "delete pods", "patch pods", "update-status jobs", "no calls",
		"requeue after", "condition FailureTarget", "condition Failed", "condition SuccessCriteriaMet",
		"condition Complete", "condition Suspended", "backoff wait",
		"event SuccessfulCreate", "event SuccessfulDelete", "event Completed", "event Suspended", "event Resumed",
		"event BackoffLimitExceeded", "event DeadlineExceeded", "event TooManySucceededPods", "event UnknownCompletionMode")
}

// TestJobTrajectories syncs, applies kubepure's plan to a toy API server,
// lets pods progress and time pass, and syncs again, comparing every step
// and carrying the back-off record on both sides.
func TestJobTrajectories(t *testing.T) {
	check.RunN(t, "JobTrajectory", check.Trajectories(), func(rt *rapid.T) string {
		now := syncTime
		st := gen.Job(rt, now)
		steps := rapid.IntRange(2, 6).Draw(rt, "steps")
		for step := range steps {
			plan, msg := compare(st, now)
			if msg != "" {
				return fmt.Sprintf("step %d of %d:\n%s", step+1, steps, msg)
			}
			st, now = gen.ProgressJob(rt, gen.ApplyJobPlan(st, plan.Actions, plan.Backoff, step, now), now)
		}
		return ""
	})
}

// planKinds names the kinds of decisions a plan holds, for coverage.
func planKinds(plan job.Plan) []string {
	kinds := map[string]bool{}
	for _, a := range plan.Actions {
		kinds[string(a.Verb)+" "+a.Resource] = true
		if j, ok := a.Object.(*batch.Job); ok {
			for _, cond := range j.Status.Conditions {
				kinds["condition "+string(cond.Type)] = true
			}
		}
	}
	if len(plan.Actions) == 0 {
		kinds["no calls"] = true
	}
	for _, e := range plan.Events {
		kinds["event "+e.Reason] = true
	}
	if plan.RequeueAfter > 0 {
		kinds["requeue after"] = true
	}
	if plan.RequeueAfter > time.Second && plan.Backoff.FailuresAfterLastSuccess > 0 {
		kinds["backoff wait"] = true
	}
	var out []string
	for k := range kinds {
		out = append(out, k)
	}
	return out
}

// compare runs both sides on st and describes any difference in the calls,
// the requeue, or the back-off record kept afterwards.
func compare(st gen.JobState, now time.Time) (job.Plan, string) {
	up, err := harness.SyncJob(harness.JobState{Job: st.Job, Pods: st.Pods, Failures: st.Failures, LastFailure: st.LastFailure}, now)
	if err != nil {
		return job.Plan{}, "harness: " + err.Error()
	}
	plan, err := job.Reconcile(job.State{Job: st.Job, Pods: st.Pods, Backoff: backoff.JobRecord{FailuresAfterLastSuccess: st.Failures, LastFailureTime: st.LastFailure}}, now)
	if err != nil {
		return plan, describe(st) + "kubepure refused a valid state: " + err.Error()
	}
	var problems []string
	if up.SyncErr != nil {
		problems = append(problems, "upstream sync failed: "+up.SyncErr.Error())
	}
	want, got := render(up.Calls), render(plan.Actions)
	var ties tieChoice
	if d := harness.DiffCalls(want, got); d != "" {
		got, ties = resolveTies(st, up.Calls, plan.Actions, got)
		if d := harness.DiffCalls(want, got); d != "" {
			problems = append(problems, d+"\nupstream calls:\n  "+strings.Join(want, "\n  ")+"\nkubepure calls:\n  "+strings.Join(got, "\n  "))
		}
	}
	wantEv, gotEv := eventLines(up.Events, up.Generated), eventLines(ties.events(plan.Events), nil)
	if !slices.Equal(wantEv, gotEv) {
		problems = append(problems, "events differ:\nupstream events:\n  "+strings.Join(wantEv, "\n  ")+"\nkubepure events:\n  "+strings.Join(gotEv, "\n  "))
	}
	// The delaying queue keeps the earliest of several AddAfter calls of
	// one key; a plan has one RequeueAfter.
	var upAfter time.Duration
	if len(up.RequeueAfter) > 0 {
		upAfter = slices.Min(up.RequeueAfter)
	}
	if upAfter != plan.RequeueAfter || up.RateLimited != 0 || plan.Requeue {
		problems = append(problems, fmt.Sprintf("requeue: upstream after=%v rateLimited=%d, kubepure after=%v requeue=%v", up.RequeueAfter, up.RateLimited, plan.RequeueAfter, plan.Requeue))
	}
	if up.Failures != plan.Backoff.FailuresAfterLastSuccess || !sameTime(up.LastFailure, plan.Backoff.LastFailureTime) {
		problems = append(problems, fmt.Sprintf("back-off record: upstream %d/%v, kubepure %d/%v", up.Failures, up.LastFailure, plan.Backoff.FailuresAfterLastSuccess, plan.Backoff.LastFailureTime))
	}
	if len(problems) == 0 {
		return plan, ""
	}
	return plan, describe(st) + strings.Join(problems, "\n")
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// render renders calls for comparison, with two normalisations upstream's
// concurrency calls for (README, Normalisations):
//
//   - uncountedTerminatedPods lists are sorted: upstream appends UIDs in
//     informer-cache order, and the API treats the lists as sets;
//   - the pod calls between the claim patches and the first status write
//     are compared as a multiset: upstream issues each surplus pod's
//     finalizer removal and delete from its own goroutine, so patches and
//     deletes of different pods interleave in any order. Claim patches
//     (which carry ownerReferences) stay in front, as upstream makes them
//     before any goroutine starts.
func render(actions []workload.Action) []string {
	normal := make([]workload.Action, len(actions))
	for i, a := range actions {
		if j, ok := a.Object.(*batch.Job); ok && j.Status.UncountedTerminatedPods != nil {
			j = j.DeepCopy()
			slices.Sort(j.Status.UncountedTerminatedPods.Succeeded)
			slices.Sort(j.Status.UncountedTerminatedPods.Failed)
			a.Object = j
		}
		normal[i] = a
	}
	lines := make([]string, len(normal))
	for i, a := range normal {
		lines[i] = harness.Render(a)
	}
	start := 0
	for start < len(normal) && normal[start].Verb == workload.Patch && strings.Contains(string(normal[start].Patch), "ownerReferences") {
		start++
	}
	end := start
	for end < len(normal) && normal[end].Resource == "pods" && normal[end].Verb != workload.Create {
		end++
	}
	slices.Sort(lines[:start])
	slices.Sort(lines[start:end])
	// Everywhere else, as in every comparison: order inside a run of like
	// calls is not compared.
	for i := end; i < len(normal); {
		k := i + 1
		for k < len(normal) && normal[k].Verb == normal[i].Verb && normal[k].Resource == normal[i].Resource {
			k++
		}
		slices.Sort(lines[i:k])
		i = k
	}
	return lines
}

// eventLines renders events for comparison (README, Normalisations): the
// name the fake API server generated for a created pod is replaced by the
// request's empty name, and the leading run of pod-control events
// (SuccessfulCreate, SuccessfulDelete) is compared as a multiset, since
// upstream issues those calls from one goroutine per pod. The Job's own
// events (Suspended, Resumed, Completed, the failure Warning ...) come
// from sequential code after them and keep their order.
func eventLines(events []workload.Event, generated []string) []string {
	lines := harness.EventStrings(events, generated)
	k := 0
	for k < len(events) && (events[k].Reason == workload.EventSuccessfulCreate || events[k].Reason == workload.EventSuccessfulDelete) {
		k++
	}
	slices.Sort(lines[:k])
	return lines
}

// tieChoice is how resolveTies rewrote kubepure's choices into upstream's:
// deleted pods renamed, and the FailJob message replaced.
type tieChoice struct {
	names   map[string]string
	message map[string]string
}

// events applies the same rewrite to kubepure's events: a deleted pod's
// event names the pod upstream deleted, and the failure Warning carries
// upstream's message.
func (c tieChoice) events(events []workload.Event) []workload.Event {
	if len(c.names) == 0 && len(c.message) == 0 {
		return events
	}
	out := slices.Clone(events)
	for i, e := range out {
		if name, ok := strings.CutPrefix(e.Message, "Deleted pod: "); ok && e.Reason == workload.EventSuccessfulDelete {
			if to, ok := c.names[name]; ok {
				out[i].Message = "Deleted pod: " + to
			}
		}
		if to, ok := c.message[e.Message]; ok {
			out[i].Message = to
		}
	}
	return out
}

// resolveTies accepts outcomes upstream could equally have produced where
// its choice follows informer order (README, Normalisations): which of
// several matching pods names the FailJob message, and which of equally
// ranked active pods are deleted. When kubepure's choice is among
// upstream's possible ones, its calls are rewritten to upstream's choice
// and rendered again, and the rewrite is returned for the events;
// otherwise they are returned unchanged.
func resolveTies(st gen.JobState, upCalls, calls []workload.Action, got []string) ([]string, tieChoice) {
	j := st.Job
	// FailJob message: any failed claimed pod matching a FailJob rule.
	upMsg, myMsg := failureMessage(upCalls), failureMessage(calls)
	replace := map[string]string{}
	if upMsg != myMsg && upMsg != "" && myMsg != "" && j.Spec.PodFailurePolicy != nil {
		candidates := map[string]bool{}
		for _, p := range st.Pods {
			if p.Status.Phase == v1.PodFailed || (p.DeletionTimestamp != nil && p.Status.Phase != v1.PodSucceeded && (j.Spec.PodReplacementPolicy == nil || *j.Spec.PodReplacementPolicy != batch.Failed)) {
				if v := job.MatchPodFailurePolicy(j.Spec.PodFailurePolicy, p); v.Action == batch.PodFailurePolicyActionFailJob {
					candidates[v.Message] = true
				}
			}
		}
		if candidates[upMsg] && candidates[myMsg] {
			replace[myMsg] = upMsg
		}
	}
	// Deleted pods: a bijection between kubepure's and upstream's deleted
	// pods that pairs pods upstream's removal order cannot tell apart.
	upDel, myDel := deletedPods(upCalls), deletedPods(calls)
	names := map[string]string{}
	if !slices.Equal(upDel, myDel) && len(upDel) == len(myDel) {
		byName := map[string]*v1.Pod{}
		for _, p := range st.Pods {
			byName[p.Name] = p
		}
		onlyUp, onlyMine := minus(upDel, myDel), minus(myDel, upDel)
		used := map[string]bool{}
		for _, m := range onlyMine {
			for _, u := range onlyUp {
				if !used[u] && byName[m] != nil && byName[u] != nil && tied(j, byName[m], byName[u]) {
					used[u] = true
					names[m] = u
					break
				}
			}
		}
		if len(names) != len(onlyMine) {
			names = nil
		}
	}
	if len(replace) == 0 && len(names) == 0 {
		return got, tieChoice{}
	}
	byName := map[string]*v1.Pod{}
	for _, p := range st.Pods {
		byName[p.Name] = p
	}
	var rewritten []workload.Action
	for _, a := range calls {
		if to, ok := names[a.Name]; ok && a.Resource == "pods" {
			switch {
			case a.Verb == workload.Delete:
				// Upstream removes the tracking finalizer before deleting
				// a surplus pod only if the pod has it (an adopted pod
				// counts as having it): swapping pods swaps that patch.
				from := a.Name
				a.Name = to
				rewritten = append(rewritten, a)
				if carriesFinalizer(byName[to]) && !carriesFinalizer(byName[from]) {
					rewritten = append(rewritten, finalizerRemoval(a.Namespace, to))
				}
				continue
			case strings.Contains(string(a.Patch), "ownerReferences"):
				// A claim patch names the pod claimed, not the one chosen.
			default:
				if !carriesFinalizer(byName[to]) {
					continue // the pod swapped in has no finalizer to remove
				}
				a.Name = to
			}
		}
		if jb, ok := a.Object.(*batch.Job); ok && len(replace) > 0 {
			jb = jb.DeepCopy()
			for k := range jb.Status.Conditions {
				if to, ok := replace[jb.Status.Conditions[k].Message]; ok {
					jb.Status.Conditions[k].Message = to
				}
			}
			a.Object = jb
		}
		rewritten = append(rewritten, a)
	}
	return render(rewritten), tieChoice{names: names, message: replace}
}

// tied reports whether upstream's removal order puts neither pod before
// the other, so that upstream deletes either depending on informer order.
// For an Indexed Job the two must also share a completion index, or both
// have a valid one: pods without a valid index are deleted whatever their
// rank, and a repeated index gives up its surplus pods first, so only
// pods competing for the same place can swap.
func tied(j *batch.Job, a, b *v1.Pod) bool {
	ps := controller.ActivePods{a, b}
	if ps.Less(0, 1) || ps.Less(1, 0) {
		return false
	}
	if j.Spec.CompletionMode == nil || *j.Spec.CompletionMode != batch.IndexedCompletion {
		return true
	}
	ia, ib := a.Annotations[batch.JobCompletionIndexAnnotation], b.Annotations[batch.JobCompletionIndexAnnotation]
	return ia == ib || (validIndex(ia, *j.Spec.Completions) && validIndex(ib, *j.Spec.Completions))
}

func validIndex(s string, completions int32) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 0 && n < int(completions)
}

// carriesFinalizer reports whether a claimed pod has the tracking
// finalizer during the sync: its own, or the one its adoption adds.
func carriesFinalizer(p *v1.Pod) bool {
	if p == nil {
		return false
	}
	return slices.Contains(p.Finalizers, batch.JobTrackingFinalizer) || metav1.GetControllerOfNoCopy(p) == nil
}

func finalizerRemoval(ns, name string) workload.Action {
	return workload.Action{
		Verb: workload.Patch, Resource: "pods", Namespace: ns, Name: name, PatchType: types.StrategicMergePatchType,
		Patch: []byte(`{"metadata":{"$deleteFromPrimitiveList/finalizers":["` + batch.JobTrackingFinalizer + `"]}}`),
	}
}

func failureMessage(calls []workload.Action) string {
	for _, a := range calls {
		if j, ok := a.Object.(*batch.Job); ok {
			for _, c := range j.Status.Conditions {
				if c.Type == batch.JobFailureTarget && c.Reason == batch.JobReasonPodFailurePolicy {
					return c.Message
				}
			}
		}
	}
	return ""
}

func deletedPods(calls []workload.Action) []string {
	var out []string
	for _, a := range calls {
		if a.Verb == workload.Delete && a.Resource == "pods" {
			out = append(out, a.Name)
		}
	}
	slices.Sort(out)
	return out
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func describe(st gen.JobState) string {
	var b strings.Builder
	j := st.Job
	fmt.Fprintf(&b, "job spec: completions=%v parallelism=%v mode=%v backoffLimit=%v perIndex=%v maxFailed=%v suspend=%v ads=%v replacement=%v restart=%s managedBy=%v deleting=%v pfp=%+v success=%+v\n",
		deref(j.Spec.Completions), deref(j.Spec.Parallelism), deref(j.Spec.CompletionMode), deref(j.Spec.BackoffLimit), deref(j.Spec.BackoffLimitPerIndex),
		deref(j.Spec.MaxFailedIndexes), deref(j.Spec.Suspend), deref(j.Spec.ActiveDeadlineSeconds), deref(j.Spec.PodReplacementPolicy),
		j.Spec.Template.Spec.RestartPolicy, deref(j.Spec.ManagedBy), j.DeletionTimestamp != nil, j.Spec.PodFailurePolicy, j.Spec.SuccessPolicy)
	fmt.Fprintf(&b, "job status: %+v\n", j.Status)
	fmt.Fprintf(&b, "backoff: %d %v\n", st.Failures, st.LastFailure)
	for _, p := range st.Pods {
		fmt.Fprintf(&b, "  pod %s phase=%s node=%q deleting=%v owner=%v labels=%v finalizers=%v ann=%v conds=%v cs=%v ics=%v\n",
			p.Name, p.Status.Phase, p.Spec.NodeName, p.DeletionTimestamp != nil, p.OwnerReferences, p.Labels, p.Finalizers, p.Annotations, p.Status.Conditions, p.Status.ContainerStatuses, p.Status.InitContainerStatuses)
	}
	return b.String()
}

func deref[T any](p *T) any {
	if p == nil {
		return "nil"
	}
	return *p
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
