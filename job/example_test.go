package job_test

import (
	"fmt"
	"time"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/job"
)

// The pi Job of the Kubernetes documentation, as the API server stores it
// (defaults filled in): the first sync creates its pod and writes the
// status. The back-off record returned goes into the next State.
func ExampleReconcile() {
	one, limit, grace := int32(1), int32(4), int64(30)
	mode, no := batch.NonIndexedCompletion, false
	labels := map[string]string{batch.ControllerUidLabel: "pi-uid", batch.JobNameLabel: "pi"}
	j := &batch.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "pi", Namespace: "default", UID: "pi-uid"},
		Spec: batch.JobSpec{
			Parallelism: &one, Completions: &one, BackoffLimit: &limit,
			CompletionMode: &mode, Suspend: &no,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{batch.ControllerUidLabel: "pi-uid"}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: v1.PodSpec{
					Containers: []v1.Container{{
						Name: "pi", Image: "perl:5.34.0", Command: []string{"perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"},
						TerminationMessagePath: v1.TerminationMessagePathDefault, TerminationMessagePolicy: v1.TerminationMessageReadFile,
						ImagePullPolicy: v1.PullIfNotPresent,
					}},
					RestartPolicy: v1.RestartPolicyNever,
					DNSPolicy:     v1.DNSClusterFirst, SchedulerName: v1.DefaultSchedulerName,
					TerminationGracePeriodSeconds: &grace, SecurityContext: &v1.PodSecurityContext{},
				},
			},
		},
	}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	plan, err := job.Reconcile(job.State{Job: j}, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range plan.Actions {
		fmt.Println(a)
	}
	// The event names the pod as the create request does: the API server
	// generates the name, so it is empty here.
	for _, e := range plan.Events {
		fmt.Printf("event %s %s: %q\n", e.Type, e.Reason, e.Message)
	}
	pod := plan.Actions[0].Object.(*v1.Pod)
	fmt.Println("finalizers:", pod.Finalizers)
	fmt.Println("back-off failures:", plan.Backoff.FailuresAfterLastSuccess)
	// Output:
	// create pods default/pi-*: create pod
	// update-status jobs default/pi: status: active 0->1, ready nil->0, terminating nil->0, startTime set
	// event Normal SuccessfulCreate: "Created pod: "
	// finalizers: [batch.kubernetes.io/job-tracking]
	// back-off failures: 0
}

// A finished Job with ttlSecondsAfterFinished is deleted once the TTL has
// passed since its Complete condition.
func ExampleReconcileTTL() {
	ttl := int32(60)
	done := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	j := &batch.Job{
		ObjectMeta: metav1.ObjectMeta{Name: "pi", Namespace: "default", UID: "pi-uid"},
		Spec:       batch.JobSpec{TTLSecondsAfterFinished: &ttl},
		Status: batch.JobStatus{Conditions: []batch.JobCondition{{
			Type: batch.JobComplete, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(done),
		}}},
	}
	early, _ := job.ReconcileTTL(j, done.Add(20*time.Second))
	fmt.Println(early.String())
	due, _ := job.ReconcileTTL(j, done.Add(time.Minute))
	fmt.Println(due.Actions[0].Verb, due.Actions[0].Name, *due.Actions[0].DeleteOptions.PropagationPolicy)
	// Output:
	// requeue after 40s
	// delete pi Foreground
}
