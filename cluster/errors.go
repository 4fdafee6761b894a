package cluster

import (
	"fmt"
	"net/http"

	v1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The store's errors are the API server's: every one is an
// *apierrors.StatusError with the reason and message the server sends, so
// callers test them with apierrors.IsNotFound, IsAlreadyExists, IsConflict,
// IsInvalid and IsBadRequest exactly as they would a client-go error.

// optimisticLockMsg is the API server's message for an update whose
// resourceVersion is stale.
const optimisticLockMsg = "the object has been modified; please apply your changes to the latest version and try again"

func errNotFound(k *kindInfo, name string) error {
	return apierrors.NewNotFound(k.groupResource(), name)
}

// errAlreadyExists is the create conflict; the server prefixes the message
// when the existing object is terminating.
func errAlreadyExists(k *kindInfo, name string, terminating bool) error {
	err := apierrors.NewAlreadyExists(k.groupResource(), name)
	if terminating {
		err.ErrStatus.Message = "object is being deleted: " + err.ErrStatus.Message
	}
	return err
}

func errStaleResourceVersion(k *kindInfo, name string) error {
	return apierrors.NewConflict(k.groupResource(), name, fmt.Errorf("%s", optimisticLockMsg))
}

// errUpdateUIDPrecondition is the storage precondition failure of an update
// whose body names another UID: the server turns it into a Conflict.
func errUpdateUIDPrecondition(k *kindInfo, name string, want, got string) error {
	//lint:ignore ST1005 the API server's message, word for word
	return apierrors.NewConflict(k.groupResource(), name, fmt.Errorf("Precondition failed: UID in precondition: %v, UID in object meta: %v", want, got))
}

// errDeletePrecondition is a failed DeleteOptions precondition. The API
// server names the kind, not the resource, in this message.
func errDeletePrecondition(k *kindInfo, name, what, want, got, hint string) error {
	return apierrors.NewConflict(schema.GroupResource{Group: k.group, Resource: k.kind}, name,
		fmt.Errorf("the %s in the precondition (%s) does not match the %s in record (%s). %s", what, want, what, got, hint))
}

func errInvalid(k *kindInfo, name string, errs field.ErrorList) error {
	return apierrors.NewInvalid(schema.GroupKind{Group: k.group, Kind: k.kind}, name, errs)
}

// errImmutable is the validation failure of an update or patch that
// changes a field the server keeps (a patch's metadata.uid, a set
// deletionTimestamp).
func errImmutable(k *kindInfo, name string, path *field.Path, value any) error {
	return errInvalid(k, name, field.ErrorList{field.Invalid(path, value, "field is immutable")})
}

func errBadRequest(format string, args ...any) error {
	return apierrors.NewBadRequest(fmt.Sprintf(format, args...))
}

// errNamespaceTerminating is NamespaceLifecycle admission's refusal to
// create an object in a namespace being deleted; the controllers look for
// its cause.
func errNamespaceTerminating(k *kindInfo, name, namespace string) error {
	err := apierrors.NewForbidden(k.groupResource(), name,
		fmt.Errorf("unable to create new content in namespace %s because it is being terminated", namespace))
	err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{
		Type:    v1.NamespaceTerminatingCause,
		Message: fmt.Sprintf("namespace %s is being terminated", namespace),
		Field:   "metadata.namespace",
	})
	return err
}

// errUnsupportedPatch refuses a patch type the store does not apply (JSON
// patch and server-side apply: no workload controller sends them).
func errUnsupportedPatch(pt types.PatchType) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{
		Status:  metav1.StatusFailure,
		Code:    http.StatusUnsupportedMediaType,
		Reason:  metav1.StatusReasonUnsupportedMediaType,
		Message: fmt.Sprintf("the body of the request was in an unknown format - accepted media types include: %s, %s", types.StrategicMergePatchType, types.MergePatchType),
	}}
}
