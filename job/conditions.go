package job

import (
	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
)

// condition builds a True condition of the Job, probed and changed now.
func (s *syncer) condition(t batch.JobConditionType, reason, message string) *batch.JobCondition {
	return &batch.JobCondition{
		Type: t, Status: v1.ConditionTrue, Reason: reason, Message: message,
		LastProbeTime: s.nowMeta, LastTransitionTime: s.nowMeta,
	}
}

// ensureCondition makes the first condition of type t carry status,
// reason and message, replacing it whole (both times now) when any of them
// differs. A missing condition is appended unless its status would be
// False: a condition never appears as False from nothing. It reports
// whether the conditions changed.
func (s *syncer) ensureCondition(t batch.JobConditionType, status v1.ConditionStatus, reason, message string) bool {
	conds := s.job.Status.Conditions
	if c := findCondition(conds, t); c != nil {
		if c.Status == status && c.Reason == reason && c.Message == message {
			return false
		}
		*c = *s.condition(t, reason, message)
		c.Status = status
		return true
	}
	if status == v1.ConditionFalse {
		return false
	}
	nc := s.condition(t, reason, message)
	nc.Status = status
	s.job.Status.Conditions = append(conds, *nc)
	return true
}

// findCondition returns the first condition of type t, nil if none.
func findCondition(conds []batch.JobCondition, t batch.JobConditionType) *batch.JobCondition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}
