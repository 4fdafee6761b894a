// Package cluster will be an in-memory API server for the objects the
// workload controllers read and write, so that a user with manifests can
// run kubepure's controllers without writing a store of their own:
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
// What exists now is Default, the first of these: the API server's
// registered defaulting of core/v1, apps/v1 and batch/v1 for those kinds,
// proven byte for byte against upstream's own defaulting in the
// conformance module. The rest of the API server's create path (registry
// strategies such as a Job's generated selector, admission) belongs to
// Apply and is not done by Default.
//
// Loading (LoadFiles, LoadReader) reads multi-document YAML, JSON streams,
// lists and `kubectl get -o yaml` output into typed k8s.io/api objects,
// refusing unknown fields and unknown kinds (each error naming the file,
// line, document and kind; options skip or warn instead), and returns
// them as the API server would store them: namespaced, defaulted, and
// passed through the storage encoding, so that a quantity written "0.5"
// is the stored "500m" and a template hashes as the cluster's does.
package cluster
