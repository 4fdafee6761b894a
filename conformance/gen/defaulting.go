package gen

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"
)

// DefaultingKinds are the kinds DefaultingObject draws, in the order the
// defaulting comparison runs them.
func DefaultingKinds() []string {
	return []string{"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision", "Job", "CronJob", "Pod", "Node", "PersistentVolumeClaim", "Namespace"}
}

// DefaultingObject draws an object of kind for the defaulting comparison.
// One time in five every field is filled at random (FillObject); otherwise
// the object is built so that each defaulted field is sometimes set and
// sometimes not, with templates from DefaultingTemplate.
func DefaultingObject(t *rapid.T, kind string) runtime.Object {
	obj := emptyObject(kind)
	if rapid.IntRange(0, 4).Draw(t, "filled") == 0 {
		FillObject(rapid.Int64().Draw(t, "fillSeed"), obj)
		return obj
	}
	switch o := obj.(type) {
	case *appsv1.Deployment:
		o.ObjectMeta = defaultingMeta(t)
		o.Spec.Replicas = optionalInt32(t, "replicas", 0, 3)
		o.Spec.Strategy.Type = rapid.SampledFrom([]appsv1.DeploymentStrategyType{"", appsv1.RollingUpdateDeploymentStrategyType, appsv1.RecreateDeploymentStrategyType}).Draw(t, "strategy")
		if rapid.Bool().Draw(t, "rollingUpdate") {
			o.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxSurge: optionalIntOrString(t, "maxSurge"), MaxUnavailable: optionalIntOrString(t, "maxUnavailable")}
		}
		o.Spec.RevisionHistoryLimit = optionalInt32(t, "revisionHistoryLimit", 0, 5)
		o.Spec.ProgressDeadlineSeconds = optionalInt32(t, "progressDeadlineSeconds", 60, 900)
		o.Spec.MinReadySeconds = rapid.Int32Range(0, 10).Draw(t, "minReadySeconds")
		o.Spec.Template = DefaultingTemplate(t, "template")
	case *appsv1.ReplicaSet:
		o.ObjectMeta = defaultingMeta(t)
		o.Spec.Replicas = optionalInt32(t, "replicas", 0, 3)
		o.Spec.Template = DefaultingTemplate(t, "template")
	case *appsv1.DaemonSet:
		o.ObjectMeta = defaultingMeta(t)
		o.Spec.UpdateStrategy.Type = rapid.SampledFrom([]appsv1.DaemonSetUpdateStrategyType{"", appsv1.RollingUpdateDaemonSetStrategyType, appsv1.OnDeleteDaemonSetStrategyType}).Draw(t, "strategy")
		if rapid.Bool().Draw(t, "rollingUpdate") {
			o.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateDaemonSet{MaxSurge: optionalIntOrString(t, "maxSurge"), MaxUnavailable: optionalIntOrString(t, "maxUnavailable")}
		}
		o.Spec.RevisionHistoryLimit = optionalInt32(t, "revisionHistoryLimit", 0, 5)
		o.Spec.Template = DefaultingTemplate(t, "template")
	case *appsv1.StatefulSet:
		defaultingStatefulSet(t, o)
	case *appsv1.ControllerRevision:
		o.ObjectMeta = defaultingMeta(t)
		o.Revision = rapid.Int64Range(0, 5).Draw(t, "revision")
		if rapid.Bool().Draw(t, "data") {
			o.Data.Raw = []byte(`{"spec":{"template":{"$patch":"replace"}}}`)
		}
	case *batchv1.Job:
		o.ObjectMeta = defaultingMeta(t)
		o.Spec = defaultingJobSpec(t, "job")
	case *batchv1.CronJob:
		o.ObjectMeta = defaultingMeta(t)
		o.Spec.Schedule = "*/5 * * * *"
		o.Spec.ConcurrencyPolicy = rapid.SampledFrom([]batchv1.ConcurrencyPolicy{"", batchv1.AllowConcurrent, batchv1.ForbidConcurrent, batchv1.ReplaceConcurrent}).Draw(t, "concurrency")
		o.Spec.Suspend = optionalBool(t, "suspend")
		o.Spec.SuccessfulJobsHistoryLimit = optionalInt32(t, "successfulJobsHistoryLimit", 0, 5)
		o.Spec.FailedJobsHistoryLimit = optionalInt32(t, "failedJobsHistoryLimit", 0, 5)
		o.Spec.JobTemplate.Labels = stringMap(t, "jobTemplateLabels", []string{"app"}, []string{"batch"})
		o.Spec.JobTemplate.Spec = defaultingJobSpec(t, "jobTemplate")
	case *v1.Pod:
		o.ObjectMeta = defaultingMeta(t)
		o.Spec = DefaultingPodSpec(t, "pod")
		o.Status.PodIP = rapid.SampledFrom([]string{"", "10.0.0.1"}).Draw(t, "podIP")
		for _, ip := range rapid.SliceOfN(rapid.SampledFrom([]string{"10.0.0.1", "10.0.0.2", "fd00::1"}), 0, 2).Draw(t, "podIPs") {
			o.Status.PodIPs = append(o.Status.PodIPs, v1.PodIP{IP: ip})
		}
		if rapid.Bool().Draw(t, "containerStatus") {
			o.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "c0", AllocatedResources: defaultingResources(t, "allocated"),
				Resources: &v1.ResourceRequirements{Limits: defaultingResources(t, "statusLimits")}}}
		}
	case *v1.Node:
		o.ObjectMeta = defaultingMeta(t)
		o.Status.Capacity = defaultingResources(t, "capacity")
		o.Status.Allocatable = defaultingResources(t, "allocatable")
	case *v1.PersistentVolumeClaim:
		o.ObjectMeta = defaultingMeta(t)
		o.Spec = DefaultingClaimSpec(t, "claim")
		o.Status.Phase = rapid.SampledFrom([]v1.PersistentVolumeClaimPhase{"", v1.ClaimBound}).Draw(t, "phase")
		o.Status.Capacity = defaultingResources(t, "capacity")
	case *v1.Namespace:
		o.ObjectMeta = defaultingMeta(t)
		o.Status.Phase = rapid.SampledFrom([]v1.NamespacePhase{"", v1.NamespaceTerminating}).Draw(t, "phase")
	}
	return obj
}

func emptyObject(kind string) runtime.Object {
	switch kind {
	case "Deployment":
		return &appsv1.Deployment{}
	case "ReplicaSet":
		return &appsv1.ReplicaSet{}
	case "DaemonSet":
		return &appsv1.DaemonSet{}
	case "StatefulSet":
		return &appsv1.StatefulSet{}
	case "ControllerRevision":
		return &appsv1.ControllerRevision{}
	case "Job":
		return &batchv1.Job{}
	case "CronJob":
		return &batchv1.CronJob{}
	case "Pod":
		return &v1.Pod{}
	case "Node":
		return &v1.Node{}
	case "PersistentVolumeClaim":
		return &v1.PersistentVolumeClaim{}
	case "Namespace":
		return &v1.Namespace{}
	}
	panic(fmt.Sprintf("gen: no defaulting generator for kind %q", kind))
}

// defaultingMeta draws a name (or only a generateName) and labels that are
// nil, empty or set, and sometimes already the namespace name label.
func defaultingMeta(t *rapid.T) metav1.ObjectMeta {
	m := metav1.ObjectMeta{Namespace: "default"}
	if rapid.IntRange(0, 4).Draw(t, "generateName") == 0 {
		m.GenerateName = "obj-"
	} else {
		m.Name = rapid.SampledFrom([]string{"web", "job-1", "kube-system"}).Draw(t, "name")
	}
	m.Labels = stringMap(t, "metaLabels", []string{"app", "kubernetes.io/metadata.name"}, []string{"web", "other"})
	return m
}

func defaultingStatefulSet(t *rapid.T, o *appsv1.StatefulSet) {
	o.ObjectMeta = defaultingMeta(t)
	o.Spec.Replicas = optionalInt32(t, "replicas", 0, 3)
	o.Spec.RevisionHistoryLimit = optionalInt32(t, "revisionHistoryLimit", 0, 5)
	o.Spec.PodManagementPolicy = rapid.SampledFrom([]appsv1.PodManagementPolicyType{"", appsv1.OrderedReadyPodManagement, appsv1.ParallelPodManagement}).Draw(t, "podManagement")
	o.Spec.UpdateStrategy.Type = rapid.SampledFrom([]appsv1.StatefulSetUpdateStrategyType{"", appsv1.RollingUpdateStatefulSetStrategyType, appsv1.OnDeleteStatefulSetStrategyType}).Draw(t, "strategy")
	if rapid.Bool().Draw(t, "rollingUpdate") {
		o.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: optionalInt32(t, "partition", 0, 3), MaxUnavailable: optionalIntOrString(t, "maxUnavailable")}
	}
	switch rapid.IntRange(0, 2).Draw(t, "retention") {
	case 1:
		o.Spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{}
	case 2:
		o.Spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{
			WhenDeleted: rapid.SampledFrom([]appsv1.PersistentVolumeClaimRetentionPolicyType{"", appsv1.DeletePersistentVolumeClaimRetentionPolicyType}).Draw(t, "whenDeleted"),
			WhenScaled:  rapid.SampledFrom([]appsv1.PersistentVolumeClaimRetentionPolicyType{"", appsv1.DeletePersistentVolumeClaimRetentionPolicyType}).Draw(t, "whenScaled"),
		}
	}
	o.Spec.Template = DefaultingTemplate(t, "template")
	for i := range rapid.IntRange(0, 2).Draw(t, "claimTemplates") {
		c := v1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("data%d", i)}, Spec: DefaultingClaimSpec(t, "claimTemplate")}
		c.Status.Phase = rapid.SampledFrom([]v1.PersistentVolumeClaimPhase{"", v1.ClaimBound}).Draw(t, "claimPhase")
		o.Spec.VolumeClaimTemplates = append(o.Spec.VolumeClaimTemplates, c)
	}
}

func defaultingJobSpec(t *rapid.T, label string) batchv1.JobSpec {
	var s batchv1.JobSpec
	s.Completions = optionalInt32(t, label+".completions", 0, 5)
	s.Parallelism = optionalInt32(t, label+".parallelism", 0, 5)
	s.BackoffLimit = optionalInt32(t, label+".backoffLimit", 0, 10)
	s.BackoffLimitPerIndex = optionalInt32(t, label+".backoffLimitPerIndex", 0, 3)
	if rapid.Bool().Draw(t, label+".completionMode") {
		s.CompletionMode = new(rapid.SampledFrom([]batchv1.CompletionMode{batchv1.IndexedCompletion, batchv1.NonIndexedCompletion}).Draw(t, label+".completionModeValue"))
	}
	s.Suspend = optionalBool(t, label+".suspend")
	s.ManualSelector = optionalBool(t, label+".manualSelector")
	if rapid.Bool().Draw(t, label+".replacement") {
		s.PodReplacementPolicy = new(rapid.SampledFrom([]batchv1.PodReplacementPolicy{batchv1.Failed, batchv1.TerminatingOrFailed}).Draw(t, label+".replacementValue"))
	}
	if rapid.Bool().Draw(t, label+".podFailurePolicy") {
		s.PodFailurePolicy = &batchv1.PodFailurePolicy{}
		for range rapid.IntRange(0, 2).Draw(t, label+".rules") {
			rule := batchv1.PodFailurePolicyRule{Action: batchv1.PodFailurePolicyActionIgnore}
			for range rapid.IntRange(0, 2).Draw(t, label+".patterns") {
				rule.OnPodConditions = append(rule.OnPodConditions, batchv1.PodFailurePolicyOnPodConditionsPattern{
					Type:   v1.DisruptionTarget,
					Status: rapid.SampledFrom([]v1.ConditionStatus{"", v1.ConditionFalse}).Draw(t, label+".patternStatus"),
				})
			}
			s.PodFailurePolicy.Rules = append(s.PodFailurePolicy.Rules, rule)
		}
	}
	s.Template = DefaultingTemplate(t, label+".template")
	return s
}

func optionalInt32(t *rapid.T, label string, lo, hi int32) *int32 {
	if rapid.Bool().Draw(t, label) {
		return nil
	}
	v := rapid.Int32Range(lo, hi).Draw(t, label+".value")
	return &v
}

func optionalIntOrString(t *rapid.T, label string) *intstr.IntOrString {
	switch rapid.IntRange(0, 2).Draw(t, label) {
	case 0:
		return nil
	case 1:
		v := intstr.FromInt32(rapid.Int32Range(0, 3).Draw(t, label+".int"))
		return &v
	}
	v := intstr.FromString(rapid.SampledFrom([]string{"0%", "10%", "50%"}).Draw(t, label+".percent"))
	return &v
}
