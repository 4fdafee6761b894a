// Package fuzzcheck holds the checks every native fuzz target applies to
// one call of a kubepure function: no panic, no mutation of the input, no
// memory shared between the result and the input, determinism,
// independence from the order of the input lists, and, for a controller,
// no call that touches an object another controller owns.
//
// The checks are generic over the input type S, so a target only says how
// to call the function, copy its input and reorder it.
package fuzzcheck

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kubepure/kubepure/workload"
)

// Outcome is one call's result: the plan, the memory the controller hands
// back (a back-off map, or the whole result of a function that is not a
// controller), and the error.
type Outcome struct {
	Plan   workload.Plan
	Memory any
	Err    error
}

// Target describes one function under test.
type Target[S any] struct {
	// Run calls the function on a state.
	Run func(S) Outcome
	// Clone deep-copies a state.
	Clone func(S) S
	// Permute returns the state with its lists in another order, sharing
	// the objects. Nil when the input has no order to vary.
	Permute func(S) S
	// Owner describes, for a controller, the object synced and the objects
	// its plan may touch; nil skips the ownership check.
	Owner func(S) *Owner
}

// Check runs every check on s and reports whether the function refused it
// (returned an error).
//
//  1. Run must not panic (a panic fails the fuzz input by itself).
//  2. s must equal its copy taken before the call.
//  3. A second call gives the same outcome (plan, memory, error; see Same).
//  4. The state with its lists reordered gives the same outcome; only the
//     error text may differ, as it names list indexes.
//  5. No call touches an object controlled by another owner.
//  6. Scribbling over every field of the first result leaves s equal to
//     its copy (no memory shared with the input), and the two results
//     share no memory (none of it is package state).
func (tg Target[S]) Check(t testing.TB, s S) (rejected bool) {
	t.Helper()
	snapshot := tg.Clone(s)
	first := tg.Run(s)
	if !reflect.DeepEqual(s, snapshot) {
		t.Fatalf("the call modified its input:\n%s", Diff(snapshot, s))
	}
	second := tg.Run(s)
	if !Same(first, second) {
		t.Fatalf("two calls on one state differ:\nfirst:\n%s\nsecond:\n%s", Render(first), Render(second))
	}
	if tg.Permute != nil {
		reordered := tg.Run(tg.Permute(s))
		if (reordered.Err == nil) != (first.Err == nil) {
			t.Fatalf("reordering the input lists changes the error: %v, then %v", first.Err, reordered.Err)
		}
		if first.Err == nil && !Same(first, reordered) {
			t.Fatalf("reordering the input lists changes the result:\nin order:\n%s\nreordered:\n%s", Render(first), Render(reordered))
		}
	}
	if tg.Owner != nil && first.Err == nil {
		if o := tg.Owner(snapshot); o != nil {
			if err := o.Check(first.Plan); err != nil {
				t.Fatalf("%v\nplan:\n%s", err, Render(first))
			}
		}
	}
	Scribble(&first)
	if !reflect.DeepEqual(s, snapshot) {
		t.Fatalf("the result shares memory with the input: writing to the result changed the input:\n%s", Diff(snapshot, s))
	}
	if typ := Shared(&first, &second); typ != "" {
		t.Fatalf("the results of two calls share memory (a %s): the function hands out package state", typ)
	}
	return second.Err != nil
}

// Same reports whether two outcomes are the same: equal values (the fast
// test), or else equal renderings, which forgive what no caller can tell
// apart (a nil list for an empty one).
func Same(a, b Outcome) bool {
	if (a.Err == nil) != (b.Err == nil) || (a.Err != nil && a.Err.Error() != b.Err.Error()) {
		return false
	}
	if reflect.DeepEqual(a.Plan, b.Plan) && reflect.DeepEqual(a.Memory, b.Memory) {
		return true
	}
	return Render(a) == Render(b)
}

// Render writes an outcome so that two outcomes render alike exactly when
// they are the same: every action with its body, patch and options in
// order, the requeue, the events in order, the memory and the error.
func Render(o Outcome) string {
	var b strings.Builder
	for i, a := range o.Plan.Actions {
		fmt.Fprintf(&b, "action %d: %s %s %s/%s reason=%q\n", i, a.Verb, a.Resource, a.Namespace, a.Name, a.Reason)
		if a.Object != nil {
			fmt.Fprintf(&b, "  object %s\n", jsonOf(a.Object))
		}
		if a.PatchType != "" || a.Patch != nil {
			fmt.Fprintf(&b, "  patch %s %s\n", a.PatchType, a.Patch)
		}
		if a.DeleteOptions != nil {
			fmt.Fprintf(&b, "  options %s\n", jsonOf(a.DeleteOptions))
		}
	}
	fmt.Fprintf(&b, "requeue=%v after=%s\n", o.Plan.Requeue, o.Plan.RequeueAfter)
	for _, e := range o.Plan.Events {
		fmt.Fprintf(&b, "event %s on %s\n", e.String(), jsonOf(e.Object))
	}
	if o.Memory != nil {
		fmt.Fprintf(&b, "memory %s\n", jsonOf(o.Memory))
	}
	if o.Err != nil {
		fmt.Fprintf(&b, "error %v\n", o.Err)
	}
	return b.String()
}

func jsonOf(v any) string {
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v (not JSON: %v)", v, err)
	}
	return string(out)
}

// Diff shows the first lines where the JSON renderings of want and got
// differ, enough to see which object changed.
func Diff(want, got any) string {
	w, err1 := json.MarshalIndent(want, "", " ")
	g, err2 := json.MarshalIndent(got, "", " ")
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("want %#v\ngot  %#v", want, got)
	}
	wl, gl := strings.Split(string(w), "\n"), strings.Split(string(g), "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(wl), len(gl)) && shown < 12; i++ {
		var x, y string
		if i < len(wl) {
			x = wl[i]
		}
		if i < len(gl) {
			y = gl[i]
		}
		if x != y {
			fmt.Fprintf(&b, "line %d: want %s\n         got  %s\n", i+1, x, y)
			shown++
		}
	}
	if shown == 0 {
		return "(the JSON renderings agree: the difference is in a field JSON does not show, such as a nil versus an empty list)"
	}
	return b.String()
}

// Result turns what a controller returns into an Outcome: plan is a
// workload.Plan, or a package Plan that embeds one, whose other exported
// fields (the memory handed back) become Outcome.Memory.
func Result(plan any, err error) Outcome {
	if p, ok := plan.(workload.Plan); ok {
		return Outcome{Plan: p, Err: err}
	}
	out := Outcome{Err: err}
	v := reflect.ValueOf(plan)
	if v.Kind() != reflect.Struct {
		out.Memory = plan
		return out
	}
	memory := map[string]any{}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		switch {
		case !f.IsExported():
		case f.Anonymous && f.Type == reflect.TypeOf(workload.Plan{}):
			out.Plan = v.Field(i).Interface().(workload.Plan)
		default:
			memory[f.Name] = v.Field(i).Interface()
		}
	}
	if len(memory) > 0 {
		out.Memory = memory
	}
	return out
}
