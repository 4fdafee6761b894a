package selector

import (
	"encoding/json"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// The patch bodies below are built by encoding/json from structs whose
// fields come in the same order as upstream's, so that the bytes are the
// same as upstream's: the same key order, and the same escaping of unusual
// characters in names and UIDs (encoding/json writes <, > and & as \u003c,
// \u003e and \u0026 and replaces invalid UTF-8 with U+FFFD).

// adoptBody is {"metadata":{"ownerReferences":[...],"uid":...,"finalizers":[...]}}.
type adoptBody struct {
	Metadata adoptMeta `json:"metadata"`
}

type adoptMeta struct {
	OwnerReferences []metav1.OwnerReference `json:"ownerReferences"`
	UID             types.UID               `json:"uid"`
	Finalizers      []string                `json:"finalizers,omitempty"`
}

// releaseBody is {"metadata":{"uid":...,"ownerReferences":[{"$patch":"delete","uid":...}],...}}.
type releaseBody struct {
	Metadata releaseMeta `json:"metadata"`
}

type releaseMeta struct {
	UID types.UID `json:"uid"`
	// A map, not a struct, because upstream uses one: encoding/json sorts
	// map keys, which puts "$patch" before "uid".
	OwnerReferences  []map[string]string `json:"ownerReferences"`
	DeleteFinalizers []string            `json:"$deleteFromPrimitiveList/finalizers,omitempty"`
}

// AdoptPatch returns the strategic-merge patch a controller sends to adopt
// the object objUID, byte-identical to upstream's:
//
//	{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"x","uid":"u","controller":true,"blockOwnerDeletion":true}],"uid":"<objUID>"}}
//
// The object's UID makes the API server reject the patch if the object was
// deleted and re-created under the same name. finalizers, when given, are
// added in the same patch as "finalizers":[...] after the uid; the Job
// controller adds its batch.kubernetes.io/job-tracking finalizer that way.
func AdoptPatch(ownerGVK schema.GroupVersionKind, ownerName string, ownerUID, objUID types.UID, finalizers ...string) []byte {
	yes := true
	body := adoptBody{Metadata: adoptMeta{
		OwnerReferences: []metav1.OwnerReference{{
			APIVersion:         ownerGVK.GroupVersion().String(),
			Kind:               ownerGVK.Kind,
			Name:               ownerName,
			UID:                ownerUID,
			Controller:         &yes,
			BlockOwnerDeletion: &yes,
		}},
		UID:        objUID,
		Finalizers: finalizers,
	}}
	return mustMarshal(body)
}

// ReleasePatch returns the strategic-merge patch a controller sends to give
// up control of the object objUID, byte-identical to upstream's:
//
//	{"metadata":{"uid":"<objUID>","ownerReferences":[{"$patch":"delete","uid":"<ownerUID>"}]}}
//
// finalizers, when given, are removed in the same patch as
// "$deleteFromPrimitiveList/finalizers":[...]; the Job controller removes its
// tracking finalizer that way.
func ReleasePatch(ownerUID, objUID types.UID, finalizers ...string) []byte {
	body := releaseBody{Metadata: releaseMeta{
		UID:              objUID,
		OwnerReferences:  []map[string]string{{"$patch": "delete", "uid": string(ownerUID)}},
		DeleteFinalizers: finalizers,
	}}
	return mustMarshal(body)
}

// mustMarshal encodes a patch body. The bodies hold only strings, booleans
// and slices of them, which encoding/json always encodes, so the error
// branch is unreachable; it returns nil rather than panicking all the same.
func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
