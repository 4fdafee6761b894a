package rollout_test

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/rollout"
)

// FuzzReconcile drives generated worlds, some mangled in ways the API
// server would refuse, through Reconcile: it must return a plan or an
// error, never panic.
func FuzzReconcile(f *testing.F) {
	gen.Fuzz(f, func(t *rapid.T) {
		w := genWorld(t)
		st := worldState(w)
		d := st.Deployment.DeepCopy()
		st.Deployment = d
		switch rapid.IntRange(0, 8).Draw(t, "mangle") {
		case 1:
			d.Spec.Replicas = nil
		case 2:
			d.Spec.Selector = nil
		case 3:
			st.ReplicaSets = append(st.ReplicaSets, nil)
		case 4:
			st.Deployment = nil
		case 5:
			bad := intstr.FromString(rapid.SampledFrom([]string{"x", "-1%", "150%", "", "99999999999999999999%"}).Draw(t, "bad"))
			if d.Spec.Strategy.RollingUpdate != nil {
				d.Spec.Strategy.RollingUpdate.MaxSurge = &bad
			}
		case 6:
			neg := int32(-1)
			d.Spec.ProgressDeadlineSeconds = &neg
		case 7:
			d.Spec.Paused = true
		case 8:
			d.Annotations = map[string]string{rollout.RollbackToAnnotation: rapid.SampledFrom([]string{"0", "1", "2", "9", "x"}).Draw(t, "to")}
		}
		_, _ = rollout.Reconcile(st, propNow)
	})
}
