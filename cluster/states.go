package cluster

import (
	"maps"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/job"
	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// The State builders below fill a controller's State as its informer
// caches would: from the store's namespace and controller-owner indexes,
// never by scanning other namespaces or the objects of unrelated owners.
//
// An informer hands its controller the cached objects themselves, shared
// and read-only, without their managedFields (kube-controller-manager's
// informers strip them). The builders do the same: an object of a State
// is the stored object itself, or, when that has managedFields, a copy of
// its top level without them. Copying every object would cost several
// times the lookups (see BenchmarkStates). Sharing is safe because the
// store never changes a stored object in place: every write stores a new
// object (a pod removed at once is marked on a copy), so a State stays as
// it was built whatever is applied afterwards. The controllers never
// modify their State; a caller that wants to change an object of a State
// must DeepCopy it first, exactly as with an informer's cache.

// ReplicaSetState is the State the ReplicaSet controller syncs
// namespace/name with: the ReplicaSet, the pods it controls, the orphans
// of its namespace it may adopt, the ReplicaSets of its namespace
// controlled by the same owner (its siblings) and their pods, which rank
// pods for deletion. ExpectationsPending is false: the store shows every
// write of a plan as soon as it is applied.
func (c *Cluster) ReplicaSetState(namespace, name string) (replicaset.State, error) {
	rs, err := getTyped[appsv1.ReplicaSet](c, workload.ResourceReplicaSets, namespace, name)
	if err != nil {
		return replicaset.State{}, err
	}
	s := replicaset.State{ReplicaSet: rs}
	s.Pods = controlledOf[v1.Pod](c, workload.ResourcePods, namespace, rs.UID)
	if ref := controllerUID(rs.OwnerReferences); ref != "" {
		for _, sib := range controlledOf[appsv1.ReplicaSet](c, workload.ResourceReplicaSets, namespace, ref) {
			if sib.UID == rs.UID {
				continue
			}
			s.ReplicaSets = append(s.ReplicaSets, sib)
			s.Pods = append(s.Pods, controlledOf[v1.Pod](c, workload.ResourcePods, namespace, sib.UID)...)
		}
	}
	s.Pods = append(s.Pods, orphansOf[v1.Pod](c, workload.ResourcePods, namespace)...)
	return s, nil
}

// DeploymentState is the State the Deployment controller syncs
// namespace/name with: the Deployment and every ReplicaSet of its
// namespace (its own, orphans, and others' which can take a new
// ReplicaSet's name). Pods are filled only for the Recreate strategy, the
// only one that reads them, and only the pods its ReplicaSets control, as
// upstream groups the pods it lists by their ReplicaSet's UID.
func (c *Cluster) DeploymentState(namespace, name string) (rollout.State, error) {
	d, err := getTyped[appsv1.Deployment](c, workload.ResourceDeployments, namespace, name)
	if err != nil {
		return rollout.State{}, err
	}
	s := rollout.State{Deployment: d}
	s.ReplicaSets = allOf[appsv1.ReplicaSet](c, workload.ResourceReplicaSets, namespace)
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		for _, rs := range s.ReplicaSets {
			if controllerUID(rs.OwnerReferences) == d.UID {
				s.Pods = append(s.Pods, controlledOf[v1.Pod](c, workload.ResourcePods, namespace, rs.UID)...)
			}
		}
	}
	return s, nil
}

// DaemonSetState is the State the DaemonSet controller syncs
// namespace/name with: every node, the DaemonSet's pods and the orphan
// pods of its namespace, its ControllerRevisions and the orphan revisions
// of its namespace, and the failed-pod back-off the cluster keeps for it
// (see Reconcile).
func (c *Cluster) DaemonSetState(namespace, name string) (daemon.State, error) {
	ds, err := getTyped[appsv1.DaemonSet](c, workload.ResourceDaemonSets, namespace, name)
	if err != nil {
		return daemon.State{}, err
	}
	s := daemon.State{DaemonSet: ds}
	s.Nodes = allOf[v1.Node](c, ResourceNodes, "")
	s.Pods = controlledOf[v1.Pod](c, workload.ResourcePods, namespace, ds.UID)
	s.Pods = append(s.Pods, orphansOf[v1.Pod](c, workload.ResourcePods, namespace)...)
	s.Revisions = controlledOf[appsv1.ControllerRevision](c, workload.ResourceControllerRevisions, namespace, ds.UID)
	s.Revisions = append(s.Revisions, orphansOf[appsv1.ControllerRevision](c, workload.ResourceControllerRevisions, namespace)...)
	s.Backoff = maps.Clone(c.memory.daemonBackoff[ds.UID])
	return s, nil
}

// JobState is the State the Job controller syncs namespace/name with: the
// Job, the pods it controls and the orphan pods of its namespace, and the
// pod re-creation back-off the cluster keeps for it (see Reconcile).
func (c *Cluster) JobState(namespace, name string) (job.State, error) {
	j, err := getTyped[batchv1.Job](c, workload.ResourceJobs, namespace, name)
	if err != nil {
		return job.State{}, err
	}
	s := job.State{Job: j}
	s.Pods = controlledOf[v1.Pod](c, workload.ResourcePods, namespace, j.UID)
	s.Pods = append(s.Pods, orphansOf[v1.Pod](c, workload.ResourcePods, namespace)...)
	s.Backoff = c.memory.jobBackoff[j.UID].Clone()
	return s, nil
}

// CronJobState is the State the CronJob controller syncs namespace/name
// with: the CronJob and every Job of its namespace (the controller lists
// them all and keeps those it controls; the others answer its lookups by
// name).
func (c *Cluster) CronJobState(namespace, name string) (cron.State, error) {
	cj, err := getTyped[batchv1.CronJob](c, workload.ResourceCronJobs, namespace, name)
	if err != nil {
		return cron.State{}, err
	}
	s := cron.State{CronJob: cj}
	s.Jobs = allOf[batchv1.Job](c, workload.ResourceJobs, namespace)
	return s, nil
}

// getTyped returns the informer view of one stored object, or NotFound.
func getTyped[T any](c *Cluster, resource, namespace, name string) (*T, error) {
	k := kindOfResource(resource)
	if c.lookup(k, namespace, name) == nil {
		return nil, errNotFound(k, name)
	}
	return view[T](c.resources[resource], namespace, []string{name})[0], nil
}

// controlledOf returns the informer view of the objects of namespace whose
// controller is owner, sorted by name, through the owner index only.
func controlledOf[T any](c *Cluster, resource, namespace string, owner types.UID) []*T {
	t := c.resources[resource]
	if t == nil || owner == "" {
		return nil
	}
	keys := t.byController[owner]
	names := make([]string, 0, len(keys))
	for key := range keys {
		if key.namespace == namespace {
			names = append(names, key.name)
		}
	}
	return view[T](t, namespace, names)
}

// orphansOf returns the informer view of namespace's objects that have no
// controller, sorted by name.
func orphansOf[T any](c *Cluster, resource, namespace string) []*T {
	t := c.resources[resource]
	if t == nil {
		return nil
	}
	set := t.orphans[namespace]
	names := make([]string, 0, len(set))
	for name := range set {
		names = append(names, name)
	}
	return view[T](t, namespace, names)
}

// allOf returns the informer view of every object of namespace ("" for
// cluster-scoped resources), sorted by name.
func allOf[T any](c *Cluster, resource, namespace string) []*T {
	t := c.resources[resource]
	if t == nil {
		return nil
	}
	objs := t.byNamespace[namespace]
	names := make([]string, 0, len(objs))
	for name := range objs {
		names = append(names, name)
	}
	return view[T](t, namespace, names)
}

// view sorts names and returns the informer view of those objects of
// namespace: what an informer hands a controller, the object without its
// managedFields (see the note at the top of this file). The copies of
// objects with managedFields share one allocation, because a State may
// hold thousands of pods.
func view[T any](t *table, namespace string, names []string) []*T {
	if len(names) == 0 {
		return nil
	}
	sort.Strings(names)
	objs := t.byNamespace[namespace]
	out := make([]*T, len(names))
	var buf []T
	for i, name := range names {
		stored := objs[name].(any).(*T)
		if len(any(stored).(metav1.Object).GetManagedFields()) == 0 {
			out[i] = stored
			continue
		}
		if buf == nil {
			buf = make([]T, 0, len(names)-i)
		}
		buf = append(buf, *stored)
		cp := &buf[len(buf)-1]
		any(cp).(metav1.Object).SetManagedFields(nil)
		out[i] = cp
	}
	return out
}

// controllerUID is the UID of the controller among refs, or "".
func controllerUID(refs []metav1.OwnerReference) types.UID {
	for i := range refs {
		if r := refs[i]; r.Controller != nil && *r.Controller {
			return r.UID
		}
	}
	return ""
}

// shallowCopy copies the top level of a stored object, sharing its nested
// data, which the store never changes in place.
func shallowCopy(obj runtime.Object) runtime.Object {
	switch o := obj.(type) {
	case *v1.Pod:
		cp := *o
		return &cp
	case *v1.Node:
		cp := *o
		return &cp
	case *v1.Namespace:
		cp := *o
		return &cp
	case *v1.PersistentVolumeClaim:
		cp := *o
		return &cp
	case *appsv1.ReplicaSet:
		cp := *o
		return &cp
	case *appsv1.Deployment:
		cp := *o
		return &cp
	case *appsv1.DaemonSet:
		cp := *o
		return &cp
	case *appsv1.StatefulSet:
		cp := *o
		return &cp
	case *appsv1.ControllerRevision:
		cp := *o
		return &cp
	case *batchv1.Job:
		cp := *o
		return &cp
	case *batchv1.CronJob:
		cp := *o
		return &cp
	}
	return obj.DeepCopyObject()
}
