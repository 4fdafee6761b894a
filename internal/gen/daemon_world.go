package gen

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/workload"
)

// DaemonSetWorld is a toy API server, scheduler and kubelet for one
// DaemonSet: it applies plans, binds pinned pods to their nodes, and lets
// pods start. Scenarios, properties and trajectories drive it.
type DaemonSetWorld struct {
	Now       time.Time
	DaemonSet *appsv1.DaemonSet
	Nodes     []*v1.Node
	Pods      []*v1.Pod
	Revisions []*appsv1.ControllerRevision
	Backoff   map[string]backoff.Entry
	// Unhealthy marks pod template images whose pods never become ready.
	Unhealthy map[string]bool
	seq       int
}

// NewDaemonSetWorld starts a world with ds on nodes and nothing else.
func NewDaemonSetWorld(now time.Time, ds *appsv1.DaemonSet, nodes []*v1.Node) *DaemonSetWorld {
	return &DaemonSetWorld{Now: now, DaemonSet: ds, Nodes: nodes, Backoff: map[string]backoff.Entry{}, Unhealthy: map[string]bool{}}
}

// DaemonSetWorldFrom starts a world from a generated state.
func DaemonSetWorldFrom(st DaemonSetState, now time.Time) *DaemonSetWorld {
	w := NewDaemonSetWorld(now, st.DaemonSet, st.Nodes)
	w.Pods, w.Revisions = st.Pods, st.Revisions
	for k, e := range st.Backoff {
		w.Backoff[k] = e
	}
	return w
}

// State is the world as a DaemonSet sync sees it.
func (w *DaemonSetWorld) State() daemon.State {
	return daemon.State{DaemonSet: w.DaemonSet, Nodes: w.Nodes, Pods: w.Pods, Revisions: w.Revisions, Backoff: w.Backoff}
}

// GenState is the world as a generated state.
func (w *DaemonSetWorld) GenState() DaemonSetState {
	return DaemonSetState{DaemonSet: w.DaemonSet, Nodes: w.Nodes, Pods: w.Pods, Revisions: w.Revisions, Backoff: w.Backoff}
}

// Apply carries out a plan as an API server would, binding every new pod
// to the node it is pinned to (the scheduler's part) as a pending pod.
func (w *DaemonSetWorld) Apply(p daemon.Plan) {
	w.Backoff = p.Backoff
	for _, a := range p.Actions {
		switch a.Resource {
		case "pods":
			w.applyPod(a)
		case "controllerrevisions":
			w.applyRevision(a)
		case "daemonsets":
			if ds, ok := a.Object.(*appsv1.DaemonSet); ok {
				w.DaemonSet = ds.DeepCopy()
			}
		}
	}
}

func (w *DaemonSetWorld) applyPod(a workload.Action) {
	switch a.Verb {
	case workload.Create:
		p := a.Object.(*v1.Pod).DeepCopy()
		w.seq++
		p.Name = fmt.Sprintf("%s%05d", p.GenerateName, w.seq)
		p.Namespace = a.Namespace
		p.UID = types.UID(p.Name + "-uid")
		p.CreationTimestamp = metav1.NewTime(w.Now)
		if n, ok := dsutil.TargetNode(p); ok && w.node(n) != nil {
			p.Spec.NodeName = n
		}
		p.Status.Phase = v1.PodPending
		w.Pods = append(w.Pods, p)
	case workload.Delete:
		w.Pods = filterPods(w.Pods, func(p *v1.Pod) bool { return p.Name != a.Name })
	case workload.Patch:
		for i, p := range w.Pods {
			if p.Name == a.Name {
				w.Pods[i] = patchPod(p, a)
			}
		}
	}
}

// patchPod applies the adoption, release and relabel patches a DaemonSet
// sync sends.
func patchPod(p *v1.Pod, a workload.Action) *v1.Pod {
	p = p.DeepCopy()
	var body struct {
		Metadata struct {
			OwnerReferences []map[string]any  `json:"ownerReferences"`
			Labels          map[string]string `json:"labels"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(a.Patch, &body); err != nil {
		return p
	}
	for k, v := range body.Metadata.Labels {
		if p.Labels == nil {
			p.Labels = map[string]string{}
		}
		p.Labels[k] = v
	}
	for _, ref := range body.Metadata.OwnerReferences {
		if ref["$patch"] == "delete" {
			var kept []metav1.OwnerReference
			for _, r := range p.OwnerReferences {
				if string(r.UID) != ref["uid"] {
					kept = append(kept, r)
				}
			}
			p.OwnerReferences = kept
			continue
		}
		yes := true
		p.OwnerReferences = append(p.OwnerReferences, metav1.OwnerReference{
			APIVersion: fmt.Sprint(ref["apiVersion"]), Kind: fmt.Sprint(ref["kind"]), Name: fmt.Sprint(ref["name"]),
			UID: types.UID(fmt.Sprint(ref["uid"])), Controller: &yes, BlockOwnerDeletion: &yes,
		})
	}
	return p
}

func (w *DaemonSetWorld) applyRevision(a workload.Action) {
	switch a.Verb {
	case workload.Create:
		r := a.Object.(*appsv1.ControllerRevision).DeepCopy()
		for _, old := range w.Revisions {
			if old.Name == r.Name {
				return // already exists: the create fails
			}
		}
		r.UID = types.UID(r.Name + "-uid")
		r.CreationTimestamp = metav1.NewTime(w.Now)
		w.Revisions = append(w.Revisions, r)
	case workload.Update:
		r := a.Object.(*appsv1.ControllerRevision).DeepCopy()
		for i, old := range w.Revisions {
			if old.Name == r.Name {
				w.Revisions[i] = r
			}
		}
	case workload.Delete:
		var kept []*appsv1.ControllerRevision
		for _, r := range w.Revisions {
			if r.Name != a.Name {
				kept = append(kept, r)
			}
		}
		w.Revisions = kept
	case workload.Patch:
		for i, r := range w.Revisions {
			if r.Name == a.Name {
				pp := patchPod(&v1.Pod{ObjectMeta: r.ObjectMeta}, a)
				r = r.DeepCopy()
				r.OwnerReferences = pp.OwnerReferences
				w.Revisions[i] = r
			}
		}
	}
}

func (w *DaemonSetWorld) node(name string) *v1.Node {
	for _, n := range w.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

func filterPods(pods []*v1.Pod, keep func(*v1.Pod) bool) []*v1.Pod {
	var out []*v1.Pod
	for _, p := range pods {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// Settle lets the scheduler, the kubelets and the pod garbage collector
// catch up: pods being deleted and pods bound to nodes that are gone
// disappear, pods pinned to an existing node are bound to it, and every
// unfinished pod on an existing node runs and is ready (from now, if it was
// not), unless its image is marked unhealthy.
func (w *DaemonSetWorld) Settle() {
	w.Pods = filterPods(w.Pods, func(p *v1.Pod) bool {
		return p.DeletionTimestamp == nil && (p.Spec.NodeName == "" || w.node(p.Spec.NodeName) != nil)
	})
	for i, p := range w.Pods {
		// The scheduler binds a pod pinned to a node that exists (the
		// DaemonSet pins its pods by node affinity on metadata.name), as
		// Apply does for the pods a plan creates.
		if node, ok := dsutil.TargetNode(p); ok && p.Spec.NodeName == "" && p.DeletionTimestamp == nil && w.node(node) != nil {
			p = p.DeepCopy()
			p.Spec.NodeName = node
			w.Pods[i] = p
		}
		// Pods not yet running start; a pod whose kubelet had lost
		// contact (phase Unknown) reports in again; a running pod that is
		// not ready becomes ready. Finished pods stay as they are.
		finished := p.Status.Phase == v1.PodSucceeded || p.Status.Phase == v1.PodFailed
		if finished || p.Spec.NodeName == "" || w.node(p.Spec.NodeName) == nil || p.DeletionTimestamp != nil {
			continue
		}
		unhealthy := len(p.Spec.Containers) > 0 && w.Unhealthy[p.Spec.Containers[0].Image]
		if p.Status.Phase == v1.PodRunning && (unhealthy || workload.IsPodReady(p)) {
			continue
		}
		p = p.DeepCopy()
		p.Status.Phase = v1.PodRunning
		if !unhealthy {
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(w.Now)}}
		}
		w.Pods[i] = p
	}
}

// Advance moves the clock.
func (w *DaemonSetWorld) Advance(d time.Duration) { w.Now = w.Now.Add(d) }

// Edit sets the DaemonSet's template image (a new template generation).
func (w *DaemonSetWorld) Edit(image string) {
	ds := w.DaemonSet.DeepCopy()
	ds.Spec.Template.Spec.Containers[0].Image = image
	ds.Generation++
	w.DaemonSet = ds
}

// PodsByNode lists the names of the pods on each node (by target node),
// sorted.
func (w *DaemonSetWorld) PodsByNode() map[string][]*v1.Pod {
	out := map[string][]*v1.Pod{}
	for _, p := range w.Pods {
		if n, ok := dsutil.TargetNode(p); ok {
			out[n] = append(out[n], p)
		}
	}
	for _, ps := range out {
		sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	}
	return out
}

// Progress lets the world move on at random between two syncs: time passes,
// pending pods start, and sometimes a node joins or leaves or the template
// changes.
func (w *DaemonSetWorld) Progress(t *rapid.T) {
	w.Advance(time.Duration(rapid.SampledFrom([]int{1, 5, 30, 120}).Draw(t, "advance")) * time.Second)
	if rapid.IntRange(0, 3).Draw(t, "settle") != 0 {
		w.Settle()
	}
	switch rapid.IntRange(0, 9).Draw(t, "event") {
	case 0:
		w.Edit(rapid.SampledFrom(daemonImages).Draw(t, "image"))
	case 1:
		w.Nodes = append(append([]*v1.Node(nil), w.Nodes...), Node(t, 10+len(w.Nodes)))
	case 2:
		if len(w.Nodes) > 0 {
			i := rapid.IntRange(0, len(w.Nodes)-1).Draw(t, "removeNode")
			w.Nodes = append(append([]*v1.Node(nil), w.Nodes[:i]...), w.Nodes[i+1:]...)
		}
	}
}
