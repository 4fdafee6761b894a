package harness

import (
	"fmt"
	"reflect"
	"time"
	"unsafe"

	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clocktesting "k8s.io/utils/clock/testing"
)

// JobState is what one Job sync observes, and the pod re-creation back-off
// record the controller holds in memory for the Job when the sync starts.
type JobState struct {
	Job  *batch.Job
	Pods []*v1.Pod
	// Failures and LastFailure seed upstream's back-off record for the Job
	// (failuresAfterLastSuccess, lastFailureTime); Failures 0 leaves the
	// store empty, as in a freshly started controller.
	Failures    int32
	LastFailure *time.Time
}

// JobResult is one upstream Job sync and the back-off record the
// controller holds for the Job after it.
type JobResult struct {
	Result
	Failures    int32
	LastFailure *time.Time
}

// jobBackoffRecord has the layout of job.backoffRecord, the element of the
// Job controller's in-memory back-off store. The linked methods below take
// and return it by value; the layouts must stay identical.
type jobBackoffRecord struct {
	key                      string
	failuresAfterLastSuccess int32
	lastFailureTime          *time.Time
}

// updateJobBackoffRecord is job.(*backoffStore).updateBackoffRecord.
//
//go:linkname updateJobBackoffRecord k8s.io/kubernetes/pkg/controller/job.(*backoffStore).updateBackoffRecord
func updateJobBackoffRecord(store unsafe.Pointer, record jobBackoffRecord) error

// newJobBackoffRecord is job.(*backoffStore).newBackoffRecord; with no new
// pods it returns a copy of the stored record (or an empty one).
//
//go:linkname newJobBackoffRecord k8s.io/kubernetes/pkg/controller/job.(*backoffStore).newBackoffRecord
func newJobBackoffRecord(store unsafe.Pointer, key string, newSucceeded, newFailed []*v1.Pod) jobBackoffRecord

// SyncJob runs one sync of the upstream Job controller on state, built by
// job.newControllerWithClock on a fake clock reading now. The workload and
// pod-group informers are nil, as kube-controller-manager passes them
// while the WorkloadWithJob gate is off (its 1.37 default).
func SyncJob(state JobState, now time.Time) (JobResult, error) {
	return syncOnce(PrepareJobSync(state, now))
}

// PrepareJobSync builds the cluster and the controller for one Job sync and
// returns the sync, to be called once, and a function that releases what
// the controller started. Benchmarks time the sync alone with it.
func PrepareJobSync(state JobState, now time.Time) (sync func() (JobResult, error), done func(), err error) {
	// A nil Job syncs the key of a Job that does not exist.
	var jobs []runtime.Object
	if state.Job != nil {
		jobs = append(jobs, state.Job)
	}
	var pods []runtime.Object
	for _, p := range state.Pods {
		pods = append(pods, p)
	}
	c, err := NewCluster(append(append([]runtime.Object(nil), jobs...), pods...)...)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := quietContext()
	jobInf := c.Informers.Batch().V1().Jobs()
	podInf := c.Informers.Core().V1().Pods()
	jm, err := newJobControllerWithClock(ctx, c.Client, clocktesting.NewFakeClock(now), podInf, jobInf, nil, nil)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	done = func() {
		shutDownQueue(jm, "queue")
		shutDownQueue(jm, "orphanQueue")
		cancel()
	}
	fail := func(err error) (func() (JobResult, error), func(), error) {
		done()
		return nil, nil, err
	}
	// Both of the controller's recorders (its own, and its pod control's
	// for SuccessfulCreate and SuccessfulDelete) record into one log.
	events := &EventLog{}
	if !installEventLog(jm, events, []string{"recorder"}, []string{"podControl"}) {
		return fail(fmt.Errorf("cannot replace the Job controller's event recorders"))
	}
	queue := &recordingQueue{}
	if !replaceQueue(jm, "queue", queue) {
		return fail(fmt.Errorf("cannot wrap the Job controller's queue"))
	}
	store, ok := fieldPointer(jm, "podBackoffStore")
	if !ok {
		return fail(fmt.Errorf("cannot reach the Job controller's back-off store"))
	}
	key := keyOf(state.Job)
	if state.Failures != 0 || state.LastFailure != nil {
		if err := updateJobBackoffRecord(store, jobBackoffRecord{key: key, failuresAfterLastSuccess: state.Failures, lastFailureTime: state.LastFailure}); err != nil {
			return fail(err)
		}
	}
	if err := Fill(jobInf.Informer(), jobs...); err != nil {
		return fail(err)
	}
	if err := Fill(podInf.Informer(), pods...); err != nil {
		return fail(err)
	}
	sync = func() (JobResult, error) {
		syncErr := syncJob(jm, ctx, key)
		calls, err := Calls(c.Client.Actions())
		if err != nil {
			return JobResult{}, err
		}
		rec := newJobBackoffRecord(store, key, nil, nil)
		return JobResult{
			Result: Result{Calls: calls, SyncErr: syncErr, RequeueAfter: queue.after, RateLimited: queue.rateLimited,
				Events: events.Events(), Generated: c.Generated()},
			Failures:    rec.failuresAfterLastSuccess,
			LastFailure: rec.lastFailureTime,
		}, nil
	}
	return sync, done, nil
}

// fieldPointer returns the value of the unexported pointer field of a
// controller as an unsafe.Pointer.
func fieldPointer(controller any, field string) (unsafe.Pointer, bool) {
	v := reflect.ValueOf(controller)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil, false
	}
	f := v.Elem().FieldByName(field)
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() {
		return nil, false
	}
	return f.UnsafePointer(), true
}
