package replicaset_test

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8stypes "k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/internal/apidefault"
	"github.com/kubepure/kubepure/replicaset"
)

func validState() replicaset.State {
	replicas := int32(2)
	labels := map[string]string{"app": "web"}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "rs-uid"},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: apidefault.Template(v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "web", Image: "nginx:1.27"}}},
			}),
		},
	}
	pod := func(name, uid string) *v1.Pod {
		return &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: k8stypes.UID("uid-" + uid), Labels: labels}}
	}
	return replicaset.State{ReplicaSet: rs, Pods: []*v1.Pod{pod("a", "a"), pod("b", "b")}}
}

// Each state below is one a real cluster never holds; each gets an error
// naming the field instead of a plan that would depend on it.
func TestRejectsWhatNoClusterHolds(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := replicaset.Reconcile(validState(), now); err != nil {
		t.Fatalf("the valid state is refused: %v", err)
	}
	for _, tc := range []struct {
		name    string
		breakIt func(*replicaset.State)
		want    string
	}{
		{"two pods of one name", func(s *replicaset.State) { s.Pods[1].Name = "a" }, "pods[1].metadata.name: Duplicate value"},
		{"one pod twice", func(s *replicaset.State) { s.Pods[1].UID = s.Pods[0].UID }, "pods[1].metadata.uid: Duplicate value"},
		{"two sibling ReplicaSets of one name", func(s *replicaset.State) {
			s.ReplicaSets = []*appsv1.ReplicaSet{s.ReplicaSet.DeepCopy(), s.ReplicaSet.DeepCopy()}
		}, "replicaSets[1].metadata.name: Duplicate value"},
		{"a template that skipped defaulting", func(s *replicaset.State) {
			s.ReplicaSet.Spec.Template.Spec.DNSPolicy = ""
		}, "replicaSet.spec.template.spec.dnsPolicy: Required value: the API server always sets it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := validState()
			tc.breakIt(&s)
			_, err := replicaset.Reconcile(s, now)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
