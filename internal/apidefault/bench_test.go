package apidefault

import (
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// benchObjects builds n undefaulted objects of the workload kinds and pods,
// each with a template of two containers, ports, a probe, resources and
// volumes, in the proportions a cluster holds them (mostly pods).
func benchObjects(n int) []runtime.Object {
	objs := make([]runtime.Object, 0, n)
	for i := range n {
		tmpl := v1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": fmt.Sprint("app", i%50)}},
			Spec: v1.PodSpec{
				Containers: []v1.Container{{
					Name: "app", Image: fmt.Sprintf("registry.example:5000/team/app:v%d", i%7),
					Ports:          []v1.ContainerPort{{ContainerPort: 8080}},
					ReadinessProbe: &v1.Probe{ProbeHandler: v1.ProbeHandler{HTTPGet: &v1.HTTPGetAction{}}},
					Resources:      v1.ResourceRequirements{Limits: v1.ResourceList{v1.ResourceCPU: resource.MustParse("500m"), v1.ResourceMemory: resource.MustParse("256Mi")}},
				}, {Name: "sidecar", Image: "envoy"}},
				Volumes: []v1.Volume{{Name: "cfg", VolumeSource: v1.VolumeSource{ConfigMap: &v1.ConfigMapVolumeSource{}}}, {Name: "tmp"}},
			},
		}
		var obj runtime.Object
		switch i % 10 {
		case 0:
			obj = &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: tmpl}}
		case 1:
			obj = &appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Template: tmpl}}
		case 2:
			obj = &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Template: tmpl}}
		case 3:
			obj = &batchv1.Job{Spec: batchv1.JobSpec{Template: tmpl}}
		default:
			obj = &v1.Pod{ObjectMeta: tmpl.ObjectMeta, Spec: tmpl.Spec}
		}
		objs = append(objs, obj)
	}
	return objs
}

// BenchmarkDefault defaults 10,000 objects per iteration. Each iteration
// works on fresh deep copies, made inside the timed loop (defaulting an
// already defaulted object would measure only the checks): subtract
// BenchmarkDeepCopy for the cost of defaulting alone.
func BenchmarkDefault(b *testing.B) {
	objs := benchObjects(10_000)
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range objs {
			if err := Object(o.DeepCopyObject()); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDeepCopy is the copying BenchmarkDefault does, alone.
func BenchmarkDeepCopy(b *testing.B) {
	objs := benchObjects(10_000)
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range objs {
			_ = o.DeepCopyObject()
		}
	}
}
