package backoff

import (
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func terminated(name string, s int) v1.ContainerStatus {
	return v1.ContainerStatus{Name: name, State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{FinishedAt: metav1.NewTime(at(s))}}}
}

func running(name string) v1.ContainerStatus {
	return v1.ContainerStatus{Name: name, State: v1.ContainerState{Running: &v1.ContainerStateRunning{}}}
}

func TestPodFinishedTime(t *testing.T) {
	always := v1.ContainerRestartPolicyAlways
	sidecarSpec := v1.PodSpec{InitContainers: []v1.Container{{Name: "init"}, {Name: "proxy", RestartPolicy: &always}}}
	readyFalse := v1.PodCondition{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: metav1.NewTime(at(50))}
	created := metav1.ObjectMeta{CreationTimestamp: metav1.NewTime(at(-100))}
	deleted := created
	deleted.DeletionTimestamp = ptr.To(metav1.NewTime(at(80)))
	deleted.DeletionGracePeriodSeconds = ptr.To[int64](30)

	tests := []struct {
		name string
		pod  *v1.Pod
		want time.Time
	}{
		{name: "nil pod", pod: nil, want: time.Time{}},
		{name: "latest regular container", pod: &v1.Pod{Status: v1.PodStatus{ContainerStatuses: []v1.ContainerStatus{terminated("a", 10), terminated("b", 20)}}}, want: at(20)},
		{
			name: "sidecar finishes later",
			pod: &v1.Pod{Spec: sidecarSpec, Status: v1.PodStatus{
				ContainerStatuses:     []v1.ContainerStatus{terminated("a", 10)},
				InitContainerStatuses: []v1.ContainerStatus{terminated("init", 99), terminated("proxy", 15)},
			}},
			want: at(15),
		},
		{
			name: "plain init containers are ignored",
			pod: &v1.Pod{Spec: sidecarSpec, Status: v1.PodStatus{
				ContainerStatuses:     []v1.ContainerStatus{terminated("a", 10)},
				InitContainerStatuses: []v1.ContainerStatus{terminated("init", 99)},
			}},
			want: at(10),
		},
		{
			name: "running sidecar voids step 1",
			pod: &v1.Pod{Spec: sidecarSpec, Status: v1.PodStatus{
				ContainerStatuses:     []v1.ContainerStatus{terminated("a", 10)},
				InitContainerStatuses: []v1.ContainerStatus{running("proxy")},
				Conditions:            []v1.PodCondition{readyFalse},
			}},
			want: at(50),
		},
		{
			name: "running regular container leaves the sidecar time",
			pod: &v1.Pod{Spec: sidecarSpec, Status: v1.PodStatus{
				ContainerStatuses:     []v1.ContainerStatus{terminated("a", 10), running("b")},
				InitContainerStatuses: []v1.ContainerStatus{terminated("proxy", 7)},
				Conditions:            []v1.PodCondition{readyFalse},
			}},
			want: at(7),
		},
		{
			name: "zero finishedAt voids step 1",
			pod: &v1.Pod{Status: v1.PodStatus{
				ContainerStatuses: []v1.ContainerStatus{{Name: "a", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{}}}},
				Conditions:        []v1.PodCondition{readyFalse},
			}},
			want: at(50),
		},
		{
			name: "ready true is not a finish",
			pod:  &v1.Pod{ObjectMeta: created, Status: v1.PodStatus{Conditions: []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(at(50))}}}},
			want: at(-100),
		},
		{
			name: "only the first ready condition counts",
			pod: &v1.Pod{ObjectMeta: created, Status: v1.PodStatus{Conditions: []v1.PodCondition{
				{Type: v1.PodReady, Status: v1.ConditionTrue},
				readyFalse,
			}}},
			want: at(-100),
		},
		{name: "deletion minus grace", pod: &v1.Pod{ObjectMeta: deleted}, want: at(50)},
		{name: "creation as last resort", pod: &v1.Pod{ObjectMeta: created}, want: at(-100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PodFinishedTime(tt.pod); !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
