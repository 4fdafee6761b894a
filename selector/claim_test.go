package selector

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

func TestClaimObjectsRules(t *testing.T) {
	web := map[string]string{"app": "web"}
	db := map[string]string{"app": "db"}
	sel := labels.SelectorFromSet(web)
	deleting := func(p *v1.Pod) *v1.Pod {
		ts := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		p.DeletionTimestamp = &ts
		return p
	}
	otherNS := func(p *v1.Pod) *v1.Pod { p.Namespace = "other"; return p }

	tests := []struct {
		name          string
		ownerDeleting bool
		pod           *v1.Pod
		claimed       bool
		change        ChangeKind // "" for none
	}{
		{name: "ours and selected", pod: pod("a", web, "me"), claimed: true},
		{name: "ours and selected while owner deleting", ownerDeleting: true, pod: pod("a", web, "me"), claimed: true},
		{name: "ours and selected while pod deleting", pod: deleting(pod("a", web, "me")), claimed: true},
		{name: "ours, not selected: release", pod: pod("a", db, "me"), change: Release},
		{name: "ours, not selected, owner deleting: nothing", ownerDeleting: true, pod: pod("a", db, "me")},
		{name: "ours, not selected, pod deleting: still released", pod: deleting(pod("a", db, "me")), change: Release},
		{name: "someone else's, selected", pod: pod("a", web, "other"), claimed: false},
		{name: "someone else's, not selected", pod: pod("a", db, "other")},
		{name: "orphan selected: adopt", pod: pod("a", web, ""), claimed: true, change: Adopt},
		{name: "orphan selected, owner deleting", ownerDeleting: true, pod: pod("a", web, "")},
		{name: "orphan not selected", pod: pod("a", db, "")},
		{name: "orphan being deleted", pod: deleting(pod("a", web, ""))},
		{name: "orphan in another namespace", pod: otherNS(pod("a", web, ""))},
		{name: "ours in another namespace is still kept", pod: otherNS(pod("a", web, "me")), claimed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := owner("rs", "me", tt.ownerDeleting)
			c := ClaimObjects(o, rsGVK, sel, []*v1.Pod{tt.pod})
			if got := len(c.Claimed) == 1; got != tt.claimed {
				t.Errorf("claimed = %v, want %v", got, tt.claimed)
			}
			var got ChangeKind
			if len(c.Changes) > 1 {
				t.Fatalf("%d changes", len(c.Changes))
			}
			if len(c.Changes) == 1 {
				got = c.Changes[0].Kind
				if c.Changes[0].Object != tt.pod {
					t.Error("change does not point at the input object")
				}
			}
			if got != tt.change {
				t.Errorf("change = %q, want %q", got, tt.change)
			}
		})
	}
}

func TestClaimObjectsOrderAndPatches(t *testing.T) {
	web := map[string]string{"app": "web"}
	pods := []*v1.Pod{
		pod("d", web, ""),
		pod("c", nil, "me"),
		nil,
		pod("b", web, "me"),
		pod("a", web, ""),
	}
	c := ClaimObjects(owner("rs", "me", false), rsGVK, labels.SelectorFromSet(web), pods)
	if diff := cmp.Diff([]string{"a", "b", "d"}, names(c.Claimed)); diff != "" {
		t.Errorf("claimed (-want +got):\n%s", diff)
	}
	var got []string
	for _, ch := range c.Changes {
		got = append(got, string(ch.Kind)+" "+ch.Object.Name+" "+string(ch.Patch))
	}
	want := []string{
		`adopt a {"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"me","controller":true,"blockOwnerDeletion":true}],"uid":"uid-a"}}`,
		`release c {"metadata":{"uid":"uid-c","ownerReferences":[{"$patch":"delete","uid":"me"}]}}`,
		`adopt d {"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"me","controller":true,"blockOwnerDeletion":true}],"uid":"uid-d"}}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestClaimPodsFilterAndFinalizers(t *testing.T) {
	web := map[string]string{"app": "web"}
	pods := []*v1.Pod{pod("web-0", web, ""), pod("other-0", web, ""), pod("other-1", web, "me"), pod("web-1", web, "me")}
	member := func(p *v1.Pod) bool { return strings.HasPrefix(p.Name, "web-") }
	c := ClaimPods(owner("web", "me", false), rsGVK, labels.SelectorFromSet(web), pods,
		WithPodFilter(member), WithFinalizers("batch.kubernetes.io/job-tracking"))
	if diff := cmp.Diff([]string{"web-0", "web-1"}, names(c.Claimed)); diff != "" {
		t.Errorf("claimed (-want +got):\n%s", diff)
	}
	var got []string
	for _, ch := range c.Changes {
		got = append(got, string(ch.Kind)+" "+ch.Object.Name)
		if !strings.Contains(string(ch.Patch), "batch.kubernetes.io/job-tracking") {
			t.Errorf("%s patch lacks the finalizer: %s", ch.Kind, ch.Patch)
		}
	}
	if diff := cmp.Diff([]string{"release other-1", "adopt web-0"}, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestClaimPodsWithoutOptionsIsClaimObjects(t *testing.T) {
	web := map[string]string{"app": "web"}
	pods := []*v1.Pod{pod("a", web, ""), pod("b", nil, "me"), pod("c", web, "x")}
	o := owner("rs", "me", false)
	sel := labels.SelectorFromSet(web)
	if diff := cmp.Diff(ClaimObjects(o, rsGVK, sel, pods), ClaimPods(o, rsGVK, sel, pods)); diff != "" {
		t.Error(diff)
	}
}

func TestClaimDegenerateInputs(t *testing.T) {
	pods := []*v1.Pod{pod("a", nil, "")}
	if c := ClaimObjects(nil, rsGVK, labels.Everything(), pods); len(c.Claimed)+len(c.Changes) != 0 {
		t.Error("nil owner claimed something")
	}
	if c := ClaimObjects(owner("rs", "me", false), rsGVK, nil, pods); len(c.Claimed)+len(c.Changes) != 0 {
		t.Error("nil selector claimed something")
	}
	var nilPod *v1.Pod
	if c := ClaimObjects(nilPod, rsGVK, labels.Everything(), pods); len(c.Claimed)+len(c.Changes) != 0 {
		t.Error("typed nil owner claimed something")
	}
}
