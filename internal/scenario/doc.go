// Package scenario reads the little language of kubepure's spec scenarios
// (the testdata/*.txt files read with github.com/cockroachdb/datadriven):
// one object a line, written as a kind, a name and key=value settings, with
// times given as ages relative to the scenario's clock.
//
//	replicaset web replicas=3 minReady=10
//	pod web-a node=n1 ready=2m created=1h
//	pod stray owner=none labels=app=web
//
// It is test support: it panics on nothing and reports a malformed line as an
// error naming the line, so a scenario file reads like a manual and fails
// like a test.
package scenario
