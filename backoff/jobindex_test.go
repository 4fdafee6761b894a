package backoff

import (
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
)

func TestIndexFailures(t *testing.T) {
	tests := []struct {
		name           string
		count, ignored string // "" means absent
		want           int32
	}{
		{name: "no annotations", want: 0},
		{name: "count only", count: "3", want: 3},
		{name: "count and ignored", count: "3", ignored: "2", want: 5},
		{name: "garbage is zero", count: "x", ignored: "2", want: 2},
		{name: "negative is zero", count: "-4", want: 0},
		{name: "above int32 is zero", count: "2147483648", want: 0},
		{name: "sum wraps like int32", count: "2147483647", ignored: "1", want: -2147483648},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := finishedPod("p", 0)
			p.Annotations = map[string]string{}
			if tt.count != "" {
				p.Annotations[batchv1.JobIndexFailureCountAnnotation] = tt.count
			}
			if tt.ignored != "" {
				p.Annotations[batchv1.JobIndexIgnoredFailureCountAnnotation] = tt.ignored
			}
			if got := IndexFailures(p); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestJobIndexRemaining(t *testing.T) {
	if JobIndexRemaining(nil, at(0)) != 0 {
		t.Error("an index without failures waits")
	}
	p := finishedPod("p", 0)
	p.Annotations = map[string]string{batchv1.JobIndexFailureCountAnnotation: "2"}
	// Third failure of the index: 40 s, 15 s of it gone.
	if got := JobIndexRemaining(p, at(15)); got != 25*time.Second {
		t.Errorf("got %v, want 25s", got)
	}
}
