package job

import (
	"fmt"
	"slices"
	"testing"
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/job"
)

func TestTTLAfterFinishedConformance(t *testing.T) {
	seen := check.Coverage{}
	check.Run(t, "TTLAfterFinished", func(rt *rapid.T) string {
		j := ttlJob(rt, syncTime)
		up, err := harness.SyncTTLAfterFinished(j, syncTime)
		if err != nil {
			return "harness: " + err.Error()
		}
		plan, err := job.ReconcileTTL(j, syncTime)
		if err != nil {
			return "kubepure refused a valid job: " + err.Error()
		}
		switch {
		case len(plan.Actions) > 0:
			seen.Add("delete")
		case plan.RequeueAfter > 0:
			seen.Add("requeue after")
		case plan.Requeue:
			seen.Add("rate-limited")
		default:
			seen.Add("nothing")
		}
		var upAfter time.Duration
		if n := len(up.RequeueAfter); n > 0 {
			upAfter = up.RequeueAfter[n-1]
		}
		// A sync that returns an error is retried with rate limiting by the
		// worker; the plan says so with Requeue.
		wantEv, gotEv := harness.EventStrings(up.Events, nil), harness.EventStrings(plan.Events, nil)
		if d := harness.DiffCalls(render(up.Calls), render(plan.Actions)); d != "" || !slices.Equal(wantEv, gotEv) ||
			upAfter != plan.RequeueAfter || (up.SyncErr != nil) != plan.Requeue || len(up.RequeueAfter) > 1 {
			return fmt.Sprintf("job: ttl=%v deleting=%v conditions=%+v\n%s\nrequeue: upstream %v err=%v, kubepure %v requeue=%v\nevents: upstream %q, kubepure %q",
				deref(j.Spec.TTLSecondsAfterFinished), j.DeletionTimestamp != nil, j.Status.Conditions, d, up.RequeueAfter, up.SyncErr, plan.RequeueAfter, plan.Requeue, wantEv, gotEv)
		}
		return ""
	})
	seen.Require(t, "delete", "requeue after", "rate-limited", "nothing")
}

// ttlJob draws a Job as the TTL controller sees it: finished or not, with
// or without a TTL, a finish time before, at or after the expiry.
func ttlJob(t *rapid.T, now time.Time) *batch.Job {
	j := &batch.Job{ObjectMeta: metav1.ObjectMeta{Name: gen.JobName, Namespace: gen.Namespace, UID: gen.JobUID, ResourceVersion: "3"}}
	if rapid.IntRange(0, 5).Draw(t, "hasTTL") > 0 {
		j.Spec.TTLSecondsAfterFinished = ptr.To(int32(rapid.SampledFrom([]int{0, 10, 60, 3600}).Draw(t, "ttl")))
	}
	if rapid.IntRange(0, 9).Draw(t, "deleting") == 0 {
		ts := metav1.NewTime(now.Add(-time.Second))
		j.DeletionTimestamp = &ts
	}
	for i := range rapid.IntRange(0, 3).Draw(t, "conditions") {
		ct := rapid.SampledFrom([]batch.JobConditionType{batch.JobComplete, batch.JobFailed, batch.JobSuspended, batch.JobFailureTarget, batch.JobSuccessCriteriaMet}).Draw(t, fmt.Sprintf("type%d", i))
		st := rapid.SampledFrom([]v1.ConditionStatus{v1.ConditionTrue, v1.ConditionTrue, v1.ConditionFalse}).Draw(t, fmt.Sprintf("status%d", i))
		var ts metav1.Time
		if rapid.IntRange(0, 9).Draw(t, fmt.Sprintf("zero%d", i)) > 0 {
			ts = metav1.NewTime(now.Add(-time.Duration(rapid.SampledFrom([]int{-30, 0, 9, 10, 11, 59, 60, 61, 3599, 3600, 4000}).Draw(t, fmt.Sprintf("age%d", i))) * time.Second))
		}
		j.Status.Conditions = append(j.Status.Conditions, batch.JobCondition{Type: ct, Status: st, LastTransitionTime: ts})
	}
	return j
}
