package gen

import (
	"fmt"
	"time"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"pgregory.net/rapid"
)

// DeletionCostAnnotation is the pod annotation upstream reads the deletion
// cost from.
const DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

// DeletionCosts are the annotation values drawn: valid costs (zero,
// negative, the int32 limits) and values upstream reads as 0 because they
// do not parse (a plus sign, a leading zero, out of the int32 range, not a
// number, empty). The API server rejects the invalid ones on pods it
// validates; they are kept because a stored object can predate validation
// and upstream's reading of them is defined.
var DeletionCosts = []string{
	"0", "1", "-1", "5", "100", "-100", "2147483647", "-2147483648",
	"+1", "007", "-007", "00", "-0", "2147483648", "-2147483649", "1e3", " 1", "", "abc", "0x10",
}

// PodWorld is the shared pools one generated state draws its pods from.
type PodWorld struct {
	Now   time.Time
	Nodes []string
	UIDs  []types.UID
	Ages  []time.Duration
}

// World draws the pools for a state. now is the reference time the ages
// are measured from.
func World(t *rapid.T, now time.Time) PodWorld {
	nodes := []string{"", "node-a", "node-b", "node-c"}
	uids := []types.UID{"0a", "1b", "2c", "3d", "4e", "5f", "6g", "7h", "8i", "9j"}
	return PodWorld{
		Now:   now,
		Nodes: nodes[:rapid.IntRange(1, len(nodes)).Draw(t, "nodeCount")],
		UIDs:  uids[:rapid.IntRange(1, len(uids)).Draw(t, "uidCount")],
		Ages:  Ages(t, "age"),
	}
}

// PodOptions narrow what Pod draws.
type PodOptions struct {
	// ActiveOnly keeps phases to those of active pods ("", Pending,
	// Unknown, Running) and never sets a deletion timestamp.
	ActiveOnly bool
	// MinAge, when positive, keeps every timestamp at least this far in the
	// past (or zero), and at least a bucket-stability margin away from a
	// power-of-two edge; see StableAge.
	MinAge time.Duration
}

// Pod draws one pod named name from w.
func Pod(t *rapid.T, w PodWorld, name string, opts PodOptions) *v1.Pod {
	p := &v1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: "default",
			UID:       rapid.SampledFrom(w.UIDs).Draw(t, name+".uid"),
			Labels:    map[string]string{"app": "web"},
		},
		Spec: v1.PodSpec{
			NodeName:   rapid.SampledFrom(w.Nodes).Draw(t, name+".node"),
			Containers: []v1.Container{{Name: "main", Image: "nginx"}},
		},
	}
	p.CreationTimestamp = podTime(t, w, opts, name+".created")
	phases := []v1.PodPhase{"", v1.PodPending, v1.PodUnknown, v1.PodRunning}
	if !opts.ActiveOnly {
		phases = append(phases, v1.PodSucceeded, v1.PodFailed)
	}
	p.Status.Phase = rapid.SampledFrom(phases).Draw(t, name+".phase")
	if rapid.Bool().Draw(t, name+".hasCost") {
		if p.Annotations == nil {
			p.Annotations = map[string]string{}
		}
		p.Annotations[DeletionCostAnnotation] = rapid.SampledFrom(DeletionCosts).Draw(t, name+".cost")
	}
	drawConditions(t, w, opts, p, name)
	drawRestarts(t, p, name)
	if !opts.ActiveOnly && rapid.IntRange(0, 9).Draw(t, name+".deleting") == 0 {
		ts := metav1.NewTime(w.Now.Add(-time.Minute))
		p.DeletionTimestamp = &ts
	}
	return p
}

func podTime(t *rapid.T, w PodWorld, opts PodOptions, label string) metav1.Time {
	ts := Timestamp(t, w.Now, w.Ages, label)
	if opts.MinAge <= 0 || ts.IsZero() {
		return ts
	}
	return metav1.NewTime(w.Now.Add(-StableAge(w.Now.Sub(ts.Time), opts.MinAge)))
}

// StableAge moves age to at least minAge and, if it lies within minAge of
// the next power of two nanoseconds, below that window: an age that keeps
// its logarithmic bucket while up to minAge passes. Tests against upstream
// code that reads the wall clock itself need this, or a pod could change
// bucket between the two clock readings.
func StableAge(age, minAge time.Duration) time.Duration {
	if age < minAge {
		age = minAge + (minAge - age%minAge)
	}
	for {
		next := time.Duration(1)
		for next <= age && next < 1<<62 {
			next <<= 1
		}
		if next-age > minAge || next >= 1<<62 {
			return age
		}
		// Jump past the edge, well inside the next bucket.
		age = next + minAge
	}
}

func drawConditions(t *rapid.T, w PodWorld, opts PodOptions, p *v1.Pod, name string) {
	n := rapid.IntRange(0, 2).Draw(t, name+".readyConditions")
	for i := 0; i < n; i++ {
		status := rapid.SampledFrom([]v1.ConditionStatus{v1.ConditionTrue, v1.ConditionTrue, v1.ConditionFalse, v1.ConditionUnknown}).Draw(t, fmt.Sprintf("%s.ready%d", name, i))
		p.Status.Conditions = append(p.Status.Conditions, v1.PodCondition{
			Type:               v1.PodReady,
			Status:             status,
			LastTransitionTime: podTime(t, w, opts, fmt.Sprintf("%s.readySince%d", name, i)),
		})
	}
	if rapid.Bool().Draw(t, name+".scheduledCondition") {
		// A condition of another type before or after Ready must be skipped.
		c := v1.PodCondition{Type: v1.PodScheduled, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(w.Now.Add(-time.Hour))}
		if rapid.Bool().Draw(t, name+".scheduledFirst") {
			p.Status.Conditions = append([]v1.PodCondition{c}, p.Status.Conditions...)
		} else {
			p.Status.Conditions = append(p.Status.Conditions, c)
		}
	}
}

// drawRestarts gives the pod container statuses with restart counts, and
// init containers of which some are sidecars (restartPolicy Always). Init
// container statuses are matched to sidecars by name upstream, so some
// statuses name a container that is not a sidecar or does not exist.
func drawRestarts(t *rapid.T, p *v1.Pod, name string) {
	counts := []int32{0, 1, 2, 5, 1000}
	for i := range rapid.IntRange(0, 2).Draw(t, name+".containers") {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, v1.ContainerStatus{
			Name:         fmt.Sprintf("c%d", i),
			RestartCount: rapid.SampledFrom(counts).Draw(t, fmt.Sprintf("%s.restarts%d", name, i)),
		})
	}
	always := v1.ContainerRestartPolicyAlways
	initNames := []string{"sidecar", "init", "ghost"}
	for i := range rapid.IntRange(0, 2).Draw(t, name+".initContainers") {
		c := v1.Container{Name: initNames[i], Image: "busybox"}
		if rapid.Bool().Draw(t, fmt.Sprintf("%s.sidecar%d", name, i)) {
			c.RestartPolicy = &always
		}
		p.Spec.InitContainers = append(p.Spec.InitContainers, c)
	}
	for i := range rapid.IntRange(0, 3).Draw(t, name+".initStatuses") {
		p.Status.InitContainerStatuses = append(p.Status.InitContainerStatuses, v1.ContainerStatus{
			Name:         rapid.SampledFrom(initNames).Draw(t, fmt.Sprintf("%s.initStatus%d", name, i)),
			RestartCount: rapid.SampledFrom(counts).Draw(t, fmt.Sprintf("%s.initRestarts%d", name, i)),
		})
	}
}

// Pods draws between min and max pods named pod-0, pod-1, ... from w.
func Pods(t *rapid.T, w PodWorld, label string, min, max int, opts PodOptions) []*v1.Pod {
	n := rapid.IntRange(min, max).Draw(t, label+"Count")
	pods := make([]*v1.Pod, n)
	for i := range pods {
		pods[i] = Pod(t, w, fmt.Sprintf("%s-%d", label, i), opts)
	}
	return pods
}
