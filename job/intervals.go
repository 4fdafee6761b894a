package job

import (
	"strconv"
	"strings"
)

// interval is a run of consecutive completion indexes, both ends included.
type interval struct{ first, last int }

// intervals is an ascending list of disjoint, non-adjacent intervals: the
// compressed form of completedIndexes and failedIndexes.
type intervals []interval

// parseIndexes reads an index list such as "0-2,4,6-8" the way the Job
// controller does: pieces that are not numbers are skipped, reading stops
// at the first piece starting at or above completions, an end at or above
// completions is clipped, and a piece adjacent to the previous one is
// merged into it. With strict set, the pieces the controller would skip or
// clip are errors instead (the API server's validation of a success
// policy's succeededIndexes).
func parseIndexes(s string, completions int32, strict bool) (intervals, error) {
	if s == "" {
		return nil, nil
	}
	limit := int(completions)
	var out intervals
	for _, piece := range strings.Split(s, ",") {
		ends := strings.Split(piece, "-")
		first, err := strconv.Atoi(ends[0])
		if err != nil {
			if strict {
				return nil, describeIndexErr(piece, "not a number")
			}
			continue
		}
		if first >= limit {
			if strict {
				return nil, describeIndexErr(piece, "index must be less than completions")
			}
			break
		}
		last := first
		if len(ends) > 1 {
			last, err = strconv.Atoi(ends[1])
			if err != nil {
				if strict {
					return nil, describeIndexErr(piece, "not a number")
				}
				continue
			}
			if last >= limit {
				if strict {
					return nil, describeIndexErr(piece, "index must be less than completions")
				}
				last = limit - 1
			}
		}
		if strict && (first < 0 || last < first || len(ends) > 2 || (len(out) > 0 && first <= out[len(out)-1].last)) {
			return nil, describeIndexErr(piece, "intervals must be ascending and non-overlapping")
		}
		if n := len(out); n > 0 && out[n-1].last == first-1 {
			out[n-1].last = last
			continue
		}
		out = append(out, interval{first, last})
	}
	return out, nil
}

// controllerParse is parseIndexes as the controller reads status strings.
func controllerParse(s string, completions int32) intervals {
	out, _ := parseIndexes(s, completions, false)
	return out
}

// withIndexes returns the union of oi and the ascending list ix.
func (oi intervals) withIndexes(ix []int) intervals {
	add := make(intervals, len(ix))
	for i, x := range ix {
		add[i] = interval{x, x}
	}
	return oi.merge(add)
}

// merge returns the union of two ascending interval lists, merging
// overlapping and adjacent intervals.
func (oi intervals) merge(other intervals) intervals {
	var out intervals
	push := func(iv interval) {
		n := len(out)
		switch {
		case n == 0 || iv.first > out[n-1].last+1:
			out = append(out, iv)
		case out[n-1].last < iv.last:
			out[n-1].last = iv.last
		}
	}
	i, j := 0, 0
	for i < len(oi) && j < len(other) {
		if oi[i].first < other[j].first {
			push(oi[i])
			i++
		} else {
			push(other[j])
			j++
		}
	}
	for ; i < len(oi); i++ {
		push(oi[i])
	}
	for ; j < len(other); j++ {
		push(other[j])
	}
	return out
}

// total is the number of indexes in the list.
func (oi intervals) total() int {
	n := 0
	for _, iv := range oi {
		n += iv.last - iv.first + 1
	}
	return n
}

// has reports whether ix is in the list.
func (oi intervals) has(ix int) bool {
	lo, hi := 0, len(oi)
	for lo < hi {
		mid := lo + (hi-lo)/2
		if oi[mid].last >= ix {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return hi < len(oi) && oi[hi].first <= ix
}

// String writes the list as the status does: runs of three or more as
// "a-b", a run of two as "a,b", single indexes alone.
func (oi intervals) String() string {
	var b strings.Builder
	for _, iv := range oi {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(iv.first))
		switch {
		case iv.last == iv.first+1:
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(iv.last))
		case iv.last > iv.first:
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(iv.last))
		}
	}
	return b.String()
}

// overlap counts the indexes of rule that are also in have.
func overlap(rule, have intervals) int {
	count, r, h := 0, 0, 0
	for r < len(rule) && h < len(have) {
		if n := min(rule[r].last, have[h].last) - max(rule[r].first, have[h].first) + 1; n > 0 {
			count += n
		}
		switch {
		case have[h].last < rule[r].last:
			h++
		case have[h].last > rule[r].last:
			r++
		default:
			h++
			r++
		}
	}
	return count
}
