package cron

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// activeList is status.active of the CronJob copy a sync edits. Upstream
// scans the list for every Job it looks at and rebuilds it for every Job
// it drops, which costs time and memory quadratic in the number of listed
// Jobs (a CronJob listing thousands of finished Jobs takes gigabytes for
// one sync). Here a lookup is a map access and drops are collected and
// applied in one pass (flush) before anything reads the list's order or
// length, which leaves exactly the list upstream's edits leave.
type activeList struct {
	cj *batchv1.CronJob
	// listed counts the entries per UID still in the list.
	listed map[types.UID]int
	// dropped are the UIDs removed since the last flush.
	dropped map[types.UID]bool
	// touched says a drop was asked for since the last flush: upstream's
	// removal always leaves a new, non-nil list, even an empty one, even
	// when nothing matched.
	touched bool
}

func newActiveList(cj *batchv1.CronJob) *activeList {
	l := &activeList{cj: cj, listed: make(map[types.UID]int, len(cj.Status.Active))}
	for _, r := range cj.Status.Active {
		l.listed[r.UID]++
	}
	return l
}

// has reports whether the list holds an entry with this UID.
func (l *activeList) has(uid types.UID) bool {
	return l.listed[uid] > 0
}

// drop removes every entry with this UID.
func (l *activeList) drop(uid types.UID) {
	l.touched = true
	if l.listed[uid] == 0 {
		return
	}
	delete(l.listed, uid)
	if l.dropped == nil {
		l.dropped = map[types.UID]bool{}
	}
	l.dropped[uid] = true
}

// refs applies the pending drops and returns the list. The slice returned
// is not changed by later drops or adds, so a caller may range over it
// while dropping, as upstream ranges over the list it replaces.
func (l *activeList) refs() []corev1.ObjectReference {
	if !l.touched {
		return l.cj.Status.Active
	}
	kept := make([]corev1.ObjectReference, 0, len(l.cj.Status.Active)-len(l.dropped))
	for _, r := range l.cj.Status.Active {
		if !l.dropped[r.UID] {
			kept = append(kept, r)
		}
	}
	l.cj.Status.Active = kept
	l.touched, l.dropped = false, nil
	return kept
}

// hasName reports whether the list holds namespace/name.
func (l *activeList) hasName(namespace, name string) bool {
	for _, r := range l.refs() {
		if r.Name == name && r.Namespace == namespace {
			return true
		}
	}
	return false
}

// add appends an entry.
func (l *activeList) add(ref corev1.ObjectReference) {
	l.cj.Status.Active = append(l.refs(), ref)
	l.listed[ref.UID]++
}
