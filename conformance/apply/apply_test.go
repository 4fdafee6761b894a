package apply

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/workload"
)

// requiredCoverage lists the outcomes the generated states must reach, so
// the comparison cannot pass by never getting there.
var requiredCoverage = []string{
	"create", "create/generateName", "create/pod-gated", "create/job-selector", "create/dedup-owners",
	"update", "update/generation-bump", "update/noop", "update/stale-rv", "update/delete-during-update",
	"update-status", "update-status/no-subresource",
	"patch/adopt", "patch/release", "patch/finalizer-removal", "patch/merge-labels", "patch/stale-uid",
	"delete/removed", "delete/graceful", "delete/held-by-finalizers", "delete/orphan", "delete/foreground",
	"delete/pending", "delete/precondition-failed", "delete/two-writes",
}

// maxRejectedShare bounds the states whose create upstream's validation
// rejects (kubepure does not validate, so they compare nothing).
const maxRejectedShare = 0.1

func TestApplyConformance(t *testing.T) {
	cov := check.Coverage{}
	states := check.States()
	calls, rejected := 0, 0
	check.Run(t, "Apply", func(rt *rapid.T) string {
		calls++
		first := calls <= states
		c := cov
		if !first {
			c = check.Coverage{}
		}
		msg, skipped := compareState(rt, c)
		if first && skipped {
			rejected++
		}
		return msg
	})
	cov.Require(t, requiredCoverage...)
	if share := float64(rejected) / float64(max(1, min(calls, states))); share > maxRejectedShare {
		t.Errorf("upstream's validation rejected %.0f%% of the generated creates (at most %.0f%% allowed): the generator drifted", share*100, maxRejectedShare*100)
	}
}

// compareState creates a generated object on both sides, then applies up
// to three generated calls to it, comparing the stored object (or its
// absence) and the error after each.
func compareState(t *rapid.T, cov check.Coverage) (string, bool) {
	// kubepure's clock is the wall clock at the start of the state, with
	// a fraction of a second, so upstream's own readings of the wall
	// clock (deletion timestamps, condition times) land within a second
	// of it.
	now := time.Now()
	c := cluster.New(now)
	res := rapid.SampledFrom(resources).Draw(t, "resource")
	ns := testNamespace
	if res == cluster.ResourceNodes || res == cluster.ResourceNamespaces {
		ns = ""
	}
	body := object(t, res)
	ours, err := c.Do(workload.Action{Verb: workload.Create, Resource: res, Namespace: ns, Object: body})
	if err != nil {
		return fmt.Sprintf("create %s: kubepure failed: %v\n  body: %s", res, err, js(body)), false
	}
	theirs, err := upstreamCreate(res, ns, body, ours.(metav1.Object))
	if err != nil {
		return "", true // upstream's validation rejects it; kubepure does not validate
	}
	noteCreate(cov, body, ours)
	if d := diff(theirs, ours, now); d != "" {
		return fmt.Sprintf("create %s differs (-upstream +kubepure):\n%s\n  body: %s", res, d, js(body)), false
	}
	for step := range rapid.IntRange(1, 3).Draw(t, "steps") {
		if theirs == nil {
			break
		}
		msg, next := compareCall(t, cov, c, res, ns, theirs, now, step)
		if msg != "" {
			return msg, false
		}
		theirs = next
	}
	return "", false
}

func noteCreate(cov check.Coverage, body, stored runtime.Object) {
	cov.Add("create")
	bm := body.(metav1.Object)
	if bm.GetName() == "" {
		cov.Add("create/generateName")
	}
	if len(bm.GetOwnerReferences()) > len(stored.(metav1.Object).GetOwnerReferences()) {
		cov.Add("create/dedup-owners")
	}
	if p, ok := stored.(*v1.Pod); ok && len(p.Status.Conditions) > 0 {
		cov.Add("create/pod-gated")
	}
	if m := stored.(metav1.Object); m.GetLabels()["batch.kubernetes.io/controller-uid"] != "" {
		cov.Add("create/job-selector")
	}
}

// compareCall draws one call on the stored object (theirs is upstream's
// copy of it), applies it on both sides and compares. It returns
// upstream's stored object after the call, nil when it is gone.
func compareCall(t *rapid.T, cov check.Coverage, c *cluster.Cluster, res, ns string, theirs runtime.Object, now time.Time, step int) (string, runtime.Object) {
	label := func(s string) string { return fmt.Sprintf("%s#%d", s, step) }
	tm := theirs.(metav1.Object)
	name := tm.GetName()
	before, _ := c.Get(res, ns, name)
	beforeRV := before.(metav1.Object).GetResourceVersion()
	verb := rapid.SampledFrom([]workload.Verb{workload.Update, workload.UpdateStatus, workload.Patch, workload.Delete, workload.Delete}).Draw(t, label("verb"))
	a := workload.Action{Verb: verb, Resource: res, Namespace: ns, Name: name}
	var (
		want    runtime.Object
		removed bool
		wantErr error
		what    string
	)
	switch verb {
	case workload.Update, workload.UpdateStatus:
		status := verb == workload.UpdateStatus
		obj := before.DeepCopyObject()
		mutate(t, obj)
		m := obj.(metav1.Object)
		switch rapid.IntRange(0, 4).Draw(t, label("rv")) {
		case 0:
			m.SetResourceVersion("")
		case 1:
			m.SetResourceVersion("999")
		}
		a.Object = obj
		what = fmt.Sprintf("%s %s: %s", verb, res, js(obj))
		switch {
		case status && res == workload.ResourceControllerRevisions:
			cov.Add("update-status/no-subresource")
			_, err := c.Do(a)
			if !apierrors.IsNotFound(err) {
				return fmt.Sprintf("%s: got %v, want NotFound (no status subresource)", what, err), nil
			}
			return "", theirs
		case m.GetResourceVersion() == "999":
			cov.Add("update/stale-rv")
			_, err := c.Do(a)
			if !apierrors.IsConflict(err) {
				return fmt.Sprintf("%s: got %v, want Conflict (stale resourceVersion)", what, err), nil
			}
			return "", theirs
		}
		want, removed, wantErr = upstreamUpdate(res, ns, obj, theirs, status)
		if status {
			cov.Add("update-status")
		} else {
			cov.Add("update")
		}
	case workload.Patch:
		pt, patch, kind := patchBody(t, tm.GetUID())
		a.PatchType, a.Patch = pt, patch
		what = fmt.Sprintf("patch %s (%s): %s", res, pt, patch)
		want, removed, wantErr = upstreamPatch(res, ns, pt, patch, theirs)
		if bytes.Contains(patch, []byte("stale-uid")) {
			cov.Add("patch/stale-uid")
		}
		cov.Add("patch/" + normalPatchKind(kind))
	case workload.Delete:
		if res == cluster.ResourceNamespaces {
			return "", theirs // the namespace REST storage is not the generic store's
		}
		opts := deleteOptions(t, tm.GetUID(), beforeRV)
		a.DeleteOptions = opts
		what = fmt.Sprintf("delete %s options %s", res, js(opts))
		out, err := upstreamDelete(res, ns, opts, theirs)
		wantErr = err
		switch {
		case err != nil:
			cov.Add("delete/precondition-failed")
		case out.pending:
			cov.Add("delete/pending")
			want = theirs
		default:
			want, removed = out.object, out.removed
		}
		if opts != nil && opts.PropagationPolicy != nil && err == nil {
			cov.Add("delete/" + map[metav1.DeletionPropagation]string{metav1.DeletePropagationOrphan: "orphan", metav1.DeletePropagationForeground: "foreground", metav1.DeletePropagationBackground: "background"}[*opts.PropagationPolicy])
		}
	}
	_, err := c.Do(a)
	if (err == nil) != (wantErr == nil) || (err != nil && apierrors.ReasonForError(err) != apierrors.ReasonForError(wantErr)) {
		return fmt.Sprintf("%s: kubepure error %v, upstream %v\n  stored: %s", what, err, wantErr, js(theirs)), nil
	}
	if err != nil {
		return "", theirs
	}
	stored, getErr := c.Get(res, ns, name)
	if removed {
		if !apierrors.IsNotFound(getErr) {
			return fmt.Sprintf("%s: upstream removes the object, kubepure keeps %s\n  before: %s", what, js(stored), js(theirs)), nil
		}
		noteRemoved(cov, verb, want)
		return "", nil
	}
	if getErr != nil {
		return fmt.Sprintf("%s: kubepure removed the object, upstream keeps %s", what, js(want)), nil
	}
	sm := stored.(metav1.Object)
	// resourceVersion: upstream's side has no storage; the rule is that a
	// write that changes the object's bytes takes a new revision and one
	// that changes nothing keeps the old one.
	want = want.DeepCopyObject()
	wm := want.(metav1.Object)
	wm.SetResourceVersion(beforeRV)
	unchanged := equalJSON(want, theirs, sm, now)
	switch {
	case unchanged && sm.GetResourceVersion() != beforeRV:
		return fmt.Sprintf("%s: nothing changed but kubepure wrote a new resourceVersion %s (was %s)", what, sm.GetResourceVersion(), beforeRV), nil
	case !unchanged && sm.GetResourceVersion() == beforeRV:
		return fmt.Sprintf("%s: the object changed but kubepure kept resourceVersion %s", what, beforeRV), nil
	}
	if unchanged && verb == workload.Update {
		cov.Add("update/noop")
	}
	wm.SetResourceVersion(sm.GetResourceVersion())
	if d := diff(want, stored, now); d != "" {
		return fmt.Sprintf("%s differs (-upstream +kubepure):\n%s\n  before: %s", what, d, js(theirs)), nil
	}
	noteKept(cov, verb, theirs, stored)
	return "", want
}

func normalPatchKind(kind string) string {
	switch kind {
	case "adopt", "adopt-job":
		return "adopt"
	case "release", "release-job":
		return "release"
	case "finalizer-removal", "merge-finalizers":
		return "finalizer-removal"
	}
	return "merge-labels"
}

func noteRemoved(cov check.Coverage, verb workload.Verb, written runtime.Object) {
	switch {
	case verb != workload.Delete:
		cov.Add("update/delete-during-update")
	case written != nil:
		cov.Add("delete/two-writes")
	default:
		cov.Add("delete/removed")
	}
}

func noteKept(cov check.Coverage, verb workload.Verb, before, after runtime.Object) {
	bm, am := before.(metav1.Object), after.(metav1.Object)
	if verb == workload.Update && am.GetGeneration() > bm.GetGeneration() {
		cov.Add("update/generation-bump")
	}
	if verb == workload.Delete && am.GetDeletionTimestamp() != nil {
		if g := am.GetDeletionGracePeriodSeconds(); g != nil && *g > 0 {
			cov.Add("delete/graceful")
		} else {
			cov.Add("delete/held-by-finalizers")
		}
	}
}

// equalJSON reports whether want (normalised against ours) serialises as
// before does.
func equalJSON(want, before runtime.Object, ours metav1.Object, now time.Time) bool {
	w := normalise(want, ours, now)
	b := normalise(before, ours, now)
	return bytes.Equal(w, b)
}

// diff compares upstream's object with kubepure's as JSON after
// normalise.
func diff(theirs, ours runtime.Object, now time.Time) string {
	w := normalise(theirs, ours.(metav1.Object), now)
	g := normalise(ours, ours.(metav1.Object), now)
	if bytes.Equal(w, g) {
		return ""
	}
	var a, b any
	_ = json.Unmarshal(w, &a)
	_ = json.Unmarshal(g, &b)
	return cmp.Diff(a, b)
}

// normalise renders obj as JSON after the one normalisation the two sides
// need by design: upstream's code reads the wall clock for a deletion
// timestamp and for the lastTransitionTime of a condition it adds, where
// kubepure reads its own clock (set to the wall clock at the start of the
// state). A timestamp within two seconds of kubepure's value for the same
// field is taken as kubepure's. Names, UIDs and creation timestamps need
// none: upstream's side takes kubepure's, as the store fills them before
// the strategy runs.
func normalise(obj runtime.Object, ours metav1.Object, now time.Time) []byte {
	obj = obj.DeepCopyObject()
	m := obj.(metav1.Object)
	close := func(a, b time.Time) bool { d := a.Sub(b); return d < 2*time.Second && d > -2*time.Second }
	if dt, odt := m.GetDeletionTimestamp(), ours.GetDeletionTimestamp(); dt != nil && odt != nil && close(dt.Time, odt.Time) {
		m.SetDeletionTimestamp(odt)
	}
	if p, ok := obj.(*v1.Pod); ok {
		for i := range p.Status.Conditions {
			if lt := p.Status.Conditions[i].LastTransitionTime; close(lt.Time, now) {
				p.Status.Conditions[i].LastTransitionTime = metav1.NewTime(now.Truncate(time.Second))
			}
		}
	}
	b, _ := json.Marshal(obj)
	return b
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
