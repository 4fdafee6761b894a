package cluster

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
)

// summary renders each loaded object as "origin: Kind namespace/name".
func summary(t *testing.T, l *Loaded) []string {
	t.Helper()
	if len(l.Objects) != len(l.Origins) {
		t.Fatalf("%d objects but %d origins", len(l.Objects), len(l.Origins))
	}
	var out []string
	for i, obj := range l.Objects {
		m, err := meta.Accessor(obj)
		if err != nil {
			t.Fatal(err)
		}
		name := m.GetName()
		if name == "" {
			name = m.GetGenerateName() + "*"
		}
		if ns := m.GetNamespace(); ns != "" {
			name = ns + "/" + name
		}
		gvk := obj.GetObjectKind().GroupVersionKind()
		out = append(out, fmt.Sprintf("%s: %s %s %s", l.Origins[i], gvk.GroupVersion(), gvk.Kind, name))
	}
	return out
}

func mustLoad(t *testing.T, opts LoadOptions, paths ...string) *Loaded {
	t.Helper()
	l, err := LoadFiles(paths, opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func wantLines(t *testing.T, got, want []string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("loaded (-want +got):\n%s", diff)
	}
}

// TestLoadEveryKind loads one object of each modelled kind from a
// multi-document file and checks that each is typed, placed in a
// namespace as the API server would, and defaulted.
func TestLoadEveryKind(t *testing.T) {
	l := mustLoad(t, LoadOptions{}, "testdata/load/kinds.yaml")
	wantLines(t, summary(t, l), []string{
		"testdata/load/kinds.yaml:3: document 1: v1 Namespace shop",
		"testdata/load/kinds.yaml:8: document 2: v1 Node node-1",
		"testdata/load/kinds.yaml:18: document 3: apps/v1 Deployment shop/web",
		"testdata/load/kinds.yaml:36: document 4: apps/v1 ReplicaSet default/cache",
		"testdata/load/kinds.yaml:51: document 5: apps/v1 DaemonSet kube-system/agent",
		"testdata/load/kinds.yaml:67: document 6: apps/v1 StatefulSet shop/db",
		"testdata/load/kinds.yaml:91: document 7: apps/v1 ControllerRevision kube-system/agent-5d8f9c7b4",
		"testdata/load/kinds.yaml:104: document 8: batch/v1 Job shop/migrate",
		"testdata/load/kinds.yaml:117: document 9: batch/v1 CronJob shop/backup",
		"testdata/load/kinds.yaml:133: document 10: v1 Pod default/debug-*",
		"testdata/load/kinds.yaml:144: document 11: v1 PersistentVolumeClaim shop/scratch",
	})
	if len(l.Skipped) != 0 || len(l.Warnings) != 0 {
		t.Errorf("skipped %v, warnings %v", l.Skipped, l.Warnings)
	}
	node := l.Objects[1].(*v1.Node)
	if got := node.Status.Allocatable.Cpu().String(); got != "4" {
		t.Errorf("node allocatable cpu = %q, want the capacity 4", got)
	}
	d := l.Objects[2].(*appsv1.Deployment)
	if *d.Spec.Replicas != 1 || d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || *d.Spec.RevisionHistoryLimit != 10 {
		t.Errorf("deployment not defaulted: %+v", d.Spec)
	}
	if got := d.Spec.Template.Spec.Containers[0].Resources.Requests.Cpu().String(); got != "500m" {
		t.Errorf("cpu request = %q, want the canonical 500m", got)
	}
	ss := l.Objects[5].(*appsv1.StatefulSet)
	if got := ss.Spec.VolumeClaimTemplates[0].Spec.VolumeMode; got == nil || *got != v1.PersistentVolumeFilesystem {
		t.Errorf("claim template volumeMode = %v, want Filesystem", got)
	}
	rev := l.Objects[6].(*appsv1.ControllerRevision)
	if got, want := string(rev.Data.Raw), `{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"agent"}}}}}`; got != want {
		t.Errorf("revision data = %s, want %s", got, want)
	}
	job := l.Objects[7].(*batchv1.Job)
	if *job.Spec.Parallelism != 1 || *job.Spec.Completions != 1 || *job.Spec.BackoffLimit != 6 {
		t.Errorf("job not defaulted: %+v", job.Spec)
	}
	cj := l.Objects[8].(*batchv1.CronJob)
	if cj.Spec.ConcurrencyPolicy != batchv1.AllowConcurrent || cj.Spec.JobTemplate.Spec.Parallelism != nil {
		t.Errorf("cronjob defaulted wrongly: %+v", cj.Spec)
	}
	pod := l.Objects[9].(*v1.Pod)
	if got := pod.Spec.Containers[0].Resources.Requests.Cpu().String(); got != "100m" {
		t.Errorf("pod request from limit = %q, want 100m", got)
	}
	if pod.Spec.EnableServiceLinks == nil || !*pod.Spec.EnableServiceLinks {
		t.Errorf("pod enableServiceLinks not defaulted")
	}
	pvc := l.Objects[10].(*v1.PersistentVolumeClaim)
	if pvc.Spec.VolumeMode == nil || *pvc.Spec.VolumeMode != v1.PersistentVolumeFilesystem {
		t.Errorf("claim volumeMode not defaulted")
	}
}

// TestLoadLists loads a kind: List and a typed list whose items leave out
// their apiVersion and kind.
func TestLoadLists(t *testing.T) {
	l := mustLoad(t, LoadOptions{}, "testdata/load/list.yaml", "testdata/load/deploymentlist.yaml")
	wantLines(t, summary(t, l), []string{
		"testdata/load/list.yaml:1: document 1: items[0]: apps/v1 Deployment shop/api",
		"testdata/load/list.yaml:1: document 1: items[1]: v1 Pod shop/api-pod",
		"testdata/load/deploymentlist.yaml:3: document 1: items[0]: apps/v1 Deployment shop/first",
		"testdata/load/deploymentlist.yaml:3: document 1: items[1]: apps/v1 Deployment shop/second",
	})
}

// TestLoadKubectlGetOutput loads `kubectl get all -o yaml` output: a List
// with a Service in it, and objects carrying what the server wrote.
func TestLoadKubectlGetOutput(t *testing.T) {
	const file = "testdata/load/kubectl-get-all.yaml"
	_, err := LoadFiles([]string{file}, LoadOptions{})
	want := file + ":1: document 1: items[1]: kind Service (v1) is not one kubepure models (LoadOptions.SkipUnknownKinds skips such documents)"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant %s", err, want)
	}

	l := mustLoad(t, LoadOptions{SkipUnknownKinds: true}, file)
	wantLines(t, summary(t, l), []string{
		file + ":1: document 1: items[0]: v1 Pod shop/web-5cffd87979-x2k9q",
		file + ":1: document 1: items[2]: apps/v1 Deployment shop/web",
		file + ":1: document 1: items[3]: apps/v1 ReplicaSet shop/web-5cffd87979",
	})
	if len(l.Skipped) != 1 || l.Skipped[0].String() != file+":1: document 1: items[1]: kind Service (v1) shop/web" {
		t.Errorf("skipped = %v", l.Skipped)
	}
	d := l.Objects[1].(*appsv1.Deployment)
	if d.ResourceVersion != "90420" || d.UID == "" || d.Status.AvailableReplicas != 1 || len(d.ManagedFields) != 1 || d.Generation != 1 {
		t.Errorf("server-written fields lost: %+v %+v", d.ObjectMeta, d.Status)
	}

	// The output is already defaulted: loading it as written and only
	// storing it gives the same objects.
	raw := mustLoad(t, LoadOptions{SkipUnknownKinds: true, AsWritten: true}, file)
	for i, obj := range raw.Objects {
		stored, err := storageRoundTrip(obj, obj.GetObjectKind().GroupVersionKind())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(stored, l.Objects[i]) {
			t.Errorf("%s: defaulting changed kubectl output:\n%s", l.Origins[i], cmp.Diff(stored, l.Objects[i]))
		}
	}
}

// TestLoadJSON loads a stream of two JSON objects; the revision's
// pretty-printed data is stored compact with sorted keys.
func TestLoadJSON(t *testing.T) {
	l := mustLoad(t, LoadOptions{}, "testdata/load/pods.json")
	wantLines(t, summary(t, l), []string{
		"testdata/load/pods.json:1: document 1: v1 Pod shop/json-one",
		"testdata/load/pods.json:7: document 2: apps/v1 ControllerRevision shop/json-rev",
	})
	rev := l.Objects[1].(*appsv1.ControllerRevision)
	if got, want := string(rev.Data.Raw), `{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"x"}}}}}`; got != want {
		t.Errorf("revision data = %s, want %s", got, want)
	}
	if rev.Revision != 2 {
		t.Errorf("revision = %d", rev.Revision)
	}
}

// TestLoadUnknownKinds checks the error for a kind kubepure does not
// model, one per document, and the skipping option.
func TestLoadUnknownKinds(t *testing.T) {
	const file = "testdata/load/unknown-kind.yaml"
	_, err := LoadFiles([]string{file}, LoadOptions{})
	want := file + ":1: document 1: kind ConfigMap (v1) is not one kubepure models (LoadOptions.SkipUnknownKinds skips such documents)\n" +
		file + ":18: document 3: kind Service (v1) is not one kubepure models (LoadOptions.SkipUnknownKinds skips such documents)"
	if err == nil || err.Error() != want {
		t.Fatalf("error =\n%v\nwant\n%s", err, want)
	}
	l := mustLoad(t, LoadOptions{SkipUnknownKinds: true}, file)
	wantLines(t, summary(t, l), []string{file + ":9: document 2: v1 Pod default/app"})
	var skipped []string
	for _, s := range l.Skipped {
		skipped = append(skipped, s.String())
	}
	wantLines(t, skipped, []string{
		file + ":1: document 1: kind ConfigMap (v1) shop/settings",
		file + ":18: document 3: kind Service (v1) app",
	})

	_, err = LoadReader(strings.NewReader("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old}\n"), "old.yaml", LoadOptions{})
	if want := "old.yaml:1: document 1: kind Deployment (extensions/v1beta1) is not one kubepure models: kubepure reads Deployment as apps/v1"; err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

// TestLoadUnknownFields checks each field validation mode.
func TestLoadUnknownFields(t *testing.T) {
	const file = "testdata/load/unknown-field.yaml"
	_, err := LoadFiles([]string{file}, LoadOptions{})
	want := file + `:1: document 1: Deployment typo: strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagePolicy"`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant %s", err, want)
	}
	l := mustLoad(t, LoadOptions{FieldValidation: FieldValidationWarn}, file)
	if len(l.Objects) != 1 || len(l.Warnings) != 1 || l.Warnings[0] != strings.TrimPrefix(want, "") {
		t.Errorf("warn: %d objects, warnings %q", len(l.Objects), l.Warnings)
	}
	l = mustLoad(t, LoadOptions{FieldValidation: FieldValidationIgnore}, file)
	if len(l.Objects) != 1 || len(l.Warnings) != 0 {
		t.Errorf("ignore: %d objects, warnings %q", len(l.Objects), l.Warnings)
	}
	if d := l.Objects[0].(*appsv1.Deployment); *d.Spec.Replicas != 1 {
		t.Errorf("the misspelt replicas took effect: %d", *d.Spec.Replicas)
	}
	_, err = LoadReader(strings.NewReader("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\nmetadata: {name: b}\n"), "dup.yaml", LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), `dup.yaml:1: document 1: yaml: unmarshal errors:`) || !strings.Contains(err.Error(), `"metadata" already set`) {
		t.Errorf("duplicate key: error = %v", err)
	}
}

// TestLoadDirectory reads a directory's manifests in name order, with and
// without its subdirectories, ignoring other files.
func TestLoadDirectory(t *testing.T) {
	names := func(l *Loaded) []string {
		var out []string
		for _, obj := range l.Objects {
			out = append(out, obj.(*v1.Namespace).Name)
		}
		return out
	}
	wantLines(t, names(mustLoad(t, LoadOptions{}, "testdata/load/dir")), []string{"a-yaml", "b-yml", "c-json"})
	wantLines(t, names(mustLoad(t, LoadOptions{Recursive: true}, "testdata/load/dir")), []string{"a-yaml", "b-yml", "c-json", "sub-d"})
	// A file named explicitly is read whatever its extension.
	if _, err := LoadFiles([]string{"testdata/load/dir/notes.txt"}, LoadOptions{}); err == nil || !strings.Contains(err.Error(), "notes.txt:1: document 1: not an object") {
		t.Errorf("notes.txt: error = %v", err)
	}
	if _, err := LoadFiles([]string{"testdata/load/missing.yaml"}, LoadOptions{}); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: error = %v", err)
	}
}

// TestLoadBadYAML checks that a syntax error names the file, the document
// and the line in the file, and that no object is returned.
func TestLoadBadYAML(t *testing.T) {
	l, err := LoadFiles([]string{"testdata/load/bad.yaml"}, LoadOptions{})
	want := "testdata/load/bad.yaml:6: document 2: yaml: line 13: did not find expected ',' or ']'"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
	if l != nil {
		t.Errorf("objects returned with an error: %v", l.Objects)
	}
}

// TestLoadReaderErrors covers the malformed streams and documents.
func TestLoadReaderErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"kind: Pod\nmetadata: {name: a}\n", "s:1: document 1: kind Pod: apiVersion is missing"},
		{"apiVersion: v1\nmetadata: {name: a}\n", "s:1: document 1: kind is missing: every object names its apiVersion and kind"},
		{"- a\n- b\n", "s:1: document 1: not an object: a document must be a mapping with apiVersion and kind"},
		{"apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n--- kind: Pod\n", "s:4: invalid YAML document separator: \"kind: Pod\""},
		{"apiVersion: v1\nkind: Pod\nspec: {}\n", "s:1: document 1: Pod: metadata.name: Required value: name or generateName is required"},
		{"{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"a\"}}\n\n{\"apiVersion\": ", "s:3: document 2: invalid JSON: unexpected EOF"},
		{"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n", "s:1: document 1: items[0]: a List inside a list: lists do not nest"},
		{"apiVersion: v1\nkind: List\nitems:\n- 3\n", "s:1: document 1: items[0]: not an object"},
		{"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {replicas: many}\n", "s:1: document 1: Deployment a: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"},
		{"apiVersion: v1\nkind: 7\n", "s:1: document 1: json: cannot unmarshal number into Go struct field header.kind of type string"},
	} {
		l, err := LoadReader(strings.NewReader(tc.in), "s", LoadOptions{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q:\nerror %v\nwant  %s", tc.in, err, tc.want)
		}
		if l != nil {
			t.Errorf("%q: objects returned with an error", tc.in)
		}
	}
}

// TestLoadEmptyDocuments checks that empty, comment-only and null
// documents are skipped and not counted.
func TestLoadEmptyDocuments(t *testing.T) {
	in := "# header\n---\n---\n~\n---\n# only a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n"
	l, err := LoadReader(strings.NewReader(in), "e.yaml", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, summary(t, l), []string{"e.yaml:8: document 2: v1 Namespace a"})
	for _, in := range []string{"", "\n\n", "---\n", "# nothing\n"} {
		l, err := LoadReader(strings.NewReader(in), "e.yaml", LoadOptions{})
		if err != nil || len(l.Objects) != 0 {
			t.Errorf("%q: %v, %v", in, l, err)
		}
	}
}

// TestLoadNamespaces checks the namespace given to objects without one,
// and that AsWritten leaves objects as written.
func TestLoadNamespaces(t *testing.T) {
	in := "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: there}\nspec: {containers: [{name: c, image: i}]}\n"
	l, err := LoadReader(strings.NewReader(in), "ns.yaml", LoadOptions{Namespace: "here"})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := l.Objects[0].(*v1.Pod).Namespace, l.Objects[1].(*v1.Pod).Namespace; a != "here" || b != "there" {
		t.Errorf("namespaces %q %q, want here there", a, b)
	}
	l, err = LoadReader(strings.NewReader(in), "ns.yaml", LoadOptions{AsWritten: true})
	if err != nil {
		t.Fatal(err)
	}
	p := l.Objects[0].(*v1.Pod)
	if p.Namespace != "" || p.Spec.RestartPolicy != "" || p.APIVersion != "v1" || p.Kind != "Pod" {
		t.Errorf("AsWritten changed the pod: %+v", p)
	}
}

// TestLoadedObjectsAreRuntimeObjects makes sure every modelled kind has a
// storage encoding.
func TestLoadedObjectsAreRuntimeObjects(t *testing.T) {
	for _, v := range []string{"apps/v1", "batch/v1", "v1"} {
		for _, k := range []string{"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision", "Job", "CronJob", "Pod", "Node", "PersistentVolumeClaim", "Namespace"} {
			obj := newObject(v, k)
			if obj == nil {
				continue
			}
			if _, ok := obj.(protoObject); !ok {
				t.Errorf("%s %s has no protobuf encoding", v, k)
			}
			var _ runtime.Object = obj
		}
	}
}
