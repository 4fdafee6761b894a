package validate

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// UniqueNames reports each object of list whose namespace and name an
// earlier entry already has, as a duplicate at path[i].metadata.name. A
// real cluster never holds two objects of one kind under one name, and a
// plan computed from such a list would depend on its order. Nil entries
// are skipped (NoNilEntries reports them).
func UniqueNames[T metav1.Object](list []T, path *field.Path) field.ErrorList {
	if len(list) < 2 {
		return nil
	}
	type key struct{ ns, name string }
	seen := make(map[key]struct{}, len(list))
	var errs field.ErrorList
	for i, o := range list {
		if isNil(o) {
			continue
		}
		k := key{o.GetNamespace(), o.GetName()}
		if _, dup := seen[k]; dup {
			errs = append(errs, field.Duplicate(path.Index(i).Child("metadata", "name"), o.GetNamespace()+"/"+o.GetName()))
			continue
		}
		seen[k] = struct{}{}
	}
	return errs
}

// UniqueUIDs reports each object of list whose non-empty UID an earlier
// entry already has, as a duplicate at path[i].metadata.uid: one object
// seen twice would be counted twice.
func UniqueUIDs[T metav1.Object](list []T, path *field.Path) field.ErrorList {
	if len(list) < 2 {
		return nil
	}
	seen := make(map[types.UID]struct{}, len(list))
	var errs field.ErrorList
	for i, o := range list {
		if isNil(o) || o.GetUID() == "" {
			continue
		}
		if _, dup := seen[o.GetUID()]; dup {
			errs = append(errs, field.Duplicate(path.Index(i).Child("metadata", "uid"), o.GetUID()))
			continue
		}
		seen[o.GetUID()] = struct{}{}
	}
	return errs
}

// isNil reports whether o is its type's zero value: a nil pointer, for
// the pointer types the controllers take.
func isNil[T metav1.Object](o T) bool {
	var zero T
	return any(o) == any(zero)
}
