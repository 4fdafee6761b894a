package backoff

import (
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// The daemon controller's failed-pod back-off: kube-controller-manager
// builds it with flowcontrol.NewBackOff(1s, 15m), so entries expire after
// 2*15m = 30m of silence.
const (
	DaemonInitial     = time.Second
	DaemonMax         = 15 * time.Minute
	DaemonExpireAfter = 2 * DaemonMax
)

// DaemonPolicy is the Policy behind DaemonFailedPod. It is a function, not a
// package variable, so that no caller can change the rule under another.
func DaemonPolicy() Policy {
	return Policy{Initial: DaemonInitial, Max: DaemonMax, ExpireAfter: DaemonExpireAfter}
}

// DaemonKey is the key of the daemon controller's failed-pod back-off:
// "<ds.uid>/<ds.status.observedGeneration>/<nodeName>". The generation is
// the one in the DaemonSet's status when the sync starts, so a spec change
// that the controller has acknowledged starts every node afresh.
func DaemonKey(dsUID types.UID, observedGeneration int64, nodeName string) string {
	return string(dsUID) + "/" + strconv.FormatInt(observedGeneration, 10) + "/" + nodeName
}

// DaemonFailedPod is the daemon controller's decision for one failed daemon
// pod (not being deleted) on a node that should keep running it, given the
// node's back-off entry and the controller's clock now:
//
//   - in back-off (a live entry updated less than its delay ago): the pod is
//     kept for now, the entry is unchanged, and the DaemonSet is requeued
//     after the entry's whole current delay (not the part that is left);
//   - otherwise: the pod is deleted, and the entry advances (1 s, 2 s, 4 s …
//     15 min) with its last update at now. requeueAfter is 0.
//
// Several failed pods on one node in one sync share the key: pass the entry
// returned for the first to the second. With the same now, the second is
// then always in back-off.
func DaemonFailedPod(e Entry, now time.Time) (deletePod bool, next Entry, requeueAfter time.Duration) {
	p := DaemonPolicy()
	if p.InBackOffSinceUpdate(e, now) {
		return false, e, p.Current(e)
	}
	return true, p.Next(e, now, now), 0
}
