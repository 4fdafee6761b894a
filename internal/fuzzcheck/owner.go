package fuzzcheck

import (
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// Owner is what the ownership check needs to know about one sync: the
// object synced and the objects of the input, by resource.
type Owner struct {
	// Resource, Namespace, Name and UID identify the object synced. Calls
	// on the object itself (its status, its spec) are always allowed.
	Resource, Namespace, Name string
	UID                       types.UID
	// Objects are the input's objects by resource ("pods", "replicasets",
	// ...); nil entries are skipped.
	Objects map[string][]metav1.Object
	// Allow, when set, accepts a call the rule would refuse: one of
	// upstream's documented exceptions. It is given the action and the
	// object it touches.
	Allow func(a workload.Action, target metav1.Object) bool
}

// Check reports the first call that breaks the ownership rule:
//
//   - an update, status update, patch or delete must touch an object of the
//     input (a controller acts only on what it observed), and that object
//     must have no controller (an orphan it adopts) or be controlled by the
//     synced object;
//   - an object created with a controller reference must name the synced
//     object as its controller.
func (o *Owner) Check(plan workload.Plan) error {
	for i, a := range plan.Actions {
		if a.Verb == workload.Create {
			if m, ok := a.Object.(metav1.Object); ok {
				if ref := metav1.GetControllerOfNoCopy(m); ref != nil && ref.UID != o.UID {
					return fmt.Errorf("action %d creates %s %s/%s controlled by %s %s (uid %s), not by the synced object (uid %s)",
						i, a.Resource, a.Namespace, m.GetGenerateName()+m.GetName(), ref.Kind, ref.Name, ref.UID, o.UID)
				}
			}
			continue
		}
		name := a.Name
		if name == "" {
			if m, ok := a.Object.(metav1.Object); ok {
				name = m.GetName()
			}
		}
		if a.Resource == o.Resource && a.Namespace == o.Namespace && name == o.Name {
			continue
		}
		target := o.find(a.Resource, a.Namespace, name)
		if target == nil {
			if o.Allow != nil && o.Allow(a, nil) {
				continue
			}
			return fmt.Errorf("action %d (%s %s %s/%s) touches an object that is not in the input", i, a.Verb, a.Resource, a.Namespace, name)
		}
		ref := metav1.GetControllerOfNoCopy(target)
		if ref == nil || ref.UID == o.UID {
			continue
		}
		if o.Allow != nil && o.Allow(a, target) {
			continue
		}
		return fmt.Errorf("action %d (%s %s %s/%s) touches an object controlled by %s %s (uid %s), not by the synced object (uid %s)",
			i, a.Verb, a.Resource, a.Namespace, name, ref.Kind, ref.Name, ref.UID, o.UID)
	}
	return nil
}

func (o *Owner) find(resource, namespace, name string) metav1.Object {
	for _, obj := range o.Objects[resource] {
		if obj == nil || reflectNil(obj) {
			continue
		}
		if obj.GetNamespace() == namespace && obj.GetName() == name {
			return obj
		}
	}
	return nil
}

// Objects converts a typed list for Owner.Objects, dropping nil entries.
func Objects[T metav1.Object](list []T) []metav1.Object {
	out := make([]metav1.Object, 0, len(list))
	for _, o := range list {
		if !reflectNil(o) {
			out = append(out, o)
		}
	}
	return out
}
