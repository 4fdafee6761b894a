package daemon_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/workload"
)

// TestScenarios runs the spec scenarios in testdata/. Each file is a story
// told with these commands:
//
//	world        the cluster: one daemonset line, node, pod and revision
//	             lines (see buildWorld)
//	sync         one Reconcile, printed, then applied to the world (the
//	             back-off record is kept for the next sync)
//	plan         one Reconcile, printed, not applied (with detail=tolerations
//	             on either, created pods show their tolerations)
//	settle       the scheduler, the kubelets and the pod garbage collector
//	             catch up: pods on nodes that are gone disappear, pending
//	             pods start and become ready now (unhealthy=<image> keeps
//	             that image's pods not ready)
//	edit         change the daemonset (settings of the daemonset line); a
//	             spec change bumps metadata.generation
//	add-node     node lines: nodes join the cluster
//	remove-node  remove-node n1 [n2 …]: nodes leave the cluster
//	fail         fail n1: the daemon pods on node n1 exit and fail
//	delete-pod   delete-pod <name>: someone deletes a pod
//	advance      move the clock (advance 5m)
//	show         print the daemonset, its pods and its revisions
//
// Rewrite the expected output with go test ./daemon -run Scenarios -rewrite,
// then read every changed line against upstream's behaviour.
func TestScenarios(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		if !strings.HasSuffix(path, ".txt") {
			return // not a scenario (a fuzz corpus, a rapid fail file)
		}
		var w *gen.DaemonSetWorld
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "world" && w == nil {
				d.Fatalf(t, "%s before world", d.Cmd)
			}
			switch d.Cmd {
			case "world":
				nw, err := buildWorld(d.Input)
				if err != nil {
					return fmt.Sprintf("scenario error: %v\n", err)
				}
				w = nw
				return "ok\n"
			case "sync", "plan":
				plan, err := daemon.Reconcile(w.State(), w.Now)
				if err != nil {
					return fmt.Sprintf("error: %v\n", err)
				}
				if d.Cmd == "sync" {
					w.Apply(plan)
				}
				return renderPlan(plan, d.HasArg("detail"))
			case "settle":
				for _, arg := range d.CmdArgs {
					if arg.Key == "unhealthy" {
						for _, img := range arg.Vals {
							w.Unhealthy[img] = true
						}
					}
				}
				w.Settle()
				return show(w)
			case "edit":
				lines, err := scenario.ParseLines("daemonset " + w.DaemonSet.Name + " " + strings.TrimSpace(d.Input))
				if err != nil {
					return fmt.Sprintf("scenario error: %v\n", err)
				}
				ds, err := editDaemonSet(w.DaemonSet, lines[0], w.Now)
				if err == nil {
					err = lines[0].Unused()
				}
				if err != nil {
					return fmt.Sprintf("scenario error: %v\n", err)
				}
				w.DaemonSet = ds
				return "ok\n"
			case "add-node":
				lines, err := scenario.ParseLines(d.Input)
				if err != nil {
					return fmt.Sprintf("scenario error: %v\n", err)
				}
				nodes := append([]*v1.Node(nil), w.Nodes...)
				for _, l := range lines {
					n, err := buildNode(l)
					if err != nil {
						return fmt.Sprintf("scenario error: %v\n", err)
					}
					nodes = append(nodes, n)
				}
				w.Nodes = nodes
				return "ok\n"
			case "remove-node":
				gone := map[string]bool{}
				for _, arg := range d.CmdArgs {
					gone[arg.Key] = true
				}
				var nodes []*v1.Node
				for _, n := range w.Nodes {
					if !gone[n.Name] {
						nodes = append(nodes, n)
					}
				}
				w.Nodes = nodes
				return "ok\n"
			case "fail":
				return failPods(w, d.CmdArgs[0].Key)
			case "delete-pod":
				var pods []*v1.Pod
				for _, p := range w.Pods {
					if p.Name != d.CmdArgs[0].Key {
						pods = append(pods, p)
					}
				}
				w.Pods = pods
				return "ok\n"
			case "advance":
				dur, err := time.ParseDuration(d.CmdArgs[0].Key)
				if err != nil {
					d.Fatalf(t, "advance: %v", err)
				}
				w.Advance(dur)
				return fmt.Sprintf("now +%s\n", w.Now.Sub(scenario.Epoch))
			case "show":
				return show(w)
			}
			d.Fatalf(t, "unknown command %q", d.Cmd)
			return ""
		})
	})
}

// failPods turns the running daemon pods of node into failed ones, as the
// kubelet reports a pod whose containers exited with an error (or that it
// rejected).
func failPods(w *gen.DaemonSetWorld, node string) string {
	var names []string
	for i, p := range w.Pods {
		if target, ok := dsutil.TargetNode(p); !ok || target != node || p.Status.Phase == v1.PodFailed {
			continue
		}
		p = p.DeepCopy()
		p.Status.Phase = v1.PodFailed
		p.Status.Conditions = nil
		w.Pods[i] = p
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		return "no pod on node " + node + "\n"
	}
	return "failed " + strings.Join(names, " ") + "\n"
}

// buildWorld reads one daemonset line and any number of node, nodes, pod
// and revision lines:
//
//	daemonset fluentd image=fluentd:1 strategy=RollingUpdate|OnDelete
//	    maxUnavailable=1 maxSurge=0 nodeSelector=role=worker
//	    tolerations=key[=value][:Effect],…|* hostNetwork nodeName=n1
//	    minReady=0 history=10 generation=1 observed=1 collisions=1
//	    templateGeneration=1 labels=app=fluentd deleting selector=empty
//	    status=desired/current/ready/available/updated misscheduled=0
//	node n1 labels=role=worker taints=key[=value]:Effect,…
//	    notready unreachable unschedulable networkunavailable
//	nodes node- count=300            node-000 … node-299, plain
//	pod fluentd-a node=n1 image=fluentd:1 phase=Running ready=<age>
//	    notready created=<age> deleting owner=none|other pinned nohash
//	    templateGeneration=1 labels=k=v
//	revision 1 image=fluentd:1 name=<name>|wanted owner=none|other unlabelled
//
// A pod's image (default: the daemonset's) decides its
// controller-revision-hash label, the hash the controller gives that
// template; a revision is named <daemonset>-<hash> unless name= says
// otherwise (name=wanted: the name the current template's revision would
// take), and its number is the word after "revision".
func buildWorld(input string) (*gen.DaemonSetWorld, error) {
	lines, err := scenario.ParseLines(input)
	if err != nil {
		return nil, err
	}
	var w *gen.DaemonSetWorld
	for _, l := range lines {
		if l.Kind != "daemonset" {
			continue
		}
		if w != nil {
			return nil, fmt.Errorf("a world has one daemonset")
		}
		ds, err := editDaemonSet(&appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: l.Name}}, l, scenario.Epoch)
		if err != nil {
			return nil, err
		}
		w = gen.NewDaemonSetWorld(scenario.Epoch, ds, nil)
	}
	if w == nil {
		return nil, fmt.Errorf("a world needs a daemonset line")
	}
	for _, l := range lines {
		switch l.Kind {
		case "daemonset":
		case "node":
			n, err := buildNode(l)
			if err != nil {
				return nil, err
			}
			w.Nodes = append(w.Nodes, n)
		case "nodes":
			count, err := l.Int("count", 1)
			if err != nil {
				return nil, err
			}
			for i := range count {
				name := fmt.Sprintf("%s%03d", l.Name, i)
				w.Nodes = append(w.Nodes, &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID(name + "-uid")}})
			}
		case "pod":
			p, err := buildPod(w, l)
			if err != nil {
				return nil, err
			}
			w.Pods = append(w.Pods, p)
		case "revision":
			r, err := buildRevision(w, l)
			if err != nil {
				return nil, err
			}
			w.Revisions = append(w.Revisions, r)
		default:
			return nil, fmt.Errorf("unknown kind %q (want daemonset, node, nodes, pod or revision)", l.Kind)
		}
	}
	for _, l := range lines {
		if err := l.Unused(); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// editDaemonSet applies the settings of a daemonset line to a copy of ds.
// A DaemonSet without a UID is new: it gets what the API server defaults
// (RollingUpdate with maxUnavailable 1, revisionHistoryLimit 10) and a
// fluentd template. A spec change of an existing one bumps its generation.
func editDaemonSet(ds *appsv1.DaemonSet, l *scenario.Line, now time.Time) (*appsv1.DaemonSet, error) {
	ds = ds.DeepCopy()
	fresh := ds.UID == ""
	if fresh {
		ds.Namespace, ds.UID = scenario.Namespace, types.UID(ds.Name+"-uid")
		ds.Generation, ds.ResourceVersion = 1, "100"
		ds.CreationTimestamp = metav1.NewTime(now.Add(-48 * time.Hour))
		labels := map[string]string{"app": ds.Name}
		ds.Spec.Selector = &metav1.LabelSelector{MatchLabels: labels}
		ds.Spec.Template = gen.DaemonSetTemplate("fluentd:1", labels)
		one, zero := intstr.FromInt32(1), intstr.FromInt32(0)
		ds.Spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &one, MaxSurge: &zero}}
		ten := int32(10)
		ds.Spec.RevisionHistoryLimit = &ten
	}
	spec := &ds.Spec
	changed := false
	if img := l.Str("image", ""); img != "" {
		spec.Template.Spec.Containers[0].Image = img
		changed = true
	}
	if labels, ok, err := l.Map("labels"); err != nil {
		return nil, err
	} else if ok {
		spec.Template.Labels = labels
		changed = true
	}
	switch s := l.Str("strategy", ""); s {
	case "":
	case "OnDelete":
		spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType}
		changed = true
	case "RollingUpdate":
		one, zero := intstr.FromInt32(1), intstr.FromInt32(0)
		spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.RollingUpdateDaemonSetStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDaemonSet{MaxUnavailable: &one, MaxSurge: &zero}}
		changed = true
	default:
		spec.UpdateStrategy = appsv1.DaemonSetUpdateStrategy{Type: appsv1.DaemonSetUpdateStrategyType(s)}
		changed = true
	}
	for _, key := range []string{"maxUnavailable", "maxSurge"} {
		v := l.Str(key, "")
		if v == "" {
			continue
		}
		ru := spec.UpdateStrategy.RollingUpdate
		if ru == nil {
			return nil, fmt.Errorf("%s without a rolling update", key)
		}
		q := intstr.Parse(v)
		if key == "maxSurge" {
			ru.MaxSurge = &q
		} else {
			ru.MaxUnavailable = &q
		}
		changed = true
	}
	if sel, ok, err := l.Map("nodeSelector"); err != nil {
		return nil, err
	} else if ok {
		spec.Template.Spec.NodeSelector = sel
		if len(sel) == 0 {
			spec.Template.Spec.NodeSelector = nil
		}
		changed = true
	}
	if v, ok := l.Args["tolerations"]; ok {
		l.Str("tolerations", "")
		spec.Template.Spec.Tolerations = parseTolerations(v)
		changed = true
	}
	if l.Has("hostNetwork") {
		spec.Template.Spec.HostNetwork = l.Str("hostNetwork", "true") != "false"
		changed = true
	}
	if v, ok := l.Args["nodeName"]; ok {
		l.Str("nodeName", "")
		spec.Template.Spec.NodeName = v
		changed = true
	}
	intArg := func(key string, set func(int64)) error {
		if !l.Has(key) {
			return nil
		}
		n, err := l.Int(key, 0)
		if err != nil {
			return err
		}
		set(n)
		return nil
	}
	if err := intArg("minReady", func(n int64) { spec.MinReadySeconds = int32(n); changed = true }); err != nil {
		return nil, err
	}
	if err := intArg("history", func(n int64) { h := int32(n); spec.RevisionHistoryLimit = &h; changed = true }); err != nil {
		return nil, err
	}
	if changed && !fresh {
		ds.Generation++
	}
	if err := intArg("generation", func(n int64) { ds.Generation = n }); err != nil {
		return nil, err
	}
	observed := ds.Status.ObservedGeneration
	if fresh {
		observed = 0
	}
	if err := intArg("observed", func(n int64) { observed = n }); err != nil {
		return nil, err
	}
	ds.Status.ObservedGeneration = observed
	if err := intArg("collisions", func(n int64) { c := int32(n); ds.Status.CollisionCount = &c }); err != nil {
		return nil, err
	}
	if err := intArg("templateGeneration", func(n int64) {
		if ds.Annotations == nil {
			ds.Annotations = map[string]string{}
		}
		ds.Annotations[appsv1.DeprecatedTemplateGeneration] = fmt.Sprint(n)
	}); err != nil {
		return nil, err
	}
	if s := l.Str("status", ""); s != "" {
		n, err := counts(s, 5)
		if err != nil {
			return nil, err
		}
		st := &ds.Status
		st.DesiredNumberScheduled, st.CurrentNumberScheduled, st.NumberReady, st.NumberAvailable, st.UpdatedNumberScheduled = n[0], n[1], n[2], n[3], n[4]
		st.NumberUnavailable = n[0] - n[3]
		if !l.Has("observed") {
			st.ObservedGeneration = ds.Generation
		}
	}
	if err := intArg("misscheduled", func(n int64) { ds.Status.NumberMisscheduled = int32(n) }); err != nil {
		return nil, err
	}
	if l.Has("deleting") {
		ts := metav1.NewTime(now.Add(-time.Second))
		ds.DeletionTimestamp = &ts
	}
	switch sel := l.Str("selector", ""); sel {
	case "":
	case "empty":
		// An object stored under older validation: selector {}.
		ds.Spec.Selector = &metav1.LabelSelector{}
	default:
		return nil, fmt.Errorf("selector=%s: only selector=empty is known", sel)
	}
	return ds, nil
}

// parseTolerations reads key[=value][:Effect] items separated by commas: a
// key alone (no value) tolerates the key whatever its value (Exists); "*"
// tolerates every taint.
func parseTolerations(s string) []v1.Toleration {
	var out []v1.Toleration
	for _, item := range strings.Split(s, ",") {
		if item == "" {
			continue
		}
		if item == "*" {
			out = append(out, v1.Toleration{Operator: v1.TolerationOpExists})
			continue
		}
		kv, effect, _ := strings.Cut(item, ":")
		key, value, hasValue := strings.Cut(kv, "=")
		t := v1.Toleration{Key: key, Operator: v1.TolerationOpExists, Effect: v1.TaintEffect(effect)}
		if hasValue {
			t.Operator, t.Value = v1.TolerationOpEqual, value
		}
		out = append(out, t)
	}
	return out
}

// buildNode reads a node line. The condition flags add what the node
// lifecycle controller adds for them: notready the Ready=False condition
// and the not-ready NoExecute taint, unreachable Ready=Unknown and the
// unreachable NoExecute taint, unschedulable spec.unschedulable and the
// unschedulable NoSchedule taint, networkunavailable the
// network-unavailable NoSchedule taint.
func buildNode(l *scenario.Line) (*v1.Node, error) {
	n := &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: l.Name, UID: types.UID(l.Name + "-uid")}}
	labels, _, err := l.Map("labels")
	if err != nil {
		return nil, err
	}
	n.Labels = labels
	for _, item := range strings.Split(l.Str("taints", ""), ",") {
		if item == "" {
			continue
		}
		kv, effect, ok := strings.Cut(item, ":")
		if !ok {
			return nil, fmt.Errorf("node %s: taint %q: want key[=value]:Effect", l.Name, item)
		}
		key, value, _ := strings.Cut(kv, "=")
		n.Spec.Taints = append(n.Spec.Taints, v1.Taint{Key: key, Value: value, Effect: v1.TaintEffect(effect)})
	}
	ready := v1.ConditionTrue
	if l.Has("notready") {
		ready = v1.ConditionFalse
		n.Spec.Taints = append(n.Spec.Taints, v1.Taint{Key: v1.TaintNodeNotReady, Effect: v1.TaintEffectNoExecute})
	}
	if l.Has("unreachable") {
		ready = v1.ConditionUnknown
		n.Spec.Taints = append(n.Spec.Taints, v1.Taint{Key: v1.TaintNodeUnreachable, Effect: v1.TaintEffectNoExecute})
	}
	if l.Has("unschedulable") {
		n.Spec.Unschedulable = true
		n.Spec.Taints = append(n.Spec.Taints, v1.Taint{Key: v1.TaintNodeUnschedulable, Effect: v1.TaintEffectNoSchedule})
	}
	if l.Has("networkunavailable") {
		n.Spec.Taints = append(n.Spec.Taints, v1.Taint{Key: v1.TaintNodeNetworkUnavailable, Effect: v1.TaintEffectNoSchedule})
	}
	n.Status.Conditions = []v1.NodeCondition{{Type: v1.NodeReady, Status: ready}}
	return n, nil
}

// templateWithImage is the DaemonSet's template running image instead.
func templateWithImage(ds *appsv1.DaemonSet, image string) *v1.PodTemplateSpec {
	t := ds.Spec.Template.DeepCopy()
	t.Spec.Containers[0].Image = image
	return t
}

// buildPod reads a pod line: a daemon pod of the world's DaemonSet made
// from its template with the given image, scheduled to node= (or, with
// pinned, only pinned to it by node affinity), Running and ready since it
// was created unless the line says otherwise.
func buildPod(w *gen.DaemonSetWorld, l *scenario.Line) (*v1.Pod, error) {
	ds := w.DaemonSet
	tmpl := templateWithImage(ds, l.Str("image", ds.Spec.Template.Spec.Containers[0].Image))
	created := w.Now.Add(-time.Hour)
	if age, ok, err := l.Age("created"); err != nil {
		return nil, err
	} else if ok {
		created = w.Now.Add(-age)
	}
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: l.Name, Namespace: ds.Namespace, UID: types.UID(l.Name + "-uid"),
			Labels: map[string]string{}, CreationTimestamp: metav1.NewTime(created),
		},
		Spec:   *tmpl.Spec.DeepCopy(),
		Status: v1.PodStatus{Phase: v1.PodPhase(l.Str("phase", string(v1.PodRunning)))},
	}
	for k, v := range tmpl.Labels {
		p.Labels[k] = v
	}
	if !l.Has("nohash") {
		p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] = workload.ComputeHash(tmpl, ds.Status.CollisionCount)
	}
	if g, err := l.Int("templateGeneration", -1); err != nil {
		return nil, err
	} else if g >= 0 {
		p.Labels["pod-template-generation"] = fmt.Sprint(g)
	}
	if labels, ok, err := l.Map("labels"); err != nil {
		return nil, err
	} else if ok {
		p.Labels = labels
	}
	node := l.Str("node", "")
	if l.Has("pinned") {
		p.Spec.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
			NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchFields: []v1.NodeSelectorRequirement{
				{Key: metav1.ObjectNameField, Operator: v1.NodeSelectorOpIn, Values: []string{node}}}}},
		}}}
	} else {
		p.Spec.NodeName = node
	}
	yes := true
	switch owner := l.Str("owner", ds.Name); owner {
	case "none":
	case "other":
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "other", UID: "other-uid", Controller: &yes}}
	default:
		p.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(ds, appsv1.SchemeGroupVersion.WithKind("DaemonSet"))}
	}
	readySince := metav1.NewTime(created)
	if age, ok, err := l.Age("ready"); err != nil {
		return nil, err
	} else if ok {
		readySince = metav1.NewTime(w.Now.Add(-age))
	}
	if p.Status.Phase == v1.PodRunning && !l.Has("notready") {
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: readySince}}
	}
	if l.Has("deleting") {
		ts := metav1.NewTime(w.Now.Add(-time.Second))
		p.DeletionTimestamp = &ts
		p.Finalizers = []string{"example.com/hold"}
	}
	return p, nil
}

// buildRevision reads a revision line: the revision with number <name>
// recording the DaemonSet's template with image=, owned by the DaemonSet
// (or owner=none, owner=other), labelled with its hash unless unlabelled.
func buildRevision(w *gen.DaemonSetWorld, l *scenario.Line) (*appsv1.ControllerRevision, error) {
	ds := w.DaemonSet
	var number int64
	if _, err := fmt.Sscan(l.Name, &number); err != nil {
		return nil, fmt.Errorf("revision %s: the name is the revision number", l.Name)
	}
	tmpl := templateWithImage(ds, l.Str("image", ds.Spec.Template.Spec.Containers[0].Image))
	hash := workload.ComputeHash(tmpl, ds.Status.CollisionCount)
	data, err := dsutil.RevisionData(tmpl)
	if err != nil {
		return nil, err
	}
	name := l.Str("name", ds.Name+"-"+hash)
	if name == "wanted" {
		// The name the DaemonSet's current template's revision would take.
		name = ds.Name + "-" + workload.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount)
	}
	r := &appsv1.ControllerRevision{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: ds.Namespace, UID: types.UID(name + "-uid"),
			Labels:            map[string]string{appsv1.DefaultDaemonSetUniqueLabelKey: hash},
			CreationTimestamp: metav1.NewTime(w.Now.Add(-time.Duration(10-number) * time.Hour)),
		},
		Data:     runtime.RawExtension{Raw: data},
		Revision: number,
	}
	for k, v := range tmpl.Labels {
		r.Labels[k] = v
	}
	if l.Has("unlabelled") {
		delete(r.Labels, appsv1.DefaultDaemonSetUniqueLabelKey)
	}
	yes := true
	switch owner := l.Str("owner", ds.Name); owner {
	case "none":
	case "other":
		r.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: "other", UID: "other-uid", Controller: &yes}}
		r.Labels = map[string]string{"app": "other"}
	default:
		r.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(ds, appsv1.SchemeGroupVersion.WithKind("DaemonSet"))}
	}
	return r, nil
}

func counts(s string, n int) ([]int32, error) {
	parts := strings.Split(s, "/")
	if len(parts) != n {
		return nil, fmt.Errorf("status=%s: want %d numbers separated by /", s, n)
	}
	out := make([]int32, n)
	for i, p := range parts {
		if _, err := fmt.Sscan(p, &out[i]); err != nil {
			return nil, fmt.Errorf("status=%s: %q is not a number", s, p)
		}
	}
	return out, nil
}

// elideAfter is the length of a run of like calls (same verb and resource)
// past which the middle of the run is left out of the rendering.
const elideAfter = 8

// renderPlan prints the plan (long runs of like calls shortened to their
// first three and last two), then the back-off record the plan hands on.
func renderPlan(p daemon.Plan, tolerations bool) string {
	detail := func(a workload.Action) []string {
		out := objectDetail(a)
		if pod, ok := a.Object.(*v1.Pod); ok && tolerations {
			for _, t := range pod.Spec.Tolerations {
				key := t.Key
				if t.Operator == v1.TolerationOpEqual {
					key += "=" + t.Value
				}
				out = append(out, fmt.Sprintf("  tolerates %s:%s (%s)", key, t.Effect, t.Operator))
			}
		}
		return out
	}
	var b strings.Builder
	acts := p.Actions
	for i := 0; i < len(acts); {
		j := i
		for j < len(acts) && acts[j].Verb == acts[i].Verb && acts[j].Resource == acts[i].Resource {
			j++
		}
		run := acts[i:j]
		if len(run) > elideAfter {
			b.WriteString(scenario.RenderPlan(workload.Plan{Actions: run[:3]}, detail))
			fmt.Fprintf(&b, "… %d more %s %s …\n", len(run)-5, run[0].Verb, run[0].Resource)
			run = run[len(run)-2:]
		}
		b.WriteString(scenario.RenderPlan(workload.Plan{Actions: run}, detail))
		i = j
	}
	if r := p.RequeueString(); r != "" {
		b.WriteString(r + "\n")
	}
	evs := p.Events
	for i := 0; i < len(evs); {
		j := i
		for j < len(evs) && evs[j].Reason == evs[i].Reason {
			j++
		}
		run := evs[i:j]
		if len(run) > elideAfter && run[0] != run[len(run)-1] {
			b.WriteString(scenario.RenderPlan(workload.Plan{Events: run[:3]}, nil))
			fmt.Fprintf(&b, "… %d more %s events …\n", len(run)-5, run[0].Reason)
			run = run[len(run)-2:]
		}
		b.WriteString(scenario.RenderPlan(workload.Plan{Events: run}, nil))
		i = j
	}
	if b.Len() == 0 {
		b.WriteString("no actions\n")
	}
	keys := make([]string, 0, len(p.Backoff))
	for k := range p.Backoff {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		e := p.Backoff[k]
		fmt.Fprintf(&b, "back-off %s: delay %s since %s\n", k, e.Delay, at(e.LastUpdate))
	}
	return b.String()
}

// objectDetail shows, for a created pod, the node it is pinned to, its image and
// hash label; for a revision write, its number and hash; for a status
// write, the counts.
func objectDetail(a workload.Action) []string {
	switch o := a.Object.(type) {
	case *v1.Pod:
		node, _ := dsutil.TargetNode(o)
		out := fmt.Sprintf("node=%s image=%s hash=%s", node, o.Spec.Containers[0].Image, o.Labels[appsv1.DefaultDaemonSetUniqueLabelKey])
		if g, ok := o.Labels["pod-template-generation"]; ok {
			out += " pod-template-generation=" + g
		}
		return []string{out}
	case *appsv1.ControllerRevision:
		return []string{fmt.Sprintf("revision=%d hash=%s image=%s", o.Revision, o.Labels[appsv1.DefaultDaemonSetUniqueLabelKey], revisionImage(o))}
	case *appsv1.DaemonSet:
		return []string{status(o)}
	}
	return nil
}

func status(ds *appsv1.DaemonSet) string {
	s := ds.Status
	out := fmt.Sprintf("status: desired=%d current=%d misscheduled=%d ready=%d available=%d unavailable=%d updated=%d observedGeneration=%d",
		s.DesiredNumberScheduled, s.CurrentNumberScheduled, s.NumberMisscheduled, s.NumberReady, s.NumberAvailable,
		s.NumberUnavailable, s.UpdatedNumberScheduled, s.ObservedGeneration)
	if s.CollisionCount != nil {
		out += fmt.Sprintf(" collisionCount=%d", *s.CollisionCount)
	}
	return out
}

// revisionImage reads the image back out of a revision's data.
func revisionImage(r *appsv1.ControllerRevision) string {
	var data struct {
		Spec struct {
			Template v1.PodTemplateSpec `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(r.Data.Raw, &data); err != nil || len(data.Spec.Template.Spec.Containers) == 0 {
		return "?"
	}
	return data.Spec.Template.Spec.Containers[0].Image
}

// at prints a time relative to the scenario epoch.
func at(t time.Time) string {
	d := t.Sub(scenario.Epoch)
	if d >= 0 {
		return "+" + d.String()
	}
	return "-" + (-d).String()
}

// show prints the DaemonSet (generation, image, status), every pod (by
// name: the node it is for, image, revision, phase, readiness) and the
// revisions (by number).
func show(w *gen.DaemonSetWorld) string {
	var b strings.Builder
	ds := w.DaemonSet
	fmt.Fprintf(&b, "daemonset %s generation=%d image=%s\n  %s\n", ds.Name, ds.Generation, ds.Spec.Template.Spec.Containers[0].Image, status(ds))
	revs := append([]*appsv1.ControllerRevision(nil), w.Revisions...)
	sort.Slice(revs, func(i, j int) bool { return revs[i].Revision < revs[j].Revision })
	revOf := map[string]int64{}
	for _, r := range revs {
		revOf[r.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]] = r.Revision
	}
	pods := append([]*v1.Pod(nil), w.Pods...)
	sort.Slice(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })
	for _, p := range pods {
		node, _ := dsutil.TargetNode(p)
		rev := "hash=" + p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]
		if n, ok := revOf[p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]]; ok {
			rev = fmt.Sprintf("revision=%d", n)
		}
		ready := "not-ready"
		if workload.IsPodReady(p) {
			ready = "ready"
		}
		fmt.Fprintf(&b, "pod %s node=%s image=%s %s %s %s\n", p.Name, node, p.Spec.Containers[0].Image, rev, p.Status.Phase, ready)
	}
	for _, r := range revs {
		fmt.Fprintf(&b, "revision %d %s image=%s\n", r.Revision, r.Name, revisionImage(r))
	}
	return b.String()
}
