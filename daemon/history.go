package daemon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/internal/dsutil"
	"github.com/kubepure/kubepure/selector"
	"github.com/kubepure/kubepure/workload"
)

// constructHistory claims the DaemonSet's revisions, labels the ones
// without controller-revision-hash (with their own name), and finds or
// creates the current one. It returns the current hash and the old
// revisions.
func (s *syncer) constructHistory() (string, []*appsv1.ControllerRevision, error) {
	data, err := dsutil.RevisionData(&s.ds.Spec.Template)
	if err != nil {
		return "", nil, fmt.Errorf("daemonSet.spec.template: %w", err)
	}
	var current, old []*appsv1.ControllerRevision
	for _, r := range s.claimRevisions() {
		if _, ok := r.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]; !ok {
			r = r.DeepCopy()
			if r.Labels == nil {
				r.Labels = map[string]string{}
			}
			r.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] = r.Name
			s.plan.Actions = append(s.plan.Actions, workload.Action{
				Verb: workload.Update, Resource: workload.ResourceControllerRevisions, Namespace: r.Namespace, Name: r.Name,
				Object: r.DeepCopy(), Reason: "label revision with its name as controller-revision-hash",
			})
		}
		if bytes.Equal(r.Data.Raw, data) {
			current = append(current, r)
		} else {
			old = append(old, r)
		}
	}
	next := maxRevision(old) + 1
	var cur *appsv1.ControllerRevision
	if len(current) == 0 {
		cur, err = s.snapshot(data, next)
		if err != nil {
			return "", nil, err
		}
	} else {
		cur = s.dedupCurrent(current)
		if cur.Revision < next {
			up := cur.DeepCopy()
			up.Revision = next
			s.plan.Actions = append(s.plan.Actions, workload.Action{
				Verb: workload.Update, Resource: workload.ResourceControllerRevisions, Namespace: up.Namespace, Name: up.Name,
				Object: up, Reason: fmt.Sprintf("current template is back: revision %d -> %d", cur.Revision, next),
			})
		}
	}
	return cur.Labels[appsv1.DefaultDaemonSetUniqueLabelKey], old, nil
}

// claimRevisions adopts and releases the namespace's ControllerRevisions
// and returns the ones the DaemonSet controls.
func (s *syncer) claimRevisions() []*appsv1.ControllerRevision {
	claim := selector.ClaimObjects(s.ds, daemonSetKind, s.sel, s.revisions)
	for _, c := range claim.Changes {
		s.plan.Actions = append(s.plan.Actions, c.Action(workload.ResourceControllerRevisions, daemonSetKind.Kind, s.ds))
	}
	return claim.Claimed
}

func maxRevision(rs []*appsv1.ControllerRevision) int64 {
	var m int64
	for _, r := range rs {
		m = max(m, r.Revision)
	}
	return m
}

// snapshot creates the revision of the current template, named
// "<daemonset>-<hash>". When a revision of that name already exists (it
// was not among the DaemonSet's own revisions with this data), the create
// fails: a revision with the same data is taken as current; otherwise it is
// a hash collision, and the sync bumps status.collisionCount and fails.
func (s *syncer) snapshot(data []byte, revision int64) (*appsv1.ControllerRevision, error) {
	hash := workload.ComputeHash(&s.ds.Spec.Template, s.ds.Status.CollisionCount)
	name := s.ds.Name + "-" + hash
	rev := &appsv1.ControllerRevision{
		ObjectMeta: metav1.ObjectMeta{
			Name:            name,
			Namespace:       s.ds.Namespace,
			Labels:          withLabel(s.ds.Spec.Template.Labels, appsv1.DefaultDaemonSetUniqueLabelKey, hash),
			Annotations:     s.ds.Annotations,
			OwnerReferences: []metav1.OwnerReference{*selector.ControllerRef(s.ds, daemonSetKind)},
		},
		Data:     runtime.RawExtension{Raw: data},
		Revision: revision,
	}
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb: workload.Create, Resource: workload.ResourceControllerRevisions, Namespace: s.ds.Namespace, Name: name,
		Object: rev.DeepCopy(), Reason: fmt.Sprintf("record the current template as revision %d", revision),
	})
	existing := s.lookupRevision(name)
	if existing == nil {
		return rev, nil
	}
	if bytes.Equal(existing.Data.Raw, data) {
		return existing, nil
	}
	bumped := s.ds.DeepCopy()
	var n int32
	if bumped.Status.CollisionCount != nil {
		n = *bumped.Status.CollisionCount
	}
	n++
	bumped.Status.CollisionCount = &n
	s.plan.Actions = append(s.plan.Actions, workload.Action{
		Verb: workload.UpdateStatus, Resource: workload.ResourceDaemonSets, Namespace: bumped.Namespace, Name: bumped.Name,
		Object: bumped, Reason: fmt.Sprintf("status: collisionCount %d->%d (revision name %s is taken by another template)", n-1, n, name),
	})
	return nil, errSyncFailed
}

// lookupRevision is the API server's copy of the named revision, after
// this sync's own label update if it made one.
func (s *syncer) lookupRevision(name string) *appsv1.ControllerRevision {
	var found *appsv1.ControllerRevision
	for _, r := range s.revisions {
		if r.Name == name {
			found = r
		}
	}
	if found == nil {
		return nil
	}
	for _, a := range s.plan.Actions {
		if a.Verb == workload.Update && a.Resource == workload.ResourceControllerRevisions && a.Name == name {
			found = a.Object.(*appsv1.ControllerRevision)
		}
	}
	return found
}

// dedupCurrent keeps one of several revisions with the current data: the
// one with the highest revision (of equals, the last by name). It relabels
// the DaemonSet's pods with the kept hash and deletes the other revisions.
func (s *syncer) dedupCurrent(current []*appsv1.ControllerRevision) *appsv1.ControllerRevision {
	if len(current) == 1 {
		return current[0]
	}
	keep := current[0]
	for _, r := range current {
		if r.Revision >= keep.Revision {
			keep = r
		}
	}
	hash := keep.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]
	for _, p := range s.claimPods() {
		if p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey] == hash {
			continue
		}
		patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"labels": map[string]string{appsv1.DefaultDaemonSetUniqueLabelKey: hash}}})
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb: workload.Patch, Resource: workload.ResourcePods, Namespace: p.Namespace, Name: p.Name,
			PatchType: types.MergePatchType, Patch: patch, Reason: "relabel pod with the kept revision's hash " + hash,
		})
	}
	for _, r := range current {
		if r.Name == keep.Name {
			continue
		}
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb: workload.Delete, Resource: workload.ResourceControllerRevisions, Namespace: r.Namespace, Name: r.Name,
			Reason: "duplicate of current revision " + keep.Name,
		})
	}
	return keep
}

// cleanupHistory deletes the oldest old revisions beyond
// revisionHistoryLimit, skipping those whose hash a pod still carries.
func (s *syncer) cleanupHistory(old []*appsv1.ControllerRevision) {
	byNode := s.nodeToPods(true)
	toKill := len(old) - int(*s.ds.Spec.RevisionHistoryLimit)
	if toKill <= 0 {
		return
	}
	live := map[string]bool{}
	for _, pods := range byNode {
		for _, p := range pods {
			if h := p.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]; h != "" {
				live[h] = true
			}
		}
	}
	sorted := append([]*appsv1.ControllerRevision(nil), old...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Revision != sorted[j].Revision {
			return sorted[i].Revision < sorted[j].Revision
		}
		return sorted[i].Name < sorted[j].Name
	})
	for _, r := range sorted {
		if toKill <= 0 {
			break
		}
		if live[r.Labels[appsv1.DefaultDaemonSetUniqueLabelKey]] {
			continue
		}
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb: workload.Delete, Resource: workload.ResourceControllerRevisions, Namespace: r.Namespace, Name: r.Name,
			Reason: fmt.Sprintf("revision %d is beyond revisionHistoryLimit %d", r.Revision, *s.ds.Spec.RevisionHistoryLimit),
		})
		toKill--
	}
}

// withLabel is a copy of m with key set to value.
func withLabel(m map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[key] = value
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
