package selector

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// Action turns an adopt or release decision into its API call: a
// strategic-merge patch of the object, on resource ("pods", "replicasets",
// "controllerrevisions"), with a reason naming the owner, for example
// "adopt orphan: labels match the selector of DaemonSet default/fluentd".
func (c Change[T]) Action(resource, ownerKind string, owner metav1.Object) workload.Action {
	var reason string
	switch c.Kind {
	case Release:
		reason = fmt.Sprintf("release: labels no longer match the selector of %s %s/%s", ownerKind, owner.GetNamespace(), owner.GetName())
	default:
		reason = fmt.Sprintf("adopt orphan: labels match the selector of %s %s/%s", ownerKind, owner.GetNamespace(), owner.GetName())
	}
	return workload.Action{
		Verb:      workload.Patch,
		Resource:  resource,
		Namespace: c.Object.GetNamespace(),
		Name:      c.Object.GetName(),
		PatchType: types.StrategicMergePatchType,
		Patch:     c.Patch,
		Reason:    reason,
	}
}
