package daemon

// The reasons of the events the DaemonSet controller records on the
// DaemonSet itself, besides its pod control's workload.EventSuccessfulCreate
// and workload.EventSuccessfulDelete after each pod create and delete.
const (
	// EventSelectingAll (Warning): the DaemonSet's selector is empty, and
	// the sync stops there.
	EventSelectingAll = "SelectingAll"
	// EventFailedDaemonPod (Warning): a failed daemon pod on a node that
	// keeps the DaemonSet is deleted (once per back-off step).
	EventFailedDaemonPod = "FailedDaemonPod"
	// EventSucceededDaemonPod (Normal): a daemon pod that exited
	// successfully is deleted so that a new one can start.
	EventSucceededDaemonPod = "SucceededDaemonPod"
)
