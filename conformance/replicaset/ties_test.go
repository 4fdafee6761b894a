package replicaset

import (
	"fmt"
	"slices"
	"strings"
	"time"

	apps "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubernetes/pkg/controller"

	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/workload"
)

// tiedDeletes decides whether kubepure's calls differ from upstream's only
// in which pods a scale-down deletes, and whether kubepure's choice is one
// upstream itself could have made.
//
// Normalisation, and why it is sound: upstream ranks the pods with sort.Sort
// over its informer-cache order. Where its ranking ties (two pods equal on
// every rule) or is not transitive, which pods fall in the first n depends
// on that order, which is not defined; kubepure picks by a documented
// total order instead. So a differing delete set passes when everything
// else is identical, both delete the same number of pods, and no pod
// kubepure keeps ranks strictly before one it deletes under upstream's own
// ActivePodsWithRanks.Less, with the co-location ranks upstream computes.
func tiedDeletes(st gen.ReplicaSetState, up, ours []workload.Action, now time.Time) (bool, string) {
	upDeletes, upRest := splitDeletes(up)
	ourDeletes, ourRest := splitDeletes(ours)
	if len(upDeletes) == 0 || len(upDeletes) != len(ourDeletes) {
		return false, ""
	}
	if harness.DiffCalls(harness.RenderAll(upRest), harness.RenderAll(ourRest)) != "" {
		return false, ""
	}
	claimed := claimedActive(st, up)
	deleted := map[string]bool{}
	for _, a := range ourDeletes {
		if !slices.ContainsFunc(claimed, func(p *v1.Pod) bool { return p.Name == a.Name }) {
			return false, fmt.Sprintf("kubepure deletes %s, which the ReplicaSet does not hold", a.Name)
		}
		deleted[a.Name] = true
	}
	ranks := upstreamRanks(st, claimed)
	for i, kept := range claimed {
		if deleted[kept.Name] {
			continue
		}
		for j, del := range claimed {
			if !deleted[del.Name] {
				continue
			}
			s := controller.ActivePodsWithRanks{Pods: []*v1.Pod{kept, del}, Rank: []int{ranks[i], ranks[j]}, Now: metav1.NewTime(now)}
			if s.Less(0, 1) && !s.Less(1, 0) {
				return false, fmt.Sprintf("kubepure deletes %s but keeps %s, which upstream ranks strictly first", del.Name, kept.Name)
			}
		}
	}
	return true, ""
}

func splitDeletes(actions []workload.Action) (deletes, rest []workload.Action) {
	for _, a := range actions {
		if a.Verb == workload.Delete && a.Resource == "pods" {
			deletes = append(deletes, a)
		} else {
			rest = append(rest, a)
		}
	}
	return deletes, rest
}

// claimedActive lists the active pods the ReplicaSet holds after its claim:
// those it controls and selects, and the orphans upstream adopted.
func claimedActive(st gen.ReplicaSetState, up []workload.Action) []*v1.Pod {
	rs := st.ReplicaSet
	sel, _ := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
	adopted := map[string]bool{}
	for _, a := range up {
		if a.Verb == workload.Patch && a.Resource == "pods" && !strings.Contains(string(a.Patch), `"$patch":"delete"`) {
			adopted[a.Name] = true
		}
	}
	var out []*v1.Pod
	for _, p := range st.Pods {
		if p.Namespace != rs.Namespace || !controller.IsPodActive(p) {
			continue
		}
		ref := metav1.GetControllerOf(p)
		if (ref != nil && ref.UID == rs.UID && sel.Matches(labels.Set(p.Labels))) || adopted[p.Name] {
			out = append(out, p)
		}
	}
	return out
}

// upstreamRanks counts, as upstream's getIndirectlyRelatedPods and
// getPodsRankedByRelatedPodsOnSameNode do, the active pods matching the
// selector of any ReplicaSet with the same controller (itself included) on
// each pod's node. A ReplicaSet without a controller ranks every pod 0.
func upstreamRanks(st gen.ReplicaSetState, pods []*v1.Pod) []int {
	ranks := make([]int, len(pods))
	owner := metav1.GetControllerOf(st.ReplicaSet)
	if owner == nil {
		return ranks
	}
	family := []*apps.ReplicaSet{st.ReplicaSet}
	for _, s := range st.Siblings {
		if ref := metav1.GetControllerOf(s); ref != nil && ref.UID == owner.UID {
			family = append(family, s)
		}
	}
	seen := map[types.UID]bool{}
	onNode := map[string]int{}
	for _, rs := range family {
		sel, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
		if err != nil {
			continue
		}
		for _, p := range st.Pods {
			if p.Namespace != rs.Namespace || seen[p.UID] || !sel.Matches(labels.Set(p.Labels)) {
				continue
			}
			seen[p.UID] = true
			if controller.IsPodActive(p) {
				onNode[p.Spec.NodeName]++
			}
		}
	}
	for i, p := range pods {
		ranks[i] = onNode[p.Spec.NodeName]
	}
	return ranks
}
