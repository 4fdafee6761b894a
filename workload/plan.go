package workload

import (
	"fmt"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// Verb is the kind of API call an Action stands for.
type Verb string

// The verbs a controller sync issues. They match client-go's verbs, with
// UpdateStatus standing for an update of the status subresource.
const (
	Create       Verb = "create"
	Update       Verb = "update"
	UpdateStatus Verb = "update-status"
	Patch        Verb = "patch"
	Delete       Verb = "delete"
)

// Action is one API call a controller would make. A caller applies it
// one-to-one with client-go:
//
//	Create:       client.Resource(a.Resource).Namespace(a.Namespace).Create(a.Object)
//	Update:       ... .Update(a.Object)
//	UpdateStatus: ... .UpdateStatus(a.Object)
//	Patch:        ... .Patch(a.Name, a.PatchType, a.Patch)
//	Delete:       ... .Delete(a.Name, a.DeleteOptions)
type Action struct {
	// Verb is the API call.
	Verb Verb
	// Resource is the lower-case plural resource, as in a REST path:
	// "pods", "replicasets", "deployments", "controllerrevisions", "jobs".
	Resource string
	// Namespace is the namespace of the request path.
	Namespace string
	// Name is the object's name. For a Create whose object carries only a
	// generateName it is empty: the API server picks the name.
	Name string
	// Object is the request body of a Create, Update or UpdateStatus: a
	// k8s.io/api object the caller may hand to client-go as it is. It is nil
	// for Patch and Delete.
	Object runtime.Object
	// PatchType and Patch are the body of a Patch.
	PatchType types.PatchType
	Patch     []byte
	// DeleteOptions are the options of a Delete; nil means empty options.
	DeleteOptions *metav1.DeleteOptions
	// Reason says in a few words why the controller makes this call.
	Reason string
}

// String renders the action on one line: verb, resource, namespace/name and
// the reason. A create with a generated name shows its generateName prefix
// followed by "*".
func (a Action) String() string {
	var b strings.Builder
	b.WriteString(string(a.Verb))
	b.WriteByte(' ')
	b.WriteString(a.Resource)
	b.WriteByte(' ')
	if a.Namespace != "" {
		b.WriteString(a.Namespace)
		b.WriteByte('/')
	}
	b.WriteString(a.displayName())
	if a.Reason != "" {
		b.WriteString(": ")
		b.WriteString(a.Reason)
	}
	return b.String()
}

func (a Action) displayName() string {
	if a.Name != "" {
		return a.Name
	}
	if m, ok := a.Object.(metav1.Object); ok {
		if m.GetName() != "" {
			return m.GetName()
		}
		if m.GetGenerateName() != "" {
			return m.GetGenerateName() + "*"
		}
	}
	return "?"
}

// The resources a plan's actions name, as in a REST path.
const (
	ResourcePods                   = "pods"
	ResourceReplicaSets            = "replicasets"
	ResourceDeployments            = "deployments"
	ResourceDaemonSets             = "daemonsets"
	ResourceStatefulSets           = "statefulsets"
	ResourceControllerRevisions    = "controllerrevisions"
	ResourceJobs                   = "jobs"
	ResourceCronJobs               = "cronjobs"
	ResourcePersistentVolumeClaims = "persistentvolumeclaims"
)

// Plan is what one sync of a controller decides: the API calls in the order
// the controller makes them, the events it records, and when the object
// should be looked at again. Every controller package's Plan embeds it.
type Plan struct {
	// Actions are the API calls, in the controller's order.
	Actions []Action
	// Events are the events the controller records during the sync, in the
	// order its event recorder receives them. A plan assumes every call
	// succeeds, so the events upstream records only on a failed call
	// (FailedCreate, FailedDelete, ...) never appear.
	Events []Event
	// Requeue asks for the object to be synced again at once (with the work
	// queue's rate limiting, as after an error).
	Requeue bool
	// RequeueAfter, when positive, asks for the object to be synced again
	// after this delay even if nothing it watches changes.
	RequeueAfter time.Duration
}

// Empty reports whether the sync does nothing at all: no API call, no
// event and no requeue. A plan that only asks to be requeued is not empty:
// the caller still has something to do (remember when to look again).
func (p Plan) Empty() bool {
	return len(p.Actions) == 0 && len(p.Events) == 0 && !p.Requeue && p.RequeueAfter <= 0
}

// String renders the plan one action per line, then the requeue if any,
// then one line per event ("event Normal SuccessfulCreate: Created pod:
// web-x"). An empty plan renders as "no actions". There is no trailing
// newline.
func (p Plan) String() string {
	var b strings.Builder
	line := func(s string) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
	}
	for _, a := range p.Actions {
		line(a.String())
	}
	if r := p.RequeueString(); r != "" {
		line(r)
	}
	for _, e := range p.Events {
		line("event " + e.String())
	}
	if b.Len() == 0 {
		return "no actions"
	}
	return b.String()
}

// RequeueString renders the plan's requeue as String shows it: "requeue
// now", "requeue after <delay>", both on two lines, or "" when there is no
// requeue. There is no trailing newline.
func (p Plan) RequeueString() string {
	switch {
	case p.Requeue && p.RequeueAfter > 0:
		return fmt.Sprintf("requeue now\nrequeue after %s", p.RequeueAfter)
	case p.Requeue:
		return "requeue now"
	case p.RequeueAfter > 0:
		return fmt.Sprintf("requeue after %s", p.RequeueAfter)
	}
	return ""
}
