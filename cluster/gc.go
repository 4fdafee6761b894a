package cluster

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// CollectGarbage runs kube-controller-manager's garbage collector over the
// store until it has nothing left to do, and returns the calls it made,
// in order, with their outcomes. Upstream's collector reacts to watch
// events with concurrent workers; here every pass visits every object in
// a fixed order (resources in the store's order, then namespace, name) and
// decides on the object's current state, as upstream's workers do with a
// live read, so the result is deterministic and the fixed point is the
// one upstream's collector settles on.
//
// For each object D it does what upstream's attemptToDeleteItem does:
//
//   - D being deleted is left alone, unless it carries the
//     foregroundDeletion finalizer: then, once no dependent has an owner
//     reference to it with blockOwnerDeletion, the finalizer is removed
//     (and D with it when no other finalizer remains);
//   - D being deleted with the orphan finalizer first has the owner
//     reference to it removed from every dependent, then loses the
//     finalizer;
//   - each owner reference of D (matched by UID: an owner of that name
//     with another UID is gone) is dangling (owner absent), waiting (owner
//     being deleted in the foreground) or solid; with a solid owner, the
//     dangling and waiting references are removed from D; with none, D is
//     deleted — in the foreground when some owner is waiting and D has
//     dependents (after clearing blockOwnerDeletion on D's references to
//     owners whose dependents D blocks), else with the policy of D's own
//     finalizers (orphan, foregroundDeletion) or in the background.
//
// A pod the collector deletes gets its grace period and stays in the store,
// marked, until the kubelet ends it: the store has no kubelet, so the
// driver (the simulator's kubelet model) removes it with ForceRemove, and
// a foreground owner waiting on it keeps its finalizer until then. Owner
// references to kinds the store does not hold are left alone (upstream
// retries them forever), and a cluster-scoped object with a namespaced
// owner is never collected, as upstream gives up on it.
func (c *Cluster) CollectGarbage() []ActionResult {
	var out []ActionResult
	for {
		// A pass whose calls all failed changed nothing: stop there
		// rather than retry forever.
		rev := c.revision
		out = c.gcPass(out)
		if c.revision == rev {
			return out
		}
	}
}

// gcItem is one object of a pass, read from the store when it is visited.
type gcItem struct {
	kind      *kindInfo
	namespace string
	name      string
}

// gcGraph is the collector's view of ownership at the start of a pass:
// for each owner UID, the objects with an owner reference to it.
type gcGraph map[types.UID][]gcItem

func (c *Cluster) gcPass(out []ActionResult) []ActionResult {
	var items []gcItem
	graph := gcGraph{}
	for i := range kindTable {
		k := &kindTable[i]
		t := c.resources[k.resource]
		if t == nil {
			continue
		}
		namespaces := make([]string, 0, len(t.byNamespace))
		for ns := range t.byNamespace {
			namespaces = append(namespaces, ns)
		}
		sort.Strings(namespaces)
		for _, ns := range namespaces {
			names := make([]string, 0, len(t.byNamespace[ns]))
			for name := range t.byNamespace[ns] {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				it := gcItem{k, ns, name}
				items = append(items, it)
				for _, ref := range t.byNamespace[ns][name].(metav1.Object).GetOwnerReferences() {
					graph[ref.UID] = append(graph[ref.UID], it)
				}
			}
		}
	}
	for _, it := range items {
		for _, a := range c.gcDecide(it, graph) {
			obj, err := c.Do(a)
			out = append(out, ActionResult{Action: a, Object: obj, Err: err})
			if err != nil {
				// Upstream requeues the item; the next pass reads it again.
				break
			}
		}
	}
	return out
}

// gcDecide returns the calls the collector makes for one object.
func (c *Cluster) gcDecide(it gcItem, graph gcGraph) []workload.Action {
	obj := c.lookup(it.kind, it.namespace, it.name)
	if obj == nil {
		return nil
	}
	m := obj.(metav1.Object)
	if m.GetDeletionTimestamp() != nil {
		switch {
		case slices.Contains(m.GetFinalizers(), metav1.FinalizerOrphanDependents):
			return c.gcOrphan(it, m, graph)
		case slices.Contains(m.GetFinalizers(), metav1.FinalizerDeleteDependents):
			return c.gcForeground(it, m, graph)
		}
		return nil
	}
	refs := m.GetOwnerReferences()
	if len(refs) == 0 {
		return nil
	}
	var solid, dangling, waiting []metav1.OwnerReference
	for _, ref := range refs {
		ok, state := c.ownerState(it, ref)
		if !ok {
			return nil
		}
		switch state {
		case "solid":
			solid = append(solid, ref)
		case "dangling":
			dangling = append(dangling, ref)
		default:
			waiting = append(waiting, ref)
		}
	}
	if len(solid) > 0 {
		if len(dangling)+len(waiting) == 0 {
			return nil
		}
		return []workload.Action{removeOwnerRefs(it, m, append(dangling, waiting...), "garbage collector: remove references to owners that are gone or being deleted")}
	}
	var actions []workload.Action
	policy := metav1.DeletePropagationBackground
	reason := "garbage collector: every owner is gone"
	if len(waiting) > 0 && len(graph[m.GetUID()]) > 0 {
		if c.blocksDeletingDependent(m, graph) {
			actions = append(actions, unblockOwnerRefs(it, m))
		}
		policy = metav1.DeletePropagationForeground
		reason = "garbage collector: an owner is deleted in the foreground"
	} else {
		switch fins := m.GetFinalizers(); {
		case slices.Contains(fins, metav1.FinalizerOrphanDependents):
			policy = metav1.DeletePropagationOrphan
		case slices.Contains(fins, metav1.FinalizerDeleteDependents):
			policy = metav1.DeletePropagationForeground
		}
		if len(waiting) > 0 {
			reason = "garbage collector: an owner is deleted in the foreground"
		}
	}
	uid, rv := m.GetUID(), m.GetResourceVersion()
	if len(actions) > 0 {
		// The unblock patch moves the resourceVersion: upstream's delete
		// then conflicts and is retried without it.
		rv = ""
	}
	opts := &metav1.DeleteOptions{PropagationPolicy: &policy, Preconditions: &metav1.Preconditions{UID: &uid}}
	if rv != "" {
		opts.Preconditions.ResourceVersion = &rv
	}
	actions = append(actions, workload.Action{Verb: workload.Delete, Resource: it.kind.resource, Namespace: it.namespace, Name: it.name,
		DeleteOptions: opts, Reason: reason})
	return actions
}

// ownerState classifies one owner reference of the item: "solid",
// "dangling" (no owner with that UID) or "waiting" (owner being deleted
// with foregroundDeletion). ok is false when the collector cannot decide
// (an owner kind the store does not hold, a namespaced owner of a
// cluster-scoped object).
func (c *Cluster) ownerState(it gcItem, ref metav1.OwnerReference) (ok bool, state string) {
	k := kindOfOwnerRef(ref)
	if k == nil {
		return false, ""
	}
	ns := ""
	if k.namespaced {
		if !it.kind.namespaced {
			return false, ""
		}
		ns = it.namespace
	}
	owner := c.lookup(k, ns, ref.Name)
	if owner == nil || owner.(metav1.Object).GetUID() != ref.UID {
		return true, "dangling"
	}
	om := owner.(metav1.Object)
	if om.GetDeletionTimestamp() != nil && slices.Contains(om.GetFinalizers(), metav1.FinalizerDeleteDependents) {
		return true, "waiting"
	}
	return true, "solid"
}

// kindOfOwnerRef finds the store's entry for an owner reference's
// apiVersion and kind, or nil.
func kindOfOwnerRef(ref metav1.OwnerReference) *kindInfo {
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil {
		return nil
	}
	for i := range kindTable {
		k := &kindTable[i]
		if k.kind == ref.Kind && k.group == gv.Group && k.version == gv.Version {
			return k
		}
	}
	return nil
}

// blocksDeletingDependent reports whether one of m's dependents is itself
// deleting its dependents in the foreground: m must then stop blocking
// its own owners before it is deleted in the foreground, or the two
// would wait for each other.
func (c *Cluster) blocksDeletingDependent(m metav1.Object, graph gcGraph) bool {
	for _, d := range graph[m.GetUID()] {
		obj := c.lookup(d.kind, d.namespace, d.name)
		if obj == nil {
			continue
		}
		dm := obj.(metav1.Object)
		if dm.GetDeletionTimestamp() != nil && slices.Contains(dm.GetFinalizers(), metav1.FinalizerDeleteDependents) {
			return true
		}
	}
	return false
}

// gcForeground removes foregroundDeletion from an owner once no
// dependent blocks it.
func (c *Cluster) gcForeground(it gcItem, m metav1.Object, graph gcGraph) []workload.Action {
	for _, d := range graph[m.GetUID()] {
		obj := c.lookup(d.kind, d.namespace, d.name)
		if obj == nil {
			continue
		}
		for _, ref := range obj.(metav1.Object).GetOwnerReferences() {
			if ref.UID == m.GetUID() && ref.BlockOwnerDeletion != nil && *ref.BlockOwnerDeletion {
				return nil
			}
		}
	}
	return []workload.Action{removeFinalizer(it, m, metav1.FinalizerDeleteDependents, "garbage collector: no dependent blocks the foreground deletion")}
}

// gcOrphan removes the owner's references from its dependents, then its
// orphan finalizer.
func (c *Cluster) gcOrphan(it gcItem, m metav1.Object, graph gcGraph) []workload.Action {
	var actions []workload.Action
	for _, d := range graph[m.GetUID()] {
		obj := c.lookup(d.kind, d.namespace, d.name)
		if obj == nil {
			continue
		}
		dm := obj.(metav1.Object)
		for _, ref := range dm.GetOwnerReferences() {
			if ref.UID == m.GetUID() {
				actions = append(actions, removeOwnerRefs(d, dm, []metav1.OwnerReference{ref},
					fmt.Sprintf("garbage collector: orphan it from %s %s", ref.Kind, ref.Name)))
				break
			}
		}
	}
	return append(actions, removeFinalizer(it, m, metav1.FinalizerOrphanDependents, "garbage collector: dependents orphaned"))
}

// removeOwnerRefs is the collector's strategic-merge patch deleting owner
// references by UID, conditional on the dependent's UID.
func removeOwnerRefs(it gcItem, m metav1.Object, refs []metav1.OwnerReference, reason string) workload.Action {
	entries := make([]map[string]any, len(refs))
	for i, ref := range refs {
		entries[i] = map[string]any{"$patch": "delete", "uid": ref.UID}
	}
	body := map[string]any{"metadata": map[string]any{"ownerReferences": entries, "uid": m.GetUID()}}
	return gcPatch(it, types.StrategicMergePatchType, body, reason)
}

// unblockOwnerRefs is the collector's strategic-merge patch setting
// blockOwnerDeletion to false on every blocking reference of m.
func unblockOwnerRefs(it gcItem, m metav1.Object) workload.Action {
	var entries []metav1.OwnerReference
	for _, ref := range m.GetOwnerReferences() {
		if ref.BlockOwnerDeletion != nil && *ref.BlockOwnerDeletion {
			ref.BlockOwnerDeletion = new(bool)
			entries = append(entries, ref)
		}
	}
	body := map[string]any{"metadata": map[string]any{"ownerReferences": entries, "uid": m.GetUID()}}
	return gcPatch(it, types.StrategicMergePatchType, body, "garbage collector: stop blocking owners before a foreground deletion")
}

// removeFinalizer is the collector's JSON merge patch writing the owner's
// remaining finalizers (null when none), conditional on its
// resourceVersion.
func removeFinalizer(it gcItem, m metav1.Object, finalizer, reason string) workload.Action {
	var remaining []string
	for _, f := range m.GetFinalizers() {
		if f != finalizer {
			remaining = append(remaining, f)
		}
	}
	body := map[string]any{"metadata": map[string]any{"resourceVersion": m.GetResourceVersion(), "finalizers": remaining}}
	return gcPatch(it, types.MergePatchType, body, reason)
}

func gcPatch(it gcItem, pt types.PatchType, body any, reason string) workload.Action {
	// Maps of strings and owner references always marshal.
	data, _ := json.Marshal(body)
	return workload.Action{Verb: workload.Patch, Resource: it.kind.resource, Namespace: it.namespace, Name: it.name,
		PatchType: pt, Patch: data, Reason: reason}
}
