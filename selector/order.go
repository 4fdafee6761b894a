package selector

import (
	"cmp"
	"reflect"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// compareObjects is the total order this package walks objects in:
// namespace, then name, then UID, then resourceVersion. Upstream walks
// informer order, which carries no meaning, so any fixed order is as
// faithful; this one makes results independent of the caller's slice order.
func compareObjects[T metav1.Object](a, b T) int {
	if c := cmp.Compare(a.GetNamespace(), b.GetNamespace()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.GetName(), b.GetName()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.GetUID(), b.GetUID()); c != 0 {
		return c
	}
	return cmp.Compare(a.GetResourceVersion(), b.GetResourceVersion())
}

// sortObjects sorts s in place by compareObjects.
func sortObjects[T metav1.Object](s []T) {
	slices.SortStableFunc(s, compareObjects[T])
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
