package cluster

import (
	"encoding/json"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
)

// patch applies a strategic-merge or JSON merge patch to the stored object
// and stores the result through the update path, as the API server does:
// the patch works on the object's JSON, the result is decoded (with
// defaulting) and updated. A metadata.resourceVersion in the patch is an
// optimistic lock (Conflict when stale); a metadata.uid that differs from
// the stored one fails validation (Invalid: uid is immutable), which is how
// the controllers' adopt and release patches make sure they patch the
// object they looked at.
func (c *Cluster) patch(k *kindInfo, ns, name string, pt types.PatchType, body []byte) (runtime.Object, error) {
	existing := c.lookup(k, ns, name)
	if existing == nil {
		return nil, errNotFound(k, name)
	}
	original, err := json.Marshal(existing)
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	var patched []byte
	switch pt {
	case types.StrategicMergePatchType:
		patched, err = strategicpatch.StrategicMergePatch(original, body, k.newObject())
	case types.MergePatchType:
		patched, err = mergePatch(original, body)
	default:
		return nil, errUnsupportedPatch(pt)
	}
	if err != nil {
		return nil, errBadRequest("%v", err)
	}
	obj := k.newObject()
	if err := json.Unmarshal(patched, obj); err != nil {
		return nil, errBadRequest("decoding the patched %s: %v", k.kind, err)
	}
	return c.write(k, existing, obj, false)
}

// mergePatch applies an RFC 7386 JSON merge patch: objects merge key by
// key, null deletes a key, anything else (lists included) replaces.
func mergePatch(original, patch []byte) ([]byte, error) {
	var doc, p any
	if err := json.Unmarshal(original, &doc); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, err
	}
	return json.Marshal(mergeValue(doc, p))
}

func mergeValue(doc, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	dm, ok := doc.(map[string]any)
	if !ok {
		dm = map[string]any{}
	}
	for key, pv := range pm {
		if pv == nil {
			delete(dm, key)
			continue
		}
		dm[key] = mergeValue(dm[key], pv)
	}
	return dm
}
