// Package replicaset is the ReplicaSet controller of kube-controller-manager
// v1.37.1 as a pure function:
//
//	plan, err := replicaset.Reconcile(replicaset.State{ReplicaSet: rs, Pods: pods}, now)
//
// One Reconcile is one upstream syncReplicaSet: claim the active pods (adopt
// matching orphans, release controlled pods that stopped matching), create
// the missing pods or delete the surplus chosen by workload's deletion
// ranking (at most BurstReplicas a sync), write the status when it changed,
// and requeue for minReadySeconds. Each create and delete is followed by
// the SuccessfulCreate / SuccessfulDelete event upstream's pod control
// records on the ReplicaSet. The scenarios in testdata/scenarios are the
// manual.
//
// A plan assumes each call succeeds, as against a healthy API server; so it
// never adds the ReplicaFailure condition (upstream sets it only after a
// failed create or delete) and records no FailedCreate event, but removes a
// stale ReplicaFailure condition as upstream does. Upstream's expectations
// (creations and deletions not yet seen in its cache) are the caller's to
// report, as State.ExpectationsPending. Upstream issues the creates of one
// batch and all deletes concurrently; a plan lists them, and their events,
// in a fixed order (deletes by deletion rank).
//
// # What is refused
//
// A state no API server stores is an error naming the field, never a plan:
// a negative replica count, a selector that is empty, does not parse or
// does not match the template, a template without the fields the API
// server always defaults (it would hash and behave differently from the
// stored one), pods without a name or UID, two pods of one name or UID, two
// ReplicaSets of one name. Upstream's ReplicaSet controller has no guard of
// its own for objects stored under older validation beyond skipping a
// selector that no longer parses, which validation already refuses.
//
// Everything here is pure: no clock (the current time is an argument), no
// randomness, no goroutines, and inputs are never modified. The plan does
// not depend on the order of State's slices.
package replicaset
