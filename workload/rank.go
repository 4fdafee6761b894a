package workload

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// PodDeletionCostAnnotation lets a user say which pods of a ReplicaSet to
// remove first on scale-down: lower cost goes first. Its value is a 32-bit
// decimal integer.
const PodDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

// PodDeletionCost returns the pod's deletion cost, or 0 when the annotation is
// missing or invalid. The API server's spelling rules apply: an optional
// leading '-', then either the single digit "0" or digits without a leading
// zero, within int32. So "-007" is -7 (only the first character is checked
// for a leading zero), while "+1", "007", "" and "2147483648" all count as 0.
func PodDeletionCost(p *v1.Pod) int32 {
	if p == nil {
		return 0
	}
	value, ok := p.Annotations[PodDeletionCostAnnotation]
	if !ok || !costStartsWell(value) {
		return 0
	}
	n, err := strconv.ParseInt(value, 10, 32)
	if err != nil {
		return 0
	}
	return int32(n)
}

// costStartsWell rejects what strconv would accept but the API server does
// not: a leading '+' and a leading zero (other than "0" itself). Only the
// first character is looked at, which is why "-0" and "-007" pass.
func costStartsWell(s string) bool {
	if s == "" {
		return false
	}
	switch c := s[0]; {
	case c == '-':
		return true
	case c == '0':
		return s == "0"
	default:
		return c >= '1' && c <= '9'
	}
}

// phaseOrdinal orders phases for deletion: Pending before Unknown before
// Running. Every other phase, including the empty one, ranks as Pending.
func phaseOrdinal(phase v1.PodPhase) int {
	switch phase {
	case v1.PodUnknown:
		return 1
	case v1.PodRunning:
		return 2
	default:
		return 0
	}
}

// deletionFacts is what the deletion order looks at in one pod, gathered once
// so that sorting many pods does not re-scan conditions and statuses.
type deletionFacts struct {
	pod             *v1.Pod
	rank            int
	node            string
	phase           int
	ready           bool
	cost            int32
	readySince      time.Time // zero unless ready
	readyBucket     int64
	created         time.Time
	createdBucket   int64
	restarts        int
	sidecarRestarts int
}

func factsOf(p *v1.Pod, rank int, now time.Time) deletionFacts {
	if p == nil {
		p = &v1.Pod{}
	}
	f := deletionFacts{
		pod:     p,
		rank:    rank,
		node:    p.Spec.NodeName,
		phase:   phaseOrdinal(p.Status.Phase),
		ready:   IsPodReady(p),
		cost:    PodDeletionCost(p),
		created: p.CreationTimestamp.Time,
	}
	if f.ready {
		f.readySince = PodReadyCondition(p).LastTransitionTime.Time
	}
	f.readyBucket = ageBucket(f.readySince, now)
	f.createdBucket = ageBucket(f.created, now)
	f.restarts, f.sidecarRestarts = maxRestarts(p)
	return f
}

// ageBucket is the base-2 logarithm of how long before now t lies, in
// nanoseconds, rounded towards zero; -1 when t is not before now. Pods whose
// ages fall into the same bucket are treated as equally old, so that a
// scale-down does not always pick the very youngest pods of a large set.
func ageBucket(t, now time.Time) int64 {
	age := now.Sub(t)
	if age <= 0 {
		return -1
	}
	return int64(math.Log2(float64(age)))
}

// maxRestarts returns the highest restart count among the regular
// containers, and among the sidecars (init containers with restartPolicy
// Always), each at least 0.
func maxRestarts(p *v1.Pod) (regular, sidecar int) {
	for _, s := range p.Status.ContainerStatuses {
		regular = max(regular, int(s.RestartCount))
	}
	var sidecars map[string]bool
	for _, c := range p.Spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == v1.ContainerRestartPolicyAlways {
			if sidecars == nil {
				sidecars = map[string]bool{}
			}
			sidecars[c.Name] = true
		}
	}
	for _, s := range p.Status.InitContainerStatuses {
		if sidecars[s.Name] {
			sidecar = max(sidecar, int(s.RestartCount))
		}
	}
	return regular, sidecar
}

// ComparePodsForDeletion orders two pods of one controller for deletion. It
// returns a negative number when a should be deleted before b, a positive one
// when b should go first, and 0 when upstream sees no difference. rankA and
// rankB are the pods' co-location ranks (see ColocationRanks); now is the
// reference time for the age buckets.
//
// The first rule that tells the pods apart decides:
//
//  1. a pod not yet bound to a node before one that is;
//  2. by phase: Pending (and any phase other than Unknown and Running)
//     before Unknown before Running;
//  3. a not-ready pod before a ready one;
//  4. lower pod-deletion-cost before higher;
//  5. higher co-location rank before lower;
//  6. when both are ready with different ready times: the pod ready for a
//     shorter time first — a zero ready time counts as shortest, and times
//     are compared by age bucket (base-2 logarithm of nanoseconds before
//     now), with equal buckets decided by the lower UID;
//  7. more container restarts before fewer, then more sidecar restarts;
//  8. with different creation times: the younger pod first, by the same
//     zero-time, bucket and UID rules as in 6.
//
// When now is the zero time, rules 6 and 8 compare exact times instead of
// buckets. This is exactly kube-controller-manager's ActivePodsWithRanks
// order (with the PodDeletionCost feature on, its default). Like upstream's,
// the order is not always transitive (bucket-level UID tie-breaks can form
// cycles with rules 7 and 8), which is why PodsToDelete fixes the order of
// its input before sorting. A nil pod compares as an empty pod.
func ComparePodsForDeletion(a, b *v1.Pod, rankA, rankB int, now time.Time) int {
	fa := factsOf(a, rankA, now)
	fb := factsOf(b, rankB, now)
	return compareFacts(&fa, &fb, now.IsZero())
}

func compareFacts(a, b *deletionFacts, exactTimes bool) int {
	// 1. Unscheduled first, when exactly one of the two is unscheduled.
	if (a.node == "") != (b.node == "") {
		if a.node == "" {
			return -1
		}
		return 1
	}
	// 2. Phase.
	if a.phase != b.phase {
		return cmpInt(a.phase, b.phase)
	}
	// 3. Not ready first.
	if a.ready != b.ready {
		if !a.ready {
			return -1
		}
		return 1
	}
	// 4. Deletion cost.
	if a.cost != b.cost {
		return cmpInt(a.cost, b.cost)
	}
	// 5. More co-located pods first.
	if a.rank != b.rank {
		return cmpInt(b.rank, a.rank)
	}
	// 6. Shorter ready first.
	if a.ready && b.ready && !a.readySince.Equal(b.readySince) {
		return compareTimes(a.readySince, b.readySince, a.readyBucket, b.readyBucket, a.pod.UID, b.pod.UID, exactTimes)
	}
	// 7. More restarts first, regular containers before sidecars.
	if a.restarts != b.restarts {
		return cmpInt(b.restarts, a.restarts)
	}
	if a.sidecarRestarts != b.sidecarRestarts {
		return cmpInt(b.sidecarRestarts, a.sidecarRestarts)
	}
	// 8. Younger first.
	if !a.created.Equal(b.created) {
		return compareTimes(a.created, b.created, a.createdBucket, b.createdBucket, a.pod.UID, b.pod.UID, exactTimes)
	}
	return 0
}

// compareTimes orders two different timestamps for deletion, the later
// (younger) first. A zero time is treated as later than any other. Unless
// exactTimes is set, times whose age buckets are equal are not compared
// further; the lower UID goes first instead.
func compareTimes(ta, tb time.Time, bucketA, bucketB int64, uidA, uidB types.UID, exactTimes bool) int {
	if exactTimes || ta.IsZero() || tb.IsZero() {
		switch {
		case ta.IsZero():
			return -1
		case tb.IsZero():
			return 1
		case ta.After(tb):
			return -1
		default:
			return 1
		}
	}
	if bucketA == bucketB {
		return strings.Compare(string(uidA), string(uidB))
	}
	return cmpInt(bucketA, bucketB)
}

func cmpInt[T int | int32 | int64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	default:
		return 0
	}
}

// ColocationRanks returns, for each pod in pods, how many active pods of
// related run on the same node (pods not yet bound to a node share one
// group, the empty node name). related are the pods of every ReplicaSet
// under the same controller, the pods themselves included; for a ReplicaSet
// without a controller it is empty and every rank is 0. A pod listed more
// than once in related (by UID) counts once; if its copies disagree, the copy
// first in (namespace, name, node name, active first) order is the one
// counted. Nil pods are ignored.
func ColocationRanks(pods, related []*v1.Pod) []int {
	perNode := podsPerNode(related)
	ranks := make([]int, len(pods))
	for i, p := range pods {
		if p != nil {
			ranks[i] = perNode[p.Spec.NodeName]
		}
	}
	return ranks
}

func podsPerNode(related []*v1.Pod) map[string]int {
	chosen := make(map[types.UID]*v1.Pod, len(related))
	for _, p := range related {
		if p == nil {
			continue
		}
		if prev, seen := chosen[p.UID]; !seen || lessDuplicate(p, prev) {
			chosen[p.UID] = p
		}
	}
	perNode := make(map[string]int)
	for _, p := range chosen {
		if IsPodActive(p) {
			perNode[p.Spec.NodeName]++
		}
	}
	return perNode
}

// lessDuplicate orders copies of one pod (same UID) to pick one
// deterministically.
func lessDuplicate(a, b *v1.Pod) bool {
	if c := compareIdentity(a, b); c != 0 {
		return c < 0
	}
	if a.Spec.NodeName != b.Spec.NodeName {
		return a.Spec.NodeName < b.Spec.NodeName
	}
	return IsPodActive(a) && !IsPodActive(b)
}

// compareIdentity is the total order used wherever upstream's answer would
// depend on list order: namespace, then name, then UID.
func compareIdentity(a, b *v1.Pod) int {
	if c := strings.Compare(a.Namespace, b.Namespace); c != 0 {
		return c
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return strings.Compare(string(a.UID), string(b.UID))
}

// PodsToDelete picks the n pods a ReplicaSet deletes when it has n too many,
// as kube-controller-manager does at time now. related are the pods used for
// co-location ranks (see ColocationRanks).
//
// When n covers all pods, upstream deletes them all without ranking; they
// are returned in (namespace, name, UID) order. Otherwise the result is the
// first n pods in ComparePodsForDeletion order. Where that order has ties —
// or cycles, since it is not always transitive — upstream's choice depends on
// the order of its input list; here the pods are first put in (namespace,
// name, UID) order and then stably sorted, so the result depends only on the
// set of pods given. Nil pods are skipped, n <= 0 gives an empty result, and
// the input slices are never modified.
func PodsToDelete(pods, related []*v1.Pod, n int, now time.Time) []*v1.Pod {
	present := make([]*v1.Pod, 0, len(pods))
	for _, p := range pods {
		if p != nil {
			present = append(present, p)
		}
	}
	if n <= 0 {
		return []*v1.Pod{}
	}
	slices.SortStableFunc(present, compareIdentity)
	if n >= len(present) {
		return present
	}
	ranks := ColocationRanks(present, related)
	// Sort pointers into one backing array: two allocations, and swaps move
	// a word instead of the whole record.
	backing := make([]deletionFacts, len(present))
	facts := make([]*deletionFacts, len(present))
	for i, p := range present {
		backing[i] = factsOf(p, ranks[i], now)
		facts[i] = &backing[i]
	}
	exact := now.IsZero()
	slices.SortStableFunc(facts, func(a, b *deletionFacts) int {
		return compareFacts(a, b, exact)
	})
	out := make([]*v1.Pod, n)
	for i := range out {
		out[i] = facts[i].pod
	}
	return out
}
