package selector

import (
	"encoding/json"
	"testing"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// FuzzFromLabelSelector checks that any selector either converts exactly as
// upstream's converter does or is refused by both, and never panics.
func FuzzFromLabelSelector(f *testing.F) {
	f.Add("app", "web", "env", "In", "prod")
	f.Add("", "", "k", "Exists", "")
	f.Add("a/b", "-x", "k", "Gt", "1")
	f.Fuzz(func(t *testing.T, lk, lv, ek, op, ev string) {
		sel := &metav1.LabelSelector{MatchLabels: map[string]string{lk: lv}}
		expr := metav1.LabelSelectorRequirement{Key: ek, Operator: metav1.LabelSelectorOperator(op)}
		if ev != "" {
			expr.Values = []string{ev}
		}
		sel.MatchExpressions = []metav1.LabelSelectorRequirement{expr}
		got, err := FromLabelSelector(sel, field.NewPath("spec", "selector"))
		want, wantErr := metav1.LabelSelectorAsSelector(sel)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("error %v, upstream error %v", err, wantErr)
		}
		if err != nil {
			return
		}
		if got.String() != want.String() {
			t.Fatalf("got %q, upstream %q", got, want)
		}
		set := labels.Set{lk: lv, ek: ev}
		if got.Matches(set) != want.Matches(set) {
			t.Fatalf("match differs on %v", set)
		}
	})
}

// FuzzClaimObjects claims pods with arbitrary names, UIDs and labels and
// checks that patches are valid JSON that names the right objects.
func FuzzClaimObjects(f *testing.F) {
	f.Add("rs", "me", "a", "uid-a", "web", "", false, false)
	f.Add("rs", "me", "b", "uid-b", "db", "me", false, true)
	f.Add("<&>", "\xff", "c", "c\u2028", "web", "other", true, false)
	f.Fuzz(func(t *testing.T, ownerName, ownerUID, podName, podUID, app, ctrl string, ownerDeleting, podDeleting bool) {
		o := owner(ownerName, types.UID(ownerUID), ownerDeleting)
		p := pod(podName, map[string]string{"app": app}, types.UID(ctrl))
		p.UID = types.UID(podUID)
		if podDeleting {
			p.DeletionTimestamp = o.DeletionTimestamp
			if p.DeletionTimestamp == nil {
				ts := metav1.Now()
				p.DeletionTimestamp = &ts
			}
		}
		c := ClaimObjects(o, rsGVK, labels.SelectorFromSet(labels.Set{"app": "web"}), []*v1.Pod{p, nil})
		for _, ch := range c.Changes {
			var body struct {
				Metadata struct {
					UID string `json:"uid"`
				} `json:"metadata"`
			}
			if err := json.Unmarshal(ch.Patch, &body); err != nil {
				t.Fatalf("%s patch is not JSON: %v: %s", ch.Kind, err, ch.Patch)
			}
			// Round-trip the UID through JSON, which turns invalid UTF-8
			// into U+FFFD just as the patch encoding does.
			enc, _ := json.Marshal(podUID)
			var want string
			_ = json.Unmarshal(enc, &want)
			if body.Metadata.UID != want {
				t.Fatalf("patch names uid %q, want %q", body.Metadata.UID, want)
			}
		}
		if len(c.Claimed)+len(c.Changes) > 2 {
			t.Fatalf("one pod gave %d results", len(c.Claimed)+len(c.Changes))
		}
	})
}
