package daemon_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"
	"reflect"

	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/selector"
	"github.com/kubepure/kubepure/workload"
)

var epoch = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func render(t interface{ Fatalf(string, ...any) }, p daemon.Plan) string {
	b, err := json.Marshal(struct {
		Actions []workload.Action
		Plan    string
	}{p.Actions, p.String()})
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// Input order never changes the plan, and the input is never modified.
func TestPropertyOrderAndPurity(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		st := gen.DaemonSet(rt, epoch)
		before := st.State()
		snapshot := deepCopyState(before)
		plan, err := daemon.Reconcile(before, epoch)
		if err != nil {
			rt.Fatalf("valid state refused: %v", err)
		}
		if !reflect.DeepEqual(snapshot, before) {
			rt.Fatalf("Reconcile modified its input")
		}
		shuffled := before
		shuffled.Nodes = rapid.Permutation(before.Nodes).Draw(rt, "nodes")
		shuffled.Pods = rapid.Permutation(before.Pods).Draw(rt, "pods")
		shuffled.Revisions = rapid.Permutation(before.Revisions).Draw(rt, "revisions")
		again, err := daemon.Reconcile(shuffled, epoch)
		if err != nil {
			rt.Fatalf("shuffled: %v", err)
		}
		if d := cmp.Diff(render(rt, plan), render(rt, again)); d != "" {
			rt.Fatalf("order changed the plan:\n%s", d)
		}
		if d := cmp.Diff(plan.Backoff, again.Backoff); d != "" {
			rt.Fatalf("order changed the back-off:\n%s", d)
		}
	})
}

func deepCopyState(s daemon.State) daemon.State {
	out := daemon.State{DaemonSet: s.DaemonSet.DeepCopy()}
	for _, n := range s.Nodes {
		out.Nodes = append(out.Nodes, n.DeepCopy())
	}
	for _, p := range s.Pods {
		out.Pods = append(out.Pods, p.DeepCopy())
	}
	for _, r := range s.Revisions {
		out.Revisions = append(out.Revisions, r.DeepCopy())
	}
	if s.Backoff != nil {
		out.Backoff = map[string]backoffEntry{}
		for k, v := range s.Backoff {
			out.Backoff[k] = v
		}
	}
	return out
}

// converge syncs, applies and lets pods start until two syncs in a row,
// minReady apart, make no pod call, and returns the last plan.
func converge(t *rapid.T, w *gen.DaemonSetWorld, minReady time.Duration) daemon.Plan {
	var plan daemon.Plan
	quiet := 0
	for range 60 {
		w.Settle()
		var err error
		plan, err = daemon.Reconcile(w.State(), w.Now)
		if err != nil {
			t.Fatalf("reconcile: %v", err)
		}
		w.Apply(plan)
		if !hasPodCalls(plan) && !plan.Requeue {
			quiet++
			if quiet == 2 {
				return plan
			}
		} else {
			quiet = 0
		}
		w.Advance(minReady + time.Second)
	}
	t.Fatalf("no convergence in 60 syncs; last plan:\n%s", plan.String())
	return daemon.Plan{}
}

func hasPodCalls(p daemon.Plan) bool {
	for _, a := range p.Actions {
		if a.Resource == "pods" && (a.Verb == workload.Create || a.Verb == workload.Delete) {
			return true
		}
	}
	return false
}

// From any generated cluster, syncing until nothing changes leaves exactly
// one daemon pod on every node that should run it and none elsewhere, and
// a converged state yields no pod change.
func TestPropertySteadyState(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		st := gen.DaemonSet(rt, epoch)
		if st.DaemonSet.DeletionTimestamp != nil || selectsAll(st.DaemonSet) {
			return
		}
		w := gen.DaemonSetWorldFrom(st, epoch)
		// Failed pods wait out their back-off: jump far enough ahead.
		w.Advance(time.Hour)
		last := converge(rt, w, time.Duration(st.DaemonSet.Spec.MinReadySeconds)*time.Second)
		placement := selector.NewDaemonPlacement(&w.DaemonSet.Spec.Template)
		byNode := w.PodsByNode()
		exists := map[string]bool{}
		for _, n := range w.Nodes {
			exists[n.Name] = true
			e := placement.Node(n)
			own := ownPods(w, byNode[n.Name])
			switch {
			case e.ShouldRun && len(own) != 1:
				var desc []string
				for _, p := range byNode[n.Name] {
					desc = append(desc, fmt.Sprintf("%s phase=%s owner=%v labels=%v", p.Name, p.Status.Phase, selectorControllerOf(p), p.Labels))
				}
				rt.Fatalf("node %s should run one daemon pod, has %d: %v\nlast plan:\n%s", n.Name, len(own), desc, last.String())
			case !e.ShouldContinueRunning && len(own) != 0:
				rt.Fatalf("node %s should run none, has %d: %s (last plan:\n%s)", n.Name, len(own), own[0].Name, last.String())
			}
		}
	})
}

func selectsAll(ds *appsv1.DaemonSet) bool {
	sel := ds.Spec.Selector
	return sel != nil && len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0
}

// ownPods are the DaemonSet's pods that are not being deleted and have not
// finished.
func ownPods(w *gen.DaemonSetWorld, pods []*v1.Pod) []*v1.Pod {
	var out []*v1.Pod
	for _, p := range pods {
		ref := selectorControllerOf(p)
		if ref == w.DaemonSet.UID && p.DeletionTimestamp == nil && p.Status.Phase != v1.PodSucceeded && p.Status.Phase != v1.PodFailed {
			out = append(out, p)
		}
	}
	return out
}

// During a rolling update of healthy pods, no more than maxSurge nodes
// hold two pods and no more than maxUnavailable nodes lack an available
// pod, after every applied sync; the rollout finishes.
func TestPropertyRolloutBounds(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(rt, "nodes")
		surge := rapid.Bool().Draw(rt, "surge")
		limit := rapid.SampledFrom([]intstr.IntOrString{intstr.FromInt32(1), intstr.FromInt32(3), intstr.FromString("30%"), intstr.FromString("100%")}).Draw(rt, "limit")
		minReady := rapid.SampledFrom([]int32{0, 10}).Draw(rt, "minReady")
		ds := gen.CleanDaemonSet("fluentd:1.16", surge, limit, epoch)
		ds.Spec.MinReadySeconds = minReady
		w := gen.NewDaemonSetWorld(epoch, ds, gen.PlainNodes(n))
		wait := time.Duration(minReady)*time.Second + time.Second
		converge(rt, w, wait)
		w.Advance(wait)
		w.Edit("fluentd:1.17")
		bound, _ := intstr.GetScaledValueFromIntOrPercent(&limit, n, true)
		for step := range 60 {
			plan, err := daemon.Reconcile(w.State(), w.Now)
			if err != nil {
				rt.Fatalf("reconcile: %v", err)
			}
			w.Apply(plan)
			doubled, lacking := 0, 0
			for _, node := range w.Nodes {
				pods := ownPods(w, w.PodsByNode()[node.Name])
				if len(pods) > 1 {
					doubled++
				}
				available := false
				for _, p := range pods {
					available = available || workload.IsPodAvailable(p, minReady, w.Now)
				}
				if !available {
					lacking++
				}
			}
			if surge && doubled > bound {
				rt.Fatalf("step %d: %d nodes hold two pods, maxSurge %d", step, doubled, bound)
			}
			if !surge && lacking > bound {
				rt.Fatalf("step %d: %d nodes lack an available pod, maxUnavailable %d", step, lacking, bound)
			}
			if surge && lacking > 0 {
				rt.Fatalf("step %d: surge left %d nodes without an available pod", step, lacking)
			}
			if !hasPodCalls(plan) && plan.Actions != nil && updatedEverywhere(w) {
				return
			}
			w.Settle()
			w.Advance(wait)
		}
		if !updatedEverywhere(w) {
			rt.Fatalf("rollout did not finish")
		}
	})
}

func updatedEverywhere(w *gen.DaemonSetWorld) bool {
	for _, node := range w.Nodes {
		pods := ownPods(w, w.PodsByNode()[node.Name])
		if len(pods) != 1 || pods[0].Spec.Containers[0].Image != w.DaemonSet.Spec.Template.Spec.Containers[0].Image {
			return false
		}
	}
	return true
}
