package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// syncAll is one round of kube-controller-manager: the Deployment
// controller syncs each Deployment, then the ReplicaSet controller each
// ReplicaSet, every plan applied as soon as it is made. It returns the
// calls made, as printable lines.
func syncAll(c *cluster) ([]string, error) {
	var lines []string
	for _, name := range sortedKeys(c.deployments) {
		plan, err := rollout.Reconcile(rollout.State{Deployment: c.deployments[name], ReplicaSets: c.replicaSetList()}, c.now)
		if err != nil {
			return nil, err
		}
		lines = append(lines, describe("deployment", plan.Plan)...)
		if err := c.apply(plan.Plan); err != nil {
			return nil, err
		}
	}
	for _, rs := range c.replicaSetList() {
		plan, err := replicaset.Reconcile(replicaset.State{
			ReplicaSet: rs, ReplicaSets: c.replicaSetList(), Pods: c.podList(),
		}, c.now)
		if err != nil {
			return nil, err
		}
		lines = append(lines, describe("replicaset", plan.Plan)...)
		if err := c.apply(plan.Plan); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

// describe renders the calls of a plan that change more than status, one
// line each; status writes are summed up by the round's summary line.
func describe(controller string, p workload.Plan) []string {
	var lines []string
	for _, a := range p.Actions {
		if a.Verb == workload.UpdateStatus {
			continue
		}
		lines = append(lines, fmt.Sprintf("%-10s %s", controller, a))
	}
	return lines
}

// summary is one line about where the rollout stands: for each ReplicaSet
// its image and ready/desired pods.
func summary(c *cluster) string {
	var parts []string
	for _, rs := range c.replicaSetList() {
		ready := 0
		for _, p := range c.pods {
			if ref := p.OwnerReferences; len(ref) > 0 && ref[0].UID == rs.UID && workload.IsPodReady(p) {
				ready++
			}
		}
		parts = append(parts, fmt.Sprintf("%s (%s) %d/%d ready", rs.Name, rs.Spec.Template.Spec.Containers[0].Image, ready, *rs.Spec.Replicas))
	}
	if len(parts) == 0 {
		return "no replica sets"
	}
	return strings.Join(parts, ", ")
}

// converged: every ReplicaSet runs exactly its replicas, all ready, and
// the Deployment's status says the rollout is complete.
func (c *cluster) converged() bool {
	for _, rs := range c.replicaSets {
		n := 0
		for _, p := range c.pods {
			if ref := p.OwnerReferences; len(ref) > 0 && ref[0].UID == rs.UID && workload.IsPodReady(p) {
				n++
			}
		}
		if int32(n) != *rs.Spec.Replicas || rs.Status.ReadyReplicas != *rs.Spec.Replicas {
			return false
		}
	}
	for _, d := range c.deployments {
		if d.Status.ObservedGeneration != d.Generation || d.Status.UpdatedReplicas != *d.Spec.Replicas ||
			d.Status.AvailableReplicas != *d.Spec.Replicas || d.Status.Replicas != *d.Spec.Replicas {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
