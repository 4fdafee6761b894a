package daemon

import (
	"fmt"

	v1 "k8s.io/api/core/v1"

	"github.com/kubepure/kubepure/workload"
)

// rollingUpdate replaces old pods by new ones within the strategy's limits.
//
// Upstream walks the nodes in map order, and where more nodes qualify than
// the limit allows its choice follows that order. Here nodes are walked by
// name, so among equally eligible nodes the ones with the smallest names go
// first.
func (s *syncer) rollingUpdate(hash string) error {
	byNode := s.nodeToPods(false)
	desired := 0
	for _, n := range s.nodes {
		if s.placement.Node(n).ShouldRun {
			desired++
			if _, ok := byNode[n.Name]; !ok {
				byNode[n.Name] = nil
			}
		}
	}
	maxSurge, maxUnavailable := surgeCount(s.ds, desired), unavailableCount(s.ds, desired)
	if desired > 0 && maxSurge == 0 && maxUnavailable == 0 {
		// Not a configuration the API server stores; upstream falls back
		// to one unavailable node.
		maxUnavailable = 1
	}
	if maxSurge == 0 {
		return s.replaceWithinUnavailable(byNode, hash, maxUnavailable)
	}
	return s.surge(byNode, hash, maxSurge, desired)
}

// replaceWithinUnavailable deletes old pods so that no more than
// maxUnavailable nodes lack an available pod; manage then creates their
// replacements. Old pods that are not available anyway go at once.
func (s *syncer) replaceWithinUnavailable(byNode map[string][]*v1.Pod, hash string, maxUnavailable int) error {
	generation := templateGeneration(s.ds)
	unavailable := 0
	var replace, candidates []podToDelete
	for _, node := range sortedKeys(byNode) {
		newPod, oldPod, ok := updatedPodsOnNode(byNode[node], hash, generation)
		switch {
		case !ok, oldPod == nil && newPod == nil, oldPod != nil && newPod != nil:
			// manage sorts these nodes out; they count as unavailable.
			unavailable++
		case newPod != nil:
			if !workload.IsPodAvailable(newPod, s.ds.Spec.MinReadySeconds, s.now) {
				unavailable++
			}
		case !workload.IsPodAvailable(oldPod, s.ds.Spec.MinReadySeconds, s.now):
			replace = append(replace, podToDelete{oldPod.Name, "rolling update: old pod on node " + node + " is not available"})
			unavailable++
		default:
			candidates = append(candidates, podToDelete{oldPod.Name, fmt.Sprintf("rolling update: replace old pod on node %s (maxUnavailable %d)", node, maxUnavailable)})
		}
	}
	room := min(max(maxUnavailable-unavailable, 0), len(candidates))
	s.syncNodes(nil, append(replace, candidates[:room]...), hash)
	return nil
}

// surge creates new pods next to old ones, at most maxSurge at a time for
// old pods that are still available, and deletes an old pod once the new
// one on its node is available.
func (s *syncer) surge(byNode map[string][]*v1.Pod, hash string, maxSurge, desired int) error {
	generation := templateGeneration(s.ds)
	nodes := make(map[string]*v1.Node, len(s.nodes))
	for _, n := range s.nodes {
		nodes[n.Name] = n
	}
	var deletes, leaving []podToDelete
	var replace, candidates []nodeToCreate
	surging, available := 0, 0
	for _, name := range sortedKeys(byNode) {
		newPod, oldPod, ok := updatedPodsOnNode(byNode[name], hash, generation)
		if !ok {
			surging++
			continue
		}
		switch {
		case oldPod != nil:
			if workload.IsPodAvailable(oldPod, s.ds.Spec.MinReadySeconds, s.now) {
				available++
			}
		case newPod != nil:
			if workload.IsPodAvailable(newPod, s.ds.Spec.MinReadySeconds, s.now) {
				available++
			}
		}
		switch {
		case oldPod == nil:
		case newPod == nil:
			node, exists := nodes[name]
			if !exists {
				// Upstream looks the node up and fails the sync.
				return errSyncFailed
			}
			shouldRun := s.placement.Node(node).ShouldRun
			switch {
			case !workload.IsPodAvailable(oldPod, s.ds.Spec.MinReadySeconds, s.now):
				if !shouldRun {
					deletes = append(deletes, podToDelete{oldPod.Name, "rolling update: old pod on node " + name + " is not available and the node no longer fits"})
					continue
				}
				replace = append(replace, nodeToCreate{name, "rolling update: old pod on node " + name + " is not available"})
			case !shouldRun:
				leaving = append(leaving, podToDelete{oldPod.Name, "rolling update: node " + name + " no longer fits, enough pods are available elsewhere"})
			case surging < maxSurge:
				candidates = append(candidates, nodeToCreate{name, fmt.Sprintf("rolling update: surge a new pod on node %s (maxSurge %d)", name, maxSurge)})
			}
		default:
			if !workload.IsPodAvailable(newPod, s.ds.Spec.MinReadySeconds, s.now) {
				surging++
				continue
			}
			deletes = append(deletes, podToDelete{oldPod.Name, "rolling update: new pod on node " + name + " is available"})
		}
	}
	if n := min(available-desired, len(leaving)); n > 0 {
		deletes = append(deletes, leaving[:n]...)
	}
	room := min(max(maxSurge-surging, 0), len(candidates))
	s.syncNodes(append(replace, candidates[:room]...), deletes, hash)
	return nil
}

// updatedPodsOnNode splits the pods of a node that are not being deleted
// into the one running the current template and the one running an old
// one. ok is false when there are two of either: manage prunes those first.
func updatedPodsOnNode(pods []*v1.Pod, hash string, generation *int64) (newPod, oldPod *v1.Pod, ok bool) {
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		if isUpdated(p, hash, generation) {
			if newPod != nil {
				return nil, nil, false
			}
			newPod = p
		} else {
			if oldPod != nil {
				return nil, nil, false
			}
			oldPod = p
		}
	}
	return newPod, oldPod, true
}
