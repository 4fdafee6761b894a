package job_test

import (
	"encoding/json"
	"testing"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"

	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/job"
)

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
