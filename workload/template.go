package workload

import (
	v1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// PodGenerateNamePrefix is the generateName a controller named ownerName
// gives the pods it creates: the owner's name and a dash, so that the API
// server names them "<owner>-<5 random characters>". When that prefix fails
// apimachinery's DNS-subdomain prefix validation, the dash is left out and
// the owner's name is used as it is, as upstream does. That validation
// replaces the last two characters of "<owner>-" by a single "a" before
// checking, so an owner name of up to 253 characters still gets its dash,
// and so does "web." (which becomes "web.-").
func PodGenerateNamePrefix(ownerName string) string {
	prefix := ownerName + "-"
	if len(apivalidation.NameIsDNSSubdomain(prefix, true)) != 0 {
		return ownerName
	}
	return prefix
}

// PodFromTemplate builds the body of the create call a controller named
// ownerName makes to start a pod from template. The pod gets copies of the
// template's labels, annotations and finalizers, generateName
// PodGenerateNamePrefix(ownerName), exactly one owner reference (a copy of
// controllerRef) and a deep copy of the template's spec. Nothing else of the
// template's metadata is used, and the namespace is left empty: the request
// path carries it. Like upstream, labels and annotations are always non-nil
// maps and finalizers a non-nil slice, even when empty.
//
// It fails, as upstream does before making any API call, when the template is
// nil, when controllerRef is nil, lacks apiVersion or kind, or is not marked
// controller=true and blockOwnerDeletion=true, or when the template has no
// labels (a pod without labels could never be matched back to its owner).
// The error is a field.ErrorList aggregate naming "template" and
// "controllerRef" fields.
func PodFromTemplate(template *v1.PodTemplateSpec, ownerName string, controllerRef *metav1.OwnerReference) (*v1.Pod, error) {
	if errs := validatePodTemplateInput(template, controllerRef); len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	pod := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName:    PodGenerateNamePrefix(ownerName),
			Labels:          copyStringMap(template.Labels),
			Annotations:     copyStringMap(template.Annotations),
			Finalizers:      append(make([]string, 0, len(template.Finalizers)), template.Finalizers...),
			OwnerReferences: []metav1.OwnerReference{*controllerRef.DeepCopy()},
		},
		Spec: *template.Spec.DeepCopy(),
	}
	return pod, nil
}

func validatePodTemplateInput(template *v1.PodTemplateSpec, ref *metav1.OwnerReference) field.ErrorList {
	var errs field.ErrorList
	refPath := field.NewPath("controllerRef")
	if ref == nil {
		errs = append(errs, field.Required(refPath, "a controller reference is needed to create pods"))
	} else {
		if ref.APIVersion == "" {
			errs = append(errs, field.Required(refPath.Child("apiVersion"), ""))
		}
		if ref.Kind == "" {
			errs = append(errs, field.Required(refPath.Child("kind"), ""))
		}
		if ref.Controller == nil || !*ref.Controller {
			errs = append(errs, field.Invalid(refPath.Child("controller"), ref.Controller, "must be true"))
		}
		if ref.BlockOwnerDeletion == nil || !*ref.BlockOwnerDeletion {
			errs = append(errs, field.Invalid(refPath.Child("blockOwnerDeletion"), ref.BlockOwnerDeletion, "must be true"))
		}
	}
	tmplPath := field.NewPath("template")
	if template == nil {
		errs = append(errs, field.Required(tmplPath, "a pod template is needed to create pods"))
	} else if len(template.Labels) == 0 {
		errs = append(errs, field.Required(tmplPath.Child("metadata", "labels"), "unable to create pods, no labels"))
	}
	return errs
}

// copyStringMap returns a copy of m that is never nil.
func copyStringMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
