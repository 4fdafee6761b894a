package apidefault

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestObjectRejectsUnknownAndNil(t *testing.T) {
	if err := Object(&v1.Service{}); err == nil || !strings.Contains(err.Error(), "*v1.Service") {
		t.Errorf("Object(Service) = %v, want an error naming the type", err)
	}
	if err := Object(nil); err == nil {
		t.Error("Object(nil) = nil, want an error")
	}
	var pod *v1.Pod
	if err := Object(pod); err == nil {
		t.Error("Object((*v1.Pod)(nil)) = nil, want an error")
	}
}

// TestSimpleTemplateUnchanged pins what PodTemplate did before it applied
// every template default: a template of named containers gets exactly the
// always-defaulted fields, so the generators' hashes do not move.
func TestSimpleTemplateUnchanged(t *testing.T) {
	got := Template(v1.PodTemplateSpec{Spec: v1.PodSpec{Containers: []v1.Container{{Name: "app", Image: "nginx:1.25"}}}})
	grace := int64(30)
	want := v1.PodTemplateSpec{Spec: v1.PodSpec{
		Containers: []v1.Container{{Name: "app", Image: "nginx:1.25", ImagePullPolicy: v1.PullIfNotPresent,
			TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: v1.TerminationMessageReadFile}},
		RestartPolicy: v1.RestartPolicyAlways, DNSPolicy: v1.DNSClusterFirst, SchedulerName: "default-scheduler",
		SecurityContext: &v1.PodSecurityContext{}, TerminationGracePeriodSeconds: &grace,
	}}
	if !equalJSON(t, got, want) {
		t.Errorf("Template = %+v, want %+v", got, want)
	}
}

// TestPodOnlyDefaults checks that the defaults reserved for Pod objects do
// not reach a template: a template's hash must not include them.
func TestPodOnlyDefaults(t *testing.T) {
	spec := v1.PodSpec{HostNetwork: true, Containers: []v1.Container{{
		Name: "app", Image: "app:v1",
		Ports:     []v1.ContainerPort{{ContainerPort: 80}},
		Resources: v1.ResourceRequirements{Limits: v1.ResourceList{v1.ResourceCPU: resource.MustParse("0.0001")}},
	}}}
	tmpl := v1.PodTemplateSpec{Spec: *spec.DeepCopy()}
	PodTemplate(&tmpl)
	c := tmpl.Spec.Containers[0]
	if tmpl.Spec.EnableServiceLinks != nil || c.Ports[0].HostPort != 0 || c.Resources.Requests != nil {
		t.Errorf("template got pod-only defaults: %+v", tmpl.Spec)
	}
	if q := c.Resources.Limits[v1.ResourceCPU]; q.String() != "1m" {
		t.Errorf("template limit = %s, want 1m (rounded up)", q.String())
	}
	pod := v1.Pod{Spec: *spec.DeepCopy()}
	Pod(&pod)
	c = pod.Spec.Containers[0]
	if pod.Spec.EnableServiceLinks == nil || !*pod.Spec.EnableServiceLinks || c.Ports[0].HostPort != 80 {
		t.Errorf("pod missed pod-only defaults: %+v", pod.Spec)
	}
	if q := c.Resources.Requests[v1.ResourceCPU]; q.String() != "1m" {
		t.Errorf("pod request = %s, want the rounded limit 1m", q.String())
	}
}

// TestStatefulSetStrategyAsymmetry pins the API server's quirk: an omitted
// strategy gets partition and maxUnavailable, an explicit RollingUpdate
// without parameters keeps them nil.
func TestStatefulSetStrategyAsymmetry(t *testing.T) {
	omitted := appsv1.StatefulSet{}
	StatefulSet(&omitted)
	ru := omitted.Spec.UpdateStrategy.RollingUpdate
	if ru == nil || ru.Partition == nil || *ru.Partition != 0 || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 1 {
		t.Errorf("omitted strategy defaulted to %+v", omitted.Spec.UpdateStrategy)
	}
	explicit := appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{UpdateStrategy: appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType}}}
	StatefulSet(&explicit)
	if explicit.Spec.UpdateStrategy.RollingUpdate != nil {
		t.Errorf("explicit RollingUpdate got parameters %+v", explicit.Spec.UpdateStrategy.RollingUpdate)
	}
}

// TestJobLabelsAreACopy checks that a Job that takes its template's labels
// does not share the map, so a later change to the template's labels (the
// Job strategy adds its own) does not leak into the Job's.
func TestJobLabelsAreACopy(t *testing.T) {
	job := batchv1.Job{Spec: batchv1.JobSpec{Template: v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "x"}}}}}
	Job(&job)
	job.Spec.Template.Labels["extra"] = "y"
	if len(job.Labels) != 1 || job.Labels["app"] != "x" {
		t.Errorf("job labels = %v, want a copy of the template's", job.Labels)
	}
	if *job.Spec.Completions != 1 || *job.Spec.Parallelism != 1 || *job.Spec.BackoffLimit != 6 || *job.Spec.ManualSelector {
		t.Errorf("job spec defaulted to %+v", job.Spec)
	}
}

// TestCronJobTemplateGetsNoJobDefaults pins that a CronJob's job template
// is not defaulted as a Job.
func TestCronJobTemplateGetsNoJobDefaults(t *testing.T) {
	cj := batchv1.CronJob{}
	CronJob(&cj)
	js := cj.Spec.JobTemplate.Spec
	if js.Completions != nil || js.Parallelism != nil || js.BackoffLimit != nil || js.Suspend != nil {
		t.Errorf("job template got Job defaults: %+v", js)
	}
	if cj.Spec.ConcurrencyPolicy != batchv1.AllowConcurrent || *cj.Spec.SuccessfulJobsHistoryLimit != 3 || *cj.Spec.FailedJobsHistoryLimit != 1 || *cj.Spec.Suspend {
		t.Errorf("cronjob spec defaulted to %+v", cj.Spec)
	}
}

func TestNodeAllocatableIsACopy(t *testing.T) {
	node := v1.Node{Status: v1.NodeStatus{Capacity: v1.ResourceList{v1.ResourceCPU: resource.MustParse("2")}}}
	Node(&node)
	node.Status.Capacity[v1.ResourceMemory] = resource.MustParse("1Gi")
	if len(node.Status.Allocatable) != 1 {
		t.Errorf("allocatable = %v, want its own copy of the capacity", node.Status.Allocatable)
	}
}
