package check

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"

	"pgregory.net/rapid"
)

// DefaultStates is the number of states each comparison generates unless
// -conformance.states or CONFORMANCE_STATES says otherwise.
const DefaultStates = 10000

// shownDivergences is how many divergences a failing comparison prints.
const shownDivergences = 3

var statesFlag = flag.Int("conformance.states", 0, "conformance: states per comparison (default 10000, or $CONFORMANCE_STATES)")

// States is the number of states each comparison generates.
func States() int {
	if *statesFlag > 0 {
		return *statesFlag
	}
	if v, err := strconv.Atoi(os.Getenv("CONFORMANCE_STATES")); err == nil && v > 0 {
		return v
	}
	return DefaultStates
}

// rapidChecks guards rapid's global -rapid.checks flag, which Run points at
// the number of states for the length of one comparison.
var rapidChecks sync.Mutex

// Run generates States() states with rapid and compares them with prop,
// which returns "" on agreement and a description of the divergence
// otherwise. It prints the summary line for kind.
func Run(t *testing.T, kind string, prop func(t *rapid.T) string) {
	t.Helper()
	RunN(t, kind, States(), prop)
}

// Trajectories is the number of multi-step trajectories a trajectory
// comparison generates: one for every fifty states, and at least 200.
func Trajectories() int {
	return max(200, States()/50)
}

// RunN is Run with an explicit number of states.
func RunN(t *testing.T, kind string, states int, prop func(t *rapid.T) string) {
	t.Helper()
	rapidChecks.Lock()
	defer rapidChecks.Unlock()
	restore, states := setRapidChecks(states)
	defer restore()

	var n, d int
	var shown []string
	rapid.Check(t, func(rt *rapid.T) {
		n++
		if msg := prop(rt); msg != "" {
			d++
			if len(shown) < shownDivergences {
				shown = append(shown, msg)
			}
		}
	})
	summary := fmt.Sprintf("conformance: %s states=%d divergences=%d", kind, n, d)
	// Printed to stdout as well as logged: go test shows a passing test's
	// log only with -v, and this line is the run's record.
	fmt.Println(summary)
	t.Log(summary)
	if n < states {
		t.Errorf("%s: only %d of %d states were generated (a -timeout too short, or -short?)", kind, n, states)
	}
	if d == 0 {
		return
	}
	for i, msg := range shown {
		t.Errorf("%s divergence %d of %d:\n%s", kind, i+1, d, msg)
	}
	// Let rapid find one again and shrink it to a minimal state. It prints
	// the seed to replay it with; no fail file is written into the tree.
	if f := flag.Lookup("rapid.nofailfile"); f != nil {
		old := f.Value.String()
		_ = f.Value.Set("true")
		defer func() { _ = f.Value.Set(old) }()
	}
	t.Run("shrink", func(t *testing.T) {
		rapid.Check(t, func(rt *rapid.T) {
			if msg := prop(rt); msg != "" {
				rt.Fatalf("%s divergence:\n%s", kind, msg)
			}
		})
	})
}

// setRapidChecks points -rapid.checks at states unless the command line or
// the environment set it, and returns a function that puts the old value
// back and the number of checks rapid will make.
func setRapidChecks(states int) (func(), int) {
	f := flag.Lookup("rapid.checks")
	if f == nil {
		return func() {}, states
	}
	explicit := false
	flag.Visit(func(v *flag.Flag) {
		if v.Name == "rapid.checks" {
			explicit = true
		}
	})
	if explicit || os.Getenv("RAPID_CHECKS") != "" {
		n, _ := strconv.Atoi(f.Value.String())
		return func() {}, n
	}
	old := f.Value.String()
	_ = f.Value.Set(strconv.Itoa(states))
	return func() { _ = f.Value.Set(old) }, states
}

// Coverage counts the kinds of decisions generated states led to, so a
// generator that stops reaching a corner fails its comparison instead of
// passing it vacuously.
type Coverage map[string]int

// Add counts one state that reached kind.
func (c Coverage) Add(kind string) { c[kind]++ }

// Require logs the counts and fails t for each kind no state reached.
func (c Coverage) Require(t *testing.T, kinds ...string) {
	t.Helper()
	t.Logf("coverage: %v", map[string]int(c))
	for _, k := range kinds {
		if c[k] == 0 {
			t.Errorf("no generated state led to %q: the generator lost a corner", k)
		}
	}
}
