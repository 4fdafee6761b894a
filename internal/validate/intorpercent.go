package validate

import (
	"math"
	"strconv"

	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// IntOrPercent checks a maxSurge / maxUnavailable value as the API
// server does for Deployments and DaemonSets: a non-negative integer, or a
// string of digits followed by "%". A percentage too large for an int32 is
// refused as well: the API server stores it, but upstream's sync then fails
// on every pass, so no plan would mean anything. The limits on 100% differ
// between the kinds and are the caller's to check (PercentNumber).
func IntOrPercent(v intstr.IntOrString, path *field.Path) field.ErrorList {
	switch v.Type {
	case intstr.String:
		var errs field.ErrorList
		for _, msg := range validation.IsValidPercent(v.StrVal) {
			errs = append(errs, field.Invalid(path, v, msg))
		}
		if len(errs) == 0 {
			if n, err := strconv.ParseInt(v.StrVal[:len(v.StrVal)-1], 10, 32); err != nil || n > math.MaxInt32 {
				errs = append(errs, field.Invalid(path, v, "percentage too large"))
			}
		}
		return errs
	case intstr.Int:
		if v.IntVal < 0 {
			return field.ErrorList{field.Invalid(path, v, "must be greater than or equal to 0")}
		}
		return nil
	}
	return field.ErrorList{field.Invalid(path, v, "must be an integer or percentage (e.g '5%')")}
}

// PercentNumber returns the number of a well-formed percentage ("25%" is
// 25), and false for an integer or a malformed string. A number too large
// for an int counts as math.MaxInt32: over 100% either way.
func PercentNumber(v intstr.IntOrString) (int, bool) {
	if v.Type != intstr.String || len(validation.IsValidPercent(v.StrVal)) != 0 {
		return 0, false
	}
	n, err := strconv.Atoi(v.StrVal[:len(v.StrVal)-1])
	if err != nil {
		return math.MaxInt32, true
	}
	return n, true
}

// IntOrPercentNumber is the number the API server's rules read from a
// value: the integer, or the percentage's number; 0 for a malformed one.
// "Both zero" means both numbers are 0, whatever their units.
func IntOrPercentNumber(v intstr.IntOrString) int {
	if n, ok := PercentNumber(v); ok {
		return n
	}
	if v.Type == intstr.Int {
		return int(v.IntVal)
	}
	return 0
}
