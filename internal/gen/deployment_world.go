package gen

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
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/workload"
)

// DeploymentWorld is a toy API server plus ReplicaSet controller and
// kubelet for Deployment plans: it applies plans the way a server would
// (ignoring status on main-resource writes, keeping annotations on status
// writes) and, on Settle, lets every ReplicaSet's pods appear and become
// available. Property tests and conformance trajectories drive it.
type DeploymentWorld struct {
	Now        time.Time
	Deployment *appsv1.Deployment
	// ReplicaSets by name.
	ReplicaSets map[string]*appsv1.ReplicaSet
	Pods        []*v1.Pod
	// Unhealthy names ReplicaSets whose pods never become ready.
	Unhealthy map[string]bool
	seq       int
}

// NewDeploymentWorld starts a world holding d and no ReplicaSets.
func NewDeploymentWorld(now time.Time, d *appsv1.Deployment) *DeploymentWorld {
	return &DeploymentWorld{Now: now, Deployment: d, ReplicaSets: map[string]*appsv1.ReplicaSet{}, Unhealthy: map[string]bool{}}
}

// State is what a Deployment sync of the world observes, ReplicaSets in
// name order.
func (w *DeploymentWorld) State() DeploymentState {
	st := DeploymentState{Deployment: w.Deployment, Pods: w.Pods}
	for _, name := range w.rsNames() {
		st.ReplicaSets = append(st.ReplicaSets, w.ReplicaSets[name])
	}
	return st
}

func (w *DeploymentWorld) rsNames() []string {
	var names []string
	for n := range w.ReplicaSets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (w *DeploymentWorld) nextRV() string {
	w.seq++
	return strconv.Itoa(1000 + w.seq)
}

// Apply carries out the plan's calls in order; a call the server would
// refuse (a create whose name is taken) is skipped.
func (w *DeploymentWorld) Apply(p workload.Plan) {
	for _, a := range p.Actions {
		switch {
		case a.Resource == "replicasets" && a.Verb == workload.Create:
			rs := a.Object.(*appsv1.ReplicaSet).DeepCopy()
			if _, taken := w.ReplicaSets[rs.Name]; taken {
				continue
			}
			w.seq++
			rs.UID = types.UID(fmt.Sprintf("uid-%s-%d", rs.Name, w.seq))
			rs.CreationTimestamp = metav1.NewTime(w.Now)
			rs.ResourceVersion = w.nextRV()
			rs.Generation = 1
			w.ReplicaSets[rs.Name] = rs
		case a.Resource == "replicasets" && a.Verb == workload.Update:
			in := a.Object.(*appsv1.ReplicaSet)
			cur, ok := w.ReplicaSets[in.Name]
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
			w.ReplicaSets[in.Name] = next
		case a.Resource == "replicasets" && a.Verb == workload.Patch:
			cur, ok := w.ReplicaSets[a.Name]
			if !ok {
				continue
			}
			next := cur.DeepCopy()
			if bytes.Contains(a.Patch, []byte(`"$patch":"delete"`)) {
				next.OwnerReferences = nil
			} else {
				next.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(w.Deployment, appsv1.SchemeGroupVersion.WithKind("Deployment"))}
			}
			next.ResourceVersion = w.nextRV()
			w.ReplicaSets[a.Name] = next
		case a.Resource == "replicasets" && a.Verb == workload.Delete:
			delete(w.ReplicaSets, a.Name)
		case a.Resource == "deployments" && a.Verb == workload.UpdateStatus:
			in := a.Object.(*appsv1.Deployment)
			next := w.Deployment.DeepCopy()
			next.Status = *in.Status.DeepCopy()
			next.Annotations = in.DeepCopy().Annotations
			next.ResourceVersion = w.nextRV()
			w.Deployment = next
		case a.Resource == "deployments" && a.Verb == workload.Update:
			in := a.Object.(*appsv1.Deployment)
			next := in.DeepCopy()
			next.Status = w.Deployment.Status
			if !equalSpec(w.Deployment, in) {
				next.Generation = w.Deployment.Generation + 1
			}
			next.ResourceVersion = w.nextRV()
			w.Deployment = next
		}
	}
}

func equalSpec(a, b *appsv1.Deployment) bool {
	return apiequality.Semantic.DeepEqual(a.Spec.Template, b.Spec.Template) && *a.Spec.Replicas == *b.Spec.Replicas
}

// Settle plays the ReplicaSet controller and the kubelet to rest: every
// ReplicaSet runs exactly spec.replicas pods, available unless the
// ReplicaSet is marked unhealthy, and reports so in its status. Pods are
// rebuilt to match (Recreate looks at them).
func (w *DeploymentWorld) Settle() {
	w.Pods = nil
	for _, name := range w.rsNames() {
		rs := w.ReplicaSets[name].DeepCopy()
		n := *rs.Spec.Replicas
		rs.Status.Replicas, rs.Status.FullyLabeledReplicas = n, n
		rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = n, n
		if w.Unhealthy[name] {
			rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = 0, 0
		}
		zero := int32(0)
		rs.Status.TerminatingReplicas = &zero
		rs.Status.ObservedGeneration = rs.Generation
		w.ReplicaSets[name] = rs
		for i := range int(n) {
			w.Pods = append(w.Pods, w.PodOf(rs, i))
		}
	}
}

func (w *DeploymentWorld) PodOf(rs *appsv1.ReplicaSet, i int) *v1.Pod {
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

// NewReplicaSet is the ReplicaSet running the Deployment's current
// template, if any.
func (w *DeploymentWorld) NewReplicaSet() *appsv1.ReplicaSet {
	var found *appsv1.ReplicaSet
	for _, name := range w.rsNames() {
		rs := w.ReplicaSets[name]
		if sameTemplate(&rs.Spec.Template, &w.Deployment.Spec.Template) && (found == nil || rs.CreationTimestamp.Before(&found.CreationTimestamp)) {
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

// DeploymentWorldFrom starts a world holding a generated state.
func DeploymentWorldFrom(st DeploymentState, now time.Time) *DeploymentWorld {
	w := NewDeploymentWorld(now, st.Deployment)
	for _, rs := range st.ReplicaSets {
		w.ReplicaSets[rs.Name] = rs
	}
	w.Pods = st.Pods
	return w
}

// Progress lets the ReplicaSet controller and the kubelets move part of
// the way: each ReplicaSet's status goes some random distance towards its
// spec (pods appear or go, become ready and available), and the pods are
// rebuilt to match.
func (w *DeploymentWorld) Progress(t *rapid.T) {
	w.Pods = nil
	for _, name := range w.rsNames() {
		rs := w.ReplicaSets[name].DeepCopy()
		want := *rs.Spec.Replicas
		step := func(from, to int32, label string) int32 {
			if from == to {
				return from
			}
			lo, hi := min(from, to), max(from, to)
			return int32(rapid.IntRange(int(lo), int(hi)).Draw(t, label))
		}
		rs.Status.Replicas = step(rs.Status.Replicas, want, name+".replicas")
		rs.Status.FullyLabeledReplicas = rs.Status.Replicas
		rs.Status.ReadyReplicas = step(min(rs.Status.ReadyReplicas, rs.Status.Replicas), rs.Status.Replicas, name+".ready")
		if w.Unhealthy[name] {
			rs.Status.ReadyReplicas = 0
		}
		rs.Status.AvailableReplicas = step(min(rs.Status.AvailableReplicas, rs.Status.ReadyReplicas), rs.Status.ReadyReplicas, name+".available")
		rs.Status.ObservedGeneration = rs.Generation
		w.ReplicaSets[name] = rs
		for i := range int(rs.Status.Replicas) {
			w.Pods = append(w.Pods, w.PodOf(rs, i))
		}
	}
}

// Edit plays a user between two syncs: sometimes the Deployment's image,
// size or pause changes, as kubectl would make it, bumping the generation.
func (w *DeploymentWorld) Edit(t *rapid.T) {
	d := w.Deployment.DeepCopy()
	switch rapid.IntRange(0, 5).Draw(t, "edit") {
	case 0:
		d.Spec.Template.Spec.Containers[0].Image = images[rapid.IntRange(0, len(images)-1).Draw(t, "edit.image")]
	case 1:
		n := int32(rapid.IntRange(0, 6).Draw(t, "edit.replicas"))
		d.Spec.Replicas = &n
	case 2:
		d.Spec.Paused = !d.Spec.Paused
	default:
		return
	}
	d.Generation++
	w.Deployment = d
}
