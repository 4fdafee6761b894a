package apidefault

import (
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Workload defaults shared by the apps/v1 kinds.
const (
	defaultReplicas             = int32(1)
	defaultRevisionHistoryLimit = int32(10)
	defaultProgressDeadline     = int32(600)
)

// Deployment defaults a Deployment in place: one replica, the
// RollingUpdate strategy with 25% maxSurge and maxUnavailable (each only
// when unset; a Recreate strategy gets no rolling parameters), a history
// of 10 revisions, a 600-second progress deadline, and the template (see
// PodSpec).
func Deployment(d *appsv1.Deployment) {
	if d == nil {
		return
	}
	spec := &d.Spec
	setNil(&spec.Replicas, defaultReplicas)
	if spec.Strategy.Type == "" {
		spec.Strategy.Type = appsv1.RollingUpdateDeploymentStrategyType
	}
	if spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType {
		if spec.Strategy.RollingUpdate == nil {
			spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{}
		}
		ru := spec.Strategy.RollingUpdate
		setNil(&ru.MaxUnavailable, intstr.FromString("25%"))
		setNil(&ru.MaxSurge, intstr.FromString("25%"))
	}
	setNil(&spec.RevisionHistoryLimit, defaultRevisionHistoryLimit)
	setNil(&spec.ProgressDeadlineSeconds, defaultProgressDeadline)
	PodSpec(&spec.Template.Spec)
}

// ReplicaSet defaults a ReplicaSet in place: one replica and the template.
func ReplicaSet(rs *appsv1.ReplicaSet) {
	if rs == nil {
		return
	}
	setNil(&rs.Spec.Replicas, defaultReplicas)
	PodSpec(&rs.Spec.Template.Spec)
}

// DaemonSet defaults a DaemonSet in place: the RollingUpdate strategy with
// maxUnavailable 1 and maxSurge 0 as integers (each only when unset;
// OnDelete gets nothing), a history of 10 revisions, and the template.
func DaemonSet(ds *appsv1.DaemonSet) {
	if ds == nil {
		return
	}
	us := &ds.Spec.UpdateStrategy
	if us.Type == "" {
		us.Type = appsv1.RollingUpdateDaemonSetStrategyType
	}
	if us.Type == appsv1.RollingUpdateDaemonSetStrategyType {
		if us.RollingUpdate == nil {
			us.RollingUpdate = &appsv1.RollingUpdateDaemonSet{}
		}
		setNil(&us.RollingUpdate.MaxUnavailable, intstr.FromInt32(1))
		setNil(&us.RollingUpdate.MaxSurge, intstr.FromInt32(0))
	}
	setNil(&ds.Spec.RevisionHistoryLimit, defaultRevisionHistoryLimit)
	PodSpec(&ds.Spec.Template.Spec)
}

// StatefulSet defaults a StatefulSet in place: OrderedReady pod
// management; an update strategy with no type becomes RollingUpdate with
// partition 0 and maxUnavailable 1 (MaxUnavailableStatefulSet is on by
// default in 1.37), while an explicit RollingUpdate without parameters
// keeps them nil; claims retained when deleted and when scaled; one
// replica; a history of 10 revisions; the template; and each claim
// template as a claim (so each shows status.phase Pending).
func StatefulSet(ss *appsv1.StatefulSet) {
	if ss == nil {
		return
	}
	spec := &ss.Spec
	if spec.PodManagementPolicy == "" {
		spec.PodManagementPolicy = appsv1.OrderedReadyPodManagement
	}
	us := &spec.UpdateStrategy
	if us.Type == "" {
		us.Type = appsv1.RollingUpdateStatefulSetStrategyType
		if us.RollingUpdate == nil {
			us.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{}
		}
	}
	if us.Type == appsv1.RollingUpdateStatefulSetStrategyType && us.RollingUpdate != nil {
		setNil(&us.RollingUpdate.Partition, 0)
		setNil(&us.RollingUpdate.MaxUnavailable, intstr.FromInt32(1))
	}
	if spec.PersistentVolumeClaimRetentionPolicy == nil {
		spec.PersistentVolumeClaimRetentionPolicy = &appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy{}
	}
	rp := spec.PersistentVolumeClaimRetentionPolicy
	if rp.WhenDeleted == "" {
		rp.WhenDeleted = appsv1.RetainPersistentVolumeClaimRetentionPolicyType
	}
	if rp.WhenScaled == "" {
		rp.WhenScaled = appsv1.RetainPersistentVolumeClaimRetentionPolicyType
	}
	setNil(&spec.Replicas, defaultReplicas)
	setNil(&spec.RevisionHistoryLimit, defaultRevisionHistoryLimit)
	PodSpec(&spec.Template.Spec)
	for i := range spec.VolumeClaimTemplates {
		claim(&spec.VolumeClaimTemplates[i])
	}
}

// ControllerRevision leaves a ControllerRevision as it is: apps/v1
// registers no defaults for it (its data is opaque to the API server).
func ControllerRevision(*appsv1.ControllerRevision) {}

// setNil points *p at a new copy of value when it is nil.
func setNil[T any](p **T, value T) {
	if *p == nil {
		*p = &value
	}
}
