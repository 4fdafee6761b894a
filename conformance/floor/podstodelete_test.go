package floor

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/gen"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/workload"
)

// clockMargin is how far the wall clock may move between generating a
// state and the last clock reading of its comparison. Timestamps are kept
// at least this old and this far below a power-of-two age (gen.StableAge),
// so no pod changes logarithmic bucket in between.
const clockMargin = time.Second

// TestPodsToDeleteConformance compares workload.PodsToDelete with upstream's
// replicaset.getPodsToDelete, which sorts by ActivePodsWithRanks at the
// wall clock and takes the first n.
//
// Where the ranking has ties (and it is not always transitive), upstream's
// choice follows its input order, which is informer-cache order — not
// defined. So the check is not "the same pods" but "a choice upstream's
// order allows": our pods are as many as upstream's, each is a distinct
// input pod, and no pod we kept goes strictly before a pod we chose under
// upstream's own Less. When the two choices are equal the state passes
// without that check.
func TestPodsToDeleteConformance(t *testing.T) {
	check.Run(t, "PodsToDelete", func(rt *rapid.T) string {
		now := time.Now()
		w := gen.World(rt, now)
		opts := gen.PodOptions{ActiveOnly: true, MinAge: clockMargin}
		pods := gen.Pods(rt, w, "pod", 0, 8, opts)
		related := append([]*v1.Pod(nil), pods...)
		// Related pods also include pods of sibling ReplicaSets, active or not.
		for i, p := range gen.Pods(rt, w, "sibling", 0, 4, gen.PodOptions{MinAge: clockMargin}) {
			p.UID = types.UID(fmt.Sprintf("sibling-uid-%d", i))
			related = append(related, p)
		}
		n := rapid.IntRange(0, len(pods)).Draw(rt, "n")

		// Upstream's sync lists related pods without duplicate UIDs
		// (getIndirectlyRelatedPods keeps the first copy it meets, in
		// informer-cache order) before ranking; kubepure takes them raw and
		// documents which copy it keeps. Upstream is given that same copy:
		// one its cache order could have produced.
		want := harness.UpstreamPodsToDelete(pods, dedupeByUID(related), n)
		got := workload.PodsToDelete(pods, related, n, time.Now())
		if msg := consistentChoice(pods, related, n, got, want, now); msg != "" {
			var b strings.Builder
			fmt.Fprintf(&b, "%s\n  n=%d\n  upstream chose: %s\n  kubepure chose: %s\n  pods:\n", msg, n, names(want), names(got))
			for _, p := range pods {
				fmt.Fprintf(&b, "    %s\n", describePod(p))
			}
			fmt.Fprintf(&b, "  ranks: %v", workload.ColocationRanks(pods, related))
			return b.String()
		}
		return ""
	})
}

func consistentChoice(pods, related []*v1.Pod, n int, got, want []*v1.Pod, now time.Time) string {
	if len(got) != len(want) {
		return fmt.Sprintf("kubepure chose %d pods, upstream %d", len(got), len(want))
	}
	chosen := map[*v1.Pod]bool{}
	for _, p := range got {
		if chosen[p] {
			return fmt.Sprintf("kubepure chose %s twice", p.Name)
		}
		chosen[p] = true
	}
	for _, p := range got {
		if !contains(pods, p) {
			return fmt.Sprintf("kubepure chose %s, which is not an input pod", p.Name)
		}
	}
	if sameSet(got, want) {
		return ""
	}
	ranks := upstreamRanks(pods, dedupeByUID(related))
	// Upstream's clock read is between now and the comparison; timestamps
	// keep their bucket across that interval, so now ranks as upstream did.
	rankOf := map[*v1.Pod]int{}
	for i, p := range pods {
		rankOf[p] = ranks[i]
	}
	for _, kept := range pods {
		if chosen[kept] {
			continue
		}
		for _, del := range got {
			if upstreamCompare(kept, del, rankOf[kept], rankOf[del], now) == -1 {
				return fmt.Sprintf("kubepure deletes %s but keeps %s, which upstream ranks strictly first", del.Name, kept.Name)
			}
		}
	}
	return ""
}

// upstreamRanks counts, as upstream's getPodsRankedByRelatedPodsOnSameNode
// does, the active related pods on each pod's node (the empty node name
// included).
func upstreamRanks(pods, related []*v1.Pod) []int {
	onNode := map[string]int{}
	for _, p := range related {
		if p.Status.Phase != v1.PodSucceeded && p.Status.Phase != v1.PodFailed && p.DeletionTimestamp == nil {
			onNode[p.Spec.NodeName]++
		}
	}
	ranks := make([]int, len(pods))
	for i, p := range pods {
		ranks[i] = onNode[p.Spec.NodeName]
	}
	return ranks
}

// dedupeByUID keeps one pod per UID: the first in (namespace, name, node
// name, active first) order, the copy workload.ColocationRanks documents it
// counts.
func dedupeByUID(pods []*v1.Pod) []*v1.Pod {
	sorted := append([]*v1.Pod(nil), pods...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.UID != b.UID {
			return a.UID < b.UID
		}
		if a.Spec.NodeName != b.Spec.NodeName {
			return a.Spec.NodeName < b.Spec.NodeName
		}
		return workload.IsPodActive(a) && !workload.IsPodActive(b)
	})
	seen := map[types.UID]bool{}
	var out []*v1.Pod
	for _, p := range sorted {
		if !seen[p.UID] {
			seen[p.UID] = true
			out = append(out, p)
		}
	}
	return out
}

func contains(pods []*v1.Pod, p *v1.Pod) bool {
	for _, q := range pods {
		if q == p {
			return true
		}
	}
	return false
}

func sameSet(a, b []*v1.Pod) bool {
	if len(a) != len(b) {
		return false
	}
	for _, p := range a {
		if !contains(b, p) {
			return false
		}
	}
	return true
}

func names(pods []*v1.Pod) string {
	s := make([]string, len(pods))
	for i, p := range pods {
		s[i] = p.Name
	}
	return "[" + strings.Join(s, " ") + "]"
}
