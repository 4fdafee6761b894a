// Package apply compares the object kubepure's in-memory API server
// (cluster.Cluster) stores with what the API server's own registry code
// produces, on generated objects of every kind the store holds and on the
// calls the controllers make to them: creates (with generateName),
// updates of the main resource and of the status subresource, strategic
// merge and JSON merge patches (adoption, release, finalizer removal,
// labels), and deletes (grace periods, preconditions, propagation
// policies).
//
// Upstream's side runs, on the internal form of the object (converted
// through legacyscheme), rest.BeforeCreate or rest.BeforeUpdate with the
// strategy of k8s.io/kubernetes/pkg/registry/<group>/<kind>, and for a
// delete rest.BeforeDelete and the generic store's finalizer and marking
// steps (reached by linkname), composed as Store.Delete composes them.
// The two results are compared as JSON.
//
// The run prints:
//
//	conformance: Apply states=<N> divergences=<D>
package apply
