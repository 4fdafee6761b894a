package backoff

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	"pgregory.net/rapid"
)

func TestPropertyJobDelayMonotoneAndCapped(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.Int32Range(0, 1<<30).Draw(t, "a")
		b := rapid.Int32Range(a, 1<<30+1).Draw(t, "b")
		da, db := JobDelay(a), JobDelay(b)
		if da > db {
			t.Fatalf("JobDelay(%d)=%v > JobDelay(%d)=%v", a, da, b, db)
		}
		if db > JobMax {
			t.Fatalf("JobDelay(%d)=%v above the cap", b, db)
		}
		if a > 0 && da < JobInitial {
			t.Fatalf("JobDelay(%d)=%v below the initial delay", a, da)
		}
	})
}

func TestPropertyPolicyNextMonotoneAndCapped(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.SampledFrom([]Policy{DaemonPolicy(), {Initial: 10 * time.Second, Max: 300 * time.Second, ExpireAfter: CrashLoopReset}}).Draw(t, "policy")
		e := Entry{}
		now := t0
		steps := rapid.IntRange(1, 40).Draw(t, "steps")
		for i := range steps {
			now = now.Add(time.Duration(rapid.Int64Range(0, int64(p.ExpireAfter)).Draw(t, fmt.Sprintf("gap%d", i))))
			next := p.Next(e, now, now)
			if next.Delay > max(p.Max, p.Initial) || next.Delay < p.Initial {
				t.Fatalf("delay %v outside [%v, %v]", next.Delay, p.Initial, p.Max)
			}
			if !e.IsZero() && next.Delay < e.Delay {
				t.Fatalf("delay fell from %v to %v without expiry", e.Delay, next.Delay)
			}
			e = next
		}
	})
}

func genFinishedPods(t *rapid.T, label string) []*v1.Pod {
	n := rapid.IntRange(0, 6).Draw(t, label+"N")
	pods := make([]*v1.Pod, n)
	for i := range pods {
		pods[i] = finishedPod(fmt.Sprintf("%s%d", label, i), rapid.IntRange(0, 20).Draw(t, fmt.Sprintf("%s%d", label, i)))
	}
	return pods
}

func TestPropertyNextJobRecordOrderFreeAndPure(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		succeeded := genFinishedPods(t, "s")
		failed := genFinishedPods(t, "f")
		var prev JobRecord
		if n := rapid.Int32Range(0, 5).Draw(t, "prevN"); n > 0 {
			last := at(rapid.IntRange(-10, 10).Draw(t, "prevT"))
			prev = JobRecord{n, &last}
		}
		beforeS := deepCopyPods(succeeded)
		beforeF := deepCopyPods(failed)
		got := NextJobRecord(prev, succeeded, failed)
		if diff := cmp.Diff(beforeS, succeeded); diff != "" {
			t.Fatalf("succeeded pods mutated:\n%s", diff)
		}
		if diff := cmp.Diff(beforeF, failed); diff != "" {
			t.Fatalf("failed pods mutated:\n%s", diff)
		}
		shuffled := NextJobRecord(prev, rapid.Permutation(succeeded).Draw(t, "ps"), rapid.Permutation(failed).Draw(t, "pf"))
		if diff := cmp.Diff(got, shuffled); diff != "" {
			t.Fatalf("order changed the record:\n%s", diff)
		}
		if (got.FailuresAfterLastSuccess == 0) != (got.LastFailureTime == nil) && len(succeeded)+len(failed) > 0 {
			t.Fatalf("inconsistent record %+v", got)
		}
	})
}

func deepCopyPods(pods []*v1.Pod) []*v1.Pod {
	out := make([]*v1.Pod, len(pods))
	for i, p := range pods {
		out[i] = p.DeepCopy()
	}
	return out
}
