package harness

import (
	"reflect"
	"unsafe"
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
