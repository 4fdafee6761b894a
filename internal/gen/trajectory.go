package gen

import (
	"bytes"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/workload"
)

// ApplyReplicaSetPlan plays a ReplicaSet plan against a toy API server:
// created pods appear with a name the server would generate (unique per
// step), deleted pods vanish, adoptions and releases rewrite the controller
// reference, and a status write replaces the ReplicaSet. The input is not
// modified.
func ApplyReplicaSetPlan(st ReplicaSetState, plan workload.Plan, step int) ReplicaSetState {
	next := ReplicaSetState{ReplicaSet: st.ReplicaSet, Siblings: st.Siblings}
	deleted, adopted, released := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var created []*v1.Pod
	for i, a := range plan.Actions {
		switch {
		case a.Verb == workload.Delete:
			deleted[a.Name] = true
		case a.Verb == workload.Patch && bytes.Contains(a.Patch, []byte(`"$patch":"delete"`)):
			released[a.Name] = true
		case a.Verb == workload.Patch:
			adopted[a.Name] = true
		case a.Verb == workload.Create:
			p := a.Object.(*v1.Pod).DeepCopy()
			p.Name = fmt.Sprintf("%ss%d-%d", p.GenerateName, step, i)
			p.UID = types.UID(p.Name + "-uid")
			p.Namespace = a.Namespace
			p.ResourceVersion = "10"
			p.CreationTimestamp = st.ReplicaSet.CreationTimestamp
			p.Status.Phase = v1.PodPending
			created = append(created, p)
		case a.Verb == workload.UpdateStatus:
			rs := a.Object.(*appsv1.ReplicaSet).DeepCopy()
			next.ReplicaSet = rs
		}
	}
	ns := st.ReplicaSet.Namespace
	for _, p := range st.Pods {
		if p.Namespace == ns && deleted[p.Name] {
			continue
		}
		if p.Namespace == ns && (adopted[p.Name] || released[p.Name]) {
			p = p.DeepCopy()
			if adopted[p.Name] {
				p.OwnerReferences = []metav1.OwnerReference{ControllerRef("ReplicaSet", st.ReplicaSet.Name)}
				p.OwnerReferences[0].UID = st.ReplicaSet.UID
			} else {
				p.OwnerReferences = nil
			}
		}
		next.Pods = append(next.Pods, p)
	}
	next.Pods = append(next.Pods, created...)
	return next
}

// ProgressPods lets time act on pods between two syncs, as kubelets and
// users would: each pod may start running and turn ready (ready since an
// age drawn from the usual ages), fail, succeed or be relabelled. The input
// is not modified.
func ProgressPods(t *rapid.T, st ReplicaSetState, now time.Time) ReplicaSetState {
	next := st
	next.Pods = make([]*v1.Pod, len(st.Pods))
	for i, p := range st.Pods {
		label := fmt.Sprintf("progress.%s", p.Name)
		switch rapid.IntRange(0, 9).Draw(t, label) {
		case 0, 1, 2:
			p = p.DeepCopy()
			p.Status.Phase = v1.PodRunning
			since := now.Add(-age(t, label+".readySince")).Truncate(time.Second)
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(since)}}
		case 3:
			p = p.DeepCopy()
			p.Status.Phase = v1.PodFailed
			p.Status.Conditions = nil
		case 4:
			p = p.DeepCopy()
			p.Labels = map[string]string{"app": "moved"}
		}
		next.Pods[i] = p
	}
	return next
}
