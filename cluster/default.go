package cluster

import (
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubepure/kubepure/internal/apidefault"
)

// Default fills in obj, in place, every field the API server (v1.37,
// default feature gates) defaults when it decodes an object of obj's kind:
// a Deployment's strategy, history limit and progress deadline, a Job's
// completions, parallelism, backoff limit and replacement policy, a
// template's restart and DNS policies, scheduler, grace period, security
// context, and each container's pull policy, termination message, port
// protocols and probe timings, and so on. Call it on objects read from
// manifests before handing them to a controller: a template that skipped
// defaulting hashes differently from the one a cluster stores, and the
// controllers refuse it.
//
// obj must be a pointer to a Deployment, ReplicaSet, DaemonSet,
// StatefulSet, ControllerRevision, Job, CronJob, Pod, Node,
// PersistentVolumeClaim or Namespace of k8s.io/api; any other object is an
// error and is left unchanged.
//
// Default applies defaulting only. What the API server's registry
// strategies change on create (a Job's generated selector and labels, a
// cleared status, generation 1) and what admission adds to pods are not
// defaults and are not applied.
func Default(obj runtime.Object) error {
	return apidefault.Object(obj)
}
