package daemon_test

import (
	"testing"
	"time"

	v1 "k8s.io/api/core/v1"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/daemon"
	"github.com/kubepure/kubepure/internal/gen"
)

// FuzzReconcile feeds generated states, with some fields broken, to
// Reconcile: it must answer with a plan or an error, never panic.
func FuzzReconcile(f *testing.F) {
	gen.Fuzz(f, func(t *rapid.T) {
		st := gen.DaemonSet(t, epoch)
		s := st.State()
		switch rapid.IntRange(0, 9).Draw(t, "break") {
		case 1:
			s.DaemonSet = nil
		case 2:
			s.Nodes = append(s.Nodes, nil)
		case 3:
			s.DaemonSet = s.DaemonSet.DeepCopy()
			s.DaemonSet.Spec.Selector = nil
		case 4:
			s.DaemonSet = s.DaemonSet.DeepCopy()
			s.DaemonSet.Spec.RevisionHistoryLimit = nil
		case 5:
			s.Pods = append(s.Pods, nil)
		case 6:
			if len(s.Nodes) > 0 {
				s.Nodes = append(s.Nodes, s.Nodes[0])
			}
		case 7:
			s.Nodes = append(s.Nodes, &v1.Node{})
		case 8:
			s.DaemonSet = s.DaemonSet.DeepCopy()
			s.DaemonSet.Spec.Template.Spec.DNSPolicy = ""
		}
		_, _ = daemon.Reconcile(s, epoch.Add(time.Duration(rapid.IntRange(0, 3600).Draw(t, "later"))*time.Second))
	})
}
