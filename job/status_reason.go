package job

import (
	"fmt"

	"github.com/kubepure/kubepure/workload"
	batch "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/types"
)

// statusChanges lists what a status write changes from old to cur, for the
// write's reason: counters, index lists, pods moved into or out of
// uncountedTerminatedPods, start and completion times, conditions added or
// changed.
func statusChanges(old, cur *batch.JobStatus) string {
	var c workload.Changes
	add := c.Add
	c.Int("active", int64(old.Active), int64(cur.Active))
	c.Int32Ptr("ready", old.Ready, cur.Ready)
	c.Int32Ptr("terminating", old.Terminating, cur.Terminating)
	c.Int("succeeded", int64(old.Succeeded), int64(cur.Succeeded))
	c.Int("failed", int64(old.Failed), int64(cur.Failed))
	if old.CompletedIndexes != cur.CompletedIndexes {
		add("completedIndexes %q->%q", old.CompletedIndexes, cur.CompletedIndexes)
	}
	if !equalStringPtr(old.FailedIndexes, cur.FailedIndexes) {
		add("failedIndexes %s->%s", stringPtrString(old.FailedIndexes), stringPtrString(cur.FailedIndexes))
	}
	var oldU, curU batch.UncountedTerminatedPods
	if old.UncountedTerminatedPods != nil {
		oldU = *old.UncountedTerminatedPods
	}
	if cur.UncountedTerminatedPods != nil {
		curU = *cur.UncountedTerminatedPods
	}
	uncounted := func(name string, from, to []types.UID) {
		in, out := uidDiff(from, to)
		if in > 0 {
			add("%d pods into uncountedTerminatedPods.%s", in, name)
		}
		if out > 0 {
			add("%d pods out of uncountedTerminatedPods.%s", out, name)
		}
	}
	uncounted("succeeded", oldU.Succeeded, curU.Succeeded)
	uncounted("failed", oldU.Failed, curU.Failed)
	switch {
	case old.StartTime == nil && cur.StartTime != nil:
		add("startTime set")
	case old.StartTime != nil && cur.StartTime == nil:
		add("startTime cleared")
	case old.StartTime != nil && !old.StartTime.Equal(cur.StartTime):
		add("startTime reset")
	}
	if old.CompletionTime == nil && cur.CompletionTime != nil {
		add("completionTime set")
	}
	for _, c := range cur.Conditions {
		prev := findCondition(old.Conditions, c.Type)
		switch {
		case prev == nil:
			add("condition %s=%s added (%s)", c.Type, c.Status, c.Reason)
		case prev.Status != c.Status || prev.Reason != c.Reason || prev.Message != c.Message:
			add("condition %s %s->%s (%s)", c.Type, prev.Status, c.Status, c.Reason)
		}
	}
	return c.String()
}

// uidDiff counts the UIDs of to missing from from, and those of from
// missing from to.
func uidDiff(from, to []types.UID) (in, out int) {
	fromSet, toSet := uidSet(from), uidSet(to)
	for _, u := range to {
		if !fromSet[u] {
			in++
		}
	}
	for _, u := range from {
		if !toSet[u] {
			out++
		}
	}
	return in, out
}

func stringPtrString(p *string) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%q", *p)
}

func equalStringPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
