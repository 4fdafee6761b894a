package daemon_test

import (
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/selector"
)

type backoffEntry = backoff.Entry

// selectorControllerOf is the UID of the pod's controller, or "".
func selectorControllerOf(p *v1.Pod) types.UID {
	if ref := selector.ControllerOf(p); ref != nil {
		return ref.UID
	}
	return ""
}
