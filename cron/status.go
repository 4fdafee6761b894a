package cron

import (
	"fmt"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// statusChange says in a few words what a status update changes, for the
// action's Reason: the Jobs that leave and join status.active (the first
// few by name, then a count) and the times that move. Upstream may write a
// status that did not change (after a history deletion of a Job that was
// not active, for one); that reads as "status unchanged".
func statusChange(old, cur *batchv1.CronJobStatus) string {
	var parts []string
	if gone, added := activeDiff(old.Active, cur.Active); len(gone)+len(added) > 0 {
		var words []string
		if len(gone) > 0 {
			words = append(words, "-"+names(gone))
		}
		if len(added) > 0 {
			words = append(words, "+"+names(added))
		}
		parts = append(parts, fmt.Sprintf("active %s (%d listed)", strings.Join(words, " "), len(cur.Active)))
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

// activeDiff returns the entries of old that cur no longer has and those
// cur adds, by namespace, name and UID, each in list order.
func activeDiff(old, cur []corev1.ObjectReference) (gone, added []string) {
	type key struct {
		namespace, name string
		uid             types.UID
	}
	left := make(map[key]int, len(old))
	for _, r := range old {
		left[key{r.Namespace, r.Name, r.UID}]++
	}
	for _, r := range cur {
		k := key{r.Namespace, r.Name, r.UID}
		if left[k] > 0 {
			left[k]--
			continue
		}
		added = append(added, r.Name)
	}
	for _, r := range old {
		k := key{r.Namespace, r.Name, r.UID}
		if left[k] > 0 {
			left[k]--
			gone = append(gone, r.Name)
		}
	}
	return gone, added
}

// shownNames is how many names a status reason lists before counting.
const shownNames = 3

// names lists the first few names, then how many more there are.
func names(list []string) string {
	if len(list) <= shownNames {
		return strings.Join(list, ",")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(list[:shownNames], ","), len(list)-shownNames)
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
