package replicaset_test

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/internal/fuzzcheck"
	"github.com/kubepure/kubepure/internal/fuzzstate"
	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/workload"
)

// checkBytes builds a ReplicaSet sync state from data and applies every
// fuzzcheck check to Reconcile; it reports whether the state was refused.
func checkBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	s := fuzzstate.ReplicaSet(r, fuzzstate.Now)
	target := fuzzcheck.Target[replicaset.State]{
		Run: func(s replicaset.State) fuzzcheck.Outcome {
			return fuzzcheck.Result(replicaset.Reconcile(s, fuzzstate.Now))
		},
		Clone:   fuzzstate.CloneReplicaSet,
		Permute: func(s replicaset.State) replicaset.State { return fuzzstate.PermuteReplicaSet(r, s) },
		Owner: func(s replicaset.State) *fuzzcheck.Owner {
			rs := s.ReplicaSet
			return &fuzzcheck.Owner{
				Resource: workload.ResourceReplicaSets, Namespace: rs.Namespace, Name: rs.Name, UID: rs.UID,
				Objects: map[string][]metav1.Object{workload.ResourcePods: fuzzcheck.Objects(s.Pods)},
			}
		},
	}
	return target.Check(t, s)
}

// FuzzReconcileBytes decodes the fuzzer's bytes into a ReplicaSet sync
// state and checks Reconcile: no panic, no mutation, no shared memory,
// determinism, order independence, and no call on another owner's pod.
func FuzzReconcileBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkBytes(t, data) })
}

// TestFuzzBytesAcceptance runs the checks on a fixed sample of inputs and
// keeps the share the builder gets refused low.
func TestFuzzBytesAcceptance(t *testing.T) {
	fuzzcheck.Acceptance(t, 400, checkBytes)
}
