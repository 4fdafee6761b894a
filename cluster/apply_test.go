package cluster_test

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

var t0 = time.Date(2030, 1, 1, 12, 0, 0, 500_000_000, time.UTC)

func ptr[T any](v T) *T { return &v }

func newPod(name, node string) *v1.Pod {
	return &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": "web"}},
		Spec: v1.PodSpec{NodeName: node, TerminationGracePeriodSeconds: ptr(int64(30)),
			Containers: []v1.Container{{Name: "c", Image: "nginx"}}},
	}
}

func newRS(name string, replicas int32) *appsv1.ReplicaSet {
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns"},
		Spec: appsv1.ReplicaSetSpec{Replicas: ptr(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec: v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "nginx"}}}}},
	}
}

func do(t *testing.T, c *cluster.Cluster, a workload.Action) runtime.Object {
	t.Helper()
	obj, err := c.Do(a)
	if err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	return obj
}

func create(t *testing.T, c *cluster.Cluster, resource, ns string, obj runtime.Object) metav1.Object {
	t.Helper()
	return do(t, c, workload.Action{Verb: workload.Create, Resource: resource, Namespace: ns, Object: obj}).(metav1.Object)
}

func get(t *testing.T, c *cluster.Cluster, resource, ns, name string) runtime.Object {
	t.Helper()
	obj, err := c.Get(resource, ns, name)
	if err != nil {
		t.Fatalf("get %s %s/%s: %v", resource, ns, name, err)
	}
	return obj
}

// The trap the store exists to avoid: a controller's pod has no namespace
// of its own; the request's namespace is the pod's.
func TestCreateTakesTheActionsNamespace(t *testing.T) {
	c := cluster.New(t0)
	pod := newPod("", "")
	pod.GenerateName = "web-"
	got := create(t, c, workload.ResourcePods, "ns", pod)
	if got.GetNamespace() != "ns" {
		t.Fatalf("namespace = %q, want the action's %q", got.GetNamespace(), "ns")
	}
	if n := len(c.List(workload.ResourcePods, "ns")); n != 1 {
		t.Fatalf("List(ns) = %d pods, want 1", n)
	}
	other := newPod("x", "")
	other.Namespace = "elsewhere"
	_, err := c.Do(workload.Action{Verb: workload.Create, Resource: workload.ResourcePods, Namespace: "ns", Object: other})
	if !apierrors.IsBadRequest(err) {
		t.Fatalf("create with a mismatching namespace: %v, want BadRequest", err)
	}
	if pod.Namespace != "" || pod.Name != "" {
		t.Fatal("create changed the caller's object")
	}
}

func TestCreateSystemFields(t *testing.T) {
	c := cluster.New(t0)
	pod := newPod("", "")
	pod.GenerateName = strings.Repeat("a", 70)
	pod.UID = "client-uid"
	pod.Status.Phase = v1.PodRunning
	got := create(t, c, workload.ResourcePods, "ns", pod).(*v1.Pod)
	if len(got.Name) != 63 || !strings.HasPrefix(got.Name, strings.Repeat("a", 58)) {
		t.Errorf("name %q: want the generateName cut to 58 characters and 5 more", got.Name)
	}
	for _, r := range got.Name[58:] {
		if !strings.ContainsRune("bcdfghjklmnpqrstvwxz2456789", r) {
			t.Errorf("suffix %q has %q, outside the API server's alphabet", got.Name[58:], r)
		}
	}
	if got.UID == "" || got.UID == "client-uid" {
		t.Errorf("uid %q: want a server-generated UID", got.UID)
	}
	if want := metav1.NewTime(t0.Truncate(time.Second)); !got.CreationTimestamp.Equal(&want) {
		t.Errorf("creationTimestamp %v, want the clock at whole seconds %v", got.CreationTimestamp, want)
	}
	if got.Generation != 1 || got.ResourceVersion != "1" {
		t.Errorf("generation %d resourceVersion %q, want 1 and \"1\"", got.Generation, got.ResourceVersion)
	}
	if got.Status.Phase != v1.PodPending || got.Status.QOSClass != v1.PodQOSBestEffort {
		t.Errorf("status %+v, want Pending and BestEffort", got.Status)
	}
	if got.Spec.DNSPolicy != v1.DNSClusterFirst || got.Spec.EnableServiceLinks == nil {
		t.Errorf("pod not defaulted: %+v", got.Spec)
	}
	// Same calls, same names and UIDs.
	again := create(t, cluster.New(t0), workload.ResourcePods, "ns", pod).(*v1.Pod)
	if again.Name != got.Name || again.UID != got.UID {
		t.Errorf("not deterministic: %s/%s then %s/%s", got.Name, got.UID, again.Name, again.UID)
	}
	_, err := c.Do(workload.Action{Verb: workload.Create, Resource: workload.ResourcePods, Namespace: "ns", Object: got})
	if !apierrors.IsInternalError(err) {
		t.Errorf("create with a resourceVersion: %v, want the server's internal error", err)
	}
	dup := newPod(got.Name, "")
	if _, err := c.Do(workload.Action{Verb: workload.Create, Resource: workload.ResourcePods, Namespace: "ns", Object: dup}); !apierrors.IsAlreadyExists(err) {
		t.Errorf("create of an existing name: %v, want AlreadyExists", err)
	}
}

func TestJobCreateGeneratesSelector(t *testing.T) {
	c := cluster.New(t0)
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "pi"}, Spec: batchv1.JobSpec{Template: v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "pi"}},
		Spec:       v1.PodSpec{RestartPolicy: v1.RestartPolicyNever, Containers: []v1.Container{{Name: "c", Image: "perl"}}}}}}
	got := create(t, c, workload.ResourceJobs, "ns", job).(*batchv1.Job)
	uid := string(got.UID)
	if got.Spec.Selector.MatchLabels[batchv1.ControllerUidLabel] != uid {
		t.Errorf("selector %v, want controller-uid=%s", got.Spec.Selector, uid)
	}
	for _, labels := range []map[string]string{got.Spec.Template.Labels, got.Labels} {
		if labels["job-name"] != "pi" || labels[batchv1.JobNameLabel] != "pi" || labels["controller-uid"] != uid || labels["app"] != "pi" {
			t.Errorf("labels %v, want the template's and the four generated ones", labels)
		}
	}
}

func TestUpdateConcurrencyAndStrategies(t *testing.T) {
	c := cluster.New(t0)
	rs := create(t, c, workload.ResourceReplicaSets, "ns", newRS("web", 1)).(*appsv1.ReplicaSet)

	scaled := rs.DeepCopy()
	scaled.Spec.Replicas = ptr(int32(3))
	scaled.Status.Replicas = 9 // ignored by the main resource
	got := do(t, c, workload.Action{Verb: workload.Update, Resource: workload.ResourceReplicaSets, Namespace: "ns", Name: "web", Object: scaled}).(*appsv1.ReplicaSet)
	if got.Generation != 2 || got.Status.Replicas != 0 || *got.Spec.Replicas != 3 {
		t.Errorf("scale: generation %d status.replicas %d replicas %d, want 2, 0, 3", got.Generation, got.Status.Replicas, *got.Spec.Replicas)
	}

	// The first object's resourceVersion is stale now.
	_, err := c.Do(workload.Action{Verb: workload.Update, Resource: workload.ResourceReplicaSets, Namespace: "ns", Name: "web", Object: scaled})
	if !apierrors.IsConflict(err) {
		t.Errorf("update with a stale resourceVersion: %v, want Conflict", err)
	}
	otherUID := got.DeepCopy()
	otherUID.UID = "someone-else"
	if _, err := c.Do(workload.Action{Verb: workload.Update, Resource: workload.ResourceReplicaSets, Namespace: "ns", Name: "web", Object: otherUID}); !apierrors.IsConflict(err) {
		t.Errorf("update naming another UID: %v, want Conflict", err)
	}

	status := got.DeepCopy()
	status.Status.Replicas, status.Status.ObservedGeneration = 3, 2
	status.Spec.Replicas = ptr(int32(10)) // ignored by the status subresource
	after := do(t, c, workload.Action{Verb: workload.UpdateStatus, Resource: workload.ResourceReplicaSets, Namespace: "ns", Name: "web", Object: status}).(*appsv1.ReplicaSet)
	if after.Generation != 2 || after.Status.Replicas != 3 || *after.Spec.Replicas != 3 {
		t.Errorf("status update: generation %d status.replicas %d replicas %d, want 2, 3, 3", after.Generation, after.Status.Replicas, *after.Spec.Replicas)
	}

	// Writing the same content again changes nothing.
	rev := c.Revision()
	same := do(t, c, workload.Action{Verb: workload.Update, Resource: workload.ResourceReplicaSets, Namespace: "ns", Name: "web", Object: after}).(*appsv1.ReplicaSet)
	if c.Revision() != rev || same.ResourceVersion != after.ResourceVersion {
		t.Errorf("no-op update took revision %d (was %d)", c.Revision(), rev)
	}
	if _, err := c.Do(workload.Action{Verb: workload.Update, Resource: workload.ResourceReplicaSets, Namespace: "ns", Name: "gone", Object: newRS("gone", 1)}); !apierrors.IsNotFound(err) {
		t.Errorf("update of a missing object: %v, want NotFound", err)
	}
}

func TestDeploymentAnnotationsBumpGeneration(t *testing.T) {
	c := cluster.New(t0)
	rs := newRS("web", 1)
	d := &appsv1.Deployment{ObjectMeta: rs.ObjectMeta, Spec: appsv1.DeploymentSpec{Selector: rs.Spec.Selector, Template: rs.Spec.Template}}
	got := create(t, c, workload.ResourceDeployments, "ns", d).(*appsv1.Deployment)
	got.Annotations = map[string]string{"kubernetes.io/change-cause": "x"}
	after := do(t, c, workload.Action{Verb: workload.Update, Resource: workload.ResourceDeployments, Namespace: "ns", Name: "web", Object: got}).(*appsv1.Deployment)
	if after.Generation != 2 {
		t.Errorf("generation %d after an annotation change, want 2", after.Generation)
	}
}

func patch(t *testing.T, c *cluster.Cluster, resource, name string, pt types.PatchType, body string) (runtime.Object, error) {
	t.Helper()
	return c.Do(workload.Action{Verb: workload.Patch, Resource: resource, Namespace: "ns", Name: name, PatchType: pt, Patch: []byte(body)})
}

func TestPatches(t *testing.T) {
	c := cluster.New(t0)
	pod := newPod("p", "")
	pod.Finalizers = []string{batchv1.JobTrackingFinalizer, "example.com/keep"}
	uid := create(t, c, workload.ResourcePods, "ns", pod).GetUID()

	adopt := `{"metadata":{"ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"j","uid":"job-uid","controller":true,"blockOwnerDeletion":true}],"uid":"` + string(uid) + `"}}`
	obj, err := patch(t, c, workload.ResourcePods, "p", types.StrategicMergePatchType, adopt)
	if err != nil || len(obj.(*v1.Pod).OwnerReferences) != 1 {
		t.Fatalf("adopt: %v %v", obj, err)
	}
	if owned := c.ListControlledBy(workload.ResourcePods, "ns", "job-uid"); len(owned) != 1 {
		t.Errorf("owner index: %d pods controlled by job-uid, want 1", len(owned))
	}
	if orphans := c.ListOrphans(workload.ResourcePods, "ns"); len(orphans) != 0 {
		t.Errorf("orphan index: %d orphans, want 0", len(orphans))
	}
	_, err = patch(t, c, workload.ResourcePods, "p", types.StrategicMergePatchType, `{"metadata":{"uid":"stale","labels":{"x":"y"}}}`)
	if !apierrors.IsInvalid(err) {
		t.Errorf("patch with another uid: %v, want Invalid", err)
	}
	second := strings.Replace(adopt, `"j","uid":"job-uid"`, `"k","uid":"other-uid"`, 1)
	if _, err := patch(t, c, workload.ResourcePods, "p", types.StrategicMergePatchType, second); !apierrors.IsInvalid(err) {
		t.Errorf("a second controller reference: %v, want Invalid", err)
	}
	obj, err = patch(t, c, workload.ResourcePods, "p", types.StrategicMergePatchType,
		`{"metadata":{"$deleteFromPrimitiveList/finalizers":["`+batchv1.JobTrackingFinalizer+`"]}}`)
	if err != nil || strings.Join(obj.(*v1.Pod).Finalizers, ",") != "example.com/keep" {
		t.Fatalf("finalizer removal: finalizers %v, err %v; want [example.com/keep]", obj.(*v1.Pod).Finalizers, err)
	}
	release := `{"metadata":{"ownerReferences":[{"$patch":"delete","uid":"job-uid"}],"uid":"` + string(uid) + `"}}`
	if obj, err = patch(t, c, workload.ResourcePods, "p", types.StrategicMergePatchType, release); err != nil || len(obj.(*v1.Pod).OwnerReferences) != 0 {
		t.Fatalf("release: %v %v", obj, err)
	}
	obj, err = patch(t, c, workload.ResourcePods, "p", types.MergePatchType, `{"metadata":{"labels":{"controller-revision-hash":"h","app":null}}}`)
	if err != nil || obj.(*v1.Pod).Labels["controller-revision-hash"] != "h" || obj.(*v1.Pod).Labels["app"] != "" {
		t.Fatalf("merge patch: labels %v, err %v", obj.(*v1.Pod).Labels, err)
	}
	if _, err := patch(t, c, workload.ResourcePods, "p", types.JSONPatchType, `[]`); !apierrors.IsUnsupportedMediaType(err) {
		t.Errorf("JSON patch: %v, want UnsupportedMediaType", err)
	}
	if _, err := patch(t, c, workload.ResourcePods, "missing", types.MergePatchType, `{}`); !apierrors.IsNotFound(err) {
		t.Errorf("patch of a missing pod: %v, want NotFound", err)
	}
}

func del(c *cluster.Cluster, resource, name string, opts *metav1.DeleteOptions) (runtime.Object, error) {
	return c.Do(workload.Action{Verb: workload.Delete, Resource: resource, Namespace: "ns", Name: name, DeleteOptions: opts})
}

func TestGracefulPodDeletion(t *testing.T) {
	c := cluster.New(t0)
	create(t, c, workload.ResourcePods, "ns", newPod("running", "node-a"))
	create(t, c, workload.ResourcePods, "ns", newPod("pending", ""))
	since := c.Revision()

	obj, err := del(c, workload.ResourcePods, "running", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := obj.(*v1.Pod)
	want := metav1.NewTime(t0.Truncate(time.Second).Add(30 * time.Second))
	if p.DeletionTimestamp == nil || !p.DeletionTimestamp.Equal(&want) || *p.DeletionGracePeriodSeconds != 30 || p.Generation != 2 {
		t.Fatalf("graceful delete: deletionTimestamp %v grace %v generation %d; want %v, 30, 2", p.DeletionTimestamp, p.DeletionGracePeriodSeconds, p.Generation, want)
	}
	// A second delete asking for no shorter grace changes nothing.
	rev := c.Revision()
	if _, err := del(c, workload.ResourcePods, "running", nil); err != nil || c.Revision() != rev {
		t.Errorf("second delete: err %v, revision %d (was %d)", err, c.Revision(), rev)
	}
	// The kubelet's grace-0 delete with a UID precondition ends it.
	if _, err := del(c, workload.ResourcePods, "running", &metav1.DeleteOptions{GracePeriodSeconds: ptr(int64(0)), Preconditions: &metav1.Preconditions{UID: ptr(types.UID("stale"))}}); !apierrors.IsConflict(err) {
		t.Errorf("delete with a stale UID precondition: %v, want Conflict", err)
	}
	if _, err := del(c, workload.ResourcePods, "running", &metav1.DeleteOptions{GracePeriodSeconds: ptr(int64(0)), Preconditions: &metav1.Preconditions{UID: &p.UID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(workload.ResourcePods, "ns", "running"); !apierrors.IsNotFound(err) {
		t.Errorf("after the grace-0 delete: %v, want NotFound", err)
	}
	// An unscheduled pod goes at once: a write marking it, then the removal.
	if _, err := del(c, workload.ResourcePods, "pending", nil); err != nil {
		t.Fatal(err)
	}
	var verbs []string
	for _, ch := range c.Changes(since) {
		verbs = append(verbs, ch.Name+":"+string(ch.Verb))
	}
	if got, want := strings.Join(verbs, " "), "running:MODIFIED running:MODIFIED running:DELETED pending:MODIFIED pending:DELETED"; got != want {
		t.Errorf("changes %q, want %q", got, want)
	}
}

func TestFinalizersHoldDeletion(t *testing.T) {
	c := cluster.New(t0)
	rs := newRS("held", 1)
	rs.Finalizers = []string{"example.com/hold"}
	create(t, c, workload.ResourceReplicaSets, "ns", rs)
	obj, err := del(c, workload.ResourceReplicaSets, "held", nil)
	if err != nil {
		t.Fatal(err)
	}
	m := obj.(metav1.Object)
	if m.GetDeletionTimestamp() == nil || *m.GetDeletionGracePeriodSeconds() != 0 || m.GetGeneration() != 2 {
		t.Fatalf("held delete: %v %v generation %d", m.GetDeletionTimestamp(), m.GetDeletionGracePeriodSeconds(), m.GetGeneration())
	}
	// No finalizer may be added now; removing the last one deletes.
	if _, err := patch(t, c, workload.ResourceReplicaSets, "held", types.MergePatchType, `{"metadata":{"finalizers":["example.com/hold","new"]}}`); !apierrors.IsInvalid(err) {
		t.Errorf("adding a finalizer to a deleted object: %v, want Invalid", err)
	}
	if _, err := patch(t, c, workload.ResourceReplicaSets, "held", types.StrategicMergePatchType, `{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/hold"]}}`); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(workload.ResourceReplicaSets, "ns", "held"); !apierrors.IsNotFound(err) {
		t.Errorf("after the last finalizer went: %v, want NotFound", err)
	}
}

func TestPropagationPolicyFinalizers(t *testing.T) {
	policy := func(p metav1.DeletionPropagation) *metav1.DeleteOptions {
		return &metav1.DeleteOptions{PropagationPolicy: &p}
	}
	job := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "j"}, Spec: batchv1.JobSpec{Template: v1.PodTemplateSpec{
		Spec: v1.PodSpec{RestartPolicy: v1.RestartPolicyNever, Containers: []v1.Container{{Name: "c", Image: "perl"}}}}}}
	for _, tc := range []struct {
		name     string
		resource string
		obj      runtime.Object
		opts     *metav1.DeleteOptions
		want     string // finalizers, or "gone"
	}{
		{"replicaset background by default", workload.ResourceReplicaSets, newRS("r", 1), nil, "gone"},
		{"replicaset foreground", workload.ResourceReplicaSets, newRS("r", 1), policy(metav1.DeletePropagationForeground), metav1.FinalizerDeleteDependents},
		{"replicaset orphan", workload.ResourceReplicaSets, newRS("r", 1), policy(metav1.DeletePropagationOrphan), metav1.FinalizerOrphanDependents},
		{"job orphans by default", workload.ResourceJobs, job, nil, metav1.FinalizerOrphanDependents},
		{"job background", workload.ResourceJobs, job, policy(metav1.DeletePropagationBackground), "gone"},
		{"pod foreground", workload.ResourcePods, newPod("r", ""), policy(metav1.DeletePropagationForeground), metav1.FinalizerDeleteDependents},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cluster.New(t0)
			name := create(t, c, tc.resource, "ns", tc.obj).GetName()
			if _, err := del(c, tc.resource, name, tc.opts); err != nil {
				t.Fatal(err)
			}
			obj, err := c.Get(tc.resource, "ns", name)
			got := "gone"
			if err == nil {
				got = strings.Join(obj.(metav1.Object).GetFinalizers(), ",")
				if obj.(metav1.Object).GetDeletionTimestamp() == nil {
					t.Error("held object without a deletionTimestamp")
				}
			}
			if got != tc.want {
				t.Errorf("after delete: %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStoreHandsOutCopies(t *testing.T) {
	c := cluster.New(t0)
	create(t, c, workload.ResourcePods, "ns", newPod("b", ""))
	create(t, c, workload.ResourcePods, "ns", newPod("a", ""))
	create(t, c, workload.ResourcePods, "other", newPod("c", ""))
	list := c.List(workload.ResourcePods, "")
	var names []string
	for _, o := range list {
		names = append(names, o.(metav1.Object).GetNamespace()+"/"+o.(metav1.Object).GetName())
		o.(*v1.Pod).Labels["mutated"] = "yes"
	}
	if got := strings.Join(names, " "); got != "ns/a ns/b other/c" {
		t.Errorf("List order %q", got)
	}
	if get(t, c, workload.ResourcePods, "ns", "a").(*v1.Pod).Labels["mutated"] != "" {
		t.Error("a listed object shares memory with the store")
	}
	if err := c.ForceRemove(workload.ResourcePods, "ns", "a"); err != nil {
		t.Fatal(err)
	}
	if len(c.List(workload.ResourcePods, "ns")) != 1 || len(c.ListOrphans(workload.ResourcePods, "ns")) != 1 {
		t.Error("ForceRemove left the object or its index entry")
	}
	if _, err := c.Create(&v1.Service{}); err == nil {
		t.Error("Create of a kind the store does not hold: no error")
	}
}
