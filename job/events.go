package job

// Reasons of the events the Job controller records about a Job, besides
// its pod control's workload.EventSuccessfulCreate and
// workload.EventSuccessfulDelete (one per pod created or deleted). A Job
// that fails gets a Warning whose reason and message are those of its
// Failed condition (batch.JobReasonBackoffLimitExceeded,
// batch.JobReasonDeadlineExceeded, batch.JobReasonPodFailurePolicy,
// batch.JobReasonMaxFailedIndexesExceeded, batch.JobReasonFailedIndexes).
// The TTL-after-finished controller records no events.
const (
	// EventCompleted (Normal) follows the status write that adds the
	// Complete condition.
	EventCompleted = "Completed"
	// EventTooManySucceededPods (Warning) comes just before Completed when
	// status.succeeded ended above spec.completions: pods that were
	// already running when the last completion was reached succeeded too.
	EventTooManySucceededPods = "TooManySucceededPods"
	// EventSuspended and EventResumed (Normal) accompany the change of the
	// Suspended condition.
	EventSuspended = "Suspended"
	EventResumed   = "Resumed"
	// EventUnknownCompletionMode (Warning) is all a sync does for a Job
	// whose completionMode the controller does not know.
	EventUnknownCompletionMode = "UnknownCompletionMode"
)
