package main

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

// world is the caller's side of kubepure: an in-memory API server
// (package cluster) holding one namespace's Deployments, ReplicaSets and
// pods, and a kubelet that starts pods a while after they are created and
// stops the ones being deleted. Everything that touches the world goes
// through the store's API calls.
type world struct {
	store *cluster.Cluster
	// startup is how long a new pod takes to become ready.
	startup time.Duration
}

// node is the one node the kubelet runs pods on.
const node = "node-1"

func newWorld(now time.Time, startup time.Duration) *world {
	return &world{store: cluster.New(now), startup: startup}
}

// call is one API call of a plan as the server answered it.
type call struct {
	workload.Action
	// failed is the status reason of a refused call, or "".
	failed metav1.StatusReason
}

// apply sends a plan's calls to the store in order and returns each call
// as the API server answered it: a create carries the name the server
// generated. A refused call is not an error of the story: upstream's
// Deployment controller, for one, writes a Deployment's status twice in
// the sync that creates a ReplicaSet, the second time with the
// resourceVersion it read, and the server answers Conflict; the
// controller retries at its next sync, as here.
func (w *world) apply(p workload.Plan) []call {
	var out []call
	for _, r := range w.store.Apply(p) {
		c := call{Action: r.Action}
		if r.Err != nil {
			c.failed = apierrors.ReasonForError(r.Err)
		} else if m, ok := r.Object.(metav1.Object); ok && c.Verb == workload.Create {
			c.Name = m.GetName()
		}
		out = append(out, c)
	}
	return out
}

// kubelet runs one pass of the node's kubelet: a pod being deleted is
// stopped and removed (nginx stops at once, well within its grace
// period); a pending pod whose startup time has passed is bound to the
// node and reported Running and Ready since it finished starting.
func (w *world) kubelet() error {
	now := w.store.Now()
	for _, p := range w.pods() {
		switch {
		case p.DeletionTimestamp != nil:
			if err := w.store.ForceRemove(workload.ResourcePods, p.Namespace, p.Name); err != nil {
				return err
			}
		case p.Status.Phase == v1.PodPending && !now.Before(p.CreationTimestamp.Add(w.startup)):
			if err := w.start(p, p.CreationTimestamp.Add(w.startup)); err != nil {
				return err
			}
		}
	}
	return nil
}

// start binds the pod to the node, then writes the status the kubelet
// reports once its containers run.
func (w *world) start(p *v1.Pod, readyAt time.Time) error {
	p.Spec.NodeName = node
	obj, err := w.store.Do(workload.Action{Verb: workload.Update, Resource: workload.ResourcePods, Namespace: p.Namespace, Name: p.Name, Object: p})
	if err != nil {
		return err
	}
	p = obj.(*v1.Pod)
	p.Status.Phase = v1.PodRunning
	p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(readyAt)}}
	_, err = w.store.Do(workload.Action{Verb: workload.UpdateStatus, Resource: workload.ResourcePods, Namespace: p.Namespace, Name: p.Name, Object: p})
	return err
}

func (w *world) deployments() []*appsv1.Deployment {
	return typed[*appsv1.Deployment](w.store, workload.ResourceDeployments)
}

func (w *world) replicaSets() []*appsv1.ReplicaSet {
	return typed[*appsv1.ReplicaSet](w.store, workload.ResourceReplicaSets)
}

func (w *world) pods() []*v1.Pod {
	return typed[*v1.Pod](w.store, workload.ResourcePods)
}

// typed lists a resource's objects (copies, sorted by name) as their Go
// type, as an informer's lister returns them.
func typed[T any](store *cluster.Cluster, resource string) []T {
	objs := store.List(resource, "")
	out := make([]T, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.(T))
	}
	return out
}
