package backoff_test

import (
	"fmt"
	"time"

	"github.com/kubepure/kubepure/backoff"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A Job's pods fail one after another; the controller waits longer before
// each replacement. The caller keeps the record between syncs.
func ExampleNextJobRecord() {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	failedAt := func(s int) *v1.Pod {
		return &v1.Pod{Status: v1.PodStatus{Phase: v1.PodFailed, ContainerStatuses: []v1.ContainerStatus{{
			State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: 1, FinishedAt: metav1.NewTime(start.Add(time.Duration(s) * time.Second))}},
		}}}}
	}
	var rec backoff.JobRecord
	for _, s := range []int{0, 12, 40} {
		rec = backoff.NextJobRecord(rec, nil, []*v1.Pod{failedAt(s)})
		now := start.Add(time.Duration(s+2) * time.Second)
		fmt.Printf("failure %d: wait %v more\n", rec.FailuresAfterLastSuccess, backoff.JobRemaining(rec, now))
	}
	// Output:
	// failure 1: wait 8s more
	// failure 2: wait 18s more
	// failure 3: wait 38s more
}

// The kubelet restarts a crash-looping container later and later.
func ExamplePolicy_CrashLoopStep() {
	p, _ := backoff.CrashLoopPolicy(backoff.CrashLoopConfig{})
	var e backoff.Entry
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for range 5 {
		finished := now.Add(time.Second) // crashes a second after each start
		now = finished
		start, next, retryAt := p.CrashLoopStep(e, finished, now)
		if !start {
			now = retryAt
			_, next, _ = p.CrashLoopStep(e, finished, now)
		}
		e = next
		fmt.Println("restarted after", now.Sub(finished))
	}
	// Output:
	// restarted after 0s
	// restarted after 10s
	// restarted after 20s
	// restarted after 40s
	// restarted after 1m20s
}
