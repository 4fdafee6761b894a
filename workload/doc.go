// Package workload is the floor every controller in kubepure stands on.
//
// It holds five things:
//
//   - The shared vocabulary of a sync: a Plan is the list of API calls one
//     sync of a controller makes, each an Action (create, update,
//     update-status, patch or delete of a k8s.io/api object), plus when to
//     look at the object again. A caller applies a plan one-to-one with
//     client-go, with a simulator, or not at all.
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
//   - ReplicaSet reconciliation: ReconcileReplicaSet combines all of the
//     above into the plan of one upstream syncReplicaSet — claim the active
//     pods (adopt orphans, release pods that stopped matching), create the
//     missing pods or delete the surplus (at most BurstReplicas a sync), write
//     the status, and requeue for minReadySeconds. The scenarios in
//     testdata/replicaset are its manual.
//
// A ReplicaSet plan assumes each call succeeds, as against a healthy API
// server; so it never adds the ReplicaFailure condition, which upstream sets
// only after a failed create or delete, but removes a stale one as upstream
// does. Upstream's expectations (creations and deletions not yet seen in its
// cache) are the caller's to report, as ReplicaSetState.ExpectationsPending.
// Upstream issues the creates of one batch and all deletes concurrently; a
// plan lists them in a fixed order (deletes by deletion rank).
//
// Everything here is pure: no clock (the current time is an argument), no
// randomness, no goroutines, and inputs are never modified. Where upstream's
// answer depends on the order of a list it was handed, this package picks a
// documented total order instead, so the same set of objects always gives the
// same answer.
package workload
