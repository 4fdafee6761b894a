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
// Reconcile takes no Options: no kube-controller-manager setting shapes a
// Job sync, and the feature gates that do are fixed at their 1.37 defaults
// (a suspended Job's startTime is cleared; Workload objects for Jobs, an
// alpha gate, are not created).
//
// Conditions follow upstream's two-step protocol. A failing Job first gets
// FailureTarget (reason PodFailurePolicy, BackoffLimitExceeded,
// DeadlineExceeded, MaxFailedIndexesExceeded or FailedIndexes) and its
// running pods are deleted; Failed follows in the sync that sees no pod
// terminating. A succeeding Job gets SuccessCriteriaMet (CompletionsReached
// or SuccessPolicy) and then Complete with completionTime, under the same
// rule. Once Complete or Failed, a Job gets no more calls.
//
// # Events
//
// A plan carries the events upstream records about the Job, in its order:
// SuccessfulCreate ("Created pod: " — the API server names the pod, so the
// plan's message has the request's empty name) and SuccessfulDelete
// ("Deleted pod: <name>") for each pod call, then Suspended or Resumed when
// the Suspended condition changes, then, after the status write that
// finishes the Job, Completed (preceded by the Warning TooManySucceededPods
// when status.succeeded ended above completions) or a Warning whose reason
// and message are the Failed condition's (BackoffLimitExceeded,
// DeadlineExceeded, PodFailurePolicy, MaxFailedIndexesExceeded,
// FailedIndexes). Upstream creates and deletes pods from concurrent
// goroutines, so the order among the pod events is its scheduler's; here
// it is the order of the calls. The TTL-after-finished controller records
// no events.
//
// # Upstream's guards, reproduced
//
// Some Jobs a cluster can hold are handled by the controller itself rather
// than by validation; the plan does what upstream does with them:
//
//   - an unknown spec.completionMode (stored by older API servers): a
//     Warning UnknownCompletionMode event, no call, no requeue, and the
//     back-off record kept as it was;
//   - spec.managedBy naming another controller: an empty plan;
//   - a Complete or Failed Job: an empty plan (and the back-off record
//     forgotten);
//   - manualSelector with the empty selector {}: every pod of the namespace
//     is selected, so every orphan there is adopted whatever its labels;
//   - completionMode, suspend or podReplacementPolicy unset (the API server
//     always defaults them): read as NonIndexed, false and
//     TerminatingOrFailed, as upstream reads them.
//
// Everything else the API server would refuse is an error naming the field:
// negative counts, podFailurePolicy rules beyond the server's limits (20
// rules, 255 exit codes, 20 condition patterns, exit code 0 under In,
// unordered or repeated codes, an invalid condition type, an unknown
// container), Indexed parallelism above 100,000, a pod template lacking a
// field the server always defaults, parallelism or backoffLimit unset,
// pods listed twice (by name or UID), a negative back-off count.
//
// # Upstream quirks, reproduced
//
//   - activeDeadlineSeconds of 9,223,372,037 or more overflows
//     time.Duration (the deadline becomes negative): the Job fails at once
//     with DeadlineExceeded, as upstream's does. 0 is valid and fails the
//     Job at its first sync.
//   - A Job resumed while it still carries an old startTime is checked
//     against activeDeadlineSeconds before the resume resets it, and fails
//     at once (see below).
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
