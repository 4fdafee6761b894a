package cluster

import "sort"

// ChangeVerb says how a change touched its object, as a watch event does.
type ChangeVerb string

// The change verbs, named after watch event types.
const (
	ChangeAdded    ChangeVerb = "ADDED"
	ChangeModified ChangeVerb = "MODIFIED"
	ChangeDeleted  ChangeVerb = "DELETED"
)

// Change is one write to the store: which object, how, and the revision the
// write consumed. A driver keeps the last revision it saw and asks for the
// changes since, as an informer resumes a watch from a resourceVersion.
type Change struct {
	Resource  string
	Namespace string
	Name      string
	Verb      ChangeVerb
	Revision  uint64
	// Controller is the object's controller owner after the write (for a
	// deletion: before it), zero when it has none: what an informer's
	// event handler reads from the object, or from a deleted object's last
	// state, to find the controller to enqueue (see Affected).
	Controller ChangeOwner
	// PreviousController is the controller owner before a write that
	// changed it (adoption, release), zero otherwise.
	PreviousController ChangeOwner
}

// Changes returns the writes made after revision since, oldest first. A
// write that changed nothing (an update to identical content, a second
// delete of a pod still in its grace period) is not a change, as it is no
// watch event.
func (c *Cluster) Changes(since uint64) []Change {
	chunks := c.changes
	first := sort.Search(len(chunks), func(i int) bool {
		last := chunks[i][len(chunks[i])-1]
		return last.Revision > since
	})
	var out []Change
	for i := first; i < len(chunks); i++ {
		chunk := chunks[i]
		j := sort.Search(len(chunk), func(j int) bool { return chunk[j].Revision > since })
		out = append(out, chunk[j:]...)
	}
	return out
}

// changeChunk is how many changes one block of the feed holds. The feed
// grows by blocks, so a write never copies the whole history.
const changeChunk = 4096

// record appends a change to the feed.
func (c *Cluster) record(ch Change) {
	n := len(c.changes)
	if n == 0 || len(c.changes[n-1]) == changeChunk {
		c.changes = append(c.changes, make([]Change, 0, changeChunk))
		n++
	}
	c.changes[n-1] = append(c.changes[n-1], ch)
}
