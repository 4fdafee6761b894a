// Package gen holds the rapid generators of the conformance tests: pods,
// pod templates and ownership situations built to hit the corners where a
// re-implementation of upstream's rules is most likely to slip.
//
// Generators draw from small pools on purpose. Node names, UIDs, phases and
// timestamps come from a handful of values so that two generated pods often
// tie on a rule and the comparison falls through to the next one — a tie is
// where the order of rules and the tie-breakers are tested. Timestamps are
// built relative to a reference "now" and cluster around powers of two
// nanoseconds, because upstream compares times by their base-2 logarithmic
// distance from now, and a pair straddling a bucket edge is the hardest case.
package gen
