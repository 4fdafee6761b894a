package cluster

import (
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
)

// TestDefaultRejectsUnsupportedKinds checks that an object Default does
// not know is an error naming its type, and is left unchanged.
func TestDefaultRejectsUnsupportedKinds(t *testing.T) {
	svc := &v1.Service{}
	err := Default(svc)
	if err == nil || !strings.Contains(err.Error(), "Service") {
		t.Fatalf("Default(Service) = %v, want an error naming the type", err)
	}
	if svc.Spec.Type != "" {
		t.Errorf("Default changed an unsupported object: %+v", svc.Spec)
	}
}

// TestDefaultIsIdempotent checks that defaulting a defaulted object
// changes nothing, as the API server re-defaults on every read.
func TestDefaultIsIdempotent(t *testing.T) {
	pod := &v1.Pod{Spec: v1.PodSpec{Containers: []v1.Container{{Name: "a", Image: "busybox", Ports: []v1.ContainerPort{{ContainerPort: 80}}}}, HostNetwork: true}}
	if err := Default(pod); err != nil {
		t.Fatal(err)
	}
	again := pod.DeepCopy()
	if err := Default(again); err != nil {
		t.Fatal(err)
	}
	if pod.String() != again.String() {
		t.Errorf("second Default changed the pod:\n%s\n%s", pod.String(), again.String())
	}
}
