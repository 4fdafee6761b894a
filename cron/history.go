package cron

import (
	"fmt"
	"slices"

	batchv1 "k8s.io/api/batch/v1"
)

// cleanupFinished keeps at most spec.successfulJobsHistoryLimit Complete
// and spec.failedJobsHistoryLimit Failed Jobs, deleting the oldest by start
// time (successful ones first), and reports whether the status must be
// written: upstream says so after any deletion, whether or not the Job was
// in status.active. A nil limit keeps everything. Running Jobs never count.
func (s *syncer) cleanupFinished() bool {
	spec := s.written.Spec
	if spec.SuccessfulJobsHistoryLimit == nil && spec.FailedJobsHistoryLimit == nil {
		return false
	}
	var complete, failed []*batchv1.Job
	for _, j := range s.owned {
		switch finishedCondition(j) {
		case batchv1.JobComplete:
			complete = append(complete, j)
		case batchv1.JobFailed:
			failed = append(failed, j)
		}
	}
	dirty := false
	if l := spec.SuccessfulJobsHistoryLimit; l != nil && s.trimHistory(complete, int(*l), "successfulJobsHistoryLimit", "Complete") {
		dirty = true
	}
	if l := spec.FailedJobsHistoryLimit; l != nil && s.trimHistory(failed, int(*l), "failedJobsHistoryLimit", "Failed") {
		dirty = true
	}
	return dirty
}

// trimHistory deletes the oldest len(jobs)-limit of jobs.
func (s *syncer) trimHistory(jobs []*batchv1.Job, limit int, field, state string) bool {
	excess := len(jobs) - limit
	if excess <= 0 {
		return false
	}
	oldest := slices.SortedFunc(slices.Values(jobs), compareStartTimes)[:excess]
	reason := fmt.Sprintf("%s %d with %d %s Jobs", field, limit, len(jobs), state)
	for _, j := range oldest {
		s.deleteJob(j, reason)
	}
	return true
}
