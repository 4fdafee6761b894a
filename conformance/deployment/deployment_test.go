package deployment

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	apps "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// syncTime is the time both sides sync at: the current second, since
// upstream stamps new conditions with the wall clock (see wallClockTimes).
func syncTime() time.Time { return time.Now().Truncate(time.Second) }

func TestDeploymentConformance(t *testing.T) {
	seen := check.Coverage{}
	check.Run(t, "Deployment", func(rt *rapid.T) string {
		now := syncTime()
		plan, msg := compare(gen.Deployment(rt, now), now)
		for _, k := range planKinds(plan) {
			seen.Add(k)
		}
		return msg
	})
	seen.Require(t, "create replicasets", "update replicasets", "delete replicasets", "patch replicasets",
		"update-status deployments", "update deployments", "rate-limited requeue",
		"event Normal ScalingReplicaSet", "event Warning SelectingAll", "event Normal DeploymentRollback",
		"event Warning DeploymentRollbackRevisionNotFound", "event Warning DeploymentRollbackTemplateUnchanged",
		"selecting all with a status write", "selecting all without a status write")
}

// planKinds names the kinds of calls a plan makes, for coverage.
func planKinds(plan workload.Plan) []string {
	seen := map[string]bool{}
	var kinds []string
	for _, a := range plan.Actions {
		if k := string(a.Verb) + " " + a.Resource; !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
		}
	}
	if len(plan.Actions) == 0 {
		kinds = append(kinds, "no calls")
	}
	if plan.RequeueAfter > 0 {
		kinds = append(kinds, "requeue after")
	}
	if plan.Requeue {
		kinds = append(kinds, "rate-limited requeue")
	}
	for _, e := range plan.Events {
		if k := "event " + e.Type + " " + e.Reason; !seen[k] {
			seen[k] = true
			kinds = append(kinds, k)
			if e.Reason == rollout.EventSelectingAll && len(plan.Actions) > 0 {
				kinds = append(kinds, "selecting all with a status write")
			} else if e.Reason == rollout.EventSelectingAll {
				kinds = append(kinds, "selecting all without a status write")
			}
		}
	}
	return kinds
}

// compare runs both sides on st and describes any difference in the calls
// or the requeue.
func compare(st gen.DeploymentState, now time.Time) (workload.Plan, string) {
	up, err := harness.SyncDeployment(harness.DeploymentState{
		Deployment: st.Deployment, ReplicaSets: st.ReplicaSets, Pods: st.Pods,
	}, now)
	if err != nil {
		return workload.Plan{}, "harness: " + err.Error()
	}
	out, err := rollout.Reconcile(rollout.State{Deployment: st.Deployment, ReplicaSets: st.ReplicaSets, Pods: st.Pods}, now)
	plan := out.Plan
	if err != nil {
		return plan, describe(st) + "kubepure refused a valid state: " + err.Error()
	}
	wallClockTimes(up.Calls, now)
	var problems []string
	if d := harness.DiffCalls(harness.RenderAll(up.Calls), harness.RenderAll(plan.Actions)); d != "" {
		problems = append(problems, d)
	}
	// The Deployment controller records its events from one goroutine, in
	// the order of its calls: compared in order.
	if want, got := harness.EventStrings(up.Events, up.Generated), harness.EventStrings(plan.Events, nil); !slices.Equal(want, got) {
		problems = append(problems, fmt.Sprintf("events differ:\n  upstream: %q\n  kubepure: %q", want, got))
	}
	var upAfter time.Duration
	if len(up.RequeueAfter) > 0 {
		upAfter = up.RequeueAfter[len(up.RequeueAfter)-1]
	}
	if len(up.RequeueAfter) > 1 || (upAfter != plan.RequeueAfter && !wallClockDeadline(upAfter, plan, now)) {
		problems = append(problems, fmt.Sprintf("requeue after: upstream %v, kubepure %v", up.RequeueAfter, plan.RequeueAfter))
	}
	// A sync error makes the worker requeue with rate limiting, as does an
	// explicit AddRateLimited; a plan says both with Requeue.
	if upRequeue := up.SyncErr != nil || up.RateLimited > 0; upRequeue != plan.Requeue {
		problems = append(problems, fmt.Sprintf("rate-limited requeue: upstream %v (sync error %v), kubepure %v", upRequeue, up.SyncErr, plan.Requeue))
	}
	if len(problems) == 0 {
		return plan, ""
	}
	return plan, describe(st) + strings.Join(problems, "\n")
}

// wallClockTimes maps the condition timestamps upstream took from the wall
// clock during the sync back to now.
//
// Normalisation, and why it is sound: upstream's NewDeploymentCondition
// stamps lastUpdateTime and lastTransitionTime with metav1.Now(), not with
// the clock the harness pins; kubepure stamps them with now. Bodies are
// compared at whole seconds, and the sync starts within the second now
// names, so a stamp in [now, now+5s) can only be the wall clock read during
// the sync. Generated inputs carry no condition stamped in that window, so
// no stamp that came from the input is changed.
func wallClockTimes(calls []workload.Action, now time.Time) {
	fix := func(t *metav1.Time) {
		if !t.Time.Before(now) && t.Time.Before(now.Add(5*time.Second)) {
			*t = metav1.NewTime(now)
		}
	}
	for _, c := range calls {
		d, ok := c.Object.(*apps.Deployment)
		if !ok {
			continue
		}
		for i := range d.Status.Conditions {
			fix(&d.Status.Conditions[i].LastUpdateTime)
			fix(&d.Status.Conditions[i].LastTransitionTime)
		}
	}
}

// wallClockDeadline reports whether upstream's progress-deadline requeue
// differs from kubepure's only by the wall-clock time that passed during the
// sync.
//
// Normalisation, and why it is sound: when a sync stamps the Progressing
// condition afresh, upstream stamps it with metav1.Now() (the wall clock,
// nanoseconds included) and then computes the requeue as that stamp plus
// the deadline minus its pinned clock, now. The result exceeds the exact
// delay kubepure computes (with the stamp equal to now) by the wall time
// elapsed since now, under two seconds. The tolerance applies only when the
// plan itself stamps Progressing at now.
func wallClockDeadline(upstream time.Duration, plan workload.Plan, now time.Time) bool {
	extra := upstream - plan.RequeueAfter
	if plan.RequeueAfter <= 0 || extra < 0 || extra >= 2*time.Second {
		return false
	}
	for _, a := range plan.Actions {
		d, ok := a.Object.(*apps.Deployment)
		if !ok || a.Verb != workload.UpdateStatus {
			continue
		}
		for _, c := range d.Status.Conditions {
			if c.Type == apps.DeploymentProgressing && c.LastUpdateTime.Time.Equal(now) {
				return true
			}
		}
	}
	return false
}

func describe(st gen.DeploymentState) string {
	var b strings.Builder
	d := st.Deployment
	fmt.Fprintf(&b, "deployment replicas=%d strategy=%+v paused=%v minReady=%d history=%v deadline=%v gen=%d annotations=%v deleting=%v selector=%v\n  status=%+v\n",
		*d.Spec.Replicas, d.Spec.Strategy.RollingUpdate, d.Spec.Paused, d.Spec.MinReadySeconds, ptrStr(d.Spec.RevisionHistoryLimit),
		ptrStr(d.Spec.ProgressDeadlineSeconds), d.Generation, d.Annotations, d.DeletionTimestamp != nil, d.Spec.Selector, d.Status)
	fmt.Fprintf(&b, "  strategy=%s image=%s\n", d.Spec.Strategy.Type, d.Spec.Template.Spec.Containers[0].Image)
	for _, rs := range st.ReplicaSets {
		fmt.Fprintf(&b, "  rs %s image=%s replicas=%d status=%d/%d/%d annotations=%v owner=%v created=%s\n",
			rs.Name, rs.Spec.Template.Spec.Containers[0].Image, *rs.Spec.Replicas, rs.Status.Replicas, rs.Status.ReadyReplicas,
			rs.Status.AvailableReplicas, rs.Annotations, rs.OwnerReferences, rs.CreationTimestamp)
	}
	for _, p := range st.Pods {
		fmt.Fprintf(&b, "  pod %s phase=%s deleting=%v\n", p.Name, p.Status.Phase, p.DeletionTimestamp != nil)
	}
	return b.String()
}

func ptrStr(p *int32) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

// TestDeploymentTrajectories syncs, applies kubepure's plan to a toy API
// server, lets ReplicaSets progress and users edit, and syncs again,
// comparing every step.
func TestDeploymentTrajectories(t *testing.T) {
	seen := check.Coverage{}
	check.RunN(t, "DeploymentTrajectory", check.Trajectories(), func(rt *rapid.T) string {
		now := syncTime()
		w := gen.DeploymentWorldFrom(gen.Deployment(rt, now), now)
		steps := rapid.IntRange(2, 8).Draw(rt, "steps")
		for step := range steps {
			plan, msg := compare(w.State(), now)
			for _, k := range planKinds(plan) {
				seen.Add(k)
			}
			if msg != "" {
				return fmt.Sprintf("step %d of %d:\n%s", step+1, steps, msg)
			}
			w.Apply(plan)
			w.Progress(rt)
			w.Edit(rt)
		}
		return ""
	})
	seen.Require(t, "create replicasets", "update replicasets", "update-status deployments", "no calls",
		"event Normal ScalingReplicaSet", "event Warning SelectingAll")
}
