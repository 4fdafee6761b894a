package cluster_test

import (
	"fmt"
	goruntime "runtime"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

const (
	// benchOwnPods is how many pods each of the Deployment's two
	// ReplicaSets controls; benchOrphans how many pods have no owner; the
	// rest of benchPods belong to benchOtherOwners other ReplicaSets.
	benchOwnPods     = 100
	benchOrphans     = 10
	benchOtherOwners = 100
)

// stateBenchStore seeds a namespace of benchPods pods: a Recreate
// Deployment with two ReplicaSets of benchOwnPods pods each, a few
// orphans, and everything else controlled by other ReplicaSets.
func stateBenchStore(b *testing.B) *cluster.Cluster {
	b.Helper()
	c := cluster.New(t0)
	create := func(obj runtime.Object) metav1.Object {
		out, err := c.Create(obj)
		if err != nil {
			b.Fatal(err)
		}
		return out.(metav1.Object)
	}
	d := create(&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"},
		Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}, Template: podTemplate(),
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}}})
	var owners []metav1.Object
	for i := range 2 + benchOtherOwners {
		rs := newRS(fmt.Sprintf("rs-%03d", i), 1)
		if i < 2 {
			rs.OwnerReferences = controllerRef(d, deploymentGVK)
		}
		owners = append(owners, create(rs))
	}
	for i := range benchPods {
		var refs []metav1.OwnerReference
		switch {
		case i < 2*benchOwnPods:
			refs = controllerRef(owners[i%2], replicaSetGVK)
		case i < 2*benchOwnPods+benchOrphans:
		default:
			refs = controllerRef(owners[2+i%benchOtherOwners], replicaSetGVK)
		}
		create(podIn("ns", fmt.Sprintf("pod-%06d", i), refs))
	}
	return c
}

// BenchmarkStates builds a Deployment's State and a ReplicaSet's State in
// a namespace of 100,000 pods, and reports the time per State against a
// plain map lookup loop, measured in the same run, that fetches the same
// objects by key from a map of every object (ratio-to-map).
func BenchmarkStates(b *testing.B) {
	c := stateBenchStore(b)
	type key struct{ resource, namespace, name string }
	all := map[key]runtime.Object{}
	for _, r := range []string{workload.ResourcePods, workload.ResourceReplicaSets, workload.ResourceDeployments} {
		for _, obj := range c.List(r, "ns") {
			all[key{r, "ns", obj.(metav1.Object).GetName()}] = obj
		}
	}
	for _, tc := range []struct {
		name  string
		build func() ([]key, error)
	}{
		{"Deployment", func() ([]key, error) {
			s, err := c.DeploymentState("ns", "web")
			ks := []key{{workload.ResourceDeployments, "ns", s.Deployment.Name}}
			for _, rs := range s.ReplicaSets {
				ks = append(ks, key{workload.ResourceReplicaSets, "ns", rs.Name})
			}
			for _, p := range s.Pods {
				ks = append(ks, key{workload.ResourcePods, "ns", p.Name})
			}
			return ks, err
		}},
		{"ReplicaSet", func() ([]key, error) {
			s, err := c.ReplicaSetState("ns", "rs-000")
			ks := []key{{workload.ResourceReplicaSets, "ns", s.ReplicaSet.Name}}
			for _, rs := range s.ReplicaSets {
				ks = append(ks, key{workload.ResourceReplicaSets, "ns", rs.Name})
			}
			for _, p := range s.Pods {
				ks = append(ks, key{workload.ResourcePods, "ns", p.Name})
			}
			return ks, err
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			keys, err := tc.build()
			if err != nil {
				b.Fatal(err)
			}
			var baseline time.Duration
			var sink []runtime.Object
			// Seeding leaves a heap of garbage: collect it now so that the
			// collector's background marking does not run during the timed
			// loop and slow its copies with write barriers.
			goruntime.GC()
			b.ResetTimer()
			for b.Loop() {
				switch tc.name {
				case "Deployment":
					if _, err := c.DeploymentState("ns", "web"); err != nil {
						b.Fatal(err)
					}
				default:
					if _, err := c.ReplicaSetState("ns", "rs-000"); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				start := time.Now()
				sink = sink[:0]
				for _, k := range keys {
					sink = append(sink, all[k])
				}
				baseline += time.Since(start)
				b.StartTimer()
			}
			b.ReportMetric(float64(len(keys)), "objects/state")
			b.ReportMetric(float64(baseline.Nanoseconds())/float64(b.N), "map-ns/state")
			b.ReportMetric(float64(b.Elapsed())/float64(max(1, baseline)), "ratio-to-map")
		})
	}
}
