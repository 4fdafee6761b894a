package fuzzstate

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/workload"
)

// daemonImages are the template variants a DaemonSet moves between.
var daemonImages = []string{"fluentd:1.16", "fluentd:1.17", "fluentd:1.18"}

// nodeLabels are the labels nodes carry and placements ask for.
var nodeLabels = [][2]string{{"role", "worker"}, {"role", "infra"}, {"zone", "a"}, {"disk", "ssd"}}

// nodeTaints are the taints nodes draw from: the lifecycle's condition
// taints, a control-plane taint, dedicated and soft taints.
var nodeTaints = []v1.Taint{
	{Key: "node-role.kubernetes.io/control-plane", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoExecute},
	{Key: "spot", Value: "true", Effect: v1.TaintEffectPreferNoSchedule},
	{Key: v1.TaintNodeNotReady, Effect: v1.TaintEffectNoExecute},
	{Key: v1.TaintNodeUnschedulable, Effect: v1.TaintEffectNoSchedule},
	{Key: v1.TaintNodeMemoryPressure, Effect: v1.TaintEffectNoExecute},
}

// tolerations are what templates draw from.
var tolerations = []v1.Toleration{
	{Key: "node-role.kubernetes.io/control-plane", Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoSchedule},
	{Key: "dedicated", Operator: v1.TolerationOpEqual, Value: "gpu"},
	{Key: "dedicated", Operator: v1.TolerationOpEqual, Value: "cpu", Effect: v1.TaintEffectNoExecute},
	{Operator: v1.TolerationOpExists},
	{Key: v1.TaintNodeNotReady, Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute, TolerationSeconds: int64p(300)},
}

// daemonRolling are (maxUnavailable, maxSurge) pairs with exactly one
// non-zero, in both forms.
var daemonRolling = [][2]intstr.IntOrString{
	{intstr.FromInt32(1), intstr.FromInt32(0)},
	{intstr.FromString("50%"), intstr.FromString("0%")},
	{intstr.FromString("100%"), intstr.FromInt32(0)},
	{intstr.FromInt32(0), intstr.FromInt32(1)},
	{intstr.FromString("0%"), intstr.FromString("30%")},
}

// Node builds the i-th node: labels, taints, readiness.
func Node(r *Reader, i int) *v1.Node {
	n := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name("node-", i), UID: types.UID(name("node-uid-", i)), Labels: map[string]string{"kubernetes.io/hostname": name("node-", i)}}}
	for range r.Intn(3) {
		l := Pick(r, nodeLabels...)
		n.Labels[l[0]] = l[1]
	}
	seen := map[int]bool{}
	for range r.Intn(3) {
		if k := r.Intn(len(nodeTaints)); !seen[k] {
			seen[k] = true
			n.Spec.Taints = append(n.Spec.Taints, nodeTaints[k])
		}
	}
	n.Spec.Unschedulable = r.OneIn(6)
	ready := v1.ConditionTrue
	if r.OneIn(5) {
		ready = v1.ConditionFalse
	}
	n.Status.Conditions = []v1.NodeCondition{{Type: v1.NodeReady, Status: ready}}
	return n
}

// Placement fills a template's placement: nodeSelector, required node
// affinity (on labels or on the node name), tolerations, hostNetwork.
func Placement(r *Reader, spec *v1.PodSpec) {
	if r.OneIn(4) {
		l := Pick(r, nodeLabels...)
		spec.NodeSelector = map[string]string{l[0]: l[1]}
	}
	if r.OneIn(4) {
		var terms []v1.NodeSelectorTerm
		for range r.IntRange(1, 2) {
			l := Pick(r, nodeLabels...)
			var req v1.NodeSelectorRequirement
			switch r.Intn(6) {
			case 0:
				req = v1.NodeSelectorRequirement{Key: l[0], Operator: v1.NodeSelectorOpIn, Values: []string{l[1]}}
			case 1:
				req = v1.NodeSelectorRequirement{Key: l[0], Operator: v1.NodeSelectorOpNotIn, Values: []string{l[1]}}
			case 2:
				req = v1.NodeSelectorRequirement{Key: l[0], Operator: v1.NodeSelectorOpExists}
			case 3:
				req = v1.NodeSelectorRequirement{Key: l[0], Operator: v1.NodeSelectorOpDoesNotExist}
			case 4:
				req = v1.NodeSelectorRequirement{Key: "cpus", Operator: Pick(r, v1.NodeSelectorOpGt, v1.NodeSelectorOpLt), Values: []string{Pick(r, "4", "8")}}
			default:
				terms = append(terms, v1.NodeSelectorTerm{MatchFields: []v1.NodeSelectorRequirement{
					{Key: metav1.ObjectNameField, Operator: v1.NodeSelectorOpIn, Values: []string{"node-0", "node-2"}},
				}})
				continue
			}
			terms = append(terms, v1.NodeSelectorTerm{MatchExpressions: []v1.NodeSelectorRequirement{req}})
		}
		spec.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{NodeSelectorTerms: terms}}}
	}
	for range r.Intn(3) {
		spec.Tolerations = append(spec.Tolerations, Pick(r, tolerations...))
	}
	spec.HostNetwork = r.OneIn(4)
	if r.OneIn(30) {
		spec.NodeName = "node-1"
	}
}

// DaemonSet builds a DaemonSet sync state: up to four nodes, the
// DaemonSet part-way through its life, its ControllerRevisions (and
// others', one perhaps squatting on the current revision's name), pods on
// the nodes and on nodes that are gone, in every phase and of every kind
// of owner, and the failed-pod back-off.
func DaemonSet(r *Reader, now time.Time) daemon.State {
	ds := daemonSetObject(r, now)
	st := daemon.State{DaemonSet: ds}
	nodes := r.Intn(5)
	for i := range nodes {
		st.Nodes = append(st.Nodes, Node(r, i))
	}
	// Template variants: index 0 is the DaemonSet's own.
	variants := []v1.PodTemplateSpec{ds.Spec.Template}
	for _, img := range daemonImages {
		if img != ds.Spec.Template.Spec.Containers[0].Image {
			variants = append(variants, podTemplate(img, ds.Spec.Template.Labels, v1.RestartPolicyAlways))
		}
	}
	st.Revisions = daemonRevisions(r, ds, variants)
	hashes := make([]string, len(variants))
	for i := range variants {
		hashes[i] = workload.ComputeHash(&variants[i], ds.Status.CollisionCount)
	}
	pod := 0
	for node := range nodes + 1 { // node-<nodes> is gone
		for range r.Intn(3) {
			st.Pods = append(st.Pods, daemonPod(r, ds, name("fluentd-p", pod), name("node-", node), variants, hashes, now))
			pod++
		}
		if r.OneIn(4) {
			if st.Backoff == nil {
				st.Backoff = map[string]backoff.Entry{}
			}
			key := backoff.DaemonKey(ds.UID, ds.Status.ObservedGeneration, name("node-", node))
			st.Backoff[key] = backoff.Entry{Delay: min(time.Second<<r.Intn(11), backoff.DaemonMax), LastUpdate: now.Add(-time.Duration(r.Intn(2000)) * time.Second)}
		}
	}
	switch r.Intn(48) {
	case 1:
		ds.Spec.RevisionHistoryLimit = nil
	case 2:
		ds.Spec.Selector = &metav1.LabelSelector{} // older validation allowed it: upstream's SelectingAll guard
	case 3:
		st.Nodes = append(st.Nodes, nil)
	case 4:
		ds.Spec.Template.Spec.TerminationGracePeriodSeconds = nil
	case 5:
		if len(st.Nodes) > 0 {
			st.Nodes = append(st.Nodes, st.Nodes[0].DeepCopy())
		}
	case 6:
		ds.Spec.UpdateStrategy.Type = "Sometimes"
	}
	return st
}

// CloneDaemonSet deep-copies every object of s.
func CloneDaemonSet(s daemon.State) daemon.State {
	s.DaemonSet = s.DaemonSet.DeepCopy()
	s.Nodes = cloneList(s.Nodes)
	s.Pods = cloneList(s.Pods)
	s.Revisions = cloneList(s.Revisions)
	if s.Backoff != nil {
		b := make(map[string]backoff.Entry, len(s.Backoff))
		for k, v := range s.Backoff {
			b[k] = v
		}
		s.Backoff = b
	}
	return s
}

// PermuteDaemonSet reorders s's lists.
func PermuteDaemonSet(r *Reader, s daemon.State) daemon.State {
	s.Nodes = Permute(r, s.Nodes)
	s.Pods = Permute(r, s.Pods)
	s.Revisions = Permute(r, s.Revisions)
	return s
}

func daemonSetObject(r *Reader, now time.Time) *appsv1.DaemonSet {
	labels := map[string]string{"app": "fluentd"}
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "fluentd"}}
	if r.OneIn(4) {
		labels["tier"] = "logging"
		sel.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"logging", "system"}}}
	}
	tmpl := podTemplate(Pick(r, daemonImages...), labels, v1.RestartPolicyAlways)
	Placement(r, &tmpl.Spec)
	gen := int64(r.IntRange(1, 3))
	ds := &appsv1.DaemonSet{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"},
		ObjectMeta: metav1.ObjectMeta{
			Name: "fluentd", Namespace: Namespace, UID: "fluentd-uid", ResourceVersion: "7", Generation: gen,
			CreationTimestamp: metav1.NewTime(now.Add(-time.Hour)),
		},
		Spec: appsv1.DaemonSetSpec{
			Selector:             sel,
			Template:             tmpl,
			MinReadySeconds:      Pick[int32](r, 0, 0, 10, 60),
			RevisionHistoryLimit: int32p(int32(r.Intn(3))),
		},
	}
	if r.OneIn(6) {
		ds.Spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType}
	} else {
		v := Pick(r, daemonRolling...)
		u, s := v[0], v[1]
		ru := &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &u, MaxSurge: &s}
		if isZero(s) && r.Bool() {
			ru.MaxSurge = nil
		}
		ds.Spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType, RollingUpdate: ru}
	}
	if r.OneIn(5) {
		ds.Annotations = map[string]string{appsv1.DeprecatedTemplateGeneration: fmt.Sprint(gen)}
	}
	if r.OneIn(5) {
		ds.Status.CollisionCount = int32p(int32(r.Intn(3)))
	}
	ds.Status.ObservedGeneration = gen - int64(r.Intn(2))
	ds.Status.DesiredNumberScheduled = int32(r.Intn(4))
	ds.Status.CurrentNumberScheduled = int32(r.Intn(4))
	ds.Status.NumberReady = int32(r.Intn(4))
	ds.Status.NumberAvailable = int32(r.Intn(4))
	ds.Status.UpdatedNumberScheduled = int32(r.Intn(4))
	ds.Status.NumberUnavailable = int32(r.Intn(4))
	if r.OneIn(30) {
		ts := ago(r, now)
		ds.DeletionTimestamp = &ts
	}
	return ds
}

// daemonRevisions are the namespace's ControllerRevisions: some variants
// recorded by the DaemonSet (distinct revision numbers, sometimes without
// the hash label, sometimes orphaned or another DaemonSet's), and now and
// then a stranger holding the name the current revision wants.
func daemonRevisions(r *Reader, ds *appsv1.DaemonSet, variants []v1.PodTemplateSpec) []*appsv1.ControllerRevision {
	var out []*appsv1.ControllerRevision
	names := map[string]bool{}
	rev := int64(r.IntRange(1, 3))
	for i := range variants {
		if r.OneIn(3) {
			continue
		}
		tmpl := variants[i]
		cc := ds.Status.CollisionCount
		if r.OneIn(5) {
			cc = int32p(int32(r.Intn(3)))
		}
		hash := workload.ComputeHash(&tmpl, cc)
		data, err := dsutil.RevisionData(&tmpl)
		if err != nil {
			continue
		}
		cr := &appsv1.ControllerRevision{
			ObjectMeta: metav1.ObjectMeta{
				Name: ds.Name + "-" + hash, Namespace: ds.Namespace, UID: types.UID(name("rev-uid-", i)),
				Labels: copyLabels(tmpl.Labels),
			},
			Data:     runtime.RawExtension{Raw: data},
			Revision: rev + int64(r.Intn(3)),
		}
		rev = cr.Revision + 1
		if !r.OneIn(6) {
			cr.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] = hash
		}
		switch r.Intn(8) {
		case 0: // orphan
		case 1:
			cr.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "DaemonSet", "other", "other-uid")}
			cr.Name = "other-" + hash
		default:
			cr.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "DaemonSet", ds.Name, ds.UID)}
		}
		if names[cr.Name] {
			continue
		}
		names[cr.Name] = true
		out = append(out, cr)
	}
	if r.OneIn(12) {
		n := ds.Name + "-" + workload.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)
		if !names[n] {
			out = append(out, &appsv1.ControllerRevision{
				ObjectMeta: metav1.ObjectMeta{Name: n, Namespace: ds.Namespace, UID: "squatter-uid", Labels: map[string]string{"app": "other"}},
				Data:       runtime.RawExtension{Raw: []byte(`{"spec":{"template":{"$patch":"replace"}}}`)},
				Revision:   1,
			})
		}
	}
	return out
}

// daemonPod is a pod of a variant on node: bound to it or only pinned by
// node affinity, in any phase, perhaps ready, perhaps being deleted, the
// DaemonSet's, an orphan or someone else's.
func daemonPod(r *Reader, ds *appsv1.DaemonSet, podName, node string, variants []v1.PodTemplateSpec, hashes []string, now time.Time) *v1.Pod {
	vi := r.Intn(len(variants))
	p := basePod(r, podName, &variants[vi], now)
	p.Namespace = ds.Namespace
	if p.Labels == nil {
		p.Labels = map[string]string{}
	}
	switch r.Intn(6) {
	case 0:
		p.Labels["pod-template-generation"] = fmt.Sprint(ds.Generation - int64(r.Intn(2)))
	case 1:
		p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] = "stale"
	default:
		p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] = hashes[vi]
	}
	p.Spec.NodeName = node
	if r.OneIn(5) {
		p.Spec.NodeName = ""
		p.Spec.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
			NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchFields: []v1.NodeSelectorRequirement{{Key: metav1.ObjectNameField, Operator: v1.NodeSelectorOpIn, Values: []string{node}}}}},
		}}}
	}
	switch r.Intn(10) {
	case 0: // orphan
	case 1:
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "DaemonSet", "other", "other-uid")}
	case 2:
		p.Labels = map[string]string{"app": "unrelated"}
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "DaemonSet", ds.Name, ds.UID)}
	default:
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "DaemonSet", ds.Name, ds.UID)}
	}
	if p.DeletionTimestamp != nil {
		p.Finalizers = []string{"example.com/hold"}
	}
	return p
}
