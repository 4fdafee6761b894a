package job_test

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	batch "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/internal/apidefault"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/job"
	"github.com/kubepure/kubepure/workload"
)

// TestScenarios runs the spec scenarios in testdata/. Each file is a story
// told with these commands:
//
//	world    the cluster: one job line and pod lines (see buildJob, buildPod)
//	sync     one Reconcile, printed, then applied to the world
//	plan     one Reconcile, printed, not applied
//	kubelet  pods change phase: kubelet p1=Succeeded p2=Failed:3 *=Running
//	         (exit code after the colon; * is every other unfinished pod;
//	         Running pods are ready; a finished pod finishes now)
//	restart  a container restart: restart p1
//	edit     change the job: edit suspend=false ads=30 parallelism=2
//	advance  move the clock: advance 30s
//	ttl      one ReconcileTTL, printed
//	show     print the job status
//
// Rewrite expected output with go test ./job -run Scenarios -rewrite, then
// read every changed line against upstream's behaviour.
func TestScenarios(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		if !strings.HasSuffix(path, ".txt") {
			return
		}
		var w *world
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "world" && w == nil {
				d.Fatalf(t, "%s before world", d.Cmd)
			}
			switch d.Cmd {
			case "world":
				nw, err := buildWorld(d.Input)
				if err != nil {
					return fmt.Sprintf("scenario error: %v\n", err)
				}
				w = nw
				return "ok\n"
			case "sync", "plan":
				plan, err := job.Reconcile(job.State{Job: w.st.Job, Pods: w.st.Pods, Backoff: w.backoff()}, w.now)
				if err != nil {
					return fmt.Sprintf("error: %v\n", err)
				}
				out := renderPlan(plan)
				if d.Cmd == "sync" {
					w.st = gen.ApplyJobPlan(w.st, plan.Actions, plan.Backoff, w.step, w.now)
					w.step++
				}
				return out
			case "kubelet":
				return w.kubelet(d.CmdArgs)
			case "restart":
				for _, a := range d.CmdArgs {
					if p := w.pod(a.Key); p != nil && len(p.Status.ContainerStatuses) > 0 {
						p.Status.ContainerStatuses[0].RestartCount++
					}
				}
				return "ok\n"
			case "edit":
				l, err := scenario.ParseLines("job " + w.st.Job.Name + " " + argsLine(d.CmdArgs))
				if err != nil {
					return err.Error() + "\n"
				}
				if err := editJob(w.st.Job, l[0], w.now); err != nil {
					return err.Error() + "\n"
				}
				return "ok\n"
			case "advance":
				dur, err := time.ParseDuration(d.CmdArgs[0].Key)
				if err != nil {
					return err.Error() + "\n"
				}
				w.now = w.now.Add(dur)
				return fmt.Sprintf("now +%s\n", w.now.Sub(scenario.Epoch))
			case "ttl":
				plan, err := job.ReconcileTTL(w.st.Job, w.now)
				if err != nil {
					return fmt.Sprintf("error: %v\n", err)
				}
				return plan.String()
			case "show":
				return statusLine(w.st.Job) + "\n"
			}
			d.Fatalf(t, "unknown command %s", d.Cmd)
			return ""
		})
	})
}

type world struct {
	st   gen.JobState
	now  time.Time
	step int
}

func (w *world) backoff() backoff.JobRecord {
	return backoff.JobRecord{FailuresAfterLastSuccess: w.st.Failures, LastFailureTime: w.st.LastFailure}
}

func (w *world) pod(name string) *v1.Pod {
	for _, p := range w.st.Pods {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func argsLine(args []datadriven.CmdArg) string {
	var parts []string
	for _, a := range args {
		if len(a.Vals) == 0 {
			parts = append(parts, a.Key)
		} else {
			parts = append(parts, a.Key+"="+strings.Join(a.Vals, ","))
		}
	}
	return strings.Join(parts, " ")
}

func buildWorld(input string) (*world, error) {
	lines, err := scenario.ParseLines(input)
	if err != nil {
		return nil, err
	}
	w := &world{now: scenario.Epoch}
	for _, l := range lines {
		switch l.Kind {
		case "job":
			j, err := buildJob(l, w.now)
			if err != nil {
				return nil, err
			}
			w.st.Job = j
		case "pod":
			if w.st.Job == nil {
				return nil, fmt.Errorf("pod %s before the job", l.Name)
			}
			p, err := buildPod(l, w.st.Job, w.now)
			if err != nil {
				return nil, err
			}
			w.st.Pods = append(w.st.Pods, p)
		case "backoff":
			n, err := l.Int("failures", 0)
			if err != nil {
				return nil, err
			}
			age, _, err := l.Age("last")
			if err != nil {
				return nil, err
			}
			t := w.now.Add(-age)
			w.st.Failures, w.st.LastFailure = int32(n), &t
		default:
			return nil, fmt.Errorf("unknown object %q", l.Kind)
		}
		if err := l.Unused(); err != nil {
			return nil, err
		}
	}
	if w.st.Job == nil {
		return nil, fmt.Errorf("no job line")
	}
	return w, nil
}

// buildJob makes a Job as the API server stores it, defaults applied.
//
//	job pi completions=1 parallelism=1 backoffLimit=4 mode=Indexed
//	    perIndex=1 maxFailed=2 suspend ads=30 ttl=100 replacement=Failed
//	    restart=OnFailure pfp=failjob:42,ignore:disruption,count:1,failindex:3
//	    success=0-2/2 (succeededIndexes/succeededCount; either may be empty)
//	    started=1m succeeded=1 failed=1 completed=0,1 managedBy=x deleting
//	    uncounted=a,b (succeeded pods' UIDs) condition=Complete|Suspended
//	    selector=all (manualSelector with the empty selector)
//	    raw (the template without the API server's defaults)
func buildJob(l *scenario.Line, now time.Time) (*batch.Job, error) {
	uid := types.UID(l.Name + "-uid")
	labels := map[string]string{batch.ControllerUidLabel: string(uid), batch.JobNameLabel: l.Name}
	j := &batch.Job{
		ObjectMeta: metav1.ObjectMeta{Name: l.Name, Namespace: "default", UID: uid, ResourceVersion: "1", CreationTimestamp: metav1.NewTime(now)},
		Spec: batch.JobSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{batch.ControllerUidLabel: string(uid)}},
			Template: v1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "main", Image: "perl:5.34"}}, RestartPolicy: v1.RestartPolicyNever},
			},
			BackoffLimit:   ptr.To(int32(6)),
			CompletionMode: ptr.To(batch.NonIndexedCompletion),
			Suspend:        ptr.To(false),
		},
	}
	if !l.Has("raw") {
		apidefault.PodTemplate(&j.Spec.Template)
	}
	if err := editJob(j, l, now); err != nil {
		return nil, err
	}
	if j.Spec.Parallelism == nil {
		j.Spec.Parallelism = ptr.To(int32(1))
		if !l.Has("completions") {
			j.Spec.Completions = ptr.To(int32(1))
		}
	}
	return j, nil
}

// editJob applies the job settings of l to j.
func editJob(j *batch.Job, l *scenario.Line, now time.Time) error {
	i32 := func(key string) (*int32, error) {
		if !l.Has(key) {
			return nil, nil
		}
		n, err := l.Int(key, 0)
		v := int32(n)
		return &v, err
	}
	var err error
	set := func(dst **int32, key string) {
		if err != nil || !l.Has(key) || l.Str(key, "") == "none" {
			return
		}
		*dst, err = i32(key)
	}
	set(&j.Spec.Completions, "completions")
	set(&j.Spec.Parallelism, "parallelism")
	set(&j.Spec.BackoffLimit, "backoffLimit")
	set(&j.Spec.BackoffLimitPerIndex, "perIndex")
	set(&j.Spec.MaxFailedIndexes, "maxFailed")
	set(&j.Spec.TTLSecondsAfterFinished, "ttl")
	if err != nil {
		return err
	}
	if l.Has("completions") && l.Str("completions", "") == "none" {
		j.Spec.Completions = nil
	}
	if l.Has("perIndex") && !l.Has("backoffLimit") {
		j.Spec.BackoffLimit = ptr.To(int32(2147483647))
	}
	if l.Has("mode") {
		j.Spec.CompletionMode = ptr.To(batch.CompletionMode(l.Str("mode", "")))
	}
	if l.Has("suspend") {
		j.Spec.Suspend = ptr.To(l.Str("suspend", "true") != "false")
	}
	if l.Has("ads") {
		n, err := l.Int("ads", 0)
		if err != nil {
			return err
		}
		j.Spec.ActiveDeadlineSeconds = &n
	}
	if l.Has("replacement") {
		j.Spec.PodReplacementPolicy = ptr.To(batch.PodReplacementPolicy(l.Str("replacement", "")))
	}
	if l.Has("restart") {
		j.Spec.Template.Spec.RestartPolicy = v1.RestartPolicy(l.Str("restart", ""))
	}
	if l.Str("selector", "") == "all" {
		j.Spec.ManualSelector = ptr.To(true)
		j.Spec.Selector = &metav1.LabelSelector{}
	}
	if l.Has("managedBy") {
		j.Spec.ManagedBy = ptr.To(l.Str("managedBy", ""))
	}
	if l.Has("pfp") {
		j.Spec.PodFailurePolicy = &batch.PodFailurePolicy{}
		j.Spec.PodReplacementPolicy = ptr.To(batch.Failed)
		for _, r := range strings.Split(l.Str("pfp", ""), ",") {
			action, arg, _ := strings.Cut(r, ":")
			rule := batch.PodFailurePolicyRule{Action: map[string]batch.PodFailurePolicyAction{
				"failjob": batch.PodFailurePolicyActionFailJob, "ignore": batch.PodFailurePolicyActionIgnore,
				"count": batch.PodFailurePolicyActionCount, "failindex": batch.PodFailurePolicyActionFailIndex,
			}[action]}
			if arg == "disruption" {
				rule.OnPodConditions = []batch.PodFailurePolicyOnPodConditionsPattern{{Type: v1.DisruptionTarget, Status: v1.ConditionTrue}}
			} else {
				code, err := strconv.Atoi(arg)
				if err != nil {
					return fmt.Errorf("pfp rule %q: %v", r, err)
				}
				rule.OnExitCodes = &batch.PodFailurePolicyOnExitCodesRequirement{Operator: batch.PodFailurePolicyOnExitCodesOpIn, Values: []int32{int32(code)}}
			}
			j.Spec.PodFailurePolicy.Rules = append(j.Spec.PodFailurePolicy.Rules, rule)
		}
	}
	if l.Has("success") {
		ix, count, _ := strings.Cut(l.Str("success", ""), "/")
		var r batch.SuccessPolicyRule
		if ix != "" {
			r.SucceededIndexes = &ix
		}
		if count != "" {
			n, err := strconv.Atoi(count)
			if err != nil {
				return err
			}
			r.SucceededCount = ptr.To(int32(n))
		}
		j.Spec.SuccessPolicy = &batch.SuccessPolicy{Rules: []batch.SuccessPolicyRule{r}}
	}
	if l.Has("started") {
		age, _, err := l.Age("started")
		if err != nil {
			return err
		}
		ts := metav1.NewTime(now.Add(-age))
		j.Status.StartTime = &ts
	}
	var n int64
	if l.Has("succeeded") {
		if n, err = l.Int("succeeded", 0); err != nil {
			return err
		}
		j.Status.Succeeded = int32(n)
	}
	if l.Has("failed") {
		if n, err = l.Int("failed", 0); err != nil {
			return err
		}
		j.Status.Failed = int32(n)
	}
	if l.Has("completed") {
		j.Status.CompletedIndexes = l.Str("completed", "")
	}
	if l.Has("deleting") {
		ts := metav1.NewTime(now)
		j.DeletionTimestamp = &ts
	}
	if l.Has("uncounted") {
		j.Status.UncountedTerminatedPods = &batch.UncountedTerminatedPods{}
		for _, n := range strings.Split(l.Str("uncounted", ""), ",") {
			j.Status.UncountedTerminatedPods.Succeeded = append(j.Status.UncountedTerminatedPods.Succeeded, types.UID(n+"-uid"))
		}
	}
	if l.Has("condition") {
		ts := metav1.NewTime(now.Add(-time.Minute))
		cond := func(t batch.JobConditionType, reason string) batch.JobCondition {
			return batch.JobCondition{Type: t, Status: v1.ConditionTrue, Reason: reason, LastProbeTime: ts, LastTransitionTime: ts}
		}
		switch c := l.Str("condition", ""); c {
		case "Complete":
			j.Status.Conditions = append(j.Status.Conditions, cond(batch.JobSuccessCriteriaMet, batch.JobReasonCompletionsReached), cond(batch.JobComplete, batch.JobReasonCompletionsReached))
			j.Status.CompletionTime = &ts
		case "Suspended":
			j.Status.Conditions = append(j.Status.Conditions, cond(batch.JobSuspended, "JobSuspended"))
		default:
			return fmt.Errorf("unknown condition %q", c)
		}
	}
	return nil
}

// buildPod makes a pod of the job.
//
//	pod p1 phase=Running ready index=2 exit=1 finished=30s restarts=2
//	    deleting owner=none|other nofinalizer failures=1 disrupted
//	    created=1m node=n1 foreign (labels no selector of the Job matches)
func buildPod(l *scenario.Line, j *batch.Job, now time.Time) (*v1.Pod, error) {
	created, _, err := l.Age("created")
	if err != nil {
		return nil, err
	}
	yes := true
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: l.Name, Namespace: "default", UID: types.UID(l.Name + "-uid"), ResourceVersion: "1",
			CreationTimestamp: metav1.NewTime(now.Add(-created)),
			Labels:            map[string]string{},
			Finalizers:        []string{job.TrackingFinalizer},
			OwnerReferences:   []metav1.OwnerReference{{APIVersion: "batch/v1", Kind: "Job", Name: j.Name, UID: j.UID, Controller: &yes, BlockOwnerDeletion: &yes}},
		},
		Spec: *j.Spec.Template.Spec.DeepCopy(),
	}
	for k, v := range j.Spec.Template.Labels {
		p.Labels[k] = v
	}
	p.Spec.NodeName = l.Str("node", "n1")
	switch l.Str("owner", "job") {
	case "none":
		p.OwnerReferences = nil
		p.Finalizers = nil
	case "other":
		p.OwnerReferences[0].Name, p.OwnerReferences[0].UID = "other", "other-uid"
	}
	if l.Has("nofinalizer") {
		p.Finalizers = nil
	}
	if l.Has("foreign") {
		p.Labels = map[string]string{"app": "other"}
	}
	if l.Has("index") {
		p.Annotations = map[string]string{batch.JobCompletionIndexAnnotation: l.Str("index", "")}
		p.Labels[batch.JobCompletionIndexAnnotation] = l.Str("index", "")
	}
	if l.Has("failures") {
		if p.Annotations == nil {
			p.Annotations = map[string]string{}
		}
		p.Annotations[batch.JobIndexFailureCountAnnotation] = l.Str("failures", "0")
	}
	finishedAge, _, err := l.Age("finished")
	if err != nil {
		return nil, err
	}
	exit, err := l.Int("exit", 1)
	if err != nil {
		return nil, err
	}
	restarts, err := l.Int("restarts", 0)
	if err != nil {
		return nil, err
	}
	setPhase(p, v1.PodPhase(l.Str("phase", "Running")), int32(exit), now.Add(-finishedAge), l.Has("ready"))
	if len(p.Status.ContainerStatuses) > 0 {
		p.Status.ContainerStatuses[0].RestartCount = int32(restarts)
	}
	if l.Has("disrupted") {
		p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{Type: v1.DisruptionTarget, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(now)})
	}
	if l.Has("deleting") {
		ts := metav1.NewTime(now)
		p.DeletionTimestamp = &ts
		p.DeletionGracePeriodSeconds = ptr.To(int64(0))
	}
	return p, nil
}

func setPhase(p *v1.Pod, phase v1.PodPhase, exit int32, at time.Time, ready bool) {
	p.Status = v1.PodStatus{Phase: phase}
	ts := metav1.NewTime(at)
	switch phase {
	case v1.PodSucceeded, v1.PodFailed:
		if phase == v1.PodSucceeded {
			exit = 0
		}
		p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionFalse, LastTransitionTime: ts}}
		p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main", State: v1.ContainerState{Terminated: &v1.ContainerStateTerminated{ExitCode: exit, FinishedAt: ts}}}}
	default:
		p.Status.ContainerStatuses = []v1.ContainerStatus{{Name: "main"}}
		if ready {
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: ts}}
		}
	}
}

func (w *world) kubelet(args []datadriven.CmdArg) string {
	named := map[string]bool{}
	apply := func(p *v1.Pod, spec string) {
		phase, code, _ := strings.Cut(spec, ":")
		exit, _ := strconv.Atoi(code)
		if exit == 0 {
			exit = 1
		}
		setPhase(p, v1.PodPhase(phase), int32(exit), w.now, phase == string(v1.PodRunning))
	}
	var star string
	for _, a := range args {
		if a.Key == "*" {
			star = a.Vals[0]
			continue
		}
		named[a.Key] = true
		if p := w.pod(a.Key); p != nil {
			apply(p, a.Vals[0])
		} else {
			return fmt.Sprintf("no pod %s\n", a.Key)
		}
	}
	if star != "" {
		for _, p := range w.st.Pods {
			if !named[p.Name] && p.Status.Phase != v1.PodSucceeded && p.Status.Phase != v1.PodFailed {
				apply(p, star)
			}
		}
	}
	var b strings.Builder
	for _, p := range w.st.Pods {
		fmt.Fprintf(&b, "%s %s\n", p.Name, p.Status.Phase)
	}
	return b.String()
}

// renderPlan prints a plan one call a line, with the status a status write
// carries and the index of a created pod, then the requeue, the events
// (identical consecutive ones folded into one line with a count) and the
// back-off.
func renderPlan(p job.Plan) string {
	var b strings.Builder
	for _, a := range p.Actions {
		b.WriteString(a.String())
		b.WriteByte('\n')
		switch o := a.Object.(type) {
		case *batch.Job:
			fmt.Fprintf(&b, "  %s\n", statusLine(o))
		case *v1.Pod:
			if ix, ok := o.Annotations[batch.JobCompletionIndexAnnotation]; ok {
				fmt.Fprintf(&b, "  generateName=%s hostname=%s index=%s", o.GenerateName, o.Spec.Hostname, ix)
				if c, ok := o.Annotations[batch.JobIndexFailureCountAnnotation]; ok {
					fmt.Fprintf(&b, " failures=%s", c)
				}
				b.WriteByte('\n')
			}
		}
		if a.Verb == workload.Delete && a.DeleteOptions != nil && a.DeleteOptions.PropagationPolicy != nil {
			fmt.Fprintf(&b, "  propagationPolicy=%s\n", *a.DeleteOptions.PropagationPolicy)
		}
	}
	if p.RequeueAfter > 0 {
		fmt.Fprintf(&b, "requeue after %s\n", p.RequeueAfter)
	}
	for i := 0; i < len(p.Events); i++ {
		n := 1
		for i+n < len(p.Events) && p.Events[i+n] == p.Events[i] {
			n++
		}
		fmt.Fprintf(&b, "event %s", p.Events[i])
		if n > 1 {
			fmt.Fprintf(&b, " (x%d)", n)
		}
		b.WriteByte('\n')
		i += n - 1
	}
	if p.Backoff.FailuresAfterLastSuccess > 0 {
		fmt.Fprintf(&b, "backoff: %d failures since last success, last at +%s\n", p.Backoff.FailuresAfterLastSuccess, p.Backoff.LastFailureTime.Sub(scenario.Epoch))
	}
	if b.Len() == 0 {
		return "no actions\n"
	}
	return b.String()
}

// statusLine prints a Job status compactly: counters, index lists,
// uncounted pods, start and completion times relative to the epoch, and
// conditions (type=status reason).
func statusLine(j *batch.Job) string {
	s := j.Status
	var parts []string
	parts = append(parts, fmt.Sprintf("active=%d ready=%s terminating=%s succeeded=%d failed=%d", s.Active, optInt(s.Ready), optInt(s.Terminating), s.Succeeded, s.Failed))
	if s.CompletedIndexes != "" {
		parts = append(parts, "completed="+s.CompletedIndexes)
	}
	if s.FailedIndexes != nil {
		parts = append(parts, "failedIndexes="+*s.FailedIndexes)
	}
	if u := s.UncountedTerminatedPods; u != nil && len(u.Succeeded)+len(u.Failed) > 0 {
		parts = append(parts, fmt.Sprintf("uncounted=%s/%s", uidList(u.Succeeded), uidList(u.Failed)))
	}
	if s.StartTime != nil {
		parts = append(parts, "start=+"+s.StartTime.Sub(scenario.Epoch).String())
	}
	if s.CompletionTime != nil {
		parts = append(parts, "completion=+"+s.CompletionTime.Sub(scenario.Epoch).String())
	}
	for _, c := range s.Conditions {
		parts = append(parts, fmt.Sprintf("%s=%s(%s)", c.Type, c.Status, c.Reason))
	}
	line := strings.Join(parts, " ")
	for _, c := range s.Conditions {
		if c.Status == v1.ConditionTrue && (c.Type == batch.JobFailureTarget || c.Type == batch.JobSuccessCriteriaMet) {
			line += fmt.Sprintf("\n  %s: %s", c.Type, c.Message)
		}
	}
	return line
}

func optInt(p *int32) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(int(*p))
}

func uidList(uids []types.UID) string {
	s := make([]string, len(uids))
	for i, u := range uids {
		s[i] = strings.TrimSuffix(string(u), "-uid")
	}
	sort.Strings(s)
	return "[" + strings.Join(s, ",") + "]"
}
