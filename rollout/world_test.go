package rollout_test

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// world is a toy API server plus ReplicaSet controller and kubelet: it
// applies plans the way a server would (ignoring status on main-resource
// writes, keeping annotations on status writes) and, on settle, lets every
// ReplicaSet's pods appear and become available.
type world struct {
	now  time.Time
	d    *appsv1.Deployment
	rss  map[string]*appsv1.ReplicaSet
	pods []*v1.Pod
	seq  int
	// unhealthy names ReplicaSets whose pods never become ready.
	unhealthy map[string]bool
}

func newWorld(now time.Time, d *appsv1.Deployment) *world {
	return &world{now: now, d: d, rss: map[string]*appsv1.ReplicaSet{}, unhealthy: map[string]bool{}}
}

func (w *world) state() rollout.State {
	st := rollout.State{Deployment: w.d, Pods: w.pods}
	for _, name := range w.rsNames() {
		st.ReplicaSets = append(st.ReplicaSets, w.rss[name])
	}
	return st
}

func (w *world) rsNames() []string {
	var names []string
	for n := range w.rss {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (w *world) nextRV() string {
	w.seq++
	return strconv.Itoa(1000 + w.seq)
}

// apply carries out the plan's calls in order; a call the server would
// refuse (a create whose name is taken) is skipped.
func (w *world) apply(p workload.Plan) {
	for _, a := range p.Actions {
		switch {
		case a.Resource == "replicasets" && a.Verb == workload.Create:
			rs := a.Object.(*appsv1.ReplicaSet).DeepCopy()
			if _, taken := w.rss[rs.Name]; taken {
				continue
			}
			w.seq++
			rs.UID = types.UID(fmt.Sprintf("uid-%s-%d", rs.Name, w.seq))
			rs.CreationTimestamp = metav1.NewTime(w.now)
			rs.ResourceVersion = w.nextRV()
			rs.Generation = 1
			w.rss[rs.Name] = rs
		case a.Resource == "replicasets" && a.Verb == workload.Update:
			in := a.Object.(*appsv1.ReplicaSet)
			cur, ok := w.rss[in.Name]
			if !ok {
				continue
			}
			next := in.DeepCopy()
			next.Status = cur.Status
			next.UID, next.CreationTimestamp = cur.UID, cur.CreationTimestamp
			next.Generation = cur.Generation
			if *cur.Spec.Replicas != *in.Spec.Replicas || cur.Spec.MinReadySeconds != in.Spec.MinReadySeconds {
				next.Generation++
			}
			next.ResourceVersion = w.nextRV()
			w.rss[in.Name] = next
		case a.Resource == "replicasets" && a.Verb == workload.Patch:
			cur, ok := w.rss[a.Name]
			if !ok {
				continue
			}
			next := cur.DeepCopy()
			if bytes.Contains(a.Patch, []byte(`"$patch":"delete"`)) {
				next.OwnerReferences = nil
			} else {
				next.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(w.d, appsv1.SchemeGroupVersion.WithKind("Deployment"))}
			}
			next.ResourceVersion = w.nextRV()
			w.rss[a.Name] = next
		case a.Resource == "replicasets" && a.Verb == workload.Delete:
			delete(w.rss, a.Name)
		case a.Resource == "deployments" && a.Verb == workload.UpdateStatus:
			in := a.Object.(*appsv1.Deployment)
			next := w.d.DeepCopy()
			next.Status = *in.Status.DeepCopy()
			next.Annotations = in.DeepCopy().Annotations
			next.ResourceVersion = w.nextRV()
			w.d = next
		case a.Resource == "deployments" && a.Verb == workload.Update:
			in := a.Object.(*appsv1.Deployment)
			next := in.DeepCopy()
			next.Status = w.d.Status
			if !equalSpec(w.d, in) {
				next.Generation = w.d.Generation + 1
			}
			next.ResourceVersion = w.nextRV()
			w.d = next
		}
	}
}

func equalSpec(a, b *appsv1.Deployment) bool {
	return apiequality.Semantic.DeepEqual(a.Spec.Template, b.Spec.Template) && *a.Spec.Replicas == *b.Spec.Replicas
}

// settle plays the ReplicaSet controller and the kubelet to rest: every
// ReplicaSet runs exactly spec.replicas pods, available unless the
// ReplicaSet is marked unhealthy, and reports so in its status. Pods are
// rebuilt to match (Recreate looks at them).
func (w *world) settle() {
	w.pods = nil
	for _, name := range w.rsNames() {
		rs := w.rss[name].DeepCopy()
		n := *rs.Spec.Replicas
		rs.Status.Replicas, rs.Status.FullyLabeledReplicas = n, n
		rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = n, n
		if w.unhealthy[name] {
			rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = 0, 0
		}
		zero := int32(0)
		rs.Status.TerminatingReplicas = &zero
		rs.Status.ObservedGeneration = rs.Generation
		w.rss[name] = rs
		for i := range int(n) {
			w.pods = append(w.pods, w.podOf(rs, i))
		}
	}
}

func (w *world) podOf(rs *appsv1.ReplicaSet, i int) *v1.Pod {
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: fmt.Sprintf("%s-%d", rs.Name, i), Namespace: rs.Namespace, UID: types.UID(fmt.Sprintf("%s-pod-%d", rs.UID, i)),
			Labels:          rs.Spec.Template.Labels,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))},
		},
		Status: v1.PodStatus{Phase: v1.PodRunning},
	}
	return p
}

// newReplicaSet is the ReplicaSet running the Deployment's current
// template, if any.
func (w *world) newReplicaSet() *appsv1.ReplicaSet {
	var found *appsv1.ReplicaSet
	for _, name := range w.rsNames() {
		rs := w.rss[name]
		if sameTemplate(&rs.Spec.Template, &w.d.Spec.Template) && (found == nil || rs.CreationTimestamp.Before(&found.CreationTimestamp)) {
			found = rs
		}
	}
	return found
}

func sameTemplate(a, b *v1.PodTemplateSpec) bool {
	ac, bc := a.DeepCopy(), b.DeepCopy()
	delete(ac.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	delete(bc.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	return apiequality.Semantic.DeepEqual(ac, bc)
}
