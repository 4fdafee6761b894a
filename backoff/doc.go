// Package backoff holds every back-off rule the workload controllers (and
// the kubelet under them) apply, as pure functions of an explicit record and
// the current time.
//
// Upstream keeps back-off state in controller memory. Here that state is a
// plain value — a JobRecord, an Entry — that the caller stores, passes in
// and gets back; nothing in this package reads a clock or keeps anything
// between calls.
//
// # Job pod re-creation, whole Job
//
// After pods fail, the Job controller waits before creating replacements:
// 10 s after one failure since the last success, doubling per failure, at
// most 10 minutes (JobDelay: 10, 20, 40, 80, 160, 320, 600, 600 … s). The
// record (JobRecord) counts failures since the last success and the finish
// time of the latest one (PodFinishedTime); NextJobRecord folds in the pods
// that finished since the previous sync, JobRemaining says how long is left,
// and JobRequeueAfter how long the controller sleeps (at least 1 s).
//
// # Job pod re-creation, per index
//
// For a Job with backoffLimitPerIndex the wait is per index, and the record
// is the pods themselves: the failure count annotations of the index's last
// failed pod (IndexFailures) and that pod's finish time. JobIndexRemaining
// computes it; the whole-Job record is not used.
//
// # Failed daemon pods
//
// The DaemonSet controller deletes a failed daemon pod at most once per
// back-off step per node: 1 s, 2 s, 4 s … 15 min, keyed by
// DaemonKey(ds.uid, ds.status.observedGeneration, node). DaemonFailedPod is
// one decision; DaemonPolicy is the Policy behind it, a mirror of client-go's
// flowcontrol.Backoff (Policy.Next, Policy.InBackOffSinceUpdate, Policy.GC).
//
// # Container restarts in the kubelet
//
// The kubelet restarts a crashed container after 0, 10, 20, 40, 80, 160,
// 300, 300 … s (CrashLoopPolicy, CrashLoopStep), per CrashLoopKey, and
// forgets the back-off once a run lasted about ten minutes. Only Job pods
// with restartPolicy OnFailure make this visible to a controller, through
// restartCount and the time pods stay running.
//
// # Losing the record
//
// Upstream never persists any of these records, so after a restart it does
// not rebuild them: it starts from nothing. A caller that lost its records
// reproduces upstream by doing the same:
//
//   - JobRecord: start from the zero JobRecord. The next sync folds in only
//     the pods newly finished in that sync (those still tracked by the
//     Job's finalizer and not yet counted in status), so earlier failures
//     are forgotten: no wait at all if none is new, else a wait that starts
//     again at 10 s per new failure.
//   - Per-index back-off: nothing is lost; it is read from pod annotations
//     and pod status on every sync.
//   - Daemon entries: start from an empty map. The next failed pod on each
//     node is deleted at once, and the back-off starts again at 1 s.
//   - Kubelet entries: a restarted kubelet starts from an empty map too; the
//     next restart of each crashed container is immediate, the one after
//     that waits 10 s.
//
// Dropping expired entries (Policy.GC) at any time is always safe: an
// expired entry already counts as absent.
package backoff
