package harness

import (
	"fmt"
	"sync"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"
)

// Cluster is a fake API server for one upstream sync: a fake clientset that
// holds the objects, and an informer factory whose informers are never
// started. Their caches are filled by hand with Fill after the controller
// under test is built, so no event handler fires and the controller's work
// queue and expectations stay empty: the sync the harness runs is the first
// the controller sees, exactly as after a controller-manager restart.
type Cluster struct {
	// Client is the fake clientset. Its Actions() are the calls the
	// controller made.
	Client *fake.Clientset
	// Informers is the never-started informer factory the controller is
	// built from.
	Informers informers.SharedInformerFactory

	mu        sync.Mutex
	created   int
	generated []string
}

// Generated returns the names the fake API server generated for creates
// sent with only a generateName, in the order it generated them.
func (c *Cluster) Generated() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.generated...)
}

// NewCluster returns a Cluster whose clientset holds objs. The objects are
// deep-copied by the tracker; objs are not changed.
func NewCluster(objs ...runtime.Object) (*Cluster, error) {
	// NewSimpleClientset, not NewClientset: the latter tracks managed
	// fields, which a controller sync never reads and which would only add
	// server-side noise to stored objects.
	client := fake.NewSimpleClientset()
	for i, o := range objs {
		if err := client.Tracker().Add(o); err != nil {
			return nil, fmt.Errorf("object %d: %w", i, err)
		}
	}
	c := &Cluster{Client: client, Informers: informers.NewSharedInformerFactory(client, 0)}
	client.PrependReactor("create", "*", c.createReactor)
	return c, nil
}

// createReactor plays the API server's part in a create: it gives an object
// sent with only a generateName a name, every new object a UID, and the
// object it answers with the request's namespace. The
// fake tracker does neither, and would reject a second pod with an empty
// name as a duplicate. Names and UIDs come from a counter, so they are
// deterministic up to the order of concurrent creates; the recorded action
// keeps the body as the client sent it (the fake records a deep copy before
// any reactor runs), so the comparison never sees them.
func (c *Cluster) createReactor(action k8stesting.Action) (bool, runtime.Object, error) {
	create, ok := action.(k8stesting.CreateAction)
	if !ok {
		return false, nil, nil
	}
	// A create of a subresource (a pod binding, an eviction) is not a new object.
	if create.GetSubresource() != "" {
		return false, nil, nil
	}
	obj := create.GetObject().DeepCopyObject()
	m, err := meta.Accessor(obj)
	if err != nil {
		return false, nil, nil
	}
	c.mu.Lock()
	c.created++
	n := c.created
	if m.GetName() == "" && m.GetGenerateName() != "" {
		m.SetName(fmt.Sprintf("%s%05d", m.GetGenerateName(), n))
		c.generated = append(c.generated, m.GetName())
	}
	c.mu.Unlock()
	if m.GetUID() == "" {
		m.SetUID(types.UID(fmt.Sprintf("created-%05d", n)))
	}
	ns := create.GetNamespace()
	// The server's answer carries the namespace of the request path, which
	// a body sent without one (as controllers send them) lacks.
	if m.GetNamespace() == "" {
		m.SetNamespace(ns)
	}
	if err := c.Client.Tracker().Create(create.GetResource(), obj, ns); err != nil {
		return true, nil, err
	}
	return true, obj, nil
}

// Fill adds objs to the informer cache (indexer) of inf without firing any
// event handler. inf must be an informer taken from c.Informers, so that it
// is the one the controller reads.
func Fill(inf cache.SharedIndexInformer, objs ...runtime.Object) error {
	for i, o := range objs {
		if err := inf.GetIndexer().Add(o); err != nil {
			return fmt.Errorf("cache object %d: %w", i, err)
		}
	}
	return nil
}
