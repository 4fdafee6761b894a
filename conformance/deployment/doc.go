// Package deployment compares rollout.Reconcile with one sync of the
// upstream Deployment controller (syncDeployment, v1.37.1) on generated
// states and on multi-step trajectories. See the module README for the
// normalisations the comparison applies.
package deployment
