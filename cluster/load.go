package cluster

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
)

// FieldValidation says what loading does with a field the object's type
// does not have, or a field given twice, like the API server's
// fieldValidation parameter and kubectl's --validate flag.
type FieldValidation int

const (
	// FieldValidationStrict, the zero value, makes such a field an error
	// naming it, as `kubectl apply` (whose default is --validate=strict)
	// reports it: a misspelt field silently dropped is the classic
	// manifest bug.
	FieldValidationStrict FieldValidation = iota
	// FieldValidationWarn drops unknown fields and reports each in
	// Loaded.Warnings, like --validate=warn. A JSON field given twice is
	// reported too; a YAML key given twice keeps its last value unreported,
	// as YAML's lenient decoding does.
	FieldValidationWarn
	// FieldValidationIgnore drops such fields silently, like
	// --validate=false.
	FieldValidationIgnore
)

// LoadOptions tune loading. The zero value loads as `kubectl apply -f`
// followed by the API server's create would store the objects: strict
// fields, unknown kinds refused, namespace "default" for objects that name
// none, defaults applied and values normalised as storage normalises them.
type LoadOptions struct {
	// Namespace is given to namespaced objects that have no
	// metadata.namespace, as kubectl's --namespace does; empty means
	// "default". Cluster-scoped objects (Node, Namespace) lose any
	// namespace they carry, as the API server clears it.
	Namespace string

	// SkipUnknownKinds skips documents of kinds kubepure does not model
	// (a Service in `kubectl get all -o yaml` output) and lists them in
	// Loaded.Skipped, instead of failing the load.
	SkipUnknownKinds bool

	// FieldValidation says what an unknown or duplicate field does; the
	// zero value makes it an error.
	FieldValidation FieldValidation

	// Recursive makes a directory named in LoadFiles read with its
	// subdirectories, like kubectl's --recursive; otherwise only the files
	// directly in it are read, as kubectl does.
	Recursive bool

	// AsWritten keeps objects as the documents write them: no namespace
	// filled in, no defaulting, no storage normalisation. For tests of the
	// defaulting itself and for tools that show manifests; objects meant
	// for a controller or a store need the normalised form.
	AsWritten bool
}

// Origin says where a loaded object (or a skipped document) was read.
type Origin struct {
	// Source is the file name, or the source given to LoadReader.
	Source string
	// Line is the line, from 1, where the document starts.
	Line int
	// Document is the document's number in its source, from 1, counting
	// neither empty documents nor ones holding only comments.
	Document int
	// InList is set when the object is an item of a List document, and
	// Item is then its index in the list's items.
	InList bool
	Item   int
}

// String renders o as "source:line: document N" with ": items[i]" for a
// list item: the form every load error starts with.
func (o Origin) String() string {
	var b strings.Builder
	b.WriteString(o.Source)
	if o.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(o.Line))
	}
	b.WriteString(": document ")
	b.WriteString(strconv.Itoa(o.Document))
	if o.InList {
		b.WriteString(": items[")
		b.WriteString(strconv.Itoa(o.Item))
		b.WriteString("]")
	}
	return b.String()
}

// Skipped is a document of a kind kubepure does not model, skipped under
// LoadOptions.SkipUnknownKinds.
type Skipped struct {
	Origin
	APIVersion, Kind, Namespace, Name string
}

// String renders s as "<origin>: kind Service (v1) default/web".
func (s Skipped) String() string {
	name := s.Name
	if s.Namespace != "" {
		name = s.Namespace + "/" + name
	}
	return strings.TrimSpace(fmt.Sprintf("%s: kind %s (%s) %s", s.Origin, s.Kind, s.APIVersion, name))
}

// Loaded is what a load read.
type Loaded struct {
	// Objects are typed k8s.io/api objects (*appsv1.Deployment, *v1.Pod,
	// ...) with apiVersion and kind set, in the order of the files and of
	// the documents and list items in each.
	Objects []runtime.Object
	// Origins[i] says where Objects[i] was read.
	Origins []Origin
	// Skipped lists the documents skipped for their kind.
	Skipped []Skipped
	// Warnings lists the fields dropped under FieldValidationWarn, each
	// prefixed with its origin.
	Warnings []string
}

// LoadFiles reads the objects of the named files and directories, in the
// order given. A file named explicitly is read whatever its extension; a
// directory contributes its files ending in .yaml, .yml or .json, in
// lexical order of their names (with LoadOptions.Recursive, its
// subdirectories too, each entry in lexical order), so the result does not
// depend on the file system's listing order. Each file is read as
// LoadReader reads a stream, with the file's path as its source.
//
// A file that cannot be read stops the load. Bad documents do not: every
// bad document of every file is reported, each error naming the file, the
// line the document starts on, the document's number and, once known, its
// kind and name, and then no objects are returned.
func LoadFiles(paths []string, opts LoadOptions) (*Loaded, error) {
	l := newLoader(opts)
	for _, p := range paths {
		files, err := manifestFiles(p, opts.Recursive)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			l.stream(data, f)
		}
	}
	return l.result()
}

// LoadReader reads the objects of one stream: YAML documents separated by
// "---" lines, or a sequence of JSON objects (a stream whose first
// non-blank character is '{'). Each document is an object of a kind
// kubepure models (Deployment, ReplicaSet, DaemonSet, StatefulSet and
// ControllerRevision of apps/v1; Job and CronJob of batch/v1; Pod, Node,
// PersistentVolumeClaim and Namespace of v1) or a list of them: a
// `kind: List` document as `kubectl get -o yaml` prints, or a typed list
// (DeploymentList, ...) whose items may leave out their apiVersion and
// kind. Output of `kubectl get -o yaml` loads as it is: status, uid,
// resourceVersion, managedFields and the rest of what the server wrote are
// kept. Empty documents and documents holding only comments are skipped.
//
// Any other kind or apiVersion is an error, unless
// LoadOptions.SkipUnknownKinds skips it; fields are checked as
// LoadOptions.FieldValidation says. source names the stream in errors and
// origins.
//
// Unless LoadOptions.AsWritten is set, each object is then made what the
// API server would store and a controller's informer would hold:
//
//   - a namespaced object without a namespace gets LoadOptions.Namespace
//     (default "default"); a cluster-scoped one loses its namespace;
//   - it is defaulted with Default (a second defaulting of an object
//     already defaulted, such as `kubectl get` output, changes nothing);
//   - a ControllerRevision's data is written as compact JSON with sorted
//     keys, the bytes kubectl sends and the controllers compare;
//   - it goes through the protobuf encoding the API server stores and
//     kube-controller-manager reads. That is what makes a pod template's
//     hash right: a quantity is kept in its canonical form (cpu "0.5"
//     becomes the "500m" the cluster stores, and hashes as "500m" does),
//     and empty lists and maps become nil, as the cluster returns them.
func LoadReader(r io.Reader, source string, opts LoadOptions) (*Loaded, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	l := newLoader(opts)
	l.stream(data, source)
	return l.result()
}

// loader accumulates the objects and the errors of one load.
type loader struct {
	opts LoadOptions
	out  Loaded
	errs []error
}

func newLoader(opts LoadOptions) *loader {
	return &loader{opts: opts}
}

func (l *loader) fail(o Origin, format string, args ...any) {
	l.errs = append(l.errs, fmt.Errorf("%s: %s", o, fmt.Sprintf(format, args...)))
}

func (l *loader) result() (*Loaded, error) {
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return &l.out, nil
}

// manifestFiles lists the files a path stands for, as documented on
// LoadFiles.
func manifestFiles(path string, recursive bool) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	// WalkDir visits each directory's entries in lexical order.
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != path && !recursive {
				return filepath.SkipDir
			}
			return nil
		}
		if isManifestName(d.Name()) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// isManifestName reports whether a file in a directory is read: the
// extensions kubectl reads from a directory.
func isManifestName(name string) bool {
	switch filepath.Ext(name) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// leadingBlankLines counts the lines at the start of a document that are
// blank or comments, and reports whether that is all the document holds.
func leadingBlankLines(doc []byte) (int, bool) {
	n := 0
	for len(doc) > 0 {
		line := doc
		if i := bytes.IndexByte(doc, '\n'); i >= 0 {
			line, doc = doc[:i], doc[i+1:]
		} else {
			doc = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			return n, false
		}
		n++
	}
	return n, true
}
