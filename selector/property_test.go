package selector

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"
)

// genPods draws pods with distinct names whose labels, controller,
// namespace and deletion vary over small sets, so that every claim rule is
// exercised often.
func genPods(t *rapid.T) []*v1.Pod {
	n := rapid.IntRange(0, 12).Draw(t, "n")
	pods := make([]*v1.Pod, n)
	for i := range pods {
		app := rapid.SampledFrom([]string{"", "web", "db"}).Draw(t, fmt.Sprintf("app%d", i))
		var lbls map[string]string
		if app != "" {
			lbls = map[string]string{"app": app}
		}
		ctrl := rapid.SampledFrom([]types.UID{"", "me", "other"}).Draw(t, fmt.Sprintf("ctrl%d", i))
		p := pod(fmt.Sprintf("p%d", i), lbls, ctrl)
		if rapid.Bool().Draw(t, fmt.Sprintf("otherNS%d", i)) {
			p.Namespace = "other"
		}
		if rapid.Bool().Draw(t, fmt.Sprintf("deleting%d", i)) {
			ts := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			p.DeletionTimestamp = &ts
		}
		pods[i] = p
	}
	return pods
}

func genSelector(t *rapid.T) labels.Selector {
	return rapid.SampledFrom([]labels.Selector{
		labels.SelectorFromSet(labels.Set{"app": "web"}),
		labels.Everything(),
		labels.Nothing(),
	}).Draw(t, "selector")
}

// summary is a claim in comparable form.
func summary(c Claim[*v1.Pod]) []string {
	out := []string{}
	for _, p := range c.Claimed {
		out = append(out, "claimed "+p.Namespace+"/"+p.Name)
	}
	for _, ch := range c.Changes {
		out = append(out, string(ch.Kind)+" "+ch.Object.Namespace+"/"+ch.Object.Name+" "+string(ch.Patch))
	}
	return out
}

func TestPropertyClaimIgnoresInputOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pods := genPods(t)
		o := owner("rs", "me", rapid.Bool().Draw(t, "ownerDeleting"))
		sel := genSelector(t)
		shuffled := rapid.Permutation(pods).Draw(t, "shuffled")
		if diff := cmp.Diff(summary(ClaimObjects(o, rsGVK, sel, pods)), summary(ClaimObjects(o, rsGVK, sel, shuffled))); diff != "" {
			t.Fatalf("order changed the claim:\n%s", diff)
		}
		if diff := cmp.Diff(names(OwnedBy(o, "ReplicaSet", pods, true)), names(OwnedBy(o, "ReplicaSet", shuffled, true))); diff != "" {
			t.Fatalf("order changed OwnedBy:\n%s", diff)
		}
	})
}

func TestPropertyClaimDoesNotMutate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pods := genPods(t)
		o := owner("rs", "me", rapid.Bool().Draw(t, "ownerDeleting"))
		before := make([]*v1.Pod, len(pods))
		for i, p := range pods {
			before[i] = p.DeepCopy()
		}
		ownerBefore := o.DeepCopy()
		ClaimObjects(o, rsGVK, genSelector(t), pods)
		OwnedBy(o, "ReplicaSet", pods, true)
		if diff := cmp.Diff(before, pods); diff != "" {
			t.Fatalf("pods mutated:\n%s", diff)
		}
		if diff := cmp.Diff(ownerBefore, o); diff != "" {
			t.Fatalf("owner mutated:\n%s", diff)
		}
	})
}

func TestPropertyClaimRespectsOtherOwners(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pods := genPods(t)
		ownerDeleting := rapid.Bool().Draw(t, "ownerDeleting")
		o := owner("rs", "me", ownerDeleting)
		c := ClaimObjects(o, rsGVK, genSelector(t), pods)
		released := map[*v1.Pod]bool{}
		adopted := map[*v1.Pod]bool{}
		for _, ch := range c.Changes {
			ref := ControllerOf(ch.Object)
			switch ch.Kind {
			case Adopt:
				if ref != nil {
					t.Fatalf("adopted %s, controlled by %s", ch.Object.Name, ref.UID)
				}
				adopted[ch.Object] = true
			case Release:
				if ref == nil || ref.UID != "me" {
					t.Fatalf("released %s, not ours", ch.Object.Name)
				}
				released[ch.Object] = true
			}
			if ownerDeleting {
				t.Fatalf("a deleting owner issued %s %s", ch.Kind, ch.Object.Name)
			}
		}
		for _, p := range c.Claimed {
			if released[p] {
				t.Fatalf("%s both claimed and released", p.Name)
			}
			if ref := ControllerOf(p); !adopted[p] && (ref == nil || ref.UID != "me") {
				t.Fatalf("claimed %s without owning or adopting it", p.Name)
			}
		}
	})
}
