package cluster_test

import (
	"fmt"
	"reflect"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/job"
	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// controllerRef is the reference a controller writes into what it owns.
func controllerRef(owner metav1.Object, gvk schema.GroupVersionKind) []metav1.OwnerReference {
	return []metav1.OwnerReference{*metav1.NewControllerRef(owner, gvk)}
}

var (
	deploymentGVK = appsv1.SchemeGroupVersion.WithKind("Deployment")
	replicaSetGVK = appsv1.SchemeGroupVersion.WithKind("ReplicaSet")
	daemonSetGVK  = appsv1.SchemeGroupVersion.WithKind("DaemonSet")
	jobGVK        = batchv1.SchemeGroupVersion.WithKind("Job")
	cronJobGVK    = batchv1.SchemeGroupVersion.WithKind("CronJob")
)

func podTemplate() v1.PodTemplateSpec {
	return v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec: v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "nginx"}}}}
}

func seed(t *testing.T, c *cluster.Cluster, obj runtime.Object) metav1.Object {
	t.Helper()
	out, err := c.Create(obj)
	if err != nil {
		t.Fatalf("seed %T: %v", obj, err)
	}
	return out.(metav1.Object)
}

func podIn(ns, name string, owners []metav1.OwnerReference) *v1.Pod {
	p := newPod(name, "")
	p.Namespace = ns
	p.OwnerReferences = owners
	return p
}

// informerView is what an informer hands a controller: the stored object
// without managedFields.
func informerView[T runtime.Object](t *testing.T, c *cluster.Cluster, resource, ns, name string) T {
	t.Helper()
	obj := get(t, c, resource, ns, name)
	obj.(metav1.Object).SetManagedFields(nil)
	return obj.(T)
}

// world is a namespace "ns" holding one workload of every kind with its
// dependents, next to objects the controllers must not see: another
// namespace's pods, another owner's pods, a sibling Deployment.
type world struct {
	c                        *cluster.Cluster
	deployment, other        metav1.Object
	rsA, rsB, rsOther, rsOrp metav1.Object
	ds                       metav1.Object
	job, cronJob             metav1.Object
}

func newWorld(t *testing.T) *world {
	c := cluster.New(t0)
	w := &world{c: c}
	seed(t, c, &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-b"}})
	seed(t, c, &v1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-a"}})
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"},
		Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: podTemplate(),
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}}}
	w.deployment = seed(t, c, d)
	other := d.DeepCopy()
	other.Name = "other"
	w.other = seed(t, c, other)
	rs := func(name string, owner metav1.Object) metav1.Object {
		r := newRS(name, 1)
		if owner != nil {
			r.OwnerReferences = controllerRef(owner, deploymentGVK)
		}
		return seed(t, c, r)
	}
	w.rsB = rs("web-b", w.deployment)
	w.rsA = rs("web-a", w.deployment)
	w.rsOther = rs("other-a", w.other)
	w.rsOrp = rs("stray", nil)
	seed(t, c, podIn("ns", "a-1", controllerRef(w.rsA, replicaSetGVK)))
	seed(t, c, podIn("ns", "a-0", controllerRef(w.rsA, replicaSetGVK)))
	seed(t, c, podIn("ns", "b-0", controllerRef(w.rsB, replicaSetGVK)))
	seed(t, c, podIn("ns", "other-0", controllerRef(w.rsOther, replicaSetGVK)))
	orphan := podIn("ns", "orphan", nil)
	orphan.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationApply}}
	seed(t, c, orphan)
	seed(t, c, podIn("elsewhere", "a-0", controllerRef(w.rsA, replicaSetGVK)))
	seed(t, c, podIn("elsewhere", "orphan", nil))

	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "ns"},
		Spec: appsv1.DaemonSetSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: podTemplate()}}
	w.ds = seed(t, c, ds)
	seed(t, c, podIn("ns", "agent-0", controllerRef(w.ds, daemonSetGVK)))
	seed(t, c, &appsv1.ControllerRevision{ObjectMeta: metav1.ObjectMeta{Name: "agent-1", Namespace: "ns", OwnerReferences: controllerRef(w.ds, daemonSetGVK)}, Revision: 1})
	seed(t, c, &appsv1.ControllerRevision{ObjectMeta: metav1.ObjectMeta{Name: "loose", Namespace: "ns"}, Revision: 1})
	seed(t, c, &appsv1.ControllerRevision{ObjectMeta: metav1.ObjectMeta{Name: "theirs", Namespace: "ns", OwnerReferences: controllerRef(w.other, deploymentGVK)}, Revision: 1})

	cj := &batchv1.CronJob{ObjectMeta: metav1.ObjectMeta{Name: "nightly", Namespace: "ns"},
		Spec: batchv1.CronJobSpec{Schedule: "0 0 * * *", JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: podTemplate()}}}}
	w.cronJob = seed(t, c, cj)
	j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "nightly-1", Namespace: "ns", OwnerReferences: controllerRef(w.cronJob, cronJobGVK)},
		Spec: batchv1.JobSpec{Template: podTemplate()}}
	j.Spec.Template.Spec.RestartPolicy = v1.RestartPolicyNever
	w.job = seed(t, c, j)
	seed(t, c, &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "adhoc", Namespace: "ns"}, Spec: j.Spec})
	seed(t, c, podIn("ns", "nightly-1-x", controllerRef(w.job, jobGVK)))
	return w
}

func TestStatesFromTheStore(t *testing.T) {
	w := newWorld(t)
	c := w.c
	pod := func(name string) *v1.Pod { return informerView[*v1.Pod](t, c, workload.ResourcePods, "ns", name) }
	rs := func(name string) *appsv1.ReplicaSet {
		return informerView[*appsv1.ReplicaSet](t, c, workload.ResourceReplicaSets, "ns", name)
	}
	node := func(name string) *v1.Node { return informerView[*v1.Node](t, c, cluster.ResourceNodes, "", name) }
	rev := func(name string) *appsv1.ControllerRevision {
		return informerView[*appsv1.ControllerRevision](t, c, workload.ResourceControllerRevisions, "ns", name)
	}
	jobOf := func(name string) *batchv1.Job {
		return informerView[*batchv1.Job](t, c, workload.ResourceJobs, "ns", name)
	}
	orphans := []*v1.Pod{pod("orphan")}
	for _, tc := range []struct {
		name      string
		got, want func() (any, error)
	}{
		{"ReplicaSet: own pods, siblings and their pods, orphans",
			func() (any, error) { return c.ReplicaSetState("ns", "web-a") },
			func() (any, error) {
				return replicaset.State{ReplicaSet: rs("web-a"), ReplicaSets: []*appsv1.ReplicaSet{rs("web-b")},
					Pods: append([]*v1.Pod{pod("a-0"), pod("a-1"), pod("b-0")}, orphans...)}, nil
			}},
		{"ReplicaSet without an owner: no siblings",
			func() (any, error) { return c.ReplicaSetState("ns", "stray") },
			func() (any, error) { return replicaset.State{ReplicaSet: rs("stray"), Pods: orphans}, nil }},
		{"Deployment (Recreate): every ReplicaSet of the namespace, its ReplicaSets' pods",
			func() (any, error) { return c.DeploymentState("ns", "web") },
			func() (any, error) {
				return rollout.State{Deployment: informerView[*appsv1.Deployment](t, c, workload.ResourceDeployments, "ns", "web"),
					ReplicaSets: []*appsv1.ReplicaSet{rs("other-a"), rs("stray"), rs("web-a"), rs("web-b")},
					Pods:        []*v1.Pod{pod("a-0"), pod("a-1"), pod("b-0")}}, nil
			}},
		{"DaemonSet: all nodes, own pods and orphans, own revisions and orphans",
			func() (any, error) { return c.DaemonSetState("ns", "agent") },
			func() (any, error) {
				return daemon.State{DaemonSet: informerView[*appsv1.DaemonSet](t, c, workload.ResourceDaemonSets, "ns", "agent"),
					Nodes:     []*v1.Node{node("node-a"), node("node-b")},
					Pods:      []*v1.Pod{pod("agent-0"), pod("orphan")},
					Revisions: []*appsv1.ControllerRevision{rev("agent-1"), rev("loose")}}, nil
			}},
		{"Job: own pods and orphans",
			func() (any, error) { return c.JobState("ns", "nightly-1") },
			func() (any, error) {
				return job.State{Job: jobOf("nightly-1"), Pods: []*v1.Pod{pod("nightly-1-x"), pod("orphan")}}, nil
			}},
		{"CronJob: every Job of the namespace",
			func() (any, error) { return c.CronJobState("ns", "nightly") },
			func() (any, error) {
				return cron.State{CronJob: informerView[*batchv1.CronJob](t, c, workload.ResourceCronJobs, "ns", "nightly"),
					Jobs: []*batchv1.Job{jobOf("adhoc"), jobOf("nightly-1")}}, nil
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.got()
			if err != nil {
				t.Fatal(err)
			}
			want, _ := tc.want()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("state from the store:\n%+v\nwant:\n%+v", got, want)
			}
		})
	}
}

func TestStatesStripManagedFields(t *testing.T) {
	w := newWorld(t)
	stored := get(t, w.c, workload.ResourcePods, "ns", "orphan").(*v1.Pod)
	if len(stored.ManagedFields) == 0 {
		t.Skip("the store keeps no managedFields given on create")
	}
	s, err := w.c.JobState("ns", "nightly-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Pods {
		if p.ManagedFields != nil {
			t.Errorf("pod %s keeps managedFields in the State", p.Name)
		}
	}
	// The store's copy is untouched.
	if again := get(t, w.c, workload.ResourcePods, "ns", "orphan").(*v1.Pod); len(again.ManagedFields) == 0 {
		t.Error("building a State changed the stored pod")
	}
}

func TestStateOfMissingObjectIsNotFound(t *testing.T) {
	c := cluster.New(t0)
	if _, err := c.ReplicaSetState("ns", "nope"); err == nil {
		t.Fatal("no error for a missing ReplicaSet")
	}
	if _, err := c.Reconcile("statefulsets", "ns", "x", t0); err == nil {
		t.Fatal("no error for a resource without a controller")
	}
}

// A State shares the stored objects, as an informer's cache does, but
// stays as it was built whatever is applied afterwards.
func TestStateSurvivesLaterWrites(t *testing.T) {
	w := newWorld(t)
	s, err := w.c.ReplicaSetState("ns", "web-a")
	if err != nil {
		t.Fatal(err)
	}
	before := fmt.Sprint(s.Pods[0].ObjectMeta, s.ReplicaSet.ObjectMeta)
	do(t, w.c, workload.Action{Verb: workload.Delete, Resource: workload.ResourcePods, Namespace: "ns", Name: s.Pods[0].Name})
	do(t, w.c, workload.Action{Verb: workload.Patch, Resource: workload.ResourceReplicaSets, Namespace: "ns", Name: "web-a",
		PatchType: "application/merge-patch+json", Patch: []byte(`{"metadata":{"labels":{"x":"y"}}}`)})
	if after := fmt.Sprint(s.Pods[0].ObjectMeta, s.ReplicaSet.ObjectMeta); after != before {
		t.Errorf("a State changed after writes:\n%s\nwas:\n%s", after, before)
	}
}
