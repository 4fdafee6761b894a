package cluster

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"k8s.io/apimachinery/pkg/types"
)

// The API server's name generator appends five characters drawn from an
// alphabet without vowels (so no word is spelled by accident) to a
// generateName cut to 58 characters, keeping the name within the 63
// characters of a DNS label. The server draws them at random; the store
// derives them from a counter, so a run is repeatable.
const (
	nameAlphabet      = "bcdfghjklmnpqrstvwxz2456789"
	nameSuffixLength  = 5
	maxGeneratedBase  = 63 - nameSuffixLength
	maxNameAttempts   = 8
	uidDomainSeparate = "kubepure/cluster/uid"
	nameDomain        = "kubepure/cluster/name"
)

// next advances the store's serial and returns a digest of it in domain,
// so names and UIDs look random but are fixed by the order of the writes.
func (c *Cluster) next(domain string) [sha256.Size]byte {
	c.serial++
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], c.serial)
	return sha256.Sum256(append([]byte(domain+"/"), b[:]...))
}

// generateName returns base (cut to 58 characters) and a 5-character
// suffix from the API server's alphabet.
func (c *Cluster) generateName(base string) string {
	if len(base) > maxGeneratedBase {
		base = base[:maxGeneratedBase]
	}
	sum := c.next(nameDomain)
	suffix := make([]byte, nameSuffixLength)
	for i := range suffix {
		suffix[i] = nameAlphabet[int(sum[i])%len(nameAlphabet)]
	}
	return base + string(suffix)
}

// newUID returns a UID in the form of a version 4 UUID, as the API server
// generates, taken from a digest of the store's serial.
func (c *Cluster) newUID() types.UID {
	b := c.next(uidDomainSeparate)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return types.UID(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}
