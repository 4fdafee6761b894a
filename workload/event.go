package workload

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Event is one event a controller records during a sync, as upstream's
// event recorder receives it: the object it is about, its type, its
// one-word reason and its message.
type Event struct {
	// Object is the object the event is recorded on (the event's
	// involvedObject): usually the controller's own object.
	Object corev1.ObjectReference
	// Type is corev1.EventTypeNormal or corev1.EventTypeWarning.
	Type string
	// Reason is upstream's one-word reason, such as SuccessfulCreate or
	// ScalingReplicaSet.
	Reason string
	// Message is upstream's message text. Where upstream's message names an
	// object the API server names (a pod created from a generateName), the
	// plan cannot know that name: the message carries the name the request
	// carried, which is empty, exactly as upstream would write it against a
	// server that echoed the request back.
	Message string
}

// String renders the event as "Warning SelectingAll: This deployment is
// selecting all pods...".
func (e Event) String() string {
	return e.Type + " " + e.Reason + ": " + e.Message
}

// ObjectRef returns the reference an event recorded on obj carries: its
// apiVersion and kind (from gvk, since typed objects usually come without
// TypeMeta), namespace, name and UID. The resourceVersion is left out: it
// changes with every write the sync makes, and the event is about the
// object, not one version of it.
func ObjectRef(obj metav1.Object, gvk schema.GroupVersionKind) corev1.ObjectReference {
	apiVersion, kind := gvk.ToAPIVersionAndKind()
	return corev1.ObjectReference{
		APIVersion: apiVersion,
		Kind:       kind,
		Namespace:  obj.GetNamespace(),
		Name:       obj.GetName(),
		UID:        obj.GetUID(),
	}
}

// Normal records a Normal event on obj, the message formatted as
// fmt.Sprintf does, as upstream's recorder.Eventf.
func (p *Plan) Normal(obj corev1.ObjectReference, reason, format string, args ...any) {
	p.Events = append(p.Events, Event{Object: obj, Type: corev1.EventTypeNormal, Reason: reason, Message: fmt.Sprintf(format, args...)})
}

// Warning records a Warning event on obj, as Normal does.
func (p *Plan) Warning(obj corev1.ObjectReference, reason, format string, args ...any) {
	p.Events = append(p.Events, Event{Object: obj, Type: corev1.EventTypeWarning, Reason: reason, Message: fmt.Sprintf(format, args...)})
}

// The reasons of the events upstream's pod control records on the
// controller's object after each pod create or delete, shared by every
// controller that creates or deletes pods.
const (
	EventSuccessfulCreate = "SuccessfulCreate"
	EventSuccessfulDelete = "SuccessfulDelete"
)
