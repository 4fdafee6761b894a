package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/apis/apps"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	"k8s.io/kubernetes/pkg/apis/batch"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	api "k8s.io/kubernetes/pkg/apis/core"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	"k8s.io/kubernetes/pkg/registry/apps/controllerrevision"
	"k8s.io/kubernetes/pkg/registry/apps/daemonset"
	"k8s.io/kubernetes/pkg/registry/apps/deployment"
	"k8s.io/kubernetes/pkg/registry/apps/replicaset"
	"k8s.io/kubernetes/pkg/registry/apps/statefulset"
	"k8s.io/kubernetes/pkg/registry/batch/cronjob"
	"k8s.io/kubernetes/pkg/registry/batch/job"
	"k8s.io/kubernetes/pkg/registry/core/namespace"
	"k8s.io/kubernetes/pkg/registry/core/node"
	"k8s.io/kubernetes/pkg/registry/core/persistentvolumeclaim"
	"k8s.io/kubernetes/pkg/registry/core/pod"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

// The generic store (k8s.io/apiserver/pkg/registry/generic/registry) and
// the request handlers cannot be linked into this module: they pull in the
// etcd client, gRPC and CEL, which the module does not require. Their few
// decisions the comparison needs (the garbage collector's finalizers on a
// delete, marking an object held by finalizers, deleting during an update
// that removes the last finalizer, dropping duplicate owner references)
// are restated below, each from the named upstream function; everything
// else upstream's side runs is upstream's own code.

// storeDeletionFinalizers restates store.go
// deletionFinalizersForGarbageCollection with shouldOrphanDependents and
// shouldDeleteDependentsInForeground, for a store with garbage collection
// on. orphanDefault is the strategy's DefaultGarbageCollectionPolicy being
// OrphanDependents.
func storeDeletionFinalizers(m metav1.Object, opts *metav1.DeleteOptions, orphanDefault bool) (bool, []string) {
	orphanDependents := opts.OrphanDependents //lint:ignore SA1019 the API server still reads it
	orphan := func() bool {
		if orphanDependents != nil {
			return *orphanDependents
		}
		if opts.PropagationPolicy != nil {
			switch *opts.PropagationPolicy {
			case metav1.DeletePropagationOrphan:
				return true
			case metav1.DeletePropagationBackground, metav1.DeletePropagationForeground:
				return false
			}
		}
		for _, f := range m.GetFinalizers() {
			switch f {
			case metav1.FinalizerOrphanDependents:
				return true
			case metav1.FinalizerDeleteDependents:
				return false
			}
		}
		return orphanDefault
	}()
	foreground := func() bool {
		if orphanDependents != nil {
			return false
		}
		if opts.PropagationPolicy != nil {
			switch *opts.PropagationPolicy {
			case metav1.DeletePropagationForeground:
				return true
			case metav1.DeletePropagationBackground, metav1.DeletePropagationOrphan:
				return false
			}
		}
		for _, f := range m.GetFinalizers() {
			switch f {
			case metav1.FinalizerDeleteDependents:
				return true
			case metav1.FinalizerOrphanDependents:
				return false
			}
		}
		return false
	}()
	out := []string{}
	for _, f := range m.GetFinalizers() {
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
	if sets.New(m.GetFinalizers()...).Equal(sets.New(out...)) {
		return false, m.GetFinalizers()
	}
	return true, out
}

// storeMarkAsDeleting restates store.go markAsDeleting.
func storeMarkAsDeleting(m metav1.Object, now time.Time) {
	if m.GetDeletionTimestamp() == nil && m.GetGeneration() > 0 {
		m.SetGeneration(m.GetGeneration() + 1)
	}
	if dt := m.GetDeletionTimestamp(); dt == nil || dt.After(now) {
		t := metav1.NewTime(now)
		m.SetDeletionTimestamp(&t)
	}
	zero := int64(0)
	m.SetDeletionGracePeriodSeconds(&zero)
}

// storeShouldDeleteDuringUpdate restates store.go ShouldDeleteDuringUpdate.
func storeShouldDeleteDuringUpdate(obj, old metav1.Object) bool {
	if len(obj.GetFinalizers()) > 0 || old.GetDeletionTimestamp() == nil {
		return false
	}
	g := old.GetDeletionGracePeriodSeconds()
	return g == nil || *g == 0
}

// dedupOwnerReferences restates handlers/rest.go dedupOwnerReferences:
// a reference with the UID of an earlier one and semantically equal to it
// is dropped.
func dedupOwnerReferences(refs []metav1.OwnerReference) []metav1.OwnerReference {
	var out []metav1.OwnerReference
	seen := map[types.UID]metav1.OwnerReference{}
	for _, r := range refs {
		if prev, ok := seen[r.UID]; ok && apiequality.Semantic.DeepEqual(prev, r) {
			continue
		}
		seen[r.UID] = r
		out = append(out, r)
	}
	return out
}

// strategies are upstream's registry strategies for one resource.
type strategies struct {
	main     rest.RESTCreateUpdateStrategy
	status   rest.RESTUpdateStrategy
	delete   rest.RESTDeleteStrategy
	internal func() runtime.Object
	external func() runtime.Object
}

var upstream = map[string]strategies{
	workload.ResourceDeployments: {deployment.Strategy, deployment.StatusStrategy, deployment.Strategy,
		func() runtime.Object { return &apps.Deployment{} }, func() runtime.Object { return &appsv1.Deployment{} }},
	workload.ResourceReplicaSets: {replicaset.Strategy, replicaset.StatusStrategy, replicaset.Strategy,
		func() runtime.Object { return &apps.ReplicaSet{} }, func() runtime.Object { return &appsv1.ReplicaSet{} }},
	workload.ResourceDaemonSets: {daemonset.Strategy, daemonset.StatusStrategy, daemonset.Strategy,
		func() runtime.Object { return &apps.DaemonSet{} }, func() runtime.Object { return &appsv1.DaemonSet{} }},
	workload.ResourceStatefulSets: {statefulset.Strategy, statefulset.StatusStrategy, statefulset.Strategy,
		func() runtime.Object { return &apps.StatefulSet{} }, func() runtime.Object { return &appsv1.StatefulSet{} }},
	workload.ResourceControllerRevisions: {controllerrevision.Strategy, nil, controllerrevision.Strategy,
		func() runtime.Object { return &apps.ControllerRevision{} }, func() runtime.Object { return &appsv1.ControllerRevision{} }},
	workload.ResourceJobs: {job.Strategy, job.StatusStrategy, job.Strategy,
		func() runtime.Object { return &batch.Job{} }, func() runtime.Object { return &batchv1.Job{} }},
	workload.ResourceCronJobs: {cronjob.Strategy, cronjob.StatusStrategy, cronjob.Strategy,
		func() runtime.Object { return &batch.CronJob{} }, func() runtime.Object { return &batchv1.CronJob{} }},
	workload.ResourcePods: {pod.Strategy, pod.StatusStrategy, pod.Strategy,
		func() runtime.Object { return &api.Pod{} }, func() runtime.Object { return &v1.Pod{} }},
	workload.ResourcePersistentVolumeClaims: {persistentvolumeclaim.Strategy, persistentvolumeclaim.StatusStrategy, persistentvolumeclaim.Strategy,
		func() runtime.Object { return &api.PersistentVolumeClaim{} }, func() runtime.Object { return &v1.PersistentVolumeClaim{} }},
	cluster.ResourceNodes: {node.Strategy, node.StatusStrategy, node.Strategy,
		func() runtime.Object { return &api.Node{} }, func() runtime.Object { return &v1.Node{} }},
	cluster.ResourceNamespaces: {namespace.Strategy, namespace.StatusStrategy, nil,
		func() runtime.Object { return &api.Namespace{} }, func() runtime.Object { return &v1.Namespace{} }},
}

// requestContext is the context of a request for res: its namespace and
// the request info (group, version, resource, subresource) that
// declarative validation and the CronJob's garbage-collection default
// read.
func requestContext(res, ns, subresource string) context.Context {
	ctx := genericapirequest.WithNamespace(genericapirequest.NewContext(), ns)
	group := ""
	switch res {
	case workload.ResourceDeployments, workload.ResourceReplicaSets, workload.ResourceDaemonSets,
		workload.ResourceStatefulSets, workload.ResourceControllerRevisions:
		group = "apps"
	case workload.ResourceJobs, workload.ResourceCronJobs:
		group = "batch"
	}
	return genericapirequest.WithRequestInfo(ctx, &genericapirequest.RequestInfo{
		IsResourceRequest: true, APIGroup: group, APIVersion: "v1", Namespace: ns, Resource: res, Subresource: subresource})
}

func toInternal(s strategies, obj runtime.Object) runtime.Object {
	out := s.internal()
	if err := legacyscheme.Scheme.Convert(obj, out, nil); err != nil {
		panic(fmt.Sprintf("convert %T: %v", obj, err))
	}
	return out
}

// toExternal converts back and applies the read-time defaulting every
// object read from storage gets.
func toExternal(s strategies, obj runtime.Object) runtime.Object {
	out := s.external()
	if err := legacyscheme.Scheme.Convert(obj, out, nil); err != nil {
		panic(fmt.Sprintf("convert %T: %v", obj, err))
	}
	legacyscheme.Scheme.Default(out)
	return out
}

// upstreamCreate runs the API server's create path on body: defaulting on
// decode, the system fields wiped, owner references deduplicated, then the
// fields the store fills (name, uid, creationTimestamp — taken from
// kubepure's stored object, since they are generated) and
// rest.BeforeCreate with the kind's strategy.
func upstreamCreate(res, ns string, body runtime.Object, stored metav1.Object) (runtime.Object, error) {
	s := upstream[res]
	obj := body.DeepCopyObject()
	legacyscheme.Scheme.Default(obj)
	m := obj.(metav1.Object)
	rest.WipeObjectMetaSystemFields(m)
	if refs := m.GetOwnerReferences(); len(refs) > 1 {
		m.SetOwnerReferences(dedupOwnerReferences(refs))
	}
	m.SetName(stored.GetName())
	m.SetUID(stored.GetUID())
	m.SetCreationTimestamp(stored.GetCreationTimestamp())
	internal := toInternal(s, obj)
	if err := rest.BeforeCreate(s.main, requestContext(res, ns, ""), internal); err != nil {
		return nil, err
	}
	out := toExternal(s, internal)
	out.(metav1.Object).SetResourceVersion(stored.GetResourceVersion())
	return out, nil
}

// upstreamUpdate runs the update path on body against old: defaulting on
// decode, rest.BeforeUpdate with the main or status strategy, and the
// store's check for an update that removes the last finalizer of an
// object being deleted. It reports whether the object is deleted.
func upstreamUpdate(res, ns string, body, old runtime.Object, status bool) (runtime.Object, bool, error) {
	s := upstream[res]
	obj := body.DeepCopyObject()
	legacyscheme.Scheme.Default(obj)
	// Restated from store.go Update: every kind here allows an
	// unconditional update, for which the store gives the body the stored
	// resourceVersion before the strategy and validation run.
	if m := obj.(metav1.Object); m.GetResourceVersion() == "" {
		m.SetResourceVersion(old.(metav1.Object).GetResourceVersion())
	}
	newInternal, oldInternal := toInternal(s, obj), toInternal(s, old)
	strategy := rest.RESTUpdateStrategy(s.main)
	if status {
		strategy = s.status
	}
	sub := ""
	if status {
		sub = "status"
	}
	ctx := requestContext(res, ns, sub)
	if err := rest.BeforeUpdate(strategy, ctx, newInternal, oldInternal); err != nil {
		return nil, false, err
	}
	deleted := storeShouldDeleteDuringUpdate(newInternal.(metav1.Object), oldInternal.(metav1.Object))
	return toExternal(s, newInternal), deleted, nil
}

// upstreamPatch applies the patch as the patch handler does (on the JSON
// of the stored object) and runs the update path on the result.
func upstreamPatch(res, ns string, pt types.PatchType, patch []byte, old runtime.Object) (runtime.Object, bool, error) {
	s := upstream[res]
	original, err := json.Marshal(old)
	if err != nil {
		return nil, false, err
	}
	var patched []byte
	if pt == types.StrategicMergePatchType {
		patched, err = strategicpatch.StrategicMergePatch(original, patch, s.external())
	} else {
		patched, err = jsonpatch.MergePatch(original, patch)
	}
	if err != nil {
		return nil, false, err
	}
	obj := s.external()
	if err := json.Unmarshal(patched, obj); err != nil {
		return nil, false, err
	}
	return upstreamUpdate(res, ns, obj, old, false)
}

// deleteOutcome is what a delete does to the stored object.
type deleteOutcome struct {
	object  runtime.Object // the object written, when there is one
	removed bool
	pending bool // nothing written
}

// upstreamDelete composes rest.BeforeDelete (upstream's) and the generic
// store's finalizer steps (restated above) as registry.Store.Delete and
// its updateForGracefulDeletionAndFinalizers compose them.
func upstreamDelete(res, ns string, options *metav1.DeleteOptions, old runtime.Object) (deleteOutcome, error) {
	s := upstream[res]
	ctx := requestContext(res, ns, "")
	opts := &metav1.DeleteOptions{}
	if options != nil {
		opts = options.DeepCopy()
	}
	orphanDefault := false
	if gc, ok := s.delete.(rest.GarbageCollectionDeleteStrategy); ok {
		orphanDefault = gc.DefaultGarbageCollectionPolicy(ctx) == rest.OrphanDependents
	}
	obj := toInternal(s, old)
	graceful, pending, err := rest.BeforeDelete(s.delete, ctx, obj, opts)
	if err != nil {
		return deleteOutcome{}, err
	}
	if pending {
		return deleteOutcome{pending: true}, nil
	}
	m := obj.(metav1.Object)
	holding := len(m.GetFinalizers()) != 0
	update, _ := storeDeletionFinalizers(m, opts, orphanDefault)
	if !graceful && !holding && !update {
		return deleteOutcome{removed: true}, nil
	}
	// Inside the storage update, on the stored object afresh.
	existing := toInternal(s, old)
	graceful, pending, err = rest.BeforeDelete(s.delete, ctx, existing, opts)
	if err != nil {
		return deleteOutcome{}, err
	}
	if pending {
		return deleteOutcome{pending: true}, nil
	}
	em := existing.(metav1.Object)
	if update, finalizers := storeDeletionFinalizers(em, opts, orphanDefault); update {
		em.SetFinalizers(finalizers)
	}
	holding = len(em.GetFinalizers()) != 0
	if !graceful {
		if !holding {
			return deleteOutcome{removed: true}, nil
		}
		storeMarkAsDeleting(em, time.Now())
		return deleteOutcome{object: toExternal(s, existing)}, nil
	}
	out := toExternal(s, existing)
	if !holding && *opts.GracePeriodSeconds == 0 {
		return deleteOutcome{object: out, removed: true}, nil
	}
	return deleteOutcome{object: out}, nil
}
