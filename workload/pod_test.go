package workload

import (
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// fixtureNow is the "now" of every fixture in this package's floor tests.
var fixtureNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// podFixture describes a pod in the few words the predicate and ranking
// tests care about; build turns it into a *v1.Pod.
type podFixture struct {
	namespace, name, uid, node string
	phase                      v1.PodPhase
	// ready is the status of the Ready condition; empty means no condition.
	ready v1.ConditionStatus
	// readyFor is how long before fixtureNow the Ready condition last
	// changed; zeroReadyTime leaves lastTransitionTime zero instead.
	readyFor      time.Duration
	zeroReadyTime bool
	// age is how long before fixtureNow the pod was created; zeroCreated
	// leaves creationTimestamp zero instead.
	age             time.Duration
	zeroCreated     bool
	restarts        int32
	sidecarRestarts int32
	annotations     map[string]string
	deleting        bool
}

func (f podFixture) build() *v1.Pod {
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Namespace:   f.namespace,
			Name:        f.name,
			UID:         types.UID(f.uid),
			Annotations: f.annotations,
		},
		Spec:   v1.PodSpec{NodeName: f.node, Containers: []v1.Container{{Name: "app"}}},
		Status: v1.PodStatus{Phase: f.phase},
	}
	if p.UID == "" {
		p.UID = types.UID("uid-" + f.name)
	}
	if !f.zeroCreated {
		p.CreationTimestamp = metav1.NewTime(fixtureNow.Add(-f.age))
	}
	if f.deleting {
		ts := metav1.NewTime(fixtureNow)
		p.DeletionTimestamp = &ts
	}
	if f.ready != "" {
		c := v1.PodCondition{Type: v1.PodReady, Status: f.ready}
		if !f.zeroReadyTime {
			c.LastTransitionTime = metav1.NewTime(fixtureNow.Add(-f.readyFor))
		}
		p.Status.Conditions = append(p.Status.Conditions, c)
	}
	p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "app", RestartCount: f.restarts}}
	if f.sidecarRestarts != 0 {
		always := v1.ContainerRestartPolicyAlways
		p.Spec.InitContainers = []v1.Container{{Name: "proxy", RestartPolicy: &always}}
		p.Status.InitContainerStatuses = []v1.ContainerStatus{{Name: "proxy", RestartCount: f.sidecarRestarts}}
	}
	return p
}

func TestPodPhasePredicates(t *testing.T) {
	tests := []struct {
		name                                   string
		pod                                    *v1.Pod
		active, terminating, succeeded, failed bool
	}{
		{name: "nil pod", pod: nil},
		{name: "empty phase counts as active", pod: podFixture{name: "p"}.build(), active: true},
		{name: "pending", pod: podFixture{name: "p", phase: v1.PodPending}.build(), active: true},
		{name: "running", pod: podFixture{name: "p", phase: v1.PodRunning}.build(), active: true},
		{name: "unknown", pod: podFixture{name: "p", phase: v1.PodUnknown}.build(), active: true},
		{name: "succeeded", pod: podFixture{name: "p", phase: v1.PodSucceeded}.build(), succeeded: true},
		{name: "failed", pod: podFixture{name: "p", phase: v1.PodFailed}.build(), failed: true},
		{name: "running and deleted is terminating", pod: podFixture{name: "p", phase: v1.PodRunning, deleting: true}.build(), terminating: true},
		{name: "empty phase and deleted is terminating", pod: podFixture{name: "p", deleting: true}.build(), terminating: true},
		{name: "succeeded and deleted is neither", pod: podFixture{name: "p", phase: v1.PodSucceeded, deleting: true}.build(), succeeded: true},
		{name: "failed and deleted is neither", pod: podFixture{name: "p", phase: v1.PodFailed, deleting: true}.build(), failed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPodActive(tt.pod); got != tt.active {
				t.Errorf("IsPodActive = %v, want %v", got, tt.active)
			}
			if got := IsPodTerminating(tt.pod); got != tt.terminating {
				t.Errorf("IsPodTerminating = %v, want %v", got, tt.terminating)
			}
			if got := IsPodSucceeded(tt.pod); got != tt.succeeded {
				t.Errorf("IsPodSucceeded = %v, want %v", got, tt.succeeded)
			}
			if got := IsPodFailed(tt.pod); got != tt.failed {
				t.Errorf("IsPodFailed = %v, want %v", got, tt.failed)
			}
		})
	}
}

func TestIsPodReadyUsesFirstReadyCondition(t *testing.T) {
	tests := []struct {
		name       string
		conditions []v1.PodCondition
		want       bool
	}{
		{name: "no conditions", want: false},
		{name: "ready true", conditions: []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue}}, want: true},
		{name: "ready false", conditions: []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionFalse}}, want: false},
		{name: "ready unknown", conditions: []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionUnknown}}, want: false},
		{name: "containers ready is not ready", conditions: []v1.PodCondition{{Type: v1.ContainersReady, Status: v1.ConditionTrue}}, want: false},
		{name: "first ready condition wins over a later true one", conditions: []v1.PodCondition{
			{Type: v1.PodReady, Status: v1.ConditionFalse}, {Type: v1.PodReady, Status: v1.ConditionTrue},
		}, want: false},
		{name: "other conditions before ready are skipped", conditions: []v1.PodCondition{
			{Type: v1.PodScheduled, Status: v1.ConditionFalse}, {Type: v1.PodReady, Status: v1.ConditionTrue},
		}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &v1.Pod{Status: v1.PodStatus{Conditions: tt.conditions}}
			if got := IsPodReady(p); got != tt.want {
				t.Errorf("IsPodReady = %v, want %v", got, tt.want)
			}
		})
	}
	if IsPodReady(nil) || PodReadyCondition(nil) != nil {
		t.Error("a nil pod must be neither ready nor have a Ready condition")
	}
}

func TestIsPodAvailable(t *testing.T) {
	tests := []struct {
		name     string
		pod      podFixture
		minReady int32
		want     bool
	}{
		{name: "not ready is never available", pod: podFixture{ready: v1.ConditionFalse, readyFor: time.Hour}, minReady: 0, want: false},
		{name: "no ready condition", pod: podFixture{}, minReady: 0, want: false},
		{name: "ready with zero minReadySeconds", pod: podFixture{ready: v1.ConditionTrue}, minReady: 0, want: true},
		{name: "ready with zero transition time and zero minReadySeconds", pod: podFixture{ready: v1.ConditionTrue, zeroReadyTime: true}, minReady: 0, want: true},
		{name: "ready with zero transition time never becomes available", pod: podFixture{ready: v1.ConditionTrue, zeroReadyTime: true}, minReady: 5, want: false},
		{name: "boundary is inclusive", pod: podFixture{ready: v1.ConditionTrue, readyFor: 10 * time.Second}, minReady: 10, want: true},
		{name: "one nanosecond short", pod: podFixture{ready: v1.ConditionTrue, readyFor: 10*time.Second - 1}, minReady: 10, want: false},
		{name: "long ready", pod: podFixture{ready: v1.ConditionTrue, readyFor: time.Hour}, minReady: 10, want: true},
		{name: "ready in the future", pod: podFixture{ready: v1.ConditionTrue, readyFor: -time.Second}, minReady: 1, want: false},
		{name: "negative minReadySeconds", pod: podFixture{ready: v1.ConditionTrue, readyFor: -time.Second}, minReady: -2, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.pod.name = "p"
			if got := IsPodAvailable(tt.pod.build(), tt.minReady, fixtureNow); got != tt.want {
				t.Errorf("IsPodAvailable = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNextAvailabilityCheck(t *testing.T) {
	ready := func(name string, readyFor time.Duration) *v1.Pod {
		return podFixture{name: name, ready: v1.ConditionTrue, readyFor: readyFor}.build()
	}
	tests := []struct {
		name     string
		pods     []*v1.Pod
		minReady int32
		want     time.Duration
		wantOK   bool
	}{
		{name: "no pods", minReady: 10},
		{name: "zero minReadySeconds never waits", pods: []*v1.Pod{ready("a", time.Second)}, minReady: 0},
		{name: "one waiting pod", pods: []*v1.Pod{ready("a", 3*time.Second)}, minReady: 10, want: 7 * time.Second, wantOK: true},
		{name: "smallest wait wins", pods: []*v1.Pod{ready("a", 3*time.Second), ready("b", 8*time.Second), ready("c", time.Hour)}, minReady: 10, want: 2 * time.Second, wantOK: true},
		{name: "already available pods do not count", pods: []*v1.Pod{ready("a", 10*time.Second)}, minReady: 10},
		{name: "not ready pods do not count", pods: []*v1.Pod{podFixture{name: "a", ready: v1.ConditionFalse, readyFor: time.Second}.build()}, minReady: 10},
		{name: "zero transition time does not count", pods: []*v1.Pod{podFixture{name: "a", ready: v1.ConditionTrue, zeroReadyTime: true}.build()}, minReady: 10},
		{name: "nil pods are skipped", pods: []*v1.Pod{nil, ready("a", 9*time.Second)}, minReady: 10, want: time.Second, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NextAvailabilityCheck(tt.pods, tt.minReady, fixtureNow)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("NextAvailabilityCheck = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
