// Package fuzzstate turns the raw bytes of a native Go fuzz input into
// controller states.
//
// The fuzzing engine mutates bytes; a state builder that reads them one
// choice at a time lets every mutation change one decision (a pod's phase,
// its owner, a replica count) instead of scrambling the whole input, so the
// engine's coverage feedback can steer it. Builders favour states the API
// server would store (defaulted templates, non-nil defaulted fields, unique
// names), because a state every controller rejects exercises only its
// validation, and now and then break one rule so that validation is
// exercised too.
//
// A Reader never fails: when the bytes run out every draw returns its zero
// choice, so any input, even an empty one, builds a state.
package fuzzstate

// Reader hands out choices decoded from a byte string.
type Reader struct {
	data []byte
}

// NewReader reads choices from data, which it does not modify.
func NewReader(data []byte) *Reader {
	return &Reader{data: data}
}

// Remaining is the number of bytes not yet consumed.
func (r *Reader) Remaining() int {
	return len(r.data)
}

func (r *Reader) next() byte {
	if len(r.data) == 0 {
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b
}

// Intn returns a number in [0, n): one byte for n up to 256, more above.
// It returns 0 when n <= 1 or the bytes have run out.
func (r *Reader) Intn(n int) int {
	if n <= 1 {
		return 0
	}
	var v uint64
	for span := uint64(1); span < uint64(n) && span != 0; span <<= 8 {
		v = v<<8 | uint64(r.next())
	}
	return int(v % uint64(n))
}

// IntRange returns a number in [lo, hi], lo when hi < lo.
func (r *Reader) IntRange(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.Intn(hi-lo+1)
}

// Bool returns a coin flip, false once the bytes have run out.
func (r *Reader) Bool() bool {
	return r.next()&1 == 1
}

// OneIn is true with probability 1/n, and false once the bytes have run
// out, so that an exhausted input falls back on the common case rather than
// the rare one.
func (r *Reader) OneIn(n int) bool {
	if n <= 1 {
		return true
	}
	return r.Intn(n) == n-1
}

// Pick returns one of options, the first once the bytes have run out, and
// the zero value when there are none.
func Pick[T any](r *Reader, options ...T) T {
	if len(options) == 0 {
		var zero T
		return zero
	}
	return options[r.Intn(len(options))]
}

// String returns up to maxLen characters of alphabet (a short length is
// drawn first, then each character).
func (r *Reader) String(alphabet string, maxLen int) string {
	if alphabet == "" {
		return ""
	}
	n := r.Intn(maxLen + 1)
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.Intn(len(alphabet))]
	}
	return string(b)
}

// Permute returns a new slice holding the elements of s in an order drawn
// from the bytes (nil for nil). With no bytes left it still moves elements:
// each step swaps with the front, a rotation, so that even an exhausted
// input checks that order does not matter.
func Permute[T any](r *Reader, s []T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	copy(out, s)
	for i := len(out) - 1; i > 0; i-- {
		j := r.Intn(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return out
}
