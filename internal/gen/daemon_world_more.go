package gen

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/dsutil"
)

// CleanDaemonSetWorld draws a tidy cluster for trajectories that must be
// able to finish a rollout: one to five plain nodes, a fluentd DaemonSet
// with a drawn maxUnavailable or maxSurge (and sometimes minReadySeconds),
// and nothing else yet: the first sync records the revision and creates
// the pods.
func CleanDaemonSetWorld(t *rapid.T, now time.Time) *DaemonSetWorld {
	limits := []intstr.IntOrString{intstr.FromInt32(1), intstr.FromInt32(2), intstr.FromString("50%"), intstr.FromString("100%")}
	surge := rapid.Bool().Draw(t, "clean.surge")
	ds := CleanDaemonSet(daemonImages[0], surge, rapid.SampledFrom(limits).Draw(t, "clean.limit"), now)
	ds.Spec.MinReadySeconds = rapid.SampledFrom([]int32{0, 0, 5}).Draw(t, "clean.minReady")
	return NewDaemonSetWorld(now, ds, PlainNodes(rapid.IntRange(1, 5).Draw(t, "clean.nodes")))
}

// FailPods lets the kubelets fail some running or pending pods (a crash,
// an admission rejection): each fails with probability 1 in 6, but a node
// never gets a second failed pod. Of two failed pods on a node, upstream
// deletes the first in its cache's order (a map walk) and keeps the other
// in back-off, so which one goes is not a property of the state; like the
// generator, the world keeps that choice out of comparisons.
func (w *DaemonSetWorld) FailPods(t *rapid.T) {
	failedOn := map[string]bool{}
	for _, p := range w.Pods {
		if node, ok := dsutil.TargetNode(p); ok && p.Status.Phase == v1.PodFailed && p.DeletionTimestamp == nil {
			failedOn[node] = true
		}
	}
	for i, p := range w.Pods {
		if p.DeletionTimestamp != nil || (p.Status.Phase != v1.PodRunning && p.Status.Phase != v1.PodPending) {
			continue
		}
		node, ok := dsutil.TargetNode(p)
		if ok && failedOn[node] {
			continue
		}
		if rapid.IntRange(0, 5).Draw(t, "fail."+p.Name) != 0 {
			continue
		}
		failedOn[node] = true
		p = p.DeepCopy()
		p.Status.Phase = v1.PodFailed
		p.Status.Conditions = nil
		w.Pods[i] = p
	}
}

// EditNodeSelector sets the template's nodeSelector to one drawn label, or
// clears it: a new template generation whose pods move between nodes.
func (w *DaemonSetWorld) EditNodeSelector(t *rapid.T) {
	ds := w.DaemonSet.DeepCopy()
	if rapid.IntRange(0, 2).Draw(t, "nodeSelector.clear") == 0 {
		ds.Spec.Template.Spec.NodeSelector = nil
	} else {
		l := rapid.SampledFrom(nodeLabelChoices).Draw(t, "nodeSelector.label")
		ds.Spec.Template.Spec.NodeSelector = map[string]string{l.key: l.value}
	}
	ds.Generation++
	w.DaemonSet = ds
}

// RolloutComplete reports whether the world has finished rolling out the
// current template: the DaemonSet's last written status observed its
// generation and counts every desired node updated and available, and no
// pod of another template is left on a node.
func (w *DaemonSetWorld) RolloutComplete() bool {
	ds := w.DaemonSet
	st := ds.Status
	if st.ObservedGeneration != ds.Generation || st.DesiredNumberScheduled == 0 ||
		st.UpdatedNumberScheduled != st.DesiredNumberScheduled || st.NumberAvailable != st.DesiredNumberScheduled {
		return false
	}
	var hash string
	for _, r := range w.Revisions {
		if r.Revision > 0 && isOwnedBy(r.OwnerReferences, ds) && revisionIsCurrent(r, ds) {
			hash = r.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]
		}
	}
	if hash == "" {
		return false
	}
	for _, p := range w.Pods {
		if isOwnedBy(p.OwnerReferences, ds) && p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] != hash {
			return false
		}
	}
	return true
}

// isOwnedBy: refs hold a controller reference to ds.
func isOwnedBy(refs []metav1.OwnerReference, ds *appsv1.DaemonSet) bool {
	for _, r := range refs {
		if r.Controller != nil && *r.Controller && r.UID == ds.UID {
			return true
		}
	}
	return false
}

// revisionIsCurrent: r records ds's current template.
func revisionIsCurrent(r *appsv1.ControllerRevision, ds *appsv1.DaemonSet) bool {
	data, err := dsutil.RevisionData(&ds.Spec.Template)
	return err == nil && bytes.Equal(r.Data.Raw, data)
}

// generatedSuffixAlphabet is the API server's alphabet for generated name
// suffixes (no vowels, no 0, 1 or 3, so that no word is spelt by chance).
const generatedSuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// ApplyPlan is Apply with the names the API server would generate: the
// pods the plan creates get generateName plus five characters of the
// server's alphabet, derived from Apply's counter. Unlike Apply's numeric
// suffixes, such names can never be those a comparison's fake API server
// gives to the creates of the next sync, so a trajectory never meets a
// create that fails for a name its own world already used.
func (w *DaemonSetWorld) ApplyPlan(p daemon.Plan) {
	before := make(map[*v1.Pod]bool, len(w.Pods))
	for _, pod := range w.Pods {
		before[pod] = true
	}
	w.Apply(p)
	for i, pod := range w.Pods {
		if before[pod] || pod.GenerateName == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(pod.Name, pod.GenerateName))
		if err != nil {
			continue
		}
		suffix := make([]byte, 5)
		for j := len(suffix) - 1; j >= 0; j-- {
			suffix[j] = generatedSuffixAlphabet[n%len(generatedSuffixAlphabet)]
			n /= len(generatedSuffixAlphabet)
		}
		pod.Name = pod.GenerateName + string(suffix)
		pod.UID = types.UID(pod.Name + "-uid")
		w.Pods[i] = pod
	}
}

// Evolve is Progress with node names that stay unique: time passes,
// pending pods start (three times in four), and sometimes the template's
// image changes or a node joins or leaves. A joining node is numbered
// above every node the world has, so that a node added after another left
// never takes the name of one still there.
func (w *DaemonSetWorld) Evolve(t *rapid.T) {
	w.Advance(time.Duration(rapid.SampledFrom([]int{1, 5, 30, 120}).Draw(t, "advance")) * time.Second)
	if rapid.IntRange(0, 3).Draw(t, "settle") != 0 {
		w.Settle()
	}
	switch rapid.IntRange(0, 9).Draw(t, "event") {
	case 0:
		w.Edit(rapid.SampledFrom(daemonImages).Draw(t, "image"))
	case 1:
		next := 10
		for _, n := range w.Nodes {
			if i, err := strconv.Atoi(strings.TrimPrefix(n.Name, "node-")); err == nil && i >= next {
				next = i + 1
			}
		}
		w.Nodes = append(append([]*v1.Node(nil), w.Nodes...), Node(t, next))
	case 2:
		if len(w.Nodes) > 0 {
			i := rapid.IntRange(0, len(w.Nodes)-1).Draw(t, "removeNode")
			w.Nodes = append(append([]*v1.Node(nil), w.Nodes[:i]...), w.Nodes[i+1:]...)
		}
	}
}
