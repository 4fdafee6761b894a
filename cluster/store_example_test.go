package cluster_test

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/workload"
)

// A ReplicaSet of three replicas and one orphan pod whose labels match:
// the store defaults both as the API server would, the ReplicaSet
// controller's plan adopts the orphan and creates two pods, and Apply
// sends the plan's calls to the store, which names the new pods and puts
// them in the action's namespace.
func ExampleCluster_Apply() {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	c := cluster.New(now)
	labels := map[string]string{"app": "web"}
	replicas := int32(3)
	template := v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "web", Image: "nginx:1.27"}}},
	}
	for _, obj := range []runtime.Object{
		&appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
			Spec:       appsv1.ReplicaSetSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: labels}, Template: template},
		},
		&v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "stray", Namespace: "default", Labels: labels}, Spec: template.Spec},
	} {
		if _, err := c.Create(obj); err != nil {
			fmt.Println("seed:", err)
			return
		}
	}

	// The State the controller's informers would hold, built by hand.
	obj, err := c.Get(workload.ResourceReplicaSets, "default", "web")
	if err != nil {
		fmt.Println(err)
		return
	}
	state := replicaset.State{ReplicaSet: obj.(*appsv1.ReplicaSet)}
	for _, p := range c.List(workload.ResourcePods, "default") {
		state.Pods = append(state.Pods, p.(*v1.Pod))
	}
	plan, err := replicaset.Reconcile(state, now)
	if err != nil {
		fmt.Println("reconcile:", err)
		return
	}
	for _, r := range c.Apply(plan.Plan) {
		fmt.Printf("%s -> %v\n", r.Action.Verb, r.Err)
	}
	for _, p := range c.List(workload.ResourcePods, "default") {
		pod := p.(*v1.Pod)
		owner := "none"
		if ref := metav1.GetControllerOf(pod); ref != nil {
			owner = ref.Kind + "/" + ref.Name
		}
		fmt.Printf("%s/%s owner=%s phase=%s rv=%s\n", pod.Namespace, pod.Name, owner, pod.Status.Phase, pod.ResourceVersion)
	}
	// The status counts the pods the sync saw, as upstream's does: the
	// next sync, on the new pods, reports 3.
	rs, _ := c.Get(workload.ResourceReplicaSets, "default", "web")
	fmt.Println("replicaset status.replicas:", rs.(*appsv1.ReplicaSet).Status.Replicas)
	// Output:
	// patch -> <nil>
	// create -> <nil>
	// create -> <nil>
	// update-status -> <nil>
	// default/stray owner=ReplicaSet/web phase=Pending rv=3
	// default/web-g2mgb owner=ReplicaSet/web phase=Pending rv=5
	// default/web-pzcvl owner=ReplicaSet/web phase=Pending rv=4
	// replicaset status.replicas: 1
}
