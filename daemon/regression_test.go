package daemon_test

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/workload"
)

// plainState is a valid state: a fluentd DaemonSet (maxUnavailable 1) on
// nodes node-0 and node-1, nothing else yet.
func plainState() daemon.State {
	return daemon.State{DaemonSet: gen.CleanDaemonSet("fluentd:1.16", false, intstr.FromInt32(1), epoch), Nodes: gen.PlainNodes(2)}
}

// A state no API server holds is refused with an error naming the field,
// whatever the order of the lists.
func TestInvalidInputRefused(t *testing.T) {
	pod := func(name string) *v1.Pod {
		return &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("uid-" + name)}}
	}
	tests := []struct {
		name  string
		edit  func(*daemon.State)
		field string
	}{
		{"duplicate node", func(s *daemon.State) { s.Nodes = append(s.Nodes, s.Nodes[0].DeepCopy()) }, "nodes[2].metadata.name"},
		{"duplicate pod name", func(s *daemon.State) {
			a, b := pod("p"), pod("p")
			b.UID = "other"
			s.Pods = []*v1.Pod{a, b}
		}, "pods[1].metadata.name"},
		{"duplicate pod uid", func(s *daemon.State) {
			a, b := pod("p"), pod("q")
			b.UID = a.UID
			s.Pods = []*v1.Pod{a, b}
		}, "pods[1].metadata.uid"},
		{"duplicate revision", func(s *daemon.State) {
			r := &appsv1.ControllerRevision{ObjectMeta: metav1.ObjectMeta{Name: "r", Namespace: "default"}}
			s.Revisions = []*appsv1.ControllerRevision{r, r.DeepCopy()}
		}, "revisions[1].metadata.name"},
		{"node without a name", func(s *daemon.State) { s.Nodes[1] = &v1.Node{} }, "nodes[1].metadata.name"},
		{"taint without effect", func(s *daemon.State) {
			n := s.Nodes[0].DeepCopy()
			n.Spec.Taints = []v1.Taint{{Key: "dedicated"}}
			s.Nodes[0] = n
		}, "nodes[0].spec.taints[0].effect"},
		{"negative revision", func(s *daemon.State) {
			s.Revisions = []*appsv1.ControllerRevision{{ObjectMeta: metav1.ObjectMeta{Name: "r", Namespace: "default"}, Revision: -1}}
		}, "revisions[0].revision"},
		{"back-off beyond its maximum", func(s *daemon.State) {
			s.Backoff = map[string]backoff.Entry{"k": {Delay: backoff.DaemonMax + time.Second, LastUpdate: epoch}}
		}, "backoff[k].delay"},
		{"unknown node affinity operator", func(s *daemon.State) {
			s.DaemonSet.Spec.Template.Spec.Affinity = requiredAffinity(v1.NodeSelectorRequirement{Key: "zone", Operator: "Near", Values: []string{"a"}})
		}, "daemonSet.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator"},
		{"Gt with two values", func(s *daemon.State) {
			s.DaemonSet.Spec.Template.Spec.Affinity = requiredAffinity(v1.NodeSelectorRequirement{Key: "cores", Operator: v1.NodeSelectorOpGt, Values: []string{"1", "2"}})
		}, "matchExpressions[0].values"},
		{"unknown toleration operator", func(s *daemon.State) {
			s.DaemonSet.Spec.Template.Spec.Tolerations = []v1.Toleration{{Key: "k", Operator: "Gt", Value: "1"}}
		}, "daemonSet.spec.template.spec.tolerations[0].operator"},
		{"undefaulted template", func(s *daemon.State) {
			s.DaemonSet.Spec.Template.Spec.DNSPolicy = ""
		}, "daemonSet.spec.template.spec.dnsPolicy"},
		{"nil revisionHistoryLimit", func(s *daemon.State) { s.DaemonSet.Spec.RevisionHistoryLimit = nil }, "daemonSet.spec.revisionHistoryLimit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := plainState()
			tt.edit(&s)
			_, err := daemon.Reconcile(s, epoch)
			if err == nil || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("got %v, want an error naming %s", err, tt.field)
			}
		})
	}
}

func requiredAffinity(reqs ...v1.NodeSelectorRequirement) *v1.Affinity {
	return &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
		NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchExpressions: reqs}}}}}
}

// Two nodes of one name used to give a plan that depended on their order.
func TestDuplicateNodesOrderIndependent(t *testing.T) {
	a := plainState()
	twin := a.Nodes[0].DeepCopy()
	twin.Labels = map[string]string{"other": "copy"}
	a.Nodes = []*v1.Node{a.Nodes[0], twin}
	b := a
	b.Nodes = []*v1.Node{twin, a.Nodes[0]}
	for _, s := range []daemon.State{a, b} {
		if _, err := daemon.Reconcile(s, epoch); err == nil {
			t.Errorf("duplicate nodes accepted")
		}
	}
}

// A Gt requirement whose value is no integer passes the API server's
// validation (a valid label value is all it asks); upstream's parser
// rejects the term, which then matches no node. The plan does the same.
func TestGtWithNonIntegerMatchesNoNode(t *testing.T) {
	s := plainState()
	s.DaemonSet.Spec.Template.Spec.Affinity = requiredAffinity(v1.NodeSelectorRequirement{Key: "cores", Operator: v1.NodeSelectorOpGt, Values: []string{"many"}})
	plan, err := daemon.Reconcile(s, epoch)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range plan.Actions {
		if a.Resource == workload.ResourcePods {
			t.Errorf("unexpected pod call %s", a)
		}
	}
}

// A DaemonSet with an empty selector, stored under older validation:
// upstream warns and makes no call, whatever else the object holds.
func TestSelectingAllGuard(t *testing.T) {
	s := plainState()
	s.DaemonSet.Spec.Selector = &metav1.LabelSelector{}
	s.DaemonSet.Spec.RevisionHistoryLimit = nil // not read
	plan, err := daemon.Reconcile(s, epoch)
	if err != nil {
		t.Fatal(err)
	}
	want := "event Warning SelectingAll: This daemon set is selecting all pods. A non-empty selector is required."
	if got := plan.String(); got != want || len(plan.Actions) != 0 || plan.Requeue || plan.RequeueAfter != 0 {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(plan.Events) != 1 || plan.Events[0].Object.Name != "fluentd" || plan.Events[0].Object.Kind != "DaemonSet" {
		t.Errorf("event object %+v", plan.Events)
	}
}

// The events of a sync come in upstream's order: the failed and succeeded
// pods found while walking the nodes, then one SuccessfulCreate per create
// and one SuccessfulDelete per delete.
func TestEventsFollowCalls(t *testing.T) {
	s := plainState()
	s.Nodes = gen.PlainNodes(3)
	mk := func(name, node string, phase v1.PodPhase) *v1.Pod {
		return &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("uid-" + name), Labels: map[string]string{"app": "fluentd"},
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(s.DaemonSet, appsv1.SchemeGroupVersion.WithKind("DaemonSet"))}},
			Spec: v1.PodSpec{NodeName: node}, Status: v1.PodStatus{Phase: phase}}
	}
	s.Pods = []*v1.Pod{mk("a", "node-1", v1.PodFailed), mk("b", "node-2", v1.PodSucceeded)}
	plan, err := daemon.Reconcile(s, epoch)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range plan.Events {
		got = append(got, e.String())
	}
	want := []string{
		"Warning FailedDaemonPod: Found failed daemon pod default/a on node node-1, will try to kill it",
		"Normal SucceededDaemonPod: Found succeeded daemon pod default/b on node node-2, will try to delete it",
		"Normal SuccessfulCreate: Created pod: ",
		"Normal SuccessfulDelete: Deleted pod: a",
		"Normal SuccessfulDelete: Deleted pod: b",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Regression (found by TestPropertySteadyState): with maxSurge 1, a node
// held a stale-revision running pod and a pending new pod pinned to it by
// node affinity but never scheduled. The plan, "no actions", was right:
// upstream keeps both while the new pod is not yet available. The test
// world was wrong: its scheduler never bound a pod the generator made
// pinned-only, so the new pod stayed pending for ever. Settle now binds
// pinned pods, and the node converges to one pod.
func TestSteadyStateSurgeWithPinnedPendingPod(t *testing.T) {
	ds := gen.CleanDaemonSet("fluentd:1.16", true, intstr.FromInt32(1), epoch)
	hash := workload.ComputeHash(&ds.Spec.Template, nil)
	ref := *metav1.NewControllerRef(ds, appsv1.SchemeGroupVersion.WithKind("DaemonSet"))
	old := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "fluentd-p0", Namespace: "default", UID: "p0-uid", CreationTimestamp: metav1.NewTime(epoch.Add(-2 * time.Hour)),
			Labels: map[string]string{"app": "fluentd", appsv1.DefaultDaemonSetUniqueLabelKey: "stale"}, OwnerReferences: []metav1.OwnerReference{ref}},
		Spec:   *ds.Spec.Template.Spec.DeepCopy(),
		Status: v1.PodStatus{Phase: v1.PodRunning},
	}
	old.Spec.NodeName = "node-0"
	pending := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "fluentd-p1", Namespace: "default", UID: "p1-uid", CreationTimestamp: metav1.NewTime(epoch.Add(-2 * time.Hour)),
			Labels: map[string]string{"app": "fluentd", appsv1.DefaultDaemonSetUniqueLabelKey: hash}, OwnerReferences: []metav1.OwnerReference{ref}},
		Spec:   *ds.Spec.Template.Spec.DeepCopy(),
		Status: v1.PodStatus{Phase: v1.PodPending},
	}
	pending.Spec.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{
		NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchFields: []v1.NodeSelectorRequirement{{Key: metav1.ObjectNameField, Operator: v1.NodeSelectorOpIn, Values: []string{"node-0"}}}}}}}}
	w := gen.NewDaemonSetWorld(epoch, ds, gen.PlainNodes(1))
	w.Pods = []*v1.Pod{old, pending}
	for range 10 {
		w.Settle()
		plan, err := daemon.Reconcile(w.State(), w.Now)
		if err != nil {
			t.Fatal(err)
		}
		w.Apply(plan)
		w.Advance(time.Second)
	}
	if pods := w.PodsByNode()["node-0"]; len(pods) != 1 || pods[0].Name != "fluentd-p1" {
		var names []string
		for _, p := range pods {
			names = append(names, p.Name)
		}
		t.Errorf("node-0 runs %v, want the new pod alone", names)
	}
}
