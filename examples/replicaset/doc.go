// Command replicaset walks a ReplicaSet through a few syncs with kubepure and
// prints each plan with its reasons: the API calls kube-controller-manager
// v1.37 would make, computed without a cluster.
//
//	go run ./examples/replicaset
package main
