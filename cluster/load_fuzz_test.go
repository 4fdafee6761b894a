package cluster

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzLoadReader feeds arbitrary bytes to the loader: it must return
// objects or an error, never panic, and what it returns must already be a
// fixed point of the API server's storage (defaulting it and storing it
// again changes nothing), since that is what it promises.
func FuzzLoadReader(f *testing.F) {
	files, _ := filepath.Glob("testdata/load/*.*")
	more, _ := filepath.Glob("testdata/load/dir/*")
	for _, name := range append(files, more...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data, false)
		}
	}
	f.Add([]byte("apiVersion: v1\nkind: List\nitems: [{kind: Pod}]\n---\n--- x\n"), true)
	f.Add([]byte(`{"apiVersion":"apps/v1","kind":"DeploymentList","items":[{"metadata":{"name":"a"}}]}`), true)
	f.Fuzz(func(t *testing.T, data []byte, skip bool) {
		opts := LoadOptions{SkipUnknownKinds: skip}
		if skip {
			opts.FieldValidation = FieldValidationWarn
		}
		l, err := LoadReader(bytes.NewReader(data), "fuzz", opts)
		if err != nil {
			if l != nil {
				t.Fatalf("objects returned with error %v", err)
			}
			return
		}
		if len(l.Objects) != len(l.Origins) {
			t.Fatalf("%d objects, %d origins", len(l.Objects), len(l.Origins))
		}
		for i, obj := range l.Objects {
			again := obj.DeepCopyObject()
			if err := Default(again); err != nil {
				t.Fatalf("%s: %v", l.Origins[i], err)
			}
			stored, err := storageRoundTrip(again, obj.GetObjectKind().GroupVersionKind())
			if err != nil {
				t.Fatalf("%s: %v", l.Origins[i], err)
			}
			if !reflect.DeepEqual(stored, obj) {
				t.Fatalf("%s: loaded object is not what storage keeps:\n%#v\n%#v", l.Origins[i], obj, stored)
			}
		}
	})
}
