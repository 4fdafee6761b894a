package selector

import (
	"cmp"
	"reflect"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// objectKey is what the order of objects is decided by: namespace, then
// name, then UID, then resourceVersion. Upstream walks informer order,
// which carries no meaning, so any fixed order is as faithful; this one
// makes results independent of the caller's slice order.
type objectKey struct{ ns, name, uid, rv string }

func keyOf(o metav1.Object) objectKey {
	return objectKey{o.GetNamespace(), o.GetName(), string(o.GetUID()), o.GetResourceVersion()}
}

func compareKeys(a, b objectKey) int {
	if c := cmp.Compare(a.ns, b.ns); c != 0 {
		return c
	}
	if c := cmp.Compare(a.name, b.name); c != 0 {
		return c
	}
	if c := cmp.Compare(a.uid, b.uid); c != 0 {
		return c
	}
	return cmp.Compare(a.rv, b.rv)
}

// compareObjects is the total order this package walks objects in.
func compareObjects[T metav1.Object](a, b T) int {
	return compareKeys(keyOf(a), keyOf(b))
}

// sortObjects sorts s in place by compareObjects. Input that is already in
// order (as OwnedBy's output often is) costs one pass; otherwise each
// object's key is read once instead of once per comparison, which matters
// at thousands of pods.
func sortObjects[T metav1.Object](s []T) {
	if slices.IsSortedFunc(s, compareObjects[T]) {
		return
	}
	type keyed struct {
		key objectKey
		obj T
	}
	ks := make([]keyed, len(s))
	for i, o := range s {
		ks[i] = keyed{keyOf(o), o}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return compareKeys(a.key, b.key) })
	for i := range ks {
		s[i] = ks[i].obj
	}
}

// isNil reports whether v is nil or a typed nil pointer inside an interface,
// so that a nil *v1.Pod in a slice is skipped instead of dereferenced.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func:
		return rv.IsNil()
	}
	return false
}
