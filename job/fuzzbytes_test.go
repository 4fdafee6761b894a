package job_test

import (
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/internal/fuzzcheck"
	"github.com/kubepure/kubepure/internal/fuzzstate"
	"github.com/kubepure/kubepure/job"
	"github.com/kubepure/kubepure/workload"
)

// checkReconcileBytes builds a Job sync state from data and applies every
// fuzzcheck check to Reconcile; it reports whether the state was refused.
// The tracking-finalizer removals the Job controller makes are patches of
// pods it controls, so the plain ownership rule covers them.
func checkReconcileBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	s := fuzzstate.Job(r, fuzzstate.Now)
	target := fuzzcheck.Target[job.State]{
		Run: func(s job.State) fuzzcheck.Outcome {
			plan, err := job.Reconcile(s, fuzzstate.Now)
			return fuzzcheck.Result(plan, err)
		},
		Clone:   fuzzstate.CloneJob,
		Permute: func(s job.State) job.State { return fuzzstate.PermuteJob(r, s) },
		Owner: func(s job.State) *fuzzcheck.Owner {
			j := s.Job
			return &fuzzcheck.Owner{
				Resource: workload.ResourceJobs, Namespace: j.Namespace, Name: j.Name, UID: j.UID,
				Objects: map[string][]metav1.Object{workload.ResourcePods: fuzzcheck.Objects(s.Pods)},
			}
		},
	}
	return target.Check(t, s)
}

// checkTTLBytes builds a Job from data and applies the checks to
// ReconcileTTL, whose only call is the delete of that Job.
func checkTTLBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	j := fuzzstate.TTLJob(r, fuzzstate.Now)
	target := fuzzcheck.Target[*batchv1.Job]{
		Run: func(j *batchv1.Job) fuzzcheck.Outcome {
			return fuzzcheck.Result(job.ReconcileTTL(j, fuzzstate.Now))
		},
		Clone: (*batchv1.Job).DeepCopy,
		Owner: func(j *batchv1.Job) *fuzzcheck.Owner {
			return &fuzzcheck.Owner{Resource: workload.ResourceJobs, Namespace: j.Namespace, Name: j.Name, UID: j.UID}
		},
	}
	return target.Check(t, j)
}

// FuzzReconcileBytes decodes the fuzzer's bytes into a Job sync state and
// checks Reconcile: no panic, no mutation, no shared memory, determinism,
// order independence, and no call on another owner's pod.
func FuzzReconcileBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkReconcileBytes(t, data) })
}

// FuzzReconcileTTLBytes decodes the fuzzer's bytes into a Job and checks
// ReconcileTTL likewise.
func FuzzReconcileTTLBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkTTLBytes(t, data) })
}

// TestFuzzBytesAcceptance runs the checks on a fixed sample of inputs and
// keeps the share the builders get refused low.
func TestFuzzBytesAcceptance(t *testing.T) {
	t.Run("Reconcile", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkReconcileBytes) })
	t.Run("TTL", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkTTLBytes) })
}
