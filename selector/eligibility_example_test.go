package selector_test

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/selector"
)

// A capacity planner asks which daemon pods a new GPU node will run.
func ExampleDaemonPodsForNode() {
	daemon := func(name string, spec v1.PodSpec) *appsv1.DaemonSet {
		spec.Containers = []v1.Container{{Name: name, Image: name + ":1"}}
		return &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "kube-system"},
			Spec: appsv1.DaemonSetSpec{Template: v1.PodTemplateSpec{Spec: spec}}}
	}
	dss := []*appsv1.DaemonSet{
		daemon("fluentd", v1.PodSpec{}),
		daemon("nvidia-driver", v1.PodSpec{NodeSelector: map[string]string{"gpu": "true"},
			Tolerations: []v1.Toleration{{Key: "nvidia.com/gpu", Operator: v1.TolerationOpExists}}}),
		daemon("kube-proxy", v1.PodSpec{HostNetwork: true}),
		daemon("storage", v1.PodSpec{NodeSelector: map[string]string{"disk": "ssd"}}),
	}
	node := &v1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "gpu-1", Labels: map[string]string{"gpu": "true"}},
		Spec: v1.NodeSpec{Taints: []v1.Taint{
			{Key: "nvidia.com/gpu", Effect: v1.TaintEffectNoSchedule},
			{Key: v1.TaintNodeNotReady, Effect: v1.TaintEffectNoExecute}, // a node still starting
		}},
	}
	pods, excluded, err := selector.DaemonPodsForNode(node, dss)
	if err != nil {
		panic(err)
	}
	for _, p := range pods {
		fmt.Println(p.Spec.Containers[0].Name, "on", p.Spec.NodeName)
	}
	for _, x := range excluded {
		fmt.Println("no", x.DaemonSet.Name+":", x.Reason())
	}
	// Output:
	// nvidia-driver on gpu-1
	// no fluentd: taint nvidia.com/gpu:NoSchedule is not tolerated
	// no kube-proxy: taint nvidia.com/gpu:NoSchedule is not tolerated
	// no storage: nodeSelector disk=ssd: the node has no label disk
}
