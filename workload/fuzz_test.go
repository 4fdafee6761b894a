package workload

import (
	"strconv"
	"strings"
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// fuzzPod builds a pod from raw fuzz input. Zero values leave fields nil, so
// the targets also see pods without conditions, statuses or timestamps.
func fuzzPod(node, phase, readyStatus, uid, cost string, readyUnixNano, createdUnixNano int64, restarts, sidecarRestarts int32, deleting bool) *v1.Pod {
	p := &v1.Pod{}
	p.UID = types.UID(uid)
	p.Spec.NodeName = node
	p.Status.Phase = v1.PodPhase(phase)
	if createdUnixNano != 0 {
		p.CreationTimestamp = metav1.NewTime(time.Unix(0, createdUnixNano))
	}
	if deleting {
		ts := metav1.NewTime(time.Unix(0, createdUnixNano))
		p.DeletionTimestamp = &ts
	}
	if readyStatus != "" {
		c := v1.PodCondition{Type: v1.PodReady, Status: v1.ConditionStatus(readyStatus)}
		if readyUnixNano != 0 {
			c.LastTransitionTime = metav1.NewTime(time.Unix(0, readyUnixNano))
		}
		p.Status.Conditions = []v1.PodCondition{c}
	}
	if cost != "" {
		p.Annotations = map[string]string{PodDeletionCostAnnotation: cost}
	}
	if restarts != 0 {
		p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "c", RestartCount: restarts}}
	}
	if sidecarRestarts != 0 {
		always := v1.ContainerRestartPolicyAlways
		p.Spec.InitContainers = []v1.Container{{Name: "s", RestartPolicy: &always}}
		p.Status.InitContainerStatuses = []v1.ContainerStatus{{Name: "s", RestartCount: sidecarRestarts}}
	}
	return p
}

func FuzzComparePodsForDeletion(f *testing.F) {
	f.Add("n1", "Running", "True", "a", "1", int64(1e18), int64(1e18), int32(0), int32(0),
		"", "Pending", "", "b", "+1", int64(0), int64(2e18), int32(3), int32(1), 0, 1, int64(2e18))
	f.Add("n", "", "False", "u", "-007", int64(-1), int64(1), int32(-1), int32(2),
		"n", "", "False", "u", "-7", int64(-1), int64(1), int32(-1), int32(2), 2, 2, int64(0))
	f.Fuzz(func(t *testing.T,
		nodeA, phaseA, readyA, uidA, costA string, readyTimeA, createdA int64, restartsA, sidecarA int32,
		nodeB, phaseB, readyB, uidB, costB string, readyTimeB, createdB int64, restartsB, sidecarB int32,
		rankA, rankB int, nowUnixNano int64) {
		a := fuzzPod(nodeA, phaseA, readyA, uidA, costA, readyTimeA, createdA, restartsA, sidecarA, false)
		b := fuzzPod(nodeB, phaseB, readyB, uidB, costB, readyTimeB, createdB, restartsB, sidecarB, false)
		var now time.Time
		if nowUnixNano != 0 {
			now = time.Unix(0, nowUnixNano)
		}
		ab := ComparePodsForDeletion(a, b, rankA, rankB, now)
		ba := ComparePodsForDeletion(b, a, rankB, rankA, now)
		if sign(ab) != -sign(ba) {
			t.Fatalf("Compare(a, b) = %d but Compare(b, a) = %d", ab, ba)
		}
		if self := ComparePodsForDeletion(a, a, rankA, rankA, now); self != 0 {
			t.Fatalf("Compare(a, a) = %d", self)
		}
		picked := PodsToDelete([]*v1.Pod{a, b, nil}, []*v1.Pod{b, a, nil}, 1, now)
		if len(picked) != 1 {
			t.Fatalf("PodsToDelete picked %d pods, want 1", len(picked))
		}
	})
}

func FuzzComputeHash(f *testing.F) {
	f.Add("app", "nginx", "nginx", "nginx:1.25", int32(0), false)
	f.Add("", "", "", "", int32(-1), true)
	f.Fuzz(func(t *testing.T, key, value, container, image string, collisionCount int32, collides bool) {
		tmpl := templateWith(map[string]string{key: value}, container, image)
		var cc *int32
		if collides {
			cc = &collisionCount
		}
		h := ComputeHash(tmpl, cc)
		if len(h) == 0 || len(h) > 10 || strings.Trim(h, "456789bcdf") != "" {
			t.Fatalf("hash %q is not 1-10 characters of the safe alphabet", h)
		}
		if again := ComputeHash(tmpl, cc); again != h {
			t.Fatalf("hash not stable: %q then %q", h, again)
		}
	})
}

func FuzzPodDeletionCost(f *testing.F) {
	for _, s := range []string{"", "0", "-0", "+1", "007", "-007", "2147483647", "2147483648", "-2147483648", "abc", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		got := PodDeletionCost(&v1.Pod{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{PodDeletionCostAnnotation: value}}})
		if got == 0 {
			return
		}
		// A non-zero cost must be the value as written, up to zeros after
		// a leading minus sign.
		canonical := strconv.FormatInt(int64(got), 10)
		if value != canonical && !(strings.HasPrefix(value, "-") && "-"+strings.TrimLeft(value[1:], "0") == canonical) {
			t.Fatalf("PodDeletionCost(%q) = %d", value, got)
		}
	})
}

func FuzzPredicates(f *testing.F) {
	f.Add("n", "Running", "True", "u", "1", int64(1e18), int64(1e18), int32(0), int32(0), false, int32(5), int64(1e18))
	f.Add("", "", "", "", "", int64(0), int64(0), int32(0), int32(0), true, int32(0), int64(0))
	f.Fuzz(func(t *testing.T, node, phase, ready, uid, cost string, readyTime, created int64, restarts, sidecar int32, deleting bool, minReady int32, nowUnixNano int64) {
		p := fuzzPod(node, phase, ready, uid, cost, readyTime, created, restarts, sidecar, deleting)
		now := time.Unix(0, nowUnixNano)
		if IsPodActive(p) && IsPodTerminating(p) {
			t.Fatal("a pod cannot be both active and terminating")
		}
		if IsPodActive(p) && (IsPodSucceeded(p) || IsPodFailed(p)) {
			t.Fatal("a finished pod cannot be active")
		}
		if IsPodAvailable(p, minReady, now) && !IsPodReady(p) {
			t.Fatal("an available pod must be ready")
		}
		if d, ok := NextAvailabilityCheck([]*v1.Pod{p, nil}, minReady, now); ok && d <= 0 {
			t.Fatalf("next check %v must be positive", d)
		}
		_ = ColocationRanks([]*v1.Pod{p}, []*v1.Pod{p, nil})
	})
}
