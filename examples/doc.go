// Package examples holds runnable programs that show kubepure embedded in a
// tool. Each sub-directory is a main package:
//
//	go run ./examples/replicaset    a ReplicaSet scaled, healed and shrunk, one sync at a time
package examples
