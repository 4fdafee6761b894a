package gen

import (
	"fmt"
	"math"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/internal/apidefault"
	"github.com/kubepure/kubepure/workload"
)

// DeploymentState is a generated input of one Deployment sync.
type DeploymentState struct {
	Deployment  *appsv1.Deployment
	ReplicaSets []*appsv1.ReplicaSet
	Pods        []*v1.Pod
}

// images are the template variants a Deployment moves between; a
// ReplicaSet built from one of them is the "new" one when the Deployment's
// template uses the same image.
var images = []string{"nginx:1.24", "nginx:1.25", "nginx:1.26", "nginx:1.27"}

// surgeValues are the maxSurge / maxUnavailable values drawn: integers and
// percentages, zero in both forms, rounding corners, 100%.
var surgeValues = []intstr.IntOrString{
	intstr.FromString("25%"), intstr.FromInt32(0), intstr.FromInt32(1), intstr.FromInt32(2),
	intstr.FromString("0%"), intstr.FromString("10%"), intstr.FromString("50%"), intstr.FromString("100%"),
	intstr.FromInt32(5),
}

// Deployment draws a Deployment sync state at now: a Deployment part-way
// through a life of rollouts, the ReplicaSets it left behind (some owned by
// someone else, some orphans, one perhaps colliding with the new
// ReplicaSet's name), and, for Recreate, their pods.
func Deployment(t *rapid.T, now time.Time) DeploymentState {
	d := deployment(t, now)
	st := DeploymentState{Deployment: d}
	n := rapid.IntRange(0, 4).Draw(t, "replicaSets")
	names := map[string]bool{}
	for i := range n {
		rs := deploymentReplicaSet(t, d, i, now)
		if names[rs.Name] {
			continue // names are unique in a namespace
		}
		names[rs.Name] = true
		st.ReplicaSets = append(st.ReplicaSets, rs)
	}
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType || rapid.IntRange(0, 3).Draw(t, "podsAnyway") == 0 {
		for _, rs := range st.ReplicaSets {
			for j := range rapid.IntRange(0, 3).Draw(t, rs.Name+".pods") {
				st.Pods = append(st.Pods, replicaSetPod(t, rs, fmt.Sprintf("%s-p%d", rs.Name, j), now))
			}
		}
	}
	return st
}

func deployment(t *rapid.T, now time.Time) *appsv1.Deployment {
	gen := rapid.Int64Range(1, 5).Draw(t, "d.generation")
	replicas := int32(rapid.IntRange(0, 6).Draw(t, "d.replicas"))
	minReady := rapid.SampledFrom([]int32{0, 0, 5, 10}).Draw(t, "d.minReady")
	labels := map[string]string{"app": "web"}
	d := &appsv1.Deployment{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{
			Name: DeploymentName, Namespace: Namespace, UID: types.UID(DeploymentName + "-uid"),
			Generation: gen, ResourceVersion: "50",
			CreationTimestamp: metav1.NewTime(now.Add(-100 * time.Hour)),
		},
		Spec: appsv1.DeploymentSpec{
			Replicas:        &replicas,
			MinReadySeconds: minReady,
			Selector:        &metav1.LabelSelector{MatchLabels: labels},
			Template:        deploymentTemplate(images[rapid.IntRange(0, len(images)-1).Draw(t, "d.image")], labels),
			Paused:          rapid.IntRange(0, 5).Draw(t, "d.paused") == 0,
		},
		Status: appsv1.DeploymentStatus{ObservedGeneration: rapid.Int64Range(0, gen).Draw(t, "d.observed")},
	}
	if rapid.IntRange(0, 3).Draw(t, "d.recreate") == 0 {
		d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
	} else {
		surge := rapid.SampledFrom(surgeValues).Draw(t, "d.maxSurge")
		unavailable := rapid.SampledFrom(surgeValues).Draw(t, "d.maxUnavailable")
		if isZero(surge) && isZero(unavailable) {
			unavailable = intstr.FromInt32(1) // the API server rejects both zero
		}
		d.Spec.Strategy = appsv1.DeploymentStrategy{
			Type:          appsv1.RollingUpdateDeploymentStrategyType,
			RollingUpdate: &appsv1.RollingUpdateDeployment{MaxSurge: &surge, MaxUnavailable: &unavailable},
		}
	}
	// The API server defaults both to a number (10 and 600); MaxInt32
	// means "keep every revision" and "no deadline" (what extensions/v1beta1
	// objects carry).
	limit := rapid.SampledFrom([]int32{math.MaxInt32, 0, 1, 2, 10}).Draw(t, "d.revisionHistoryLimit")
	d.Spec.RevisionHistoryLimit = &limit
	switch rapid.IntRange(0, 3).Draw(t, "d.progressDeadline") {
	case 0:
		pds := int32(math.MaxInt32)
		d.Spec.ProgressDeadlineSeconds = &pds
	case 2:
		pds := minReady + 30
		d.Spec.ProgressDeadlineSeconds = &pds
	default:
		pds := int32(600)
		d.Spec.ProgressDeadlineSeconds = &pds
	}
	if rapid.IntRange(0, 3).Draw(t, "d.annotated") == 0 {
		d.Annotations = map[string]string{"team": "a", "kubernetes.io/change-cause": "rollout " + fmt.Sprint(gen)}
	}
	if rapid.IntRange(0, 11).Draw(t, "d.rollback") == 0 {
		d.Annotations = map[string]string{appsv1.DeprecatedRollbackTo: fmt.Sprint(rapid.IntRange(0, 3).Draw(t, "d.rollbackTo"))}
	}
	if rapid.IntRange(0, 39).Draw(t, "d.selectAll") == 23 {
		// The empty selector older API servers stored; upstream guards
		// against it (SelectingAll).
		d.Spec.Selector = &metav1.LabelSelector{}
	}
	if rapid.IntRange(0, 11).Draw(t, "d.deleting") == 0 {
		ts := metav1.NewTime(now.Add(-time.Second))
		d.DeletionTimestamp = &ts
	}
	if rapid.IntRange(0, 7).Draw(t, "d.collisions") == 0 {
		c := int32(rapid.IntRange(0, 2).Draw(t, "d.collisionCount"))
		d.Status.CollisionCount = &c
	}
	d.Status.Replicas = int32(rapid.IntRange(0, 6).Draw(t, "d.status.replicas"))
	d.Status.UpdatedReplicas = int32(rapid.IntRange(0, int(d.Status.Replicas)).Draw(t, "d.status.updated"))
	d.Status.ReadyReplicas = int32(rapid.IntRange(0, int(d.Status.Replicas)).Draw(t, "d.status.ready"))
	d.Status.AvailableReplicas = int32(rapid.IntRange(0, int(d.Status.ReadyReplicas)).Draw(t, "d.status.available"))
	d.Status.Conditions = deploymentConditions(t, now)
	return d
}

func isZero(v intstr.IntOrString) bool {
	return (v.Type == intstr.Int && v.IntVal == 0) || (v.Type == intstr.String && v.StrVal == "0%")
}

// deploymentConditions draws the Progressing and Available conditions a
// Deployment may carry from earlier syncs, with their reasons and ages.
func deploymentConditions(t *rapid.T, now time.Time) []appsv1.DeploymentCondition {
	var conds []appsv1.DeploymentCondition
	if reason := rapid.SampledFrom([]string{"", "NewReplicaSetCreated", "FoundNewReplicaSet", "ReplicaSetUpdated", "NewReplicaSetAvailable", "ProgressDeadlineExceeded"}).Draw(t, "d.progressing"); reason != "" {
		status := v1.ConditionTrue
		if reason == "ProgressDeadlineExceeded" {
			status = v1.ConditionFalse
		}
		at := metav1.NewTime(now.Add(-rapid.SampledFrom([]time.Duration{10 * time.Second, 29 * time.Second, 31 * time.Second, 5 * time.Minute, 11 * time.Minute}).Draw(t, "d.progressingAge")))
		conds = append(conds, appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: status, Reason: reason,
			Message: "ReplicaSet \"web-x\" is progressing.", LastUpdateTime: at, LastTransitionTime: at})
	}
	if rapid.Bool().Draw(t, "d.availableCond") {
		status := rapid.SampledFrom([]v1.ConditionStatus{v1.ConditionTrue, v1.ConditionFalse}).Draw(t, "d.available")
		reason := "MinimumReplicasAvailable"
		if status == v1.ConditionFalse {
			reason = "MinimumReplicasUnavailable"
		}
		at := metav1.NewTime(now.Add(-time.Hour))
		cond := appsv1.DeploymentCondition{Type: appsv1.DeploymentAvailable, Status: status, Reason: reason,
			Message: "Deployment has minimum availability.", LastUpdateTime: at, LastTransitionTime: at}
		if rapid.Bool().Draw(t, "d.availableFirst") {
			conds = append([]appsv1.DeploymentCondition{cond}, conds...)
		} else {
			conds = append(conds, cond)
		}
	}
	return conds
}

func template(image string, labels map[string]string) v1.PodTemplateSpec {
	l := make(map[string]string, len(labels))
	for k, v := range labels {
		l[k] = v
	}
	return v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: l},
		Spec: v1.PodSpec{
			Containers:    []v1.Container{{Name: "app", Image: image}},
			RestartPolicy: v1.RestartPolicyAlways,
		},
	}
}

// deploymentTemplate is template as the API server stores it, with the
// fields it always defaults filled in: the Deployment controller refuses
// anything else.
func deploymentTemplate(image string, labels map[string]string) v1.PodTemplateSpec {
	return apidefault.Template(template(image, labels))
}

// deploymentReplicaSet draws the i-th ReplicaSet of d's history: built from
// one of the template variants as the Deployment controller builds it
// (hash label, name, selector), with a revision, a size and a status.
func deploymentReplicaSet(t *rapid.T, d *appsv1.Deployment, i int, now time.Time) *appsv1.ReplicaSet {
	label := fmt.Sprintf("rs%d", i)
	tmpl := deploymentTemplate(images[rapid.IntRange(0, len(images)-1).Draw(t, label+".image")], d.Spec.Template.Labels)
	var cc *int32
	if rapid.IntRange(0, 5).Draw(t, label+".collided") == 0 {
		c := int32(rapid.IntRange(0, 1).Draw(t, label+".collisionCount"))
		cc = &c
	}
	hash := workload.ComputeHash(&tmpl, cc)
	tmpl.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = hash
	name := d.Name + "-" + hash
	if rapid.IntRange(0, 15).Draw(t, label+".squatter") == 0 {
		// A ReplicaSet holding the name the Deployment's current template
		// hashes to, but with another template: a hash collision.
		dt := d.Spec.Template
		name = d.Name + "-" + workload.ComputeHash(&dt, d.Status.CollisionCount)
	}
	replicas := int32(rapid.IntRange(0, 6).Draw(t, label+".replicas"))
	rs := &appsv1.ReplicaSet{
		TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: Namespace, UID: types.UID(name + "-uid-" + fmt.Sprint(i)),
			Generation: 1, ResourceVersion: fmt.Sprint(60 + i),
			Labels:            tmpl.Labels,
			CreationTimestamp: metav1.NewTime(now.Add(-time.Duration(90-10*i) * time.Hour)),
			Annotations:       map[string]string{},
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        &replicas,
			MinReadySeconds: rapid.SampledFrom([]int32{d.Spec.MinReadySeconds, d.Spec.MinReadySeconds, 0, 5}).Draw(t, label+".minReady"),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{
				"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: hash,
			}},
			Template: tmpl,
		},
	}
	switch rapid.IntRange(0, 9).Draw(t, label+".owner") {
	case 0:
		// an orphan the Deployment may adopt
	case 1:
		rs.OwnerReferences = []metav1.OwnerReference{ControllerRef("Deployment", "other")}
	default:
		ref := ControllerRef("Deployment", d.Name)
		ref.UID = d.UID
		rs.OwnerReferences = []metav1.OwnerReference{ref}
	}
	switch rapid.IntRange(0, 9).Draw(t, label+".revision") {
	case 0:
	case 1:
		rs.Annotations["deployment.kubernetes.io/revision"] = "1"
	default:
		rs.Annotations["deployment.kubernetes.io/revision"] = fmt.Sprint(i + 1)
	}
	if rapid.IntRange(0, 3).Draw(t, label+".sizeAnnotations") != 0 {
		rs.Annotations["deployment.kubernetes.io/desired-replicas"] = fmt.Sprint(rapid.SampledFrom([]int32{*d.Spec.Replicas, *d.Spec.Replicas, 2, 5}).Draw(t, label+".desired"))
		rs.Annotations["deployment.kubernetes.io/max-replicas"] = fmt.Sprint(rapid.IntRange(0, 8).Draw(t, label+".max"))
	}
	if rapid.IntRange(0, 5).Draw(t, label+".changeCause") == 0 {
		rs.Annotations["kubernetes.io/change-cause"] = "rollout " + fmt.Sprint(i)
	}
	status := int32(rapid.IntRange(0, int(replicas)+1).Draw(t, label+".status.replicas"))
	ready := int32(rapid.IntRange(0, int(status)).Draw(t, label+".status.ready"))
	available := int32(rapid.IntRange(0, int(ready)).Draw(t, label+".status.available"))
	rs.Status = appsv1.ReplicaSetStatus{
		Replicas: status, FullyLabeledReplicas: status, ReadyReplicas: ready, AvailableReplicas: available,
		ObservedGeneration: 1,
	}
	if rapid.Bool().Draw(t, label+".terminatingSet") {
		n := int32(rapid.IntRange(0, 2).Draw(t, label+".terminating"))
		rs.Status.TerminatingReplicas = &n
	}
	return rs
}

// replicaSetPod draws a pod of rs for the Recreate strategy, which waits
// for old pods to stop running: running, terminating or finished.
func replicaSetPod(t *rapid.T, rs *appsv1.ReplicaSet, name string, now time.Time) *v1.Pod {
	ref := ControllerRef("ReplicaSet", rs.Name)
	ref.UID = rs.UID
	p := &v1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: Namespace, UID: types.UID(name + "-uid"), ResourceVersion: "10",
			Labels: rs.Spec.Template.Labels, OwnerReferences: []metav1.OwnerReference{ref},
			CreationTimestamp: metav1.NewTime(now.Add(-time.Hour)),
		},
		Spec: rs.Spec.Template.Spec,
		Status: v1.PodStatus{Phase: rapid.SampledFrom([]v1.PodPhase{
			v1.PodRunning, v1.PodPending, v1.PodSucceeded, v1.PodFailed, v1.PodUnknown,
		}).Draw(t, name+".phase")},
	}
	if rapid.IntRange(0, 3).Draw(t, name+".deleting") == 0 {
		ts := metav1.NewTime(now.Add(-5 * time.Second))
		p.DeletionTimestamp = &ts
	}
	switch rapid.IntRange(0, 7).Draw(t, name+".stray") {
	case 0:
		p.Labels = map[string]string{"app": "debug"} // relabelled out of the selector
	case 1:
		p.OwnerReferences = nil // orphaned
	}
	return p
}
