package harness

import (
	"github.com/go-logr/logr"
	"k8s.io/klog/v2"
)

// SilenceKlog sends klog's global output nowhere. Upstream controllers
// report through it outside the context logger too (utilruntime.HandleError,
// a metrics registration that is refused the second time a controller is
// built in the same process). A conformance run builds thousands of
// controllers; call this once from TestMain.
func SilenceKlog() {
	klog.SetLogger(logr.Discard())
}
