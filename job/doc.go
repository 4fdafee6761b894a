// Package job is the Job controller and the TTL-after-finished controller
// of kube-controller-manager v1.37.1 as pure functions.
//
//	plan, err := job.Reconcile(job.State{Job: j, Pods: pods, Backoff: rec}, now)
//	for _, a := range plan.Actions { apply(a) }
//	rec = plan.Backoff                 // keep for the next sync of j
//	requeue(plan.RequeueAfter)
//
// # One sync
//
// Reconcile is one syncJob. It claims pods (adopting orphans with the
// batch.kubernetes.io/job-tracking finalizer), decides whether the Job is
// finishing, deletes or creates pods, and tracks finished pods through
// status.uncountedTerminatedPods before it removes their finalizers, so
// that no pod is counted twice or lost even when a sync is cut short. The
// order of calls is upstream's: claim patches; pod deletes (each preceded
// by a finalizer removal when the pod is surplus) or pod creates; a status
// write; finalizer removals; a second status write with the counters.
//
// Conditions follow upstream's two-step protocol. A failing Job first gets
// FailureTarget (reason PodFailurePolicy, BackoffLimitExceeded,
// DeadlineExceeded, MaxFailedIndexesExceeded or FailedIndexes) and its
// running pods are deleted; Failed follows in the sync that sees no pod
// terminating. A succeeding Job gets SuccessCriteriaMet (CompletionsReached
// or SuccessPolicy) and then Complete with completionTime, under the same
// rule. Once Complete or Failed, a Job gets no more calls.
//
// # Counting rules worth knowing
//
//   - backoffLimit is exceeded when failed pods are more than it, but for
//     restartPolicy OnFailure when the container restarts of pending and
//     running pods reach it (exceed it when it is 0).
//   - activeDeadlineSeconds counts from status.startTime; a suspended Job
//     has its startTime cleared and set again when it resumes. A Job
//     resumed while still carrying an old startTime is checked against the
//     deadline before the resume resets it, and fails at once.
//   - With podReplacementPolicy TerminatingOrFailed (the default without a
//     podFailurePolicy) a pod being deleted counts as failed at once; with
//     Failed it occupies its slot until its phase is Failed.
//   - A work queue (completions unset) starts parallelism pods, stops
//     starting pods once one succeeded, and completes when none runs.
//   - Indexed Jobs give each pod an index (annotation and label
//     batch.kubernetes.io/job-completion-index, hostname <job>-<index>,
//     generateName <job>-<index>-, env JOB_COMPLETION_INDEX), count
//     succeeded indexes once each (completedIndexes "0-2,4,6,7"), delete
//     pods of repeated or out-of-range indexes, and with
//     backoffLimitPerIndex fail indexes one by one (failedIndexes).
//
// # Back-off, and the memory upstream keeps
//
// After pods fail the controller waits before creating replacements: 10 s,
// doubling per failure since the last success, at most 10 min
// (package backoff). Upstream keeps that record in controller memory; here
// it is State.Backoff in and Plan.Backoff out. A caller that lost it (a
// restart) passes the zero record, which is exactly what a restarted
// kube-controller-manager starts from: the next sync counts only the pods
// newly finished in it. Jobs with backoffLimitPerIndex keep their back-off
// on the pods (failure-count annotations) and need no record.
//
// Upstream also remembers which pod creates and deletes and which
// finalizer removals it has issued but not yet seen, and skips work until
// its informers catch up. Reconcile has no such memory: it plans the sync
// of a controller whose earlier writes are all visible in State, so a
// caller applies a plan and waits until its view shows the result before
// calling again.
//
// # Order
//
// Where upstream's outcome depends on informer order — which FailJob
// message is used when several pods match, which of equally ranked pods is
// deleted, which failed pod of an index is kept for its counts when counts
// and finish times disagree — Reconcile takes pods in namespace, name and
// UID order, so its plan never depends on the order of State.Pods.
//
// # TTL after finished
//
// ReconcileTTL is the TTL-after-finished controller: a finished Job with
// ttlSecondsAfterFinished is deleted (Foreground propagation, UID
// precondition) once the TTL has passed since it finished, and requeued
// until then.
package job
