package cluster_test

import (
	"fmt"
	"regexp"
	"testing"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

func keyStrings(keys []cluster.Key) []string {
	var out []string
	for _, k := range keys {
		out = append(out, fmt.Sprintf("%s %s/%s", k.Resource, k.Namespace, k.Name))
	}
	return out
}

func TestAffected(t *testing.T) {
	w := newWorld(t)
	c := w.c
	since := c.Revision()
	cases := []struct {
		name   string
		change func()
		want   []string
	}{
		{"a deleted pod enqueues its ReplicaSet, and its Recreate Deployment", func() {
			do(t, c, workload.Action{Verb: workload.Delete, Resource: workload.ResourcePods, Namespace: "ns", Name: "a-0"})
		}, []string{"deployments ns/web", "replicasets ns/web-a"}},
		// The Jobs' generated selectors (their controller-uid label) select
		// no orphan.
		{"an orphan pod enqueues every ReplicaSet, DaemonSet and Job selecting it", func() {
			seed(t, c, podIn("ns", "new-orphan", nil))
		}, []string{"daemonsets ns/agent", "replicasets ns/other-a", "replicasets ns/stray", "replicasets ns/web-a", "replicasets ns/web-b"}},
		{"a ReplicaSet enqueues itself and its Deployment", func() {
			do(t, c, workload.Action{Verb: workload.Delete, Resource: workload.ResourceReplicaSets, Namespace: "ns", Name: "web-b",
				DeleteOptions: &metav1.DeleteOptions{}})
		}, []string{"deployments ns/web"}},
		{"a node enqueues every DaemonSet", func() {
			seed(t, c, &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-c"}})
		}, []string{"daemonsets ns/agent"}},
		{"a Job enqueues itself and its CronJob", func() {
			do(t, c, workload.Action{Verb: workload.Patch, Resource: workload.ResourceJobs, Namespace: "ns", Name: "nightly-1",
				PatchType: "application/merge-patch+json", Patch: []byte(`{"metadata":{"labels":{"touched":"yes"}}}`)})
		}, []string{"cronjobs ns/nightly", "jobs ns/nightly-1"}},
		{"a revision enqueues its DaemonSet", func() {
			do(t, c, workload.Action{Verb: workload.Delete, Resource: workload.ResourceControllerRevisions, Namespace: "ns", Name: "agent-1"})
		}, []string{"daemonsets ns/agent"}},
	}
	for _, tc := range cases {
		tc.change()
		expect(t, tc.name, keyStrings(c.Affected(c.Changes(since))), tc.want)
		since = c.Revision()
	}
}

func TestAffectedSeesAdoption(t *testing.T) {
	w := newWorld(t)
	c := w.c
	since := c.Revision()
	plan, err := c.Reconcile(workload.ResourceReplicaSets, "ns", "stray", t0)
	if err != nil {
		t.Fatal(err)
	}
	c.Apply(plan)
	got := keyStrings(c.Affected(c.Changes(since)))
	// The adopted orphan now names its ReplicaSet; the status write
	// enqueues the ReplicaSet itself.
	expect(t, "keys", got, []string{"replicasets ns/stray"})
}

// Load manifests, reconcile the Deployment, apply, reconcile its
// ReplicaSet, apply: the pods exist in the Deployment's namespace with
// names the API server generated.
func TestEndToEnd(t *testing.T) {
	loaded, err := cluster.LoadFiles([]string{"testdata/e2e/shop.yaml"}, cluster.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := cluster.New(t0)
	for _, obj := range loaded.Objects {
		if _, err := c.Create(obj); err != nil {
			t.Fatal(err)
		}
	}
	plan, err := c.Reconcile(workload.ResourceDeployments, "shop", "web", t0)
	if err != nil {
		t.Fatal(err)
	}
	c.Apply(plan)
	rss := c.List(workload.ResourceReplicaSets, "shop")
	if len(rss) != 1 {
		t.Fatalf("%d ReplicaSets after the Deployment's sync, want 1", len(rss))
	}
	rs := rss[0].(metav1.Object)
	plan, err = c.Reconcile(workload.ResourceReplicaSets, "shop", rs.GetName(), t0)
	if err != nil {
		t.Fatal(err)
	}
	if failed := cluster.Failed(c.Apply(plan)); len(failed) > 0 {
		t.Fatalf("failed: %v", failed[0].Err)
	}
	pods := c.List(workload.ResourcePods, "shop")
	if len(pods) != 3 {
		t.Fatalf("%d pods in shop, want 3", len(pods))
	}
	name := regexp.MustCompile("^" + regexp.QuoteMeta(rs.GetName()) + "-[bcdfghjklmnpqrstvwxz2456789]{5}$")
	for _, obj := range pods {
		p := obj.(*v1.Pod)
		if !name.MatchString(p.Name) || p.Namespace != "shop" || metav1.GetControllerOf(p).UID != rs.GetUID() {
			t.Errorf("pod %s/%s: want a generated name in shop controlled by %s", p.Namespace, p.Name, rs.GetName())
		}
	}
	// The pod of the other namespace is untouched, and a second round
	// changes nothing but status.
	if p := get(t, c, workload.ResourcePods, "default", "web-elsewhere").(*v1.Pod); len(p.OwnerReferences) != 0 {
		t.Errorf("the other namespace's pod was adopted: %v", p.OwnerReferences)
	}
	plan, err = c.Reconcile(workload.ResourceReplicaSets, "shop", rs.GetName(), t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range plan.Actions {
		if a.Verb != workload.UpdateStatus {
			t.Errorf("second sync: %s", a)
		}
	}
}
