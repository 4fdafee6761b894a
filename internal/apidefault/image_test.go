package apidefault

import (
	"strings"
	"testing"

	v1 "k8s.io/api/core/v1"
)

// TestPullPolicy pins the pull policy of references on both sides of the
// API server's image-name parser; the conformance module checks the same
// rule against the parser itself on generated references.
func TestPullPolicy(t *testing.T) {
	hex64 := strings.Repeat("a", 64)
	for _, tc := range []struct {
		image string
		want  v1.PullPolicy
	}{
		{"nginx", v1.PullAlways},
		{"nginx:latest", v1.PullAlways},
		{"nginx:1.27", v1.PullIfNotPresent},
		{"registry.example:5000/team/app", v1.PullAlways},
		{"registry.example:5000/team/app:v2", v1.PullIfNotPresent},
		{"localhost/app", v1.PullAlways},
		{"index.docker.io/library/nginx:latest", v1.PullAlways},
		{"Foo/bar", v1.PullAlways},                             // an upper-case first segment is a registry host
		{"app@sha256:" + hex64, v1.PullIfNotPresent},           // digest only
		{"app:latest@sha256:" + hex64, v1.PullAlways},          // the tag still says latest
		{"Busybox", v1.PullIfNotPresent},                       // upper-case repository: rejected
		{"busybox:LATEST", v1.PullIfNotPresent},                // tags are case-sensitive
		{"", v1.PullIfNotPresent},                              // empty: rejected
		{hex64, v1.PullIfNotPresent},                           // a bare image ID is not a name
		{"app@sha256:" + hex64[:63], v1.PullIfNotPresent},      // digest of the wrong length
		{"app@md5:" + hex64[:32], v1.PullIfNotPresent},         // unknown digest algorithm
		{strings.Repeat("a/", 130) + "b", v1.PullIfNotPresent}, // path longer than 255
	} {
		if got := pullPolicy(tc.image); got != tc.want {
			t.Errorf("pullPolicy(%q) = %s, want %s", tc.image, got, tc.want)
		}
	}
}
