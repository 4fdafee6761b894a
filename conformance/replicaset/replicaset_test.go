package replicaset

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	apps "k8s.io/api/apps/v1"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/workload"
)

// syncTime is the time both sides sync at. The upstream controller's own
// clock is pinned to it; its deletion ranking still reads the wall clock,
// so it is the current second, and generated ages keep clear of the ranking's
// bucket edges by more than the drift of one sync (see internal/gen).
func syncTime() time.Time { return time.Now().Truncate(time.Second) }

func TestReplicaSetConformance(t *testing.T) {
	seen := check.Coverage{}
	check.Run(t, "ReplicaSet", func(rt *rapid.T) string {
		now := syncTime()
		st := gen.ReplicaSet(rt, now)
		if rapid.IntRange(0, 3).Draw(rt, "settled") == 0 {
			st = settled(st, now)
		}
		plan, msg := compare(st, now)
		for _, k := range planKinds(plan) {
			seen.Add(k)
		}
		return msg
	})
	seen.Require(t, "create", "create burst", "delete", "patch", "release", "update-status", "no calls", "requeue")
}

// settled gives the ReplicaSet the status a previous sync at now would
// have written, so that states where the status write is skipped are
// reached too.
func settled(st gen.ReplicaSetState, now time.Time) gen.ReplicaSetState {
	plan, err := replicaset.Reconcile(replicaset.State{ReplicaSet: st.ReplicaSet, ReplicaSets: st.Siblings, Pods: st.Pods}, now)
	if err != nil {
		return st
	}
	for _, a := range plan.Actions {
		if a.Verb == workload.UpdateStatus {
			st.ReplicaSet = a.Object.(*apps.ReplicaSet)
		}
	}
	return st
}

// planKinds names the kinds of decisions a plan holds, for coverage.
func planKinds(plan workload.Plan) []string {
	var kinds []string
	creates := 0
	for _, a := range plan.Actions {
		switch {
		case a.Verb == workload.Create:
			creates++
		case a.Verb == workload.Patch && strings.Contains(string(a.Patch), `"$patch":"delete"`):
			kinds = append(kinds, "release")
		default:
			kinds = append(kinds, string(a.Verb))
		}
	}
	if creates > 0 {
		kinds = append(kinds, "create")
	}
	if creates == replicaset.BurstReplicas {
		kinds = append(kinds, "create burst")
	}
	if len(plan.Actions) == 0 {
		kinds = append(kinds, "no calls")
	}
	if plan.RequeueAfter > 0 {
		kinds = append(kinds, "requeue")
	}
	return kinds
}

// TestReplicaSetTrajectories syncs, applies kubepure's plan to a toy API
// server, lets pods progress, and syncs again, comparing every step.
func TestReplicaSetTrajectories(t *testing.T) {
	check.RunN(t, "ReplicaSetTrajectory", check.Trajectories(), func(rt *rapid.T) string {
		now := syncTime()
		st := gen.ReplicaSet(rt, now)
		steps := rapid.IntRange(2, 6).Draw(rt, "steps")
		for step := range steps {
			plan, msg := compare(st, now)
			if msg != "" {
				return fmt.Sprintf("step %d of %d:\n%s", step+1, steps, msg)
			}
			st = gen.ProgressPods(rt, gen.ApplyReplicaSetPlan(st, plan, step), now)
		}
		return ""
	})
}

// compare runs both sides on st and describes any difference in the calls
// or the requeue.
func compare(st gen.ReplicaSetState, now time.Time) (workload.Plan, string) {
	plan, problem := compareRS(st, now)
	return plan.Plan, problem
}

func compareRS(st gen.ReplicaSetState, now time.Time) (replicaset.Plan, string) {
	up, err := harness.SyncReplicaSet(harness.ReplicaSetState{
		ReplicaSet: st.ReplicaSet, ReplicaSets: st.Siblings, Pods: st.Pods, Now: now,
	})
	if err != nil {
		return replicaset.Plan{}, "harness: " + err.Error()
	}
	plan, err := replicaset.Reconcile(replicaset.State{
		ReplicaSet: st.ReplicaSet, ReplicaSets: st.Siblings, Pods: st.Pods,
	}, now)
	if err != nil {
		return plan, "kubepure refused a valid state: " + err.Error()
	}
	var problems []string
	if up.SyncErr != nil {
		problems = append(problems, "upstream sync failed: "+up.SyncErr.Error())
	}
	tied := false
	if d := harness.DiffCalls(harness.RenderAll(up.Calls), harness.RenderAll(plan.Actions)); d != "" {
		ok, why := tiedDeletes(st, up.Calls, plan.Actions, now)
		if !ok {
			problems = append(problems, d+why)
		}
		tied = ok
	}
	if d := diffEvents(up, plan.Events, tied); d != "" {
		problems = append(problems, d)
	}
	// Upstream asks its queue at most once per sync (AddAfter); a plan has
	// one RequeueAfter.
	var upAfter time.Duration
	if len(up.RequeueAfter) > 0 {
		upAfter = up.RequeueAfter[len(up.RequeueAfter)-1]
	}
	if len(up.RequeueAfter) > 1 || upAfter != plan.RequeueAfter {
		problems = append(problems, fmt.Sprintf("requeue: upstream %v, kubepure %v", up.RequeueAfter, plan.RequeueAfter))
	}
	if len(problems) == 0 {
		return plan, ""
	}
	return plan, describe(st) + strings.Join(problems, "\n")
}

// diffEvents compares the events of both sides as multisets: upstream
// records them from the goroutines of its concurrent creates and deletes,
// so their order is goroutine scheduling (conformance/README.md). When the
// deletes were accepted as a tie that upstream could have broken either
// way, the deleted pods' names are left out of the comparison: which pods
// were picked is checked with the calls.
func diffEvents(up harness.Result, ours []workload.Event, tied bool) string {
	want := harness.SortedEventStrings(up.Events, up.Generated)
	got := harness.SortedEventStrings(ours, nil)
	if tied {
		want, got = withoutDeletedNames(want), withoutDeletedNames(got)
	}
	if slices.Equal(want, got) {
		return ""
	}
	return fmt.Sprintf("events differ:\n  upstream: %q\n  kubepure: %q", want, got)
}

func withoutDeletedNames(events []string) []string {
	out := make([]string, len(events))
	for i, e := range events {
		if j := strings.Index(e, "Deleted pod: "); j >= 0 {
			e = e[:j] + "Deleted pod: (tied)"
		}
		out[i] = e
	}
	return out
}

func describe(st gen.ReplicaSetState) string {
	var b strings.Builder
	rs := st.ReplicaSet
	fmt.Fprintf(&b, "replicaset %s replicas=%d minReady=%d gen=%d status=%+v deleting=%v owner=%v\n",
		rs.Name, *rs.Spec.Replicas, rs.Spec.MinReadySeconds, rs.Generation, rs.Status, rs.DeletionTimestamp != nil, rs.OwnerReferences)
	for _, s := range st.Siblings {
		fmt.Fprintf(&b, "  sibling %s selector=%v owner=%v\n", s.Name, s.Spec.Selector.MatchLabels, s.OwnerReferences)
	}
	for _, p := range st.Pods {
		fmt.Fprintf(&b, "  pod %s/%s labels=%v phase=%s node=%q deleting=%v owner=%v ready=%v\n",
			p.Namespace, p.Name, p.Labels, p.Status.Phase, p.Spec.NodeName, p.DeletionTimestamp != nil, p.OwnerReferences, p.Status.Conditions)
	}
	return b.String()
}
