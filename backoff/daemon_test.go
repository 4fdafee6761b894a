package backoff

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDaemonKey(t *testing.T) {
	if got := DaemonKey("abc", 7, "node-1"); got != "abc/7/node-1" {
		t.Errorf("got %q", got)
	}
}

// A node whose daemon pod keeps failing: each time the controller looks,
// the failed pod is deleted only once the current delay has passed since
// the last deletion, and the delay doubles up to 15 minutes.
func TestDaemonFailedPodTimeline(t *testing.T) {
	var e Entry
	now := t0
	var delays []time.Duration
	for range 12 {
		del, next, requeue := DaemonFailedPod(e, now)
		if !del {
			t.Fatalf("at %v: in back-off (requeue %v), want a deletion", now.Sub(t0), requeue)
		}
		e = next
		delays = append(delays, e.Delay)
		// Looking again before the delay is over keeps the pod and requeues
		// after the whole delay.
		if del, same, requeue := DaemonFailedPod(e, now.Add(e.Delay-time.Millisecond)); del || same != e || requeue != e.Delay {
			t.Fatalf("early look: delete=%v requeue=%v", del, requeue)
		}
		now = now.Add(e.Delay)
	}
	if diff := cmp.Diff(secs(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900), delays); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDaemonTwoFailedPodsInOneSync(t *testing.T) {
	del1, e, _ := DaemonFailedPod(Entry{}, t0)
	del2, e2, requeue := DaemonFailedPod(e, t0)
	if !del1 || del2 || e2 != e || requeue != time.Second {
		t.Errorf("got delete %v, %v; requeue %v", del1, del2, requeue)
	}
}

func TestDaemonEntryExpires(t *testing.T) {
	e := Entry{Delay: 15 * time.Minute, LastUpdate: t0}
	if DaemonPolicy().Expired(e, t0.Add(30*time.Minute)) {
		t.Error("expired at exactly 2*max")
	}
	del, next, _ := DaemonFailedPod(e, t0.Add(30*time.Minute+time.Nanosecond))
	if !del || next.Delay != time.Second {
		t.Errorf("after 30 min the back-off should restart at 1s, got delete=%v %v", del, next.Delay)
	}
	gc := DaemonPolicy().GC(map[string]Entry{"old": e, "new": {Delay: time.Second, LastUpdate: t0.Add(29 * time.Minute)}}, t0.Add(31*time.Minute))
	if _, ok := gc["old"]; ok || len(gc) != 1 {
		t.Errorf("GC kept %v", gc)
	}
}
