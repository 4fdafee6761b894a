package apply

import (
	"os"
	"testing"

	"github.com/kubepure/kubepure/conformance/harness"
)

func TestMain(m *testing.M) {
	harness.SilenceKlog()
	os.Exit(m.Run())
}
