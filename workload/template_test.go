package workload

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func replicaSetRef(name string) *metav1.OwnerReference {
	return &metav1.OwnerReference{
		APIVersion:         "apps/v1",
		Kind:               "ReplicaSet",
		Name:               name,
		UID:                "rs-uid",
		Controller:         ptr.To(true),
		BlockOwnerDeletion: ptr.To(true),
	}
}

func TestPodGenerateNamePrefix(t *testing.T) {
	long := strings.Repeat("a", 252)
	tests := []struct {
		owner string
		want  string
	}{
		{owner: "web-7d9f", want: "web-7d9f-"},
		{owner: long, want: long + "-"},
		// Prefix validation replaces the last two characters of "<owner>-"
		// by one "a", so a 254-character prefix still passes...
		{owner: long + "b", want: long + "b-"},
		// ...and a 255-character one does not.
		{owner: long + "bc", want: long + "bc"},
		{owner: "Web", want: "Web"},
		{owner: "", want: ""},
		// For the same reason a dot before the dash is accepted.
		{owner: "web.", want: "web.-"},
	}
	for _, tt := range tests {
		if got := PodGenerateNamePrefix(tt.owner); got != tt.want {
			t.Errorf("PodGenerateNamePrefix(%q) = %q, want %q", tt.owner, got, tt.want)
		}
	}
}

func TestPodFromTemplate(t *testing.T) {
	tmpl := &v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{
			Name:            "ignored",
			GenerateName:    "ignored-",
			Namespace:       "ignored",
			Labels:          map[string]string{"app": "web"},
			Annotations:     map[string]string{"note": "kept"},
			Finalizers:      []string{"example.com/keep"},
			OwnerReferences: []metav1.OwnerReference{{Name: "ignored"}},
		},
		Spec: v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "img:v1"}}},
	}
	ref := replicaSetRef("web-7d9f")
	before := tmpl.DeepCopy()

	got, err := PodFromTemplate(tmpl, "web-7d9f", ref)
	if err != nil {
		t.Fatal(err)
	}
	want := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName:    "web-7d9f-",
			Labels:          map[string]string{"app": "web"},
			Annotations:     map[string]string{"note": "kept"},
			Finalizers:      []string{"example.com/keep"},
			OwnerReferences: []metav1.OwnerReference{*ref},
		},
		Spec: tmpl.Spec,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PodFromTemplate mismatch (-want +got):\n%s", diff)
	}

	// The pod shares nothing with its inputs.
	got.Labels["app"] = "changed"
	got.Annotations["note"] = "changed"
	got.Finalizers[0] = "changed"
	got.Spec.Containers[0].Image = "changed"
	*got.OwnerReferences[0].Controller = false
	if diff := cmp.Diff(before, tmpl); diff != "" {
		t.Errorf("template changed through the pod (-before +after):\n%s", diff)
	}
	if !*ref.Controller {
		t.Error("controller reference changed through the pod")
	}
}

func TestPodFromTemplateEmptyCollectionsAreNotNil(t *testing.T) {
	tmpl := &v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}}}
	got, err := PodFromTemplate(tmpl, "web", replicaSetRef("web"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Annotations == nil || got.Finalizers == nil {
		t.Errorf("annotations %#v and finalizers %#v must be empty, not nil", got.Annotations, got.Finalizers)
	}
}

func TestPodFromTemplateRefusals(t *testing.T) {
	labelled := &v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}}}
	edit := func(f func(*metav1.OwnerReference)) *metav1.OwnerReference {
		r := replicaSetRef("web")
		f(r)
		return r
	}
	tests := []struct {
		name     string
		template *v1.PodTemplateSpec
		ref      *metav1.OwnerReference
		want     string
	}{
		{name: "nil template", template: nil, ref: replicaSetRef("web"), want: "template: Required value"},
		{name: "no labels", template: &v1.PodTemplateSpec{}, ref: replicaSetRef("web"), want: "template.metadata.labels: Required value: unable to create pods, no labels"},
		{name: "empty labels", template: &v1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{}}}, ref: replicaSetRef("web"), want: "no labels"},
		{name: "nil controller ref", template: labelled, ref: nil, want: "controllerRef: Required value"},
		{name: "no apiVersion", template: labelled, ref: edit(func(r *metav1.OwnerReference) { r.APIVersion = "" }), want: "controllerRef.apiVersion: Required value"},
		{name: "no kind", template: labelled, ref: edit(func(r *metav1.OwnerReference) { r.Kind = "" }), want: "controllerRef.kind: Required value"},
		{name: "controller unset", template: labelled, ref: edit(func(r *metav1.OwnerReference) { r.Controller = nil }), want: "controllerRef.controller: Invalid value"},
		{name: "controller false", template: labelled, ref: edit(func(r *metav1.OwnerReference) { r.Controller = ptr.To(false) }), want: "controllerRef.controller: Invalid value"},
		{name: "blockOwnerDeletion unset", template: labelled, ref: edit(func(r *metav1.OwnerReference) { r.BlockOwnerDeletion = nil }), want: "controllerRef.blockOwnerDeletion: Invalid value"},
		{name: "blockOwnerDeletion false", template: labelled, ref: edit(func(r *metav1.OwnerReference) { r.BlockOwnerDeletion = ptr.To(false) }), want: "controllerRef.blockOwnerDeletion: Invalid value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod, err := PodFromTemplate(tt.template, "web", tt.ref)
			if err == nil || pod != nil {
				t.Fatalf("PodFromTemplate = %v, %v; want an error", pod, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}
