package rollout_test

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/internal/fuzzcheck"
	"github.com/kubepure/kubepure/internal/fuzzstate"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// checkReconcileBytes builds a Deployment sync state from data and applies
// every fuzzcheck check to Reconcile; it reports whether the state was
// refused.
func checkReconcileBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	s := fuzzstate.Deployment(r, fuzzstate.Now)
	target := fuzzcheck.Target[rollout.State]{
		Run: func(s rollout.State) fuzzcheck.Outcome {
			return fuzzcheck.Result(rollout.Reconcile(s, fuzzstate.Now))
		},
		Clone:   fuzzstate.CloneDeployment,
		Permute: func(s rollout.State) rollout.State { return fuzzstate.PermuteDeployment(r, s) },
		Owner: func(s rollout.State) *fuzzcheck.Owner {
			d := s.Deployment
			return &fuzzcheck.Owner{
				Resource: workload.ResourceDeployments, Namespace: d.Namespace, Name: d.Name, UID: d.UID,
				Objects: map[string][]metav1.Object{
					workload.ResourceReplicaSets: fuzzcheck.Objects(s.ReplicaSets),
					workload.ResourcePods:        fuzzcheck.Objects(s.Pods),
				},
			}
		},
	}
	return target.Check(t, s)
}

// checkUndoBytes builds an Undo input from data and applies the checks
// that fit a function without a plan: no panic, no mutation, no shared
// memory, determinism, order independence.
func checkUndoBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	in := fuzzstate.Undo(r, fuzzstate.Now)
	target := fuzzcheck.Target[fuzzstate.UndoInput]{
		Run: func(in fuzzstate.UndoInput) fuzzcheck.Outcome {
			d, err := rollout.Undo(in.Deployment, in.ReplicaSets, in.ToRevision)
			return fuzzcheck.Outcome{Memory: d, Err: err}
		},
		Clone:   fuzzstate.CloneUndo,
		Permute: func(in fuzzstate.UndoInput) fuzzstate.UndoInput { return fuzzstate.PermuteUndo(r, in) },
	}
	return target.Check(t, in)
}

// FuzzReconcileBytes decodes the fuzzer's bytes into a Deployment sync
// state and checks Reconcile: no panic, no mutation, no shared memory,
// determinism, order independence, and no call on another owner's object.
func FuzzReconcileBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkReconcileBytes(t, data) })
}

// FuzzUndoBytes decodes the fuzzer's bytes into an Undo input and checks
// Undo likewise.
func FuzzUndoBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkUndoBytes(t, data) })
}

// TestFuzzBytesAcceptance runs the checks on a fixed sample of inputs and
// keeps the share the builders get refused low.
func TestFuzzBytesAcceptance(t *testing.T) {
	t.Run("Reconcile", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkReconcileBytes) })
	t.Run("Undo", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkUndoBytes) })
}
