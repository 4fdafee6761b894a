// Package rollout is the Deployment controller of kube-controller-manager
// v1.37.1 as a pure function. Reconcile takes a Deployment, the ReplicaSets
// of its namespace (and, for Recreate, its pods) and the current time, and
// returns the Plan of API calls one upstream syncDeployment makes, in its
// order, each carrying the exact object upstream sends:
//
//	plan, err := rollout.Reconcile(rollout.State{Deployment: d, ReplicaSets: rss, Pods: pods}, now)
//
// No kube-controller-manager setting changes what a Deployment sync does
// (the controller's one setting is its number of workers), so Reconcile
// takes no Options. Undo gives the Deployment `kubectl rollout undo`
// writes.
//
// # How a Deployment moves
//
// A Deployment owns ReplicaSets, one per pod template it has run. The one
// whose template equals spec.template (ignoring the pod-template-hash label)
// is the new ReplicaSet; it is named "<deployment>-<hash of the template>"
// and numbered by the revision annotation. Each sync moves pods from the old
// ReplicaSets to the new one by resizing ReplicaSets (the ReplicaSet
// controller then creates and deletes the pods):
//
//   - RollingUpdate: the new ReplicaSet grows while the total stays within
//     spec.replicas + maxSurge (rounded up); old ones shrink while at least
//     spec.replicas − maxUnavailable (rounded down) pods stay available,
//     unavailable old pods going first. A template change mid-rollout
//     (rollover) just turns the previous new ReplicaSet into an old one.
//   - Recreate: every old ReplicaSet goes to 0, and once no old pod runs the
//     new ReplicaSet is created at full size.
//   - A change of spec.replicas while several ReplicaSets are active is a
//     scaling event: the change is shared out in proportion to their sizes
//     (the desired-replicas and max-replicas annotations record what each
//     was sized for).
//   - Paused Deployments scale but never roll out; the legacy
//     deprecated.deployment.rollback.to annotation copies an old
//     ReplicaSet's template back; a Deployment being deleted only syncs its
//     status.
//   - Once a rollout is complete, old ReplicaSets beyond
//     revisionHistoryLimit are deleted, lowest revision first.
//   - The status counts the ReplicaSets' pods and carries three
//     conditions: Available (spec.replicas − maxUnavailable pods available),
//     Progressing (created, progressing, complete, paused, or timed out after
//     progressDeadlineSeconds without progress) and ReplicaFailure (copied
//     from a ReplicaSet). The plan asks to be requeued when the deadline
//     would otherwise pass unnoticed.
//
// The scenarios in testdata/ are the manual: a walk-through from nothing to
// a finished rolling update, then rollover, Recreate, deadlines, history,
// pause, scaling, rollback, ownership and upstream's quirks.
//
// # Assumptions
//
// Every call of the plan is assumed to succeed, as against the fake
// clientset of upstream's own tests: a write's answer is taken to be the
// object sent. The one failure the plan foresees is certain from the state:
// a Create whose name an existing ReplicaSet holds answers AlreadyExists.
// If that ReplicaSet is the Deployment's own, with its template, it is used
// as the new one; otherwise it is a hash collision: status.collisionCount
// goes up and the plan ends with Requeue (upstream returns an error).
// Feature gates take their 1.37 defaults (terminatingReplicas is reported).
//
// # Events
//
// Plan.Events are the events upstream's recorder receives during the sync,
// in its order, all recorded on the Deployment:
//
//   - Normal ScalingReplicaSet "Scaled up replica set web-7d9f from 0 to 3"
//     after a new ReplicaSet is created with replicas (none for a create
//     that finds the name taken, or with 0 replicas), and "Scaled up/down
//     replica set X from A to B" after every resize (not after a write that
//     only refreshes the replicas annotations);
//   - Warning SelectingAll for an empty selector (below);
//   - for the legacy rollback annotation: Warning
//     DeploymentRollbackRevisionNotFound or DeploymentRollbackTemplateUnchanged
//     before the Deployment update that clears the annotation, or Normal
//     DeploymentRollback after the update that rolls the template back.
//
// A ReplicaSet create or resize and a rollback's Deployment update carry
// their event's text in their Reason.
// Events upstream records only when a call fails (ReplicaSetCreateError)
// never appear: a plan assumes its calls succeed. Adoption and release
// record nothing, as upstream's.
//
// # Upstream's guards, reproduced
//
// Objects older API servers stored, which today's validation refuses, get
// upstream's answer rather than an error:
//
//   - An empty selector `{}` (an empty LabelSelector, exactly as upstream
//     compares it): Warning SelectingAll, and when status.observedGeneration
//     lags the generation one status write bringing it up to date (the
//     rest of the cached status sent as it is); nothing is claimed, scaled
//     or created.
//
// Upstream also guards against annotations any server stores: a legacy
// rollback annotation that does not parse as a number is ignored, and one
// naming a revision no ReplicaSet has is cleared with a warning (above).
//
// syncDeployment has no other guard: a nil or non-matching selector, an
// unknown strategy and the other objects below are refused by every API
// server version that stores apps/v1 Deployments.
//
// # Upstream quirks, reproduced
//
// A plan mirrors upstream's calls one to one, including these:
//
//   - Double write of the new ReplicaSet (E1): a non-paused sync brings the
//     new ReplicaSet's annotations up to date twice, first while checking
//     for a scaling event and again in the rollout, both times from the
//     cached object; so an annotation change gives two identical Updates
//     with the same stale resourceVersion (a real server refuses the second
//     with a conflict, and the sync is retried). Reproduced.
//   - Stale resourceVersions (E15): every Deployment write carries the
//     resourceVersion the sync started with, so a sync that writes the
//     status twice (revision, then rollout status) sends the same version
//     twice. Reproduced.
//   - Status from pre-write objects (E3): the status written at the end of a
//     sync is computed from the ReplicaSets as they were before this sync
//     resized them. Reproduced.
//   - The revision annotation is not synced in a sync that writes the new
//     ReplicaSet's annotations (upstream returns right after that write).
//     Reproduced.
//   - Swallowed cleanup error (E4): an old ReplicaSet reporting more
//     available pods than it wants makes the unhealthy-pod cleanup fail;
//     upstream ignores the error and skips the scale-down of that sync.
//     Reproduced.
//   - A stale desired-replicas annotation on the only active ReplicaSet
//     (E2), or Recreate with two active ReplicaSets during a scaling event
//     (E5), freezes the Deployment: only status is written. Reproduced.
//   - Cleanup looks only at the lowest revisionHistoryLimit-excess
//     revisions and does not compensate for skipped ones (E8). Reproduced.
//   - A deleting Deployment still writes its new ReplicaSet (E11), and a
//     paused one still scales old ReplicaSets to 0 when the new one is
//     saturated (E23). Reproduced.
//   - A new ReplicaSet whose revision is not a number silently stops
//     annotation copying and hands its revision to the Deployment (E47).
//     Reproduced.
//   - The legacy rollback creates the new ReplicaSet for the current
//     template first, and drops the Deployment's other annotations (E9).
//     Reproduced.
//   - checkPausedConditions, the revision sync and the collision bump
//     change the Deployment in memory; later writes of the same sync carry
//     those changes. Reproduced.
//   - Conditions move to the end of the list whenever they change, so their
//     order changes over time. Reproduced.
//   - Proportional scaling multiplies in int32 before dividing, overflow
//     included. Reproduced.
//
// # Orders
//
// Upstream's answer depends on list order in a few places. Claimed
// ReplicaSets start sorted by name and UID (selector.ClaimObjects), then are
// sorted by creation time with the name breaking ties, as upstream does
// first thing; that order is total within a namespace, so every later sort
// (by size, by revision, newest first) runs on a fixed input with Go's
// sort.Sort, exactly as upstream's code does. In particular the revision
// order, which is inconsistent when a revision does not parse, gives
// upstream's result for upstream's input order. Adoption patches come in
// name order. The Recreate pod check only asks whether any old pod runs, so
// pod order never matters.
//
// # Input
//
// What the API server would refuse to store is an error naming the field
// (field.ErrorList style): a nil Deployment, nil or negative replicas, a
// nil, non-matching or otherwise invalid selector (an empty one is the
// guard above), an unknown strategy, a nil rollingUpdate, maxSurge,
// maxUnavailable, revisionHistoryLimit or progressDeadlineSeconds (the
// server defaults them), malformed or negative int-or-percent values,
// maxUnavailable over 100%, both zero, negative minReadySeconds,
// revisionHistoryLimit or progressDeadlineSeconds, progressDeadlineSeconds
// not above minReadySeconds, nil ReplicaSets or pods, ReplicaSets with nil
// or negative replicas, and two ReplicaSets (or, for Recreate, the one
// strategy that reads pods, two pods) sharing a namespace and name, or a
// UID. A pod template (the Deployment's or a ReplicaSet's)
// lacking a field the API server always defaults (restartPolicy, dnsPolicy,
// a container's terminationMessagePath, ...) is refused too: it hashes and
// compares differently from the stored template, so the plan would roll
// out what a real cluster would not. One refusal goes beyond the server's:
// a percentage too large for an int32, which the server stores but
// upstream's sync can never handle.
//
// Nothing here keeps state, reads a clock or mutates its input; the plan's
// objects are fresh copies.
package rollout
