// Package workload is the floor every controller in kubepure stands on.
//
// It holds the vocabulary the controller packages (replicaset, rollout,
// daemon, job, cron) share, and no controller of its own:
//
//   - The shape of a sync's result: a Plan is the list of API calls one
//     sync of a controller makes, each an Action (create, update,
//     update-status, patch or delete of a k8s.io/api object), the Events its
//     event recorder receives, and when to look at the object again. A
//     caller applies a plan one-to-one with client-go, with a simulator, or
//     not at all. Every controller package's Plan embeds this one.
//
//   - Pod predicates, as the upstream controllers judge pods: IsPodActive,
//     IsPodTerminating, IsPodReady, IsPodAvailable (with its inclusive
//     minReadySeconds boundary) and NextAvailabilityCheck, which says when a
//     ready pod will next become available.
//
//   - Deletion ranking: when a ReplicaSet has too many pods, which go first.
//     ComparePodsForDeletion is upstream's eight-rule order (unscheduled,
//     phase, readiness, pod-deletion-cost, co-location, ready time, restarts,
//     creation time, with logarithmic time buckets and a UID tie-break), and
//     PodsToDelete picks the first n of them in an order that does not depend
//     on the order of its input.
//
//   - Template hashing and pod construction: ComputeHash gives the
//     pod-template-hash label a Deployment puts on its ReplicaSets, byte for
//     byte as kube-controller-manager computes it, and PodFromTemplate builds
//     the pod body a controller sends when it creates a pod from a template.
//
// Everything here is pure: no clock (the current time is an argument), no
// randomness, no goroutines, and inputs are never modified. Where upstream's
// answer depends on the order of a list it was handed, this package picks a
// documented total order instead, so the same set of objects always gives the
// same answer.
package workload
