package job_test

import (
	"encoding/json"
	"testing"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/job"
)

// FuzzReconcile drives generated states, some mangled in ways the API
// server would refuse, through Reconcile and ReconcileTTL: they must
// return a plan or an error, never panic.
func FuzzReconcile(f *testing.F) {
	gen.Fuzz(f, func(t *rapid.T) {
		g := gen.Job(t, propNow)
		j := g.Job
		neg := int32(-1)
		switch rapid.IntRange(0, 12).Draw(t, "mangle") {
		case 1:
			j.Spec.Parallelism = nil
		case 2:
			j.Spec.Selector = nil
		case 3:
			g.Pods = append(g.Pods, nil)
		case 4:
			g.Job = nil
		case 5:
			j.Spec.Completions = &neg
		case 6:
			j.Spec.BackoffLimit = nil
		case 7:
			mode := batch.CompletionMode("Sometimes")
			j.Spec.CompletionMode = &mode
		case 8:
			j.Spec.BackoffLimitPerIndex = &neg
		case 9:
			j.Status.CompletedIndexes = rapid.SampledFrom([]string{"x", "-1", "3-1", "1,,2", "99999999999999999999", "0-"}).Draw(t, "badIndexes")
		case 10:
			j.Spec.Template.Labels = nil
		case 11:
			if len(g.Pods) > 0 {
				g.Pods[0].Annotations = map[string]string{batch.JobCompletionIndexAnnotation: "-5", batch.JobIndexFailureCountAnnotation: "99999999999"}
			}
		case 12:
			j.Status.UncountedTerminatedPods = &batch.UncountedTerminatedPods{Failed: []typesUID{""}}
		}
		_, _ = job.Reconcile(stateOf(g), propNow)
		_, _ = job.ReconcileTTL(g.Job, propNow)
	})
}

type typesUID = types.UID

// FuzzReconcileJSON decodes arbitrary bytes as a Job and a pod and syncs
// them: whatever the decoder accepts must give a plan or an error.
func FuzzReconcileJSON(f *testing.F) {
	g := gen.JobAtScale(3, true, propNow)
	jb, _ := json.Marshal(g.Job)
	pb, _ := json.Marshal(g.Pods[0])
	f.Add(jb, pb)
	f.Add([]byte(`{"spec":{"completionMode":"Indexed","parallelism":1,"backoffLimit":1}}`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, jobJSON, podJSON []byte) {
		var j batch.Job
		var p v1.Pod
		if json.Unmarshal(jobJSON, &j) != nil || json.Unmarshal(podJSON, &p) != nil {
			return
		}
		_, _ = job.Reconcile(job.State{Job: &j, Pods: []*v1.Pod{&p}}, propNow)
		_, _ = job.ReconcileTTL(&j, propNow)
	})
}
