package job

import "testing"

func TestParseIndexes(t *testing.T) {
	for _, tc := range []struct {
		in          string
		completions int32
		want        string
		total       int
	}{
		{"", 5, "", 0},
		{"0-2,4,6-8", 9, "0-2,4,6-8", 7},
		{"3,4", 9, "3,4", 2},
		{"0,1,2", 9, "0-2", 3},       // adjacent pieces merge
		{"0-2,5-9", 7, "0-2,5,6", 5}, // an end beyond completions is clipped
		{"1,8,3", 5, "1", 1},         // reading stops at the first piece out of range
		{"x,2,y-3,4", 5, "2,4", 2},   // unparsable pieces are skipped
		{"0-1,2-3", 9, "0-3", 4},     // a run of two plus a run of two
		{"7", 3, "", 0},
	} {
		got := controllerParse(tc.in, tc.completions)
		if got.String() != tc.want || got.total() != tc.total {
			t.Errorf("parse(%q, %d) = %q (%d), want %q (%d)", tc.in, tc.completions, got, got.total(), tc.want, tc.total)
		}
	}
}

func TestIntervalsMergeAndHas(t *testing.T) {
	a := controllerParse("0-2,6", 10)
	got := a.withIndexes([]int{3, 5, 9})
	if got.String() != "0-3,5,6,9" {
		t.Fatalf("withIndexes = %q", got)
	}
	for ix, want := range map[int]bool{0: true, 3: true, 4: false, 5: true, 7: false, 9: true, 10: false, -1: false} {
		if got.has(ix) != want {
			t.Errorf("has(%d) = %v", ix, !want)
		}
	}
	if n := overlap(controllerParse("1-4", 10), got); n != 3 {
		t.Errorf("overlap = %d, want 3", n)
	}
}

func TestParseIndexesStrict(t *testing.T) {
	for _, bad := range []string{"x", "3-1", "1,1", "0-9", "2,1"} {
		if _, err := parseIndexes(bad, 5, true); err == nil {
			t.Errorf("strict parse of %q accepted", bad)
		}
	}
	if _, err := parseIndexes("0-2,4", 5, true); err != nil {
		t.Errorf("strict parse refused a valid list: %v", err)
	}
}
