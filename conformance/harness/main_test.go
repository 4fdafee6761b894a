package harness

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	SilenceKlog()
	os.Exit(m.Run())
}
