package validate

import (
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/internal/apidefault"
)

func TestTemplateDefaulted(t *testing.T) {
	path := field.NewPath("spec", "template")
	raw := &v1.PodTemplateSpec{Spec: v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: "nginx"}}}}
	errs := TemplateDefaulted(raw, path)
	if len(errs) != 1 {
		t.Fatalf("want one error for an undefaulted template, got %v", errs)
	}
	msg := errs[0].Error()
	for _, want := range []string{"spec.template.spec.restartPolicy: Required value", "spec.template.spec.containers[0].imagePullPolicy", "default the object"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	apidefault.PodTemplate(raw)
	if errs := TemplateDefaulted(raw, path); len(errs) != 0 {
		t.Fatalf("a defaulted template is refused: %v", errs)
	}
	raw.Spec.Containers[0].TerminationMessagePolicy = ""
	errs = TemplateDefaulted(raw, path)
	if len(errs) != 1 || errs[0].Field != "spec.template.spec.containers[0].terminationMessagePolicy" || strings.Contains(errs[0].Error(), "also unset") {
		t.Fatalf("one missing field: got %v", errs)
	}
}

func TestImagePullPolicyByTag(t *testing.T) {
	for image, want := range map[string]v1.PullPolicy{
		"nginx":                    v1.PullAlways,
		"nginx:latest":             v1.PullAlways,
		"nginx:1.27":               v1.PullIfNotPresent,
		"registry:5000/app":        v1.PullAlways,
		"registry:5000/app:v2":     v1.PullIfNotPresent,
		"registry/app@sha256:0123": v1.PullIfNotPresent,
	} {
		spec := v1.PodSpec{Containers: []v1.Container{{Name: "c", Image: image}}}
		apidefault.PodSpec(&spec)
		if got := spec.Containers[0].ImagePullPolicy; got != want {
			t.Errorf("%s: imagePullPolicy %s, want %s", image, got, want)
		}
	}
}
