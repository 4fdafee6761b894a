package selector

import (
	"fmt"
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
				t.Errorf("got run=%v keep=%v (%s), want run=%v keep=%v", got.ShouldRun, got.ShouldContinueRunning, got.Reason, tt.run, tt.keep)
			}
		})
	}
}

func TestNodeEligibilityNil(t *testing.T) {
	if _, err := NodeEligibility(nil, nil); err == nil || err.Error() != "[node: Required value, daemonSet: Required value]" {
		t.Errorf("got %v", err)
	}
	if _, err := DaemonPodsForNode(nodeWith("n", nil), []*appsv1.DaemonSet{nil}); err == nil {
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
		a, _ := DaemonPodsForNode(node, dss)
		b, _ := DaemonPodsForNode(node, rapid.Permutation(dss).Draw(rt, "perm"))
		if fmt.Sprint(a) != fmt.Sprint(b) {
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
