package validate

import (
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Pod checks that a pod carries what the predicates, the ranking and
// a controller's delete call rely on: it is not nil, and it has a name and a
// UID (the UID breaks ties in the deletion order and identifies the pod when
// the same one is seen twice). Every pod a real cluster stores passes. path
// names the pod in the errors, for example field.NewPath("pods").Index(3).
func Pod(p *v1.Pod, path *field.Path) field.ErrorList {
	if PodLooksValid(p) {
		return nil
	}
	var errs field.ErrorList
	if p == nil {
		return append(errs, field.Required(path, "pod must not be nil"))
	}
	meta := path.Child("metadata")
	if p.Name == "" {
		errs = append(errs, field.Required(meta.Child("name"), "a pod must have a name"))
	}
	if p.UID == "" {
		errs = append(errs, field.Required(meta.Child("uid"), "a pod must have a uid"))
	}
	return errs
}

// PodLooksValid is Pod's test without building any error path,
// for the common case where every pod is fine.
func PodLooksValid(p *v1.Pod) bool {
	return p != nil && p.Name != "" && p.UID != ""
}
