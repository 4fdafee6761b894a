package daemon_test

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/fuzzcheck"
	"github.com/kubepure/kubepure/internal/fuzzstate"
	"github.com/kubepure/kubepure/workload"
)

// checkBytes builds a DaemonSet sync state from data and applies every
// fuzzcheck check to Reconcile; it reports whether the state was refused.
func checkBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	s := fuzzstate.DaemonSet(r, fuzzstate.Now)
	target := fuzzcheck.Target[daemon.State]{
		Run: func(s daemon.State) fuzzcheck.Outcome {
			return fuzzcheck.Result(daemon.Reconcile(s, fuzzstate.Now))
		},
		Clone:   fuzzstate.CloneDaemonSet,
		Permute: func(s daemon.State) daemon.State { return fuzzstate.PermuteDaemonSet(r, s) },
		Owner: func(s daemon.State) *fuzzcheck.Owner {
			ds := s.DaemonSet
			return &fuzzcheck.Owner{
				Resource: workload.ResourceDaemonSets, Namespace: ds.Namespace, Name: ds.Name, UID: ds.UID,
				Objects: map[string][]metav1.Object{
					workload.ResourcePods:                fuzzcheck.Objects(s.Pods),
					workload.ResourceControllerRevisions: fuzzcheck.Objects(s.Revisions),
				},
			}
		},
	}
	return target.Check(t, s)
}

// FuzzReconcileBytes decodes the fuzzer's bytes into a DaemonSet sync
// state and checks Reconcile: no panic, no mutation, no shared memory,
// determinism, order independence, and no call on another owner's pod or
// revision.
func FuzzReconcileBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkBytes(t, data) })
}

// TestFuzzBytesAcceptance runs the checks on a fixed sample of inputs and
// keeps the share the builder gets refused low.
func TestFuzzBytesAcceptance(t *testing.T) {
	fuzzcheck.Acceptance(t, 400, checkBytes)
}
