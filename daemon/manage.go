package daemon

import (
	"fmt"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/selector"
	"github.com/kubepure/kubepure/workload"
)

// podToDelete is one delete of a sync, with its reason.
type podToDelete struct {
	name, reason string
}

// nodeToCreate is one create of a sync, with its reason.
type nodeToCreate struct {
	node, reason string
}

// manage creates the daemon pods nodes lack and deletes the ones that must
// go. It reports whether it made any call: upstream then skips the rolling
// update until those calls are observed.
func (s *syncer) manage(hash string) bool {
	byNode := s.nodeToPods(false)
	var creates []nodeToCreate
	var deletes []podToDelete
	for _, node := range s.nodes {
		c, d := s.podsShouldBeOnNode(node, byNode[node.Name], hash)
		creates = append(creates, c...)
		deletes = append(deletes, d...)
	}
	deletes = append(deletes, unscheduledWithoutNode(s.nodes, byNode)...)
	return s.syncNodes(creates, deletes, hash)
}

// podsShouldBeOnNode decides for one node, given the daemon pods there.
func (s *syncer) podsShouldBeOnNode(node *v1.Node, pods []*v1.Pod, hash string) ([]nodeToCreate, []podToDelete) {
	e := s.placement.Node(node)
	switch {
	case e.ShouldRun && len(pods) == 0:
		return []nodeToCreate{{node.Name, "node " + node.Name + " has no daemon pod"}}, nil
	case e.ShouldContinueRunning:
		return s.prunePods(node, pods, e.ShouldRun, hash)
	case len(pods) > 0:
		var deletes []podToDelete
		var reason string
		for _, p := range pods {
			if p.DeletionTimestamp == nil {
				if reason == "" {
					reason = "node " + node.Name + " should not run it: " + e.Reason()
				}
				deletes = append(deletes, podToDelete{p.Name, reason})
			}
		}
		return nil, deletes
	}
	return nil, nil
}

// prunePods handles a node that may keep its daemon pod: failed pods go
// (within their back-off), succeeded pods go, and of the running ones one
// stays — or, when surging, the oldest new one and, while it is not yet
// available and the oldest old one still ready, that old one too.
func (s *syncer) prunePods(node *v1.Node, pods []*v1.Pod, shouldRun bool, hash string) ([]nodeToCreate, []podToDelete) {
	var deletes []podToDelete
	var running []*v1.Pod
	for _, p := range pods {
		switch {
		case p.DeletionTimestamp != nil:
		case p.Status.Phase == v1.PodFailed:
			key := backoff.DaemonKey(s.ds.UID, s.ds.Status.ObservedGeneration, node.Name)
			del, next, wait := backoff.DaemonFailedPod(s.backoff[key], s.now)
			if !del {
				s.requeue(wait)
				continue
			}
			s.backoff[key] = next
			// Upstream records the event when it decides, so also for a
			// delete that the burst limit then leaves for a later sync.
			s.plan.Warning(s.ref, EventFailedDaemonPod, "Found failed daemon pod %s/%s on node %s, will try to kill it", p.Namespace, p.Name, node.Name)
			deletes = append(deletes, podToDelete{p.Name, fmt.Sprintf("failed daemon pod on node %s (back-off now %s)", node.Name, next.Delay)})
		case p.Status.Phase == v1.PodSucceeded:
			s.plan.Normal(s.ref, EventSucceededDaemonPod, "Found succeeded daemon pod %s/%s on node %s, will try to delete it", p.Namespace, p.Name, node.Name)
			deletes = append(deletes, podToDelete{p.Name, "succeeded daemon pod on node " + node.Name})
		default:
			running = append(running, p)
		}
	}
	if !allowsSurge(s.ds) {
		if len(running) > 1 {
			for _, p := range sortOldestFirst(running)[1:] {
				deletes = append(deletes, podToDelete{p.Name, "more than one daemon pod on node " + node.Name + ", keeping the oldest"})
			}
		}
		return nil, deletes
	}
	if len(running) <= 1 {
		if len(running) == 0 && shouldRun {
			return []nodeToCreate{{node.Name, "node " + node.Name + " has no running daemon pod"}}, deletes
		}
		return nil, deletes
	}
	var oldestNew, oldestOld *v1.Pod
	for _, p := range sortOldestFirst(running) {
		isNew := p.Labels["controller-revision-hash"] == hash
		switch {
		case isNew && oldestNew == nil:
			oldestNew = p
		case !isNew && oldestOld == nil:
			oldestOld = p
		default:
			deletes = append(deletes, podToDelete{p.Name, "surplus daemon pod on node " + node.Name})
		}
	}
	if oldestNew != nil && oldestOld != nil {
		switch {
		case !workload.IsPodReady(oldestOld):
			deletes = append(deletes, podToDelete{oldestOld.Name, "old daemon pod on node " + node.Name + " is not ready, the new one replaces it"})
		case workload.IsPodAvailable(oldestNew, s.ds.Spec.MinReadySeconds, s.now):
			deletes = append(deletes, podToDelete{oldestOld.Name, "new daemon pod on node " + node.Name + " is available"})
		}
	}
	return nil, deletes
}

// unscheduledWithoutNode are the pods pinned to nodes that do not exist and
// never scheduled: the pod garbage collector does not see them, so the
// DaemonSet deletes them.
func unscheduledWithoutNode(nodes []*v1.Node, byNode map[string][]*v1.Pod) []podToDelete {
	exists := make(map[string]bool, len(nodes))
	for _, n := range nodes {
		exists[n.Name] = true
	}
	var out []podToDelete
	for _, name := range sortedKeys(byNode) {
		if exists[name] {
			continue
		}
		for _, p := range byNode[name] {
			if p.Spec.NodeName == "" {
				out = append(out, podToDelete{p.Name, "pinned to node " + name + ", which does not exist"})
			}
		}
	}
	return out
}

// syncNodes turns creates and deletes into calls: creates first, then
// deletes, each capped at BurstReplicas (the first ones in node order),
// each followed by the event upstream's pod control records for it. A
// created pod's event names it by the name the request carries, which is
// empty (the API server makes one from generateName). It reports whether
// any call was made.
func (s *syncer) syncNodes(creates []nodeToCreate, deletes []podToDelete, hash string) bool {
	creates = creates[:min(len(creates), BurstReplicas)]
	deletes = deletes[:min(len(deletes), BurstReplicas)]
	if len(creates) > 0 {
		template := s.podTemplate(hash)
		ref := selector.ControllerRef(s.ds, daemonSetKind)
		for _, c := range creates {
			t := template.DeepCopy()
			t.Spec.Affinity = pinToNode(t.Spec.Affinity, c.node)
			// The template has labels (the hash label at least) and ref is
			// a controller reference, so PodFromTemplate cannot fail.
			pod, err := workload.PodFromTemplate(t, s.ds.Name, ref)
			if err != nil {
				continue
			}
			s.plan.Actions = append(s.plan.Actions, workload.Action{
				Verb: workload.Create, Resource: workload.ResourcePods, Namespace: s.ds.Namespace, Object: pod, Reason: c.reason,
			})
			s.plan.Normal(s.ref, workload.EventSuccessfulCreate, "Created pod: %v", pod.Name)
		}
	}
	for _, d := range deletes {
		s.deletedPods[d.name] = true
		s.plan.Actions = append(s.plan.Actions, workload.Action{
			Verb: workload.Delete, Resource: workload.ResourcePods, Namespace: s.ds.Namespace, Name: d.name, Reason: d.reason,
		})
		s.plan.Normal(s.ref, workload.EventSuccessfulDelete, "Deleted pod: %v", d.name)
	}
	return len(creates)+len(deletes) > 0
}

// podTemplate is the template new pods are made from: the DaemonSet's, with
// the daemon tolerations, the pod-template-generation label when the
// DaemonSet has a template generation, and the controller-revision-hash
// label.
func (s *syncer) podTemplate(hash string) *v1.PodTemplateSpec {
	t := s.ds.Spec.Template.DeepCopy()
	t.Spec.Tolerations = selector.DaemonTolerations(&t.Spec)
	if t.Labels == nil {
		t.Labels = map[string]string{}
	}
	if g := templateGeneration(s.ds); g != nil {
		t.Labels[templateGenerationLabel] = fmt.Sprint(*g)
	}
	if hash != "" {
		t.Labels["controller-revision-hash"] = hash
	}
	return t
}

// pinToNode makes the pod's required node affinity exactly "metadata.name
// In [node]", keeping the rest of the affinity: the default scheduler then
// binds it to that node. affinity (a copy the caller owns) is changed in
// place where it exists.
func pinToNode(affinity *v1.Affinity, node string) *v1.Affinity {
	sel := &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
		MatchFields: []v1.NodeSelectorRequirement{{Key: metav1.ObjectNameField, Operator: v1.NodeSelectorOpIn, Values: []string{node}}},
	}}}
	switch {
	case affinity == nil:
		return &v1.Affinity{NodeAffinity: &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: sel}}
	case affinity.NodeAffinity == nil:
		affinity.NodeAffinity = &v1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: sel}
	case affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil:
		affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = sel
	default:
		// Only the terms are replaced; upstream keeps the selector object.
		affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms = sel.NodeSelectorTerms
	}
	return affinity
}
