package selector

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ControllerRef returns the controller ownerReference a controller puts on
// the objects it creates or adopts:
//
//	{APIVersion: gvk.GroupVersion().String(), Kind: gvk.Kind, Name, UID,
//	 Controller: true, BlockOwnerDeletion: true}
//
// It returns nil for a nil owner.
func ControllerRef(owner metav1.Object, gvk schema.GroupVersionKind) *metav1.OwnerReference {
	if isNil(owner) {
		return nil
	}
	return metav1.NewControllerRef(owner, gvk)
}

// ControllerOf returns a copy of the first ownerReference with
// controller=true, or nil when there is none (as metav1.GetControllerOf).
// Only the first one counts: the API server refuses a second controller
// reference, and upstream never looks past the first.
func ControllerOf(obj metav1.Object) *metav1.OwnerReference {
	if isNil(obj) {
		return nil
	}
	return metav1.GetControllerOf(obj)
}

// OwnedBy returns the objects the owner's controller would list as its own:
// those whose controller reference names the owner's kind, name and UID in
// the owner's namespace (the API group and version are ignored, as upstream
// FilterPodsByOwner does), followed, when includeOrphans is set, by the
// objects in the owner's namespace that have no controller reference at
// all. Objects controlled by anything else never appear.
//
// Upstream returns controlled objects first and orphans second, each group
// in informer order; here each group is sorted by namespace, name, UID and
// resourceVersion. Upstream refuses an owner without namespace, name or UID
// or an empty kind (the sync fails); here such an owner owns nothing, and
// the result is nil. Nil entries of objs are skipped. The returned slice is
// new; its elements are the caller's objects, unmodified.
func OwnedBy[T metav1.Object](owner metav1.Object, kind string, objs []T, includeOrphans bool) []T {
	if isNil(owner) || owner.GetNamespace() == "" || owner.GetName() == "" || owner.GetUID() == "" || kind == "" {
		return nil
	}
	var controlled, orphans []T
	for _, o := range objs {
		if isNil(o) || o.GetNamespace() != owner.GetNamespace() {
			continue
		}
		ref := metav1.GetControllerOfNoCopy(o)
		switch {
		case ref == nil:
			if includeOrphans {
				orphans = append(orphans, o)
			}
		case ref.Kind == kind && ref.Name == owner.GetName() && ref.UID == owner.GetUID():
			controlled = append(controlled, o)
		}
	}
	sortObjects(controlled)
	sortObjects(orphans)
	return append(controlled, orphans...)
}
