// Package floor holds the differential tests of kubepure's floor packages
// (workload and selector) against the upstream functions they re-implement:
// the pod deletion ranking, the choice of pods to delete, the pod-template
// hash and controller-ref claiming. Each test generates many states with
// rapid and reports "conformance: <Kind> states=<N> divergences=<D>".
package floor
