// Command simulate runs a Deployment through a rolling update in a toy
// in-memory cluster, driving kubepure's Deployment and ReplicaSet
// controllers the way kube-controller-manager drives its own: sync, apply
// the calls, let the kubelet start pods, sync again. It prints every call
// each controller makes, with its reason, on a simulated clock: no cluster,
// no wall clock, the same output every run.
//
//	go run ./examples/simulate
package main
