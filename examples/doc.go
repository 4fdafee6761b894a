// Package examples holds runnable programs that show kubepure embedded in a
// tool. Each sub-directory is a main package:
//
//	go run ./examples/simulate      a Deployment created and rolled out in a toy cluster,
//	                                the Deployment and ReplicaSet controllers working together
//	go run ./examples/replicaset    a ReplicaSet adopting, healing and shrinking, one sync at a time
package examples
