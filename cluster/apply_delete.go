package cluster

import (
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// delete is the API server's delete path (the generic store's Delete with
// rest.BeforeDelete): preconditions, the pod's grace period, the garbage
// collector's finalizers for the propagation policy, and then one of:
// removal, a write marking the object as being deleted (finalizers or a
// grace period hold it), both (a pod deleted with no grace: the write,
// then the removal), or nothing (a pod already in a grace period no
// shorter than the one asked).
func (c *Cluster) delete(k *kindInfo, ns, name string, options *metav1.DeleteOptions) (runtime.Object, error) {
	existing := c.lookup(k, ns, name)
	if existing == nil {
		return nil, errNotFound(k, name)
	}
	opts := metav1.DeleteOptions{}
	if options != nil {
		opts = *options.DeepCopy()
	}
	if errs := validateDeleteOptions(&opts); len(errs) > 0 {
		return nil, errInvalid(&kindInfo{group: metav1.GroupName, kind: "DeleteOptions"}, "", errs)
	}
	om := existing.(metav1.Object)
	if p := opts.Preconditions; p != nil {
		if p.UID != nil && *p.UID != om.GetUID() {
			return nil, errDeletePrecondition(k, name, "UID", string(*p.UID), string(om.GetUID()), "The object might have been deleted and then recreated")
		}
		if p.ResourceVersion != nil && *p.ResourceVersion != om.GetResourceVersion() {
			return nil, errDeletePrecondition(k, name, "ResourceVersion", *p.ResourceVersion, om.GetResourceVersion(), "The object might have been modified")
		}
	}
	if k.resource == ResourceNamespaces {
		return c.deleteNamespace(k, existing)
	}
	if g := opts.GracePeriodSeconds; g != nil && *g < 0 {
		opts.GracePeriodSeconds = ptrInt64(1)
	}

	if c.deletesAtOnce(k, existing, &opts) {
		return c.markAndRemove(k, existing), nil
	}
	obj := existing.DeepCopyObject()
	m := obj.(metav1.Object)
	if g := m.GetDeletionGracePeriodSeconds(); g != nil && *g < 0 {
		m.SetDeletionGracePeriodSeconds(ptrInt64(1))
	}
	graceful, pending := c.beforeGracefulDelete(k, obj, &opts)
	if pending {
		return existing.DeepCopyObject(), nil
	}
	changeFinalizers, finalizers := gcFinalizers(k, m, &opts)
	if !graceful && len(om.GetFinalizers()) == 0 && !changeFinalizers {
		return c.remove(k, ns, name).DeepCopyObject(), nil
	}
	if changeFinalizers {
		m.SetFinalizers(finalizers)
	}
	holding := len(m.GetFinalizers()) > 0
	if !graceful {
		if !holding {
			return c.remove(k, ns, name).DeepCopyObject(), nil
		}
		markAsDeleting(m, c.metaNow())
	}
	// A graceful delete always moves the deletion timestamp; marking an
	// object already marked may change nothing, and then writes nothing.
	if graceful || !equalObjects(obj, existing) {
		c.put(k, obj, ChangeModified)
	}
	if !holding && graceful && *opts.GracePeriodSeconds == 0 {
		c.remove(k, ns, name)
		return obj, nil
	}
	return obj.DeepCopyObject(), nil
}

// deletesAtOnce reports whether a delete of a pod not yet terminating ends
// with its removal: a grace period of 0 (unscheduled or finished pod, or
// asked for) and no finalizer to hold it.
func (c *Cluster) deletesAtOnce(k *kindInfo, existing runtime.Object, opts *metav1.DeleteOptions) bool {
	if !k.graceful {
		return false
	}
	pod := existing.(*v1.Pod)
	if pod.DeletionTimestamp != nil || podGracePeriod(pod, opts.GracePeriodSeconds) != 0 {
		return false
	}
	_, finalizers := gcFinalizers(k, pod, opts)
	return len(finalizers) == 0
}

// markAndRemove is the two writes of such a delete: the pod marked as
// deleted now with no grace (generation+1), then its removal. The mark is
// made on a shallow copy that replaces the stored object, as a State may
// share the stored object (see states.go); the copy is what the delete
// returns. Its nested data is shared only with States built before the
// delete, which no one changes; a deep copy here would triple the cost of
// a plan of deletes.
func (c *Cluster) markAndRemove(k *kindInfo, existing runtime.Object) runtime.Object {
	existing = shallowCopy(existing)
	m := existing.(metav1.Object)
	c.resources[k.resource].byNamespace[m.GetNamespace()][m.GetName()] = existing
	now := c.metaNow()
	m.SetDeletionTimestamp(&now)
	m.SetDeletionGracePeriodSeconds(ptrInt64(0))
	if g := m.GetGeneration(); g > 0 {
		m.SetGeneration(g + 1)
	}
	c.touch(k, m)
	return c.remove(k, m.GetNamespace(), m.GetName())
}

// beforeGracefulDelete is rest.BeforeDelete's grace-period part, which
// only pods have. It may shorten a running grace period, start one
// (deletionTimestamp = now + grace), or find the deletion pending (a
// second delete that asks for no shorter grace changes nothing). It sets
// opts.GracePeriodSeconds to the grace the request ends up with.
func (c *Cluster) beforeGracefulDelete(k *kindInfo, obj runtime.Object, opts *metav1.DeleteOptions) (graceful, pending bool) {
	if !k.graceful {
		return false, false
	}
	m := obj.(metav1.Object)
	now := c.metaNow()
	if dt := m.GetDeletionTimestamp(); dt != nil {
		stored := m.GetDeletionGracePeriodSeconds()
		if stored == nil || *stored == 0 {
			return false, false
		}
		if opts.GracePeriodSeconds == nil {
			opts.GracePeriodSeconds = stored
			return false, true
		}
		period := *opts.GracePeriodSeconds
		if period >= *stored {
			return false, true
		}
		ts := metav1.NewTime(dt.Add(time.Duration(period-*stored) * time.Second))
		if ts.Before(&now) {
			ts = now
			if period != 0 {
				period = 1
			}
		}
		m.SetDeletionTimestamp(&ts)
		m.SetDeletionGracePeriodSeconds(&period)
		return true, false
	}
	period := podGracePeriod(obj.(*v1.Pod), opts.GracePeriodSeconds)
	opts.GracePeriodSeconds = &period
	ts := metav1.NewTime(now.Add(time.Duration(period) * time.Second))
	m.SetDeletionTimestamp(&ts)
	m.SetDeletionGracePeriodSeconds(ptrInt64(period))
	if g := m.GetGeneration(); g > 0 {
		m.SetGeneration(g + 1)
	}
	return true, false
}

// podGracePeriod is the pod strategy's grace period for a delete: the
// request's, else the pod's terminationGracePeriodSeconds, else 0; 0 for
// a pod no node runs (unscheduled) or that has finished; at least 1 when
// negative.
func podGracePeriod(pod *v1.Pod, requested *int64) int64 {
	var period int64
	switch {
	case requested != nil:
		period = *requested
	case pod.Spec.TerminationGracePeriodSeconds != nil:
		period = *pod.Spec.TerminationGracePeriodSeconds
	}
	if pod.Spec.NodeName == "" || pod.Status.Phase == v1.PodFailed || pod.Status.Phase == v1.PodSucceeded {
		period = 0
	}
	if period < 0 {
		period = 1
	}
	return period
}

// markAsDeleting marks an object that finalizers hold: generation+1 the
// first time (for kinds with a generation), deletionTimestamp now unless an
// earlier one is set, grace 0.
func markAsDeleting(m metav1.Object, now metav1.Time) {
	if m.GetDeletionTimestamp() == nil && m.GetGeneration() > 0 {
		m.SetGeneration(m.GetGeneration() + 1)
	}
	if dt := m.GetDeletionTimestamp(); dt == nil || dt.After(now.Time) {
		m.SetDeletionTimestamp(&now)
	}
	m.SetDeletionGracePeriodSeconds(ptrInt64(0))
}

// gcFinalizers is the generic store's choice of garbage-collector
// finalizers for a delete: orphanDependents, else propagationPolicy, else
// a GC finalizer already on the object, else the kind's default (orphan
// for batch/v1 Jobs, background otherwise). Orphan means the orphan
// finalizer, Foreground the foregroundDeletion finalizer, Background
// neither. The list is rebuilt (other finalizers in order, the GC one
// last) only when the set changes.
func gcFinalizers(k *kindInfo, m metav1.Object, opts *metav1.DeleteOptions) (bool, []string) {
	orphan, foreground := k.orphanByDefault, false
	existing := m.GetFinalizers()
	// The deprecated orphanDependents still takes precedence on the
	// server, so the store honours it too.
	orphanDependents := opts.OrphanDependents //lint:ignore SA1019 the API server still reads it
	switch {
	case orphanDependents != nil:
		orphan = *orphanDependents
	case opts.PropagationPolicy != nil:
		orphan = *opts.PropagationPolicy == metav1.DeletePropagationOrphan
		foreground = *opts.PropagationPolicy == metav1.DeletePropagationForeground
	default:
		for _, f := range existing {
			if f == metav1.FinalizerOrphanDependents || f == metav1.FinalizerDeleteDependents {
				orphan = f == metav1.FinalizerOrphanDependents
				foreground = f == metav1.FinalizerDeleteDependents
				break
			}
		}
	}
	var out []string
	for _, f := range existing {
		if f != metav1.FinalizerOrphanDependents && f != metav1.FinalizerDeleteDependents {
			out = append(out, f)
		}
	}
	if orphan {
		out = append(out, metav1.FinalizerOrphanDependents)
	}
	if foreground {
		out = append(out, metav1.FinalizerDeleteDependents)
	}
	if sameSet(existing, out) {
		return false, existing
	}
	return true, out
}

func sameSet(a, b []string) bool {
	in := func(s string, list []string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	for _, s := range a {
		if !in(s, b) {
			return false
		}
	}
	for _, s := range b {
		if !in(s, a) {
			return false
		}
	}
	return true
}

// validateDeleteOptions is the part of the API server's DeleteOptions
// validation a controller's options can fail.
func validateDeleteOptions(opts *metav1.DeleteOptions) field.ErrorList {
	var errs field.ErrorList
	//lint:ignore SA1019 the API server still validates the deprecated field
	if opts.OrphanDependents != nil && opts.PropagationPolicy != nil {
		errs = append(errs, field.Invalid(field.NewPath("propagationPolicy"), *opts.PropagationPolicy, "orphanDependents and deletionPropagation cannot be both set"))
	}
	if p := opts.PropagationPolicy; p != nil {
		switch *p {
		case metav1.DeletePropagationBackground, metav1.DeletePropagationForeground, metav1.DeletePropagationOrphan:
		default:
			errs = append(errs, field.NotSupported(field.NewPath("propagationPolicy"), *p, []string{
				string(metav1.DeletePropagationForeground), string(metav1.DeletePropagationBackground), string(metav1.DeletePropagationOrphan), "nil"}))
		}
	}
	return errs
}

// deleteNamespace marks a namespace as terminating. Its spec finalizer
// (kubernetes) holds it until the namespace controller, which the store
// does not model, empties the namespace and removes the finalizer; a
// namespace with no finalizers of either kind goes at once.
func (c *Cluster) deleteNamespace(k *kindInfo, existing runtime.Object) (runtime.Object, error) {
	nsObj := existing.(*v1.Namespace)
	if nsObj.DeletionTimestamp != nil {
		return existing.DeepCopyObject(), nil
	}
	if len(nsObj.Spec.Finalizers) == 0 && len(nsObj.Finalizers) == 0 {
		return c.remove(k, "", nsObj.Name).DeepCopyObject(), nil
	}
	out := nsObj.DeepCopy()
	now := c.metaNow()
	out.DeletionTimestamp = &now
	out.Status.Phase = v1.NamespaceTerminating
	c.put(k, out, ChangeModified)
	return out.DeepCopy(), nil
}

func ptrInt64(v int64) *int64 { return &v }
