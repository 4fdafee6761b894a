package selector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

func TestControllerRef(t *testing.T) {
	rs := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "web", UID: "u"}}
	yes := true
	want := &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web", UID: "u", Controller: &yes, BlockOwnerDeletion: &yes}
	if diff := cmp.Diff(want, ControllerRef(rs, rsGVK)); diff != "" {
		t.Error(diff)
	}
	if ControllerRef(nil, rsGVK) != nil {
		t.Error("nil owner gave a reference")
	}
}

func TestControllerOf(t *testing.T) {
	yes, no := true, false
	p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{OwnerReferences: []metav1.OwnerReference{
		{Kind: "A", UID: "1"},
		{Kind: "B", UID: "2", Controller: &no},
		{Kind: "C", UID: "3", Controller: &yes},
		{Kind: "D", UID: "4", Controller: &yes},
	}}}
	ref := ControllerOf(p)
	if ref == nil || ref.Kind != "C" {
		t.Fatalf("got %v, want the first controller reference (C)", ref)
	}
	ref.Kind = "changed"
	if p.OwnerReferences[2].Kind != "C" {
		t.Error("ControllerOf returned an alias into the object")
	}
	if ControllerOf(&v1.Pod{}) != nil {
		t.Error("orphan has a controller")
	}
}

func TestOwnedBy(t *testing.T) {
	yes := true
	ref := func(kind, name string, uid types.UID) []metav1.OwnerReference {
		return []metav1.OwnerReference{{APIVersion: "other.group/v9", Kind: kind, Name: name, UID: uid, Controller: &yes}}
	}
	mk := func(ns, name string, refs []metav1.OwnerReference) *v1.Pod {
		return &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID(name), OwnerReferences: refs}}
	}
	pods := []*v1.Pod{
		mk("ns", "z-orphan", nil),
		mk("ns", "b-ours", ref("ReplicaSet", "rs", "me")),
		mk("ns", "a-ours-any-group", ref("ReplicaSet", "rs", "me")),
		mk("ns", "wrong-kind", ref("Job", "rs", "me")),
		mk("ns", "wrong-name", ref("ReplicaSet", "other", "me")),
		mk("ns", "wrong-uid", ref("ReplicaSet", "rs", "old")),
		mk("other", "other-ns", ref("ReplicaSet", "rs", "me")),
		mk("other", "orphan-other-ns", nil),
		mk("ns", "a-orphan", []metav1.OwnerReference{{Kind: "ReplicaSet", Name: "rs", UID: "me"}}), // not a controller ref
		nil,
	}
	o := owner("rs", "me", false)
	if diff := cmp.Diff([]string{"a-ours-any-group", "b-ours", "a-orphan", "z-orphan"}, names(OwnedBy(o, "ReplicaSet", pods, true))); diff != "" {
		t.Errorf("with orphans (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a-ours-any-group", "b-ours"}, names(OwnedBy(o, "ReplicaSet", pods, false))); diff != "" {
		t.Errorf("without orphans (-want +got):\n%s", diff)
	}
	if got := OwnedBy(&metav1.ObjectMeta{Namespace: "ns", Name: "rs"}, "ReplicaSet", pods, true); got != nil {
		t.Errorf("owner without UID owns %v", names(got))
	}
	if got := OwnedBy(o, "", pods, true); got != nil {
		t.Errorf("empty kind owns %v", names(got))
	}
}
