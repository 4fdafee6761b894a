package workload

import (
	"encoding/json"
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"
)

func templateWith(labels map[string]string, name, image string) *v1.PodTemplateSpec {
	return &v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec:       v1.PodSpec{Containers: []v1.Container{{Name: name, Image: image}}},
	}
}

func decodeTemplate(t *testing.T, doc string) *v1.PodTemplateSpec {
	t.Helper()
	var tmpl v1.PodTemplateSpec
	if err := json.Unmarshal([]byte(doc), &tmpl); err != nil {
		t.Fatal(err)
	}
	return &tmpl
}

// TestComputeHashVectors pins hashes computed by kube-controller-manager
// v1.37.1 itself.
func TestComputeHashVectors(t *testing.T) {
	nginx := templateWith(map[string]string{"app": "nginx"}, "nginx", "nginx:1.25")
	nginxEmptyAnnotations := nginx.DeepCopy()
	nginxEmptyAnnotations.Annotations = map[string]string{}
	web := templateWith(map[string]string{"app": "web"}, "c", "img:v2")

	tests := []struct {
		name      string
		template  *v1.PodTemplateSpec
		collision *int32
		want      string
	}{
		{name: "nginx", template: nginx, want: "6f55975848"},
		{name: "nginx, collision 0", template: nginx, collision: ptr.To[int32](0), want: "6c45b6f5fb"},
		{name: "nginx, collision 1", template: nginx, collision: ptr.To[int32](1), want: "86bd6f5b6f"},
		{name: "nginx, collision 2", template: nginx, collision: ptr.To[int32](2), want: "597ffdbcbb"},
		{name: "nginx with empty annotations", template: nginxEmptyAnnotations, want: "bd94f7467"},
		{name: "empty template", template: &v1.PodTemplateSpec{}, want: "54f4c57dcb"},
		{name: "nil template hashes as empty", template: nil, want: "54f4c57dcb"},
		{name: "web", template: web, want: "697989d84b"},
		{name: "web, collision 1", template: web, collision: ptr.To[int32](1), want: "dfd54d8dc"},
		{name: "canonical cpu quantity", template: decodeTemplate(t, `{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}}`), want: "7cdf65659c"},
		{name: "non-canonical cpu quantity", template: decodeTemplate(t, `{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1000m"}}}]}}`), want: "69d8b85c4d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ComputeHash(tt.template, tt.collision); got != tt.want {
				t.Errorf("ComputeHash = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestComputeHashDoesNotMutateTemplate(t *testing.T) {
	tmpl := templateWith(map[string]string{"app": "nginx"}, "nginx", "nginx:1.25")
	before := tmpl.DeepCopy()
	_ = ComputeHash(tmpl, ptr.To[int32](3))
	if !equalTemplates(tmpl, before) {
		t.Error("ComputeHash modified its template")
	}
}

func equalTemplates(a, b *v1.PodTemplateSpec) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestPropertyComputeHashShape(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tmpl := templateWith(
			rapid.MapOf(rapid.StringN(0, 8, -1), rapid.StringN(0, 8, -1)).Draw(t, "labels"),
			rapid.String().Draw(t, "container"),
			rapid.String().Draw(t, "image"),
		)
		var collision *int32
		if rapid.Bool().Draw(t, "collides") {
			collision = ptr.To(rapid.Int32().Draw(t, "collisionCount"))
		}
		h := ComputeHash(tmpl, collision)
		if len(h) == 0 || len(h) > 10 || strings.Trim(h, "456789bcdf") != "" {
			t.Fatalf("hash %q is not 1-10 characters of the safe alphabet", h)
		}
		if again := ComputeHash(tmpl.DeepCopy(), collision); again != h {
			t.Fatalf("a deep copy hashes to %q, not %q", again, h)
		}
	})
}
