package gen

import (
	"fmt"
	"time"

	apps "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"
)

// OwnerUID is the UID of every generated owner.
const OwnerUID types.UID = "owner-uid"

// ClaimSituation is an owner, its selector and objects to claim, in every
// ownership situation ClaimObject distinguishes.
type ClaimSituation struct {
	Deleting bool
	Selector *metav1.LabelSelector
	// Metas are the objects' metadata; the caller wraps them in pods or
	// ReplicaSets.
	Metas []metav1.ObjectMeta
}

// Claim draws a situation. Objects live in the owner's namespace or in
// another one, carry labels the selector matches or not, are orphans,
// controlled by the owner, controlled by someone else, or only referenced
// (not controlled) by the owner, and are sometimes being deleted.
func Claim(t *rapid.T, now time.Time) ClaimSituation {
	s := ClaimSituation{Deleting: rapid.IntRange(0, 4).Draw(t, "ownerDeleting") == 0}
	switch rapid.IntRange(0, 3).Draw(t, "selectorKind") {
	case 0:
		s.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	case 1:
		s.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"web", "api"}},
		}}
	case 2:
		s.Selector = &metav1.LabelSelector{
			MatchLabels:      map[string]string{"app": "web"},
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"cache"}}},
		}
	default:
		s.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "tier", Operator: metav1.LabelSelectorOpExists},
			{Key: "legacy", Operator: metav1.LabelSelectorOpDoesNotExist},
		}}
	}
	n := rapid.IntRange(0, 8).Draw(t, "objects")
	for i := range n {
		name := fmt.Sprintf("obj-%d", i)
		m := metav1.ObjectMeta{
			Name:      name,
			Namespace: rapid.SampledFrom([]string{"default", "default", "other"}).Draw(t, name+".namespace"),
			UID:       types.UID("uid-" + name),
			Labels:    map[string]string{},
		}
		if app := rapid.SampledFrom([]string{"web", "api", "db", ""}).Draw(t, name+".app"); app != "" {
			m.Labels["app"] = app
		}
		if tier := rapid.SampledFrom([]string{"front", "cache", ""}).Draw(t, name+".tier"); tier != "" {
			m.Labels["tier"] = tier
		}
		if rapid.IntRange(0, 5).Draw(t, name+".legacy") == 0 {
			m.Labels["legacy"] = "true"
		}
		switch rapid.IntRange(0, 4).Draw(t, name+".owner") {
		case 0: // orphan
		case 1: // controlled by us
			m.OwnerReferences = []metav1.OwnerReference{ownerRef(OwnerUID, "owner", true)}
		case 2: // controlled by someone else
			m.OwnerReferences = []metav1.OwnerReference{ownerRef("someone-else", "other", true)}
		case 3: // referenced by us, but not as controller: still an orphan
			m.OwnerReferences = []metav1.OwnerReference{ownerRef(OwnerUID, "owner", false)}
		default: // a plain reference to someone else, then our controller reference
			m.OwnerReferences = []metav1.OwnerReference{ownerRef("someone-else", "other", false), ownerRef(OwnerUID, "owner", true)}
		}
		if rapid.IntRange(0, 4).Draw(t, name+".deleting") == 0 {
			ts := metav1.NewTime(now.Add(-time.Second))
			m.DeletionTimestamp = &ts
		}
		s.Metas = append(s.Metas, m)
	}
	return s
}

func ownerRef(uid types.UID, name string, controller bool) metav1.OwnerReference {
	r := metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: name, UID: uid, BlockOwnerDeletion: ptr.To(true)}
	if controller {
		r.Controller = ptr.To(true)
	}
	return r
}

// OwnerMeta is the metadata of the situation's owner.
func (s ClaimSituation) OwnerMeta(now time.Time) metav1.ObjectMeta {
	m := metav1.ObjectMeta{Name: "owner", Namespace: "default", UID: OwnerUID}
	if s.Deleting {
		ts := metav1.NewTime(now.Add(-time.Second))
		m.DeletionTimestamp = &ts
	}
	return m
}

// Pods wraps the objects in pods.
func (s ClaimSituation) Pods() []*v1.Pod {
	out := make([]*v1.Pod, len(s.Metas))
	for i, m := range s.Metas {
		out[i] = &v1.Pod{ObjectMeta: *m.DeepCopy(), Spec: v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "nginx"}}}}
	}
	return out
}

// ReplicaSets wraps the objects in ReplicaSets.
func (s ClaimSituation) ReplicaSets() []*apps.ReplicaSet {
	out := make([]*apps.ReplicaSet, len(s.Metas))
	for i, m := range s.Metas {
		out[i] = &apps.ReplicaSet{ObjectMeta: *m.DeepCopy()}
	}
	return out
}
