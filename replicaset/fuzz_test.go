package replicaset_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/replicaset"
)

// FuzzReconcileReplicaSet drives generated states, mangled in ways the API
// server would refuse, through ReconcileReplicaSet: it must return a plan or
// an error, never panic.
func FuzzReconcileReplicaSet(f *testing.F) {
	gen.Fuzz(f, func(t *rapid.T) {
		g := gen.ReplicaSet(t, propNow)
		state := rsState(g)
		switch rapid.IntRange(0, 6).Draw(t, "mangle") {
		case 1:
			state.ReplicaSet.Spec.Replicas = nil
		case 2:
			state.ReplicaSet.Spec.Selector = nil
		case 3:
			state.Pods = append(state.Pods, nil)
		case 4:
			state.ReplicaSets = append(state.ReplicaSets, nil)
		case 5:
			state.ReplicaSet = nil
		case 6:
			neg := int32(-rapid.IntRange(1, 5).Draw(t, "negative"))
			state.ReplicaSet.Spec.Replicas = &neg
		}
		_, _ = replicaset.Reconcile(state, propNow)
	})
}
