package cluster

import (
	"encoding/json"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubepure/kubepure/workload"
)

// deploymentWithCPU is a user's Deployment manifest requesting cpu.
func deploymentWithCPU(cpu string) string {
	return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources:
          requests: {cpu: ` + cpu + `, memory: 0.5Gi}
          limits: {cpu: "1.0"}
`
}

func loadedTemplateHash(t *testing.T, manifest string) string {
	t.Helper()
	l, err := LoadReader(strings.NewReader(manifest), "web.yaml", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := l.Objects[0].(*appsv1.Deployment)
	return workload.ComputeHash(&d.Spec.Template, d.Status.CollisionCount)
}

// TestLoadQuantitiesHashAsStored checks that a quantity written in any
// form hashes as the cluster's canonical form does once loaded, and that
// the hash is the one of a storage round trip (here through JSON, the
// path independent of the protobuf encoding the loader uses): without it a
// manifest's Deployment would roll out a phantom ReplicaSet.
func TestLoadQuantitiesHashAsStored(t *testing.T) {
	canonical := loadedTemplateHash(t, deploymentWithCPU("500m"))
	for _, cpu := range []string{"0.5", `"0.5"`, "0.50", "500m", "5e-1"} {
		if got := loadedTemplateHash(t, deploymentWithCPU(cpu)); got != canonical {
			t.Errorf("cpu %s hashes %s, cpu 500m hashes %s", cpu, got, canonical)
		}
	}

	// The storage round trip, simulated without the loader: decode,
	// default, encode, decode.
	var d appsv1.Deployment
	if err := yaml.UnmarshalStrict([]byte(deploymentWithCPU("0.5")), &d); err != nil {
		t.Fatal(err)
	}
	if err := Default(&d); err != nil {
		t.Fatal(err)
	}
	unstored := workload.ComputeHash(&d.Spec.Template, nil)
	data, err := json.Marshal(&d)
	if err != nil {
		t.Fatal(err)
	}
	var stored appsv1.Deployment
	if err := json.Unmarshal(data, &stored); err != nil {
		t.Fatal(err)
	}
	if got := workload.ComputeHash(&stored.Spec.Template, nil); got != canonical {
		t.Errorf("storage round trip hashes %s, loading hashes %s", got, canonical)
	}
	if unstored == canonical {
		t.Errorf("defaulting alone already hashes as stored (%s): the round trip is not what this test checks", unstored)
	}
}

// TestLoadManifestHashesAsKubectlOutput checks that a Deployment loaded
// from its manifest (the last-applied configuration, with cpu "0.5") has
// the pod-template hash of the same Deployment loaded from `kubectl get
// -o yaml` output, whose ReplicaSet carries that hash.
func TestLoadManifestHashesAsKubectlOutput(t *testing.T) {
	l := mustLoad(t, LoadOptions{SkipUnknownKinds: true}, "testdata/load/kubectl-get-all.yaml")
	live := l.Objects[1].(*appsv1.Deployment)
	rs := l.Objects[2].(*appsv1.ReplicaSet)
	manifest := live.Annotations["kubectl.kubernetes.io/last-applied-configuration"]
	got := loadedTemplateHash(t, manifest)
	if want := workload.ComputeHash(&live.Spec.Template, live.Status.CollisionCount); got != want {
		t.Errorf("manifest hashes %s, the stored Deployment %s", got, want)
	}
	if want := rs.Labels[appsv1.DefaultDeploymentUniqueLabelKey]; got != want {
		t.Errorf("manifest hashes %s, the ReplicaSet's label says %s", got, want)
	}
}
