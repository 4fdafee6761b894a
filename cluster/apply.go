package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	batchv1 "k8s.io/api/batch/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/workload"
)

// ActionResult is the outcome of one action of a plan: the object the API
// server answered with, or the error it returned.
type ActionResult struct {
	Action workload.Action
	// Object is a copy of the object after the call: the created or
	// written object, a deleted object's last state, or the unchanged
	// object when the call changed nothing. It is nil on error.
	Object runtime.Object
	// Err is an *apierrors.StatusError with the API server's reason, or
	// nil.
	Err error
}

// Apply sends the plan's actions to the store one by one, in order, and
// returns one result per action. A failed action does not stop the ones
// after it: a controller's sync sends every call it decided on (its pod
// creates and deletes run in parallel batches, its status update comes
// last whatever happened before), and reacts to the failures only at its
// next sync. Events and requeues are the caller's.
func (c *Cluster) Apply(plan workload.Plan) []ActionResult {
	results := make([]ActionResult, len(plan.Actions))
	for i, a := range plan.Actions {
		obj, err := c.Do(a)
		results[i] = ActionResult{Action: a, Object: obj, Err: err}
	}
	return results
}

// Failed returns the results whose action failed.
func Failed(results []ActionResult) []ActionResult {
	var out []ActionResult
	for _, r := range results {
		if r.Err != nil {
			out = append(out, r)
		}
	}
	return out
}

// Do sends one action to the store as the API server would handle the
// same request, and returns a copy of the object the server would answer
// with.
func (c *Cluster) Do(a workload.Action) (runtime.Object, error) {
	k := kindOfResource(a.Resource)
	if k == nil {
		return nil, apierrors.NewNotFound(schema.GroupResource{Resource: a.Resource}, a.Name)
	}
	ns := a.Namespace
	if !k.namespaced {
		ns = ""
	} else if ns == "" {
		return nil, errBadRequest("%s: a namespaced resource needs the request's namespace", k.resource)
	}
	switch a.Verb {
	case workload.Create:
		if a.Object == nil {
			return nil, errBadRequest("create %s: no object in the request", k.resource)
		}
		return c.create(k, ns, a.Object)
	case workload.Update, workload.UpdateStatus:
		if a.Object == nil {
			return nil, errBadRequest("update %s: no object in the request", k.resource)
		}
		return c.update(k, ns, a.Name, a.Object, a.Verb == workload.UpdateStatus)
	case workload.Patch:
		return c.patch(k, ns, a.Name, a.PatchType, a.Patch)
	case workload.Delete:
		return c.delete(k, ns, a.Name, a.DeleteOptions)
	}
	return nil, apierrors.NewMethodNotSupported(k.groupResource(), string(a.Verb))
}

// body checks that the request body is an object of the resource's kind
// and returns a copy of it whose namespace is the request's, as the API
// server fills an empty one and refuses a different one.
func body(k *kindInfo, ns string, in runtime.Object) (runtime.Object, metav1.Object, error) {
	if kindOfObject(in) != k {
		return nil, nil, errBadRequest("a %T is not a %s", in, k.kind)
	}
	obj := in.DeepCopyObject()
	obj.GetObjectKind().SetGroupVersionKind(schema.GroupVersionKind{})
	m := obj.(metav1.Object)
	switch {
	case m.GetNamespace() == ns:
	case m.GetNamespace() == "" || !k.namespaced:
		m.SetNamespace(ns)
	default:
		return nil, nil, errBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return obj, m, nil
}

// create is the API server's create path: defaulting, system fields,
// owner-reference deduplication, namespace admission, name generation with
// retries, the registry strategy, and the read-time defaulting of what
// was stored.
func (c *Cluster) create(k *kindInfo, ns string, in runtime.Object) (runtime.Object, error) {
	obj, m, err := body(k, ns, in)
	if err != nil {
		return nil, err
	}
	shared := jobLabelsShared(obj)
	if err := Default(obj); err != nil {
		return nil, errBadRequest("%v", err)
	}
	if m.GetResourceVersion() != "" {
		return nil, apierrors.NewInternalError(errors.New("resourceVersion should not be set on objects to be created"))
	}
	m.SetCreationTimestamp(metav1.Time{})
	m.SetUID("")
	m.SetDeletionTimestamp(nil)
	m.SetDeletionGracePeriodSeconds(nil)
	m.SetSelfLink("")
	m.SetOwnerReferences(dedupOwnerReferences(m.GetOwnerReferences()))
	if errs := validateOwnerReferences(m.GetOwnerReferences()); len(errs) > 0 {
		return nil, errInvalid(k, m.GetName(), errs)
	}
	if m.GetName() == "" && m.GetGenerateName() == "" {
		return nil, errInvalid(k, "", field.ErrorList{field.Required(field.NewPath("metadata", "name"), "name or generateName is required")})
	}
	if k.namespaced {
		if nsObj := c.lookup(kindOfResource(ResourceNamespaces), "", ns); nsObj != nil && nsObj.(metav1.Object).GetDeletionTimestamp() != nil {
			return nil, errNamespaceTerminating(k, m.GetName(), ns)
		}
	}
	generate := m.GetName() == ""
	for attempt := 1; ; attempt++ {
		try := obj
		if generate {
			try = obj.DeepCopyObject()
		}
		tm := try.(metav1.Object)
		tm.SetCreationTimestamp(c.metaNow())
		tm.SetUID(c.newUID())
		if generate {
			tm.SetName(c.generateName(tm.GetGenerateName()))
		}
		if err := c.prepareForCreate(try); err != nil {
			return nil, err
		}
		if shared {
			job := try.(*batchv1.Job)
			job.Labels = maps.Clone(job.Spec.Template.Labels)
		}
		if err := Default(try); err != nil {
			return nil, errBadRequest("%v", err)
		}
		if existing := c.lookup(k, ns, tm.GetName()); existing != nil {
			if generate && attempt < maxNameAttempts {
				continue
			}
			return nil, errAlreadyExists(k, tm.GetName(), existing.(metav1.Object).GetDeletionTimestamp() != nil)
		}
		c.put(k, try, ChangeAdded)
		return try.DeepCopyObject(), nil
	}
}

// jobLabelsShared reports whether obj is a Job whose labels the API
// server's decoding takes from its template. The defaulter hands the Job
// the template's own label map, not a copy, so the selector labels the
// create strategy adds to the template afterwards show in the Job's labels
// too: a Job created without labels is stored with all of its template's,
// generated ones included.
func jobLabelsShared(obj runtime.Object) bool {
	job, ok := obj.(*batchv1.Job)
	return ok && len(job.Labels) == 0 && job.Spec.Template.Labels != nil
}

// dedupOwnerReferences drops a reference identical to an earlier one (same
// UID and same fields), as the API server does with a warning; references
// that share a UID but differ are left for validation.
func dedupOwnerReferences(refs []metav1.OwnerReference) []metav1.OwnerReference {
	if len(refs) < 2 {
		return refs
	}
	out := refs[:0:0]
	for _, r := range refs {
		dup := false
		for _, seen := range out {
			if seen.UID == r.UID && equalOwnerRef(seen, r) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, r)
		}
	}
	return out
}

func equalOwnerRef(a, b metav1.OwnerReference) bool {
	eq := func(x, y *bool) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.APIVersion == b.APIVersion && a.Kind == b.Kind && a.Name == b.Name && a.UID == b.UID &&
		eq(a.Controller, b.Controller) && eq(a.BlockOwnerDeletion, b.BlockOwnerDeletion)
}

// update is a PUT of the main resource or (status) the status subresource.
func (c *Cluster) update(k *kindInfo, ns, name string, in runtime.Object, status bool) (runtime.Object, error) {
	if status && k.resource == workload.ResourceControllerRevisions {
		return nil, apierrors.NewNotFound(schema.GroupResource{Group: k.group, Resource: k.resource + "/status"}, name)
	}
	obj, m, err := body(k, ns, in)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = m.GetName()
	}
	if m.GetName() != name {
		return nil, errBadRequest("the name of the object (%s) does not match the name on the URL (%s)", m.GetName(), name)
	}
	existing := c.lookup(k, ns, name)
	if existing == nil {
		return nil, errNotFound(k, name)
	}
	om := existing.(metav1.Object)
	// A UID in the body is a storage precondition of the update.
	if uid := m.GetUID(); uid != "" && uid != om.GetUID() {
		return nil, errUpdateUIDPrecondition(k, name, string(uid), string(om.GetUID()))
	}
	return c.write(k, existing, obj, status)
}

// write is the part of an update or patch inside the storage transaction:
// the optimistic lock, defaulting, the update strategy, the fields no
// update may change, then either the write, nothing (identical content),
// or the deletion of an object whose last finalizer just went.
func (c *Cluster) write(k *kindInfo, existing, obj runtime.Object, status bool) (runtime.Object, error) {
	m, om := obj.(metav1.Object), existing.(metav1.Object)
	name := om.GetName()
	if rv := m.GetResourceVersion(); rv != "" && rv != om.GetResourceVersion() {
		return nil, errStaleResourceVersion(k, name)
	}
	if err := Default(obj); err != nil {
		return nil, errBadRequest("%v", err)
	}
	m.SetGeneration(om.GetGeneration())
	if status && k.resource == workload.ResourcePods {
		// The pod status strategy clears it; the generic code below puts
		// the stored one back.
		m.SetDeletionTimestamp(nil)
	}
	if err := prepareForUpdate(obj, existing, status); err != nil {
		return nil, err
	}
	if m.GetUID() == "" {
		m.SetUID(om.GetUID())
	} else if m.GetUID() != om.GetUID() {
		return nil, errImmutable(k, name, field.NewPath("metadata", "uid"), m.GetUID())
	}
	if ct := om.GetCreationTimestamp(); !ct.IsZero() {
		m.SetCreationTimestamp(ct)
	}
	switch odt := om.GetDeletionTimestamp(); {
	case odt != nil:
		m.SetDeletionTimestamp(odt)
	case m.GetDeletionTimestamp() != nil:
		return nil, errImmutable(k, name, field.NewPath("metadata", "deletionTimestamp"), m.GetDeletionTimestamp())
	}
	if og := om.GetDeletionGracePeriodSeconds(); og != nil {
		if g := m.GetDeletionGracePeriodSeconds(); g != nil && *g != *og {
			return nil, errImmutable(k, name, field.NewPath("metadata", "deletionGracePeriodSeconds"), *g)
		}
		m.SetDeletionGracePeriodSeconds(og)
	} else if m.GetDeletionGracePeriodSeconds() != nil {
		return nil, errImmutable(k, name, field.NewPath("metadata", "deletionGracePeriodSeconds"), *m.GetDeletionGracePeriodSeconds())
	}
	if errs := validateOwnerReferences(m.GetOwnerReferences()); len(errs) > 0 {
		return nil, errInvalid(k, name, errs)
	}
	if odt := om.GetDeletionTimestamp(); odt != nil {
		if added := newFinalizers(m.GetFinalizers(), om.GetFinalizers()); len(added) > 0 {
			return nil, errInvalid(k, name, field.ErrorList{field.Forbidden(field.NewPath("metadata", "finalizers"),
				fmt.Sprintf("no new finalizers can be added if the object is being deleted, found new finalizers %#v", added))})
		}
	}
	// Read-time defaulting of what is stored (a Job whose labels were
	// cleared gets its template's back).
	if err := Default(obj); err != nil {
		return nil, errBadRequest("%v", err)
	}
	if len(m.GetFinalizers()) == 0 && om.GetDeletionTimestamp() != nil {
		if g := om.GetDeletionGracePeriodSeconds(); g == nil || *g == 0 {
			c.remove(k, om.GetNamespace(), name)
			m.SetResourceVersion(om.GetResourceVersion())
			return obj, nil
		}
	}
	m.SetResourceVersion(om.GetResourceVersion())
	if equalObjects(obj, existing) {
		return existing.DeepCopyObject(), nil
	}
	c.put(k, obj, ChangeModified)
	return obj.DeepCopyObject(), nil
}

// validateOwnerReferences is the API server's rule that at most one owner
// reference is the controller: an adoption patch racing another
// controller's adoption fails with Invalid, which the controllers expect.
func validateOwnerReferences(refs []metav1.OwnerReference) field.ErrorList {
	first := ""
	for _, r := range refs {
		if r.Controller == nil || !*r.Controller {
			continue
		}
		if first != "" {
			return field.ErrorList{field.Invalid(field.NewPath("metadata", "ownerReferences"), refs,
				fmt.Sprintf("Only one reference can have Controller set to true. Found \"true\" in references for %v and %v", first, r.Kind+"/"+r.Name))}
		}
		first = r.Kind + "/" + r.Name
	}
	return nil
}

// newFinalizers lists the finalizers of list that old lacks, sorted.
func newFinalizers(list, old []string) []string {
	var added []string
	for _, f := range list {
		if !slices.Contains(old, f) && !slices.Contains(added, f) {
			added = append(added, f)
		}
	}
	slices.Sort(added)
	return added
}

// equalObjects reports whether two objects serialise to the same bytes:
// the API server skips a write that would store what is already stored,
// so it consumes no revision and makes no watch event.
func equalObjects(a, b runtime.Object) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}
