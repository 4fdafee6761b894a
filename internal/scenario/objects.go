package scenario

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/kubepure/kubepure/internal/apidefault"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Epoch is the clock every scenario starts at; ages count back from it.
var Epoch = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// Namespace is where scenario objects live unless a line says ns=.
const Namespace = "default"

// World is the set of objects a scenario's lines describe.
type World struct {
	Now         time.Time
	ReplicaSets []*appsv1.ReplicaSet
	Pods        []*v1.Pod
}

// Build turns parsed lines into objects. Owners (replicasets) are built
// before pods, so a pod may name an owner written below it.
func Build(lines []*Line, now time.Time) (*World, error) {
	w := &World{Now: now}
	for _, l := range lines {
		switch l.Kind {
		case "replicaset":
			rs, err := w.replicaSet(l)
			if err != nil {
				return nil, err
			}
			w.ReplicaSets = append(w.ReplicaSets, rs)
		case "pod":
		default:
			return nil, fmt.Errorf("unknown kind %q (want replicaset or pod)", l.Kind)
		}
	}
	for _, l := range lines {
		if l.Kind != "pod" {
			continue
		}
		p, err := w.pod(l)
		if err != nil {
			return nil, err
		}
		w.Pods = append(w.Pods, p)
	}
	for _, l := range lines {
		if err := l.Unused(); err != nil {
			return nil, err
		}
	}
	return w, nil
}

func (w *World) at(l *Line, key string) (*metav1.Time, error) {
	age, ok, err := l.Age(key)
	if err != nil || !ok {
		return nil, err
	}
	t := metav1.NewTime(w.Now.Add(-age))
	return &t, nil
}

// replicaSet reads: replicas, minReady, generation, observed, labels
// (template labels, default app=<name>), selector (default = labels), image,
// owner (a Deployment name), deleting=<age>, and the status as
// status=replicas/fullyLabeled/ready/available/terminating.
func (w *World) replicaSet(l *Line) (*appsv1.ReplicaSet, error) {
	replicas, err := l.Int("replicas", 1)
	if err != nil {
		return nil, err
	}
	minReady, err := l.Int("minReady", 0)
	if err != nil {
		return nil, err
	}
	gen, err := l.Int("generation", 1)
	if err != nil {
		return nil, err
	}
	observed, err := l.Int("observed", gen)
	if err != nil {
		return nil, err
	}
	labels, ok, err := l.Map("labels")
	if err != nil {
		return nil, err
	}
	if !ok {
		labels = map[string]string{"app": l.Name}
	}
	sel, ok, err := l.Map("selector")
	if err != nil {
		return nil, err
	}
	if !ok {
		sel = labels
	}
	deleting, err := w.at(l, "deleting")
	if err != nil {
		return nil, err
	}
	r32 := int32(replicas)
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: l.Name, Namespace: l.Str("ns", Namespace), UID: uid(l.Name),
			Generation: gen, DeletionTimestamp: deleting,
			CreationTimestamp: metav1.NewTime(w.Now.Add(-24 * time.Hour)),
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        &r32,
			MinReadySeconds: int32(minReady),
			Selector:        &metav1.LabelSelector{MatchLabels: sel},
			Template: apidefault.Template(v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: v1.PodSpec{
					Containers:    []v1.Container{{Name: "app", Image: l.Str("image", "nginx:1.25")}},
					RestartPolicy: v1.RestartPolicyAlways,
				},
			}),
		},
		Status: appsv1.ReplicaSetStatus{ObservedGeneration: observed},
	}
	if owner := l.Str("owner", ""); owner != "" {
		rs.OwnerReferences = []metav1.OwnerReference{controllerRef("Deployment", owner)}
	}
	if s := l.Str("status", ""); s != "" {
		var n [5]int32
		parts := strings.Split(s, "/")
		if len(parts) != 5 {
			return nil, fmt.Errorf("replicaset %s: status=%s: want replicas/fullyLabeled/ready/available/terminating", l.Name, s)
		}
		for i, p := range parts {
			v, err := strconv.ParseInt(p, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("replicaset %s: status=%s: %q is not a number", l.Name, s, p)
			}
			n[i] = int32(v)
		}
		rs.Status.Replicas, rs.Status.FullyLabeledReplicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = n[0], n[1], n[2], n[3]
		rs.Status.TerminatingReplicas = &n[4]
	}
	if l.Has("failure") {
		rs.Status.Conditions = []appsv1.ReplicaSetCondition{{
			Type: appsv1.ReplicaSetReplicaFailure, Status: v1.ConditionTrue, Reason: "FailedCreate",
			Message: "pods \"web-x\" is forbidden: exceeded quota", LastTransitionTime: metav1.NewTime(w.Now.Add(-time.Hour)),
		}}
	}
	return rs, nil
}

// pod reads: owner (a replicaset of the scenario, "none" for an orphan, or
// "other" for a pod another controller owns; default the first replicaset),
// labels (default the template labels of its owner, or of the first
// replicaset), node, phase (default
// Running), ready=<age> (Ready since then) or notready, created=<age>
// (default 1h), deleting=<age>, cost (pod-deletion-cost), restarts, ns.
func (w *World) pod(l *Line) (*v1.Pod, error) {
	created, err := w.at(l, "created")
	if err != nil {
		return nil, err
	}
	if created == nil {
		t := metav1.NewTime(w.Now.Add(-time.Hour))
		created = &t
	}
	deleting, err := w.at(l, "deleting")
	if err != nil {
		return nil, err
	}
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: l.Name, Namespace: l.Str("ns", Namespace), UID: uid(l.Name),
			CreationTimestamp: *created, DeletionTimestamp: deleting,
		},
		Spec:   v1.PodSpec{NodeName: l.Str("node", "")},
		Status: v1.PodStatus{Phase: v1.PodPhase(l.Str("phase", string(v1.PodRunning)))},
	}
	var ownerRS *appsv1.ReplicaSet
	if len(w.ReplicaSets) > 0 {
		p.Labels = maps.Clone(w.ReplicaSets[0].Spec.Template.Labels)
	}
	switch owner := l.Str("owner", ""); owner {
	case "none":
	case "other":
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("ReplicaSet", "other")}
	case "":
		if len(w.ReplicaSets) > 0 {
			ownerRS = w.ReplicaSets[0]
		}
	default:
		for _, rs := range w.ReplicaSets {
			if rs.Name == owner {
				ownerRS = rs
			}
		}
		if ownerRS == nil {
			return nil, fmt.Errorf("pod %s: owner=%s is not a replicaset of the scenario", l.Name, owner)
		}
	}
	if ownerRS != nil {
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("ReplicaSet", ownerRS.Name)}
		p.Labels = maps.Clone(ownerRS.Spec.Template.Labels)
	}
	if labels, ok, err := l.Map("labels"); err != nil {
		return nil, err
	} else if ok {
		p.Labels = labels
	}
	readySince, err := w.at(l, "ready")
	if err != nil {
		return nil, err
	}
	switch {
	case readySince != nil:
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: *readySince}}
	case l.Has("notready"):
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: *created}}
	}
	if cost := l.Str("cost", ""); cost != "" {
		p.Annotations = map[string]string{"controller.kubernetes.io/pod-deletion-cost": cost}
	}
	restarts, err := l.Int("restarts", 0)
	if err != nil {
		return nil, err
	}
	if restarts > 0 {
		p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "app", RestartCount: int32(restarts)}}
	}
	return p, nil
}

// uid derives a readable, stable UID from a name.
func uid(name string) types.UID { return types.UID(name + "-uid") }

func controllerRef(kind, name string) metav1.OwnerReference {
	yes := true
	return metav1.OwnerReference{APIVersion: "apps/v1", Kind: kind, Name: name, UID: uid(name), Controller: &yes, BlockOwnerDeletion: &yes}
}
