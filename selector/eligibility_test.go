package selector

import (
	"fmt"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"pgregory.net/rapid"
)

func daemonWith(spec v1.PodSpec) *appsv1.DaemonSet {
	return &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "d", Namespace: "ns"}, Spec: appsv1.DaemonSetSpec{Template: v1.PodTemplateSpec{Spec: spec}}}
}

func nodeWith(name string, labels map[string]string, taints ...v1.Taint) *v1.Node {
	return &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}, Spec: v1.NodeSpec{Taints: taints}}
}

func TestNodeEligibility(t *testing.T) {
	noSchedule := func(k string) v1.Taint { return v1.Taint{Key: k, Effect: v1.TaintEffectNoSchedule} }
	noExecute := func(k string) v1.Taint { return v1.Taint{Key: k, Effect: v1.TaintEffectNoExecute} }
	tests := []struct {
		name      string
		node      *v1.Node
		spec      v1.PodSpec
		run, keep bool
	}{
		{"plain node", nodeWith("n", nil), v1.PodSpec{}, true, true},
		{"nodeSelector matches", nodeWith("n", map[string]string{"disk": "ssd"}), v1.PodSpec{NodeSelector: map[string]string{"disk": "ssd"}}, true, true},
		{"nodeSelector misses", nodeWith("n", nil), v1.PodSpec{NodeSelector: map[string]string{"disk": "ssd"}}, false, false},
		{"template names another node", nodeWith("n", nil), v1.PodSpec{NodeName: "m"}, false, false},
		{"control-plane NoSchedule: no new pod, old one stays", nodeWith("n", nil, noSchedule("node-role.kubernetes.io/control-plane")), v1.PodSpec{}, false, true},
		{"untolerated NoExecute evicts", nodeWith("n", nil, noExecute("dedicated")), v1.PodSpec{}, false, false},
		{"PreferNoSchedule never matters", nodeWith("n", nil, v1.Taint{Key: "spot", Effect: v1.TaintEffectPreferNoSchedule}), v1.PodSpec{}, true, true},
		{"not-ready tolerated by default", nodeWith("n", nil, noExecute(v1.TaintNodeNotReady)), v1.PodSpec{}, true, true},
		{"unreachable tolerated by default", nodeWith("n", nil, noExecute(v1.TaintNodeUnreachable)), v1.PodSpec{}, true, true},
		{"unschedulable tolerated by default", nodeWith("n", nil, noSchedule(v1.TaintNodeUnschedulable)), v1.PodSpec{}, true, true},
		{"memory-pressure NoSchedule tolerated", nodeWith("n", nil, noSchedule(v1.TaintNodeMemoryPressure)), v1.PodSpec{}, true, true},
		{"memory-pressure NoExecute is not", nodeWith("n", nil, noExecute(v1.TaintNodeMemoryPressure)), v1.PodSpec{}, false, false},
		{"network-unavailable only for hostNetwork", nodeWith("n", nil, noSchedule(v1.TaintNodeNetworkUnavailable)), v1.PodSpec{}, false, true},
		{"network-unavailable with hostNetwork", nodeWith("n", nil, noSchedule(v1.TaintNodeNetworkUnavailable)), v1.PodSpec{HostNetwork: true}, true, true},
		{"template toleration", nodeWith("n", nil, noExecute("dedicated")), v1.PodSpec{Tolerations: []v1.Toleration{{Key: "dedicated", Operator: v1.TolerationOpExists}}}, true, true},
		{"required affinity on the name field", nodeWith("n", nil), v1.PodSpec{Affinity: &v1.Affinity{NodeAffinity: &v1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
				MatchFields: []v1.NodeSelectorRequirement{{Key: "metadata.name", Operator: v1.NodeSelectorOpIn, Values: []string{"m"}}}}}}}}}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NodeEligibility(tt.node, daemonWith(tt.spec))
			if err != nil {
				t.Fatal(err)
			}
			if got.ShouldRun != tt.run || got.ShouldContinueRunning != tt.keep {
				t.Errorf("got run=%v keep=%v (%s), want run=%v keep=%v", got.ShouldRun, got.ShouldContinueRunning, got.Reason(), tt.run, tt.keep)
			}
		})
	}
}

func TestNodeEligibilityNil(t *testing.T) {
	if _, err := NodeEligibility(nil, nil); err == nil || err.Error() != "[node: Required value, daemonSet: Required value]" {
		t.Errorf("got %v", err)
	}
	if _, _, err := DaemonPodsForNode(nodeWith("n", nil), []*appsv1.DaemonSet{nil}); err == nil {
		t.Error("nil DaemonSet accepted")
	}
}

func TestDaemonTolerationsReplaceMatching(t *testing.T) {
	secs := int64(300)
	spec := &v1.PodSpec{Tolerations: []v1.Toleration{{Key: v1.TaintNodeNotReady, Operator: v1.TolerationOpExists, Effect: v1.TaintEffectNoExecute, TolerationSeconds: &secs}}}
	got := DaemonTolerations(spec)
	if len(got) != 6 || got[0].TolerationSeconds != nil {
		t.Errorf("got %v", got)
	}
	if spec.Tolerations[0].TolerationSeconds == nil {
		t.Error("input modified")
	}
}

// DaemonPodsForNode ignores the order of its input.
func TestDaemonPodsForNodeOrder(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var dss []*appsv1.DaemonSet
		for i := range rapid.IntRange(0, 5).Draw(rt, "n") {
			ds := daemonWith(v1.PodSpec{NodeSelector: map[string]string{"k": rapid.SampledFrom([]string{"a", "b"}).Draw(rt, "v")}})
			ds.Name = fmt.Sprintf("d%d", i)
			dss = append(dss, ds)
		}
		node := nodeWith("n", map[string]string{"k": "a"})
		a, ax, _ := DaemonPodsForNode(node, dss)
		b, bx, _ := DaemonPodsForNode(node, rapid.Permutation(dss).Draw(rt, "perm"))
		if fmt.Sprint(a) != fmt.Sprint(b) || exclusions(ax) != exclusions(bx) {
			rt.Fatalf("order changed the answer")
		}
	})
}

func FuzzNodeEligibility(f *testing.F) {
	f.Add("disk", "ssd", "dedicated", "gpu", "NoSchedule", true, "In")
	f.Fuzz(func(t *testing.T, key, value, taintKey, taintValue, effect string, hostNetwork bool, op string) {
		node := nodeWith("n", map[string]string{key: value}, v1.Taint{Key: taintKey, Value: taintValue, Effect: v1.TaintEffect(effect)})
		spec := v1.PodSpec{HostNetwork: hostNetwork, NodeSelector: map[string]string{key: value},
			Tolerations: []v1.Toleration{{Key: taintKey, Operator: v1.TolerationOperator(op), Value: taintValue, Effect: v1.TaintEffect(effect)}},
			Affinity: &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
				NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchExpressions: []v1.NodeSelectorRequirement{{Key: key, Operator: v1.NodeSelectorOperator(op), Values: []string{value}}}}}}}}}
		e, err := NodeEligibility(node, daemonWith(spec))
		if err != nil {
			t.Fatal(err)
		}
		if e.ShouldRun && !e.ShouldContinueRunning {
			t.Fatalf("a node that should run a pod must let it stay: %+v", e)
		}
		if (e.Reason() == "") != e.ShouldRun {
			t.Fatalf("reason %q for run=%v", e.Reason(), e.ShouldRun)
		}
	})
}

func BenchmarkNodeEligibility(b *testing.B) {
	ds := daemonWith(v1.PodSpec{NodeSelector: map[string]string{"role": "worker"}, Tolerations: []v1.Toleration{{Key: "dedicated", Operator: v1.TolerationOpExists}}})
	node := nodeWith("n", map[string]string{"role": "worker"}, v1.Taint{Key: "dedicated", Effect: v1.TaintEffectNoSchedule})
	p := NewDaemonPlacement(&ds.Spec.Template)
	for b.Loop() {
		_ = p.Node(node)
	}
}

func exclusions(xs []Exclusion) string {
	var b strings.Builder
	for _, x := range xs {
		fmt.Fprintf(&b, "%s/%s: %s\n", x.DaemonSet.Namespace, x.DaemonSet.Name, x.Reason())
	}
	return b.String()
}

// Each reason names the rule and, for labels and affinity, the label or
// requirement the node fails.
func TestEligibilityReason(t *testing.T) {
	required := func(terms ...v1.NodeSelectorTerm) *v1.Affinity {
		return &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{NodeSelectorTerms: terms}}}
	}
	expr := func(key string, op v1.NodeSelectorOperator, values ...string) v1.NodeSelectorTerm {
		return v1.NodeSelectorTerm{MatchExpressions: []v1.NodeSelectorRequirement{{Key: key, Operator: op, Values: values}}}
	}
	node := nodeWith("n1", map[string]string{"zone": "b", "role": "worker"}, v1.Taint{Key: "dedicated", Value: "gpu", Effect: v1.TaintEffectNoSchedule})
	tests := []struct {
		spec v1.PodSpec
		want string
	}{
		{v1.PodSpec{NodeName: "n2"}, "template names node n2"},
		{v1.PodSpec{NodeSelector: map[string]string{"role": "worker", "zone": "a"}}, "nodeSelector zone=a: the node has zone=b"},
		{v1.PodSpec{NodeSelector: map[string]string{"disk": "ssd"}}, "nodeSelector disk=ssd: the node has no label disk"},
		{v1.PodSpec{Affinity: required(expr("zone", v1.NodeSelectorOpIn, "a"))}, "required node affinity: zone In [a] (the node has zone=b)"},
		{v1.PodSpec{Affinity: required(expr("gpu", v1.NodeSelectorOpExists), v1.NodeSelectorTerm{
			MatchFields: []v1.NodeSelectorRequirement{{Key: "metadata.name", Operator: v1.NodeSelectorOpIn, Values: []string{"n2"}}}})},
			"required node affinity, no term matches: gpu Exists (the node has no label gpu); metadata.name In [n2] (the node is n1)"},
		{v1.PodSpec{Affinity: required(v1.NodeSelectorTerm{})}, "required node affinity: an empty term matches no node"},
		{v1.PodSpec{}, "taint dedicated=gpu:NoSchedule is not tolerated"},
		{v1.PodSpec{Tolerations: []v1.Toleration{{Key: "dedicated", Operator: v1.TolerationOpExists}}}, ""},
	}
	for _, tt := range tests {
		e, err := NodeEligibility(node, daemonWith(tt.spec))
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Reason(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.spec, got, tt.want)
		}
	}
}

// DaemonPodsForNode says why each DaemonSet it skips gets no pod.
func TestDaemonPodsForNodeExclusions(t *testing.T) {
	deleting := daemonWith(v1.PodSpec{})
	deleting.Name = "gone"
	now := metav1.Now()
	deleting.DeletionTimestamp = &now
	picky := daemonWith(v1.PodSpec{NodeSelector: map[string]string{"disk": "ssd"}})
	picky.Name = "picky"
	plain := daemonWith(v1.PodSpec{})
	plain.Name = "plain"
	pods, excluded, err := DaemonPodsForNode(nodeWith("n", nil), []*appsv1.DaemonSet{picky, plain, deleting})
	if err != nil {
		t.Fatal(err)
	}
	if len(pods) != 1 {
		t.Fatalf("got %d pods, want 1", len(pods))
	}
	want := "ns/gone: the DaemonSet is being deleted\nns/picky: nodeSelector disk=ssd: the node has no label disk\n"
	if got := exclusions(excluded); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}

// BenchmarkNodeEligibilityExcluded decides for a node the pod may not
// start on: the reason is not put into words unless asked for.
func BenchmarkNodeEligibilityExcluded(b *testing.B) {
	ds := daemonWith(v1.PodSpec{NodeSelector: map[string]string{"role": "worker"}})
	node := nodeWith("n", map[string]string{"role": "worker"}, v1.Taint{Key: "dedicated", Value: "db", Effect: v1.TaintEffectNoSchedule})
	p := NewDaemonPlacement(&ds.Spec.Template)
	for b.Loop() {
		if p.Node(node).ShouldRun {
			b.Fatal("should not run")
		}
	}
}
