package replicaset_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/replicaset"
)

// TestReplicaSetScenarios runs the spec scenarios in testdata/scenarios.
// Each "reconcile" block lists a ReplicaSet (the first replicaset line; any
// further ones are its siblings) and pods, and expects the plan of one sync.
// Options: now=<duration> moves the clock forward from scenario.Epoch;
// pending marks expectations as pending. Rewrite expected output with
// go test ./replicaset -run Scenarios -rewrite, then read the diff.
func TestReplicaSetScenarios(t *testing.T) {
	datadriven.Walk(t, "testdata/scenarios", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "reconcile" {
				d.Fatalf(t, "unknown command %q", d.Cmd)
			}
			now := scenario.Epoch
			if d.HasArg("now") {
				var s string
				d.ScanArgs(t, "now", &s)
				shift, err := time.ParseDuration(s)
				if err != nil {
					d.Fatalf(t, "now=%s: %v", s, err)
				}
				now = now.Add(shift)
			}
			lines, err := scenario.ParseLines(d.Input)
			if err != nil {
				return fmt.Sprintf("scenario error: %v\n", err)
			}
			w, err := scenario.Build(lines, now)
			if err != nil {
				return fmt.Sprintf("scenario error: %v\n", err)
			}
			state := replicaset.State{Pods: w.Pods, ExpectationsPending: d.HasArg("pending")}
			if len(w.ReplicaSets) > 0 {
				state.ReplicaSet = w.ReplicaSets[0]
				state.ReplicaSets = w.ReplicaSets[1:]
			}
			plan, err := replicaset.Reconcile(state, now)
			if err != nil {
				return fmt.Sprintf("error: %v\n", err)
			}
			return scenario.RenderPlan(plan.Plan, scenario.ReplicaSetStatus)
		})
	})
}
