package cluster

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// benchManifest writes n objects as one multi-document YAML stream: a
// Deployment for every nine Pods, the mix of a namespace's manifests.
func benchManifest(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		if i > 0 {
			b.WriteString("---\n")
		}
		if i%10 == 0 {
			fmt.Fprintf(&b, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-%d
  namespace: ns-%d
spec:
  replicas: 3
  selector:
    matchLabels: {app: web-%d}
  template:
    metadata:
      labels: {app: web-%d}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources:
          requests: {cpu: 0.5, memory: 128Mi}
`, i, i%7, i, i)
			continue
		}
		fmt.Fprintf(&b, `apiVersion: v1
kind: Pod
metadata:
  name: pod-%d
  namespace: ns-%d
  labels: {app: web}
spec:
  nodeName: node-%d
  containers:
  - name: app
    image: app:%d
    resources:
      limits: {cpu: 250m, memory: 64Mi}
`, i, i%7, i%50, i%3)
	}
	return b.Bytes()
}

// baselineLoad is the plain loop loading is measured against: cut the
// stream at its separators, unmarshal each document into a map and insert
// it into a map keyed by kind, namespace and name, then look each up.
func baselineLoad(data []byte) (int, error) {
	store := make(map[string]map[string]any)
	var keys []string
	for _, doc := range bytes.Split(data, []byte("\n---\n")) {
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			return 0, err
		}
		md, _ := m["metadata"].(map[string]any)
		key := fmt.Sprint(m["kind"], "/", md["namespace"], "/", md["name"])
		store[key] = m
		keys = append(keys, key)
	}
	found := 0
	for _, k := range keys {
		if _, ok := store[k]; ok {
			found++
		}
	}
	return found, nil
}

// BenchmarkLoad loads and defaults 10,000 objects. Each iteration also
// runs the baseline loop over the same stream, outside the timer, so that
// the two are measured under the same machine load; the baseline's time
// and the ratio of the load's to it (x-baseline) are reported.
func BenchmarkLoad(b *testing.B) {
	const n = 10000
	data := benchManifest(n)
	var baseline time.Duration
	for b.Loop() {
		b.StopTimer()
		start := time.Now()
		if found, err := baselineLoad(data); err != nil || found != n {
			b.Fatalf("baseline: %d, %v", found, err)
		}
		baseline += time.Since(start)
		b.StartTimer()
		l, err := LoadReader(bytes.NewReader(data), "bench.yaml", LoadOptions{})
		if err != nil || len(l.Objects) != n {
			b.Fatalf("load: %v", err)
		}
	}
	b.ReportMetric(float64(baseline.Nanoseconds())/float64(b.N), "baseline-ns/op")
	b.ReportMetric(float64(b.Elapsed())/float64(baseline), "x-baseline")
}
