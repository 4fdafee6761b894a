package cluster

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// header is the part of a document read before its kind is known.
type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// document loads one document: an object or a list of objects.
func (l *loader) document(d document, o Origin) {
	data := d.data
	if !d.json {
		var err error
		if l.opts.FieldValidation == FieldValidationStrict {
			// Strict conversion refuses a key given twice, as the API
			// server's strict YAML decoding does.
			data, err = yaml.YAMLToJSONStrict(data)
		} else {
			data, err = yaml.YAMLToJSON(data)
		}
		if err != nil {
			l.fail(o, "%s", shiftLines(err.Error(), d.base-1))
			return
		}
	}
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		return // a document holding only "~" or "null" is empty too
	}
	if len(data) == 0 || data[0] != '{' {
		l.fail(o, "not an object: a document must be a mapping with apiVersion and kind")
		return
	}
	var h header
	if err := kjson.UnmarshalCaseSensitivePreserveInts(data, &h); err != nil {
		l.fail(o, "%s", err)
		return
	}
	if isList(h) {
		l.list(data, h, o)
		return
	}
	l.object(data, h, o)
}

// isList reports whether a document is a list: kind List, or a typed list
// such as DeploymentList, as the API and kubectl print them.
func isList(h header) bool {
	return strings.HasSuffix(h.Kind, "List")
}

// list loads the items of a list document. A typed list's items may omit
// apiVersion and kind (the API server leaves them out); they are the
// list's group version and its kind without "List".
func (l *loader) list(data []byte, h header, o Origin) {
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := kjson.UnmarshalCaseSensitivePreserveInts(data, &list); err != nil {
		l.fail(o, "%s: %s", h.Kind, err)
		return
	}
	itemKind := strings.TrimSuffix(h.Kind, "List")
	for i, raw := range list.Items {
		at := o
		at.InList, at.Item = true, i
		raw = bytes.TrimSpace(raw)
		if bytes.Equal(raw, []byte("null")) || len(raw) == 0 || raw[0] != '{' {
			l.fail(at, "not an object")
			continue
		}
		var ih header
		if err := kjson.UnmarshalCaseSensitivePreserveInts(raw, &ih); err != nil {
			l.fail(at, "%s", err)
			continue
		}
		if itemKind != "" {
			if ih.Kind == "" {
				ih.Kind = itemKind
			}
			if ih.APIVersion == "" {
				ih.APIVersion = h.APIVersion
			}
		}
		if isList(ih) {
			l.fail(at, "a %s inside a list: lists do not nest", ih.Kind)
			continue
		}
		l.object(raw, ih, at)
	}
}

// object decodes one object of a known kind into its k8s.io/api type,
// checks its fields and name, and normalises it as the options say.
func (l *loader) object(data []byte, h header, o Origin) {
	switch {
	case h.Kind == "":
		l.fail(o, "kind is missing: every object names its apiVersion and kind")
		return
	case h.APIVersion == "":
		l.fail(o, "kind %s: apiVersion is missing", h.Kind)
		return
	}
	obj := newObject(h.APIVersion, h.Kind)
	if obj == nil {
		if l.opts.SkipUnknownKinds {
			l.out.Skipped = append(l.out.Skipped, Skipped{Origin: o, APIVersion: h.APIVersion, Kind: h.Kind, Namespace: h.Metadata.Namespace, Name: h.Metadata.Name})
			return
		}
		msg := "kind " + h.Kind + " (" + h.APIVersion + ") is not one kubepure models"
		if v := modelledVersion(h.Kind); v != "" {
			msg += ": kubepure reads " + h.Kind + " as " + v
		} else {
			msg += " (LoadOptions.SkipUnknownKinds skips such documents)"
		}
		l.fail(o, "%s", msg)
		return
	}
	what := h.Kind
	if h.Metadata.Name != "" {
		what += " " + h.Metadata.Name
	}
	if l.opts.FieldValidation == FieldValidationIgnore {
		if err := kjson.UnmarshalCaseSensitivePreserveInts(data, obj); err != nil {
			l.fail(o, "%s: %s", what, err)
			return
		}
	} else {
		strict, err := kjson.UnmarshalStrict(data, obj)
		if err != nil {
			l.fail(o, "%s: %s", what, err)
			return
		}
		if len(strict) > 0 {
			msgs := make([]string, len(strict))
			for i, e := range strict {
				msgs[i] = e.Error()
			}
			// The API server's wording for fieldValidation=Strict.
			msg := "strict decoding error: " + strings.Join(msgs, ", ")
			if l.opts.FieldValidation == FieldValidationStrict {
				l.fail(o, "%s: %s", what, msg)
				return
			}
			l.out.Warnings = append(l.out.Warnings, o.String()+": "+what+": "+msg)
		}
	}
	// The type's own apiVersion and kind: a typed list's item may have
	// left them out.
	obj.GetObjectKind().SetGroupVersionKind(schema.FromAPIVersionAndKind(h.APIVersion, h.Kind))
	m, err := meta.Accessor(obj)
	if err != nil {
		l.fail(o, "%s: %s", what, err)
		return
	}
	if m.GetName() == "" && m.GetGenerateName() == "" {
		l.fail(o, "%s: metadata.name: Required value: name or generateName is required", h.Kind)
		return
	}
	if !l.opts.AsWritten {
		stored, err := l.normalise(obj, m, h)
		if err != nil {
			l.fail(o, "%s: %s", what, err)
			return
		}
		obj = stored
	}
	l.out.Objects = append(l.out.Objects, obj)
	l.out.Origins = append(l.out.Origins, o)
}

// newObject returns an empty object of a kind kubepure models, or nil.
func newObject(apiVersion, kind string) runtime.Object {
	switch apiVersion {
	case "apps/v1":
		switch kind {
		case "Deployment":
			return &appsv1.Deployment{}
		case "ReplicaSet":
			return &appsv1.ReplicaSet{}
		case "DaemonSet":
			return &appsv1.DaemonSet{}
		case "StatefulSet":
			return &appsv1.StatefulSet{}
		case "ControllerRevision":
			return &appsv1.ControllerRevision{}
		}
	case "batch/v1":
		switch kind {
		case "Job":
			return &batchv1.Job{}
		case "CronJob":
			return &batchv1.CronJob{}
		}
	case "v1":
		switch kind {
		case "Pod":
			return &v1.Pod{}
		case "Node":
			return &v1.Node{}
		case "PersistentVolumeClaim":
			return &v1.PersistentVolumeClaim{}
		case "Namespace":
			return &v1.Namespace{}
		}
	}
	return nil
}

// modelledVersion returns the apiVersion kubepure reads a kind as, or ""
// for a kind it does not model.
func modelledVersion(kind string) string {
	for _, v := range [...]string{"apps/v1", "batch/v1", "v1"} {
		if newObject(v, kind) != nil {
			return v
		}
	}
	return ""
}

// clusterScoped reports whether a modelled kind has no namespace.
func clusterScoped(kind string) bool {
	return kind == "Node" || kind == "Namespace"
}

// shiftLines adds offset to every "line N" of a YAML parser's message, so
// that lines counted from a document's start count from the file's.
func shiftLines(msg string, offset int) string {
	if offset == 0 {
		return msg
	}
	var b strings.Builder
	for {
		i := strings.Index(msg, "line ")
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		i += len("line ")
		b.WriteString(msg[:i])
		msg = msg[i:]
		j := 0
		for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
			j++
		}
		if n, err := strconv.Atoi(msg[:j]); err == nil {
			b.WriteString(strconv.Itoa(n + offset))
			msg = msg[j:]
		}
	}
}
