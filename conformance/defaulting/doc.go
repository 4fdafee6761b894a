// Package defaulting compares kubepure's defaulting (cluster.Default, i.e.
// internal/apidefault.Object) with the API server's own: for every kind
// the cluster package loads, generated objects are deep-copied, one copy
// goes through upstream's registered defaulters (legacyscheme.Scheme with
// the core, apps and batch API groups installed, at the 1.37 default
// feature gates), the other through kubepure, and the two are compared as
// JSON bytes. The pod-template hash of each defaulted workload template
// is compared as well, since it sees the Go values (a quantity's internal
// form) that JSON hides.
//
// The run prints one line per kind and one for the whole comparison:
//
//	conformance: Defaulting states=<objects over all kinds> divergences=<D>
package defaulting
