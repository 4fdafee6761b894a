package gen

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/workload"
)

// ApplyJobPlan plays a Job sync's calls against a toy API server at now:
// created pods appear Pending with a generated name unique per step; a
// delete of a pod with finalizers marks it terminating (30 s grace), of one
// without removes it; finalizer removals drop the tracking finalizer (and
// the pod, if it was terminating and has none left); adoptions and
// releases rewrite the controller reference and the finalizer; a status
// write replaces the Job's status. The state keeps the back-off record
// the plan returns. The input is not modified.
func ApplyJobPlan(st JobState, actions []workload.Action, rec backoff.JobRecord, step int, now time.Time) JobState {
	next := JobState{Job: st.Job.DeepCopy(), Failures: rec.FailuresAfterLastSuccess, LastFailure: rec.LastFailureTime}
	pods := map[string]*v1.Pod{}
	for _, p := range st.Pods {
		pods[p.Name] = p.DeepCopy()
	}
	for i, a := range actions {
		if a.Resource == "jobs" && a.Verb == workload.UpdateStatus {
			next.Job.Status = *a.Object.(*batchv1.Job).Status.DeepCopy()
			continue
		}
		if a.Resource != "pods" {
			continue
		}
		p := pods[a.Name]
		switch a.Verb {
		case workload.Create:
			np := a.Object.(*v1.Pod).DeepCopy()
			np.Name = fmt.Sprintf("%ss%d-%02d", np.GenerateName, step, i)
			np.Namespace = a.Namespace
			np.UID = types.UID(np.Name + "-uid")
			np.ResourceVersion = "10"
			np.CreationTimestamp = metav1.NewTime(now)
			np.Status.Phase = v1.PodPending
			pods[np.Name] = np
		case workload.Delete:
			if p == nil {
				continue
			}
			if len(p.Finalizers) == 0 {
				delete(pods, a.Name)
				continue
			}
			if p.DeletionTimestamp == nil {
				ts := metav1.NewTime(now.Add(30 * time.Second))
				p.DeletionTimestamp = &ts
				p.DeletionGracePeriodSeconds = ptr.To(int64(30))
			}
		case workload.Patch:
			if p == nil {
				continue
			}
			switch {
			case bytes.Contains(a.Patch, []byte("$deleteFromPrimitiveList/finalizers")) && !bytes.Contains(a.Patch, []byte("ownerReferences")):
				p.Finalizers = slices.DeleteFunc(p.Finalizers, func(f string) bool { return f == batchv1.JobTrackingFinalizer })
			case bytes.Contains(a.Patch, []byte(`"$patch":"delete"`)):
				p.OwnerReferences = nil
				p.Finalizers = slices.DeleteFunc(p.Finalizers, func(f string) bool { return f == batchv1.JobTrackingFinalizer })
			default:
				yes := true
				p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: st.Job.Name, UID: st.Job.UID, Controller: &yes, BlockOwnerDeletion: &yes}}
				if !slices.Contains(p.Finalizers, batchv1.JobTrackingFinalizer) {
					p.Finalizers = append(p.Finalizers, batchv1.JobTrackingFinalizer)
				}
			}
			if p.DeletionTimestamp != nil && len(p.Finalizers) == 0 {
				delete(pods, a.Name)
			}
		}
	}
	for _, p := range pods {
		next.Pods = append(next.Pods, p)
	}
	sort.Slice(next.Pods, func(i, k int) bool { return next.Pods[i].Name < next.Pods[k].Name })
	return next
}

// ProgressJob lets time pass (between 1 s and about 12 min) and the
// kubelet work: pending pods start (ready or not) or fail, running pods
// succeed, fail or restart a container, terminating pods end Failed or
// vanish once they have no finalizer. Finish times are distinct per pod.
// It returns the new state and the new time. The input is not modified.
func ProgressJob(t *rapid.T, st JobState, now time.Time) (JobState, time.Time) {
	now = now.Add(time.Duration(rapid.SampledFrom([]int{1, 5, 11, 30, 90, 700}).Draw(t, "advance")) * time.Second)
	next := JobState{Job: st.Job, Failures: st.Failures, LastFailure: st.LastFailure}
	for i, p := range st.Pods {
		p = p.DeepCopy()
		name := p.Name
		finish := metav1.NewTime(now.Add(-time.Duration(len(st.Pods)-i) * time.Second))
		terminate := func(code int32) {
			if code == 0 {
				p.Status.Phase = v1.PodSucceeded
			} else {
				p.Status.Phase = v1.PodFailed
			}
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: finish}}
			p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: code, FinishedAt: finish}}}}
			p.Status.InitContainerStatuses = nil
			if len(p.Spec.InitContainers) > 0 {
				p.Status.InitContainerStatuses = []v1.ContainerStatus{{Name: "side", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: 0, FinishedAt: finish}}}}
			}
		}
		terminal := p.Status.Phase == v1.PodSucceeded || p.Status.Phase == v1.PodFailed
		switch {
		case p.DeletionTimestamp != nil:
			if len(p.Finalizers) == 0 {
				continue
			}
			if !terminal && rapid.Bool().Draw(t, name+".stops") {
				terminate(137)
			}
		case terminal:
		case p.Status.Phase == v1.PodPending || p.Status.Phase == "":
			switch rapid.IntRange(0, 4).Draw(t, name+".start") {
			case 0:
			case 1:
				terminate(int32(rapid.IntRange(1, 3).Draw(t, name+".exit")))
			default:
				p.Status.Phase = v1.PodRunning
				if p.Spec.NodeName == "" {
					p.Spec.NodeName = "n1"
				}
				p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main"}}
				p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: finish}}
			}
		default:
			switch rapid.IntRange(0, 5).Draw(t, name+".run") {
			case 0, 1:
			case 2:
				terminate(0)
			case 3:
				terminate(int32(rapid.IntRange(1, 3).Draw(t, name+".exit")))
			case 4:
				if p.Spec.RestartPolicy == v1.RestartPolicyOnFailure && len(p.Status.ContainerStatuses) > 0 {
					p.Status.ContainerStatuses[0].RestartCount++
				}
			case 5:
				if rapid.IntRange(0, 3).Draw(t, name+".evict") == 0 {
					terminate(137)
					p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{Type: v1.DisruptionTarget, Status: v1.ConditionTrue, LastTransitionTime: finish})
				}
			}
		}
		next.Pods = append(next.Pods, p)
	}
	return next, now
}
