package gen

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// Fuzz runs prop as a Go fuzz target with seeds long enough for it: rapid
// reads its choices from the fuzz input, so a short seed would be skipped
// before a whole state is drawn.
func Fuzz(f *testing.F, prop func(*rapid.T)) {
	for _, b := range []byte{0x00, 0x5a, 0xa7, 0xff} {
		f.Add(bytes.Repeat([]byte{b, b ^ 0x3c, b + 1}, 1024))
	}
	f.Fuzz(rapid.MakeFuzz(prop))
}
