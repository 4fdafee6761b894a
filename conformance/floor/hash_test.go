package floor

import (
	"encoding/json"
	"fmt"
	"testing"

	"k8s.io/kubernetes/pkg/controller"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/gen"
	"github.com/kubepure/kubepure/workload"
)

// TestHashConformance compares workload.ComputeHash with upstream's
// controller.ComputeHash. Each side hashes its own deep copy, so that a
// side that caches inside the template (a Quantity caches its string form)
// cannot change what the other sees.
func TestHashConformance(t *testing.T) {
	check.Run(t, "Hash", func(rt *rapid.T) string {
		tmpl := gen.Template(rt)
		cc := gen.CollisionCount(rt)
		want := controller.ComputeHash(tmpl.DeepCopy(), cc)
		got := workload.ComputeHash(tmpl.DeepCopy(), cc)
		if got == want {
			return ""
		}
		body, _ := json.Marshal(tmpl)
		c := "nil"
		if cc != nil {
			c = fmt.Sprint(*cc)
		}
		return fmt.Sprintf("ComputeHash = %q, upstream %q (collisionCount=%s)\n  template: %s", got, want, c, body)
	})
}
