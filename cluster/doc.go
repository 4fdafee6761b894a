// Package cluster is an in-memory API server for the objects the workload
// controllers read and write, so that a user with manifests can run
// kubepure's controllers without writing a store of their own:
//
//   - Load: Deployments, ReplicaSets, DaemonSets, StatefulSets, Jobs,
//     CronJobs, Pods, Nodes, ControllerRevisions, PersistentVolumeClaims and
//     Namespaces from YAML or JSON;
//   - Default: every object exactly as the API server defaults it on create;
//   - Apply: a controller's plan, action by action, with the API server's
//     names, UIDs, resource versions, generations, registry strategies,
//     patches, preconditions, graceful deletion and finalizers, reporting
//     each failed action with the API server's status reason;
//   - GC: the garbage collector's background, foreground and orphan
//     deletion, as a step the caller runs;
//   - States: for any object, the State its controller package takes,
//     filled as that controller's informer caches would be, and a feed of
//     the objects changed since a revision.
//
// Default is the API server's registered defaulting of core/v1, apps/v1
// and batch/v1 for those kinds, proven byte for byte against upstream's
// own defaulting in the conformance module. The rest of the API server's
// create path (registry strategies such as a Job's generated selector)
// belongs to Apply and is not done by Default; admission plugins, quota
// and validation beyond what the controllers themselves refuse are not
// modelled.
//
// Loading (LoadFiles, LoadReader) reads multi-document YAML, JSON streams,
// lists and `kubectl get -o yaml` output into typed k8s.io/api objects,
// refusing unknown fields and unknown kinds (each error naming the file,
// line, document and kind; options skip or warn instead), and returns
// them as the API server would store them: namespaced, defaulted, and
// passed through the storage encoding, so that a quantity written "0.5"
// is the stored "500m" and a template hashes as the cluster's does.
//
// # Controllers: States, Reconcile and the change feed
//
// ReplicaSetState, DeploymentState, DaemonSetState, JobState and
// CronJobState fill the State a controller package takes, as the
// controller's informer caches would hold it, through the store's
// namespace and controller-owner indexes only (see states.go for what each
// holds). Reconcile builds the State, runs the controller and returns its
// plan; Apply applies it. The memory upstream controllers keep between
// syncs (Job and DaemonSet back-off) is kept in the Cluster, keyed by the
// owner's UID; the ReplicaSet controller's expectations are never pending,
// since the store shows each write at once. Affected maps the change feed
// (Changes) to the controller keys upstream's informer event handlers
// would enqueue, so that a driver syncs only what changed.
//
// # Garbage collection
//
// CollectGarbage is kube-controller-manager's garbage collector run to a
// fixed point: dependents whose owners are all gone are deleted in the
// background, foreground deletion waits for blocking dependents before
// the owner's foregroundDeletion finalizer is removed, orphan deletion
// removes the owner's references from its dependents before its orphan
// finalizer. It runs only when the caller calls it. A pod it deletes
// terminates gracefully and stays in the store until the driver's model of
// the kubelet removes it with ForceRemove.
package cluster
