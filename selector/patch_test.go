package selector

import (
	"encoding/json"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

func TestAdoptPatch(t *testing.T) {
	tests := []struct {
		name       string
		gvk        schema.GroupVersionKind
		owner      string
		ownerUID   types.UID
		objUID     types.UID
		finalizers []string
		want       string
	}{
		{
			name: "replicaset", gvk: rsGVK, owner: "x", ownerUID: "u", objUID: "p",
			want: `{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"x","uid":"u","controller":true,"blockOwnerDeletion":true}],"uid":"p"}}`,
		},
		{
			name: "core group has no slash", gvk: schema.GroupVersionKind{Version: "v1", Kind: "ReplicationController"}, owner: "x", ownerUID: "u", objUID: "p",
			want: `{"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"ReplicationController","name":"x","uid":"u","controller":true,"blockOwnerDeletion":true}],"uid":"p"}}`,
		},
		{
			name: "job adds its finalizer", gvk: schema.GroupVersionKind{Group: "batch", Version: "v1", Kind: "Job"}, owner: "pi", ownerUID: "j", objUID: "p",
			finalizers: []string{"batch.kubernetes.io/job-tracking"},
			want:       `{"metadata":{"ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"pi","uid":"j","controller":true,"blockOwnerDeletion":true}],"uid":"p","finalizers":["batch.kubernetes.io/job-tracking"]}}`,
		},
		{
			name: "html characters and invalid utf-8 escaped as encoding/json does", gvk: rsGVK, owner: "a<b>&\"c", ownerUID: "u\u2028", objUID: "\xff",
			want: `{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a\u003cb\u003e\u0026\"c","uid":"u\u2028","controller":true,"blockOwnerDeletion":true}],"uid":"\ufffd"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AdoptPatch(tt.gvk, tt.owner, tt.ownerUID, tt.objUID, tt.finalizers...))
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if !json.Valid([]byte(got)) {
				t.Error("not JSON")
			}
		})
	}
}

func TestReleasePatch(t *testing.T) {
	tests := []struct {
		name       string
		ownerUID   types.UID
		objUID     types.UID
		finalizers []string
		want       string
	}{
		{name: "plain", ownerUID: "u", objUID: "p", want: `{"metadata":{"uid":"p","ownerReferences":[{"$patch":"delete","uid":"u"}]}}`},
		{
			name: "job removes its finalizer", ownerUID: "j", objUID: "p", finalizers: []string{"batch.kubernetes.io/job-tracking"},
			want: `{"metadata":{"uid":"p","ownerReferences":[{"$patch":"delete","uid":"j"}],"$deleteFromPrimitiveList/finalizers":["batch.kubernetes.io/job-tracking"]}}`,
		},
		{name: "escaping", ownerUID: "<&>", objUID: "", want: `{"metadata":{"uid":"","ownerReferences":[{"$patch":"delete","uid":"\u003c\u0026\u003e"}]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(ReleasePatch(tt.ownerUID, tt.objUID, tt.finalizers...)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
