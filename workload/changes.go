package workload

import (
	"fmt"
	"strings"
)

// Changes collects what a status write changes, for the write's reason, in
// one wording for every controller: "readyReplicas 1->3",
// "terminatingReplicas nil->0", "Progressing condition added (True/...)".
// The zero value is empty and ready to use.
type Changes struct {
	parts []string
}

// Int adds "name from->to" when the two differ.
func (c *Changes) Int(name string, from, to int64) {
	if from != to {
		c.Add("%s %d->%d", name, from, to)
	}
}

// Int32Ptr adds "name from->to" for an optional counter when the two
// differ, a missing value reading "nil".
func (c *Changes) Int32Ptr(name string, from, to *int32) {
	if (from == nil) != (to == nil) || (from != nil && *from != *to) {
		c.Add("%s %s->%s", name, int32PtrString(from), int32PtrString(to))
	}
}

// Add adds one change, formatted as fmt.Sprintf does.
func (c *Changes) Add(format string, args ...any) {
	c.parts = append(c.parts, fmt.Sprintf(format, args...))
}

// Empty reports whether nothing was added.
func (c *Changes) Empty() bool { return len(c.parts) == 0 }

// String joins the changes with ", ", or says "unchanged".
func (c *Changes) String() string {
	if len(c.parts) == 0 {
		return "unchanged"
	}
	return strings.Join(c.parts, ", ")
}

func int32PtrString(p *int32) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}
