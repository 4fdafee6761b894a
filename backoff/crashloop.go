package backoff

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The kubelet's container restart ("CrashLoopBackOff") constants.
const (
	// CrashLoopInitial and CrashLoopMax are the default first and largest
	// restart delays.
	CrashLoopInitial = 10 * time.Second
	CrashLoopMax     = 300 * time.Second
	// CrashLoopReducedInitial and CrashLoopReducedMax apply with the
	// ReduceDefaultCrashLoopBackOffDecay feature gate (alpha, off by default).
	CrashLoopReducedInitial = 1 * time.Second
	CrashLoopReducedMax     = 60 * time.Second
	// CrashLoopReset is how long after an entry's last update a container
	// must have finished for its back-off to start over: a container that
	// ran for about ten minutes is forgiven.
	CrashLoopReset = 600 * time.Second
)

// CrashLoopConfig is the part of the kubelet's configuration and feature
// gates that shapes the restart back-off. The zero value is the default
// kubelet.
type CrashLoopConfig struct {
	// MaxContainerRestartPeriod is crashLoopBackOff.maxContainerRestartPeriod
	// of the kubelet configuration; 0 means unset, which the kubelet
	// defaults to 300 s. The kubelet accepts 1 s to 300 s (compared in whole
	// milliseconds).
	MaxContainerRestartPeriod time.Duration
	// ReducedDecay is the ReduceDefaultCrashLoopBackOffDecay feature gate
	// (alpha, off by default).
	ReducedDecay bool
	// DisableMaxOverride turns the KubeletCrashLoopBackOffMax feature gate
	// (beta, on by default) off; MaxContainerRestartPeriod must then be 0.
	DisableMaxOverride bool
}

// CrashLoopPolicy returns the restart back-off policy of a kubelet with
// this configuration. Without the override the kubelet uses 10 s / 300 s
// (1 s / 60 s with ReducedDecay). With it (the default), the configured
// maximum (default 300 s) replaces the maximum, and lowers the initial
// delay to itself when it is smaller. Entries expire after CrashLoopReset,
// whatever the maximum. A configuration the kubelet would refuse to start
// with is an error.
func CrashLoopPolicy(c CrashLoopConfig) (Policy, error) {
	path := field.NewPath("crashLoopBackOff", "maxContainerRestartPeriod")
	p := Policy{Initial: CrashLoopInitial, Max: CrashLoopMax, ExpireAfter: CrashLoopReset}
	if c.ReducedDecay {
		p.Initial, p.Max = CrashLoopReducedInitial, CrashLoopReducedMax
	}
	if c.DisableMaxOverride {
		if c.MaxContainerRestartPeriod != 0 {
			return Policy{}, field.ErrorList{field.Forbidden(path, "must not be set when the KubeletCrashLoopBackOffMax feature gate is off")}.ToAggregate()
		}
		return p, nil
	}
	limit := c.MaxContainerRestartPeriod
	if limit == 0 {
		limit = CrashLoopMax
	}
	if ms := limit.Milliseconds(); ms < 1000 || ms > 300000 {
		return Policy{}, field.ErrorList{field.Invalid(path, limit.String(), "must be between 1s and 300s")}.ToAggregate()
	}
	p.Max = limit
	if p.Max < p.Initial {
		p.Initial = p.Max
	}
	return p, nil
}

// CrashLoopKey is the kubelet's back-off key for a container of a pod: a
// 64-bit FNV-1a hash, in hexadecimal, of the pod's name, namespace and UID
// and the container's name, image and resources. Changing the image or the
// resources, or a new pod (new UID), therefore starts a fresh back-off. A
// nil pod or container gives "".
func CrashLoopKey(pod *v1.Pod, container *v1.Container) string {
	if pod == nil || container == nil {
		return ""
	}
	parts := []string{
		pod.Name,
		pod.Namespace,
		string(pod.UID),
		container.Name,
		container.Image,
		container.Resources.String(),
	}
	h := fnv.New64a()
	h.Write([]byte(strings.Join(parts, "/")))
	return strconv.FormatUint(h.Sum64(), 16)
}

// CrashLoopStep is the kubelet's decision, at its clock now, for an exited
// container whose last run finished at finishedAt, given the container's
// entry under p:
//
//   - in back-off (a live entry, judged at finishedAt, and less than its
//     delay since finishedAt): not started; retryAt = finishedAt + delay,
//     the entry is unchanged;
//   - otherwise: started now, and the entry advances (restarting at the
//     initial delay when missing or when finishedAt is more than
//     CrashLoopReset after its last update) with its last update at now.
//
// Successive quick crashes thus restart after 0, 10, 20, 40, 80, 160, 300,
// 300 … s with the default policy.
func (p Policy) CrashLoopStep(e Entry, finishedAt, now time.Time) (start bool, next Entry, retryAt time.Time) {
	if p.InBackOffSince(e, finishedAt, now) {
		return false, e, finishedAt.Add(e.Delay)
	}
	return true, p.Next(e, finishedAt, now), time.Time{}
}

// String renders the policy as "initial->max, expires after d".
func (p Policy) String() string {
	return fmt.Sprintf("%v->%v, expires after %v", p.Initial, p.Max, p.ExpireAfter)
}
