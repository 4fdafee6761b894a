package backoff

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
)

// TestScenarios runs the scenario files in testdata. Commands:
//
//	job-delays failures=<from>-<to>
//	    the Job back-off after each failure count
//	daemon at=<s>,<s>,...
//	    a node whose daemon pod is seen failed at these seconds: what the
//	    controller does each time
//	crashloop runs=<d>,<d>,... [max=<d>] [reduced]
//	    a container that runs for these durations, crashing after each:
//	    how long the kubelet waits before each restart
func TestScenarios(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			var b strings.Builder
			switch d.Cmd {
			case "job-delays":
				var from, to int32
				var spec string
				d.ScanArgs(t, "failures", &spec)
				if _, err := fmt.Sscanf(spec, "%d-%d", &from, &to); err != nil {
					t.Fatal(err)
				}
				for n := from; n <= to; n++ {
					fmt.Fprintf(&b, "%d failures: %v\n", n, JobDelay(n))
				}
			case "daemon":
				var e Entry
				for _, s := range argList(t, d, "at") {
					now := t0.Add(parseDuration(t, s+"s"))
					del, next, requeue := DaemonFailedPod(e, now)
					if del {
						fmt.Fprintf(&b, "t=%ss: delete failed pod, next delay %v\n", s, next.Delay)
					} else {
						fmt.Fprintf(&b, "t=%ss: in back-off, requeue after %v\n", s, requeue)
					}
					e = next
				}
			case "crashloop":
				cfg := CrashLoopConfig{ReducedDecay: d.HasArg("reduced")}
				if d.HasArg("max") {
					var m string
					d.ScanArgs(t, "max", &m)
					cfg.MaxContainerRestartPeriod = parseDuration(t, m)
				}
				p, err := CrashLoopPolicy(cfg)
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				var runs []time.Duration
				for _, r := range argList(t, d, "runs") {
					runs = append(runs, parseDuration(t, r))
				}
				for i, w := range crashTimeline(t, p, runs) {
					fmt.Fprintf(&b, "crash %d after %v: restart after %v\n", i+1, runs[i], w)
				}
			default:
				t.Fatalf("unknown command %q", d.Cmd)
			}
			return b.String()
		})
	})
}

func argList(t *testing.T, d *datadriven.TestData, key string) []string {
	for _, a := range d.CmdArgs {
		if a.Key == key {
			return a.Vals
		}
	}
	t.Fatalf("missing argument %q", key)
	return nil
}

func parseDuration(t *testing.T, s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
