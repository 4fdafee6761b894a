// Package conformance is the differential test suite of kubepure: it runs
// the real upstream controllers and helpers of Kubernetes v1.37.1 beside
// kubepure's pure functions on generated states and counts every state
// where they disagree. It is a Go module of its own so that users of
// kubepure never download k8s.io/kubernetes.
//
// Layout:
//
//   - harness: runs one sync of an upstream controller synchronously on a
//     fake clientset and returns its API calls as workload.Action values.
//   - gen: rapid generators of pods, pod templates and ownership
//     situations, aimed at the corners of upstream's rules.
//   - check: the driver that runs a comparison over many states and prints
//     one summary line per kind.
//   - floor: the comparisons of the floor packages (workload, selector)
//     with upstream's own functions: Ranking, PodsToDelete, Hash, Claim.
//
// Running:
//
//	go test -count=1 -v ./... | grep '^conformance:'
//
// prints one line per comparison:
//
//	conformance: Ranking states=10000 divergences=0
//
// -v is needed to see the lines of passing tests: go test keeps a passing
// package's output to itself otherwise. -count=1 makes a CI run draw new
// states instead of replaying a cached result. The number of states per
// comparison is 10,000 unless -conformance.states=N (or the environment
// variable CONFORMANCE_STATES=N) says otherwise; -rapid.seed=S replays a
// run. No linker flag is needed for the //go:linkname links into upstream
// (see package harness).
//
// Every normalisation applied before comparing is listed in README.md with
// the reason it is sound.
package conformance
