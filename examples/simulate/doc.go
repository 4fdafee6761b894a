// Command simulate runs a Deployment through a rolling update, driving
// kubepure's Deployment and ReplicaSet controllers the way
// kube-controller-manager drives its own: sync, send the calls to the API
// server, let the kubelet start and stop pods, sync again. The API server
// is package cluster's in-memory store, so the calls get the server's
// answers: generated pod names, a Conflict for a write made with a stale
// resourceVersion, graceful deletion. It prints every call each controller
// makes, with its reason, on a simulated clock: no cluster, no wall clock,
// the same output every run.
//
//	go run ./examples/simulate
package main
