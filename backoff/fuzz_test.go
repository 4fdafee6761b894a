package backoff

import (
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FuzzPodFinishedTime builds pods with any mix of container states,
// conditions and timestamps, and checks that PodFinishedTime never panics,
// returns one of the pod's own timestamps, and that a time it takes from
// the containers is the latest of them.
func FuzzPodFinishedTime(f *testing.F) {
	f.Add(int64(10), int64(20), true, true, false, int64(30), "False", int64(40), int64(5), int64(0))
	f.Add(int64(0), int64(0), false, false, true, int64(0), "True", int64(0), int64(-5), int64(1))
	f.Fuzz(func(t *testing.T, fin1, fin2 int64, term1, term2, sidecar bool, ready int64, readyStatus string, del, grace, created int64) {
		ts := func(s int64) metav1.Time {
			if s == 0 {
				return metav1.Time{}
			}
			return metav1.NewTime(time.Unix(s%1e10, 0))
		}
		status := func(name string, term bool, s int64) v1.ContainerStatus {
			cs := v1.ContainerStatus{Name: name}
			if term {
				cs.State.Terminated = &v1.ContainerStateTerminated{FinishedAt: ts(s)}
			}
			return cs
		}
		p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{CreationTimestamp: ts(created)}}
		p.Status.ContainerStatuses = []v1.ContainerStatus{status("a", term1, fin1)}
		if sidecar {
			always := v1.ContainerRestartPolicyAlways
			p.Spec.InitContainers = []v1.Container{{Name: "s", RestartPolicy: &always}}
			p.Status.InitContainerStatuses = []v1.ContainerStatus{status("s", term2, fin2)}
		} else {
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, status("b", term2, fin2))
		}
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionStatus(readyStatus), LastTransitionTime: ts(ready)}}
		if del != 0 {
			d := ts(del)
			p.DeletionTimestamp = &d
			p.DeletionGracePeriodSeconds = &grace
		}
		before := p.DeepCopy()
		got := PodFinishedTime(p)
		candidates := []time.Time{ts(fin1).Time, ts(fin2).Time, ts(ready).Time, p.CreationTimestamp.Time}
		if p.DeletionTimestamp != nil {
			candidates = append(candidates, p.DeletionTimestamp.Add(-time.Duration(grace)*time.Second))
		}
		found := false
		for _, c := range candidates {
			found = found || c.Equal(got)
		}
		if !found {
			t.Fatalf("finish time %v is none of the pod's timestamps", got)
		}
		if term1 && term2 && fin1 != 0 && fin2 != 0 {
			want := ts(fin1).Time
			if ts(fin2).After(want) {
				want = ts(fin2).Time
			}
			if !got.Equal(want) {
				t.Fatalf("got %v, want the latest container finish %v", got, want)
			}
		}
		if !equality.Semantic.DeepEqual(p, before) {
			t.Fatal("pod mutated")
		}
	})
}
