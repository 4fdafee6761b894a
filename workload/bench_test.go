package workload

import (
	"fmt"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
)

// benchmarkPods makes n varied pods spread over n/10 nodes, without
// randomness so that every run measures the same work.
func benchmarkPods(n int) []*v1.Pod {
	phases := []v1.PodPhase{v1.PodRunning, v1.PodRunning, v1.PodRunning, v1.PodPending, v1.PodUnknown}
	pods := make([]*v1.Pod, n)
	for i := range pods {
		f := podFixture{
			namespace: "default",
			name:      fmt.Sprintf("web-%05d", i),
			node:      fmt.Sprintf("node-%d", i%max(n/10, 1)),
			phase:     phases[i%len(phases)],
			age:       time.Duration(i*7919%100000) * time.Second,
			restarts:  int32(i % 3),
		}
		if f.phase == v1.PodRunning {
			f.ready = v1.ConditionTrue
			f.readyFor = f.age / 2
		}
		if i%17 == 0 {
			f.annotations = withCost(fmt.Sprint(i % 5))
		}
		pods[i] = f.build()
	}
	return pods
}

func BenchmarkPodsToDelete(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		pods := benchmarkPods(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = PodsToDelete(pods, pods, n/2, fixtureNow)
			}
		})
	}
}

func BenchmarkComparePodsForDeletion(b *testing.B) {
	pods := benchmarkPods(2)
	b.ReportAllocs()
	for b.Loop() {
		_ = ComparePodsForDeletion(pods[0], pods[1], 1, 2, fixtureNow)
	}
}

func BenchmarkComputeHash(b *testing.B) {
	tmpl := templateWith(map[string]string{"app": "web", "tier": "frontend"}, "web", "registry.example/web:v1.2.3")
	b.ReportAllocs()
	for b.Loop() {
		_ = ComputeHash(tmpl, ptr.To[int32](1))
	}
}
