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
package deployment
