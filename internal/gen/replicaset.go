package gen

import (
	"fmt"
	"time"

	"github.com/kubepure/kubepure/internal/apidefault"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"
)

// Namespace is where generated objects live; OtherNamespace holds the few
// that must be ignored for being elsewhere.
const (
	Namespace      = "default"
	OtherNamespace = "elsewhere"
	// DeploymentName is the owner of generated ReplicaSets that have one.
	DeploymentName = "web"
)

// ReplicaSetState is a generated input of one ReplicaSet sync.
type ReplicaSetState struct {
	ReplicaSet *appsv1.ReplicaSet
	// Siblings are other ReplicaSets; those with the same controller share
	// pods' co-location ranks.
	Siblings []*appsv1.ReplicaSet
	Pods     []*v1.Pod
}

// Ages from which timestamps are drawn, chosen away from the powers of two
// (in nanoseconds) that bucket ages in the deletion ranking.
var ages = []time.Duration{
	3 * time.Second, 5 * time.Second, 6 * time.Second, 10 * time.Second, 12 * time.Second, 25 * time.Second, 45 * time.Second,
	60 * time.Second, 100 * time.Second, 5 * time.Minute, 12 * time.Minute, 50 * time.Minute,
	3 * time.Hour, 7 * time.Hour, 30 * time.Hour, 100 * time.Hour,
}

func age(t *rapid.T, label string) time.Duration {
	return rapid.SampledFrom(ages).Draw(t, label)
}

// ReplicaSet draws a ReplicaSet sync state at now.
func ReplicaSet(t *rapid.T, now time.Time) ReplicaSetState {
	owned := rapid.Bool().Draw(t, "owned")
	rs := replicaSet(t, "rs", 0, owned, now)
	var st ReplicaSetState
	st.ReplicaSet = rs
	for i := range rapid.IntRange(0, 2).Draw(t, "siblings") {
		st.Siblings = append(st.Siblings, replicaSet(t, fmt.Sprintf("sib%d", i), i+1, owned || rapid.Bool().Draw(t, "sibOwned"), now))
	}
	n := rapid.IntRange(0, 12).Draw(t, "pods")
	owners := append([]*appsv1.ReplicaSet{rs}, st.Siblings...)
	for i := range n {
		st.Pods = append(st.Pods, pod(t, fmt.Sprintf("p%02d", i), owners, now))
	}
	return st
}

func replicaSet(t *rapid.T, name string, rev int, owned bool, now time.Time) *appsv1.ReplicaSet {
	replicas := rapid.IntRange(0, 8).Draw(t, name+".replicas")
	if rapid.IntRange(0, 99).Draw(t, name+".burst") == 57 {
		// Beyond one sync's burst of creations.
		replicas = 520
	}
	r32 := int32(replicas)
	gen := rapid.Int64Range(1, 3).Draw(t, name+".generation")
	sel := map[string]string{"app": "web", "rev": fmt.Sprint(rev)}
	if rev == 0 && rapid.Bool().Draw(t, name+".broadSelector") {
		sel = map[string]string{"app": "web"}
	}
	tmplLabels := map[string]string{"app": "web", "rev": fmt.Sprint(rev)}
	if rapid.Bool().Draw(t, name+".extraLabel") {
		tmplLabels["tier"] = "fe"
	}
	rs := &appsv1.ReplicaSet{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: Namespace, UID: types.UID(name + "-uid"),
			Generation: gen, ResourceVersion: "100",
			CreationTimestamp: metav1.NewTime(now.Add(-age(t, name+".created"))),
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        &r32,
			MinReadySeconds: rapid.SampledFrom([]int32{0, 0, 5, 10, 60}).Draw(t, name+".minReady"),
			Selector:        &metav1.LabelSelector{MatchLabels: sel},
			Template: apidefault.Template(v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: tmplLabels},
				Spec: v1.PodSpec{
					Containers:    []v1.Container{{Name: "app", Image: "nginx:1.25"}},
					RestartPolicy: v1.RestartPolicyAlways,
				},
			}),
		},
		Status: appsv1.ReplicaSetStatus{
			Replicas:             int32(rapid.IntRange(0, 8).Draw(t, name+".status.replicas")),
			FullyLabeledReplicas: int32(rapid.IntRange(0, 8).Draw(t, name+".status.fullyLabeled")),
			ReadyReplicas:        int32(rapid.IntRange(0, 8).Draw(t, name+".status.ready")),
			AvailableReplicas:    int32(rapid.IntRange(0, 8).Draw(t, name+".status.available")),
			ObservedGeneration:   rapid.Int64Range(0, gen).Draw(t, name+".status.observed"),
		},
	}
	if rapid.Bool().Draw(t, name+".terminatingSet") {
		n := int32(rapid.IntRange(0, 3).Draw(t, name+".status.terminating"))
		rs.Status.TerminatingReplicas = &n
	}
	if rapid.IntRange(0, 5).Draw(t, name+".failure") == 0 {
		rs.Status.Conditions = []appsv1.ReplicaSetCondition{{
			Type: appsv1.ReplicaSetReplicaFailure, Status: v1.ConditionTrue, Reason: "FailedCreate",
			Message: "quota exceeded", LastTransitionTime: metav1.NewTime(now.Add(-time.Hour).Truncate(time.Second)),
		}}
	}
	if owned {
		rs.OwnerReferences = []metav1.OwnerReference{ControllerRef("Deployment", DeploymentName)}
	}
	if rapid.IntRange(0, 7).Draw(t, name+".deleting") == 0 {
		ts := metav1.NewTime(now.Add(-time.Second).Truncate(time.Second))
		rs.DeletionTimestamp = &ts
	}
	return rs
}

// ControllerRef is the controller reference of an owner named name with a
// UID derived from the name.
func ControllerRef(kind, name string) metav1.OwnerReference {
	yes := true
	return metav1.OwnerReference{APIVersion: "apps/v1", Kind: kind, Name: name, UID: types.UID(name + "-uid"), Controller: &yes, BlockOwnerDeletion: &yes}
}

// pod draws a pod controlled by one of owners, by a foreign controller, or by
// nobody, with labels that may or may not match.
func pod(t *rapid.T, name string, owners []*appsv1.ReplicaSet, now time.Time) *v1.Pod {
	created := now.Add(-age(t, name+".created")).Truncate(time.Second)
	p := &v1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: Namespace, UID: types.UID(name + "-uid"), ResourceVersion: "10",
			CreationTimestamp: metav1.NewTime(created),
		},
		Spec: v1.PodSpec{
			NodeName:      rapid.SampledFrom([]string{"", "n1", "n1", "n2", "n3"}).Draw(t, name+".node"),
			Containers:    []v1.Container{{Name: "app", Image: "nginx:1.25"}},
			RestartPolicy: v1.RestartPolicyAlways,
		},
		Status: v1.PodStatus{Phase: rapid.SampledFrom([]v1.PodPhase{
			v1.PodRunning, v1.PodRunning, v1.PodRunning, v1.PodPending, v1.PodUnknown, v1.PodSucceeded, v1.PodFailed, "",
		}).Draw(t, name+".phase")},
	}
	owner := rapid.IntRange(-2, len(owners)-1).Draw(t, name+".owner")
	switch {
	case owner == -2:
		p.OwnerReferences = []metav1.OwnerReference{ControllerRef("ReplicaSet", "foreign")}
	case owner >= 0:
		p.OwnerReferences = []metav1.OwnerReference{ControllerRef("ReplicaSet", owners[owner].Name)}
	}
	labelChoice := rapid.IntRange(0, len(owners)+1).Draw(t, name+".labels")
	switch {
	case labelChoice < len(owners):
		p.Labels = map[string]string{}
		for k, v := range owners[labelChoice].Spec.Template.Labels {
			p.Labels[k] = v
		}
	case labelChoice == len(owners):
		p.Labels = map[string]string{"app": "web"}
	default:
		p.Labels = map[string]string{"app": "other"}
	}
	if rapid.IntRange(0, 9).Draw(t, name+".otherNamespace") == 0 {
		p.Namespace = OtherNamespace
	}
	switch rapid.IntRange(0, 3).Draw(t, name+".ready") {
	case 1:
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: metav1.NewTime(created)}}
	case 2, 3:
		since := now.Add(-age(t, name+".readySince")).Truncate(time.Second)
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(since)}}
	}
	if rapid.IntRange(0, 5).Draw(t, name+".deleting") == 0 {
		ts := metav1.NewTime(now.Add(-age(t, name+".deletedAt")).Truncate(time.Second))
		p.DeletionTimestamp = &ts
	}
	if rapid.IntRange(0, 3).Draw(t, name+".hasCost") == 0 {
		p.Annotations = map[string]string{"controller.kubernetes.io/pod-deletion-cost": rapid.SampledFrom([]string{
			"0", "1", "-1", "100", "-100", "+5", "007", "x", "2147483648",
		}).Draw(t, name+".cost")}
	}
	if restarts := rapid.IntRange(0, 3).Draw(t, name+".restarts"); restarts > 0 {
		p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "app", RestartCount: int32(restarts)}}
	}
	return p
}
