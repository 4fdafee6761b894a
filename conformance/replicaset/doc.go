// Package replicaset compares replicaset.Reconcile with one sync of
// the upstream ReplicaSet controller (syncReplicaSet, v1.37.1) on generated
// states and on multi-step trajectories. See the module README for the
// normalisations the comparison applies.
package replicaset
