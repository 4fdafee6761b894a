// Package check runs a differential property over many generated states,
// counts the states where kubepure and upstream disagree, and reports one
// summary line per kind of comparison:
//
//	conformance: <Kind> states=<N> divergences=<D>
//
// A property returns "" when the two sides agree and a readable description
// of the difference otherwise. Run does not stop at the first divergence:
// it counts them all, prints the first few, fails the test, and then runs
// the property once more under rapid's own failure handling so that rapid
// shrinks a divergence to a minimal state and prints how to replay it.
package check
