package daemonset

import (
	"bytes"
	"sort"
	"strings"
	"time"

	apps "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	podutil "k8s.io/kubernetes/pkg/api/v1/pod"

	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/workload"
)

// rollingTie reports whether upstream's and kubepure's calls differ only in
// which nodes the rolling update picked where upstream's pick follows map
// order, and in nothing else.
//
// Normalisation, and why it is sound: rollingUpdate walks its node-to-pods
// map, and while the limit is not reached every node with a sole, old,
// available pod becomes a candidate; then the first `room` candidates in
// walk order are used. A candidate is skipped only once the count reached
// the limit, and then room is 0, so whenever room > 0 every such node is a
// candidate and any `room` of them is a choice upstream can make. The
// rolling update runs only when manage made no pod call, so every pod
// create and delete of the sync is the rolling update's. The tie passes
// when all other calls agree in order, both sides create and delete the
// same number of pods with the same bodies up to the node name, and every
// pick where the two differ is such a candidate of the same kind on both
// sides: for deletes without surge, any node; with surge, old pods on nodes
// that should not run the pod (deleted once enough pods are available
// elsewhere); for creates, a node that should run it.
func rollingTie(st gen.DaemonSetState, up, kp []workload.Action, now time.Time) bool {
	picks, restAgrees := rollingPicks(st, up, kp, now)
	return picks && restAgrees
}

// rollingWitness looks for an upstream sync that makes exactly kubepure's
// calls, for a state where the two differ in rolling-update picks that are
// candidates (as rollingTie checks) and, as a consequence, in later calls.
//
// Why later calls can follow the pick: a pod the rolling update deletes
// may be an orphan that the sync adopted. Every later claim in the same
// sync (cleanupHistory's, updateDaemonSetStatus's) re-lists the unchanged
// cache and patches the orphan again; the API server now answers NotFound,
// and ClaimObject then leaves the pod out. So the status counts, and the
// hashes cleanupHistory treats as live, depend on which candidates were
// picked. Rather than re-derive those counts here, the comparison asks
// upstream itself: it syncs the same state again, each time with a fresh
// map order, until one sync's calls equal kubepure's, and returns that
// sync for the requeue and back-off checks. Only an outcome upstream
// actually produced is accepted, so the rule accepts nothing upstream
// cannot do. It gives up after witnessTries syncs: in measurements each
// such outcome came up in at least one sync of eleven, so one upstream can
// reach is missed with a probability below 1e-15.
func rollingWitness(hs harness.DaemonSetState, st gen.DaemonSetState, up, kp []workload.Action, now time.Time) (harness.DaemonSetResult, bool) {
	if picks, _ := rollingPicks(st, up, kp, now); !picks {
		return harness.DaemonSetResult{}, false
	}
	want := harness.RenderAll(kp)
	for range witnessTries {
		res, err := harness.SyncDaemonSet(hs, now)
		if err != nil {
			return harness.DaemonSetResult{}, false
		}
		if harness.DiffCalls(harness.RenderAll(res.Calls), want) == "" {
			return res, true
		}
	}
	return harness.DaemonSetResult{}, false
}

// witnessTries bounds the upstream syncs rollingWitness runs.
const witnessTries = 400

// rollingPicks reports whether the rolling update's pod creates and
// deletes differ only in picks that are candidates on both sides (see
// rollingTie), and whether all other calls agree in order.
func rollingPicks(st gen.DaemonSetState, up, kp []workload.Action, now time.Time) (picks, restAgrees bool) {
	rolling := false
	for _, a := range kp {
		if strings.HasPrefix(a.Reason, "rolling update") {
			rolling = true
		}
	}
	if !rolling {
		return false, false
	}
	upRest, upDeletes, upCreates := splitPodCalls(up)
	kpRest, kpDeletes, kpCreates := splitPodCalls(kp)
	restAgrees = harness.DiffCalls(harness.RenderAll(upRest), harness.RenderAll(kpRest)) == ""
	if len(upDeletes) != len(kpDeletes) || len(upCreates) != len(kpCreates) {
		return false, restAgrees
	}
	if !sameBodiesButNode(upCreates, kpCreates) {
		return false, restAgrees
	}
	c := newCandidates(st, now)
	upNames, kpNames := names(upDeletes), names(kpDeletes)
	for _, n := range symmetricDifference(upNames, kpNames) {
		if !c.deletable(n) {
			return false, restAgrees
		}
	}
	upNodes, kpNodes := createNodes(upCreates), createNodes(kpCreates)
	for _, n := range symmetricDifference(upNodes, kpNodes) {
		if !c.surgeable(n) {
			return false, restAgrees
		}
	}
	// Without surge every difference is one class; with surge, leaving
	// deletes on a node that should run would be another kind of call.
	return true, restAgrees
}

func splitPodCalls(calls []workload.Action) (rest, deletes, creates []workload.Action) {
	for _, a := range calls {
		switch {
		case a.Resource == "pods" && a.Verb == workload.Delete:
			deletes = append(deletes, a)
		case a.Resource == "pods" && a.Verb == workload.Create:
			creates = append(creates, a)
		default:
			rest = append(rest, a)
		}
	}
	return rest, deletes, creates
}

func names(calls []workload.Action) []string {
	var out []string
	for _, a := range calls {
		out = append(out, a.Name)
	}
	return out
}

func createNodes(calls []workload.Action) []string {
	var out []string
	for _, a := range calls {
		if p, ok := a.Object.(*v1.Pod); ok {
			n, _ := dsutil.TargetNode(p)
			out = append(out, n)
		}
	}
	return out
}

// sameBodiesButNode compares the create bodies with the pinned node name
// blanked out.
func sameBodiesButNode(a, b []workload.Action) bool {
	render := func(calls []workload.Action) []string {
		var out []string
		for _, c := range calls {
			p, ok := c.Object.(*v1.Pod)
			if !ok {
				return nil
			}
			n, _ := dsutil.TargetNode(p)
			out = append(out, strings.ReplaceAll(harness.Render(c), `"`+n+`"`, `"NODE"`))
		}
		sort.Strings(out)
		return out
	}
	ra, rb := render(a), render(b)
	if len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if ra[i] != rb[i] {
			return false
		}
	}
	return true
}

func symmetricDifference(a, b []string) []string {
	in := func(xs []string, x string) bool {
		for _, y := range xs {
			if x == y {
				return true
			}
		}
		return false
	}
	var out []string
	for _, x := range a {
		if !in(b, x) {
			out = append(out, x)
		}
	}
	for _, x := range b {
		if !in(a, x) {
			out = append(out, x)
		}
	}
	return out
}

// candidates knows, from the state alone and with upstream's own
// predicates, which pods and nodes the rolling update may pick.
type candidates struct {
	ds    *apps.DaemonSet
	now   time.Time
	nodes map[string]*v1.Node
	// sole is the only non-deleting claimed pod of a node, if there is
	// exactly one.
	sole  map[string]*v1.Pod
	podAt map[string]string // pod name -> node
	hash  string
	surge bool
}

func newCandidates(st gen.DaemonSetState, now time.Time) *candidates {
	ds := st.DaemonSet
	c := &candidates{ds: ds, now: now, nodes: map[string]*v1.Node{}, sole: map[string]*v1.Pod{}, podAt: map[string]string{}}
	for _, n := range st.Nodes {
		c.nodes[n.Name] = n
	}
	sel, _ := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
	count := map[string]int{}
	for _, p := range st.Pods {
		ref := metav1.GetControllerOf(p)
		claimed := sel.Matches(labels.Set(p.Labels)) && ((ref != nil && ref.UID == ds.UID) || (ref == nil && p.DeletionTimestamp == nil))
		if !claimed || p.DeletionTimestamp != nil {
			continue
		}
		n, ok := dsutil.TargetNode(p)
		if !ok {
			continue
		}
		count[n]++
		c.sole[n] = p
		c.podAt[p.Name] = n
	}
	for n, k := range count {
		if k != 1 {
			delete(c.sole, n)
		}
	}
	c.hash = currentHash(st)
	if ru := ds.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.MaxSurge != nil {
		c.surge = ru.MaxSurge.String() != "0" && ru.MaxSurge.String() != "0%"
	}
	return c
}

// oldAvailable: the node's sole pod runs an old template and is available.
func (c *candidates) oldAvailable(node string) bool {
	p, ok := c.sole[node]
	if !ok {
		return false
	}
	updated := p.Labels[apps.DefaultDaemonSetUniqueLabelKey] == c.hash
	if g, ok := c.ds.Annotations[apps.DeprecatedTemplateGeneration]; ok && p.Labels["pod-template-generation"] == g {
		updated = true
	}
	return !updated && podutil.IsPodAvailable(p, c.ds.Spec.MinReadySeconds, metav1.NewTime(c.now))
}

func (c *candidates) shouldRun(node string) bool {
	n, ok := c.nodes[node]
	if !ok {
		return false
	}
	run, _ := harness.UpstreamNodeShouldRunDaemonPod(n, c.ds)
	return run
}

func (c *candidates) deletable(pod string) bool {
	node, ok := c.podAt[pod]
	if !ok || !c.oldAvailable(node) {
		return false
	}
	if !c.surge {
		return true
	}
	_, exists := c.nodes[node]
	return exists && !c.shouldRun(node)
}

func (c *candidates) surgeable(node string) bool {
	return c.surge && c.oldAvailable(node) && c.shouldRun(node)
}

// currentHash is the controller-revision-hash of the revision that records
// the DaemonSet's template: the matching revision the DaemonSet controls or
// may adopt with the highest revision number (its label, or its name when
// unlabelled), else the hash of a new one.
func currentHash(st gen.DaemonSetState) string {
	ds := st.DaemonSet
	data, _ := dsutil.RevisionData(&ds.Spec.Template)
	sel, _ := metav1.LabelSelectorAsSelector(ds.Spec.Selector)
	var best *apps.ControllerRevision
	for _, r := range st.Revisions {
		ref := metav1.GetControllerOf(r)
		ours := (ref != nil && ref.UID == ds.UID) || (ref == nil && sel.Matches(labels.Set(r.Labels)))
		if !ours || !bytes.Equal(r.Data.Raw, data) {
			continue
		}
		if best == nil || r.Revision >= best.Revision {
			best = r
		}
	}
	if best == nil {
		return workload.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)
	}
	if h, ok := best.Labels[apps.DefaultDaemonSetUniqueLabelKey]; ok {
		return h
	}
	return best.Name
}
