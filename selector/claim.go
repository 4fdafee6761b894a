package selector

import (
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ChangeKind says whether a claim takes an object over or lets it go.
type ChangeKind string

const (
	// Adopt: the owner becomes the controller of an orphan.
	Adopt ChangeKind = "adopt"
	// Release: the owner removes its controller reference from an object it
	// no longer selects.
	Release ChangeKind = "release"
)

// Change is one ownership patch a claim makes: a strategic-merge patch of
// Object with the exact body upstream sends.
type Change[T metav1.Object] struct {
	Kind   ChangeKind
	Object T
	Patch  []byte
}

// Claim is the outcome of claiming a list of objects.
type Claim[T metav1.Object] struct {
	// Claimed is what the owner controls after the claim: the objects it
	// already controlled and still selects, plus the ones it adopts; released
	// objects are not in it. As upstream, these are the objects passed in,
	// not patched copies: an adopted object still shows no owner reference.
	Claimed []T
	// Changes are the adopt and release patches, in the order they are
	// issued.
	Changes []Change[T]
}

// ClaimObjects mirrors upstream BaseControllerRefManager.ClaimObject applied
// to each object of a list, with the selector as the only match test (as
// ClaimReplicaSets and ClaimControllerRevisions do). It assumes every patch
// succeeds and that the pre-adoption re-read of the owner succeeds iff the
// owner has no deletionTimestamp: the owner passed in stands for upstream's
// fresh GET.
//
// Objects are processed sorted by namespace, name, UID and resourceVersion,
// so the result does not depend on the order of objs. ownerGVK gives the
// apiVersion and kind written into adopt patches. A nil owner claims
// nothing; a nil selector selects nothing; nil objects are skipped. Neither
// the owner nor the objects are modified.
func ClaimObjects[T metav1.Object](owner metav1.Object, ownerGVK schema.GroupVersionKind, sel labels.Selector, objs []T) Claim[T] {
	match := func(o T) bool { return sel.Matches(labels.Set(o.GetLabels())) }
	return claim(owner, ownerGVK, sel, objs, match, nil)
}

// PodClaimOption adjusts ClaimPods for the controllers that claim pods with
// extra rules.
type PodClaimOption func(*podClaimOptions)

type podClaimOptions struct {
	filters    []func(*v1.Pod) bool
	finalizers []string
}

// WithPodFilter adds a test a pod must pass, besides the selector, to be
// kept or adopted; a pod the owner controls that fails it is released. The
// StatefulSet controller uses it to check that a pod's name belongs to the
// set. The filter runs only on pods the selector matches, and must not
// modify the pod.
func WithPodFilter(f func(*v1.Pod) bool) PodClaimOption {
	return func(o *podClaimOptions) {
		if f != nil {
			o.filters = append(o.filters, f)
		}
	}
}

// WithFinalizers makes adoption add, and release remove, these finalizers
// in the same patch. The Job controller claims with its
// batch.kubernetes.io/job-tracking finalizer.
func WithFinalizers(finalizers ...string) PodClaimOption {
	return func(o *podClaimOptions) {
		o.finalizers = append(o.finalizers, finalizers...)
	}
}

// ClaimPods is ClaimObjects for pods, as upstream PodControllerRefManager
// ClaimPods: a pod matches when the selector matches its labels and then
// every filter given with WithPodFilter accepts it; adoption and release
// patches carry the finalizers given with WithFinalizers. With no options
// it is exactly ClaimObjects (the ReplicaSet and DaemonSet controllers).
func ClaimPods(owner metav1.Object, ownerGVK schema.GroupVersionKind, sel labels.Selector, pods []*v1.Pod, opts ...PodClaimOption) Claim[*v1.Pod] {
	var o podClaimOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	match := func(p *v1.Pod) bool {
		// Selector first, so that filters only see pods that could match.
		if !sel.Matches(labels.Set(p.Labels)) {
			return false
		}
		for _, f := range o.filters {
			if !f(p) {
				return false
			}
		}
		return true
	}
	return claim(owner, ownerGVK, sel, pods, match, o.finalizers)
}

// claim applies the controller-ref rules to every object in the documented
// order.
func claim[T metav1.Object](owner metav1.Object, ownerGVK schema.GroupVersionKind, sel labels.Selector, objs []T, match func(T) bool, finalizers []string) Claim[T] {
	var out Claim[T]
	if isNil(owner) || sel == nil {
		return out
	}
	sorted := make([]T, 0, len(objs))
	for _, o := range objs {
		if !isNil(o) {
			sorted = append(sorted, o)
		}
	}
	sortObjects(sorted)

	ownerDeleting := owner.GetDeletionTimestamp() != nil
	for _, o := range sorted {
		switch decide(owner, ownerDeleting, o, match) {
		case keep:
			out.Claimed = append(out.Claimed, o)
		case adopt:
			out.Claimed = append(out.Claimed, o)
			out.Changes = append(out.Changes, Change[T]{
				Kind:   Adopt,
				Object: o,
				Patch:  AdoptPatch(ownerGVK, owner.GetName(), owner.GetUID(), o.GetUID(), finalizers...),
			})
		case release:
			out.Changes = append(out.Changes, Change[T]{
				Kind:   Release,
				Object: o,
				Patch:  ReleasePatch(owner.GetUID(), o.GetUID(), finalizers...),
			})
		}
	}
	return out
}

// verdict is what a claim does with one object.
type verdict int

const (
	ignore verdict = iota
	keep
	adopt
	release
)

// decide is upstream's ClaimObject decision for one object.
func decide[T metav1.Object](owner metav1.Object, ownerDeleting bool, o T, match func(T) bool) verdict {
	if ref := metav1.GetControllerOfNoCopy(o); ref != nil {
		switch {
		case ref.UID != owner.GetUID():
			// Someone else's: never touched. Only the UID is compared,
			// as upstream does.
			return ignore
		case match(o):
			// Keeping what is already ours takes no API call, so it is
			// allowed even while the owner or the object is being deleted.
			return keep
		case ownerDeleting:
			return ignore
		default:
			return release
		}
	}
	// An orphan. The checks run in upstream's order; the match function
	// (and so any pod filter) is not consulted for a deleting owner.
	if ownerDeleting || !match(o) {
		return ignore
	}
	if o.GetDeletionTimestamp() != nil {
		return ignore
	}
	if ns := owner.GetNamespace(); ns != "" && ns != o.GetNamespace() {
		return ignore
	}
	return adopt
}
