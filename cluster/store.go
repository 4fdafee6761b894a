package cluster

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// Cluster is an in-memory API server for the objects the workload
// controllers read and write. It is not safe for concurrent use: a
// simulation drives it from one goroutine, which is what keeps it
// deterministic.
//
// Every object it hands out is a deep copy, and every object it is given
// is copied before it is stored, so no caller can change the store except
// through its methods. The controllers' States are the exception: they
// share the stored objects read-only, as informers' caches do (states.go).
type Cluster struct {
	now time.Time
	// revision is the store-wide counter every write consumes, as etcd's
	// revision; an object's resourceVersion is the revision of its last
	// write.
	revision uint64
	// serial counts generated names and UIDs.
	serial uint64
	// resources holds one table per resource, created on first use.
	resources map[string]*table
	// changes is the feed, in blocks of changeChunk.
	changes [][]Change
	// memory is what the controllers keep in memory between syncs
	// (reconcile.go).
	memory controllerMemory
}

// table is one resource's objects, indexed as informers index them: by
// namespace and name, and by the UID of each object's controller owner.
type table struct {
	kind *kindInfo
	// byNamespace maps namespace, then name, to the stored object.
	byNamespace map[string]map[string]runtime.Object
	// byController maps a controller owner's UID to the keys of the objects
	// it controls.
	byController map[types.UID]map[objectKey]struct{}
	// orphans maps a namespace to the names of its objects that have no
	// controller owner.
	orphans map[string]map[string]struct{}
}

type objectKey struct{ namespace, name string }

// New returns an empty cluster whose clock reads now.
func New(now time.Time) *Cluster {
	return &Cluster{now: now, resources: map[string]*table{}}
}

// SetTime sets the store's clock: the time stamped on created objects and
// deletion timestamps. The store never reads the wall clock.
func (c *Cluster) SetTime(now time.Time) { c.now = now }

// Now is the store's clock.
func (c *Cluster) Now() time.Time { return c.now }

// Revision is the revision of the store's last write (0 before any).
func (c *Cluster) Revision() uint64 { return c.revision }

// metaNow is the clock as the API server stores it: metav1.Time keeps
// whole seconds on the wire, so a stored timestamp never has a fraction.
func (c *Cluster) metaNow() metav1.Time {
	return metav1.NewTime(c.now.Truncate(time.Second))
}

func (c *Cluster) table(k *kindInfo) *table {
	t := c.resources[k.resource]
	if t == nil {
		t = &table{
			kind:         k,
			byNamespace:  map[string]map[string]runtime.Object{},
			byController: map[types.UID]map[objectKey]struct{}{},
			orphans:      map[string]map[string]struct{}{},
		}
		c.resources[k.resource] = t
	}
	return t
}

// lookup returns the stored object itself (never hand it out), or nil.
func (c *Cluster) lookup(k *kindInfo, namespace, name string) runtime.Object {
	t := c.resources[k.resource]
	if t == nil {
		return nil
	}
	return t.byNamespace[namespace][name]
}

// Get returns a copy of the object, or a NotFound error. namespace is ""
// for nodes and namespaces.
func (c *Cluster) Get(resource, namespace, name string) (runtime.Object, error) {
	k := kindOfResource(resource)
	if k == nil {
		return nil, errBadRequest("the store holds no resource %q", resource)
	}
	obj := c.lookup(k, namespace, name)
	if obj == nil {
		return nil, errNotFound(k, name)
	}
	return obj.DeepCopyObject(), nil
}

// List returns copies of the resource's objects in namespace (every
// namespace when namespace is ""), sorted by namespace and name.
func (c *Cluster) List(resource, namespace string) []runtime.Object {
	t := c.resources[resource]
	if t == nil {
		return nil
	}
	var out []runtime.Object
	if namespace != "" || !t.kind.namespaced {
		out = appendSorted(out, t.byNamespace[namespace])
		return out
	}
	namespaces := make([]string, 0, len(t.byNamespace))
	for ns := range t.byNamespace {
		namespaces = append(namespaces, ns)
	}
	sort.Strings(namespaces)
	for _, ns := range namespaces {
		out = appendSorted(out, t.byNamespace[ns])
	}
	return out
}

func appendSorted(out []runtime.Object, objs map[string]runtime.Object) []runtime.Object {
	names := make([]string, 0, len(objs))
	for name := range objs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out = append(out, objs[name].DeepCopyObject())
	}
	return out
}

// ListControlledBy returns copies of the objects in namespace whose
// controller owner reference names the UID owner, sorted by name: what a
// controller finds through its informer's owner index, without looking at
// any other object.
func (c *Cluster) ListControlledBy(resource, namespace string, owner types.UID) []runtime.Object {
	t := c.resources[resource]
	if t == nil {
		return nil
	}
	keys := t.byController[owner]
	objs := make(map[string]runtime.Object, len(keys))
	for key := range keys {
		if key.namespace == namespace {
			objs[key.name] = t.byNamespace[key.namespace][key.name]
		}
	}
	return appendSorted(nil, objs)
}

// ListOrphans returns copies of the objects in namespace that have no
// controller owner reference, sorted by name: the candidates a controller
// may adopt.
func (c *Cluster) ListOrphans(resource, namespace string) []runtime.Object {
	t := c.resources[resource]
	if t == nil {
		return nil
	}
	names := t.orphans[namespace]
	objs := make(map[string]runtime.Object, len(names))
	for name := range names {
		objs[name] = t.byNamespace[namespace][name]
	}
	return appendSorted(nil, objs)
}

// Create stores obj through the API server's create path, exactly as a
// Create action in the object's own namespace would; use it to seed the
// store. It returns the stored object.
func (c *Cluster) Create(obj runtime.Object) (runtime.Object, error) {
	k := kindOfObject(obj)
	if k == nil {
		return nil, fmt.Errorf("cluster: cannot store a %T", obj)
	}
	ns := ""
	if m, ok := obj.(metav1.Object); ok {
		ns = m.GetNamespace()
	}
	if k.namespaced && ns == "" {
		ns = metav1.NamespaceDefault
	}
	return c.create(k, ns, obj)
}

// ForceRemove deletes the object from storage at once, whatever its
// finalizers and grace period: what happens when a kubelet's grace-0
// delete or the last finalizer removal ends a terminating object, for
// drivers that model those steps without sending the API calls. It
// returns NotFound when there is no such object.
func (c *Cluster) ForceRemove(resource, namespace, name string) error {
	k := kindOfResource(resource)
	if k == nil {
		return errBadRequest("the store holds no resource %q", resource)
	}
	if c.lookup(k, namespace, name) == nil {
		return errNotFound(k, name)
	}
	c.remove(k, namespace, name)
	return nil
}

// put writes obj under a new revision, keeping the indexes current, and
// records the change.
func (c *Cluster) put(k *kindInfo, obj runtime.Object, verb ChangeVerb) {
	m := obj.(metav1.Object)
	c.revision++
	m.SetResourceVersion(strconv.FormatUint(c.revision, 10))
	t := c.table(k)
	ns, name := m.GetNamespace(), m.GetName()
	var previous ChangeOwner
	if old := t.byNamespace[ns][name]; old != nil {
		t.unindex(old.(metav1.Object))
		previous = controllerOf(old.(metav1.Object))
	}
	objs := t.byNamespace[ns]
	if objs == nil {
		objs = map[string]runtime.Object{}
		t.byNamespace[ns] = objs
	}
	objs[name] = obj
	t.index(m)
	ch := Change{Resource: k.resource, Namespace: ns, Name: name, Verb: verb, Revision: c.revision, Controller: controllerOf(m)}
	if previous != ch.Controller {
		ch.PreviousController = previous
	}
	c.record(ch)
}

// touch records a write of the stored object m, changed in place in ways
// that leave its indexes as they are.
func (c *Cluster) touch(k *kindInfo, m metav1.Object) {
	c.revision++
	m.SetResourceVersion(strconv.FormatUint(c.revision, 10))
	c.record(Change{Resource: k.resource, Namespace: m.GetNamespace(), Name: m.GetName(), Verb: ChangeModified, Revision: c.revision, Controller: controllerOf(m)})
}

// remove deletes the stored object under a new revision and records the
// change. The removed object keeps its last resourceVersion, as the
// object in a DELETED watch event does.
func (c *Cluster) remove(k *kindInfo, namespace, name string) runtime.Object {
	t := c.resources[k.resource]
	obj := t.byNamespace[namespace][name]
	t.unindex(obj.(metav1.Object))
	delete(t.byNamespace[namespace], name)
	if len(t.byNamespace[namespace]) == 0 {
		delete(t.byNamespace, namespace)
	}
	c.revision++
	c.record(Change{Resource: k.resource, Namespace: namespace, Name: name, Verb: ChangeDeleted, Revision: c.revision, Controller: controllerOf(obj.(metav1.Object))})
	return obj
}

func (t *table) index(m metav1.Object) {
	ns, name := m.GetNamespace(), m.GetName()
	if ref := metav1.GetControllerOfNoCopy(m); ref != nil {
		keys := t.byController[ref.UID]
		if keys == nil {
			keys = map[objectKey]struct{}{}
			t.byController[ref.UID] = keys
		}
		keys[objectKey{ns, name}] = struct{}{}
		return
	}
	names := t.orphans[ns]
	if names == nil {
		names = map[string]struct{}{}
		t.orphans[ns] = names
	}
	names[name] = struct{}{}
}

func (t *table) unindex(m metav1.Object) {
	ns, name := m.GetNamespace(), m.GetName()
	if ref := metav1.GetControllerOfNoCopy(m); ref != nil {
		keys := t.byController[ref.UID]
		delete(keys, objectKey{ns, name})
		if len(keys) == 0 {
			delete(t.byController, ref.UID)
		}
		return
	}
	names := t.orphans[ns]
	delete(names, name)
	if len(names) == 0 {
		delete(t.orphans, ns)
	}
}
