package backoff

import (
	"fmt"
	"testing"

	v1 "k8s.io/api/core/v1"
)

// BenchmarkNextJobRecord folds a sync's worth of finished pods into a record.
func BenchmarkNextJobRecord(b *testing.B) {
	for _, n := range []int{100, 1000} {
		var succeeded, failed []*v1.Pod
		for i := range n {
			p := finishedPod(fmt.Sprint(i), (i*7919)%n)
			if i%3 == 0 {
				succeeded = append(succeeded, p)
			} else {
				failed = append(failed, p)
			}
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NextJobRecord(JobRecord{}, succeeded, failed)
			}
		})
	}
}
