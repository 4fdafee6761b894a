package selector

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// TestScenarios runs the scenario files in testdata. Each "claim" command
// names the owner and its selector; its input lists one pod per line:
//
//	claim owner=<name> uid=<uid> selector=(<req>,...) [kind=<kind>] [deleting] [finalizer=<f>] [member-prefix=<p>]
//	<pod> [labels=k=v;k=v] [ctrl=<uid>] [ns=<namespace>] [deleting]
//
// Pods live in namespace "ns" unless told otherwise, and their UID is
// "uid-<pod>"; the owner is a ReplicaSet unless kind says otherwise. The output lists the claimed pods and then every patch.
func TestScenarios(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "claim":
				return runClaim(t, d)
			default:
				t.Fatalf("unknown command %q", d.Cmd)
				return ""
			}
		})
	})
}

func runClaim(t *testing.T, d *datadriven.TestData) string {
	var name, uid, finalizer, prefix string
	gvk := rsGVK
	var selReqs []string
	deleting := false
	for _, a := range d.CmdArgs {
		switch a.Key {
		case "owner":
			name = a.Vals[0]
		case "uid":
			uid = a.Vals[0]
		case "selector":
			selReqs = a.Vals
		case "deleting":
			deleting = true
		case "finalizer":
			finalizer = a.Vals[0]
		case "kind":
			gv, ok := kinds[a.Vals[0]]
			if !ok {
				t.Fatalf("unknown kind %q", a.Vals[0])
			}
			gvk = gv.WithKind(a.Vals[0])
		case "member-prefix":
			prefix = a.Vals[0]
		default:
			t.Fatalf("unknown argument %q", a.Key)
		}
	}
	sel, err := labels.Parse(strings.Join(selReqs, ","))
	if err != nil {
		return "error: " + err.Error()
	}
	var pods []*v1.Pod
	for _, line := range strings.Split(strings.TrimSpace(d.Input), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			pods = append(pods, parsePod(t, line))
		}
	}
	var opts []PodClaimOption
	if finalizer != "" {
		opts = append(opts, WithFinalizers(finalizer))
	}
	if prefix != "" {
		opts = append(opts, WithPodFilter(func(p *v1.Pod) bool { return strings.HasPrefix(p.Name, prefix) }))
	}
	c := ClaimPods(owner(name, types.UID(uid), deleting), gvk, sel, pods, opts...)
	var b strings.Builder
	fmt.Fprintf(&b, "claimed: %s\n", strings.Join(names(c.Claimed), " "))
	for _, ch := range c.Changes {
		fmt.Fprintf(&b, "%s %s: %s\n", ch.Kind, ch.Object.Name, ch.Patch)
	}
	return b.String()
}

// kinds maps the owner kinds scenarios may use to their API group version.
var kinds = map[string]schema.GroupVersion{
	"ReplicaSet":  {Group: "apps", Version: "v1"},
	"DaemonSet":   {Group: "apps", Version: "v1"},
	"StatefulSet": {Group: "apps", Version: "v1"},
	"Job":         {Group: "batch", Version: "v1"},
}

func parsePod(t *testing.T, line string) *v1.Pod {
	fields := strings.Fields(line)
	p := pod(fields[0], nil, "")
	for _, f := range fields[1:] {
		key, val, _ := strings.Cut(f, "=")
		switch key {
		case "labels":
			p.Labels = map[string]string{}
			for _, kv := range strings.Split(val, ";") {
				k, v, _ := strings.Cut(kv, "=")
				p.Labels[k] = v
			}
		case "ctrl":
			p = pod(p.Name, p.Labels, types.UID(val))
		case "ns":
			p.Namespace = val
		case "deleting":
			ts := metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			p.DeletionTimestamp = &ts
		default:
			t.Fatalf("unknown pod field %q", key)
		}
	}
	return p
}
