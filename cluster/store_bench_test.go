package cluster_test

import (
	"fmt"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

const (
	benchPods    = 100_000
	benchDeletes = 500
)

// benchStore seeds a store with benchPods pods in one namespace, the
// first benchDeletes of them scheduled or not.
func benchStore(b *testing.B, scheduled bool) (*cluster.Cluster, []*v1.Pod) {
	b.Helper()
	c := cluster.New(t0)
	var victims []*v1.Pod
	for i := range benchPods {
		pod := newPod(fmt.Sprintf("pod-%06d", i), "")
		pod.Namespace = "ns"
		if scheduled && i < benchDeletes {
			pod.Spec.NodeName = "node-a"
		}
		if _, err := c.Create(pod); err != nil {
			b.Fatal(err)
		}
		if i < benchDeletes {
			victims = append(victims, pod)
		}
	}
	return c, victims
}

func deletePlan(victims []*v1.Pod) workload.Plan {
	var plan workload.Plan
	for _, p := range victims {
		plan.Actions = append(plan.Actions, workload.Action{Verb: workload.Delete, Resource: workload.ResourcePods, Namespace: "ns", Name: p.Name})
	}
	return plan
}

// BenchmarkApplyDeletes applies a plan of 500 pod deletes to a store of
// 100,000 pods and reports its time per plan against a plain map delete
// loop over the same keys measured in the same run (ratio-to-map).
// Unscheduled pods are removed at once (a marking write, then the
// removal, as the API server does); scheduled ones enter their grace
// period, which writes a copy of each.
func BenchmarkApplyDeletes(b *testing.B) {
	for _, scheduled := range []bool{false, true} {
		name := "unscheduled"
		if scheduled {
			name = "scheduled"
		}
		b.Run(name, func(b *testing.B) {
			c, victims := benchStore(b, scheduled)
			plan := deletePlan(victims)
			// The baseline: the same keys deleted from a plain map of
			// benchPods entries, timed in the same loop.
			type key struct{ namespace, name string }
			m := make(map[key]*v1.Pod, benchPods)
			for i := range benchPods {
				m[key{"ns", fmt.Sprintf("pod-%06d", i)}] = nil
			}
			var baseline time.Duration
			b.ResetTimer()
			for b.Loop() {
				for _, r := range c.Apply(plan) {
					if r.Err != nil {
						b.Fatal(r.Err)
					}
				}
				b.StopTimer()
				start := time.Now()
				for _, p := range victims {
					delete(m, key{"ns", p.Name})
				}
				baseline += time.Since(start)
				for _, p := range victims {
					m[key{"ns", p.Name}] = p
				}
				for _, p := range victims {
					if scheduled {
						_ = c.ForceRemove(workload.ResourcePods, "ns", p.Name)
					}
					if _, err := c.Create(p); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(baseline.Nanoseconds())/float64(b.N), "map-ns/plan")
			b.ReportMetric(float64(b.Elapsed())/float64(max(1, baseline)), "ratio-to-map")
		})
	}
}
