package cluster_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

// chain seeds Deployment web → ReplicaSet web-1 → pods web-1-a (not
// scheduled: deleted at once) and web-1-b (on node-1 when scheduled is
// true: deleted gracefully), each reference a blocking controller
// reference, as the controllers write them.
func chain(t *testing.T, scheduled bool) *cluster.Cluster {
	c := cluster.New(t0)
	d := seed(t, c, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"},
		Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: podTemplate()}})
	r := newRS("web-1", 2)
	r.OwnerReferences = controllerRef(d, deploymentGVK)
	rs := seed(t, c, r)
	seed(t, c, podIn("ns", "web-1-a", controllerRef(rs, replicaSetGVK)))
	b := podIn("ns", "web-1-b", controllerRef(rs, replicaSetGVK))
	if scheduled {
		b.Spec.NodeName = "node-1"
	}
	seed(t, c, b)
	return c
}

func deleteWith(t *testing.T, c *cluster.Cluster, resource, name string, policy metav1.DeletionPropagation) {
	t.Helper()
	do(t, c, workload.Action{Verb: workload.Delete, Resource: resource, Namespace: "ns", Name: name,
		DeleteOptions: &metav1.DeleteOptions{PropagationPolicy: &policy}})
}

// inventory lists what the store holds, one line per object: resource,
// name, whether it is being deleted, its finalizers and its owners.
func inventory(c *cluster.Cluster) []string {
	var out []string
	for _, r := range []string{workload.ResourceDeployments, workload.ResourceReplicaSets, workload.ResourcePods} {
		for _, obj := range c.List(r, "ns") {
			m := obj.(metav1.Object)
			line := r + "/" + m.GetName()
			if m.GetDeletionTimestamp() != nil {
				line += " deleting"
			}
			if f := m.GetFinalizers(); len(f) > 0 {
				line += " finalizers=" + strings.Join(f, ",")
			}
			var owners []string
			for _, ref := range m.GetOwnerReferences() {
				owners = append(owners, ref.Kind+"/"+ref.Name)
			}
			if len(owners) > 0 {
				line += " owners=" + strings.Join(owners, ",")
			}
			out = append(out, line)
		}
	}
	return out
}

func collect(t *testing.T, c *cluster.Cluster) []string {
	t.Helper()
	var calls []string
	for _, r := range c.CollectGarbage() {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Action, r.Err)
		}
		s := r.Action.String()
		if o := r.Action.DeleteOptions; o != nil && o.PropagationPolicy != nil {
			s += " [" + string(*o.PropagationPolicy) + "]"
		}
		calls = append(calls, s)
	}
	return calls
}

func expect(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestGCBackgroundChain(t *testing.T) {
	c := chain(t, true)
	deleteWith(t, c, workload.ResourceDeployments, "web", metav1.DeletePropagationBackground)
	expect(t, "calls", collect(t, c), []string{
		"delete replicasets ns/web-1: garbage collector: every owner is gone [Background]",
		"delete pods ns/web-1-a: garbage collector: every owner is gone [Background]",
		"delete pods ns/web-1-b: garbage collector: every owner is gone [Background]",
	})
	// The scheduled pod terminates gracefully: it stays until the kubelet
	// (the driver) removes it.
	expect(t, "store", inventory(c), []string{"pods/web-1-b deleting owners=ReplicaSet/web-1"})
	if err := c.ForceRemove(workload.ResourcePods, "ns", "web-1-b"); err != nil {
		t.Fatal(err)
	}
	expect(t, "calls after the kubelet", collect(t, c), nil)
	expect(t, "store after the kubelet", inventory(c), nil)
}

func TestGCForegroundChain(t *testing.T) {
	c := chain(t, true)
	deleteWith(t, c, workload.ResourceDeployments, "web", metav1.DeletePropagationForeground)
	expect(t, "calls", collect(t, c), []string{
		"delete replicasets ns/web-1: garbage collector: an owner is deleted in the foreground [Foreground]",
		"delete pods ns/web-1-a: garbage collector: an owner is deleted in the foreground [Background]",
		"delete pods ns/web-1-b: garbage collector: an owner is deleted in the foreground [Background]",
	})
	// Both owners wait for the pod the kubelet has not yet ended.
	expect(t, "store", inventory(c), []string{
		"deployments/web deleting finalizers=foregroundDeletion",
		"replicasets/web-1 deleting finalizers=foregroundDeletion owners=Deployment/web",
		"pods/web-1-b deleting owners=ReplicaSet/web-1",
	})
	if err := c.ForceRemove(workload.ResourcePods, "ns", "web-1-b"); err != nil {
		t.Fatal(err)
	}
	expect(t, "calls after the kubelet", collect(t, c), []string{
		"patch replicasets ns/web-1: garbage collector: no dependent blocks the foreground deletion",
		"patch deployments ns/web: garbage collector: no dependent blocks the foreground deletion",
	})
	expect(t, "store after the kubelet", inventory(c), nil)
}

func TestGCOrphanChain(t *testing.T) {
	c := chain(t, true)
	deleteWith(t, c, workload.ResourceDeployments, "web", metav1.DeletePropagationOrphan)
	expect(t, "calls", collect(t, c), []string{
		"patch replicasets ns/web-1: garbage collector: orphan it from Deployment web",
		"patch deployments ns/web: garbage collector: dependents orphaned",
	})
	expect(t, "store", inventory(c), []string{
		"replicasets/web-1",
		"pods/web-1-a owners=ReplicaSet/web-1",
		"pods/web-1-b owners=ReplicaSet/web-1",
	})
}

// The middle of the chain deleted: Orphan keeps the pods, Foreground
// takes them first, Background after.
func TestGCReplicaSetPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy metav1.DeletionPropagation
		left   []string
	}{
		{metav1.DeletePropagationBackground, []string{"deployments/web"}},
		{metav1.DeletePropagationForeground, []string{"deployments/web"}},
		{metav1.DeletePropagationOrphan, []string{"deployments/web", "pods/web-1-a", "pods/web-1-b"}},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			c := chain(t, false)
			deleteWith(t, c, workload.ResourceReplicaSets, "web-1", tc.policy)
			collect(t, c)
			expect(t, "store", inventory(c), tc.left)
		})
	}
}

// An owner with a live owner among several keeps the dependent, which
// only loses its reference to the one gone.
func TestGCRemovesDanglingReferenceOfALiveDependent(t *testing.T) {
	c := chain(t, false)
	rs := get(t, c, workload.ResourceReplicaSets, "ns", "web-1").(metav1.Object)
	extra := seed(t, c, &appsv1.ControllerRevision{ObjectMeta: metav1.ObjectMeta{Name: "rev", Namespace: "ns"}, Revision: 1})
	p := podIn("ns", "shared", append(controllerRef(rs, replicaSetGVK),
		metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ControllerRevision", Name: extra.GetName(), UID: extra.GetUID()}))
	seed(t, c, p)
	do(t, c, workload.Action{Verb: workload.Delete, Resource: workload.ResourceControllerRevisions, Namespace: "ns", Name: "rev"})
	expect(t, "calls", collect(t, c), []string{
		"patch pods ns/shared: garbage collector: remove references to owners that are gone or being deleted",
	})
	got := get(t, c, workload.ResourcePods, "ns", "shared").(metav1.Object)
	if refs := got.GetOwnerReferences(); len(refs) != 1 || refs[0].Kind != "ReplicaSet" {
		t.Errorf("owner references = %+v, want only the ReplicaSet", refs)
	}
}

// A reference whose owner of that name has another UID is dangling: the
// owner was deleted and created again.
func TestGCMatchesOwnersByUID(t *testing.T) {
	c := chain(t, false)
	if err := c.ForceRemove(workload.ResourceDeployments, "ns", "web"); err != nil {
		t.Fatal(err)
	}
	seed(t, c, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"},
		Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: podTemplate()}})
	collect(t, c)
	expect(t, "store", inventory(c), []string{"deployments/web"})
}

func TestGCIsDeterministic(t *testing.T) {
	run := func() []string {
		c := newWorld(t).c
		for _, r := range []string{workload.ResourceDeployments, workload.ResourceDaemonSets, workload.ResourceCronJobs} {
			for _, obj := range c.List(r, "ns") {
				deleteWith(t, c, r, obj.(metav1.Object).GetName(), metav1.DeletePropagationForeground)
			}
		}
		calls := collect(t, c)
		var left []string
		for _, r := range []string{workload.ResourcePods, workload.ResourceReplicaSets, workload.ResourceJobs} {
			for _, obj := range c.List(r, "") {
				left = append(left, r+"/"+obj.(metav1.Object).GetNamespace()+"/"+obj.(metav1.Object).GetName())
			}
		}
		sort.Strings(left)
		return append(calls, left...)
	}
	first := run()
	for i := 0; i < 3; i++ {
		expect(t, "second run", run(), first)
	}
}
