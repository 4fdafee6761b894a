package rollout_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubepure/kubepure/internal/apidefault"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/internal/scenario"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// TestScenarios runs the spec scenarios in testdata/. Each file is a story
// told with these commands:
//
//	world       the cluster: one deployment line, replicaset and pod lines
//	sync        one Reconcile, printed, then applied to the world
//	plan        one Reconcile, printed, not applied
//	settle      the ReplicaSet controller and kubelet catch up: every
//	            ReplicaSet runs spec.replicas available pods (unhealthy=new
//	            marks the current new ReplicaSet's pods as never ready)
//	edit        change the deployment (same settings as the deployment line)
//	advance     move the clock (advance 5m)
//	show        print the deployment status and the ReplicaSets
//	observe     set a ReplicaSet's status as its controller would report it
//	            (observe rs=new status=replicas/ready/available)
//
// Rewrite expected output with go test ./rollout -run Scenarios -rewrite,
// then read every changed line against upstream's behaviour.
func TestScenarios(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		if !strings.HasSuffix(path, ".txt") {
			return // not a scenario (a fuzz corpus, a rapid fail file)
		}
		var w *gen.DeploymentWorld
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
				plan, err := rollout.Reconcile(worldState(w), w.Now)
				if err != nil {
					return fmt.Sprintf("error: %v\n", err)
				}
				if d.Cmd == "sync" {
					w.Apply(plan.Plan)
				}
				return renderPlan(plan.Plan)
			case "settle":
				if d.HasArg("unhealthy") {
					if rs := w.NewReplicaSet(); rs != nil {
						w.Unhealthy[rs.Name] = true
					}
				}
				w.Settle()
				return show(w)
			case "edit":
				lines, err := scenario.ParseLines("deployment " + w.Deployment.Name + " " + strings.TrimSpace(d.Input))
				if err != nil {
					return fmt.Sprintf("scenario error: %v\n", err)
				}
				if err := editDeployment(w, lines[0]); err != nil {
					return fmt.Sprintf("scenario error: %v\n", err)
				}
				return "ok\n"
			case "advance":
				dur, err := time.ParseDuration(d.CmdArgs[0].Key)
				if err != nil {
					d.Fatalf(t, "advance: %v", err)
				}
				w.Now = w.Now.Add(dur)
				return fmt.Sprintf("now +%s\n", w.Now.Sub(scenario.Epoch))
			case "show":
				return show(w)
			case "observe":
				var name, st string
				d.ScanArgs(t, "rs", &name)
				d.ScanArgs(t, "status", &st)
				if name == "new" {
					if rs := w.NewReplicaSet(); rs != nil {
						name = rs.Name
					}
				}
				rs, ok := w.ReplicaSets[name]
				if !ok {
					d.Fatalf(t, "observe: no replicaset %q", name)
				}
				n, err := counts(st, 3)
				if err != nil {
					d.Fatalf(t, "observe: %v", err)
				}
				rs = rs.DeepCopy()
				rs.Status.Replicas, rs.Status.FullyLabeledReplicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = n[0], n[0], n[1], n[2]
				w.ReplicaSets[name] = rs
				return show(w)
			}
			d.Fatalf(t, "unknown command %q", d.Cmd)
			return ""
		})
	})
}

// buildWorld reads a deployment line and replicaset and pod lines:
//
//	deployment web replicas=3 image=nginx:1.25 maxSurge=25% maxUnavailable=25%
//	    strategy=Recreate minReady=0 history=10 deadline=600 paused deleting
//	    generation=2 observed=1 revision=1 rollbackTo=0 annotations=k=v
//	    status=replicas/updated/ready/available[/unavailable]
//	    progressing=Reason:age
//	    available=True|False collisions=1
//	replicaset web-abc revision=1 replicas=3 status=3/3/3 image=nginx:1.24
//	    age=2h owner=web|none|other desired=3 max=4 generation=1 observed=1
//	    annotations=k=v failure deleting labels=app=web
//	pod web-abc-1 rs=web-abc phase=Running deleting
func buildWorld(input string) (*gen.DeploymentWorld, error) {
	lines, err := scenario.ParseLines(input)
	if err != nil {
		return nil, err
	}
	var w *gen.DeploymentWorld
	for _, l := range lines {
		if l.Kind == "deployment" {
			w = gen.NewDeploymentWorld(scenario.Epoch, &appsv1.Deployment{})
			w.Deployment.Name = l.Name
			if err := editDeployment(w, l); err != nil {
				return nil, err
			}
		}
	}
	if w == nil {
		return nil, fmt.Errorf("a world needs a deployment line")
	}
	for _, l := range lines {
		switch l.Kind {
		case "deployment":
		case "replicaset":
			rs, err := buildReplicaSet(w, l)
			if err != nil {
				return nil, err
			}
			w.ReplicaSets[rs.Name] = rs
		case "pod":
		default:
			return nil, fmt.Errorf("unknown kind %q", l.Kind)
		}
	}
	for _, l := range lines {
		if l.Kind != "pod" {
			continue
		}
		rs := w.ReplicaSets[l.Str("rs", "")]
		if rs == nil {
			return nil, fmt.Errorf("pod %s: rs= must name a replicaset", l.Name)
		}
		p := w.PodOf(rs, 0)
		p.Name, p.UID = l.Name, types.UID(l.Name+"-uid")
		p.Status.Phase = v1.PodPhase(l.Str("phase", "Running"))
		if l.Has("deleting") {
			ts := metav1.NewTime(w.Now.Add(-time.Second))
			p.DeletionTimestamp = &ts
		}
		w.Pods = append(w.Pods, p)
	}
	for _, l := range lines {
		if err := l.Unused(); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// template is a pod template as the API server stores it (defaults filled
// in), which is what Reconcile requires.
func template(app, image string) v1.PodTemplateSpec {
	return apidefault.Template(v1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": app}},
		Spec:       v1.PodSpec{Containers: []v1.Container{{Name: "app", Image: image}}},
	})
}

// editDeployment applies the settings of a deployment line to the world's
// deployment, defaulting what the API server defaults on first build.
func editDeployment(w *gen.DeploymentWorld, l *scenario.Line) error {
	d := w.Deployment.DeepCopy()
	fresh := d.UID == ""
	if fresh {
		d.Namespace, d.UID = scenario.Namespace, types.UID(d.Name+"-uid")
		d.Generation, d.ResourceVersion = 1, "100"
		d.CreationTimestamp = metav1.NewTime(w.Now.Add(-48 * time.Hour))
		d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": d.Name}}
		d.Spec.Template = template(d.Name, "nginx:1.25")
		ten, six := int32(10), int32(600)
		d.Spec.RevisionHistoryLimit, d.Spec.ProgressDeadlineSeconds = &ten, &six
		one := int32(1)
		d.Spec.Replicas = &one
		d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType, RollingUpdate: &appsv1.RollingUpdateDeployment{}}
		q := intstr.FromString("25%")
		d.Spec.Strategy.RollingUpdate.MaxSurge, d.Spec.Strategy.RollingUpdate.MaxUnavailable = &q, &q
	}
	specChanged := false
	intArg := func(key string, set func(int32)) error {
		if !l.Has(key) {
			return nil
		}
		n, err := l.Int(key, 0)
		if err != nil {
			return err
		}
		set(int32(n))
		specChanged = true
		return nil
	}
	if err := intArg("replicas", func(n int32) { d.Spec.Replicas = &n }); err != nil {
		return err
	}
	if err := intArg("minReady", func(n int32) { d.Spec.MinReadySeconds = n }); err != nil {
		return err
	}
	for key, set := range map[string]func(int32){
		"history":  func(n int32) { d.Spec.RevisionHistoryLimit = &n },
		"deadline": func(n int32) { d.Spec.ProgressDeadlineSeconds = &n },
	} {
		if l.Str(key, "") == "nil" {
			continue
		}
		if err := intArg(key, set); err != nil {
			return err
		}
	}
	if img := l.Str("image", ""); img != "" {
		d.Spec.Template.Spec.Containers[0].Image = img
		specChanged = true
	}
	if s := l.Str("strategy", ""); s == "Recreate" {
		d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
		specChanged = true
	}
	for _, k := range []string{"maxSurge", "maxUnavailable"} {
		v := l.Str(k, "")
		if v == "" {
			continue
		}
		q := intstr.Parse(v)
		if d.Spec.Strategy.RollingUpdate == nil {
			return fmt.Errorf("%s on a Recreate deployment", k)
		}
		if k == "maxSurge" {
			d.Spec.Strategy.RollingUpdate.MaxSurge = &q
		} else {
			d.Spec.Strategy.RollingUpdate.MaxUnavailable = &q
		}
		specChanged = true
	}
	if l.Has("paused") {
		d.Spec.Paused = l.Str("paused", "true") != "false"
		specChanged = true
	}
	if l.Has("deleting") {
		ts := metav1.NewTime(w.Now.Add(-time.Second))
		d.DeletionTimestamp = &ts
	}
	if l.Has("selectAll") {
		// The empty selector older API servers stored.
		d.Spec.Selector = &metav1.LabelSelector{}
		specChanged = true
	}
	for _, key := range []string{"history", "deadline"} {
		// history=nil / deadline=nil: a field the API server defaults,
		// left out.
		if l.Str(key, "") != "nil" {
			continue
		}
		if key == "history" {
			d.Spec.RevisionHistoryLimit = nil
		} else {
			d.Spec.ProgressDeadlineSeconds = nil
		}
	}
	ann, ok, err := l.Map("annotations")
	if err != nil {
		return err
	}
	if ok {
		if d.Annotations == nil {
			d.Annotations = map[string]string{}
		}
		for k, v := range ann {
			d.Annotations[k] = v
		}
	}
	for key, ann := range map[string]string{"revision": rollout.RevisionAnnotation, "rollbackTo": rollout.RollbackToAnnotation} {
		if v := l.Str(key, ""); v != "" {
			if d.Annotations == nil {
				d.Annotations = map[string]string{}
			}
			d.Annotations[ann] = v
		}
	}
	if specChanged && !fresh {
		d.Generation++
	}
	if err := statusArgs(w, d, l, fresh); err != nil {
		return err
	}
	w.Deployment = d
	return nil
}

func statusArgs(w *gen.DeploymentWorld, d *appsv1.Deployment, l *scenario.Line, fresh bool) error {
	gen, err := l.Int("generation", d.Generation)
	if err != nil {
		return err
	}
	d.Generation = gen
	def := d.Status.ObservedGeneration
	if fresh {
		def = 0
	}
	obs, err := l.Int("observed", def)
	if err != nil {
		return err
	}
	d.Status.ObservedGeneration = obs
	if s := l.Str("status", ""); s != "" {
		if strings.Count(s, "/") == 3 {
			s += "/-1" // unavailable not given
		}
		n, err := counts(s, 5)
		if err != nil {
			return err
		}
		d.Status.Replicas, d.Status.UpdatedReplicas, d.Status.ReadyReplicas, d.Status.AvailableReplicas = n[0], n[1], n[2], n[3]
		// Unavailable defaults to what the ReplicaSets' sizes would give
		// if they sum to status.replicas.
		d.Status.UnavailableReplicas = n[4]
		if n[4] < 0 {
			d.Status.UnavailableReplicas = max(0, n[0]-n[3])
		}
		zero := int32(0)
		d.Status.TerminatingReplicas = &zero
		if !l.Has("observed") {
			d.Status.ObservedGeneration = d.Generation
		}
	}
	if c, err := l.Int("collisions", -1); err != nil {
		return err
	} else if c >= 0 {
		n := int32(c)
		d.Status.CollisionCount = &n
	}
	if v := l.Str("available", ""); v != "" {
		reason := "MinimumReplicasAvailable"
		msg := "Deployment has minimum availability."
		if v == "False" {
			reason, msg = "MinimumReplicasUnavailable", "Deployment does not have minimum availability."
		}
		ts := metav1.NewTime(w.Now.Add(-time.Hour))
		d.Status.Conditions = append(d.Status.Conditions, appsv1.DeploymentCondition{
			Type: appsv1.DeploymentAvailable, Status: v1.ConditionStatus(v), Reason: reason, Message: msg,
			LastUpdateTime: ts, LastTransitionTime: ts,
		})
	}
	if v := l.Str("progressing", ""); v != "" {
		reason, ageStr, _ := strings.Cut(v, ":")
		age := time.Hour
		if ageStr != "" {
			a, err := time.ParseDuration(ageStr)
			if err != nil {
				return fmt.Errorf("progressing=%s: %v", v, err)
			}
			age = a
		}
		status := v1.ConditionTrue
		switch reason {
		case "ProgressDeadlineExceeded", "ReplicaSetCreateError":
			status = v1.ConditionFalse
		case "DeploymentPaused", "DeploymentResumed":
			status = v1.ConditionUnknown
		}
		ts := metav1.NewTime(w.Now.Add(-age))
		d.Status.Conditions = append(d.Status.Conditions, appsv1.DeploymentCondition{
			Type: appsv1.DeploymentProgressing, Status: status, Reason: reason, Message: "(from the scenario)",
			LastUpdateTime: ts, LastTransitionTime: ts,
		})
	}
	return nil
}

func counts(s string, n int) ([]int32, error) {
	parts := strings.Split(s, "/")
	if len(parts) != n {
		return nil, fmt.Errorf("status=%s: want %d numbers separated by /", s, n)
	}
	out := make([]int32, n)
	for i, p := range parts {
		var v int32
		if _, err := fmt.Sscan(p, &v); err != nil {
			return nil, fmt.Errorf("status=%s: %q is not a number", s, p)
		}
		out[i] = v
	}
	return out, nil
}

// buildReplicaSet builds a ReplicaSet of the deployment: its template is
// the deployment's with the given image, labelled with the hash upstream
// would have given it.
func buildReplicaSet(w *gen.DeploymentWorld, l *scenario.Line) (*appsv1.ReplicaSet, error) {
	d := w.Deployment
	tmpl := *d.Spec.Template.DeepCopy()
	tmpl.Spec.Containers[0].Image = l.Str("image", tmpl.Spec.Containers[0].Image)
	if lbl, ok, err := l.Map("labels"); err != nil {
		return nil, err
	} else if ok {
		tmpl.Labels = lbl
	}
	hash := workload.ComputeHash(&tmpl, nil)
	tmpl.Labels[appsv1.DefaultDeploymentUniqueLabelKey] = hash
	replicas, err := l.Int("replicas", 0)
	if err != nil {
		return nil, err
	}
	r := int32(replicas)
	age, ok, err := l.Age("age")
	if err != nil {
		return nil, err
	}
	if !ok {
		age = time.Hour
	}
	gen, err := l.Int("generation", 1)
	if err != nil {
		return nil, err
	}
	obs, err := l.Int("observed", gen)
	if err != nil {
		return nil, err
	}
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{}}
	for k, v := range tmpl.Labels {
		sel.MatchLabels[k] = v
	}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: l.Name, Namespace: d.Namespace, UID: types.UID(l.Name + "-uid"), ResourceVersion: "50",
			Generation: gen, CreationTimestamp: metav1.NewTime(w.Now.Add(-age)),
			Labels: tmpl.Labels, Annotations: map[string]string{},
		},
		Spec:   appsv1.ReplicaSetSpec{Replicas: &r, Selector: sel, Template: tmpl, MinReadySeconds: d.Spec.MinReadySeconds},
		Status: appsv1.ReplicaSetStatus{ObservedGeneration: obs},
	}
	switch owner := l.Str("owner", d.Name); owner {
	case "none":
	case "other":
		yes := true
		rs.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "other", UID: "other-uid", Controller: &yes}}
	default:
		rs.OwnerReferences = []metav1.OwnerReference{*metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))}
	}
	for key, ann := range map[string]string{"revision": rollout.RevisionAnnotation, "desired": rollout.DesiredReplicasAnnotation, "max": rollout.MaxReplicasAnnotation, "history": rollout.RevisionHistoryAnnotation} {
		if v := l.Str(key, ""); v != "" {
			rs.Annotations[ann] = v
		}
	}
	if ann, ok, err := l.Map("annotations"); err != nil {
		return nil, err
	} else if ok {
		for k, v := range ann {
			rs.Annotations[k] = v
		}
	}
	if s := l.Str("status", ""); s != "" {
		n, err := counts(s, 3)
		if err != nil {
			return nil, err
		}
		rs.Status.Replicas, rs.Status.FullyLabeledReplicas = n[0], n[0]
		rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = n[1], n[2]
		zero := int32(0)
		rs.Status.TerminatingReplicas = &zero
	}
	if l.Has("failure") {
		rs.Status.Conditions = []appsv1.ReplicaSetCondition{{
			Type: appsv1.ReplicaSetReplicaFailure, Status: v1.ConditionTrue, Reason: "FailedCreate",
			Message: `pods "x" is forbidden: exceeded quota`, LastTransitionTime: metav1.NewTime(w.Now.Add(-10 * time.Minute)),
		}}
	}
	if l.Has("deleting") {
		ts := metav1.NewTime(w.Now.Add(-time.Second))
		rs.DeletionTimestamp = &ts
	}
	return rs, nil
}

// renderPlan prints each call with the fields of the written object that
// matter for a Deployment: sizes, annotations, status and conditions.
func renderPlan(p workload.Plan) string {
	return scenario.RenderPlan(p, writtenObject)
}

// writtenObject is the RenderPlan detail of Deployment scenarios: the size,
// image and annotations of a written ReplicaSet, the image and annotations
// of an updated Deployment, or the status of a Deployment status write.
func writtenObject(a workload.Action) []string {
	switch o := a.Object.(type) {
	case *appsv1.ReplicaSet:
		return []string{fmt.Sprintf("replicas=%d image=%s%s", *o.Spec.Replicas, o.Spec.Template.Spec.Containers[0].Image, annotations(o.Annotations))}
	case *appsv1.Deployment:
		if a.Verb == workload.Update {
			return []string{fmt.Sprintf("image=%s%s", o.Spec.Template.Spec.Containers[0].Image, annotations(o.Annotations))}
		}
		return strings.Split(strings.TrimSuffix(strings.TrimPrefix(deploymentStatus(o), "  "), "\n"), "\n  ")
	}
	return nil
}

func annotations(m map[string]string) string {
	short := map[string]string{
		rollout.RevisionAnnotation: "revision", rollout.RevisionHistoryAnnotation: "history",
		rollout.DesiredReplicasAnnotation: "desired", rollout.MaxReplicasAnnotation: "max",
		rollout.RollbackToAnnotation: "rollbackTo",
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		name := k
		if s, ok := short[k]; ok {
			name = s
		}
		fmt.Fprintf(&b, " %s=%s", name, m[k])
	}
	return b.String()
}

func deploymentStatus(d *appsv1.Deployment) string {
	var b strings.Builder
	s := d.Status
	fmt.Fprintf(&b, "  status: replicas=%d updated=%d ready=%d available=%d unavailable=%d", s.Replicas, s.UpdatedReplicas, s.ReadyReplicas, s.AvailableReplicas, s.UnavailableReplicas)
	if s.TerminatingReplicas != nil {
		fmt.Fprintf(&b, " terminating=%d", *s.TerminatingReplicas)
	}
	fmt.Fprintf(&b, " observedGeneration=%d", s.ObservedGeneration)
	if s.CollisionCount != nil {
		fmt.Fprintf(&b, " collisionCount=%d", *s.CollisionCount)
	}
	if r, ok := d.Annotations[rollout.RevisionAnnotation]; ok {
		fmt.Fprintf(&b, " revision=%s", r)
	}
	b.WriteByte('\n')
	for _, c := range s.Conditions {
		fmt.Fprintf(&b, "  %s=%s %s %q updated %s\n", c.Type, c.Status, c.Reason, c.Message, ago(c.LastUpdateTime.Time))
	}
	return b.String()
}

// ago prints a condition time relative to the scenario epoch.
func ago(t time.Time) string {
	d := t.Sub(scenario.Epoch)
	if d >= 0 {
		return "at +" + d.String()
	}
	return "at -" + (-d).String()
}

func show(w *gen.DeploymentWorld) string {
	var b strings.Builder
	fmt.Fprintf(&b, "deployment %s replicas=%d image=%s\n", w.Deployment.Name, *w.Deployment.Spec.Replicas, w.Deployment.Spec.Template.Spec.Containers[0].Image)
	b.WriteString(deploymentStatus(w.Deployment))
	for _, rs := range w.State().ReplicaSets {
		fmt.Fprintf(&b, "replicaset %s replicas=%d status=%d/%d/%d image=%s%s\n", rs.Name, *rs.Spec.Replicas,
			rs.Status.Replicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas,
			rs.Spec.Template.Spec.Containers[0].Image, annotations(rs.Annotations))
	}
	return b.String()
}
