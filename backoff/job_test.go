package backoff

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
)

func TestJobDelay(t *testing.T) {
	var got []time.Duration
	for n := int32(0); n <= 9; n++ {
		got = append(got, JobDelay(n))
	}
	if diff := cmp.Diff(secs(0, 10, 20, 40, 80, 160, 320, 600, 600, 600), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, n := range []int32{-1, -2147483648} {
		if d := JobDelay(n); d != JobInitial {
			t.Errorf("JobDelay(%d) = %v, want the initial delay as upstream", n, d)
		}
	}
	if d := JobDelay(2147483647); d != JobMax {
		t.Errorf("JobDelay(max) = %v", d)
	}
}

func TestJobRemaining(t *testing.T) {
	last := at(0)
	tests := []struct {
		name string
		r    JobRecord
		now  time.Time
		want time.Duration
	}{
		{name: "empty record", r: JobRecord{}, now: at(0), want: 0},
		{name: "one failure, just now", r: JobRecord{1, &last}, now: at(0), want: 10 * time.Second},
		{name: "one failure, 4s ago", r: JobRecord{1, &last}, now: at(4), want: 6 * time.Second},
		{name: "one failure, exactly 10s ago", r: JobRecord{1, &last}, now: at(10), want: 0},
		{name: "three failures, 15s ago", r: JobRecord{3, &last}, now: at(15), want: 25 * time.Second},
		{name: "failure in the future (clock skew)", r: JobRecord{1, &last}, now: at(-5), want: 15 * time.Second},
		{name: "failures without time", r: JobRecord{FailuresAfterLastSuccess: 3}, now: at(0), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JobRemaining(tt.r, tt.now); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if JobRequeueAfter(300*time.Millisecond) != time.Second || JobRequeueAfter(5*time.Second) != 5*time.Second {
		t.Error("JobRequeueAfter does not floor at 1s")
	}
}

func TestNextJobRecord(t *testing.T) {
	t5, t30 := at(5), at(30)
	pods := func(ss ...int) []*v1.Pod {
		var out []*v1.Pod
		for _, s := range ss {
			out = append(out, finishedPod("p", s))
		}
		return out
	}
	tests := []struct {
		name      string
		prev      JobRecord
		succeeded []*v1.Pod
		failed    []*v1.Pod
		want      JobRecord
	}{
		{name: "nothing new", prev: JobRecord{2, &t5}, want: JobRecord{2, &t5}},
		{name: "failures add up", prev: JobRecord{2, &t5}, failed: pods(20, 30, 10), want: JobRecord{5, &t30}},
		{name: "a success resets", prev: JobRecord{2, &t5}, succeeded: pods(10), want: JobRecord{}},
		{name: "only failures after the last success count", prev: JobRecord{7, &t5}, succeeded: pods(3, 12), failed: pods(30, 12, 1, 20), want: JobRecord{2, &t30}},
		{name: "failure at the same second as the success does not count", succeeded: pods(30), failed: pods(30), want: JobRecord{}},
		{name: "nil pods are skipped", prev: JobRecord{1, &t5}, failed: []*v1.Pod{nil}, want: JobRecord{1, &t5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, NextJobRecord(tt.prev, tt.succeeded, tt.failed)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNextJobRecordDoesNotAliasPrev(t *testing.T) {
	t5 := at(5)
	prev := JobRecord{1, &t5}
	next := NextJobRecord(prev, nil, nil)
	*next.LastFailureTime = at(99)
	if !t5.Equal(at(5)) {
		t.Error("the new record shares its time with the old one")
	}
}
