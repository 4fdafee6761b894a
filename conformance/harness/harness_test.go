package harness

import (
	"strings"
	"testing"
	"time"

	apps "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

func smokeReplicaSet(replicas int32) *apps.ReplicaSet {
	return &apps.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "rs-uid", Generation: 2, ResourceVersion: "7"},
		Spec: apps.ReplicaSetSpec{
			Replicas: ptr.To(replicas),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "nginx"}}},
			},
		},
	}
}

func smokePod(name string, owner *apps.ReplicaSet, created time.Time) *v1.Pod {
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: "default", UID: types.UID("uid-" + name),
			Labels:            map[string]string{"app": "web"},
			CreationTimestamp: metav1.NewTime(created),
		},
		Spec:   v1.PodSpec{NodeName: "node-1", Containers: []v1.Container{{Name: "c", Image: "nginx"}}},
		Status: v1.PodStatus{Phase: v1.PodRunning},
	}
	if owner != nil {
		p.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(owner, apps.SchemeGroupVersion.WithKind("ReplicaSet"))}
	}
	return p
}

func TestSyncReplicaSetScalesUpAndAdopts(t *testing.T) {
	rs := smokeReplicaSet(3)
	now := time.Now()
	res, err := SyncReplicaSet(ReplicaSetState{
		ReplicaSet: rs,
		Pods:       []*v1.Pod{smokePod("owned", rs, now.Add(-time.Hour)), smokePod("orphan", nil, now.Add(-time.Hour))},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.SyncErr != nil {
		t.Fatalf("sync error: %v", res.SyncErr)
	}
	lines := RenderAll(res.Calls)
	for _, l := range lines {
		t.Log(l)
	}
	want := []string{"patch pods default/orphan", "create pods default/", "update-status replicasets default/web"}
	if len(lines) != len(want) {
		t.Fatalf("got %d calls, want %d", len(lines), len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("call %d = %q, want prefix %q", i, lines[i], w)
		}
	}
	if !strings.Contains(lines[2], `"replicas":3`) && !strings.Contains(lines[2], `"replicas":2`) {
		t.Errorf("status update does not carry the replica count: %s", lines[2])
	}
}

func TestSyncReplicaSetScalesDown(t *testing.T) {
	rs := smokeReplicaSet(1)
	now := time.Now()
	old := smokePod("old", rs, now.Add(-48*time.Hour))
	young := smokePod("young", rs, now.Add(-time.Minute))
	res, err := SyncReplicaSet(ReplicaSetState{ReplicaSet: rs, Pods: []*v1.Pod{old, young}})
	if err != nil {
		t.Fatal(err)
	}
	lines := RenderAll(res.Calls)
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "delete pods default/young") {
		t.Fatalf("want the younger pod deleted, then a status update; got:\n%s", strings.Join(lines, "\n"))
	}
}

// TestOtherSyncsLink runs every other linked sync once on a key that does
// not exist: it proves the symbols resolve and the signatures hold.
func TestOtherSyncsLink(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if res, err := SyncDeployment(DeploymentState{}, now); err != nil || res.SyncErr != nil || len(res.Calls) != 0 {
		t.Errorf("deployment: %v %v %v", err, res.SyncErr, res.Calls)
	}
	if res, err := SyncDaemonSet(DaemonSetState{}, now); err != nil || res.SyncErr != nil || len(res.Calls) != 0 {
		t.Errorf("daemonset: %v %v %v", err, res.SyncErr, res.Calls)
	}
	if res, err := SyncJob(JobState{}, now); err != nil || res.SyncErr != nil || len(res.Calls) != 0 {
		t.Errorf("job: %v %v %v", err, res.SyncErr, res.Calls)
	}
	if res, err := SyncCronJob(CronJobState{}, now); err != nil || res.SyncErr != nil || len(res.Calls) != 0 || res.RequeueAfter != nil {
		t.Errorf("cronjob: %v %v %v %v", err, res.SyncErr, res.Calls, res.RequeueAfter)
	}
}

// TestDeploymentSyncCreatesReplicaSet is a first real Deployment sync: a
// new Deployment gets its first ReplicaSet.
func TestDeploymentSyncCreatesReplicaSet(t *testing.T) {
	d := &apps.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default", UID: "d-uid", Generation: 1},
		Spec: apps.DeploymentSpec{
			Replicas:                ptr.To[int32](2),
			Selector:                &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template:                smokeReplicaSet(2).Spec.Template,
			Strategy:                apps.DeploymentStrategy{Type: apps.RecreateDeploymentStrategyType},
			RevisionHistoryLimit:    ptr.To[int32](10),
			ProgressDeadlineSeconds: ptr.To[int32](600),
		},
	}
	res, err := SyncDeployment(DeploymentState{Deployment: d}, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	lines := RenderAll(res.Calls)
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "create replicasets default/web-") {
		t.Fatalf("want a ReplicaSet create first; got:\n%s", strings.Join(lines, "\n"))
	}
}
