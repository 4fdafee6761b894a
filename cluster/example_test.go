package cluster_test

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/workload"
)

// A Deployment read from a manifest gets the API server's defaults before
// a controller sees it; only then is its pod-template hash the one the
// cluster would give its ReplicaSet.
func ExampleDefault() {
	manifest := []byte(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
`)
	var d appsv1.Deployment
	if err := yaml.UnmarshalStrict(manifest, &d); err != nil {
		fmt.Println("decode:", err)
		return
	}
	if err := cluster.Default(&d); err != nil {
		fmt.Println("default:", err)
		return
	}
	ru := d.Spec.Strategy.RollingUpdate
	c := d.Spec.Template.Spec.Containers[0]
	fmt.Println("replicas:", *d.Spec.Replicas)
	fmt.Println("strategy:", d.Spec.Strategy.Type, "maxSurge", ru.MaxSurge.String(), "maxUnavailable", ru.MaxUnavailable.String())
	fmt.Println("revisionHistoryLimit:", *d.Spec.RevisionHistoryLimit, "progressDeadlineSeconds:", *d.Spec.ProgressDeadlineSeconds)
	fmt.Println("restartPolicy:", d.Spec.Template.Spec.RestartPolicy, "schedulerName:", d.Spec.Template.Spec.SchedulerName)
	fmt.Println("imagePullPolicy:", c.ImagePullPolicy, "port protocol:", c.Ports[0].Protocol)
	fmt.Println("pod-template-hash:", workload.ComputeHash(&d.Spec.Template, d.Status.CollisionCount))
	// Output:
	// replicas: 1
	// strategy: RollingUpdate maxSurge 25% maxUnavailable 25%
	// revisionHistoryLimit: 10 progressDeadlineSeconds: 600
	// restartPolicy: Always schedulerName: default-scheduler
	// imagePullPolicy: IfNotPresent port protocol: TCP
	// pod-template-hash: 557577df75
}
