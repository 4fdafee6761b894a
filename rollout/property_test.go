package rollout_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

var propNow = scenario.Epoch

// genDeployment draws a valid RollingUpdate Deployment.
func genDeployment(t *rapid.T) *appsv1.Deployment {
	w := gen.NewDeploymentWorld(propNow, &appsv1.Deployment{})
	w.Deployment.Name = "web"
	l, _ := scenario.ParseLines("deployment web")
	if err := editDeployment(w, l[0]); err != nil {
		t.Fatal(err)
	}
	d := w.Deployment
	r := int32(rapid.IntRange(0, 12).Draw(t, "replicas"))
	d.Spec.Replicas = &r
	pick := func(label string) intstr.IntOrString {
		return rapid.SampledFrom([]intstr.IntOrString{
			intstr.FromInt32(0), intstr.FromInt32(1), intstr.FromInt32(2), intstr.FromInt32(3),
			intstr.FromString("0%"), intstr.FromString("10%"), intstr.FromString("25%"), intstr.FromString("50%"), intstr.FromString("100%"),
		}).Draw(t, label)
	}
	surge, unavail := pick("maxSurge"), pick("maxUnavailable")
	if surge.IntValue() == 0 && unavail.IntValue() == 0 && (surge.Type == intstr.Int || surge.StrVal == "0%") {
		unavail = intstr.FromInt32(1)
	}
	if surge.Type == intstr.String && surge.StrVal == "0%" && unavail.Type == intstr.String && unavail.StrVal == "0%" {
		unavail = intstr.FromInt32(1)
	}
	d.Spec.Strategy.RollingUpdate.MaxSurge, d.Spec.Strategy.RollingUpdate.MaxUnavailable = &surge, &unavail
	if rapid.Bool().Draw(t, "recreate") {
		d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	}
	h := int32(rapid.IntRange(0, 3).Draw(t, "history"))
	d.Spec.RevisionHistoryLimit = &h
	return d
}

// genWorld draws a Deployment with a few ReplicaSets of earlier images,
// some orphans and foreign ones, in an arbitrary but settled state.
func genWorld(t *rapid.T) *gen.DeploymentWorld {
	w := gen.NewDeploymentWorld(propNow, genDeployment(t))
	n := rapid.IntRange(0, 4).Draw(t, "rss")
	for i := range n {
		tmpl := *w.Deployment.Spec.Template.DeepCopy()
		tmpl.Spec.Containers[0].Image = fmt.Sprintf("nginx:1.%d", 20+rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("img%d", i)))
		hash := workload.ComputeHash(&tmpl, nil)
		tmpl.Labels = map[string]string{"app": "web", appsv1.DefaultDeploymentUniqueLabelKey: hash}
		r := int32(rapid.IntRange(0, 6).Draw(t, fmt.Sprintf("r%d", i)))
		rs := &appsv1.ReplicaSet{
			ObjectMeta: metav1.ObjectMeta{
				Name: fmt.Sprintf("web-%s", hash), Namespace: w.Deployment.Namespace, UID: types.UID(fmt.Sprintf("rs%d", i)),
				Generation: 1, CreationTimestamp: metav1.NewTime(propNow.Add(-time.Duration(i+1) * time.Hour)),
				Labels:      tmpl.Labels,
				Annotations: map[string]string{rollout.RevisionAnnotation: fmt.Sprint(i + 1)},
			},
			Spec: appsv1.ReplicaSetSpec{Replicas: &r, Template: tmpl, Selector: &metav1.LabelSelector{MatchLabels: tmpl.Labels}},
		}
		switch rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("owner%d", i)) {
		case 0: // orphan
		case 1:
			yes := true
			rs.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "other", UID: "other-uid", Controller: &yes}}
		default:
			rs.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(w.Deployment, appsv1.SchemeGroupVersion.WithKind("Deployment"))}
		}
		if _, dup := w.ReplicaSets[rs.Name]; !dup {
			w.ReplicaSets[rs.Name] = rs
		}
	}
	w.Settle()
	return w
}

// TestPropertyOrderAndPurity: the plan does not depend on the order of the
// input slices, and the inputs are left as they were.
func TestPropertyOrderAndPurity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		st := worldState(w)
		before := st.Deployment.DeepCopy()
		var rsBefore []*appsv1.ReplicaSet
		for _, rs := range st.ReplicaSets {
			rsBefore = append(rsBefore, rs.DeepCopy())
		}
		p1, err := rollout.Reconcile(st, propNow)
		if err != nil {
			t.Fatal(err)
		}
		shuffled := st
		shuffled.ReplicaSets = slices.Clone(st.ReplicaSets)
		slices.Reverse(shuffled.ReplicaSets)
		shuffled.Pods = slices.Clone(st.Pods)
		slices.Reverse(shuffled.Pods)
		p2, err := rollout.Reconcile(shuffled, propNow)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p1, p2); diff != "" {
			t.Fatalf("plan depends on input order:\n%s", diff)
		}
		if diff := cmp.Diff(before, st.Deployment); diff != "" {
			t.Fatalf("deployment mutated:\n%s", diff)
		}
		if diff := cmp.Diff(rsBefore, st.ReplicaSets); diff != "" {
			t.Fatalf("replicasets mutated:\n%s", diff)
		}
		for _, a := range p1.Actions {
			// A create never changes an existing object: a taken name
			// makes the API server answer AlreadyExists.
			if a.Resource != "replicasets" || a.Verb == workload.Create {
				continue
			}
			if rs, ok := w.ReplicaSets[a.Name]; ok {
				if ref := metav1.GetControllerOfNoCopy(rs); ref != nil && ref.UID != w.Deployment.UID {
					t.Fatalf("touched %s, owned by %s: %s", a.Name, ref.Name, a)
				}
			}
		}
	})
}

// TestPropertyRollout drives a template change to the end: apply each
// plan, let pods settle, sync again. Along the way the pods never exceed
// replicas + maxSurge (counting only what the Deployment owns) and, for
// RollingUpdate, availability never drops below replicas − maxUnavailable
// once reached; at the end exactly replicas pods run the new template and
// a further sync changes nothing.
func TestPropertyRollout(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		// Converge first, then change the image.
		converge(t, w, 40)
		next := w.Deployment.DeepCopy()
		next.Spec.Template.Spec.Containers[0].Image = "nginx:2." + fmt.Sprint(rapid.IntRange(0, 3).Draw(t, "newimg"))
		next.Generation++
		w.Deployment = next
		replicas := *w.Deployment.Spec.Replicas
		surge, unavail := int32(0), int32(0)
		if w.Deployment.Spec.Strategy.RollingUpdate != nil {
			s, _ := intstr.GetScaledValueFromIntOrPercent(w.Deployment.Spec.Strategy.RollingUpdate.MaxSurge, int(replicas), true)
			u, _ := intstr.GetScaledValueFromIntOrPercent(w.Deployment.Spec.Strategy.RollingUpdate.MaxUnavailable, int(replicas), false)
			surge, unavail = int32(s), int32(u)
			if surge == 0 && unavail == 0 {
				unavail = 1
			}
			unavail = min(unavail, replicas)
		}
		for i := 0; i < 60; i++ {
			p, err := rollout.Reconcile(worldState(w), w.Now)
			if err != nil {
				t.Fatal(err)
			}
			w.Apply(p.Plan)
			w.Settle()
			total, available := owned(w)
			if total > replicas+surge {
				t.Fatalf("sync %d: %d pods > %d + %d", i, total, replicas, surge)
			}
			if w.Deployment.Spec.Strategy.RollingUpdate != nil && available < replicas-unavail {
				t.Fatalf("sync %d: %d available < %d − %d", i, available, replicas, unavail)
			}
			if p.Empty() || onlyStatus(p.Plan) && converged(w) {
				break
			}
		}
		converge(t, w, 10)
		if !converged(w) {
			t.Fatalf("did not converge:\n%s", show(w))
		}
		p, _ := rollout.Reconcile(worldState(w), w.Now)
		for _, a := range p.Actions {
			if a.Resource == "replicasets" && a.Verb != workload.Delete {
				t.Fatalf("converged state still changes replicasets: %s", a)
			}
		}
	})
}

func converge(t *rapid.T, w *gen.DeploymentWorld, n int) {
	for range n {
		p, err := rollout.Reconcile(worldState(w), w.Now)
		if err != nil {
			t.Fatal(err)
		}
		if p.Empty() {
			return
		}
		w.Apply(p.Plan)
		w.Settle()
	}
}

func onlyStatus(p workload.Plan) bool {
	for _, a := range p.Actions {
		if a.Verb != workload.UpdateStatus {
			return false
		}
	}
	return true
}

// owned counts the pods of the ReplicaSets the Deployment controls.
func owned(w *gen.DeploymentWorld) (total, available int32) {
	for _, rs := range w.ReplicaSets {
		if ref := metav1.GetControllerOfNoCopy(rs); ref != nil && ref.UID == w.Deployment.UID {
			total += rs.Status.Replicas
			available += rs.Status.AvailableReplicas
		}
	}
	return total, available
}

// converged: the new ReplicaSet runs all replicas and no other owned
// ReplicaSet runs any.
func converged(w *gen.DeploymentWorld) bool {
	newRS := w.NewReplicaSet()
	if newRS == nil {
		return *w.Deployment.Spec.Replicas == 0
	}
	total, _ := owned(w)
	return newRS.Status.AvailableReplicas == *w.Deployment.Spec.Replicas && total == *w.Deployment.Spec.Replicas
}

// worldState is what a sync of the world observes.
func worldState(w *gen.DeploymentWorld) rollout.State {
	st := w.State()
	return rollout.State{Deployment: st.Deployment, ReplicaSets: st.ReplicaSets, Pods: st.Pods}
}

// TestPropertyEventsFollowScaling: the ScalingReplicaSet events are the
// resizes of the plan, one each, in the order of the calls: a ReplicaSet
// created with replicas (unless its name is taken) or updated to another
// size. Writes that only refresh annotations record nothing.
func TestPropertyEventsFollowScaling(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		w.Deployment.Spec.Template.Spec.Containers[0].Image = "nginx:2." + fmt.Sprint(rapid.IntRange(0, 3).Draw(t, "newimg"))
		for range rapid.IntRange(1, 6).Draw(t, "syncs") {
			p, err := rollout.Reconcile(worldState(w), w.Now)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, a := range p.Actions {
				rs, ok := a.Object.(*appsv1.ReplicaSet)
				switch {
				case !ok:
				case a.Verb == workload.Create && *rs.Spec.Replicas > 0 && w.ReplicaSets[rs.Name] == nil:
					want = append(want, fmt.Sprintf("Scaled up replica set %s from 0 to %d", rs.Name, *rs.Spec.Replicas))
				case a.Verb == workload.Update && *rs.Spec.Replicas != *w.ReplicaSets[rs.Name].Spec.Replicas:
					dir := "down"
					if *rs.Spec.Replicas > *w.ReplicaSets[rs.Name].Spec.Replicas {
						dir = "up"
					}
					want = append(want, fmt.Sprintf("Scaled %s replica set %s from %d to %d", dir, rs.Name, *w.ReplicaSets[rs.Name].Spec.Replicas, *rs.Spec.Replicas))
				}
			}
			var got []string
			for _, e := range p.Events {
				if e.Reason == rollout.EventScalingReplicaSet {
					got = append(got, e.Message)
				}
			}
			if !slices.Equal(want, got) {
				t.Fatalf("scaling events %q, want %q from the calls\n%s", got, want, p)
			}
			w.Apply(p.Plan)
			w.Settle()
		}
	})
}
