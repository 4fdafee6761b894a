package backoff

import (
	"math"
	"strconv"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
)

// IndexFailures is the number of earlier failures of the index a failed pod
// ran for, as a Job with backoffLimitPerIndex records it on the pod: the
// batch.kubernetes.io/job-index-failure-count annotation plus the
// batch.kubernetes.io/job-index-ignored-failure-count annotation. A missing
// annotation, or one that is not a decimal integer in [0, 2147483647],
// counts as 0. The sum is an int32 and wraps around as upstream's does.
// A nil pod gives 0.
func IndexFailures(p *v1.Pod) int32 {
	if p == nil {
		return 0
	}
	return CountAnnotation(p, batchv1.JobIndexFailureCountAnnotation) +
		CountAnnotation(p, batchv1.JobIndexIgnoredFailureCountAnnotation)
}

// JobIndexRemaining is how long, at now, the Job controller still waits
// before it re-creates the pod of one index of a Job with
// backoffLimitPerIndex. lastFailed is the index's latest failed pod whose
// deletion the controller has delayed; nil means no earlier failure, so no
// wait. The failure count is IndexFailures(lastFailed)+1 and the failure
// time PodFinishedTime(lastFailed); the delay follows JobDelay. The global
// JobRecord plays no part for such Jobs.
func JobIndexRemaining(lastFailed *v1.Pod, now time.Time) time.Duration {
	if lastFailed == nil {
		return 0
	}
	return remaining(JobDelay(IndexFailures(lastFailed)+1), PodFinishedTime(lastFailed), now)
}

// CountAnnotation parses one of the Job controller's count annotations on a
// pod (job-index-failure-count, job-index-ignored-failure-count) the way the
// controller does: strconv.Atoi, and a missing annotation or anything
// unparsable or outside [0, MaxInt32] is 0.
func CountAnnotation(p *v1.Pod, key string) int32 {
	s, ok := p.Annotations[key]
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > math.MaxInt32 {
		return 0
	}
	return int32(n)
}
