package cluster

import (
	"bytes"
	"encoding/json"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// protoObject is a k8s.io/api type with its generated protobuf encoding,
// the encoding the API server stores these kinds in and
// kube-controller-manager reads them with.
type protoObject interface {
	runtime.Object
	Marshal() ([]byte, error)
	Unmarshal([]byte) error
}

// normalise makes a decoded object what the API server would store, as
// LoadReader documents: namespace, defaults, revision data, storage
// encoding. It returns a new object.
func (l *loader) normalise(obj runtime.Object, m metav1.Object, h header) (runtime.Object, error) {
	switch {
	case clusterScoped(h.Kind):
		m.SetNamespace("")
	case m.GetNamespace() == "":
		ns := l.opts.Namespace
		if ns == "" {
			ns = metav1.NamespaceDefault
		}
		m.SetNamespace(ns)
	}
	if err := Default(obj); err != nil {
		return nil, err
	}
	if rev, ok := obj.(*appsv1.ControllerRevision); ok && len(rev.Data.Raw) > 0 {
		raw, err := compactJSON(rev.Data.Raw)
		if err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
		rev.Data.Raw = raw
	}
	return storageRoundTrip(obj, schema.FromAPIVersionAndKind(h.APIVersion, h.Kind))
}

// storageRoundTrip encodes obj as the API server stores it and decodes the
// bytes into a new object, as an informer receives it. Only what the
// encoding keeps survives, in the form the decoding gives: a quantity
// re-parsed from its canonical string (which is what the pod-template
// hash sees), empty lists and maps as nil, times to the second. The
// encoding has no apiVersion and kind; they are set back from gvk.
func storageRoundTrip(obj runtime.Object, gvk schema.GroupVersionKind) (runtime.Object, error) {
	p, ok := obj.(protoObject)
	fresh, freshOK := newObject(gvk.GroupVersion().String(), gvk.Kind).(protoObject)
	if !ok || !freshOK {
		return nil, fmt.Errorf("no storage encoding for %T", obj)
	}
	data, err := p.Marshal()
	if err != nil {
		return nil, fmt.Errorf("storage encoding: %w", err)
	}
	if err := fresh.Unmarshal(data); err != nil {
		return nil, fmt.Errorf("storage decoding: %w", err)
	}
	fresh.GetObjectKind().SetGroupVersionKind(gvk)
	return fresh, nil
}

// compactJSON rewrites a JSON value as encoding/json writes it: compact,
// object keys sorted, numbers as written. That is how kubectl sends a
// ControllerRevision's data (it re-encodes the whole manifest) and how the
// DaemonSet and StatefulSet controllers write the patch they compare with
// it byte for byte.
func compactJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}
