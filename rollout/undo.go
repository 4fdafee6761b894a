package rollout

import (
	"encoding/json"
	"fmt"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/internal/validate"
	"github.com/kubepure/kubepure/selector"
)

// Undo returns the Deployment that `kubectl rollout undo` writes (its
// DeploymentRollbacker): the template of the ReplicaSet at toRevision (0:
// the revision before the newest), without its pod-template-hash label,
// and as annotations the Deployment's own (revision, history, replicas
// annotations, last-applied-configuration, rollback-to) plus every other
// annotation of that ReplicaSet; the Deployment's other annotations are
// dropped. Only ReplicaSets the Deployment controls and selects count.
//
// kubectl sends the template and annotations as a JSON patch; the result
// here is what the API server stores, so empty maps come back as nil. When
// the ReplicaSet already has the current template kubectl skips the write:
// the result is then an unchanged copy. Like kubectl, Undo refuses a
// negative or unknown revision, a Deployment without history and a paused
// Deployment; as Reconcile does, it refuses what no cluster holds (nil or
// duplicate ReplicaSets, templates without the API server's defaults),
// which would make the answer depend on the order of rss. d and rss are
// not modified.
func Undo(d *appsv1.Deployment, rss []*appsv1.ReplicaSet, toRevision int64) (*appsv1.Deployment, error) {
	if d == nil {
		return nil, field.ErrorList{field.Required(field.NewPath("deployment"), "")}.ToAggregate()
	}
	if toRevision < 0 {
		return nil, fmt.Errorf("unable to find specified revision %d in history", toRevision)
	}
	sel, err := selector.FromLabelSelector(d.Spec.Selector, field.NewPath("deployment", "spec", "selector"))
	if err != nil {
		return nil, err
	}
	if errs := undoInputErrors(d, rss); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	var owned []*appsv1.ReplicaSet
	for _, rs := range rss {
		ref := metav1.GetControllerOfNoCopy(rs)
		if rs.Namespace == d.Namespace && ref != nil && ref.UID == d.UID && sel.Matches(labels.Set(rs.Labels)) {
			owned = append(owned, rs)
		}
	}
	sortForUndo(owned)
	target, err := undoTarget(d, owned, toRevision)
	if err != nil {
		return nil, err
	}
	if d.Spec.Paused {
		return nil, fmt.Errorf("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/%s' and try again", d.Name)
	}
	out := d.DeepCopy()
	if equalIgnoreHash(&target.Spec.Template, &d.Spec.Template) {
		return out, nil
	}
	tmpl := target.Spec.Template.DeepCopy()
	delete(tmpl.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	// The template travels as JSON: what the server stores is the JSON
	// round trip of it (empty maps and lists omitted, so nil).
	raw, err := json.Marshal(tmpl)
	if err != nil {
		return nil, fmt.Errorf("failed restoring revision %d: %v", toRevision, err)
	}
	var stored v1.PodTemplateSpec
	if err := json.Unmarshal(raw, &stored); err != nil {
		return nil, fmt.Errorf("failed restoring revision %d: %v", toRevision, err)
	}
	out.Spec.Template = stored

	ann := map[string]string{}
	for k := range notCopied {
		if v, ok := d.Annotations[k]; ok {
			ann[k] = v
		}
	}
	for k, v := range target.Annotations {
		if !notCopied[k] {
			ann[k] = v
		}
	}
	out.Annotations = nil
	if len(ann) > 0 {
		out.Annotations = ann
	}
	return out, nil
}

// undoInputErrors reports what no cluster holds and what would make the
// answer depend on the order of rss: nil ReplicaSets, two ReplicaSets of
// one name or UID, and templates without the API server's defaults (which
// compare unequal to the stored ones).
func undoInputErrors(d *appsv1.Deployment, rss []*appsv1.ReplicaSet) field.ErrorList {
	path := field.NewPath("replicaSets")
	errs := validate.TemplateDefaulted(&d.Spec.Template, field.NewPath("deployment", "spec", "template"))
	errs = append(errs, validate.NoNilEntries(rss, path)...)
	for i, rs := range rss {
		if rs != nil {
			errs = append(errs, validate.TemplateDefaulted(&rs.Spec.Template, path.Index(i).Child("spec", "template"))...)
		}
	}
	return append(errs, uniqueObjects(rss, path)...)
}

// sortForUndo sorts by creation time (name breaking ties), the order
// kubectl lists them in before it sets the new ReplicaSet aside.
func sortForUndo(rss []*appsv1.ReplicaSet) {
	sort.Sort(byCreation(rss))
}

// undoTarget finds the ReplicaSet at toRevision, or for 0 the one with
// the second-highest revision.
func undoTarget(d *appsv1.Deployment, rss []*appsv1.ReplicaSet, toRevision int64) (*appsv1.ReplicaSet, error) {
	var newRS *appsv1.ReplicaSet
	var ordered []*appsv1.ReplicaSet
	for _, rs := range rss {
		if newRS == nil && equalIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
			newRS = rs
			continue
		}
		ordered = append(ordered, rs)
	}
	if newRS != nil {
		ordered = append(ordered, newRS)
	}
	latestRev, prevRev := int64(-1), int64(-1)
	var latest, prev *appsv1.ReplicaSet
	for _, rs := range ordered {
		v, err := revisionOf(rs)
		if err != nil {
			continue
		}
		switch {
		case toRevision != 0:
			if v == toRevision {
				return rs, nil
			}
		case latestRev < v:
			prevRev, prev = latestRev, latest
			latestRev, latest = v, rs
		case prevRev < v:
			prevRev, prev = v, rs
		}
	}
	if toRevision > 0 {
		return nil, fmt.Errorf("unable to find specified revision %d in history", toRevision)
	}
	if prev == nil {
		return nil, fmt.Errorf("no rollout history found for deployment %q", d.Name)
	}
	return prev, nil
}
