// Package gen holds the pgregory.net/rapid generators of cluster states that
// kubepure's property tests and its conformance module share. Every state
// they draw is one a real cluster can store (it passes the API server's
// validation), and they are biased towards the corners where controllers
// differ: ties in the deletion ranking, orphans and foreign owners, pods in
// every phase, terminating pods, deletion costs, minReadySeconds at the
// boundary.
//
// Times are drawn as ages from a now the caller passes, so a conformance test
// can anchor them to the clock an upstream controller reads; the ages avoid
// the immediate neighbourhood of the log2 bucket edges of the deletion
// ranking, so a few milliseconds of clock drift never change a comparison;
// they include 5, 10 and 60 seconds so that minReadySeconds is met exactly.
package gen
