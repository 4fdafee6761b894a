package rollout

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubepure/kubepure/workload"
)

// equalIgnoreHash compares two pod templates semantically (nil and empty
// collections alike, quantities by value), ignoring the pod-template-hash
// label. This, not the hash, is how the new ReplicaSet is recognised.
func equalIgnoreHash(a, b *v1.PodTemplateSpec) bool {
	// Upstream deep-copies both templates, drops the hash label and compares
	// the copies. Comparing the labels by hand and the rest in place gives
	// the same answer without the copies: semantic equality treats a nil
	// and an empty map alike, as sameLabelsIgnoringHash does.
	if !sameLabelsIgnoringHash(a.Labels, b.Labels) || !sameContainersAtAGlance(a.Spec.Containers, b.Spec.Containers) {
		return false
	}
	am, bm := a.ObjectMeta, b.ObjectMeta
	am.Labels, bm.Labels = nil, nil
	return apiequality.Semantic.DeepEqual(am, bm) && apiequality.Semantic.DeepEqual(a.Spec, b.Spec)
}

// sameContainersAtAGlance is a quick test that rejects templates whose
// containers differ in number, name or image, which no semantic comparison
// would find equal; templates it accepts still get the full comparison.
func sameContainersAtAGlance(a, b []v1.Container) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Image != b[i].Image {
			return false
		}
	}
	return true
}

// sameLabelsIgnoringHash compares two label sets without the
// pod-template-hash label.
func sameLabelsIgnoringHash(a, b map[string]string) bool {
	const hash = appsv1.DefaultDeploymentUniqueLabelKey
	count := func(m map[string]string) int {
		n := len(m)
		if _, ok := m[hash]; ok {
			n--
		}
		return n
	}
	if count(a) != count(b) {
		return false
	}
	for k, v := range a {
		if k == hash {
			continue
		}
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// findNewReplicaSet sorts rsList by creation time, in place as upstream
// does, and returns the oldest ReplicaSet running the Deployment's template.
func (s *syncer) findNewReplicaSet(rsList []*appsv1.ReplicaSet) *appsv1.ReplicaSet {
	sort.Sort(byCreation(rsList))
	for _, rs := range rsList {
		if s.runsCurrentTemplate(rs) {
			return rs
		}
	}
	return nil
}

// runsCurrentTemplate reports whether rs runs the Deployment's template,
// remembering the answer for the rest of the sync: upstream looks for the
// new ReplicaSet several times per sync, and the semantic comparison is the
// costliest step of a sync. The Deployment's template does not change
// within a sync, and a ReplicaSet copied during it gets a new entry.
func (s *syncer) runsCurrentTemplate(rs *appsv1.ReplicaSet) bool {
	if same, ok := s.sameTemplate[&rs.Spec.Template]; ok {
		return same
	}
	same := equalIgnoreHash(&rs.Spec.Template, &s.d.Spec.Template)
	if s.sameTemplate == nil {
		s.sameTemplate = map[*v1.PodTemplateSpec]bool{}
	}
	s.sameTemplate[&rs.Spec.Template] = same
	return same
}

// oldReplicaSets is every claimed ReplicaSet but the new one (compared by
// UID), in creation order, zero-sized ones included.
func (s *syncer) oldReplicaSets(rsList []*appsv1.ReplicaSet) []*appsv1.ReplicaSet {
	newRS := s.findNewReplicaSet(rsList)
	var old []*appsv1.ReplicaSet
	for _, rs := range rsList {
		if newRS != nil && rs.UID == newRS.UID {
			continue
		}
		old = append(old, rs)
	}
	return old
}

// allReplicaSets is upstream getAllReplicaSetsAndSyncRevision: the old
// ReplicaSets, and the new one brought up to date (annotations, revision,
// minReadySeconds) or, when create is set and there is none, created. Each
// call starts again from the cached list, so two calls in one sync may both
// write the same stale ReplicaSet.
func (s *syncer) allReplicaSets(rsList []*appsv1.ReplicaSet, create bool) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet, error) {
	old := s.oldReplicaSets(rsList)
	newRS, err := s.newReplicaSet(rsList, old, create)
	if err != nil {
		return nil, nil, err
	}
	return newRS, old, nil
}

// newReplicaSet is upstream getNewReplicaSet.
func (s *syncer) newReplicaSet(rsList, old []*appsv1.ReplicaSet, create bool) (*appsv1.ReplicaSet, error) {
	d := s.d
	existing := s.findNewReplicaSet(rsList)
	newRevision := strconv.FormatInt(maxRevision(old)+1, 10)

	if existing != nil {
		rs := existing.DeepCopy()
		annotated := setNewReplicaSetAnnotations(d, rs, newRevision, true)
		if annotated || rs.Spec.MinReadySeconds != d.Spec.MinReadySeconds {
			// Upstream returns right after this write: the Deployment's
			// revision is synced by a later call or sync.
			rs.Spec.MinReadySeconds = d.Spec.MinReadySeconds
			return s.updateReplicaSet(rs, fmt.Sprintf("sync new replica set %s: annotations, revision %s, minReadySeconds %d",
				rs.Name, rs.Annotations[RevisionAnnotation], rs.Spec.MinReadySeconds)), nil
		}
		oldRevision, before := d.Annotations[RevisionAnnotation], d.Status
		changed := setDeploymentRevision(d, rs.Annotations[RevisionAnnotation])
		if hasProgressDeadline(d) && getCondition(d.Status, appsv1.DeploymentProgressing) == nil {
			setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, v1.ConditionTrue, ReasonFoundNewReplicaSet,
				fmt.Sprintf("Found new replica set %q", rs.Name), s.now))
			changed = true
		}
		if changed {
			s.updateStatus(s.revisionReason("new replica set "+rs.Name+" found", oldRevision, before))
		}
		return rs, nil
	}
	if !create {
		return nil, nil
	}

	// Build the new ReplicaSet from the template, named after its hash.
	tmpl := *d.Spec.Template.DeepCopy()
	hash := workload.ComputeHash(&tmpl, d.Status.CollisionCount)
	tmpl.Labels = withLabel(d.Spec.Template.Labels, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name:            replicaSetName(d.Name, hash),
			Namespace:       d.Namespace,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, deploymentKind)},
			Labels:          tmpl.Labels,
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        new(int32),
			MinReadySeconds: d.Spec.MinReadySeconds,
			Selector:        selectorWithLabel(d.Spec.Selector, appsv1.DefaultDeploymentUniqueLabelKey, hash),
			Template:        tmpl,
		},
	}
	*rs.Spec.Replicas = newReplicaSetTarget(d, withNew(old, rs), rs)
	setNewReplicaSetAnnotations(d, rs, newRevision, false)
	// The body must not share maps with the ReplicaSet kept in memory.
	body := rs.DeepCopy()

	taken := s.lookup(rs.Name)
	var reason string
	switch {
	case taken != nil:
		reason = fmt.Sprintf("create new replica set %s at revision %s with %d replicas (the name is taken: the API server answers AlreadyExists)",
			rs.Name, newRevision, *rs.Spec.Replicas)
	case *rs.Spec.Replicas > 0:
		// The text of the event upstream records for this create.
		reason = fmt.Sprintf("Scaled up replica set %s from 0 to %d (new replica set, revision %s)", rs.Name, *rs.Spec.Replicas, newRevision)
	default:
		reason = fmt.Sprintf("create new replica set %s at revision %s with 0 replicas", rs.Name, newRevision)
	}
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb: workload.Create, Resource: workload.ResourceReplicaSets, Namespace: rs.Namespace, Name: rs.Name, Object: body, Reason: reason,
	})

	created, alreadyExisted := rs, false
	if taken != nil {
		ref := metav1.GetControllerOfNoCopy(taken)
		if ref == nil || ref.UID != d.UID || !equalIgnoreHash(&d.Spec.Template, &taken.Spec.Template) {
			// A hash collision: try another name next time.
			before := d.Status
			if d.Status.CollisionCount == nil {
				d.Status.CollisionCount = new(int32)
			} else {
				// before must keep the old count.
				n := *d.Status.CollisionCount
				d.Status.CollisionCount = &n
			}
			*d.Status.CollisionCount++
			s.updateStatus(fmt.Sprintf("hash collision on %s: %s", rs.Name, statusChanges(before, d.Status)))
			return nil, errSyncFailed
		}
		// Our own ReplicaSet, known to the cache but not claimed.
		created, alreadyExisted = taken, true
	}
	if !alreadyExisted && *rs.Spec.Replicas > 0 {
		s.plan.Normal(s.ref, EventScalingReplicaSet, "Scaled up replica set %s from 0 to %d", created.Name, *rs.Spec.Replicas)
	}

	oldRevision, before := d.Annotations[RevisionAnnotation], d.Status
	changed := setDeploymentRevision(d, newRevision)
	if !alreadyExisted && hasProgressDeadline(d) {
		setCondition(&d.Status, newCondition(appsv1.DeploymentProgressing, v1.ConditionTrue, ReasonNewReplicaSetCreated,
			fmt.Sprintf("Created new replica set %q", created.Name), s.now))
		changed = true
	}
	if changed {
		s.updateStatus(s.revisionReason("new replica set "+created.Name+" created", oldRevision, before))
	}
	return created, nil
}

// revisionReason is the reason of a status write that records the new
// ReplicaSet: what happened, then what the write changes (the revision
// annotation, which a status write stores too, and the status).
func (s *syncer) revisionReason(what, oldRevision string, before appsv1.DeploymentStatus) string {
	var changes []string
	switch cur := s.d.Annotations[RevisionAnnotation]; {
	case cur == oldRevision:
	case oldRevision == "":
		changes = append(changes, "revision annotation set to "+cur)
	default:
		changes = append(changes, fmt.Sprintf("revision annotation %s->%s", oldRevision, cur))
	}
	if c := statusChanges(before, s.d.Status); c != "unchanged" {
		changes = append(changes, c)
	}
	if len(changes) == 0 {
		return what
	}
	return what + ": " + strings.Join(changes, ", ")
}

// lookup finds a ReplicaSet of the namespace by name, as the lister would.
func (s *syncer) lookup(name string) *appsv1.ReplicaSet {
	var found *appsv1.ReplicaSet
	for _, rs := range s.inNamespace {
		if rs.Name == name && (found == nil || string(rs.UID) < string(found.UID)) {
			found = rs
		}
	}
	return found
}

// setDeploymentRevision sets the Deployment's revision annotation and
// reports whether it changed. Like upstream it leaves an empty annotation
// map behind even when nothing changed.
func setDeploymentRevision(d *appsv1.Deployment, revision string) bool {
	if d.Annotations == nil {
		d.Annotations = map[string]string{}
	}
	if d.Annotations[RevisionAnnotation] == revision {
		return false
	}
	d.Annotations[RevisionAnnotation] = revision
	return true
}

// replicaSetName is "<deployment>-<hash>", the deployment name cut so the
// whole fits a DNS subdomain (253 characters); the hash is never cut.
func replicaSetName(deployment, hash string) string {
	maxLen := validation.DNS1123SubdomainMaxLength - 1 - len(hash)
	if len(deployment) > maxLen && maxLen > 0 {
		deployment = deployment[:maxLen]
	}
	return deployment + "-" + hash
}

// withLabel returns a copy of m with key set to value.
func withLabel(m map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[key] = value
	return out
}

// selectorWithLabel returns a copy of sel requiring key=value as well.
// MatchExpressions stay nil when they were nil.
func selectorWithLabel(sel *metav1.LabelSelector, key, value string) *metav1.LabelSelector {
	out := &metav1.LabelSelector{MatchLabels: withLabel(sel.MatchLabels, key, value)}
	if sel.MatchExpressions != nil {
		out.MatchExpressions = make([]metav1.LabelSelectorRequirement, len(sel.MatchExpressions))
		for i, e := range sel.MatchExpressions {
			out.MatchExpressions[i] = metav1.LabelSelectorRequirement{Key: e.Key, Operator: e.Operator}
			if e.Values != nil {
				out.MatchExpressions[i].Values = append(make([]string, 0, len(e.Values)), e.Values...)
			}
		}
	}
	return out
}
