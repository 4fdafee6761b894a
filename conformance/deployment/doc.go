// Package deployment compares rollout.Reconcile with one sync of the
// upstream Deployment controller (syncDeployment, v1.37.1) on generated
// states and on multi-step trajectories, and rollout.Undo with kubectl's
// DeploymentRollbacker. See the module README for the normalisations the
// comparison applies.
//
// Upstream's quirks need no normalisation here: rollout reproduces each of
// them (the double write of the new ReplicaSet, the stale resourceVersion
// on a second Deployment write, status computed from the objects as they
// were before the sync, the swallowed cleanup error that skips a
// scale-down; the list is in rollout's package documentation), so the
// calls are compared as upstream makes them, duplicates and stale versions
// included. The fake clientset accepts every write, as the plan assumes.
//
// Events are compared on every state and every trajectory step: the
// harness puts an event log in place of the controller's recorder, and
// the events upstream records (ScalingReplicaSet, SelectingAll, the
// rollback warnings and DeploymentRollback) must equal the plan's, in
// order, since the controller records them from one goroutine. The
// generator sometimes draws a Deployment with the empty selector older API
// servers stored, so upstream's SelectingAll guard is compared too.
package deployment
