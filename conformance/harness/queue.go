package harness

import (
	"reflect"
	"time"
	"unsafe"

	"k8s.io/client-go/util/workqueue"
)

// shutDownQueue shuts down the work queue held in the unexported field of a
// controller. The queue starts goroutines of its own (a delay loop, a
// metrics loop); without this every sync the harness runs would leave them
// behind. Nothing is ever taken from the queue: the harness calls the sync
// function directly.
func shutDownQueue(controller any, field string) {
	v := reflect.ValueOf(controller)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return
	}
	f := v.Elem().FieldByName(field)
	if !f.IsValid() || !f.CanAddr() {
		return
	}
	f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	if f.Kind() == reflect.Interface && f.IsNil() {
		return
	}
	if q, ok := f.Interface().(interface{ ShutDown() }); ok {
		q.ShutDown()
	}
}

// setField sets the unexported field of a controller to value. It is used
// for the clock function of the CronJob controller, which its constructor
// sets to time.Now with no way to pass another.
func setField(controller any, field string, value any) bool {
	v := reflect.ValueOf(controller)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return false
	}
	f := v.Elem().FieldByName(field)
	if !f.IsValid() || !f.CanAddr() {
		return false
	}
	val := reflect.ValueOf(value)
	if !val.Type().AssignableTo(f.Type()) {
		return false
	}
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Set(val)
	return true
}

// recordingQueue wraps a controller's work queue and records the delays it
// is asked to requeue after, and its rate-limited requeues, so a comparison
// can check a sync's requeue.
type recordingQueue struct {
	workqueue.TypedRateLimitingInterface[string]
	after       []time.Duration
	rateLimited int
}

func (q *recordingQueue) AddRateLimited(item string) {
	q.rateLimited++
	q.TypedRateLimitingInterface.AddRateLimited(item)
}

func (q *recordingQueue) AddAfter(item string, d time.Duration) {
	q.after = append(q.after, d)
	q.TypedRateLimitingInterface.AddAfter(item, d)
}

// replaceQueue puts q in front of the queue held in the unexported field of
// a controller.
func replaceQueue(controller any, field string, q *recordingQueue) bool {
	v := reflect.ValueOf(controller)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return false
	}
	f := v.Elem().FieldByName(field)
	if !f.IsValid() || !f.CanAddr() {
		return false
	}
	f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	inner, ok := f.Interface().(workqueue.TypedRateLimitingInterface[string])
	if !ok || inner == nil {
		return false
	}
	q.TypedRateLimitingInterface = inner
	return setField(controller, field, workqueue.TypedRateLimitingInterface[string](q))
}
