package backoff

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// crashTimeline runs a container that crashes run after each start and
// returns the wait between each crash and the next start.
func crashTimeline(t *testing.T, p Policy, runs []time.Duration) []time.Duration {
	t.Helper()
	var e Entry
	now := t0
	var waits []time.Duration
	for _, run := range runs {
		finished := now.Add(run)
		now = finished
		for {
			start, next, retryAt := p.CrashLoopStep(e, finished, now)
			if start {
				e = next
				break
			}
			now = retryAt
		}
		waits = append(waits, now.Sub(finished))
	}
	return waits
}

func TestCrashLoopTimeline(t *testing.T) {
	p, err := CrashLoopPolicy(CrashLoopConfig{})
	if err != nil {
		t.Fatal(err)
	}
	quick := make([]time.Duration, 9)
	for i := range quick {
		quick[i] = time.Second
	}
	if diff := cmp.Diff(secs(0, 10, 20, 40, 80, 160, 300, 300, 300), crashTimeline(t, p, quick)); diff != "" {
		t.Errorf("quick crashes (-want +got):\n%s", diff)
	}
	// A run of 11 minutes resets the back-off: immediate restart, then 10 s.
	runs := append(append([]time.Duration{}, quick[:5]...), 11*time.Minute, time.Second)
	if diff := cmp.Diff(secs(0, 10, 20, 40, 80, 0, 10), crashTimeline(t, p, runs)); diff != "" {
		t.Errorf("long run (-want +got):\n%s", diff)
	}
}

func TestCrashLoopPolicy(t *testing.T) {
	tests := []struct {
		name string
		cfg  CrashLoopConfig
		want Policy
		err  string
	}{
		{name: "default", want: Policy{10 * time.Second, 300 * time.Second, 600 * time.Second}},
		{name: "configured max", cfg: CrashLoopConfig{MaxContainerRestartPeriod: 50 * time.Second}, want: Policy{10 * time.Second, 50 * time.Second, 600 * time.Second}},
		{name: "max below initial lowers initial", cfg: CrashLoopConfig{MaxContainerRestartPeriod: 2 * time.Second}, want: Policy{2 * time.Second, 2 * time.Second, 600 * time.Second}},
		{name: "reduced decay keeps the configured max", cfg: CrashLoopConfig{ReducedDecay: true}, want: Policy{time.Second, 300 * time.Second, 600 * time.Second}},
		{name: "reduced decay without override", cfg: CrashLoopConfig{ReducedDecay: true, DisableMaxOverride: true}, want: Policy{time.Second, 60 * time.Second, 600 * time.Second}},
		{name: "too small", cfg: CrashLoopConfig{MaxContainerRestartPeriod: 999 * time.Millisecond}, err: "crashLoopBackOff.maxContainerRestartPeriod"},
		{name: "too large", cfg: CrashLoopConfig{MaxContainerRestartPeriod: 301 * time.Second}, err: "crashLoopBackOff.maxContainerRestartPeriod"},
		{name: "set without the gate", cfg: CrashLoopConfig{MaxContainerRestartPeriod: 30 * time.Second, DisableMaxOverride: true}, err: "must not be set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CrashLoopPolicy(tt.cfg)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCrashLoopKey(t *testing.T) {
	pod := &v1.Pod{}
	pod.Name, pod.Namespace, pod.UID = "web", "default", "u1"
	c := &v1.Container{Name: "app", Image: "nginx:1"}
	k := CrashLoopKey(pod, c)
	if len(k) == 0 || k != CrashLoopKey(pod, c) {
		t.Fatalf("unstable key %q", k)
	}
	img := c.DeepCopy()
	img.Image = "nginx:2"
	res := c.DeepCopy()
	res.Resources.Limits = v1.ResourceList{v1.ResourceCPU: resource.MustParse("1")}
	other := pod.DeepCopy()
	other.UID = "u2"
	for name, got := range map[string]string{"image": CrashLoopKey(pod, img), "resources": CrashLoopKey(pod, res), "uid": CrashLoopKey(other, c)} {
		if got == k {
			t.Errorf("changing the %s keeps the key", name)
		}
	}
	if CrashLoopKey(nil, c) != "" {
		t.Error("nil pod has a key")
	}
}
