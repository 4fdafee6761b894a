package floor

import (
	"fmt"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubernetes/pkg/controller"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/gen"
	"github.com/kubepure/kubepure/workload"
)

// upstreamCompare turns upstream's Less into a three-way comparison: -1 when
// a goes first, 1 when b does, 0 when neither Less(a, b) nor Less(b, a).
// Both directions are asked; were both true (upstream's order is not a
// strict order everywhere), the result is reported as 2 so that it never
// matches.
func upstreamCompare(a, b *v1.Pod, ra, rb int, now time.Time) int {
	s := controller.ActivePodsWithRanks{Pods: []*v1.Pod{a, b}, Rank: []int{ra, rb}}
	if !now.IsZero() {
		s.Now = metav1.NewTime(now)
	}
	ab, ba := s.Less(0, 1), s.Less(1, 0)
	switch {
	case ab && ba:
		return 2
	case ab:
		return -1
	case ba:
		return 1
	}
	return 0
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// TestRankingConformance compares workload.ComparePodsForDeletion with
// upstream's ActivePodsWithRanks.Less on generated pairs of pods.
func TestRankingConformance(t *testing.T) {
	check.Run(t, "Ranking", func(rt *rapid.T) string {
		now := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
		if rapid.IntRange(0, 9).Draw(rt, "zeroNow") == 0 {
			// A zero Now makes upstream compare exact times.
			now = time.Time{}
		}
		refNow := now
		if refNow.IsZero() {
			refNow = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
		}
		w := gen.World(rt, refNow)
		a := gen.Pod(rt, w, "a", gen.PodOptions{})
		b := gen.Pod(rt, w, "b", gen.PodOptions{})
		if rapid.IntRange(0, 9).Draw(rt, "samePod") == 0 {
			b = a.DeepCopy()
		}
		ra := rapid.IntRange(0, 3).Draw(rt, "rankA")
		rb := rapid.IntRange(0, 3).Draw(rt, "rankB")
		want := upstreamCompare(a, b, ra, rb, now)
		got := sign(workload.ComparePodsForDeletion(a, b, ra, rb, now))
		if got == want {
			return ""
		}
		return fmt.Sprintf("ComparePodsForDeletion = %d, upstream Less gives %d (now=%s, rankA=%d, rankB=%d)\n  a: %s\n  b: %s",
			got, want, fmtTime(now), ra, rb, describePod(a), describePod(b))
	})
}

// TestRankingGeneratorReachesEveryOutcome guards the generator: if it ever
// stopped producing ties or either order, the Ranking comparison would
// pass without testing much.
func TestRankingGeneratorReachesEveryOutcome(t *testing.T) {
	seen := map[int]int{}
	rapid.Check(t, func(rt *rapid.T) {
		now := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
		// Ties are about one pair in a hundred: draw enough pairs per check
		// that rapid's default number of checks sees them every run.
		for i := range 50 {
			w := gen.World(rt, now)
			a := gen.Pod(rt, w, fmt.Sprintf("a%d", i), gen.PodOptions{})
			b := gen.Pod(rt, w, fmt.Sprintf("b%d", i), gen.PodOptions{})
			seen[upstreamCompare(a, b, 0, 0, now)]++
		}
	})
	for _, outcome := range []int{-1, 0, 1} {
		if seen[outcome] == 0 {
			t.Errorf("no generated pair gave upstream outcome %d (seen %v)", outcome, seen)
		}
	}
	t.Logf("outcomes: %v", seen)
}
