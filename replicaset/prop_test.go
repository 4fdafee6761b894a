package replicaset_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/selector"
	"github.com/kubepure/kubepure/workload"
)

var propNow = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

func rsState(g gen.ReplicaSetState) replicaset.State {
	return replicaset.State{ReplicaSet: g.ReplicaSet, ReplicaSets: g.Siblings, Pods: g.Pods}
}

func TestReplicaSetPlanIgnoresInputOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := gen.ReplicaSet(t, propNow)
		want, err := replicaset.Reconcile(rsState(g), propNow)
		if err != nil {
			t.Fatal(err)
		}
		g.Pods = rapid.Permutation(g.Pods).Draw(t, "pods order")
		g.Siblings = rapid.Permutation(g.Siblings).Draw(t, "siblings order")
		got, err := replicaset.Reconcile(rsState(g), propNow)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("plan changed with input order (-before +after):\n%s", diff)
		}
	})
}

func TestReplicaSetDoesNotMutateInput(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := gen.ReplicaSet(t, propNow)
		before := deepCopyState(g)
		if _, err := replicaset.Reconcile(rsState(g), propNow); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before, g); diff != "" {
			t.Fatalf("input mutated (-before +after):\n%s", diff)
		}
	})
}

func genState(s replicaset.State) gen.ReplicaSetState {
	return gen.ReplicaSetState{ReplicaSet: s.ReplicaSet, Siblings: s.ReplicaSets, Pods: s.Pods}
}

func deepCopyState(g gen.ReplicaSetState) gen.ReplicaSetState {
	out := gen.ReplicaSetState{ReplicaSet: g.ReplicaSet.DeepCopy()}
	for _, s := range g.Siblings {
		out.Siblings = append(out.Siblings, s.DeepCopy())
	}
	for _, p := range g.Pods {
		out.Pods = append(out.Pods, p.DeepCopy())
	}
	return out
}

// TestReplicaSetTouchesOnlyWhatItMayOwn: every patch or delete names a pod of
// the ReplicaSet's namespace that is its own or an orphan, never one another
// controller owns; every create carries a controller reference to it.
func TestReplicaSetTouchesOnlyWhatItMayOwn(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := gen.ReplicaSet(t, propNow)
		plan, err := replicaset.Reconcile(rsState(g), propNow)
		if err != nil {
			t.Fatal(err)
		}
		rs := g.ReplicaSet
		byName := map[string]*v1.Pod{}
		for _, p := range g.Pods {
			if p.Namespace == rs.Namespace {
				byName[p.Name] = p
			}
		}
		for _, a := range plan.Actions {
			if a.Namespace != rs.Namespace {
				t.Fatalf("action outside the ReplicaSet's namespace: %s", a)
			}
			switch a.Verb {
			case workload.Patch, workload.Delete:
				p := byName[a.Name]
				if p == nil {
					t.Fatalf("action on an unknown pod: %s", a)
				}
				if ref := selector.ControllerOf(p); ref != nil && ref.UID != rs.UID {
					t.Fatalf("action on a pod controlled by %s: %s", ref.Name, a)
				}
			case workload.Create:
				p := a.Object.(*v1.Pod)
				if ref := selector.ControllerOf(p); ref == nil || ref.UID != rs.UID {
					t.Fatalf("created pod not controlled by the ReplicaSet: %s", a)
				}
			case workload.UpdateStatus:
				if a.Object.(*appsv1.ReplicaSet).Name != rs.Name {
					t.Fatalf("status written to another object: %s", a)
				}
			default:
				t.Fatalf("unexpected verb: %s", a)
			}
		}
	})
}

// TestReplicaSetConverges applies plans to a simple world model (created pods
// start running and ready, deleted pods vanish) and checks that the active
// pod count reaches spec.replicas, after which the plan changes no pod.
func TestReplicaSetConverges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		g := gen.ReplicaSet(t, propNow)
		g.ReplicaSet.DeletionTimestamp = nil
		state := rsState(g)
		want := int(*state.ReplicaSet.Spec.Replicas)
		for step := 0; step < 4; step++ {
			plan, err := replicaset.Reconcile(state, propNow)
			if err != nil {
				t.Fatal(err)
			}
			state = rsState(gen.ApplyReplicaSetPlan(genState(state), plan.Plan, step))
		}
		plan, err := replicaset.Reconcile(state, propNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range plan.Actions {
			if a.Resource == "pods" {
				t.Fatalf("converged state still changes pods: %s", a)
			}
		}
		active := 0
		for _, p := range state.Pods {
			ref := selector.ControllerOf(p)
			if ref != nil && ref.UID == state.ReplicaSet.UID && p.Namespace == state.ReplicaSet.Namespace && workload.IsPodActive(p) {
				active++
			}
		}
		if active != want {
			t.Fatalf("after convergence %d active pods, want %d", active, want)
		}
	})
}
