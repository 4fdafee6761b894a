package gen

import (
	"fmt"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/kubepure/kubepure/internal/apidefault"
)

// JobAtScale is a busy Job of n pods for benchmarks, the same on both
// sides of a comparison. NonIndexed: completions 2n, parallelism n; of its
// pods a tenth succeeded and a tenth failed since the last sync (all
// still carrying the tracking finalizer), the rest run, half of them
// ready. Indexed: completions n (10,000 for n = 10,000), parallelism n,
// with the same mix, one pod per index. A sync counts the finished pods
// (500 of them at most), removes their finalizers and writes the status.
func JobAtScale(n int, indexed bool, now time.Time) JobState {
	j := &batchv1.Job{
		ObjectMeta: metav1.ObjectMeta{Name: JobName, Namespace: Namespace, UID: JobUID, ResourceVersion: "7", Generation: 1},
		Spec: batchv1.JobSpec{
			Parallelism:    ptr.To(int32(n)),
			Completions:    ptr.To(int32(2 * n)),
			BackoffLimit:   ptr.To(int32(n)),
			CompletionMode: ptr.To(batchv1.NonIndexedCompletion),
			Suspend:        ptr.To(false),
			Selector:       &metav1.LabelSelector{MatchLabels: map[string]string{batchv1.ControllerUidLabel: string(JobUID)}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: jobLabels()},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "main", Image: "busybox"}}, RestartPolicy: v1.RestartPolicyNever},
			},
			PodReplacementPolicy: ptr.To(batchv1.TerminatingOrFailed),
		},
		Status: batchv1.JobStatus{
			StartTime:               &metav1.Time{Time: now.Add(-time.Hour)},
			UncountedTerminatedPods: &batchv1.UncountedTerminatedPods{},
		},
	}
	apidefault.PodTemplate(&j.Spec.Template)
	if indexed {
		j.Spec.Completions = ptr.To(int32(n))
		j.Spec.CompletionMode = ptr.To(batchv1.IndexedCompletion)
	}
	yes := true
	st := JobState{Job: j}
	for i := range n {
		name := fmt.Sprintf("w%05d", i)
		p := &v1.Pod{
			ObjectMeta: metav1.ObjectMeta{
				Name: name, Namespace: Namespace, UID: types.UID(name + "-uid"), ResourceVersion: "10",
				CreationTimestamp: metav1.NewTime(now.Add(-time.Duration(i%600) * time.Second)),
				Labels:            jobLabels(),
				Finalizers:        []string{batchv1.JobTrackingFinalizer},
				OwnerReferences:   []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: JobName, UID: JobUID, Controller: &yes, BlockOwnerDeletion: &yes}},
			},
			Spec: *j.Spec.Template.Spec.DeepCopy(),
		}
		p.Spec.NodeName = fmt.Sprintf("n%d", i%50)
		if indexed {
			p.Annotations = map[string]string{batchv1.JobCompletionIndexAnnotation: strconv.Itoa(i)}
		}
		finished := metav1.NewTime(now.Add(-time.Duration(i%300) * time.Second))
		switch i % 10 {
		case 0:
			p.Status.Phase = v1.PodSucceeded
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{FinishedAt: finished}}}}
		case 1:
			p.Status.Phase = v1.PodFailed
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: 1, FinishedAt: finished}}}}
		default:
			p.Status.Phase = v1.PodRunning
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main", RestartCount: int32(i % 3)}}
			if i%2 == 0 {
				p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: finished}}
			}
		}
		st.Pods = append(st.Pods, p)
	}
	return st
}
