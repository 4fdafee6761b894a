package cluster

import (
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// This file holds what the API server's registry strategies (the
// PrepareForCreate and PrepareForUpdate of pkg/registry/{apps,batch,core})
// do to an object of each kind before it is stored. Fields a strategy
// drops only under a disabled feature gate are not touched: at the 1.37
// default gates those drops do nothing for the objects in scope.

// prepareForCreate applies the kind's create strategy to obj, whose name
// and UID are already final (a Job's generated selector uses both).
func (c *Cluster) prepareForCreate(obj runtime.Object) error {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		o.Status = appsv1.DeploymentStatus{}
		o.Generation = 1
	case *appsv1.ReplicaSet:
		o.Status = appsv1.ReplicaSetStatus{}
		o.Generation = 1
	case *appsv1.StatefulSet:
		o.Status = appsv1.StatefulSetStatus{}
		o.Generation = 1
	case *appsv1.DaemonSet:
		o.Status = appsv1.DaemonSetStatus{}
		o.Generation = 1
		gen, err := templateGeneration(o)
		if err != nil {
			return err
		}
		setTemplateGeneration(o, max(gen, 1))
	case *batchv1.Job:
		if o.Spec.ManualSelector == nil || !*o.Spec.ManualSelector {
			generateJobSelector(o)
		}
		o.Status = batchv1.JobStatus{}
		o.Generation = 1
	case *batchv1.CronJob:
		o.Status = batchv1.CronJobStatus{}
		o.Generation = 1
	case *v1.Pod:
		o.Generation = 1
		o.Status = v1.PodStatus{Phase: v1.PodPending}
		if len(o.Spec.SchedulingGates) > 0 {
			o.Status.Conditions = append(o.Status.Conditions, v1.PodCondition{
				Type:               v1.PodScheduled,
				Status:             v1.ConditionFalse,
				Reason:             v1.PodReasonSchedulingGated,
				Message:            "Scheduling is blocked due to non-empty scheduling gates",
				LastTransitionTime: c.metaNow(),
			})
		}
		o.Status.QOSClass = podQOS(o)
	case *v1.PersistentVolumeClaim:
		o.Status = v1.PersistentVolumeClaimStatus{}
	case *v1.Namespace:
		o.Status = v1.NamespaceStatus{Phase: v1.NamespaceActive}
		has := false
		for _, f := range o.Spec.Finalizers {
			has = has || f == v1.FinalizerKubernetes
		}
		if !has {
			o.Spec.Finalizers = append(o.Spec.Finalizers, v1.FinalizerKubernetes)
		}
	}
	return nil
}

// prepareForUpdate applies the kind's update strategy, for the main
// resource or (status) the status subresource, to obj, the new object,
// given old, the stored one. generation is already old's.
func prepareForUpdate(obj, old runtime.Object, status bool) error {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		prev := old.(*appsv1.Deployment)
		if status {
			o.Spec, o.Labels = prev.Spec, prev.Labels
			return nil
		}
		o.Status = prev.Status
		// Annotations bump too: the Deployment's annotations are copied
		// to its ReplicaSets, so they are desired state.
		if !apiequality.Semantic.DeepEqual(o.Spec, prev.Spec) || !apiequality.Semantic.DeepEqual(o.Annotations, prev.Annotations) {
			o.Generation = prev.Generation + 1
		}
	case *appsv1.ReplicaSet:
		prev := old.(*appsv1.ReplicaSet)
		if status {
			o.Spec = prev.Spec
			return nil
		}
		o.Status = prev.Status
		bumpIfChanged(o, prev, o.Spec, prev.Spec)
	case *appsv1.StatefulSet:
		prev := old.(*appsv1.StatefulSet)
		if status {
			o.Spec = prev.Spec
			return nil
		}
		o.Status = prev.Status
		bumpIfChanged(o, prev, o.Spec, prev.Spec)
	case *appsv1.DaemonSet:
		return prepareDaemonSetUpdate(o, old.(*appsv1.DaemonSet), status)
	case *batchv1.Job:
		prev := old.(*batchv1.Job)
		if status {
			o.Spec = prev.Spec
			return nil
		}
		o.Status = prev.Status
		bumpIfChanged(o, prev, o.Spec, prev.Spec)
	case *batchv1.CronJob:
		prev := old.(*batchv1.CronJob)
		if status {
			o.Spec = prev.Spec
			return nil
		}
		o.Status = prev.Status
		bumpIfChanged(o, prev, o.Spec, prev.Spec)
	case *v1.Pod:
		preparePodUpdate(o, old.(*v1.Pod), status)
	case *v1.PersistentVolumeClaim:
		prev := old.(*v1.PersistentVolumeClaim)
		if status {
			o.Spec = prev.Spec
			return nil
		}
		o.Status = prev.Status
	case *v1.Node:
		prev := old.(*v1.Node)
		if status {
			o.Spec = prev.Spec
			return nil
		}
		o.Status = prev.Status
	case *v1.Namespace:
		prev := old.(*v1.Namespace)
		if status {
			o.Spec = prev.Spec
			return nil
		}
		o.Spec.Finalizers, o.Status = prev.Spec.Finalizers, prev.Status
	}
	return nil
}

// bumpIfChanged adds one to the generation when the spec changed.
func bumpIfChanged(obj, old metav1.Object, spec, oldSpec any) {
	if !apiequality.Semantic.DeepEqual(spec, oldSpec) {
		obj.SetGeneration(old.GetGeneration() + 1)
	}
}

func prepareDaemonSetUpdate(o, prev *appsv1.DaemonSet, status bool) error {
	// The body's template-generation annotation is parsed (a malformed
	// one fails decoding) and then ignored: only the server moves it.
	if _, err := templateGeneration(o); err != nil {
		return err
	}
	gen, err := templateGeneration(prev)
	if err != nil {
		return err
	}
	if status {
		o.Spec = prev.Spec
		setTemplateGeneration(o, gen)
		return nil
	}
	o.Status = prev.Status
	switch {
	case !apiequality.Semantic.DeepEqual(o.Spec.Template, prev.Spec.Template):
		gen++
		o.Generation = prev.Generation + 1
	case !apiequality.Semantic.DeepEqual(o.Spec, prev.Spec):
		o.Generation = prev.Generation + 1
	}
	setTemplateGeneration(o, gen)
	return nil
}

func preparePodUpdate(o, prev *v1.Pod, status bool) {
	if !status {
		o.Status = prev.Status
		// Keep pod-level resources a client unaware of them dropped.
		if o.Spec.Resources == nil && prev.Spec.Resources != nil {
			o.Spec.Resources = prev.Spec.Resources.DeepCopy()
		}
		bumpIfChanged(o, prev, o.Spec, prev.Spec)
		return
	}
	o.Spec = prev.Spec
	// Old kubelets corrupted owner references through status writes, so
	// the status subresource keeps the stored ones.
	o.OwnerReferences = prev.OwnerReferences
	if o.Status.QOSClass == "" {
		o.Status.QOSClass = prev.Status.QOSClass
	}
	if o.Status.ResourceClaimStatuses == nil && prev.Status.ResourceClaimStatuses != nil {
		o.Status.ResourceClaimStatuses = prev.Status.ResourceClaimStatuses
	}
	if o.Status.ExtendedResourceClaimStatus == nil && prev.Status.ExtendedResourceClaimStatus != nil {
		o.Status.ExtendedResourceClaimStatus = prev.Status.ExtendedResourceClaimStatus
	}
	if o.Status.ObservedGeneration == 0 {
		o.Status.ObservedGeneration = prev.Status.ObservedGeneration
	}
	// A condition written without observedGeneration keeps the value of
	// the stored condition of its type, matched in order.
	old := map[v1.PodConditionType][]int64{}
	for _, cond := range prev.Status.Conditions {
		old[cond.Type] = append(old[cond.Type], cond.ObservedGeneration)
	}
	for i, cond := range o.Status.Conditions {
		var g int64
		if gens := old[cond.Type]; len(gens) > 0 {
			g, old[cond.Type] = gens[0], gens[1:]
		}
		if cond.ObservedGeneration == 0 {
			o.Status.Conditions[i].ObservedGeneration = g
		}
	}
}

// templateGeneration reads the annotation through which apps/v1 carries a
// DaemonSet's internal spec.templateGeneration; absent means 0.
func templateGeneration(ds *appsv1.DaemonSet) (int64, error) {
	s, ok := ds.Annotations[appsv1.DeprecatedTemplateGeneration]
	if !ok {
		return 0, nil
	}
	gen, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errBadRequest("DaemonSet %q: annotation %s: %v", ds.Name, appsv1.DeprecatedTemplateGeneration, err)
	}
	return gen, nil
}

// setTemplateGeneration writes the annotation, as every conversion of a
// DaemonSet to apps/v1 does.
func setTemplateGeneration(ds *appsv1.DaemonSet, gen int64) {
	annotations := make(map[string]string, len(ds.Annotations)+1)
	for k, v := range ds.Annotations {
		annotations[k] = v
	}
	annotations[appsv1.DeprecatedTemplateGeneration] = strconv.FormatInt(gen, 10)
	ds.Annotations = annotations
}

// generateJobSelector gives a Job without a manual selector the labels
// and selector that tie its pods to its UID; labels the user set are kept
// (validation would refuse conflicting ones).
func generateJobSelector(job *batchv1.Job) {
	labels := job.Spec.Template.Labels
	if labels == nil {
		labels = map[string]string{}
		job.Spec.Template.Labels = labels
	}
	for _, l := range []struct{ key, value string }{
		{"job-name", job.Name},
		{batchv1.JobNameLabel, job.Name},
		{"controller-uid", string(job.UID)},
		{batchv1.ControllerUidLabel, string(job.UID)},
	} {
		if _, ok := labels[l.key]; !ok {
			labels[l.key] = l.value
		}
	}
	if job.Spec.Selector == nil {
		job.Spec.Selector = &metav1.LabelSelector{}
	}
	if job.Spec.Selector.MatchLabels == nil {
		job.Spec.Selector.MatchLabels = map[string]string{}
	}
	if _, ok := job.Spec.Selector.MatchLabels[batchv1.ControllerUidLabel]; !ok {
		job.Spec.Selector.MatchLabels[batchv1.ControllerUidLabel] = string(job.UID)
	}
}

// podQOS is the QoS class the API server computes for a new pod: from
// pod-level resources when set, else from the cpu and memory requests and
// limits of every init and regular container.
func podQOS(pod *v1.Pod) v1.PodQOSClass {
	if r := pod.Spec.Resources; r != nil && (len(r.Requests) > 0 || len(r.Limits) > 0) {
		return requirementsQOS(r)
	}
	var qos v1.PodQOSClass
	for _, list := range [][]v1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for i := range list {
			c := requirementsQOS(&list[i].Resources)
			switch {
			case c == v1.PodQOSBurstable:
				return c
			case qos == "":
				qos = c
			case qos != c:
				return v1.PodQOSBurstable
			}
		}
	}
	if qos == "" {
		return v1.PodQOSBestEffort
	}
	return qos
}

func requirementsQOS(r *v1.ResourceRequirements) v1.PodQOSClass {
	if len(r.Requests) == 0 && len(r.Limits) == 0 {
		return v1.PodQOSBestEffort
	}
	var qos v1.PodQOSClass
	for _, name := range []v1.ResourceName{v1.ResourceCPU, v1.ResourceMemory} {
		req, lim := r.Requests[name], r.Limits[name]
		var c v1.PodQOSClass
		switch {
		case !req.Equal(lim):
			return v1.PodQOSBurstable
		case req.IsZero():
			c = v1.PodQOSBestEffort
		default:
			c = v1.PodQOSGuaranteed
		}
		if qos == "" {
			qos = c
		} else if qos != c {
			return v1.PodQOSBurstable
		}
	}
	return qos
}
