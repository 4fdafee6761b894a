package cluster_test

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"

	"github.com/kubepure/kubepure/cluster"
)

// Manifests load into typed objects, in document order, already in the
// form the API server stores: namespaced, defaulted, quantities canonical.
func ExampleLoadReader() {
	manifest := `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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
        resources:
          requests: {cpu: 0.5}
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: tools
spec:
  containers:
  - name: shell
    image: busybox
`
	loaded, err := cluster.LoadReader(strings.NewReader(manifest), "app.yaml", cluster.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, obj := range loaded.Objects {
		fmt.Printf("%s: ", loaded.Origins[i])
		switch o := obj.(type) {
		case *appsv1.Deployment:
			c := o.Spec.Template.Spec.Containers[0]
			fmt.Println(o.Kind, o.Namespace+"/"+o.Name, "maxSurge", o.Spec.Strategy.RollingUpdate.MaxSurge.String(), "cpu", c.Resources.Requests.Cpu().String())
		case *v1.Pod:
			fmt.Println(o.Kind, o.Namespace+"/"+o.Name, "imagePullPolicy", o.Spec.Containers[0].ImagePullPolicy)
		}
	}

	_, err = cluster.LoadReader(strings.NewReader("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n"), "svc.yaml", cluster.LoadOptions{})
	fmt.Println(err)
	// Output:
	// app.yaml:2: document 1: Deployment default/web maxSurge 25% cpu 500m
	// app.yaml:19: document 2: Pod tools/debug imagePullPolicy Always
	// svc.yaml:1: document 1: kind Service (v1) is not one kubepure models (LoadOptions.SkipUnknownKinds skips such documents)
}
