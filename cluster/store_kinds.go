package cluster

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubepure/kubepure/workload"
)

// Resources the store holds beyond those the controllers write (which
// package workload names).
const (
	ResourceNodes      = "nodes"
	ResourceNamespaces = "namespaces"
)

// kindInfo is what the store knows of one resource: its API group and
// kind, its scope, and the registry behaviour that differs between kinds.
type kindInfo struct {
	resource   string
	group      string
	version    string
	kind       string
	namespaced bool
	// generation: the registry strategy sets generation 1 on create and
	// bumps it on spec changes.
	generation bool
	// orphanByDefault: the strategy's default garbage-collection policy is
	// OrphanDependents (batch/v1 Jobs); every other kind here deletes
	// dependents in the background, except Pods, PVCs, Nodes, Namespaces
	// and ControllerRevisions, whose strategies have no policy (also
	// background).
	orphanByDefault bool
	// graceful: the strategy decides a grace period on delete (Pods).
	graceful  bool
	newObject func() runtime.Object
}

func (k *kindInfo) groupResource() schema.GroupResource {
	return schema.GroupResource{Group: k.group, Resource: k.resource}
}

var kindTable = []kindInfo{
	{resource: workload.ResourceDeployments, group: "apps", version: "v1", kind: "Deployment", namespaced: true, generation: true,
		newObject: func() runtime.Object { return &appsv1.Deployment{} }},
	{resource: workload.ResourceReplicaSets, group: "apps", version: "v1", kind: "ReplicaSet", namespaced: true, generation: true,
		newObject: func() runtime.Object { return &appsv1.ReplicaSet{} }},
	{resource: workload.ResourceDaemonSets, group: "apps", version: "v1", kind: "DaemonSet", namespaced: true, generation: true,
		newObject: func() runtime.Object { return &appsv1.DaemonSet{} }},
	{resource: workload.ResourceStatefulSets, group: "apps", version: "v1", kind: "StatefulSet", namespaced: true, generation: true,
		newObject: func() runtime.Object { return &appsv1.StatefulSet{} }},
	{resource: workload.ResourceControllerRevisions, group: "apps", version: "v1", kind: "ControllerRevision", namespaced: true,
		newObject: func() runtime.Object { return &appsv1.ControllerRevision{} }},
	{resource: workload.ResourceJobs, group: "batch", version: "v1", kind: "Job", namespaced: true, generation: true, orphanByDefault: true,
		newObject: func() runtime.Object { return &batchv1.Job{} }},
	{resource: workload.ResourceCronJobs, group: "batch", version: "v1", kind: "CronJob", namespaced: true, generation: true,
		newObject: func() runtime.Object { return &batchv1.CronJob{} }},
	{resource: workload.ResourcePods, version: "v1", kind: "Pod", namespaced: true, generation: true, graceful: true,
		newObject: func() runtime.Object { return &v1.Pod{} }},
	{resource: workload.ResourcePersistentVolumeClaims, version: "v1", kind: "PersistentVolumeClaim", namespaced: true,
		newObject: func() runtime.Object { return &v1.PersistentVolumeClaim{} }},
	{resource: ResourceNodes, version: "v1", kind: "Node",
		newObject: func() runtime.Object { return &v1.Node{} }},
	{resource: ResourceNamespaces, version: "v1", kind: "Namespace",
		newObject: func() runtime.Object { return &v1.Namespace{} }},
}

// kindOfResource finds a resource's entry, or nil.
func kindOfResource(resource string) *kindInfo {
	for i := range kindTable {
		if kindTable[i].resource == resource {
			return &kindTable[i]
		}
	}
	return nil
}

// kindOfObject finds the entry of a typed object, or nil.
func kindOfObject(obj runtime.Object) *kindInfo {
	var r string
	switch obj.(type) {
	case *appsv1.Deployment:
		r = workload.ResourceDeployments
	case *appsv1.ReplicaSet:
		r = workload.ResourceReplicaSets
	case *appsv1.DaemonSet:
		r = workload.ResourceDaemonSets
	case *appsv1.StatefulSet:
		r = workload.ResourceStatefulSets
	case *appsv1.ControllerRevision:
		r = workload.ResourceControllerRevisions
	case *batchv1.Job:
		r = workload.ResourceJobs
	case *batchv1.CronJob:
		r = workload.ResourceCronJobs
	case *v1.Pod:
		r = workload.ResourcePods
	case *v1.PersistentVolumeClaim:
		r = workload.ResourcePersistentVolumeClaims
	case *v1.Node:
		r = ResourceNodes
	case *v1.Namespace:
		r = ResourceNamespaces
	default:
		return nil
	}
	return kindOfResource(r)
}
