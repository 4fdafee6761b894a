package gen

import (
	"math"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"pgregory.net/rapid"
)

// Ages draws a pool of ages (durations before now) that the pods of one
// state share: reusing an age gives equal timestamps, and ages are drawn
// right at, just below and just above powers of two nanoseconds, so pairs
// land in the same or in neighbouring logarithmic buckets. Negative ages
// (timestamps in the future) are included: clocks skew.
func Ages(t *rapid.T, label string) []time.Duration {
	n := rapid.IntRange(1, 4).Draw(t, label+"Count")
	ages := make([]time.Duration, n)
	for i := range ages {
		ages[i] = Age(t, label)
	}
	return ages
}

// Age draws one age.
func Age(t *rapid.T, label string) time.Duration {
	switch rapid.IntRange(0, 5).Draw(t, label+"Shape") {
	case 0: // right at a bucket edge, or a nanosecond either side of it
		exp := rapid.IntRange(0, 50).Draw(t, label+"Exp")
		return time.Duration(int64(1)<<exp + int64(rapid.IntRange(-1, 1).Draw(t, label+"Nudge")))
	case 1: // a round number of seconds, as timestamps read back from the API are
		return time.Duration(rapid.IntRange(0, 400000).Draw(t, label+"Seconds")) * time.Second
	case 2: // anywhere within a year
		return time.Duration(rapid.Int64Range(0, int64(365*24*time.Hour)).Draw(t, label+"Any"))
	case 3: // in the future
		return -time.Duration(rapid.Int64Range(1, int64(time.Hour)).Draw(t, label+"Future"))
	case 4: // tiny
		return time.Duration(rapid.IntRange(0, 16).Draw(t, label+"Tiny"))
	default: // huge: far in the past, up to the largest duration
		return time.Duration(rapid.Int64Range(int64(math.MaxInt64/2), math.MaxInt64).Draw(t, label+"Huge"))
	}
}

// Timestamp draws a timestamp from the pool: the zero time (unset), or now
// minus one of ages, optionally moved by a nanosecond so that two pods are
// in the same bucket but not equal.
func Timestamp(t *rapid.T, now time.Time, ages []time.Duration, label string) metav1.Time {
	if rapid.IntRange(0, 7).Draw(t, label+"Zero") == 0 {
		return metav1.Time{}
	}
	age := rapid.SampledFrom(ages).Draw(t, label+"Age")
	age += time.Duration(rapid.IntRange(-1, 1).Draw(t, label+"Jitter"))
	return metav1.NewTime(now.Add(-age))
}
