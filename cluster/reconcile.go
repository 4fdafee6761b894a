package cluster

import (
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/job"
	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// controllerMemory is what kube-controller-manager's controllers keep in
// process memory between syncs, kept here between Reconcile calls so that
// a driver need not carry it: the Job controller's pod re-creation
// back-off and the DaemonSet controller's failed-pod back-off, each keyed
// by the owner's UID (an object deleted and created again under its name
// starts afresh, as upstream's records are keyed by UID too). The
// ReplicaSet controller's expectations need no memory here: the store
// shows every write of a plan as soon as it is applied, so they are never
// pending. The Deployment and CronJob controllers keep none. A record
// outlives its object (upstream drops it when the informer reports the
// deletion); it is a few words per object and is never read again, since
// a new object has a new UID.
type controllerMemory struct {
	jobBackoff    map[types.UID]backoff.JobRecord
	daemonBackoff map[types.UID]map[string]backoff.Entry
}

// Reconcile builds the State of the object resource/namespace/name (one of
// the workload resources: deployments, replicasets, daemonsets, jobs,
// cronjobs) as its controller's informers would, runs that controller's
// Reconcile at now, and returns the plan; apply it with Apply.
//
// The controllers' memory between syncs (Job and DaemonSet back-off) is
// kept inside the Cluster: each call passes the record the previous call
// for the same object returned and keeps the one it gets back, as the
// controller process would, whether or not the plan is then applied. The
// CronJob controller runs with its default options (schedules without a
// time zone are read in UTC).
func (c *Cluster) Reconcile(resource, namespace, name string, now time.Time) (workload.Plan, error) {
	switch resource {
	case workload.ResourceReplicaSets:
		s, err := c.ReplicaSetState(namespace, name)
		if err != nil {
			return workload.Plan{}, err
		}
		p, err := replicaset.Reconcile(s, now)
		return p.Plan, err
	case workload.ResourceDeployments:
		s, err := c.DeploymentState(namespace, name)
		if err != nil {
			return workload.Plan{}, err
		}
		p, err := rollout.Reconcile(s, now)
		return p.Plan, err
	case workload.ResourceDaemonSets:
		s, err := c.DaemonSetState(namespace, name)
		if err != nil {
			return workload.Plan{}, err
		}
		p, err := daemon.Reconcile(s, now)
		if err != nil {
			return workload.Plan{}, err
		}
		if c.memory.daemonBackoff == nil {
			c.memory.daemonBackoff = map[types.UID]map[string]backoff.Entry{}
		}
		if len(p.Backoff) == 0 {
			delete(c.memory.daemonBackoff, s.DaemonSet.UID)
		} else {
			c.memory.daemonBackoff[s.DaemonSet.UID] = p.Backoff
		}
		return p.Plan, nil
	case workload.ResourceJobs:
		s, err := c.JobState(namespace, name)
		if err != nil {
			return workload.Plan{}, err
		}
		p, err := job.Reconcile(s, now)
		if err != nil {
			return workload.Plan{}, err
		}
		if c.memory.jobBackoff == nil {
			c.memory.jobBackoff = map[types.UID]backoff.JobRecord{}
		}
		if p.Backoff == (backoff.JobRecord{}) {
			delete(c.memory.jobBackoff, s.Job.UID)
		} else {
			c.memory.jobBackoff[s.Job.UID] = p.Backoff
		}
		return p.Plan, nil
	case workload.ResourceCronJobs:
		s, err := c.CronJobState(namespace, name)
		if err != nil {
			return workload.Plan{}, err
		}
		p, err := cron.Reconcile(s, now, cron.Options{})
		return p.Plan, err
	}
	return workload.Plan{}, errBadRequest("no controller of the store reconciles %q", resource)
}
