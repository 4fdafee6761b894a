// Package harness runs one sync of a real upstream workload controller
// (k8s.io/kubernetes v1.37.1) synchronously and returns the API calls it
// made, in the plan vocabulary of kubepure (workload.Action), so that the
// two can be compared.
//
// How one sync is run:
//
//   - A Cluster is a fake clientset (client-go's NewSimpleClientset) holding
//     the state's objects, with a create reactor that names generateName
//     objects and gives every created object a UID, from a counter.
//   - The controller is built by its exported constructor with the
//     arguments kube-controller-manager passes (for the ReplicaSet
//     controller: the informers, the client and replicaset.BurstReplicas),
//     from an informer factory that is never started.
//   - The informer caches are filled after construction with
//     Indexer().Add, which fires no event handler: the work queue stays
//     empty and no expectation is raised, so the sync is a first sync and
//     is not skipped. The StaleControllerConsistency* gates (on by default
//     in 1.37) do not block it either: their store has no record for an
//     owner before the controller has written anything.
//   - The unexported sync function is called directly, reached through a
//     //go:linkname declaration that takes the receiver as first argument
//     (see linkname.go). The toolchain restricts such "pull" links only
//     for standard-library symbols, so no linker flag is needed; should a
//     future toolchain extend the check, build with
//     -ldflags=-checklinkname=0.
//   - The fake's recorded actions are turned into workload.Action values
//     by Calls; reads are dropped. Render and RenderAll print them in wire
//     form for comparison. Each normalisation is documented where it is
//     made.
//
// Time: the ReplicaSet controller reads the wall clock (and so does its
// deletion ranking, through metav1.Now), so its states must be built
// relative to time.Now(). The Deployment controller reads the package
// variable deployment.nowFn, which SyncDeployment points at the state's
// time for one sync; the DaemonSet and Job controllers take fake clocks;
// the CronJob controller's clock function is set through reflection.
//
// After each sync the controller's work queues are shut down and its
// context is cancelled, so a run of thousands of syncs leaves no
// goroutines behind.
package harness
