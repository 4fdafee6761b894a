package fuzzcheck

import (
	"bytes"
	"testing"
)

// Seeds adds the starting corpus every byte-driven target shares: no
// bytes (every choice the common one), and a few fills and patterns long
// enough for a whole state.
func Seeds(f *testing.F) {
	f.Add([]byte{})
	for _, b := range []byte{0x00, 0x01, 0x7f, 0xff} {
		f.Add(bytes.Repeat([]byte{b}, 256))
	}
	f.Add(bytes.Repeat([]byte{0x03, 0x91, 0x5e, 0x20, 0xc7}, 64))
	f.Add(pseudoRandom(1, 512))
}

// MaxRejected is the largest share of inputs a target may see refused:
// above it, most of the fuzzing time goes to validation only.
const MaxRejected = 0.5

// Acceptance feeds n pseudo-random inputs (a fixed sequence, the same
// every run) to check, which returns whether the input was refused, and
// fails when more than MaxRejected of them were. Run as a plain test it
// keeps the builders honest and applies every check to a few hundred
// states without the fuzzing engine.
func Acceptance(t *testing.T, n int, check func(t testing.TB, data []byte) bool) {
	t.Helper()
	rejected := 0
	for i := range n {
		if check(t, pseudoRandom(uint64(i)+2, 64+i%448)) {
			rejected++
		}
	}
	share := float64(rejected) / float64(n)
	t.Logf("%d of %d inputs refused (%.0f%%)", rejected, n, 100*share)
	if share > MaxRejected {
		t.Fatalf("%.0f%% of inputs refused, more than %.0f%%: the builder makes too many invalid states", 100*share, 100*MaxRejected)
	}
}

// pseudoRandom is size bytes of a xorshift sequence started at seed.
func pseudoRandom(seed uint64, size int) []byte {
	x := seed*0x9e3779b97f4a7c15 | 1
	out := make([]byte, size)
	for i := range out {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		out[i] = byte(x >> 32)
	}
	return out
}
