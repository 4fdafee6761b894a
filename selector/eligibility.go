package selector

import (
	"sort"

	"github.com/go-logr/logr"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/util/validation/field"
	corev1helpers "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
)

// comparisonOperators is the 1.37 default of the TaintTolerationComparisonOperators
// feature gate (alpha, off): tolerations compare taint values only for equality.
const comparisonOperators = false

// Eligibility says whether a node runs the pod of one DaemonSet.
type Eligibility struct {
	// ShouldRun: the controller creates a daemon pod on the node when it
	// has none.
	ShouldRun bool
	// ShouldContinueRunning: a daemon pod already on the node may stay.
	// It differs from ShouldRun only on a node with a NoSchedule taint the
	// pod does not tolerate: no new pod goes there, but one already there
	// keeps running as long as every NoExecute taint is tolerated.
	ShouldContinueRunning bool

	// why remembers what failed; Reason turns it into words only when
	// asked, so that deciding for thousands of nodes builds no strings.
	why cause
}

// DaemonTolerations returns the tolerations of a pod the DaemonSet
// controller creates from spec: spec's own, then the ones every daemon pod
// gets so that node problems never evict it or keep it away:
//
//	node.kubernetes.io/not-ready          Exists NoExecute
//	node.kubernetes.io/unreachable        Exists NoExecute
//	node.kubernetes.io/disk-pressure      Exists NoSchedule
//	node.kubernetes.io/memory-pressure    Exists NoSchedule
//	node.kubernetes.io/pid-pressure       Exists NoSchedule
//	node.kubernetes.io/unschedulable      Exists NoSchedule
//	node.kubernetes.io/network-unavailable Exists NoSchedule (hostNetwork pods only)
//
// A toleration of spec with the same key, operator, value and effect as a
// default one is replaced by the default (so a tolerationSeconds on it is
// dropped); an identical one is left where it is. spec is not modified; a
// nil spec gets the defaults of a pod without hostNetwork.
func DaemonTolerations(spec *v1.PodSpec) []v1.Toleration {
	var out []v1.Toleration
	hostNetwork := false
	if spec != nil {
		out = append(out, spec.Tolerations...)
		hostNetwork = spec.HostNetwork
	}
	for _, d := range defaultDaemonTolerations(hostNetwork) {
		out = addOrUpdateToleration(out, d)
	}
	return out
}

func defaultDaemonTolerations(hostNetwork bool) []v1.Toleration {
	exists := func(key string, effect v1.TaintEffect) v1.Toleration {
		return v1.Toleration{Key: key, Operator: v1.TolerationOpExists, Effect: effect}
	}
	ts := []v1.Toleration{
		exists(v1.TaintNodeNotReady, v1.TaintEffectNoExecute),
		exists(v1.TaintNodeUnreachable, v1.TaintEffectNoExecute),
		exists(v1.TaintNodeDiskPressure, v1.TaintEffectNoSchedule),
		exists(v1.TaintNodeMemoryPressure, v1.TaintEffectNoSchedule),
		exists(v1.TaintNodePIDPressure, v1.TaintEffectNoSchedule),
		exists(v1.TaintNodeUnschedulable, v1.TaintEffectNoSchedule),
	}
	if hostNetwork {
		ts = append(ts, exists(v1.TaintNodeNetworkUnavailable, v1.TaintEffectNoSchedule))
	}
	return ts
}

// addOrUpdateToleration adds t to ts unless a matching toleration (same
// key, operator, value, effect) is there. Matching ones are all replaced by
// t — unless one of them already equals t, in which case nothing changes at
// all. That is the API helper's rule, kept to the letter because a pod's
// toleration list is part of the create call.
func addOrUpdateToleration(ts []v1.Toleration, t v1.Toleration) []v1.Toleration {
	out := make([]v1.Toleration, 0, len(ts)+1)
	replaced := false
	for i := range ts {
		if t.MatchToleration(&ts[i]) {
			if equality.Semantic.DeepEqual(t, ts[i]) {
				return ts
			}
			out = append(out, t)
			replaced = true
			continue
		}
		out = append(out, ts[i])
	}
	if !replaced {
		out = append(out, t)
	}
	return out
}

// DaemonPlacement is the node-independent half of the eligibility check for
// one DaemonSet: its pods' tolerations and parsed node affinity. Build it
// once with NewDaemonPlacement and ask it about many nodes.
type DaemonPlacement struct {
	nodeName    string
	tolerations []v1.Toleration
	affinity    nodeaffinity.RequiredNodeAffinity
	// nodeSelector and required are the template's own, kept (never
	// modified) to explain a mismatch.
	nodeSelector map[string]string
	required     *v1.NodeSelector
}

// NewDaemonPlacement prepares the eligibility check of the pods made from
// template. A nil template is treated as an empty one.
func NewDaemonPlacement(template *v1.PodTemplateSpec) DaemonPlacement {
	if template == nil {
		template = &v1.PodTemplateSpec{}
	}
	spec := &template.Spec
	p := DaemonPlacement{
		nodeName:     spec.NodeName,
		tolerations:  DaemonTolerations(spec),
		affinity:     nodeaffinity.NewRequiredNodeAffinity(spec.NodeSelector, spec.Affinity),
		nodeSelector: spec.NodeSelector,
	}
	if a := spec.Affinity; a != nil && a.NodeAffinity != nil {
		p.required = a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	}
	return p
}

// Node decides for one node (which must not be nil).
//
// The rules, in upstream's order:
//   - a template with spec.nodeName runs only on that node;
//   - the node must match spec.nodeSelector and the required terms of
//     spec.affinity.nodeAffinity (a term that does not parse matches no
//     node, the others still count), otherwise the pod neither runs nor
//     stays;
//   - every NoSchedule and NoExecute taint of the node must be tolerated
//     (PreferNoSchedule never matters) for the pod to be started; a pod
//     already there stays while every NoExecute taint is tolerated.
//
// Nothing else counts: not the node's readiness, its unschedulable flag
// (only through the taint the node lifecycle adds for it), its capacity,
// or other pods.
func (p DaemonPlacement) Node(node *v1.Node) Eligibility {
	if p.nodeName != "" && p.nodeName != node.Name {
		return Eligibility{why: cause{kind: causeNodeName, nodeName: p.nodeName}}
	}
	if ok, _ := p.affinity.Match(node); !ok {
		return Eligibility{why: cause{kind: causeAffinity, node: node, nodeSelector: p.nodeSelector, required: p.required}}
	}
	var discard logr.Logger
	if t, found := corev1helpers.FindMatchingUntoleratedTaint(discard, node.Spec.Taints, p.tolerations, func(t *v1.Taint) bool {
		return t.Effect == v1.TaintEffectNoSchedule || t.Effect == v1.TaintEffectNoExecute
	}, comparisonOperators); found {
		_, evicting := corev1helpers.FindMatchingUntoleratedTaint(discard, node.Spec.Taints, p.tolerations, func(t *v1.Taint) bool {
			return t.Effect == v1.TaintEffectNoExecute
		}, comparisonOperators)
		return Eligibility{ShouldContinueRunning: !evicting, why: cause{kind: causeTaint, taint: t}}
	}
	return Eligibility{ShouldRun: true, ShouldContinueRunning: true}
}

// NodeEligibility says whether node runs the pod of ds: upstream's
// daemon.NodeShouldRunDaemonPod. Only ds.spec.template is read. A nil node
// or DaemonSet is an error naming it.
func NodeEligibility(node *v1.Node, ds *appsv1.DaemonSet) (Eligibility, error) {
	var errs field.ErrorList
	if node == nil {
		errs = append(errs, field.Required(field.NewPath("node"), ""))
	}
	if ds == nil {
		errs = append(errs, field.Required(field.NewPath("daemonSet"), ""))
	}
	if len(errs) > 0 {
		return Eligibility{}, errs.ToAggregate()
	}
	return NewDaemonPlacement(&ds.Spec.Template).Node(node), nil
}

// DaemonPodsForNode answers the capacity planner's question "which daemon
// pods will this node run?": for every DaemonSet of daemonSets whose pod
// should run on node, the pod the controller would start there, with the
// template's labels, annotations and spec, the daemon tolerations, the
// DaemonSet's namespace and spec.nodeName set to the node (what the
// scheduler will bind it to). DaemonSets being deleted are skipped, as the
// controller no longer starts pods for them.
//
// Every DaemonSet that gets no pod is listed in excluded, with the reason
// (Exclusion.Reason). The pods and the exclusions come sorted by namespace
// and then DaemonSet name, whatever the order of daemonSets. A nil node or
// DaemonSet is an error naming it.
func DaemonPodsForNode(node *v1.Node, daemonSets []*appsv1.DaemonSet) (pods []*v1.Pod, excluded []Exclusion, err error) {
	var errs field.ErrorList
	if node == nil {
		errs = append(errs, field.Required(field.NewPath("node"), ""))
	}
	for i, ds := range daemonSets {
		if ds == nil {
			errs = append(errs, field.Required(field.NewPath("daemonSets").Index(i), ""))
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs.ToAggregate()
	}
	sorted := append([]*appsv1.DaemonSet(nil), daemonSets...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Namespace != sorted[j].Namespace {
			return sorted[i].Namespace < sorted[j].Namespace
		}
		if sorted[i].Name != sorted[j].Name {
			return sorted[i].Name < sorted[j].Name
		}
		return sorted[i].UID < sorted[j].UID
	})
	for _, ds := range sorted {
		if ds.DeletionTimestamp != nil {
			excluded = append(excluded, Exclusion{DaemonSet: ds})
			continue
		}
		if e := NewDaemonPlacement(&ds.Spec.Template).Node(node); !e.ShouldRun {
			excluded = append(excluded, Exclusion{DaemonSet: ds, Eligibility: e})
			continue
		}
		pods = append(pods, daemonPodOn(ds, node.Name))
	}
	return pods, excluded, nil
}

// Exclusion is a DaemonSet that DaemonPodsForNode starts no pod for.
type Exclusion struct {
	// DaemonSet is the excluded DaemonSet, as passed in.
	DaemonSet *appsv1.DaemonSet
	// Eligibility is the node's eligibility for it; the zero value when
	// the DaemonSet is being deleted (not looked at).
	Eligibility Eligibility
}

// Reason says why the DaemonSet gets no pod on the node: "being deleted",
// or its Eligibility's reason.
func (x Exclusion) Reason() string {
	if x.DaemonSet != nil && x.DaemonSet.DeletionTimestamp != nil {
		return "the DaemonSet is being deleted"
	}
	return x.Eligibility.Reason()
}

// daemonPodOn is the pod a DaemonSet runs on a node, as capacity planning
// sees it: a deep copy of the template, the daemon tolerations, the
// namespace, and the node as spec.nodeName.
func daemonPodOn(ds *appsv1.DaemonSet, nodeName string) *v1.Pod {
	t := ds.Spec.Template.DeepCopy()
	pod := &v1.Pod{ObjectMeta: t.ObjectMeta, Spec: t.Spec}
	pod.Namespace = ds.Namespace
	pod.Spec.NodeName = nodeName
	pod.Spec.Tolerations = DaemonTolerations(&t.Spec)
	return pod
}
