package validate

import (
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

func TestPod(t *testing.T) {
	path := field.NewPath("pods").Index(3)
	tests := []struct {
		name string
		pod  *v1.Pod
		want []string
	}{
		{name: "nil", pod: nil, want: []string{"pods[3]: Required value"}},
		{name: "complete", pod: &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "a", UID: "u"}}},
		{name: "no uid", pod: &v1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "a"}}, want: []string{"pods[3].metadata.uid: Required value"}},
		{name: "no name, no uid", pod: &v1.Pod{}, want: []string{"pods[3].metadata.name: Required value", "pods[3].metadata.uid: Required value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := Pod(tt.pod, path)
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d errors (%v), want %d", len(errs), errs, len(tt.want))
			}
			for i, e := range errs {
				if !strings.HasPrefix(e.Error(), tt.want[i]) {
					t.Errorf("error %d = %q, want prefix %q", i, e.Error(), tt.want[i])
				}
			}
		})
	}
}
