package fuzzcheck

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// recorder is a testing.TB whose Fatalf records the message and stops the
// check by panicking, so that a test can see which check fired.
type recorder struct {
	testing.TB
	msg string
}

type stopped struct{}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	panic(stopped{})
}

// fired runs the check and returns the failure message, "" when it passed.
func fired[S any](tg Target[S], s S) (msg string) {
	r := &recorder{}
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(stopped); !ok {
				panic(v)
			}
			msg = r.msg
		}
	}()
	tg.Check(r, s)
	return ""
}

// state is a toy input: one owner and its pods.
type state struct {
	Owner *v1.Pod
	Pods  []*v1.Pod
}

func toyState() state {
	yes := true
	pod := func(name string, owner metav1.Object) *v1.Pod {
		p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: types.UID("uid-" + name), Labels: map[string]string{"app": "a"}}}
		if owner != nil {
			p.OwnerReferences = []metav1.OwnerReference{{Kind: "X", Name: owner.GetName(), UID: owner.GetUID(), Controller: &yes}}
		}
		return p
	}
	owner := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "owner", Namespace: "ns", UID: "owner-uid"}}
	foreign := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "foreign", Namespace: "ns", UID: "foreign-uid"}}
	return state{Owner: owner, Pods: []*v1.Pod{pod("a", owner), pod("b", nil), pod("c", foreign)}}
}

func toyTarget(run func(state) Outcome) Target[state] {
	return Target[state]{
		Run: run,
		Clone: func(s state) state {
			out := state{Owner: s.Owner.DeepCopy()}
			for _, p := range s.Pods {
				out.Pods = append(out.Pods, p.DeepCopy())
			}
			return out
		},
		Permute: func(s state) state {
			out := s
			out.Pods = []*v1.Pod{s.Pods[2], s.Pods[0], s.Pods[1]}
			return out
		},
		Owner: func(s state) *Owner {
			return &Owner{Resource: "owners", Namespace: "ns", Name: s.Owner.Name, UID: s.Owner.UID, Objects: map[string][]metav1.Object{"pods": Objects(s.Pods)}}
		},
	}
}

func deleteOf(p *v1.Pod) workload.Action {
	return workload.Action{Verb: workload.Delete, Resource: "pods", Namespace: p.Namespace, Name: p.Name}
}

// TestCheckCatches makes sure each check fires on a function that breaks
// its rule, and that a well-behaved function passes them all.
func TestCheckCatches(t *testing.T) {
	calls := 0
	cases := []struct {
		name string
		run  func(state) Outcome
		want string // part of the message; "" for a pass
	}{
		{"pure", func(s state) Outcome {
			var plan workload.Plan
			for _, p := range s.Pods {
				if p.Name != "c" {
					plan.Actions = append(plan.Actions, deleteOf(p))
				}
			}
			plan.Actions = append(plan.Actions, workload.Action{Verb: workload.Create, Resource: "pods", Namespace: "ns", Object: s.Owner.DeepCopy()})
			return Outcome{Plan: plan}
		}, ""},
		{"error", func(state) Outcome { return Outcome{Err: errors.New("bad")} }, ""},
		{"mutation", func(s state) Outcome { s.Pods[0].Labels["app"] = "b"; return Outcome{} }, "modified its input"},
		{"nondeterminism", func(state) Outcome { calls++; return Outcome{Plan: workload.Plan{Requeue: calls%2 == 0}} }, "two calls"},
		{"order", func(s state) Outcome {
			return Outcome{Plan: workload.Plan{Actions: []workload.Action{deleteOf(s.Pods[0])}}}
		}, "reordering"},
		{"foreign", func(s state) Outcome {
			for _, p := range s.Pods {
				if p.Name == "c" {
					return Outcome{Plan: workload.Plan{Actions: []workload.Action{deleteOf(p)}}}
				}
			}
			return Outcome{}
		}, "controlled by"},
		{"absent", func(state) Outcome {
			return Outcome{Plan: workload.Plan{Actions: []workload.Action{deleteOf(&v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "zz", Namespace: "ns"}})}}}
		}, "not in the input"},
		{"aliasing", func(s state) Outcome {
			for _, p := range s.Pods {
				if p.Name == "a" {
					return Outcome{Plan: workload.Plan{Actions: []workload.Action{{Verb: workload.Update, Resource: "pods", Namespace: "ns", Object: p}}}}
				}
			}
			return Outcome{}
		}, "shares memory with the input"},
		{"shared labels map", func(s state) Outcome {
			for _, p := range s.Pods {
				if p.Name == "a" {
					c := p.DeepCopy()
					c.Labels = p.Labels
					return Outcome{Plan: workload.Plan{Actions: []workload.Action{{Verb: workload.Update, Resource: "pods", Namespace: "ns", Object: c}}}}
				}
			}
			return Outcome{}
		}, "shares memory with the input"},
	}
	for _, c := range cases {
		got := fired(toyTarget(c.run), toyState())
		if c.want == "" && got != "" {
			t.Errorf("%s: check fired: %s", c.name, got)
		}
		if c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want a message containing %q", c.name, got, c.want)
		}
	}
}

// TestPackageState makes sure a result that shares memory with package
// state is caught.
func TestPackageState(t *testing.T) {
	shared := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "template"}}
	run := func(state) Outcome {
		return Outcome{Plan: workload.Plan{Actions: []workload.Action{{Verb: workload.Create, Resource: "pods", Namespace: "ns", Object: shared}}}}
	}
	tg := toyTarget(run)
	tg.Owner = nil
	if got := fired(tg, toyState()); !strings.Contains(got, "package state") {
		t.Fatalf("got %q", got)
	}
}
