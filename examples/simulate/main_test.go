package main

import (
	"strings"
	"testing"
)

// TestSimulationConverges runs the example end to end: the Deployment and
// ReplicaSet controllers together take the rollout to completion, twice
// over, and the story is the same every run.
func TestSimulationConverges(t *testing.T) {
	var first, second strings.Builder
	if err := run(&first); err != nil {
		t.Fatal(err)
	}
	if err := run(&second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("two runs differ:\n%s\n---\n%s", first.String(), second.String())
	}
	if n := strings.Count(first.String(), "(converged)"); n != 2 {
		t.Fatalf("want the creation and the rollout to converge, saw %d convergences:\n%s", n, first.String())
	}
	lines := strings.Split(strings.TrimSpace(first.String()), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, "(converged)") || !strings.Contains(last, "(nginx:1.26) 3/3 ready") {
		t.Fatalf("the rollout did not end on the new image:\n%s", first.String())
	}
}
