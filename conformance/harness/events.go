package harness

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unsafe"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller"

	"github.com/kubepure/kubepure/workload"
)

// EventLog is an event recorder that keeps every event a controller records
// during a sync, with the object it is about, in the order the recorder
// receives them. It stands in for the controller's event broadcaster, which
// would send them to the API server asynchronously.
type EventLog struct {
	mu     sync.Mutex
	events []workload.Event
}

var _ record.EventRecorder = (*EventLog)(nil)

// Event records one event.
func (l *EventLog) Event(object runtime.Object, eventtype, reason, message string) {
	e := workload.Event{Type: eventtype, Reason: reason, Message: message}
	if m, err := meta.Accessor(object); err == nil {
		e.Object = corev1.ObjectReference{Namespace: m.GetNamespace(), Name: m.GetName(), UID: m.GetUID()}
	}
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

// Eventf records one event with a formatted message.
func (l *EventLog) Eventf(object runtime.Object, eventtype, reason, messageFmt string, args ...any) {
	l.Event(object, eventtype, reason, fmt.Sprintf(messageFmt, args...))
}

// AnnotatedEventf records one event; the annotations are dropped.
func (l *EventLog) AnnotatedEventf(object runtime.Object, _ map[string]string, eventtype, reason, messageFmt string, args ...any) {
	l.Eventf(object, eventtype, reason, messageFmt, args...)
}

// Events returns the events recorded so far.
func (l *EventLog) Events() []workload.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]workload.Event(nil), l.events...)
}

// installEventLog makes every event the controller records go to log: it
// replaces each named recorder field, and the recorder inside each named
// pod or ReplicaSet control (RealPodControl, RealRSControl), keeping the
// control's other fields. It reports false when a field is missing or of an
// unexpected type, so an upstream change fails loudly.
func installEventLog(ctrl any, log *EventLog, recorderFields, controlFields []string) bool {
	for _, f := range recorderFields {
		if !setField(ctrl, f, record.EventRecorder(log)) {
			return false
		}
	}
	for _, f := range controlFields {
		v, ok := getField(ctrl, f)
		if !ok {
			return false
		}
		switch c := v.(type) {
		case controller.RealPodControl:
			c.Recorder = log
			if !setField(ctrl, f, controller.PodControlInterface(c)) {
				return false
			}
		case controller.RealRSControl:
			c.Recorder = log
			if !setField(ctrl, f, controller.RSControlInterface(c)) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// getField reads an unexported field of a controller.
func getField(ctrl any, field string) (any, bool) {
	v := reflect.ValueOf(ctrl)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, false
	}
	f := v.Elem().FieldByName(field)
	if !f.IsValid() || !f.CanAddr() {
		return nil, false
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface(), true
}

// EventStrings renders events for comparison, one string each:
// "<namespace>/<name> <type> <reason>: <message>". The involved object is
// compared by namespace and name only: the harness's recorder sees the
// object upstream passed, and kubepure's reference adds the kind, which a
// controller's events always agree on.
//
// Normalisation (conformance/README.md): a name the harness's fake API
// server generated for a create sent with only a generateName appears in
// upstream's message ("Created pod: web-00003"); a plan cannot know it and
// carries the request's empty name. generated lists those names; each is
// replaced by "" wherever it occurs in a message.
func EventStrings(events []workload.Event, generated []string) []string {
	out := make([]string, len(events))
	for i, e := range events {
		msg := e.Message
		for _, g := range generated {
			msg = strings.ReplaceAll(msg, g, "")
		}
		out[i] = fmt.Sprintf("%s/%s %s %s: %s", e.Object.Namespace, e.Object.Name, e.Type, e.Reason, msg)
	}
	return out
}

// SortedEventStrings is EventStrings in sorted order, for controllers whose
// events come from calls upstream issues concurrently (the creates of one
// batch, parallel deletes): their order is goroutine scheduling, and only
// the multiset is upstream's.
func SortedEventStrings(events []workload.Event, generated []string) []string {
	out := EventStrings(events, generated)
	sort.Strings(out)
	return out
}
