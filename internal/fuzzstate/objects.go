package fuzzstate

import (
	"fmt"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/internal/apidefault"
)

// Namespace holds the objects a builder makes; OtherNamespace the few that
// a controller must ignore for being elsewhere.
const (
	Namespace      = "default"
	OtherNamespace = "elsewhere"
)

// Now is the clock the builders set their timestamps against: a fixed
// instant, so that a fuzz input alone decides the state.
var Now = time.Date(2026, 3, 8, 9, 30, 0, 0, time.UTC)

// ages are the distances from now that timestamps are drawn at: short
// ones around minReadySeconds and deadlines, long ones for history.
var ages = []time.Duration{
	0, time.Second, 5 * time.Second, 10 * time.Second, 29 * time.Second, 31 * time.Second,
	time.Minute, 5 * time.Minute, time.Hour, 30 * time.Hour,
}

// ago draws a past time near now, whole seconds as the API server stores.
func ago(r *Reader, now time.Time) metav1.Time {
	return metav1.NewTime(now.Add(-Pick(r, ages...)).Truncate(time.Second))
}

// controllerRef is a controller owner reference.
func controllerRef(apiVersion, kind, name string, uid types.UID) metav1.OwnerReference {
	yes := true
	return metav1.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: name, UID: uid, Controller: &yes, BlockOwnerDeletion: &yes}
}

// podTemplate is a template as the API server stores it: labels, one or
// two containers, and every always-defaulted field filled in.
func podTemplate(image string, labels map[string]string, restart v1.RestartPolicy) v1.PodTemplateSpec {
	t := v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: copyLabels(labels)},
		Spec: v1.PodSpec{
			Containers:    []v1.Container{{Name: "app", Image: image}},
			RestartPolicy: restart,
		},
	}
	apidefault.PodTemplate(&t)
	return t
}

func copyLabels(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// podPhases favour running pods, then cover every phase and the empty one
// a freshly created pod has.
var podPhases = []v1.PodPhase{v1.PodRunning, v1.PodRunning, v1.PodPending, v1.PodSucceeded, v1.PodFailed, v1.PodUnknown, ""}

// basePod is a pod named name in namespace ns built from template t: a
// phase, readiness with its transition time, a node, perhaps a deletion
// timestamp and container restarts. The caller sets owner and labels.
func basePod(r *Reader, name string, t *v1.PodTemplateSpec, now time.Time) *v1.Pod {
	p := &v1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: Namespace, UID: types.UID(name + "-uid"), ResourceVersion: "10",
			CreationTimestamp: ago(r, now),
			Labels:            copyLabels(t.Labels),
		},
		Spec:   *t.Spec.DeepCopy(),
		Status: v1.PodStatus{Phase: Pick(r, podPhases...)},
	}
	p.Spec.NodeName = Pick(r, "", "n1", "n1", "n2")
	switch r.Intn(4) {
	case 1:
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: p.CreationTimestamp}}
	case 2, 3:
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: ago(r, now)}}
	}
	if r.OneIn(5) {
		ts := ago(r, now)
		p.DeletionTimestamp = &ts
		grace := int64(30)
		p.DeletionGracePeriodSeconds = &grace
	}
	if n := r.Intn(4); n > 0 && r.Bool() {
		p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "app", RestartCount: int32(n)}}
	}
	if r.OneIn(12) {
		p.Namespace = OtherNamespace
	}
	return p
}

// mangleMeta breaks, rarely, what every stored object has: a name or a UID.
func mangleMeta(r *Reader, m *metav1.ObjectMeta) {
	if !r.OneIn(40) {
		return
	}
	if r.Bool() {
		m.Name = ""
	} else {
		m.UID = ""
	}
}

func int32p(v int32) *int32 { return &v }

func int64p(v int64) *int64 { return &v }

func name(prefix string, i int) string { return fmt.Sprintf("%s%d", prefix, i) }
