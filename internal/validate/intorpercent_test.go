package validate

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

func TestIntOrPercent(t *testing.T) {
	for _, tc := range []struct {
		v       intstr.IntOrString
		valid   bool
		number  int
		percent bool
	}{
		{intstr.FromInt32(0), true, 0, false},
		{intstr.FromInt32(3), true, 3, false},
		{intstr.FromInt32(-1), false, -1, false},
		{intstr.FromString("25%"), true, 25, true},
		{intstr.FromString("0%"), true, 0, true},
		{intstr.FromString("150%"), true, 150, true},
		{intstr.FromString("25"), false, 0, false},
		{intstr.FromString("-5%"), false, 0, false},
		{intstr.FromString("%"), false, 0, false},
		{intstr.FromString("2147483648%"), false, 2147483648, true},
		{intstr.FromString("99999999999999999999%"), false, 2147483647, true},
	} {
		errs := IntOrPercent(tc.v, field.NewPath("spec", "maxSurge"))
		if (len(errs) == 0) != tc.valid {
			t.Errorf("%s: errors %v, want valid=%v", tc.v.String(), errs, tc.valid)
		}
		for _, e := range errs {
			if e.Field != "spec.maxSurge" {
				t.Errorf("%s: error names %q", tc.v.String(), e.Field)
			}
		}
		if n := IntOrPercentNumber(tc.v); n != tc.number {
			t.Errorf("%s: number %d, want %d", tc.v.String(), n, tc.number)
		}
		if _, ok := PercentNumber(tc.v); ok != tc.percent {
			t.Errorf("%s: percent %v, want %v", tc.v.String(), ok, tc.percent)
		}
	}
}
