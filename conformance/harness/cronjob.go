package harness

import (
	"fmt"
	"time"

	batch "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller/cronjob"
)

// CronJobState is what one CronJob sync observes.
type CronJobState struct {
	CronJob *batch.CronJob
	Jobs    []*batch.Job
}

// CronJobResult adds to Result the requeue delay the CronJob sync returns
// and the events it recorded, each as "<type> <reason> <message>".
type CronJobResult struct {
	Result
	RequeueAfter *time.Duration
	Events       []string
}

// SyncCronJob runs one sync of the upstream CronJob controller on state,
// with the controller's clock function set to return now.
func SyncCronJob(state CronJobState, now time.Time) (CronJobResult, error) {
	return syncOnce(PrepareCronJobSync(state, now))
}

// PrepareCronJobSync builds the cluster and the controller for one CronJob
// sync and returns the sync itself, to be called once, and a function that
// releases what the controller started. Benchmarks time the sync alone
// with it.
func PrepareCronJobSync(state CronJobState, now time.Time) (sync func() (CronJobResult, error), done func(), err error) {
	var cjs, jobs []runtime.Object
	if state.CronJob != nil {
		cjs = append(cjs, state.CronJob)
	}
	for _, j := range state.Jobs {
		jobs = append(jobs, j)
	}
	c, err := NewCluster(append(append([]runtime.Object(nil), cjs...), jobs...)...)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := quietContext()
	jobInf := c.Informers.Batch().V1().Jobs()
	cjInf := c.Informers.Batch().V1().CronJobs()
	jm, err := cronjob.NewControllerV2(ctx, jobInf, cjInf, c.Client)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	done = func() {
		shutDownQueue(jm, "queue")
		cancel()
	}
	fail := func(err error) (func() (CronJobResult, error), func(), error) {
		done()
		return nil, nil, err
	}
	if !setField(jm, "now", func() time.Time { return now }) {
		return fail(errNoClockField)
	}
	// The fake recorder blocks when its buffer is full. A sync records at
	// most two events per Job (a history delete, then a completion or an
	// unexpected Job), two per status.active entry (missing, or replaced)
	// and a handful more.
	size := 2*len(state.Jobs) + 16
	if state.CronJob != nil {
		size += 2 * len(state.CronJob.Status.Active)
	}
	recorder := record.NewFakeRecorder(size)
	if !setField(jm, "recorder", record.EventRecorder(recorder)) {
		return fail(fmt.Errorf("cannot replace the CronJob controller's event recorder"))
	}
	if err := Fill(cjInf.Informer(), cjs...); err != nil {
		return fail(err)
	}
	if err := Fill(jobInf.Informer(), jobs...); err != nil {
		return fail(err)
	}
	sync = func() (CronJobResult, error) {
		requeue, syncErr := syncCronJob(jm, ctx, keyOf(state.CronJob))
		calls, err := Calls(c.Client.Actions())
		if err != nil {
			return CronJobResult{}, err
		}
		var events []string
		for len(recorder.Events) > 0 {
			events = append(events, <-recorder.Events)
		}
		return CronJobResult{Result: Result{Calls: calls, SyncErr: syncErr}, RequeueAfter: requeue, Events: events}, nil
	}
	return sync, done, nil
}
