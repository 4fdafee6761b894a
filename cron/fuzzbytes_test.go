package cron_test

import (
	"testing"

	batchv1 "k8s.io/api/batch/v1"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/fuzzcheck"
	"github.com/kubepure/kubepure/internal/fuzzstate"
	"github.com/kubepure/kubepure/workload"
)

// cronTarget is the Target shared by Reconcile and Explain, which take the
// same input; only run differs.
func cronTarget(r *fuzzstate.Reader, run func(fuzzstate.CronInput) fuzzcheck.Outcome) fuzzcheck.Target[fuzzstate.CronInput] {
	return fuzzcheck.Target[fuzzstate.CronInput]{
		Run:     run,
		Clone:   fuzzstate.CloneCron,
		Permute: func(in fuzzstate.CronInput) fuzzstate.CronInput { return fuzzstate.PermuteCron(r, in) },
	}
}

// checkReconcileBytes builds a CronJob sync input from data and applies
// every fuzzcheck check to Reconcile; it reports whether it was refused.
func checkReconcileBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	in := fuzzstate.CronJob(r)
	target := cronTarget(r, func(in fuzzstate.CronInput) fuzzcheck.Outcome {
		return fuzzcheck.Result(cron.Reconcile(in.State, in.Now, in.Options))
	})
	target.Owner = func(in fuzzstate.CronInput) *fuzzcheck.Owner {
		cj := in.State.CronJob
		return &fuzzcheck.Owner{
			Resource: workload.ResourceCronJobs, Namespace: cj.Namespace, Name: cj.Name, UID: cj.UID,
			Objects: map[string][]metav1.Object{workload.ResourceJobs: fuzzcheck.Objects(in.State.Jobs)},
			// Upstream's Replace deletes the Jobs status.active names,
			// fetched by name, whoever controls them (see State.Jobs).
			Allow: func(a workload.Action, _ metav1.Object) bool {
				return a.Verb == workload.Delete && listedActive(cj, a.Namespace, a.Name)
			},
		}
	}
	return target.Check(t, in)
}

// listedActive reports whether status.active names the Job.
func listedActive(cj *batchv1.CronJob, namespace, name string) bool {
	for _, ref := range cj.Status.Active {
		if ref.Namespace == namespace && ref.Name == name {
			return true
		}
	}
	return false
}

// checkExplainBytes applies the checks to Explain on the same inputs.
func checkExplainBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	in := fuzzstate.CronJob(r)
	target := cronTarget(r, func(in fuzzstate.CronInput) fuzzcheck.Outcome {
		e, err := cron.Explain(in.State, in.Now, in.Options)
		return fuzzcheck.Outcome{Memory: e, Err: err}
	})
	return target.Check(t, in)
}

// checkNextRunsBytes builds a NextRuns input from data (any schedule,
// mostly parseable) and checks NextRuns: the fuzzcheck checks, and that
// the ticks are at most n, strictly after the given time and increasing.
func checkNextRunsBytes(t testing.TB, data []byte) bool {
	in := fuzzstate.NextRuns(fuzzstate.NewReader(data))
	run := func(in fuzzstate.NextRunsInput) fuzzcheck.Outcome {
		runs, err := cron.NextRuns(in.CronJob, in.After, in.N, in.Options)
		return fuzzcheck.Outcome{Memory: runs, Err: err}
	}
	target := fuzzcheck.Target[fuzzstate.NextRunsInput]{Run: run, Clone: fuzzstate.CloneNextRuns}
	rejected := target.Check(t, in)
	runs, _ := cron.NextRuns(in.CronJob, in.After, in.N, in.Options)
	if len(runs) > max(in.N, 0) {
		t.Fatalf("schedule %q: %d ticks for n=%d", in.CronJob.Spec.Schedule, len(runs), in.N)
	}
	prev := in.After
	for _, tick := range runs {
		if !tick.After(prev) {
			t.Fatalf("schedule %q after %s: tick %s is not after %s", in.CronJob.Spec.Schedule, in.After, tick, prev)
		}
		prev = tick
	}
	return rejected
}

// FuzzReconcileBytes decodes the fuzzer's bytes into a CronJob sync input
// and checks Reconcile: no panic, no mutation, no shared memory,
// determinism, order independence, and no call on another owner's Job.
func FuzzReconcileBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkReconcileBytes(t, data) })
}

// FuzzExplainBytes checks Explain on the same inputs.
func FuzzExplainBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkExplainBytes(t, data) })
}

// FuzzNextRunsBytes checks schedule parsing and NextRuns on schedules
// assembled from the fuzzer's bytes.
func FuzzNextRunsBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkNextRunsBytes(t, data) })
}

// TestFuzzBytesAcceptance runs the checks on a fixed sample of inputs and
// keeps the share the builders get refused low.
func TestFuzzBytesAcceptance(t *testing.T) {
	t.Run("Reconcile", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkReconcileBytes) })
	t.Run("Explain", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkExplainBytes) })
	t.Run("NextRuns", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkNextRunsBytes) })
}
