package gen

import (
	"math"
	"testing"
	"time"
)

func bucket(d time.Duration) int64 {
	if d <= 0 {
		return -1
	}
	return int64(math.Log2(float64(d)))
}

// FuzzStableAge checks the promise of StableAge: the age is at least
// minAge and keeps its logarithmic bucket while up to minAge passes.
func FuzzStableAge(f *testing.F) {
	f.Add(int64(0), int64(time.Second))
	f.Add(int64(1)<<40-1, int64(time.Second))
	f.Add(int64(-5), int64(time.Millisecond))
	f.Fuzz(func(t *testing.T, age, minAge int64) {
		if minAge <= 0 || minAge > int64(time.Hour) || age > 1<<61 || age < -(1<<61) {
			t.Skip()
		}
		got := StableAge(time.Duration(age), time.Duration(minAge))
		if got < time.Duration(minAge) {
			t.Fatalf("StableAge(%d, %d) = %d, below minAge", age, minAge, got)
		}
		if bucket(got) != bucket(got+time.Duration(minAge)) {
			t.Fatalf("StableAge(%d, %d) = %d changes bucket within minAge", age, minAge, got)
		}
	})
}

func TestStableAgeTable(t *testing.T) {
	for _, tc := range []struct{ age, min time.Duration }{
		{0, time.Second},
		{time.Duration(1<<31) - 1, time.Second},
		{time.Duration(1 << 31), time.Second},
		{-time.Hour, time.Second},
		{365 * 24 * time.Hour, time.Second},
	} {
		got := StableAge(tc.age, tc.min)
		if got < tc.min || bucket(got) != bucket(got+tc.min) {
			t.Errorf("StableAge(%v, %v) = %v", tc.age, tc.min, got)
		}
	}
}
