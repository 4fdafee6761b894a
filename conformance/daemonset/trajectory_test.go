package daemonset

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/internal/gen"
)

// TestDaemonSetTrajectories follows DaemonSets over several syncs: each
// step compares one sync of upstream and kubepure on the same world,
// applies kubepure's plan to the toy API server (the failed-pod back-off
// carried forward as the plan returns it), and lets the world move on:
// time passes, pods start, some fail, nodes join or leave, the image or
// the nodeSelector changes. A third of the trajectories start from a tidy
// cluster whose image changes early, so that rollouts run to their end;
// the others start from a generated state, with all its debris.
//
// No normalisation is added here: each step is compare's whole-sync
// comparison, with its documented tie rule for the rolling update's node
// order (README normalisation 19). As that entry asks of the generator,
// the world never puts a second failed pod on a node (FailPods), and its
// created pods get server-style generated names (ApplyPlan) that cannot
// clash with the names the comparison's fake API server hands out.
func TestDaemonSetTrajectories(t *testing.T) {
	seen := check.Coverage{}
	check.RunN(t, "DaemonSetTrajectory", check.Trajectories(), func(rt *rapid.T) string {
		var w *gen.DaemonSetWorld
		editAt := -1
		if rapid.IntRange(0, 2).Draw(rt, "tidy") == 0 {
			w = gen.CleanDaemonSetWorld(rt, epoch)
			editAt = rapid.IntRange(1, 3).Draw(rt, "editAt")
		} else {
			w = gen.DaemonSetWorldFrom(gen.DaemonSet(rt, epoch), epoch)
		}
		steps := rapid.IntRange(2, 8).Draw(rt, "steps")
		rolled := false
		for step := range steps {
			if step == editAt {
				w.Edit("fluentd:1.17")
			}
			plan, msg := compare(w.GenState(), w.Now)
			for _, k := range planKinds(plan.Plan) {
				seen.Add(k)
				rolled = rolled || k == "rolling update"
			}
			if msg != "" {
				return fmt.Sprintf("step %d of %d:\n%s", step+1, steps, msg)
			}
			w.ApplyPlan(plan)
			if rolled && w.RolloutComplete() {
				seen.Add("completed rollout")
			}
			w.Evolve(rt)
			if rapid.IntRange(0, 5).Draw(rt, "failSome") == 0 {
				w.FailPods(rt)
			}
			if rapid.IntRange(0, 9).Draw(rt, "editNodeSelector") == 0 {
				w.EditNodeSelector(rt)
			}
		}
		return ""
	})
	seen.Require(t, "rolling update", "create pods", "delete pods", "no calls", "completed rollout")
}
