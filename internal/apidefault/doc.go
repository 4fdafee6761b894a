// Package apidefault applies the defaults the Kubernetes API server
// (v1.37, default feature gates) gives an object of the kinds the workload
// controllers read, exactly as its registered defaulting of core/v1,
// apps/v1 and batch/v1 does when it decodes the object on create, update
// and every read from storage.
//
// Object dispatches on the kind; each kind also has its own function
// (Deployment, ReplicaSet, DaemonSet, StatefulSet, ControllerRevision, Job,
// CronJob, Pod, Node, PersistentVolumeClaim, Namespace) and the nested
// pieces are exported for generators and builders: PodTemplate, Template
// and PodSpec for a pod template, Container, Volume and
// PersistentVolumeClaimSpec. Every function changes its argument in place
// and ignores nil.
//
// Why it matters: the controllers hash and compare templates as the
// cluster stores them. A manifest's template that skipped a default hashes
// differently from the stored one (a phantom rollout for a Deployment, a
// new ControllerRevision for a DaemonSet or StatefulSet), so the
// controllers refuse a template without the always-defaulted fields, and
// the library's generators, scenarios and examples build their objects
// through this package.
//
// Two boundaries are easy to miss:
//
//   - Pod objects get more defaults than pod templates (requests copied from
//     limits, host ports under host networking, service links, a negative
//     grace period raised to 1). Templates never get them, and neither does
//     their pod-template hash.
//   - Defaulting is not all the API server changes on create. The registry
//     strategies (a Job's generated selector and labels, cleared status,
//     generation 1, a Pod's Pending phase and QoS class, pod-level resource
//     requests, a Namespace's "kubernetes" finalizer, a claim's cleared
//     status) and admission (service account, tolerations, priority) come
//     after defaulting and are not applied here.
//
// Image pull policies follow the API server's image-name parser exactly: a
// reference that parser rejects (upper case in the repository, a malformed
// digest, an empty image) gets IfNotPresent, as the defaulting ignores the
// parse error.
package apidefault
