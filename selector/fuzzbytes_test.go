package selector_test

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/internal/fuzzcheck"
	"github.com/kubepure/kubepure/internal/fuzzstate"
	"github.com/kubepure/kubepure/selector"
)

// eligibility is what the eligibility functions answer for one input, in
// a form that renders the same whatever the order of the DaemonSets.
type eligibility struct {
	// PerDaemonSet is NodeEligibility for each DaemonSet, by namespace/name.
	PerDaemonSet map[string]string
	// Pods and Excluded are DaemonPodsForNode's answer; an exclusion is
	// named, not shown as the DaemonSet it returns (which is the caller's
	// own object by design).
	Pods     any
	Excluded []string
}

// checkEligibilityBytes builds a node and DaemonSets from data and checks
// NodeEligibility and DaemonPodsForNode.
func checkEligibilityBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	in := fuzzstate.Eligibility(r, fuzzstate.Now)
	run := func(in fuzzstate.EligibilityInput) fuzzcheck.Outcome {
		out := eligibility{PerDaemonSet: map[string]string{}}
		for _, ds := range in.DaemonSets {
			e, err := selector.NodeEligibility(in.Node, ds)
			key := "nil"
			if ds != nil {
				key = ds.Namespace + "/" + ds.Name
			}
			out.PerDaemonSet[key] = fmtEligibility(e, err)
		}
		pods, excluded, err := selector.DaemonPodsForNode(in.Node, in.DaemonSets)
		out.Pods = pods
		for _, x := range excluded {
			out.Excluded = append(out.Excluded, x.DaemonSet.Namespace+"/"+x.DaemonSet.Name+": "+x.Reason())
		}
		return fuzzcheck.Outcome{Memory: out, Err: err}
	}
	target := fuzzcheck.Target[fuzzstate.EligibilityInput]{
		Run:   run,
		Clone: fuzzstate.CloneEligibility,
		Permute: func(in fuzzstate.EligibilityInput) fuzzstate.EligibilityInput {
			return fuzzstate.PermuteEligibility(r, in)
		},
	}
	return target.Check(t, in)
}

func fmtEligibility(e selector.Eligibility, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	s := "run=false"
	if e.ShouldRun {
		s = "run=true"
	}
	if e.ShouldContinueRunning {
		s += " stay=true"
	} else {
		s += " stay=false"
	}
	return s + " " + e.Reason()
}

// checkLabelSelectorBytes builds a label selector from data and checks
// FromLabelSelector: the fuzzcheck checks (with the matches on a few label
// sets as the order-independent result), and agreement with upstream's
// converter on validity, rendering and matches.
func checkLabelSelectorBytes(t testing.TB, data []byte) bool {
	r := fuzzstate.NewReader(data)
	in := selectorInput{Selector: fuzzstate.LabelSelector(r), Sets: fuzzstate.LabelSets(r)}
	run := func(in selectorInput) fuzzcheck.Outcome {
		sel, err := selector.FromLabelSelector(in.Selector, field.NewPath("spec", "selector"))
		if err != nil {
			return fuzzcheck.Outcome{Err: err}
		}
		matches := make([]bool, len(in.Sets))
		for i, set := range in.Sets {
			matches[i] = sel.Matches(labels.Set(set))
		}
		return fuzzcheck.Outcome{Memory: matches}
	}
	target := fuzzcheck.Target[selectorInput]{
		Run: run,
		Clone: func(in selectorInput) selectorInput {
			return selectorInput{Selector: in.Selector.DeepCopy(), Sets: in.Sets}
		},
		Permute: func(in selectorInput) selectorInput {
			if in.Selector != nil {
				c := *in.Selector
				c.MatchExpressions = fuzzstate.Permute(r, c.MatchExpressions)
				in.Selector = &c
			}
			return in
		},
	}
	rejected := target.Check(t, in)
	got, err := selector.FromLabelSelector(in.Selector, field.NewPath("spec", "selector"))
	want, wantErr := metav1.LabelSelectorAsSelector(in.Selector)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("selector %+v: error %v, upstream's error %v", in.Selector, err, wantErr)
	}
	if err != nil {
		return rejected
	}
	if got.String() != want.String() {
		t.Fatalf("selector %+v renders %q, upstream's %q", in.Selector, got, want)
	}
	for _, set := range in.Sets {
		if got.Matches(labels.Set(set)) != want.Matches(labels.Set(set)) {
			t.Fatalf("selector %+v on %v: matches %v, upstream's %v", in.Selector, set, got.Matches(labels.Set(set)), want.Matches(labels.Set(set)))
		}
	}
	return rejected
}

// selectorInput is a label selector and the label sets it is tried on.
type selectorInput struct {
	Selector *metav1.LabelSelector
	Sets     []map[string]string
}

// FuzzEligibilityBytes decodes the fuzzer's bytes into a node and
// DaemonSets and checks NodeEligibility and DaemonPodsForNode: no panic,
// no mutation, no shared memory, determinism, order independence.
func FuzzEligibilityBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkEligibilityBytes(t, data) })
}

// FuzzLabelSelectorBytes decodes the fuzzer's bytes into a label selector
// and checks FromLabelSelector likewise, and against upstream's converter.
func FuzzLabelSelectorBytes(f *testing.F) {
	fuzzcheck.Seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkLabelSelectorBytes(t, data) })
}

// TestFuzzBytesAcceptance runs the checks on a fixed sample of inputs.
func TestFuzzBytesAcceptance(t *testing.T) {
	t.Run("Eligibility", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkEligibilityBytes) })
	t.Run("LabelSelector", func(t *testing.T) { fuzzcheck.Acceptance(t, 400, checkLabelSelectorBytes) })
}
