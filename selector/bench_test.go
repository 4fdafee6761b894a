package selector

import (
	"fmt"
	"testing"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
)

// BenchmarkClaimObjects claims a mix of owned, orphaned, foreign and
// mismatching pods.
func BenchmarkClaimObjects(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		pods := make([]*v1.Pod, n)
		for i := range pods {
			app := "web"
			if i%7 == 0 {
				app = "db"
			}
			ctrl := []types.UID{"me", "me", "", "other"}[i%4]
			pods[i] = pod(fmt.Sprintf("p%05d", (i*7919)%n), map[string]string{"app": app}, ctrl)
		}
		o := owner("rs", "me", false)
		sel := labels.SelectorFromSet(labels.Set{"app": "web"})
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ClaimObjects(o, rsGVK, sel, pods)
			}
		})
	}
}
