package daemonset

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/workload"
)

func TestDaemonSetConformance(t *testing.T) {
	seen := check.Coverage{}
	check.Run(t, "DaemonSet", func(rt *rapid.T) string {
		st := gen.DaemonSet(rt, epoch)
		plan, msg := compare(st, epoch)
		for _, k := range planKinds(plan.Plan) {
			seen.Add(k)
		}
		return msg
	})
	seen.Require(t, "create pods", "delete pods", "patch pods", "create controllerrevisions", "update controllerrevisions",
		"delete controllerrevisions", "patch controllerrevisions", "update-status daemonsets", "requeue after",
		"rate-limited requeue", "rolling update", "no calls",
		"event SuccessfulCreate", "event SuccessfulDelete", "event FailedDaemonPod", "event SucceededDaemonPod", "event SelectingAll")
}

// planKinds names the kinds of calls a plan makes, for coverage.
func planKinds(plan workload.Plan) []string {
	kinds := map[string]bool{}
	for _, a := range plan.Actions {
		kinds[string(a.Verb)+" "+a.Resource] = true
		if strings.HasPrefix(a.Reason, "rolling update") {
			kinds["rolling update"] = true
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
	if plan.Requeue {
		kinds["rate-limited requeue"] = true
	}
	var out []string
	for k := range kinds {
		out = append(out, k)
	}
	return out
}

// compare runs both sides on st and describes any difference in the calls,
// the requeue or the back-off.
func compare(st gen.DaemonSetState, now time.Time) (daemon.Plan, string) {
	hs := harness.DaemonSetState{DaemonSet: st.DaemonSet, Revisions: st.Revisions, Pods: st.Pods, Nodes: st.Nodes,
		Backoff: map[string]harness.BackoffEntry{}}
	for k, e := range st.Backoff {
		hs.Backoff[k] = harness.BackoffEntry{Delay: e.Delay, LastUpdate: e.LastUpdate}
	}
	up, err := harness.SyncDaemonSet(hs, now)
	if err != nil {
		return daemon.Plan{}, "harness: " + err.Error()
	}
	plan, err := daemon.Reconcile(st.State(), now)
	if err != nil {
		return plan, describe(st) + "kubepure refused a valid state: " + err.Error()
	}
	var problems []string
	tied := false
	if d := harness.DiffCalls(harness.RenderAll(up.Calls), harness.RenderAll(plan.Actions)); d != "" {
		if rollingTie(st, up.Calls, plan.Actions, now) {
			tied = true
		} else if w, ok := rollingWitness(hs, st, up.Calls, plan.Actions, now); ok {
			up = w
		} else {
			problems = append(problems, d)
		}
	}
	if d := diffEvents(up.Result, plan.Events, tied); d != "" {
		problems = append(problems, d)
	}
	var upAfter time.Duration
	for i, d := range up.RequeueAfter {
		if i == 0 || d < upAfter {
			upAfter = d
		}
	}
	if upAfter != plan.RequeueAfter {
		problems = append(problems, fmt.Sprintf("requeue after: upstream %v, kubepure %v", up.RequeueAfter, plan.RequeueAfter))
	}
	if upRequeue := up.SyncErr != nil || up.RateLimited > 0; upRequeue != plan.Requeue {
		problems = append(problems, fmt.Sprintf("rate-limited requeue: upstream %v (sync error %v), kubepure %v", upRequeue, up.SyncErr, plan.Requeue))
	}
	for k, e := range plan.Backoff {
		if d := up.BackoffDelay(k); d != e.Delay {
			problems = append(problems, fmt.Sprintf("back-off %s: upstream %v, kubepure %v", k, d, e.Delay))
		}
	}
	if len(problems) == 0 {
		return plan, ""
	}
	return plan, describe(st) + strings.Join(problems, "\n")
}

// diffEvents compares the events of both sides.
//
// Normalisation (conformance/README.md): upstream records the events of
// one sync in three stretches: FailedDaemonPod and SucceededDaemonPod
// while it walks the nodes (in its node cache's order, a map walk), then
// one SuccessfulCreate per create and one SuccessfulDelete per delete,
// each stretch from goroutines running concurrently. So within a maximal
// run of events of one stretch the order is not upstream's to define, and
// the run is compared as a multiset; the order of the stretches is
// compared. Created pods' generated names read as "" (EventStrings). When
// the calls were accepted as a rolling-update tie (rollingTie), the names
// in "Deleted pod:" messages are left out, since the deletes are already
// checked to be picks upstream could make; a witness sync
// (rollingWitness) made kubepure's very calls, so its events are compared
// in full.
func diffEvents(up harness.Result, ours []workload.Event, tied bool) string {
	want := eventRuns(up.Events, up.Generated, tied)
	got := eventRuns(ours, nil, tied)
	if slices.Equal(want, got) {
		return ""
	}
	return fmt.Sprintf("events differ:\n  upstream: %q\n  kubepure: %q", want, got)
}

// eventRuns renders events with harness.EventStrings and sorts each
// maximal run of events of one stretch (see diffEvents).
func eventRuns(events []workload.Event, generated []string, tied bool) []string {
	out := harness.EventStrings(events, generated)
	stretch := func(e workload.Event) int {
		switch e.Reason {
		case workload.EventSuccessfulCreate:
			return 1
		case workload.EventSuccessfulDelete:
			return 2
		}
		return 0
	}
	for i := 0; i < len(events); {
		j := i
		for j < len(events) && stretch(events[j]) == stretch(events[i]) {
			j++
		}
		if tied {
			for k := i; k < j; k++ {
				if n := strings.Index(out[k], "Deleted pod: "); n >= 0 {
					out[k] = out[k][:n] + "Deleted pod: (tied)"
				}
			}
		}
		sort.Strings(out[i:j])
		i = j
	}
	return out
}

func describe(st gen.DaemonSetState) string {
	var b strings.Builder
	ds := st.DaemonSet
	fmt.Fprintf(&b, "daemonset gen=%d strategy=%s %+v minReady=%d history=%d annotations=%v deleting=%v image=%s\n  placement nodeSelector=%v affinity=%v tolerations=%v hostNetwork=%v\n  status=%+v\n",
		ds.Generation, ds.Spec.UpdateStrategy.Type, ds.Spec.UpdateStrategy.RollingUpdate, ds.Spec.MinReadySeconds, *ds.Spec.RevisionHistoryLimit,
		ds.Annotations, ds.DeletionTimestamp != nil, ds.Spec.Template.Spec.Containers[0].Image,
		ds.Spec.Template.Spec.NodeSelector, ds.Spec.Template.Spec.Affinity, ds.Spec.Template.Spec.Tolerations, ds.Spec.Template.Spec.HostNetwork, ds.Status)
	for _, n := range st.Nodes {
		fmt.Fprintf(&b, "  node %s labels=%v taints=%v unschedulable=%v\n", n.Name, n.Labels, n.Spec.Taints, n.Spec.Unschedulable)
	}
	for _, r := range st.Revisions {
		fmt.Fprintf(&b, "  revision %s rev=%d labels=%v owner=%v\n", r.Name, r.Revision, r.Labels, r.OwnerReferences)
	}
	for _, p := range st.Pods {
		node, _ := dsutil.TargetNode(p)
		fmt.Fprintf(&b, "  pod %s node=%s(%q) phase=%s ready=%v labels=%v created=%s deleting=%v owner=%v\n", p.Name, node, p.Spec.NodeName, p.Status.Phase,
			p.Status.Conditions, p.Labels, p.CreationTimestamp.Format(time.TimeOnly), p.DeletionTimestamp != nil, len(p.OwnerReferences))
	}
	fmt.Fprintf(&b, "  backoff=%v\n", st.Backoff)
	return b.String()
}
