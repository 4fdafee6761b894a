package workload

import (
	"encoding/binary"
	"hash/fnv"
	"strconv"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/rand"
	"k8s.io/utils/dump"
)

// ComputeHash returns the pod-template-hash of a template: the suffix a
// Deployment gives the name of the ReplicaSet that runs this template, and
// the value of that ReplicaSet's pod-template-hash label. It is byte for byte
// what kube-controller-manager computes:
//
//  1. the template value is rendered with k8s.io/utils/dump.ForHash (a
//     go-spew dump with sorted map keys and no pointer addresses);
//  2. the rendering is hashed with 32-bit FNV-1a;
//  3. a non-nil collisionCount adds 8 bytes: its value as a little-endian
//     uint32, then four zero bytes;
//  4. the sum is written in decimal and each digit mapped through
//     k8s.io/apimachinery's SafeEncodeString, giving 1 to 10 characters from
//     "456789bcdf".
//
// Because the rendering shows the Go structs as they are in memory, the hash
// tells a nil map from an empty one and "1000m" from "1" CPU: feed it
// templates as the API server stores them (decoded from protobuf, empty
// collections nil, quantities canonical) to get upstream's names. A nil
// collisionCount and a zero one give different hashes. A nil template hashes
// as an empty one.
func ComputeHash(template *v1.PodTemplateSpec, collisionCount *int32) string {
	var value v1.PodTemplateSpec
	if template != nil {
		value = *template
	}
	h := fnv.New32a()
	// Hash the value, not the pointer: the dump of a pointer starts with a
	// '*' and would change every hash.
	_, _ = h.Write([]byte(dump.ForHash(value)))
	if collisionCount != nil {
		var extra [8]byte
		binary.LittleEndian.PutUint32(extra[:4], uint32(*collisionCount))
		_, _ = h.Write(extra[:])
	}
	return rand.SafeEncodeString(strconv.FormatUint(uint64(h.Sum32()), 10))
}
