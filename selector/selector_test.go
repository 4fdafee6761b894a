package selector

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

func TestFromLabelSelector(t *testing.T) {
	path := field.NewPath("spec", "selector")
	tests := []struct {
		name    string
		sel     *metav1.LabelSelector
		matches map[string]bool // label set rendered as a=b,c=d → want
		errs    []string        // substrings of the error, in order
	}{
		{name: "nil selects nothing", sel: nil, matches: map[string]bool{"": false, "a=b": false}},
		{name: "empty selects everything", sel: &metav1.LabelSelector{}, matches: map[string]bool{"": true, "a=b": true}},
		{
			name:    "match labels",
			sel:     &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "tier": "fe"}},
			matches: map[string]bool{"app=web,tier=fe": true, "app=web": false, "app=web,tier=fe,x=y": true},
		},
		{
			name: "expressions",
			sel: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "env", Operator: metav1.LabelSelectorOpIn, Values: []string{"prod", "stage"}},
				{Key: "canary", Operator: metav1.LabelSelectorOpDoesNotExist},
				{Key: "app", Operator: metav1.LabelSelectorOpExists},
				{Key: "zone", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"a"}},
			}},
			matches: map[string]bool{
				"app=x,env=prod":          true,
				"app=x,env=dev":           false,
				"app=x,env=stage,canary=": false,
				"env=prod":                false,
				"app=x,env=prod,zone=a":   false,
				"app=x,env=prod,zone=b":   true,
			},
		},
		{
			name: "bad operator names its path",
			sel:  &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: "Gt", Values: []string{"1"}}}},
			errs: []string{`spec.selector.matchExpressions[0].operator: Unsupported value: "Gt"`},
		},
		{
			name: "in without values",
			sel:  &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: metav1.LabelSelectorOpIn}}},
			errs: []string{"spec.selector.matchExpressions[0].values"},
		},
		{
			name: "exists with values",
			sel:  &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: metav1.LabelSelectorOpExists, Values: []string{"x"}}}},
			errs: []string{"spec.selector.matchExpressions[0].values"},
		},
		{
			name: "every bad label is reported, in key order",
			sel:  &metav1.LabelSelector{MatchLabels: map[string]string{"b b": "x", "a": "-bad-", "ok": "fine"}},
			errs: []string{"spec.selector.matchLabels[a].values[0]", "spec.selector.matchLabels[b b].key"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := FromLabelSelector(tt.sel, path)
			if len(tt.errs) > 0 {
				if err == nil {
					t.Fatalf("want error, got selector %q", s)
				}
				msg := err.Error()
				at := 0
				for _, want := range tt.errs {
					i := strings.Index(msg[at:], want)
					if i < 0 {
						t.Fatalf("error %q lacks %q (in order)", msg, want)
					}
					at += i + len(want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for set, want := range tt.matches {
				ls, err := labels.ConvertSelectorToLabelsMap(set)
				if err != nil {
					t.Fatal(err)
				}
				if got := s.Matches(ls); got != want {
					t.Errorf("%q matches %q = %v, want %v", s, set, got, want)
				}
			}
		})
	}
}

// The selector must agree with upstream's converter on every valid input.
func TestFromLabelSelectorAgreesWithAPIMachinery(t *testing.T) {
	sel := &metav1.LabelSelector{
		MatchLabels:      map[string]string{"a": "1", "b": "2"},
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: metav1.LabelSelectorOpIn, Values: []string{"1", "3"}}},
	}
	got, err := FromLabelSelector(sel, field.NewPath("spec", "selector"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFromLabelSelectorDoesNotAliasValues(t *testing.T) {
	sel := &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: metav1.LabelSelectorOpIn, Values: []string{"x"}}}}
	s, err := FromLabelSelector(sel, field.NewPath("s"))
	if err != nil {
		t.Fatal(err)
	}
	sel.MatchExpressions[0].Values[0] = "y"
	if !s.Matches(labels.Set{"a": "x"}) {
		t.Error("selector changed with the caller's slice")
	}
}
