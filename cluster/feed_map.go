package cluster

import (
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// ChangeOwner names the controller owner of a changed object, as its
// controller owner reference does.
type ChangeOwner struct {
	Kind string
	Name string
	UID  types.UID
}

// controllerOf is the controller owner of m, zero when it has none.
func controllerOf(m metav1.Object) ChangeOwner {
	ref := metav1.GetControllerOfNoCopy(m)
	if ref == nil {
		return ChangeOwner{}
	}
	return ChangeOwner{Kind: ref.Kind, Name: ref.Name, UID: ref.UID}
}

// Key names one object a controller syncs: its workload resource
// (workload.ResourceDeployments, …), namespace and name, as a
// controller's work queue holds "namespace/name" keys.
type Key struct {
	Resource  string
	Namespace string
	Name      string
}

// Affected returns the controller keys that the changes enqueue, each
// once, sorted by resource, namespace and name: the keys whose sync
// could decide something new, so that a driver can reconcile only those.
// It follows the event handlers kube-controller-manager's controllers
// register on their informers:
//
//   - ReplicaSet controller: a ReplicaSet change enqueues that ReplicaSet;
//     a pod change enqueues the pod's controller ReplicaSet, and its
//     previous one when an adoption or release changed it; a change of an
//     orphan pod enqueues every ReplicaSet of its namespace whose selector
//     matches the pod's labels (those that may adopt it).
//   - Deployment controller: a Deployment change enqueues it; a ReplicaSet
//     change enqueues the ReplicaSet's controller Deployment (and its
//     previous one), or, for an orphan ReplicaSet, every Deployment of the
//     namespace selecting it; a pod deletion enqueues the Deployment that
//     controls the pod's ReplicaSet when its strategy is Recreate (which
//     waits for old pods to be gone).
//   - DaemonSet controller: a DaemonSet change enqueues it; a pod or
//     ControllerRevision change enqueues its controller DaemonSet (and its
//     previous one), or for an orphan every DaemonSet of its namespace
//     selecting it; a node change enqueues every DaemonSet.
//   - Job controller: a Job change enqueues it; a pod change enqueues its
//     controller Job (and previous), or for an orphan every Job of its
//     namespace selecting it.
//   - CronJob controller: a CronJob change enqueues it; a Job change
//     enqueues the Job's controller CronJob (and previous); orphan Jobs
//     enqueue nothing, as the CronJob controller never adopts.
//
// Where upstream's handlers filter further (a pod update whose labels and
// owner did not change enqueues no orphan's selectors; a node update that
// changes no scheduling input, or a pod deletion that leaves a Recreate
// Deployment still with pods, enqueues nothing), Affected enqueues the key
// anyway: a sync with nothing new to do returns an empty plan, so the
// superset costs time, not correctness. A deleted workload object's own
// key is not returned: upstream's sync of a missing object only forgets
// in-memory bookkeeping, which Reconcile does not need. StatefulSets,
// PersistentVolumeClaims and Namespaces enqueue nothing: no controller of
// this library watches them. Objects deleted since the changes were
// recorded are read as absent.
func (c *Cluster) Affected(changes []Change) []Key {
	set := map[Key]struct{}{}
	add := func(k Key) { set[k] = struct{}{} }
	owners := func(ch Change, kind, resource string) {
		for _, o := range []ChangeOwner{ch.Controller, ch.PreviousController} {
			if o.Kind == kind && o.Name != "" {
				add(Key{resource, ch.Namespace, o.Name})
			}
		}
	}
	for _, ch := range changes {
		switch ch.Resource {
		case workload.ResourcePods:
			owners(ch, "ReplicaSet", workload.ResourceReplicaSets)
			owners(ch, "DaemonSet", workload.ResourceDaemonSets)
			owners(ch, "Job", workload.ResourceJobs)
			if ch.Controller == (ChangeOwner{}) && ch.Verb != ChangeDeleted {
				c.selectingOrphan(ch, add, workload.ResourceReplicaSets, workload.ResourceDaemonSets, workload.ResourceJobs)
			}
			if ch.Verb == ChangeDeleted && ch.Controller.Kind == "ReplicaSet" {
				c.recreateDeployment(ch, add)
			}
		case workload.ResourceReplicaSets:
			if ch.Verb != ChangeDeleted {
				add(Key{ch.Resource, ch.Namespace, ch.Name})
			}
			owners(ch, "Deployment", workload.ResourceDeployments)
			if ch.Controller == (ChangeOwner{}) && ch.Verb != ChangeDeleted {
				c.selectingOrphan(ch, add, workload.ResourceDeployments)
			}
		case workload.ResourceControllerRevisions:
			owners(ch, "DaemonSet", workload.ResourceDaemonSets)
			if ch.Controller == (ChangeOwner{}) && ch.Verb != ChangeDeleted {
				c.selectingOrphan(ch, add, workload.ResourceDaemonSets)
			}
		case workload.ResourceJobs:
			if ch.Verb != ChangeDeleted {
				add(Key{ch.Resource, ch.Namespace, ch.Name})
			}
			owners(ch, "CronJob", workload.ResourceCronJobs)
		case workload.ResourceDeployments, workload.ResourceDaemonSets, workload.ResourceCronJobs:
			if ch.Verb != ChangeDeleted {
				add(Key{ch.Resource, ch.Namespace, ch.Name})
			}
		case ResourceNodes:
			if t := c.resources[workload.ResourceDaemonSets]; t != nil {
				for ns, objs := range t.byNamespace {
					for name := range objs {
						add(Key{workload.ResourceDaemonSets, ns, name})
					}
				}
			}
		}
	}
	keys := make([]Key, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		return a.Name < b.Name
	})
	return keys
}

// selectingOrphan enqueues the objects of the given controller resources
// in the changed orphan's namespace whose selector matches its labels. An
// orphan being deleted is adopted by no one and enqueues nothing.
func (c *Cluster) selectingOrphan(ch Change, add func(Key), resources ...string) {
	k := kindOfResource(ch.Resource)
	obj := c.lookup(k, ch.Namespace, ch.Name)
	if obj == nil {
		return
	}
	m := obj.(metav1.Object)
	if m.GetDeletionTimestamp() != nil {
		return
	}
	set := labels.Set(m.GetLabels())
	for _, resource := range resources {
		t := c.resources[resource]
		if t == nil {
			continue
		}
		for name, owner := range t.byNamespace[ch.Namespace] {
			if selects(owner, set) {
				add(Key{resource, ch.Namespace, name})
			}
		}
	}
}

// selects reports whether the controller object's selector matches set.
// An empty or invalid selector selects nothing, as the handlers skip
// such controllers; a Job's manual empty selector selects everything.
func selects(owner any, set labels.Set) bool {
	var ls *metav1.LabelSelector
	switch o := owner.(type) {
	case *appsv1.ReplicaSet:
		ls = o.Spec.Selector
	case *appsv1.Deployment:
		ls = o.Spec.Selector
	case *appsv1.DaemonSet:
		ls = o.Spec.Selector
	case *batchv1.Job:
		ls = o.Spec.Selector
		if ls != nil && len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 && o.Spec.ManualSelector != nil && *o.Spec.ManualSelector {
			return true
		}
	}
	if ls == nil || len(ls.MatchLabels)+len(ls.MatchExpressions) == 0 {
		return false
	}
	sel, err := metav1.LabelSelectorAsSelector(ls)
	return err == nil && sel.Matches(set)
}

// recreateDeployment enqueues the Deployment that controls the deleted
// pod's ReplicaSet, when it uses the Recreate strategy.
func (c *Cluster) recreateDeployment(ch Change, add func(Key)) {
	rs, _ := c.lookup(kindOfResource(workload.ResourceReplicaSets), ch.Namespace, ch.Controller.Name).(*appsv1.ReplicaSet)
	if rs == nil || rs.UID != ch.Controller.UID {
		return
	}
	ref := metav1.GetControllerOfNoCopy(rs)
	if ref == nil || ref.Kind != "Deployment" {
		return
	}
	d, _ := c.lookup(kindOfResource(workload.ResourceDeployments), ch.Namespace, ref.Name).(*appsv1.Deployment)
	if d != nil && d.UID == ref.UID && d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		add(Key{workload.ResourceDeployments, ch.Namespace, d.Name})
	}
}
