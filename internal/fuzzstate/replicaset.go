package fuzzstate

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/workload"
)

// ReplicaSet builds a ReplicaSet sync state: the ReplicaSet (owned by a
// Deployment or not), up to two siblings, and up to six pods that are the
// ReplicaSet's, a sibling's, orphans or a foreign controller's, with labels
// that match or not.
func ReplicaSet(r *Reader, now time.Time) replicaset.State {
	owned := !r.OneIn(3)
	rs := replicaSetObject(r, "rs", 0, owned, now)
	st := replicaset.State{ReplicaSet: rs, ExpectationsPending: r.OneIn(10)}
	for i := range r.Intn(3) {
		st.ReplicaSets = append(st.ReplicaSets, replicaSetObject(r, name("sib", i), i+1, owned || r.Bool(), now))
	}
	owners := append([]*appsv1.ReplicaSet{rs}, st.ReplicaSets...)
	for i := range r.Intn(7) {
		st.Pods = append(st.Pods, replicaSetPod(r, name("p", i), owners, now))
	}
	switch r.Intn(48) {
	case 1:
		st.ReplicaSet.Spec.Replicas = nil
	case 2:
		st.ReplicaSet.Spec.Selector = nil
	case 3:
		st.Pods = append(st.Pods, nil)
	case 4:
		st.ReplicaSet = nil
	case 5:
		st.ReplicaSet.Spec.Template.Spec.DNSPolicy = ""
	case 6:
		if len(st.Pods) > 0 {
			st.Pods = append(st.Pods, st.Pods[0])
		}
	}
	return st
}

// CloneReplicaSet deep-copies every object of s.
func CloneReplicaSet(s replicaset.State) replicaset.State {
	s.ReplicaSet = s.ReplicaSet.DeepCopy()
	s.Pods = cloneList(s.Pods)
	s.ReplicaSets = cloneList(s.ReplicaSets)
	return s
}

// PermuteReplicaSet reorders s's lists.
func PermuteReplicaSet(r *Reader, s replicaset.State) replicaset.State {
	s.Pods = Permute(r, s.Pods)
	s.ReplicaSets = Permute(r, s.ReplicaSets)
	return s
}

func replicaSetObject(r *Reader, rsName string, rev int, owned bool, now time.Time) *appsv1.ReplicaSet {
	replicas := int32(r.Intn(6))
	if r.OneIn(256) {
		// Beyond one sync's burst: rare, as it makes a plan of hundreds
		// of pods that slows every check down.
		replicas = replicaset.BurstReplicas + 3
	}
	gen := int64(r.IntRange(1, 3))
	sel := map[string]string{"app": "web", "rev": fmt.Sprint(rev)}
	if rev == 0 && r.Bool() {
		sel = map[string]string{"app": "web"}
	}
	labels := map[string]string{"app": "web", "rev": fmt.Sprint(rev)}
	if r.OneIn(3) {
		labels["tier"] = "fe"
	}
	rs := &appsv1.ReplicaSet{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: metav1.ObjectMeta{
			Name: rsName, Namespace: Namespace, UID: types.UID(rsName + "-uid"),
			Generation: gen, ResourceVersion: "100", CreationTimestamp: ago(r, now),
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        &replicas,
			MinReadySeconds: Pick[int32](r, 0, 0, 10, 60),
			Selector:        &metav1.LabelSelector{MatchLabels: sel},
			Template:        podTemplate(Pick(r, "nginx:1.25", "nginx:1.26"), labels, v1.RestartPolicyAlways),
		},
		Status: appsv1.ReplicaSetStatus{
			Replicas:             int32(r.Intn(5)),
			FullyLabeledReplicas: int32(r.Intn(5)),
			ReadyReplicas:        int32(r.Intn(5)),
			AvailableReplicas:    int32(r.Intn(5)),
			ObservedGeneration:   int64(r.IntRange(0, int(gen))),
		},
	}
	if r.Bool() {
		rs.Status.TerminatingReplicas = int32p(int32(r.Intn(3)))
	}
	if r.OneIn(5) {
		rs.Status.Conditions = []appsv1.ReplicaSetCondition{{
			Type: appsv1.ReplicaSetReplicaFailure, Status: v1.ConditionTrue, Reason: "FailedCreate",
			Message: "quota exceeded", LastTransitionTime: ago(r, now),
		}}
	}
	if owned {
		rs.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "Deployment", "web", "web-uid")}
	}
	if r.OneIn(8) {
		ts := ago(r, now)
		rs.DeletionTimestamp = &ts
	}
	mangleMeta(r, &rs.ObjectMeta)
	return rs
}

// replicaSetPod is a pod of one of owners, of a foreign ReplicaSet or of
// nobody, labelled like one of owners, like all of them, or like none.
func replicaSetPod(r *Reader, podName string, owners []*appsv1.ReplicaSet, now time.Time) *v1.Pod {
	o := owners[r.Intn(len(owners))]
	p := basePod(r, podName, &o.Spec.Template, now)
	switch r.Intn(5) {
	case 0: // orphan
	case 1:
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "ReplicaSet", "foreign", "foreign-uid")}
	default:
		p.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "ReplicaSet", o.Name, o.UID)}
	}
	switch r.Intn(6) {
	case 0:
		p.Labels = map[string]string{"app": "web"}
	case 1:
		p.Labels = map[string]string{"app": "other"}
	}
	if r.OneIn(4) {
		p.Annotations = map[string]string{workload.PodDeletionCostAnnotation: Pick(r, "0", "1", "-1", "100", "x", "2147483648")}
	}
	mangleMeta(r, &p.ObjectMeta)
	return p
}

// cloneList deep-copies each element, keeping nil entries and the
// difference between a nil and an empty list.
func cloneList[T interface{ DeepCopy() T }](in []T) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i, o := range in {
		out[i] = o.DeepCopy()
	}
	return out
}
