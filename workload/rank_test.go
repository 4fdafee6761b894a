package workload

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	"pgregory.net/rapid"
)

func withCost(cost string) map[string]string {
	return map[string]string{PodDeletionCostAnnotation: cost}
}

func TestPodDeletionCost(t *testing.T) {
	tests := []struct {
		value string
		set   bool
		want  int32
	}{
		{set: false, want: 0},
		{value: "", set: true, want: 0},
		{value: "0", set: true, want: 0},
		{value: "1", set: true, want: 1},
		{value: "10", set: true, want: 10},
		{value: "-1", set: true, want: -1},
		{value: "+1", set: true, want: 0},
		{value: "007", set: true, want: 0},
		{value: "00", set: true, want: 0},
		{value: "-007", set: true, want: -7},
		{value: "-0", set: true, want: 0},
		{value: "-", set: true, want: 0},
		{value: "2147483647", set: true, want: 2147483647},
		{value: "2147483648", set: true, want: 0},
		{value: "-2147483648", set: true, want: -2147483648},
		{value: "-2147483649", set: true, want: 0},
		{value: "abc", set: true, want: 0},
		{value: "1a", set: true, want: 0},
		{value: " 1", set: true, want: 0},
		{value: "1_000", set: true, want: 0},
		{value: "0x10", set: true, want: 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q set=%v", tt.value, tt.set), func(t *testing.T) {
			p := &v1.Pod{}
			if tt.set {
				p.Annotations = withCost(tt.value)
			}
			if got := PodDeletionCost(p); got != tt.want {
				t.Errorf("PodDeletionCost = %d, want %d", got, tt.want)
			}
		})
	}
	if PodDeletionCost(nil) != 0 {
		t.Error("a nil pod must cost 0")
	}
}

// TestComparePodsForDeletionRules walks through the rules of the deletion
// order one by one: each case differs in the rule under test and agrees on
// every rule before it.
func TestComparePodsForDeletionRules(t *testing.T) {
	running := v1.PodRunning
	tests := []struct {
		name         string
		a, b         podFixture
		rankA, rankB int
		zeroNow      bool
		// want is -1 when a goes first, 1 when b goes first, 0 for a tie.
		want int
	}{
		// 1. unscheduled first.
		{name: "1 unscheduled before scheduled",
			a: podFixture{phase: running, ready: "True", readyFor: time.Hour},
			b: podFixture{node: "n1", phase: v1.PodPending}, want: -1},
		{name: "1 two different nodes do not decide",
			a: podFixture{node: "n1", phase: running}, b: podFixture{node: "n2", phase: v1.PodPending}, want: 1},
		// 2. phase.
		{name: "2 pending before unknown",
			a: podFixture{node: "n", phase: v1.PodPending}, b: podFixture{node: "n", phase: v1.PodUnknown}, want: -1},
		{name: "2 unknown before running",
			a: podFixture{node: "n", phase: v1.PodRunning}, b: podFixture{node: "n", phase: v1.PodUnknown}, want: 1},
		{name: "2 empty phase ranks as pending (E31)",
			a: podFixture{node: "n", phase: ""}, b: podFixture{node: "n", phase: running, ready: "False"}, want: -1},
		{name: "2 succeeded ranks as pending",
			a: podFixture{node: "n", phase: v1.PodSucceeded, age: time.Hour}, b: podFixture{node: "n", phase: v1.PodPending, age: time.Hour}, want: 0},
		// 3. readiness.
		{name: "3 not ready before ready",
			a: podFixture{node: "n", phase: running, ready: "True", readyFor: time.Second},
			b: podFixture{node: "n", phase: running, ready: "False", age: time.Hour}, want: 1},
		{name: "3 no condition is not ready",
			a: podFixture{node: "n", phase: running},
			b: podFixture{node: "n", phase: running, ready: "True"}, want: -1},
		// 4. deletion cost.
		{name: "4 lower cost first",
			a: podFixture{node: "n", phase: running, annotations: withCost("10"), restarts: 9},
			b: podFixture{node: "n", phase: running, annotations: withCost("-5")}, want: 1},
		{name: "4 invalid cost counts as zero (E30)",
			a: podFixture{node: "n", phase: running, ready: "True", annotations: withCost("10"), age: time.Second},
			b: podFixture{node: "n", phase: running, ready: "True", annotations: withCost("+5"), age: 1000 * time.Hour}, want: 1},
		{name: "4 cost does not override readiness",
			a: podFixture{node: "n", phase: running, ready: "True", annotations: withCost("-100")},
			b: podFixture{node: "n", phase: running, ready: "False", annotations: withCost("100")}, want: 1},
		// 5. co-location rank.
		{name: "5 higher rank first",
			a: podFixture{node: "n", phase: running, restarts: 5}, b: podFixture{node: "n", phase: running},
			rankA: 1, rankB: 2, want: 1},
		// 6. ready time.
		{name: "6 ready for less time first",
			a: podFixture{node: "n", phase: running, ready: "True", readyFor: 10 * time.Second, restarts: 0},
			b: podFixture{node: "n", phase: running, ready: "True", readyFor: 120 * time.Second, restarts: 9}, want: -1},
		{name: "6 same bucket decided by lower uid (E29)",
			a: podFixture{uid: "zzz", node: "n", phase: running, ready: "True", readyFor: 100 * time.Second},
			b: podFixture{uid: "aaa", node: "n", phase: running, ready: "True", readyFor: 120 * time.Second}, want: 1},
		{name: "6 zero ready time first",
			a: podFixture{node: "n", phase: running, ready: "True", readyFor: time.Second},
			b: podFixture{node: "n", phase: running, ready: "True", zeroReadyTime: true}, want: 1},
		{name: "6 zero now compares exact times",
			a:       podFixture{uid: "zzz", node: "n", phase: running, ready: "True", readyFor: 100 * time.Second},
			b:       podFixture{uid: "aaa", node: "n", phase: running, ready: "True", readyFor: 120 * time.Second},
			zeroNow: true, want: -1},
		{name: "6 future ready times share bucket -1",
			a: podFixture{uid: "b", node: "n", phase: running, ready: "True", readyFor: -time.Hour},
			b: podFixture{uid: "a", node: "n", phase: running, ready: "True", readyFor: -time.Second}, want: 1},
		{name: "6 equal ready times fall through to restarts",
			a: podFixture{node: "n", phase: running, ready: "True", readyFor: time.Minute},
			b: podFixture{node: "n", phase: running, ready: "True", readyFor: time.Minute, restarts: 1}, want: 1},
		// 7. restarts.
		{name: "7 more restarts first, even when older (E32)",
			a: podFixture{node: "n", phase: running, ready: "False", age: 5000 * time.Second, restarts: 3},
			b: podFixture{node: "n", phase: running, ready: "False", age: time.Second}, want: -1},
		{name: "7 sidecar restarts break a tie of regular restarts",
			a: podFixture{node: "n", phase: running, restarts: 1, sidecarRestarts: 2},
			b: podFixture{node: "n", phase: running, restarts: 1, sidecarRestarts: 1, age: -time.Hour}, want: -1},
		{name: "7 regular restarts outrank sidecar restarts",
			a: podFixture{node: "n", phase: running, restarts: 1, sidecarRestarts: 7},
			b: podFixture{node: "n", phase: running, restarts: 2}, want: 1},
		{name: "7 negative restart counts count as zero",
			a: podFixture{node: "n", phase: running, restarts: -3, age: time.Hour},
			b: podFixture{node: "n", phase: running, restarts: 0, age: time.Hour}, want: 0},
		// 8. creation time.
		{name: "8 younger first",
			a: podFixture{node: "n", phase: running, age: 10 * time.Second},
			b: podFixture{node: "n", phase: running, age: 120 * time.Second}, want: -1},
		{name: "8 same bucket decided by lower uid",
			a: podFixture{uid: "u2", node: "n", phase: running, age: 100 * time.Second},
			b: podFixture{uid: "u1", node: "n", phase: running, age: 120 * time.Second}, want: 1},
		{name: "8 zero creation time first",
			a: podFixture{node: "n", phase: running, age: time.Second},
			b: podFixture{node: "n", phase: running, zeroCreated: true}, want: 1},
		{name: "8 equal creation times tie",
			a: podFixture{uid: "u2", node: "n", phase: running, age: time.Minute},
			b: podFixture{uid: "u1", node: "n", phase: running, age: time.Minute}, want: 0},
		{name: "8 same bucket and same uid tie",
			a: podFixture{uid: "u", node: "n", phase: running, age: 100 * time.Second},
			b: podFixture{uid: "u", node: "n", phase: running, age: 120 * time.Second}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.a.name, tt.b.name = "a", "b"
			now := fixtureNow
			if tt.zeroNow {
				now = time.Time{}
			}
			a, b := tt.a.build(), tt.b.build()
			got := ComparePodsForDeletion(a, b, tt.rankA, tt.rankB, now)
			if sign(got) != tt.want {
				t.Errorf("Compare(a, b) = %d, want sign %d", got, tt.want)
			}
			if back := ComparePodsForDeletion(b, a, tt.rankB, tt.rankA, now); sign(back) != -tt.want {
				t.Errorf("Compare(b, a) = %d, want sign %d", back, -tt.want)
			}
		})
	}
}

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	default:
		return 0
	}
}

func TestColocationRanks(t *testing.T) {
	a := podFixture{name: "a", node: "n1", phase: v1.PodRunning}.build()
	b := podFixture{name: "b", node: "n2", phase: v1.PodRunning}.build()
	c := podFixture{name: "c", phase: v1.PodPending}.build()
	sibling := podFixture{name: "s", node: "n2", phase: v1.PodRunning}.build()
	done := podFixture{name: "done", node: "n1", phase: v1.PodSucceeded}.build()
	going := podFixture{name: "going", node: "n1", phase: v1.PodRunning, deleting: true}.build()
	unbound := podFixture{name: "u", phase: v1.PodPending}.build()

	tests := []struct {
		name    string
		pods    []*v1.Pod
		related []*v1.Pod
		want    []int
	}{
		{name: "no related pods ranks all zero (E42)", pods: []*v1.Pod{a, b}, want: []int{0, 0}},
		{name: "counts active pods per node", pods: []*v1.Pod{a, b, c}, related: []*v1.Pod{a, b, c, sibling, unbound}, want: []int{1, 2, 2}},
		{name: "inactive related pods do not count", pods: []*v1.Pod{a}, related: []*v1.Pod{a, done, going}, want: []int{1}},
		{name: "a pod listed twice counts once", pods: []*v1.Pod{b}, related: []*v1.Pod{b, sibling, b, sibling}, want: []int{2}},
		{name: "nil pods are ignored", pods: []*v1.Pod{nil, a}, related: []*v1.Pod{nil, a}, want: []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ColocationRanks(tt.pods, tt.related); !slices.Equal(got, tt.want) {
				t.Errorf("ColocationRanks = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestColocationRanksDuplicateUIDIsDeterministic(t *testing.T) {
	here := podFixture{name: "x", uid: "same", node: "n1", phase: v1.PodRunning}.build()
	there := podFixture{name: "x", uid: "same", node: "n2", phase: v1.PodRunning}.build()
	probe := []*v1.Pod{podFixture{name: "p", node: "n1"}.build(), podFixture{name: "q", node: "n2"}.build()}
	first := ColocationRanks(probe, []*v1.Pod{here, there})
	second := ColocationRanks(probe, []*v1.Pod{there, here})
	if !slices.Equal(first, second) || !slices.Equal(first, []int{1, 0}) {
		t.Errorf("ranks %v and %v, want [1 0] for both orders", first, second)
	}
}

func podNames(pods []*v1.Pod) []string {
	names := make([]string, len(pods))
	for i, p := range pods {
		names[i] = p.Name
	}
	return names
}

func TestPodsToDelete(t *testing.T) {
	running := v1.PodRunning
	readyPod := func(name, node string, age time.Duration) *v1.Pod {
		return podFixture{name: name, node: node, phase: running, ready: "True", readyFor: age, age: age}.build()
	}
	a := readyPod("a", "n1", 100*time.Second)
	b := readyPod("b", "n2", 120*time.Second)
	sibling := readyPod("s", "n2", time.Hour)
	pending := podFixture{name: "pending", node: "n3", phase: v1.PodPending}.build()

	tests := []struct {
		name    string
		pods    []*v1.Pod
		related []*v1.Pod
		n       int
		want    []string
	}{
		{name: "doubled-up pod goes first (E28)", pods: []*v1.Pod{a, b}, related: []*v1.Pod{a, b, sibling}, n: 1, want: []string{"b"}},
		{name: "without related pods the younger bucket goes", pods: []*v1.Pod{readyPod("old", "n1", 120*time.Second), readyPod("young", "n2", 10*time.Second)}, n: 1, want: []string{"young"}},
		{name: "pending pod first, then the lower uid of one age bucket", pods: []*v1.Pod{a, pending, b}, related: []*v1.Pod{a, b, pending}, n: 2, want: []string{"pending", "a"}},
		{name: "all pods come back in name order", pods: []*v1.Pod{b, pending, a}, n: 3, want: []string{"a", "b", "pending"}},
		{name: "more than all is all", pods: []*v1.Pod{b, a}, n: 7, want: []string{"a", "b"}},
		{name: "zero is none", pods: []*v1.Pod{a, b}, n: 0, want: []string{}},
		{name: "negative is none", pods: []*v1.Pod{a, b}, n: -1, want: []string{}},
		{name: "nil pods are skipped", pods: []*v1.Pod{nil, a, nil}, n: 1, want: []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := podNames(PodsToDelete(tt.pods, tt.related, tt.n, fixtureNow))
			if !slices.Equal(got, tt.want) {
				t.Errorf("PodsToDelete = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPodsToDeleteTiesUseNamespaceNameUID(t *testing.T) {
	mk := func(ns, name, uid string) *v1.Pod {
		return podFixture{namespace: ns, name: name, uid: uid, node: "n", phase: v1.PodRunning, age: time.Minute}.build()
	}
	pods := []*v1.Pod{mk("b", "a", "1"), mk("a", "z", "2"), mk("a", "b", "4"), mk("a", "b", "3")}
	got := PodsToDelete(pods, nil, 3, fixtureNow)
	want := []*v1.Pod{pods[3], pods[2], pods[1]}
	if !slices.Equal(got, want) {
		t.Errorf("PodsToDelete = %v, want %v", podNames(got), podNames(want))
	}
}

// drawPod draws a pod from small domains, so that ties and equal buckets are
// common.
func drawPod(t *rapid.T, name string) *v1.Pod {
	f := podFixture{
		namespace: rapid.SampledFrom([]string{"", "ns"}).Draw(t, "namespace"),
		name:      name,
		uid:       rapid.SampledFrom([]string{"u1", "u2", "u3"}).Draw(t, "uid") + name,
		node:      rapid.SampledFrom([]string{"", "n1", "n2"}).Draw(t, "node"),
		phase:     rapid.SampledFrom([]v1.PodPhase{"", v1.PodPending, v1.PodRunning, v1.PodUnknown, v1.PodSucceeded}).Draw(t, "phase"),
		ready:     rapid.SampledFrom([]v1.ConditionStatus{"", v1.ConditionTrue, v1.ConditionFalse}).Draw(t, "ready"),
		readyFor:  time.Duration(rapid.Int64Range(-5, 200).Draw(t, "readyFor")) * time.Second,
		age:       time.Duration(rapid.Int64Range(-5, 200).Draw(t, "age")) * time.Second,
		restarts:  int32(rapid.IntRange(-1, 2).Draw(t, "restarts")),
		deleting:  rapid.Bool().Draw(t, "deleting"),
	}
	f.zeroReadyTime = rapid.IntRange(0, 5).Draw(t, "zeroReady") == 0
	f.zeroCreated = rapid.IntRange(0, 5).Draw(t, "zeroCreated") == 0
	f.sidecarRestarts = int32(rapid.IntRange(0, 2).Draw(t, "sidecarRestarts"))
	if rapid.Bool().Draw(t, "hasCost") {
		f.annotations = withCost(rapid.SampledFrom([]string{"0", "1", "-1", "+1", "007"}).Draw(t, "cost"))
	}
	return f.build()
}

func drawNow(t *rapid.T) time.Time {
	if rapid.IntRange(0, 9).Draw(t, "zeroNow") == 0 {
		return time.Time{}
	}
	return fixtureNow
}

func TestPropertyCompareIsAntisymmetric(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawPod(t, "a"), drawPod(t, "b")
		ra, rb := rapid.IntRange(0, 2).Draw(t, "rankA"), rapid.IntRange(0, 2).Draw(t, "rankB")
		now := drawNow(t)
		if ab, ba := ComparePodsForDeletion(a, b, ra, rb, now), ComparePodsForDeletion(b, a, rb, ra, now); sign(ab) != -sign(ba) {
			t.Fatalf("Compare(a, b) = %d but Compare(b, a) = %d", ab, ba)
		}
		if self := ComparePodsForDeletion(a, a, ra, ra, now); self != 0 {
			t.Fatalf("Compare(a, a) = %d, want 0", self)
		}
	})
}

func drawPods(t *rapid.T, label string) []*v1.Pod {
	n := rapid.IntRange(0, 12).Draw(t, label+"Count")
	pods := make([]*v1.Pod, n)
	for i := range pods {
		pods[i] = drawPod(t, fmt.Sprintf("%s%d", label, i))
	}
	return pods
}

func deepCopyPods(pods []*v1.Pod) []*v1.Pod {
	out := make([]*v1.Pod, len(pods))
	for i, p := range pods {
		out[i] = p.DeepCopy()
	}
	return out
}

func TestPropertyPodsToDeleteIgnoresInputOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pods := drawPods(t, "p")
		related := append(slices.Clone(pods), drawPods(t, "r")...)
		n := rapid.IntRange(-1, len(pods)+1).Draw(t, "n")
		now := drawNow(t)
		want := PodsToDelete(pods, related, n, now)
		got := PodsToDelete(rapid.Permutation(pods).Draw(t, "podsShuffled"), rapid.Permutation(related).Draw(t, "relatedShuffled"), n, now)
		if !slices.Equal(got, want) {
			t.Fatalf("shuffled input gave %v, want %v", podNames(got), podNames(want))
		}
		if wantLen := min(max(n, 0), len(pods)); len(got) != wantLen {
			t.Fatalf("got %d pods, want %d", len(got), wantLen)
		}
	})
}

func TestPropertyPodsToDeletePicksFromFront(t *testing.T) {
	// Whatever ties and cycles the order has, no pod left behind may beat
	// the pod picked last on every count: a pod that compares strictly before
	// all picked pods must have been picked.
	rapid.Check(t, func(t *rapid.T) {
		pods := drawPods(t, "p")
		n := rapid.IntRange(1, len(pods)+1).Draw(t, "n")
		now := fixtureNow
		picked := PodsToDelete(pods, pods, n, now)
		ranks := ColocationRanks(pods, pods)
		rankOf := map[*v1.Pod]int{}
		for i, p := range pods {
			rankOf[p] = ranks[i]
		}
		for _, p := range pods {
			if slices.Contains(picked, p) {
				continue
			}
			beatsAll := true
			for _, q := range picked {
				if ComparePodsForDeletion(p, q, rankOf[p], rankOf[q], now) >= 0 {
					beatsAll = false
					break
				}
			}
			if beatsAll && len(picked) > 0 {
				t.Fatalf("pod %s precedes every picked pod %v but was left", p.Name, podNames(picked))
			}
		}
	})
}

func TestPropertyRankingDoesNotMutateInput(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pods := drawPods(t, "p")
		related := drawPods(t, "r")
		podsBefore, relatedBefore := deepCopyPods(pods), deepCopyPods(related)
		order := slices.Clone(pods)
		_ = PodsToDelete(pods, related, rapid.IntRange(0, len(pods)).Draw(t, "n"), fixtureNow)
		_ = ColocationRanks(pods, related)
		if len(pods) >= 2 {
			_ = ComparePodsForDeletion(pods[0], pods[1], 0, 1, fixtureNow)
		}
		if !slices.Equal(order, pods) {
			t.Fatal("PodsToDelete reordered its input")
		}
		if !reflect.DeepEqual(pods, podsBefore) || !reflect.DeepEqual(related, relatedBefore) {
			t.Fatal("ranking modified its input pods")
		}
	})
}

func TestPropertyColocationRanksIgnoreRelatedOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pods := drawPods(t, "p")
		related := append(slices.Clone(pods), drawPods(t, "r")...)
		// Copies with the same UID on another node make the choice of copy
		// matter.
		for _, p := range pods {
			if rapid.IntRange(0, 3).Draw(t, "dup") == 0 {
				c := p.DeepCopy()
				c.Spec.NodeName = "n9"
				c.DeletionTimestamp = nil
				c.Status.Phase = v1.PodRunning
				related = append(related, c)
			}
		}
		want := ColocationRanks(pods, related)
		got := ColocationRanks(pods, rapid.Permutation(related).Draw(t, "shuffled"))
		if !slices.Equal(got, want) {
			t.Fatalf("shuffled related gave %v, want %v", got, want)
		}
	})
}

func TestPropertyNextAvailabilityCheckIsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pods := drawPods(t, "p")
		// Negative minReadySeconds is rejected by API validation.
		minReady := int32(rapid.IntRange(0, 100).Draw(t, "minReady"))
		d, ok := NextAvailabilityCheck(pods, minReady, fixtureNow)
		if !ok {
			// No pod turns available at any later time.
			for _, p := range pods {
				if !IsPodAvailable(p, minReady, fixtureNow) && IsPodAvailable(p, minReady, fixtureNow.Add(1000*time.Hour)) {
					t.Fatalf("pod %s becomes available later but no check was scheduled", p.Name)
				}
			}
			return
		}
		if d <= 0 {
			t.Fatalf("wait %v must be positive", d)
		}
		turns := false
		for _, p := range pods {
			before := IsPodAvailable(p, minReady, fixtureNow.Add(d-1))
			if before != IsPodAvailable(p, minReady, fixtureNow) {
				t.Fatalf("pod %s changed availability before the check", p.Name)
			}
			if !before && IsPodAvailable(p, minReady, fixtureNow.Add(d)) {
				turns = true
			}
		}
		if !turns {
			t.Fatal("no pod becomes available at the scheduled check")
		}
	})
}
