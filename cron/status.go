package cron

import (
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// statusChange says in a few words what a status update changes, for the
// action's Reason. Upstream may write a status that did not change (after a
// history deletion of a Job that was not active, for one); that reads as
// "status unchanged".
func statusChange(old, cur *batchv1.CronJobStatus) string {
	var parts []string
	if a, b := activeNames(old.Active), activeNames(cur.Active); a != b {
		parts = append(parts, fmt.Sprintf("active [%s]->[%s]", a, b))
	}
	if !old.LastScheduleTime.Equal(cur.LastScheduleTime) {
		parts = append(parts, "lastScheduleTime "+stamp(old.LastScheduleTime)+"->"+stamp(cur.LastScheduleTime))
	}
	if !old.LastSuccessfulTime.Equal(cur.LastSuccessfulTime) {
		parts = append(parts, "lastSuccessfulTime "+stamp(old.LastSuccessfulTime)+"->"+stamp(cur.LastSuccessfulTime))
	}
	if len(parts) == 0 {
		return "status unchanged"
	}
	return "status: " + strings.Join(parts, ", ")
}

func activeNames(refs []corev1.ObjectReference) string {
	names := make([]string, len(refs))
	for i, r := range refs {
		names[i] = r.Name
	}
	return strings.Join(names, " ")
}

func stamp(t *metav1.Time) string {
	if t == nil {
		return "nil"
	}
	return t.UTC().Format(time.RFC3339)
}

// RecordCreated completes the status update of a plan once the caller has
// created a Job of it: the status.active entry for created's namespace and
// name that still lacks a UID takes created's UID and resourceVersion, as
// upstream's entry is built from the API server's response. It reports
// whether an entry was filled. The plan's status object is edited in place;
// it belongs to the plan, not to the caller's input.
func RecordCreated(p Plan, created *batchv1.Job) bool {
	if created == nil {
		return false
	}
	for _, a := range p.Actions {
		cj, ok := a.Object.(*batchv1.CronJob)
		if !ok {
			continue
		}
		for i := range cj.Status.Active {
			r := &cj.Status.Active[i]
			if r.UID == "" && r.Name == created.Name && r.Namespace == created.Namespace {
				r.UID = created.UID
				r.ResourceVersion = created.ResourceVersion
				return true
			}
		}
	}
	return false
}
