package workload

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	v1 "k8s.io/api/core/v1"
)

// TestRankScenarios runs the scenarios in testdata/rank.txt: short scripts
// that a reader can take as the manual of the deletion order. Regenerate the
// expected output with
//
//	go test ./workload -run TestRankScenarios -rewrite
//
// and read the diff before keeping it.
//
// Commands:
//
//	rank [n=N] [standalone]    rank the "pod" lines of the input
//	compare                    order the first two "pod" lines
//
// Input lines describe pods, relative to a fixed now:
//
//	pod NAME [node=N] [phase=P] [ready=DUR|zero|false] [age=DUR|zero]
//	    [restarts=N] [sidecar-restarts=N] [cost=V] [uid=U] [deleting]
//	other NAME ...   a pod of a sibling ReplicaSet: only counts for co-location
//
// ready=DUR makes the pod Ready since DUR before now; ready=zero makes it
// Ready with a zero transition time; ready=false gives it a False Ready
// condition. Unless "standalone" is given, the pods and the "other" pods
// together are the related pods for co-location ranks.
func TestRankScenarios(t *testing.T) {
	datadriven.RunTest(t, "testdata/rank.txt", func(t *testing.T, d *datadriven.TestData) string {
		pods, others, err := parsePodLines(d.Input)
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		switch d.Cmd {
		case "rank":
			return runRank(t, d, pods, others)
		case "compare":
			if len(pods) != 2 {
				d.Fatalf(t, "compare needs exactly two pods, got %d", len(pods))
			}
			return describeComparison(pods[0], pods[1], fixtureNow)
		default:
			d.Fatalf(t, "unknown command %q", d.Cmd)
			return ""
		}
	})
}

func runRank(t *testing.T, d *datadriven.TestData, pods, others []*v1.Pod) string {
	related := append(append([]*v1.Pod{}, pods...), others...)
	if d.HasArg("standalone") {
		related = nil
	}
	n := len(pods) - 1
	if d.HasArg("n") {
		d.ScanArgs(t, "n", &n)
	}
	ranks := ColocationRanks(pods, related)
	rankOf := make(map[*v1.Pod]int, len(pods))
	for i, p := range pods {
		rankOf[p] = ranks[i]
	}
	var b strings.Builder
	for i, p := range PodsToDelete(pods, related, n, fixtureNow) {
		fmt.Fprintf(&b, "%d. delete %s (co-located %d)\n", i+1, p.Name, rankOf[p])
	}
	if b.Len() == 0 {
		return "delete nothing\n"
	}
	return b.String()
}

func describeComparison(a, b *v1.Pod, now time.Time) string {
	ranks := ColocationRanks([]*v1.Pod{a, b}, nil)
	switch c := ComparePodsForDeletion(a, b, ranks[0], ranks[1], now); {
	case c < 0:
		return fmt.Sprintf("%s before %s\n", a.Name, b.Name)
	case c > 0:
		return fmt.Sprintf("%s before %s\n", b.Name, a.Name)
	default:
		return "tie\n"
	}
}

func parsePodLines(input string) (pods, others []*v1.Pod, err error) {
	for _, line := range strings.Split(input, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 || (fields[0] != "pod" && fields[0] != "other") {
			return nil, nil, fmt.Errorf("cannot read %q: want \"pod NAME ...\" or \"other NAME ...\"", line)
		}
		f, err := parsePodFixture(fields[1], fields[2:])
		if err != nil {
			return nil, nil, fmt.Errorf("%q: %w", line, err)
		}
		if fields[0] == "pod" {
			pods = append(pods, f.build())
		} else {
			others = append(others, f.build())
		}
	}
	return pods, others, nil
}

func parsePodFixture(name string, attrs []string) (podFixture, error) {
	f := podFixture{name: name, phase: v1.PodRunning}
	for _, attr := range attrs {
		key, value, _ := strings.Cut(attr, "=")
		var err error
		switch key {
		case "node":
			f.node = value
		case "phase":
			f.phase = v1.PodPhase(value)
		case "uid":
			f.uid = value
		case "cost":
			f.annotations = withCost(value)
		case "deleting":
			f.deleting = true
		case "ready":
			switch value {
			case "false":
				f.ready = v1.ConditionFalse
			case "zero":
				f.ready, f.zeroReadyTime = v1.ConditionTrue, true
			default:
				f.ready = v1.ConditionTrue
				f.readyFor, err = time.ParseDuration(value)
			}
		case "age":
			if value == "zero" {
				f.zeroCreated = true
			} else {
				f.age, err = time.ParseDuration(value)
			}
		case "restarts":
			f.restarts, err = parseInt32(value)
		case "sidecar-restarts":
			f.sidecarRestarts, err = parseInt32(value)
		default:
			err = fmt.Errorf("unknown attribute %q", key)
		}
		if err != nil {
			return f, err
		}
	}
	return f, nil
}

func parseInt32(s string) (int32, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	return int32(n), err
}
