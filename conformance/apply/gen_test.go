package apply

import (
	"encoding/json"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

// The generators build objects the API server's validation accepts (a
// rejected object tests nothing of the strategies), with the shapes the
// controllers create and the variations the strategies branch on.

var resources = []string{
	workload.ResourceDeployments, workload.ResourceReplicaSets, workload.ResourceDaemonSets,
	workload.ResourceStatefulSets, workload.ResourceControllerRevisions, workload.ResourceJobs,
	workload.ResourceCronJobs, workload.ResourcePods, workload.ResourcePods, workload.ResourcePods,
	workload.ResourcePersistentVolumeClaims, cluster.ResourceNodes, cluster.ResourceNamespaces,
}

const testNamespace = "ns"

func meta(t *rapid.T, namespaced bool) metav1.ObjectMeta {
	m := metav1.ObjectMeta{}
	if rapid.Bool().Draw(t, "generateName") {
		m.GenerateName = "obj-"
	} else {
		m.Name = "obj"
	}
	if namespaced && rapid.Bool().Draw(t, "bodyNamespace") {
		m.Namespace = testNamespace
	}
	if rapid.Bool().Draw(t, "hasLabels") {
		m.Labels = map[string]string{"app": "web"}
	}
	if rapid.IntRange(0, 3).Draw(t, "hasAnnotations") == 0 {
		m.Annotations = map[string]string{"note": "x"}
	}
	if rapid.IntRange(0, 3).Draw(t, "hasFinalizers") == 0 {
		m.Finalizers = []string{"example.com/hold"}
	}
	if rapid.IntRange(0, 3).Draw(t, "hasOwner") == 0 {
		ref := metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "owner", UID: "owner-uid",
			Controller: ptr(true), BlockOwnerDeletion: ptr(true)}
		m.OwnerReferences = []metav1.OwnerReference{ref}
		if rapid.IntRange(0, 4).Draw(t, "dupOwner") == 0 {
			m.OwnerReferences = append(m.OwnerReferences, ref)
		}
	}
	return m
}

func ptr[T any](v T) *T { return &v }

func template(t *rapid.T, restart v1.RestartPolicy) v1.PodTemplateSpec {
	tmpl := v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       podSpec(t, restart),
	}
	return tmpl
}

func podSpec(t *rapid.T, restart v1.RestartPolicy) v1.PodSpec {
	spec := v1.PodSpec{RestartPolicy: restart}
	for i := range rapid.IntRange(1, 2).Draw(t, "containers") {
		c := v1.Container{Name: fmt.Sprintf("c%d", i), Image: rapid.SampledFrom([]string{"nginx", "nginx:1.27"}).Draw(t, "image")}
		switch rapid.IntRange(0, 3).Draw(t, "resources") {
		case 1:
			c.Resources.Requests = v1.ResourceList{v1.ResourceCPU: resource.MustParse("100m")}
		case 2:
			q := v1.ResourceList{v1.ResourceCPU: resource.MustParse("1"), v1.ResourceMemory: resource.MustParse("1Gi")}
			c.Resources.Requests, c.Resources.Limits = q, q.DeepCopy()
		case 3:
			c.Resources.Limits = v1.ResourceList{v1.ResourceMemory: resource.MustParse("1Gi")}
		}
		spec.Containers = append(spec.Containers, c)
	}
	if rapid.Bool().Draw(t, "grace") {
		spec.TerminationGracePeriodSeconds = ptr(rapid.SampledFrom([]int64{0, 5, 30}).Draw(t, "graceSeconds"))
	}
	return spec
}

func selector() *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
}

// object draws the body of a create of resource.
func object(t *rapid.T, res string) runtime.Object {
	switch res {
	case workload.ResourceDeployments:
		return &appsv1.Deployment{ObjectMeta: meta(t, true), Spec: appsv1.DeploymentSpec{
			Replicas: ptr(rapid.Int32Range(0, 3).Draw(t, "replicas")), Selector: selector(), Template: template(t, v1.RestartPolicyAlways)},
			Status: appsv1.DeploymentStatus{Replicas: 7, ObservedGeneration: 4}}
	case workload.ResourceReplicaSets:
		return &appsv1.ReplicaSet{ObjectMeta: meta(t, true), Spec: appsv1.ReplicaSetSpec{
			Replicas: ptr(rapid.Int32Range(0, 3).Draw(t, "replicas")), Selector: selector(), Template: template(t, v1.RestartPolicyAlways)},
			Status: appsv1.ReplicaSetStatus{Replicas: 2}}
	case workload.ResourceDaemonSets:
		ds := &appsv1.DaemonSet{ObjectMeta: meta(t, true), Spec: appsv1.DaemonSetSpec{Selector: selector(), Template: template(t, v1.RestartPolicyAlways)},
			Status: appsv1.DaemonSetStatus{NumberReady: 1}}
		if g := rapid.SampledFrom([]string{"", "0", "1", "4"}).Draw(t, "templateGeneration"); g != "" {
			if ds.Annotations == nil {
				ds.Annotations = map[string]string{}
			}
			ds.Annotations[appsv1.DeprecatedTemplateGeneration] = g
		}
		return ds
	case workload.ResourceStatefulSets:
		return &appsv1.StatefulSet{ObjectMeta: meta(t, true), Spec: appsv1.StatefulSetSpec{
			Replicas: ptr(rapid.Int32Range(0, 3).Draw(t, "replicas")), Selector: selector(), Template: template(t, v1.RestartPolicyAlways)},
			Status: appsv1.StatefulSetStatus{Replicas: 1}}
	case workload.ResourceControllerRevisions:
		data, _ := json.Marshal(map[string]any{"spec": map[string]any{"template": map[string]any{"$patch": "replace"}}})
		return &appsv1.ControllerRevision{ObjectMeta: meta(t, true), Data: runtime.RawExtension{Raw: data},
			Revision: rapid.Int64Range(1, 5).Draw(t, "revision")}
	case workload.ResourceJobs:
		job := &batchv1.Job{ObjectMeta: meta(t, true), Spec: batchv1.JobSpec{
			Template: template(t, rapid.SampledFrom([]v1.RestartPolicy{v1.RestartPolicyNever, v1.RestartPolicyOnFailure}).Draw(t, "restart"))},
			Status: batchv1.JobStatus{Active: 3}}
		switch rapid.IntRange(0, 2).Draw(t, "selectorMode") {
		case 1:
			job.Spec.ManualSelector = ptr(true)
			job.Spec.Selector = selector()
		case 2:
			job.Spec.ManualSelector = ptr(false)
		}
		return job
	case workload.ResourceCronJobs:
		return &batchv1.CronJob{ObjectMeta: meta(t, true), Spec: batchv1.CronJobSpec{Schedule: "*/5 * * * *",
			JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: template(t, v1.RestartPolicyOnFailure)}}},
			Status: batchv1.CronJobStatus{LastScheduleTime: &metav1.Time{}}}
	case workload.ResourcePods:
		pod := &v1.Pod{ObjectMeta: meta(t, true), Spec: podSpec(t, v1.RestartPolicyAlways)}
		pod.Spec.NodeName = rapid.SampledFrom([]string{"", "node-a"}).Draw(t, "nodeName")
		if pod.Spec.NodeName == "" && rapid.IntRange(0, 3).Draw(t, "gated") == 0 {
			pod.Spec.SchedulingGates = []v1.PodSchedulingGate{{Name: "example.com/gate"}}
		}
		pod.Status.Phase = v1.PodRunning
		return pod
	case workload.ResourcePersistentVolumeClaims:
		return &v1.PersistentVolumeClaim{ObjectMeta: meta(t, true), Spec: v1.PersistentVolumeClaimSpec{
			AccessModes: []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce},
			Resources:   v1.VolumeResourceRequirements{Requests: v1.ResourceList{v1.ResourceStorage: resource.MustParse("1Gi")}}},
			Status: v1.PersistentVolumeClaimStatus{Phase: v1.ClaimBound}}
	case cluster.ResourceNodes:
		return &v1.Node{ObjectMeta: meta(t, false), Spec: v1.NodeSpec{Unschedulable: rapid.Bool().Draw(t, "unschedulable")},
			Status: v1.NodeStatus{Capacity: v1.ResourceList{v1.ResourcePods: resource.MustParse("110")}}}
	case cluster.ResourceNamespaces:
		return &v1.Namespace{ObjectMeta: meta(t, false)}
	}
	panic("unknown resource " + res)
}

// mutate changes a stored object as a controller's update would: spec,
// status, labels, annotations or finalizers (removing them all is how an
// update ends a held deletion).
func mutate(t *rapid.T, obj runtime.Object) {
	m := obj.(metav1.Object)
	for _, change := range rapid.SliceOfNDistinct(rapid.IntRange(0, 5), 1, 3, rapid.ID[int]).Draw(t, "changes") {
		switch change {
		case 0:
			m.SetLabels(map[string]string{"app": "web", "extra": "1"})
		case 1:
			a := map[string]string{"changed": "y"}
			for k, v := range m.GetAnnotations() {
				a[k] = v
			}
			m.SetAnnotations(a)
		case 2:
			m.SetFinalizers(nil)
		case 3, 4:
			mutateSpec(obj, change == 4)
		case 5:
			mutateStatus(obj)
		}
	}
}

// mutateSpec changes a spec field; deep reaches the pod template.
func mutateSpec(obj runtime.Object, deep bool) {
	image := func(s *v1.PodSpec) { s.Containers[0].Image = "nginx:1.28" }
	switch o := obj.(type) {
	case *appsv1.Deployment:
		if deep {
			image(&o.Spec.Template.Spec)
		} else {
			o.Spec.Replicas = ptr(*o.Spec.Replicas + 1)
		}
	case *appsv1.ReplicaSet:
		if deep {
			image(&o.Spec.Template.Spec)
		} else {
			o.Spec.Replicas = ptr(*o.Spec.Replicas + 1)
		}
	case *appsv1.DaemonSet:
		if deep {
			image(&o.Spec.Template.Spec)
		} else {
			o.Spec.MinReadySeconds++
		}
	case *appsv1.StatefulSet:
		if deep {
			image(&o.Spec.Template.Spec)
		} else {
			o.Spec.Replicas = ptr(*o.Spec.Replicas + 1)
		}
	case *appsv1.ControllerRevision:
		o.Revision++
	case *batchv1.Job:
		o.Spec.Suspend = ptr(true)
	case *batchv1.CronJob:
		o.Spec.Suspend = ptr(true)
	case *v1.Pod:
		if deep {
			image(&o.Spec)
		} else {
			o.Spec.ActiveDeadlineSeconds = ptr(int64(100))
		}
	case *v1.PersistentVolumeClaim:
		o.Spec.Resources.Requests = v1.ResourceList{v1.ResourceStorage: resource.MustParse("1Gi")}
	case *v1.Node:
		o.Spec.Unschedulable = !o.Spec.Unschedulable
	case *v1.Namespace:
		o.Spec.Finalizers = nil
	}
}

func mutateStatus(obj runtime.Object) {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		o.Status.Replicas, o.Status.ObservedGeneration = 3, 1
	case *appsv1.ReplicaSet:
		o.Status.Replicas, o.Status.FullyLabeledReplicas = 2, 1
	case *appsv1.DaemonSet:
		o.Status.DesiredNumberScheduled = 2
	case *appsv1.StatefulSet:
		o.Status.Replicas = 2
	case *batchv1.Job:
		o.Status.Active = 1
	case *batchv1.CronJob:
		o.Status.Active = []v1.ObjectReference{{Name: "j"}}
	case *v1.Pod:
		o.Status.Phase = v1.PodRunning
		o.Status.QOSClass = ""
		o.Status.Conditions = append(o.Status.Conditions, v1.PodCondition{Type: v1.PodReady, Status: v1.ConditionTrue})
	case *v1.PersistentVolumeClaim:
		o.Status.Phase = v1.ClaimBound
	case *v1.Node:
		o.Status.Phase = v1.NodeRunning
	case *v1.Namespace:
		o.Status.Conditions = append(o.Status.Conditions, v1.NamespaceCondition{Type: v1.NamespaceDeletionContentFailure, Status: v1.ConditionFalse})
	}
}

// patchBody draws a patch of the shapes the controllers and the garbage
// collector send.
func patchBody(t *rapid.T, uid types.UID) (types.PatchType, []byte, string) {
	if rapid.IntRange(0, 4).Draw(t, "patchUID") == 0 {
		uid = "stale-uid"
	}
	ref := map[string]any{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "adopter", "uid": "adopter-uid",
		"controller": true, "blockOwnerDeletion": true}
	var p map[string]any
	kind := rapid.SampledFrom([]string{"adopt", "adopt-job", "release", "release-job", "finalizer-removal", "labels", "merge-labels", "merge-finalizers"}).Draw(t, "patchKind")
	switch kind {
	case "adopt":
		p = map[string]any{"metadata": map[string]any{"ownerReferences": []any{ref}, "uid": uid}}
	case "adopt-job":
		p = map[string]any{"metadata": map[string]any{"ownerReferences": []any{ref}, "uid": uid, "finalizers": []any{batchv1.JobTrackingFinalizer}}}
	case "release":
		p = map[string]any{"metadata": map[string]any{"ownerReferences": []any{map[string]any{"$patch": "delete", "uid": "owner-uid"}}, "uid": uid}}
	case "release-job":
		p = map[string]any{"metadata": map[string]any{"ownerReferences": []any{map[string]any{"$patch": "delete", "uid": "owner-uid"}}, "uid": uid,
			"$deleteFromPrimitiveList/finalizers": []any{"example.com/hold"}}}
	case "finalizer-removal":
		p = map[string]any{"metadata": map[string]any{"$deleteFromPrimitiveList/finalizers": []any{"example.com/hold"}}}
	case "labels":
		p = map[string]any{"metadata": map[string]any{"labels": map[string]any{"controller-revision-hash": "abc", "app": nil}}}
	case "merge-labels":
		p = map[string]any{"metadata": map[string]any{"labels": map[string]any{"controller-revision-hash": "abc"}}}
	case "merge-finalizers":
		p = map[string]any{"metadata": map[string]any{"finalizers": nil}}
	}
	b, _ := json.Marshal(p)
	pt := types.StrategicMergePatchType
	if kind == "merge-labels" || kind == "merge-finalizers" {
		pt = types.MergePatchType
	}
	return pt, b, kind
}

// deleteOptions draws the options of a delete: nil, or a grace period, a
// UID or resourceVersion precondition and a propagation policy.
func deleteOptions(t *rapid.T, uid types.UID, rv string) *metav1.DeleteOptions {
	if rapid.IntRange(0, 4).Draw(t, "nilOptions") == 0 {
		return nil
	}
	o := &metav1.DeleteOptions{}
	if rapid.Bool().Draw(t, "optGrace") {
		o.GracePeriodSeconds = ptr(rapid.SampledFrom([]int64{-1, 0, 1, 10, 60}).Draw(t, "optGraceSeconds"))
	}
	switch rapid.IntRange(0, 4).Draw(t, "precondition") {
	case 1:
		o.Preconditions = &metav1.Preconditions{UID: &uid}
	case 2:
		o.Preconditions = &metav1.Preconditions{UID: ptr(types.UID("stale-uid"))}
	case 3:
		o.Preconditions = &metav1.Preconditions{ResourceVersion: &rv}
	case 4:
		o.Preconditions = &metav1.Preconditions{ResourceVersion: ptr("1")}
	}
	if p := rapid.SampledFrom([]metav1.DeletionPropagation{"", metav1.DeletePropagationBackground, metav1.DeletePropagationForeground, metav1.DeletePropagationOrphan}).Draw(t, "policy"); p != "" {
		o.PropagationPolicy = &p
	}
	return o
}
