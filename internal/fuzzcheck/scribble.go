package fuzzcheck

import (
	"reflect"
	"time"
)

// Scribble overwrites, in place, every exported field reachable from v
// (which must be a pointer): strings, numbers and booleans get values no
// builder uses, through pointers, interfaces, slices, arrays and map
// values. Written over a result, it changes any input object that the
// result shares memory with, which the caller then detects by comparing
// the input with its copy.
//
// A time.Time is replaced whole; other unexported fields (inside
// resource.Quantity) are left alone.
func Scribble(v any) {
	scribble(reflect.ValueOf(v), map[uintptr]bool{})
}

var (
	timeType      = reflect.TypeOf(time.Time{})
	scribbledTime = time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC)
)

func scribble(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		scribble(v.Elem(), seen)
	case reflect.Interface:
		if !v.IsNil() {
			scribble(v.Elem(), seen)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			// time.Time's fields are unexported, but the value as a whole
			// can be replaced.
			if v.CanSet() {
				v.Set(reflect.ValueOf(scribbledTime))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scribble(v.Field(i), seen)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			scribble(v.Index(i), seen)
		}
	case reflect.Array:
		for i := range v.Len() {
			scribble(v.Index(i), seen)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		for _, k := range v.MapKeys() {
			val := reflect.New(v.Type().Elem()).Elem()
			val.Set(v.MapIndex(k))
			scribble(val, seen)
			v.SetMapIndex(k, val)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString("\x00scribbled")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.CanSet() {
			v.SetInt(v.Int() ^ 0x5a5a)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.CanSet() {
			v.SetUint(v.Uint() ^ 0xa5)
		}
	case reflect.Bool:
		if v.CanSet() {
			v.SetBool(!v.Bool())
		}
	case reflect.Float32, reflect.Float64:
		if v.CanSet() {
			v.SetFloat(v.Float() + 1)
		}
	}
}

// reflectNil reports a nil interface or an interface holding a nil pointer.
func reflectNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// Shared returns the type of a pointer, slice or map reachable from both a
// and b, or "" when they share no memory. Two results of one function
// that share memory point into package state (a cache, a template), which
// a caller writing to one result would change for every later call.
func Shared(a, b any) string {
	seen := map[uintptr]string{}
	walkMemory(reflect.ValueOf(a), func(p uintptr, t reflect.Type) bool {
		seen[p] = t.String()
		return false
	}, map[uintptr]bool{})
	found := ""
	walkMemory(reflect.ValueOf(b), func(p uintptr, t reflect.Type) bool {
		if _, ok := seen[p]; ok {
			found = t.String()
			return true
		}
		return false
	}, map[uintptr]bool{})
	return found
}

// walkMemory calls visit with the address of every pointer target, slice
// array and map reachable from v through exported fields, and stops when
// visit returns true.
func walkMemory(v reflect.Value, visit func(uintptr, reflect.Type) bool, done map[uintptr]bool) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map:
		if v.IsNil() || done[v.Pointer()] {
			return false
		}
		done[v.Pointer()] = true
		if visit(v.Pointer(), v.Type()) {
			return true
		}
		if v.Kind() == reflect.Pointer {
			return walkMemory(v.Elem(), visit, done)
		}
		iter := v.MapRange()
		for iter.Next() {
			if walkMemory(iter.Value(), visit, done) {
				return true
			}
		}
	case reflect.Interface:
		if !v.IsNil() {
			return walkMemory(v.Elem(), visit, done)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && walkMemory(v.Field(i), visit, done) {
				return true
			}
		}
	case reflect.Slice:
		if v.Cap() == 0 {
			return false
		}
		if p := v.Pointer(); !done[p] {
			done[p] = true
			if visit(p, v.Type()) {
				return true
			}
		}
		for i := range v.Len() {
			if walkMemory(v.Index(i), visit, done) {
				return true
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			if walkMemory(v.Index(i), visit, done) {
				return true
			}
		}
	}
	return false
}
