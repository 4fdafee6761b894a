package selector

import (
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

var rsGVK = schema.GroupVersionKind{Group: "apps", Version: "v1", Kind: "ReplicaSet"}

func owner(name string, uid types.UID, deleting bool) *metav1.ObjectMeta {
	m := &metav1.ObjectMeta{Namespace: "ns", Name: name, UID: uid}
	if deleting {
		t := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		m.DeletionTimestamp = &t
	}
	return m
}

// pod builds a pod in namespace ns; ctrl, when non-empty, is the UID of its
// controller (kind ReplicaSet, name "rs").
func pod(name string, lbls map[string]string, ctrl types.UID) *v1.Pod {
	p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, UID: types.UID("uid-" + name), Labels: lbls}}
	if ctrl != "" {
		yes := true
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs", UID: ctrl, Controller: &yes}}
	}
	return p
}

func names[T metav1.Object](objs []T) []string {
	out := []string{}
	for _, o := range objs {
		out = append(out, o.GetName())
	}
	return out
}
