package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubepure/kubepure/workload"
)

// Calls converts the actions a fake clientset recorded into the plan
// vocabulary of kubepure, keeping only writes.
//
// Normalisations (each one is a decision; see the package README):
//   - get, list and watch are dropped: they are reads, and a plan lists
//     only the calls that change the cluster. (Upstream's reads are an
//     implementation detail: a quorum read before adoption, a re-read
//     after a conflict.)
//   - an update of the "status" subresource becomes workload.UpdateStatus;
//     any other subresource is reported as an error rather than guessed.
//   - the body is kept as the client sent it: the fake records a deep copy
//     before its reactors fill in names and UIDs, so nothing the server
//     would assign is in it.
//   - a delete with empty options has nil DeleteOptions, which is how a
//     plan spells empty options.
func Calls(actions []k8stesting.Action) ([]workload.Action, error) {
	var out []workload.Action
	for i, a := range actions {
		switch a.GetVerb() {
		case "get", "list", "watch":
			continue
		}
		w := workload.Action{Resource: a.GetResource().Resource, Namespace: a.GetNamespace()}
		sub := a.GetSubresource()
		// Switch on the verb, not the action's type: an update action also
		// satisfies the CreateAction interface (both carry an object).
		switch verb := a.GetVerb(); verb {
		case "create":
			act, ok := a.(k8stesting.CreateAction)
			if !ok {
				return nil, fmt.Errorf("action %d: create action of type %T", i, a)
			}
			if sub != "" {
				return nil, fmt.Errorf("action %d: create of subresource %q is not in the plan vocabulary", i, sub)
			}
			w.Verb = workload.Create
			w.Object = act.GetObject().DeepCopyObject()
			if m, ok := w.Object.(metav1.Object); ok {
				w.Name = m.GetName()
			}
		case "update":
			act, ok := a.(k8stesting.UpdateAction)
			if !ok {
				return nil, fmt.Errorf("action %d: update action of type %T", i, a)
			}
			switch sub {
			case "":
				w.Verb = workload.Update
			case "status":
				w.Verb = workload.UpdateStatus
			default:
				return nil, fmt.Errorf("action %d: update of subresource %q is not in the plan vocabulary", i, sub)
			}
			w.Object = act.GetObject().DeepCopyObject()
			if m, ok := w.Object.(metav1.Object); ok {
				w.Name = m.GetName()
			}
		case "patch":
			act, ok := a.(k8stesting.PatchAction)
			if !ok {
				return nil, fmt.Errorf("action %d: patch action of type %T", i, a)
			}
			if sub != "" {
				return nil, fmt.Errorf("action %d: patch of subresource %q is not in the plan vocabulary", i, sub)
			}
			w.Verb = workload.Patch
			w.Name = act.GetName()
			w.PatchType = act.GetPatchType()
			w.Patch = bytes.Clone(act.GetPatch())
		case "delete":
			act, ok := a.(k8stesting.DeleteAction)
			if !ok {
				return nil, fmt.Errorf("action %d: delete action of type %T", i, a)
			}
			w.Verb = workload.Delete
			w.Name = act.GetName()
			opts := act.GetDeleteOptions()
			if !isEmptyDeleteOptions(opts) {
				w.DeleteOptions = opts.DeepCopy()
			}
		default:
			return nil, fmt.Errorf("action %d: verb %q on %q is not in the plan vocabulary", i, verb, w.Resource)
		}
		out = append(out, w)
	}
	return out, nil
}

func isEmptyDeleteOptions(o metav1.DeleteOptions) bool {
	b, err := json.Marshal(o)
	return err == nil && string(b) == "{}"
}

// Render prints an action in wire form on one line: verb, resource,
// namespace/name, then the patch type and patch bytes, or the JSON body,
// or the delete options. The reason is left out: upstream has none.
//
// The body is compared as the JSON the API server would receive. This is a
// normalisation too: metav1.Time serialises at whole seconds, so two bodies
// whose timestamps differ below a second render the same — exactly the
// precision a stored object keeps. The body's TypeMeta is cleared first:
// the REST path, not the body, tells the server the type, and upstream's
// bodies carry a TypeMeta only when the cached input happened to have one.
func Render(a workload.Action) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s/%s", a.Verb, a.Resource, a.Namespace, a.Name)
	if a.Patch != nil {
		fmt.Fprintf(&b, " %s %s", a.PatchType, a.Patch)
	}
	if a.Object != nil {
		obj := a.Object.DeepCopyObject()
		if t, err := runtimeTypeAccessor(obj); err == nil {
			t.SetAPIVersion("")
			t.SetKind("")
		}
		body, err := json.Marshal(obj)
		if err != nil {
			fmt.Fprintf(&b, " <unmarshalable body: %v>", err)
		} else {
			fmt.Fprintf(&b, " %s", body)
		}
	}
	if a.DeleteOptions != nil {
		opts, _ := json.Marshal(a.DeleteOptions)
		fmt.Fprintf(&b, " options=%s", opts)
	}
	return b.String()
}

func runtimeTypeAccessor(obj runtime.Object) (interface {
	SetAPIVersion(string)
	SetKind(string)
}, error) {
	ta, ok := obj.GetObjectKind().(interface {
		SetAPIVersion(string)
		SetKind(string)
	})
	if !ok {
		return nil, fmt.Errorf("no type accessor for %T", obj)
	}
	return ta, nil
}

// RenderAll renders a list of actions after SortRuns, one per line.
func RenderAll(actions []workload.Action) []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = Render(a)
	}
	return sortRuns(actions, out)
}

// sortRuns sorts, within every maximal run of consecutive actions with the
// same verb, resource and namespace, the rendered lines. Upstream issues
// such runs concurrently (pod creates and deletes go out from goroutines,
// in slow-start batches) or in informer-cache order (claim patches follow
// the cache's map iteration), so the order inside a run is not something
// upstream defines; the order of the runs is, and is kept.
func sortRuns(actions []workload.Action, lines []string) []string {
	out := append([]string(nil), lines...)
	start := 0
	for i := 1; i <= len(actions); i++ {
		if i < len(actions) && sameRun(actions[start], actions[i]) {
			continue
		}
		sort.Strings(out[start:i])
		start = i
	}
	return out
}

func sameRun(a, b workload.Action) bool {
	return a.Verb == b.Verb && a.Resource == b.Resource && a.Namespace == b.Namespace
}

// DiffCalls compares two rendered call lists and describes the first
// difference, or returns "" when they are equal.
func DiffCalls(want, got []string) string {
	n := max(len(want), len(got))
	for i := 0; i < n; i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			return fmt.Sprintf("call %d differs:\n  upstream: %s\n  kubepure: %s\n(upstream %d calls, kubepure %d)", i, orNone(w), orNone(g), len(want), len(got))
		}
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}
