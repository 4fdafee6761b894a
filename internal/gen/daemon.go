package gen

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/apidefault"
	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/workload"
)

// DaemonSetState is a generated input of one DaemonSet sync.
type DaemonSetState struct {
	DaemonSet *appsv1.DaemonSet
	Nodes     []*v1.Node
	Pods      []*v1.Pod
	Revisions []*appsv1.ControllerRevision
	Backoff   map[string]backoff.Entry
}

// State is the library's input for st.
func (st DaemonSetState) State() daemon.State {
	return daemon.State{DaemonSet: st.DaemonSet, Nodes: st.Nodes, Pods: st.Pods, Revisions: st.Revisions, Backoff: st.Backoff}
}

// daemonImages are the template variants a DaemonSet moves between.
var daemonImages = []string{"fluentd:1.16", "fluentd:1.17", "fluentd:1.18"}

// nodeLabelChoices are the labels nodes draw from and node selectors and
// affinity terms ask for.
var nodeLabelChoices = []struct{ key, value string }{
	{"role", "worker"}, {"role", "infra"}, {"zone", "a"}, {"zone", "b"}, {"disk", "ssd"}, {"gpu", "true"},
}

// nodeTaintChoices are the taints nodes draw from: the node lifecycle's
// condition taints, a control-plane taint, dedicated and soft taints.
var nodeTaintChoices = []v1.Taint{
	{Key: "node-role.kubernetes.io/control-plane", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoExecute},
	{Key: "spot", Value: "true", Effect: v1.TaintEffectPreferNoSchedule},
	{Key: v1.TaintNodeNotReady, Effect: v1.TaintEffectNoExecute},
	{Key: v1.TaintNodeUnreachable, Effect: v1.TaintEffectNoExecute},
	{Key: v1.TaintNodeUnschedulable, Effect: v1.TaintEffectNoSchedule},
	{Key: v1.TaintNodeNetworkUnavailable, Effect: v1.TaintEffectNoSchedule},
	{Key: v1.TaintNodeDiskPressure, Effect: v1.TaintEffectNoSchedule},
	{Key: v1.TaintNodeMemoryPressure, Effect: v1.TaintEffectNoExecute},
}

// tolerationChoices are the tolerations templates draw from.
var tolerationChoices = []v1.Toleration{
	{Key: "node-role.kubernetes.io/control-plane", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Operator: v1.TolerationOpEqual, Value: "gpu"},
	{Key: "dedicated", Operator: v1.TolerationOpEqual, Value: "gpu", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Operator: v1.TolerationOpEqual, Value: "cpu", Effect: v1.TaintEffectNoExecute},
	{Operator: v1.TolerationOpExists},
	{Key: v1.TaintNodeNotReady, Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute, TolerationSeconds: ptrInt64(300)},
	{Key: v1.TaintNodeMemoryPressure, Operator: v1.TolerationOpExists},
}

// daemonRollingValues are the (maxUnavailable, maxSurge) pairs a
// RollingUpdate draws: exactly one non-zero, in both forms.
var daemonRollingValues = [][2]intstr.IntOrString{
	{intstr.FromInt32(1), intstr.FromInt32(0)},
	{intstr.FromInt32(2), intstr.FromInt32(0)},
	{intstr.FromString("25%"), intstr.FromInt32(0)},
	{intstr.FromString("50%"), intstr.FromString("0%")},
	{intstr.FromString("100%"), intstr.FromInt32(0)},
	{intstr.FromInt32(0), intstr.FromInt32(1)},
	{intstr.FromInt32(0), intstr.FromInt32(2)},
	{intstr.FromString("0%"), intstr.FromString("30%")},
	{intstr.FromInt32(0), intstr.FromString("100%")},
}

func ptrInt64(v int64) *int64 { return &v }

// Node draws the i-th node of a cluster: labels, taints, readiness, the
// unschedulable flag.
func Node(t *rapid.T, i int) *v1.Node {
	name := fmt.Sprintf("node-%d", i)
	n := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID(name + "-uid"), Labels: map[string]string{"kubernetes.io/hostname": name}}}
	for _, l := range nodeLabelChoices {
		if rapid.IntRange(0, 2).Draw(t, name+"."+l.key+"="+l.value) == 0 {
			n.Labels[l.key] = l.value
		}
	}
	for j, taint := range nodeTaintChoices {
		if rapid.IntRange(0, 6).Draw(t, fmt.Sprintf("%s.taint%d", name, j)) == 0 {
			n.Spec.Taints = append(n.Spec.Taints, taint)
		}
	}
	n.Spec.Unschedulable = rapid.IntRange(0, 5).Draw(t, name+".unschedulable") == 0
	ready := v1.ConditionTrue
	if rapid.IntRange(0, 4).Draw(t, name+".notReady") == 0 {
		ready = v1.ConditionFalse
	}
	n.Status.Conditions = []v1.NodeCondition{{Type: v1.NodeReady, Status: ready}}
	return n
}

// DaemonSetTemplate is the template of a generated DaemonSet with image,
// with every field the API server defaults filled in, as a stored
// DaemonSet's template has them.
func DaemonSetTemplate(image string, labels map[string]string) v1.PodTemplateSpec {
	t := template(image, labels)
	apidefault.PodTemplate(&t)
	return t
}

// daemonSet draws the DaemonSet: selector, template with placement
// (nodeSelector, affinity, tolerations, hostNetwork), strategy, limits and
// a status from an earlier sync.
func daemonSet(t *rapid.T, now time.Time) *appsv1.DaemonSet {
	labels := map[string]string{"app": "fluentd"}
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "fluentd"}}
	if rapid.IntRange(0, 3).Draw(t, "ds.tierLabel") == 0 {
		labels["tier"] = "logging"
		sel.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"logging", "system"}}}
	}
	tmpl := DaemonSetTemplate(rapid.SampledFrom(daemonImages).Draw(t, "ds.image"), labels)
	spec := &tmpl.Spec
	if rapid.IntRange(0, 3).Draw(t, "ds.nodeSelector") == 0 {
		l := rapid.SampledFrom(nodeLabelChoices).Draw(t, "ds.nodeSelector.label")
		spec.NodeSelector = map[string]string{l.key: l.value}
	}
	if rapid.IntRange(0, 3).Draw(t, "ds.affinity") == 0 {
		spec.Affinity = daemonAffinity(t)
	}
	for j, tol := range tolerationChoices {
		if rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("ds.toleration%d", j)) == 0 {
			spec.Tolerations = append(spec.Tolerations, tol)
		}
	}
	spec.HostNetwork = rapid.IntRange(0, 3).Draw(t, "ds.hostNetwork") == 0
	if rapid.IntRange(0, 30).Draw(t, "ds.nodeName") == 0 {
		spec.NodeName = "node-1"
	}
	ds := &appsv1.DaemonSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: "fluentd", Namespace: "default", UID: "fluentd-uid", ResourceVersion: "7",
			Generation:        int64(rapid.IntRange(1, 4).Draw(t, "ds.generation")),
			CreationTimestamp: metav1.NewTime(now.Add(-time.Hour)),
		},
		Spec: appsv1.DaemonSetSpec{
			Selector:             sel,
			Template:             tmpl,
			MinReadySeconds:      rapid.SampledFrom([]int32{0, 0, 10, 60}).Draw(t, "ds.minReady"),
			RevisionHistoryLimit: ptrInt32(int32(rapid.IntRange(0, 3).Draw(t, "ds.historyLimit"))),
		},
	}
	if rapid.IntRange(0, 5).Draw(t, "ds.onDelete") == 0 {
		ds.Spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType}
	} else {
		v := rapid.SampledFrom(daemonRollingValues).Draw(t, "ds.rolling")
		u, s := v[0], v[1]
		ru := &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &u, MaxSurge: &s}
		if isZero(s) && rapid.Bool().Draw(t, "ds.nilSurge") {
			ru.MaxSurge = nil
		}
		ds.Spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: ru}
	}
	if rapid.IntRange(0, 4).Draw(t, "ds.templateGeneration") == 0 {
		ds.Annotations = map[string]string{appsv1.DeprecatedTemplateGeneration: fmt.Sprint(ds.Generation)}
	}
	if rapid.IntRange(0, 4).Draw(t, "ds.collided") == 0 {
		ds.Status.CollisionCount = ptrInt32(int32(rapid.IntRange(0, 2).Draw(t, "ds.collisionCount")))
	}
	ds.Status.ObservedGeneration = ds.Generation - int64(rapid.IntRange(0, 1).Draw(t, "ds.stale"))
	small := func(label string) int32 { return int32(rapid.IntRange(0, 3).Draw(t, label)) }
	ds.Status.DesiredNumberScheduled = small("ds.status.desired")
	ds.Status.CurrentNumberScheduled = small("ds.status.current")
	ds.Status.NumberReady = small("ds.status.ready")
	ds.Status.NumberAvailable = small("ds.status.available")
	ds.Status.UpdatedNumberScheduled = small("ds.status.updated")
	ds.Status.NumberUnavailable = small("ds.status.unavailable")
	if rapid.IntRange(0, 60).Draw(t, "ds.deleting") == 0 {
		ts := metav1.NewTime(now.Add(-time.Minute))
		ds.DeletionTimestamp = &ts
	}
	if rapid.IntRange(0, 40).Draw(t, "ds.selectsAll") == 20 { // about 1 in 41: rapid favours 0
		// A DaemonSet stored under older validation, with an empty
		// selector: upstream's guard warns and stops.
		ds.Spec.Selector = &metav1.LabelSelector{}
	}
	return ds
}

func ptrInt32(v int32) *int32 { return &v }

// daemonAffinity draws a node affinity: required terms on node labels (In,
// NotIn, Exists, DoesNotExist, Gt) or the node name field, and a preferred
// term that never matters to eligibility.
func daemonAffinity(t *rapid.T) *v1.Affinity {
	var terms []v1.NodeSelectorTerm
	for j := range rapid.IntRange(0, 2).Draw(t, "aff.terms") {
		l := rapid.SampledFrom(nodeLabelChoices).Draw(t, fmt.Sprintf("aff.term%d.label", j))
		var req v1.NodeSelectorRequirement
		switch rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("aff.term%d.op", j)) {
		case 0:
			req = v1.NodeSelectorRequirement{Key: l.key, Operator: v1.NodeSelectorOpIn, Values: []string{l.value}}
		case 1:
			req = v1.NodeSelectorRequirement{Key: l.key, Operator: v1.NodeSelectorOpNotIn, Values: []string{l.value}}
		case 2:
			req = v1.NodeSelectorRequirement{Key: l.key, Operator: v1.NodeSelectorOpExists}
		case 3:
			req = v1.NodeSelectorRequirement{Key: l.key, Operator: v1.NodeSelectorOpDoesNotExist}
		case 4:
			req = v1.NodeSelectorRequirement{Key: "kubernetes.io/hostname", Operator: v1.NodeSelectorOpNotIn, Values: []string{"node-0"}}
		default:
			terms = append(terms, v1.NodeSelectorTerm{MatchFields: []v1.NodeSelectorRequirement{
				{Key: metav1.ObjectNameField, Operator: v1.NodeSelectorOpIn, Values: []string{rapid.SampledFrom([]string{"node-0", "node-2", "node-4"}).Draw(t, fmt.Sprintf("aff.term%d.node", j))}},
			}})
			continue
		}
		terms = append(terms, v1.NodeSelectorTerm{MatchExpressions: []v1.NodeSelectorRequirement{req}})
	}
	a := &v1.Affinity{NodeAffinity: &v1.NodeAffinity{}}
	if len(terms) > 0 {
		a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = &v1.NodeSelector{NodeSelectorTerms: terms}
	}
	if rapid.Bool().Draw(t, "aff.preferred") {
		a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution = []v1.PreferredSchedulingTerm{{
			Weight: 10, Preference: v1.NodeSelectorTerm{MatchExpressions: []v1.NodeSelectorRequirement{{Key: "disk", Operator: v1.NodeSelectorOpIn, Values: []string{"ssd"}}}},
		}}
	}
	return a
}

// EligibilityPair draws one (node, DaemonSet) pair for the eligibility
// comparison.
func EligibilityPair(t *rapid.T, now time.Time) (*v1.Node, *appsv1.DaemonSet) {
	return Node(t, rapid.IntRange(0, 5).Draw(t, "node")), daemonSet(t, now)
}

// DaemonSet draws a DaemonSet sync state at now: a cluster of nodes, the
// DaemonSet part-way through its life, its revisions (and others'), pods on
// the nodes in every phase (duplicates, orphans, pods of other owners, pods
// pinned to nodes that are gone) and the failed-pod back-off.
func DaemonSet(t *rapid.T, now time.Time) DaemonSetState {
	ds := daemonSet(t, now)
	st := DaemonSetState{DaemonSet: ds, Backoff: map[string]backoff.Entry{}}
	nNodes := rapid.IntRange(0, 7).Draw(t, "nodes")
	for i := range nNodes {
		st.Nodes = append(st.Nodes, Node(t, i))
	}
	// Template variants: index 0 is the DaemonSet's own template.
	variants := []v1.PodTemplateSpec{ds.Spec.Template}
	for _, img := range daemonImages {
		if img != ds.Spec.Template.Spec.Containers[0].Image {
			variants = append(variants, DaemonSetTemplate(img, ds.Spec.Template.Labels))
		}
	}
	st.Revisions = daemonRevisions(t, ds, variants)
	hashes := make([]string, len(variants))
	for i := range variants {
		hashes[i] = workload.ComputeHash(&variants[i], ds.Status.CollisionCount)
	}
	podNo := 0
	created := now.Add(-2 * time.Hour)
	// failedOn marks the nodes that already hold a failed pod, by the node
	// a pod targets (a template's spec.nodeName pins every pod to one).
	failedOn := map[string]bool{}
	// Nodes 0..nNodes-1 exist; nNodes and nNodes+1 are gone.
	for node := range nNodes + 2 {
		k := rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("node%d.pods", node))
		if node >= nNodes {
			k = rapid.IntRange(0, 1).Draw(t, fmt.Sprintf("gone%d.pods", node))
		}
		for range k {
			p := daemonPod(t, ds, fmt.Sprintf("fluentd-p%d", podNo), fmt.Sprintf("node-%d", node), variants, hashes, now)
			podNo++
			created = created.Add(time.Duration(rapid.IntRange(0, 1).Draw(t, p.Name+".sameSecond")) * time.Minute)
			p.CreationTimestamp = metav1.NewTime(created)
			// Upstream deletes the first failed pod of a node in its cache
			// order (a map walk); one failed pod per node keeps that choice
			// out of the comparison.
			if target, ok := dsutil.TargetNode(p); ok && p.Status.Phase == v1.PodFailed && p.DeletionTimestamp == nil {
				if failedOn[target] {
					p.Status.Phase = v1.PodRunning
				}
				failedOn[target] = true
			}
			st.Pods = append(st.Pods, p)
		}
		if rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("node%d.backoff", node)) == 0 {
			delay := time.Second << rapid.IntRange(0, 10).Draw(t, fmt.Sprintf("node%d.backoff.steps", node))
			delay = min(delay, 15*time.Minute)
			ago := time.Duration(rapid.IntRange(0, 2000).Draw(t, fmt.Sprintf("node%d.backoff.ago", node))) * time.Second
			key := backoff.DaemonKey(ds.UID, ds.Status.ObservedGeneration, fmt.Sprintf("node-%d", node))
			st.Backoff[key] = backoff.Entry{Delay: delay, LastUpdate: now.Add(-ago)}
		}
	}
	return st
}

// daemonRevisions draws the namespace's ControllerRevisions: some of the
// variants recorded by the DaemonSet (with distinct revision numbers,
// sometimes without the hash label, sometimes orphaned), a revision of
// another DaemonSet, and now and then a stranger holding the name the
// current template's revision wants.
func daemonRevisions(t *rapid.T, ds *appsv1.DaemonSet, variants []v1.PodTemplateSpec) []*appsv1.ControllerRevision {
	var out []*appsv1.ControllerRevision
	names := map[string]bool{}
	revNo := int64(rapid.IntRange(1, 3).Draw(t, "rev.first"))
	for i := range variants {
		if rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("rev%d.absent", i)) == 0 {
			continue
		}
		tmpl := variants[i]
		var cc *int32
		if rapid.IntRange(0, 4).Draw(t, fmt.Sprintf("rev%d.oldCollision", i)) == 0 {
			cc = ptrInt32(int32(rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("rev%d.cc", i))))
		} else {
			cc = ds.Status.CollisionCount
		}
		hash := workload.ComputeHash(&tmpl, cc)
		data, _ := dsutil.RevisionData(&tmpl)
		r := &appsv1.ControllerRevision{
			ObjectMeta: metav1.ObjectMeta{
				Name: ds.Name + "-" + hash, Namespace: ds.Namespace, UID: types.UID(fmt.Sprintf("rev%d-uid", i)),
				Labels: map[string]string{"app": "fluentd", appsv1.DefaultDaemonSetUniqueLabelKey: hash},
			},
			Data:     runtime.RawExtension{Raw: data},
			Revision: revNo + int64(rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("rev%d.gap", i))),
		}
		revNo = r.Revision + 1
		for k, v := range tmpl.Labels {
			r.Labels[k] = v
		}
		if rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("rev%d.unlabelled", i)) == 0 {
			delete(r.Labels, appsv1.DefaultDaemonSetUniqueLabelKey)
		}
		switch rapid.IntRange(0, 7).Draw(t, fmt.Sprintf("rev%d.owner", i)) {
		case 0: // orphan
		case 1:
			r.OwnerReferences = []metav1.OwnerReference{ControllerRef("DaemonSet", "other")}
			r.Name = "other-" + hash
		default:
			ref := ControllerRef("DaemonSet", ds.Name)
			ref.UID = ds.UID
			r.OwnerReferences = []metav1.OwnerReference{ref}
		}
		if names[r.Name] {
			continue
		}
		names[r.Name] = true
		out = append(out, r)
	}
	if rapid.IntRange(0, 12).Draw(t, "rev.squatter") == 0 {
		hash := workload.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)
		name := ds.Name + "-" + hash
		if !names[name] {
			out = append(out, &appsv1.ControllerRevision{
				ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ds.Namespace, UID: "squatter-uid",
					Labels: map[string]string{"app": "other"}},
				Data:     runtime.RawExtension{Raw: []byte(`{"spec":{"template":{"$patch":"replace"}}}`)},
				Revision: 1,
			})
		}
	}
	return out
}

// daemonPod draws a pod of a variant on node: scheduled there or only
// pinned to it by node affinity, in any phase, perhaps ready (and since
// when), perhaps being deleted, owned by the DaemonSet, an orphan, or
// someone else's.
func daemonPod(t *rapid.T, ds *appsv1.DaemonSet, name, node string, variants []v1.PodTemplateSpec, hashes []string, now time.Time) *v1.Pod {
	vi := rapid.IntRange(0, len(variants)-1).Draw(t, name+".variant")
	tmpl := variants[vi].DeepCopy()
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ds.Namespace, UID: types.UID(name + "-uid"), Labels: tmpl.Labels},
		Spec:       tmpl.Spec,
	}
	if p.Labels == nil {
		p.Labels = map[string]string{}
	}
	switch rapid.IntRange(0, 5).Draw(t, name+".hashLabel") {
	case 0:
		p.Labels[templateGenerationLabelKey] = fmt.Sprint(ds.Generation - int64(rapid.IntRange(0, 1).Draw(t, name+".gen")))
	case 1:
		p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] = "stale"
	default:
		p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] = hashes[vi]
	}
	if rapid.IntRange(0, 4).Draw(t, name+".pinnedOnly") == 0 {
		p.Spec.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
			NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchFields: []v1.NodeSelectorRequirement{{Key: metav1.ObjectNameField, Operator: v1.NodeSelectorOpIn, Values: []string{node}}}}},
		}}}
	} else {
		p.Spec.NodeName = node
	}
	switch rapid.IntRange(0, 9).Draw(t, name+".owner") {
	case 0: // orphan
	case 1:
		p.OwnerReferences = []metav1.OwnerReference{ControllerRef("DaemonSet", "other")}
	case 2:
		p.Labels = map[string]string{"app": "unrelated"}
		p.OwnerReferences = []metav1.OwnerReference{daemonOwnerRef(ds)}
	default:
		p.OwnerReferences = []metav1.OwnerReference{daemonOwnerRef(ds)}
	}
	p.Status.Phase = rapid.SampledFrom([]v1.PodPhase{v1.PodRunning, v1.PodRunning, v1.PodRunning, v1.PodPending, v1.PodSucceeded, v1.PodFailed, v1.PodUnknown}).Draw(t, name+".phase")
	if p.Status.Phase == v1.PodRunning && rapid.IntRange(0, 3).Draw(t, name+".ready") != 0 {
		since := time.Duration(rapid.SampledFrom([]int{1, 5, 30, 59, 61, 120, 3600}).Draw(t, name+".readyFor")) * time.Second
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(now.Add(-since))}}
	}
	if rapid.IntRange(0, 7).Draw(t, name+".deleting") == 0 {
		ts := metav1.NewTime(now.Add(-10 * time.Second))
		p.DeletionTimestamp = &ts
		p.Finalizers = []string{"example.com/hold"}
	}
	return p
}

const templateGenerationLabelKey = "pod-template-generation"

func daemonOwnerRef(ds *appsv1.DaemonSet) metav1.OwnerReference {
	ref := ControllerRef("DaemonSet", ds.Name)
	ref.UID = ds.UID
	return ref
}
