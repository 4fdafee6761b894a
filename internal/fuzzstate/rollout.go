package fuzzstate

import (
	"fmt"
	"math"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// deploymentImages are the template variants a Deployment moves between:
// a ReplicaSet made from the Deployment's current one is its new
// ReplicaSet.
var deploymentImages = []string{"nginx:1.25", "nginx:1.26", "nginx:1.27"}

// surgeValues cover integers and percentages, zero in both forms, rounding
// corners and 100%, plus, rarely, what the API server refuses.
var surgeValues = []intstr.IntOrString{
	intstr.FromString("25%"), intstr.FromInt32(0), intstr.FromInt32(1), intstr.FromInt32(2),
	intstr.FromString("0%"), intstr.FromString("10%"), intstr.FromString("50%"), intstr.FromString("100%"),
}

// Deployment builds a Deployment sync state: a Deployment part-way
// through its rollouts (RollingUpdate or Recreate, perhaps paused, rolling
// back or being deleted), up to four ReplicaSets it left behind (owned,
// orphaned, foreign, one perhaps holding the new ReplicaSet's name) and a
// few pods of theirs.
func Deployment(r *Reader, now time.Time) rollout.State {
	d := deploymentObject(r, now)
	st := rollout.State{Deployment: d}
	seen := map[string]bool{}
	for i := range r.Intn(5) {
		rs := deploymentReplicaSet(r, d, i, now)
		if seen[rs.Name] {
			continue
		}
		seen[rs.Name] = true
		st.ReplicaSets = append(st.ReplicaSets, rs)
	}
	for _, rs := range st.ReplicaSets {
		for j := range r.Intn(3) {
			st.Pods = append(st.Pods, deploymentPod(r, rs, fmt.Sprintf("%s-p%d", rs.Name, j), now))
		}
	}
	switch r.Intn(48) {
	case 1:
		d.Spec.Replicas = nil
	case 2:
		d.Spec.Selector = &metav1.LabelSelector{} // stored under older validation: upstream's SelectingAll guard
	case 3:
		st.ReplicaSets = append(st.ReplicaSets, nil)
	case 4:
		d.Spec.RevisionHistoryLimit = nil
	case 5:
		d.Spec.ProgressDeadlineSeconds = nil
	case 6:
		d.Spec.Template.Spec.SchedulerName = ""
	case 7:
		if ru := d.Spec.Strategy.RollingUpdate; ru != nil {
			bad := intstr.FromString(Pick(r, "x", "-1%", "150%", ""))
			ru.MaxSurge = &bad
		}
	}
	return st
}

// CloneDeployment deep-copies every object of s.
func CloneDeployment(s rollout.State) rollout.State {
	s.Deployment = s.Deployment.DeepCopy()
	s.ReplicaSets = cloneList(s.ReplicaSets)
	s.Pods = cloneList(s.Pods)
	return s
}

// PermuteDeployment reorders s's lists.
func PermuteDeployment(r *Reader, s rollout.State) rollout.State {
	s.ReplicaSets = Permute(r, s.ReplicaSets)
	s.Pods = Permute(r, s.Pods)
	return s
}

// UndoInput is the input of rollout.Undo.
type UndoInput struct {
	Deployment  *appsv1.Deployment
	ReplicaSets []*appsv1.ReplicaSet
	ToRevision  int64
}

// Undo builds an Undo input from a Deployment state and a revision
// (mostly 0, "the previous one", or one the history may hold).
func Undo(r *Reader, now time.Time) UndoInput {
	st := Deployment(r, now)
	in := UndoInput{Deployment: st.Deployment, ReplicaSets: st.ReplicaSets}
	if in.Deployment == nil {
		return in
	}
	if !r.OneIn(8) {
		in.Deployment.Spec.Paused = false
	}
	// Undo needs a history: make sure there are at least two ReplicaSets.
	seen := map[string]bool{}
	for _, rs := range in.ReplicaSets {
		if rs != nil {
			seen[rs.Name] = true
		}
	}
	for i := len(in.ReplicaSets); i < 3; i++ {
		if rs := deploymentReplicaSet(r, in.Deployment, i, now); !seen[rs.Name] {
			seen[rs.Name] = true
			in.ReplicaSets = append(in.ReplicaSets, rs)
		}
	}
	// Mostly the Deployment's own history, so that there is one to undo.
	for i, rs := range in.ReplicaSets {
		if rs != nil && !r.OneIn(6) {
			rs.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "Deployment", in.Deployment.Name, in.Deployment.UID)}
			rs.Labels = copyLabels(rs.Spec.Template.Labels)
			rs.Annotations["deployment.kubernetes.io/revision"] = fmt.Sprint(i + 1)
		}
	}
	// The revision: the previous one, one the history holds, or rarely
	// one it does not.
	var revisions []int64
	for _, rs := range in.ReplicaSets {
		if rs != nil {
			if v, err := strconv.ParseInt(rs.Annotations["deployment.kubernetes.io/revision"], 10, 64); err == nil {
				revisions = append(revisions, v)
			}
		}
	}
	switch {
	case r.OneIn(10):
		in.ToRevision = int64(Pick(r, -1, 7))
	case r.Bool() && len(revisions) > 0:
		in.ToRevision = Pick(r, revisions...)
	}
	return in
}

// CloneUndo deep-copies every object of in.
func CloneUndo(in UndoInput) UndoInput {
	in.Deployment = in.Deployment.DeepCopy()
	in.ReplicaSets = cloneList(in.ReplicaSets)
	return in
}

// PermuteUndo reorders in's ReplicaSets.
func PermuteUndo(r *Reader, in UndoInput) UndoInput {
	in.ReplicaSets = Permute(r, in.ReplicaSets)
	return in
}

func deploymentObject(r *Reader, now time.Time) *appsv1.Deployment {
	gen := int64(r.IntRange(1, 5))
	replicas := int32(r.Intn(6))
	minReady := Pick[int32](r, 0, 0, 5, 10)
	labels := map[string]string{"app": "web"}
	d := &appsv1.Deployment{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{
			Name: "web", Namespace: Namespace, UID: "web-uid", Generation: gen, ResourceVersion: "50",
			CreationTimestamp: metav1.NewTime(now.Add(-100 * time.Hour)),
		},
		Spec: appsv1.DeploymentSpec{
			Replicas:             &replicas,
			MinReadySeconds:      minReady,
			Selector:             &metav1.LabelSelector{MatchLabels: labels},
			Template:             podTemplate(Pick(r, deploymentImages...), labels, v1.RestartPolicyAlways),
			Paused:               r.OneIn(6),
			RevisionHistoryLimit: int32p(Pick[int32](r, 10, 0, 1, 2)),
		},
		Status: appsv1.DeploymentStatus{ObservedGeneration: int64(r.IntRange(0, int(gen)))},
	}
	switch r.Intn(4) {
	case 0:
		d.Spec.ProgressDeadlineSeconds = int32p(600)
	case 1:
		d.Spec.ProgressDeadlineSeconds = int32p(math.MaxInt32)
	case 2:
		d.Spec.ProgressDeadlineSeconds = int32p(minReady + 30)
	default:
		d.Spec.ProgressDeadlineSeconds = int32p(600)
	}
	if r.OneIn(4) {
		d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
	} else {
		surge, unavailable := Pick(r, surgeValues...), Pick(r, surgeValues...)
		if isZero(surge) && isZero(unavailable) {
			unavailable = intstr.FromInt32(1) // the API server refuses both zero
		}
		d.Spec.Strategy = appsv1.DeploymentStrategy{
			Type:          appsv1.RollingUpdateDeploymentStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavailable},
		}
	}
	switch r.Intn(8) {
	case 0:
		d.Annotations = map[string]string{"team": "a", "kubernetes.io/change-cause": "rollout " + fmt.Sprint(gen)}
	case 1:
		d.Annotations = map[string]string{appsv1.DeprecatedRollbackTo: Pick(r, "0", "1", "2", "3", "x")}
	case 2:
		d.Annotations = map[string]string{"deployment.kubernetes.io/revision": Pick(r, "1", "2", "3")}
	}
	if r.OneIn(10) {
		ts := ago(r, now)
		d.DeletionTimestamp = &ts
	}
	if r.OneIn(6) {
		d.Status.CollisionCount = int32p(int32(r.Intn(3)))
	}
	d.Status.Replicas = int32(r.Intn(6))
	d.Status.UpdatedReplicas = int32(r.IntRange(0, int(d.Status.Replicas)))
	d.Status.ReadyReplicas = int32(r.IntRange(0, int(d.Status.Replicas)))
	d.Status.AvailableReplicas = int32(r.IntRange(0, int(d.Status.ReadyReplicas)))
	d.Status.Conditions = deploymentConditions(r, now)
	return d
}

func isZero(v intstr.IntOrString) bool {
	return (v.Type == intstr.Int && v.IntVal == 0) || (v.Type == intstr.String && v.StrVal == "0%")
}

// deploymentConditions are the Progressing and Available conditions
// earlier syncs may have left, in either order.
func deploymentConditions(r *Reader, now time.Time) []appsv1.DeploymentCondition {
	var conds []appsv1.DeploymentCondition
	if reason := Pick(r, "", "NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated", "NewReplicaSetAvailable", "ProgressDeadlineExceeded", "DeploymentPaused"); reason != "" {
		status := v1.ConditionTrue
		switch reason {
		case "ProgressDeadlineExceeded":
			status = v1.ConditionFalse
		case "DeploymentPaused":
			status = v1.ConditionUnknown
		}
		at := ago(r, now)
		conds = append(conds, appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: status, Reason: reason,
			Message: `ReplicaSet "web-x" is progressing.`, LastUpdateTime: at, LastTransitionTime: at})
	}
	if r.Bool() {
		status, reason := v1.ConditionTrue, "MinimumReplicasAvailable"
		if r.Bool() {
			status, reason = v1.ConditionFalse, "MinimumReplicasUnavailable"
		}
		at := ago(r, now)
		cond := appsv1.DeploymentCondition{Type: appsv1.DeploymentAvailable, Status: status, Reason: reason,
			Message: "Deployment has minimum availability.", LastUpdateTime: at, LastTransitionTime: at}
		if r.Bool() {
			conds = append([]appsv1.DeploymentCondition{cond}, conds...)
		} else {
			conds = append(conds, cond)
		}
	}
	return conds
}

// deploymentReplicaSet is the i-th ReplicaSet of d's history, made as the
// Deployment controller makes them (hash label, name, selector), with a
// revision, size annotations, a size and a status.
func deploymentReplicaSet(r *Reader, d *appsv1.Deployment, i int, now time.Time) *appsv1.ReplicaSet {
	tmpl := podTemplate(Pick(r, deploymentImages...), d.Spec.Template.Labels, v1.RestartPolicyAlways)
	var cc *int32
	if r.OneIn(6) {
		cc = int32p(int32(r.Intn(2)))
	}
	hash := workload.ComputeHash(&tmpl, cc)
	tmpl.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = hash
	rsName := d.Name + "-" + hash
	if r.OneIn(16) {
		// A ReplicaSet holding the name the current template hashes to,
		// with another template: a hash collision.
		rsName = d.Name + "-" + workload.ComputeHash(&d.Spec.Template, d.Status.CollisionCount)
	}
	replicas := int32(r.Intn(6))
	rs := &appsv1.ReplicaSet{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: metav1.ObjectMeta{
			Name: rsName, Namespace: Namespace, UID: types.UID(fmt.Sprintf("%s-uid-%d", rsName, i)),
			Generation: 1, ResourceVersion: fmt.Sprint(60 + i), Labels: copyLabels(tmpl.Labels),
			CreationTimestamp: metav1.NewTime(now.Add(-time.Duration(90-10*r.Intn(4)) * time.Hour)),
			Annotations:       map[string]string{},
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        &replicas,
			MinReadySeconds: Pick(r, d.Spec.MinReadySeconds, 0, 5),
			Selector:        &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: hash}},
			Template:        tmpl,
		},
	}
	switch r.Intn(8) {
	case 0: // an orphan the Deployment may adopt
	case 1:
		rs.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "Deployment", "other", "other-uid")}
	default:
		rs.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "Deployment", d.Name, d.UID)}
	}
	if r.OneIn(10) {
		rs.Labels = map[string]string{"app": "debug"}
	}
	switch r.Intn(8) {
	case 0:
	case 1:
		rs.Annotations["deployment.kubernetes.io/revision"] = Pick(r, "1", "x", "-2")
	default:
		rs.Annotations["deployment.kubernetes.io/revision"] = fmt.Sprint(i + 1)
	}
	if !r.OneIn(4) {
		desired := int32(1)
		if d.Spec.Replicas != nil {
			desired = *d.Spec.Replicas
		}
		rs.Annotations["deployment.kubernetes.io/desired-replicas"] = fmt.Sprint(Pick(r, desired, 2, 5))
		rs.Annotations["deployment.kubernetes.io/max-replicas"] = fmt.Sprint(r.Intn(8))
	}
	if r.OneIn(6) {
		rs.Annotations["kubernetes.io/change-cause"] = "rollout " + fmt.Sprint(i)
	}
	status := int32(r.IntRange(0, int(replicas)+1))
	ready := int32(r.IntRange(0, int(status)))
	available := int32(r.IntRange(0, int(ready)))
	rs.Status = appsv1.ReplicaSetStatus{Replicas: status, FullyLabeledReplicas: status, ReadyReplicas: ready, AvailableReplicas: available, ObservedGeneration: 1}
	if r.Bool() {
		rs.Status.TerminatingReplicas = int32p(int32(r.Intn(3)))
	}
	return rs
}

// deploymentPod is a pod of rs: running, terminating or finished (what
// Recreate waits for), sometimes relabelled or orphaned.
func deploymentPod(r *Reader, rs *appsv1.ReplicaSet, podName string, now time.Time) *v1.Pod {
	p := basePod(r, podName, &rs.Spec.Template, now)
	p.Namespace = rs.Namespace
	p.OwnerReferences = []metav1.OwnerReference{controllerRef("apps/v1", "ReplicaSet", rs.Name, rs.UID)}
	switch r.Intn(8) {
	case 0:
		p.Labels = map[string]string{"app": "debug"}
	case 1:
		p.OwnerReferences = nil
	}
	return p
}
