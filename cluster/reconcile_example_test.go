package cluster_test

import (
	"fmt"
	"strings"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

// From manifests to pods: load a Deployment, let the Deployment
// controller create its ReplicaSet, let the ReplicaSet controller create
// the pods, applying each plan to the store in between. Nobody builds a
// State by hand: Reconcile fills it as the controller's informers would.
// The Deployment's second status write fails with a conflict, as on a real
// API server: upstream's sync sends both with the resourceVersion it
// started from, and the next sync catches up.
func ExampleCluster_Reconcile() {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	loaded, err := cluster.LoadFiles([]string{"testdata/e2e/shop.yaml"}, cluster.LoadOptions{})
	if err != nil {
		fmt.Println("load:", err)
		return
	}
	c := cluster.New(now)
	for _, obj := range loaded.Objects {
		if _, err := c.Create(obj); err != nil {
			fmt.Println("create:", err)
			return
		}
	}
	since := c.Revision()
	plan, err := c.Reconcile(workload.ResourceDeployments, "shop", "web", now)
	if err != nil {
		fmt.Println("reconcile:", err)
		return
	}
	printPlan(plan)
	fmt.Println("failed calls:", len(cluster.Failed(c.Apply(plan))))
	// The change feed says which controllers to sync next.
	for _, key := range c.Affected(c.Changes(since)) {
		if key.Resource != workload.ResourceReplicaSets {
			continue
		}
		plan, err := c.Reconcile(key.Resource, key.Namespace, key.Name, now)
		if err != nil {
			fmt.Println("reconcile:", err)
			return
		}
		printPlan(plan)
		fmt.Println("failed calls:", len(cluster.Failed(c.Apply(plan))))
	}
	for _, obj := range c.List(workload.ResourcePods, "shop") {
		pod := obj.(*v1.Pod)
		fmt.Printf("pod %s/%s owner %s\n", pod.Namespace, pod.Name, metav1.GetControllerOf(pod).Name)
	}
	// Output:
	// create replicasets shop/web-69c6f74b8b: Scaled up replica set web-69c6f74b8b from 0 to 3 (new replica set, revision 1)
	// update-status deployments shop/web: new replica set web-69c6f74b8b created: revision annotation set to 1, Progressing condition added (True/NewReplicaSetCreated)
	// update-status deployments shop/web: rollout status: observedGeneration 0->1, unavailableReplicas 0->3, terminatingReplicas nil->0, Available condition added (False/MinimumReplicasUnavailable)
	// event Normal ScalingReplicaSet: Scaled up replica set web-69c6f74b8b from 0 to 3
	// failed calls: 1
	// create pods shop/web-69c6f74b8b-*: 0 of 3 replicas active
	// create pods shop/web-69c6f74b8b-*: 0 of 3 replicas active
	// create pods shop/web-69c6f74b8b-*: 0 of 3 replicas active
	// update-status replicasets shop/web-69c6f74b8b: status: terminatingReplicas nil->0, observedGeneration 0->1
	// event Normal SuccessfulCreate: Created pod:
	// event Normal SuccessfulCreate: Created pod:
	// event Normal SuccessfulCreate: Created pod:
	// failed calls: 0
	// pod shop/web-69c6f74b8b-2bzkr owner web-69c6f74b8b
	// pod shop/web-69c6f74b8b-g2mgb owner web-69c6f74b8b
	// pod shop/web-69c6f74b8b-x25sj owner web-69c6f74b8b
}

// printPlan prints a plan line by line. An event naming a pod the API
// server names ends in "Created pod: " (the request's empty name); the
// trailing space is trimmed here because example output ignores it.
func printPlan(plan workload.Plan) {
	for _, line := range strings.Split(plan.String(), "\n") {
		fmt.Println(strings.TrimRight(line, " "))
	}
}
