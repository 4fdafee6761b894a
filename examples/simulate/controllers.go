package main

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubepure/kubepure/replicaset"
	"github.com/kubepure/kubepure/rollout"
	"github.com/kubepure/kubepure/workload"
)

// syncAll is one round of kube-controller-manager: the Deployment
// controller syncs each Deployment, then the ReplicaSet controller each
// ReplicaSet, every plan applied as soon as it is made. It returns the
// calls made, as printable lines.
func syncAll(w *world) ([]string, error) {
	var lines []string
	for _, d := range w.deployments() {
		plan, err := rollout.Reconcile(rollout.State{Deployment: d, ReplicaSets: w.replicaSets()}, w.store.Now())
		if err != nil {
			return nil, err
		}
		lines = append(lines, describe("deployment", w.apply(plan.Plan))...)
	}
	for _, rs := range w.replicaSets() {
		plan, err := replicaset.Reconcile(replicaset.State{
			ReplicaSet: rs, ReplicaSets: w.replicaSets(), Pods: w.pods(),
		}, w.store.Now())
		if err != nil {
			return nil, err
		}
		lines = append(lines, describe("replicaset", w.apply(plan.Plan))...)
	}
	return lines, nil
}

// describe renders the calls that change more than status, one line
// each; status writes are summed up by the round's summary line, and show
// only when the server refused them.
func describe(controller string, calls []call) []string {
	var lines []string
	for _, c := range calls {
		switch {
		case c.failed != "":
			lines = append(lines, fmt.Sprintf("%-10s %s %s %s/%s: refused (%s), retried at the next sync", controller, c.Verb, c.Resource, c.Namespace, c.Name, c.failed))
		case c.Verb != workload.UpdateStatus:
			lines = append(lines, fmt.Sprintf("%-10s %s", controller, c.Action))
		}
	}
	return lines
}

// summary is one line about where the rollout stands: for each ReplicaSet
// its image and ready/desired pods, and the pods still stopping.
func summary(w *world) string {
	pods := w.pods()
	var parts []string
	for _, rs := range w.replicaSets() {
		parts = append(parts, fmt.Sprintf("%s (%s) %d/%d ready", rs.Name, rs.Spec.Template.Spec.Containers[0].Image, readyOf(rs, pods), *rs.Spec.Replicas))
	}
	if len(parts) == 0 {
		return "no replica sets"
	}
	if n := terminating(pods); n > 0 {
		parts = append(parts, fmt.Sprintf("%d terminating", n))
	}
	return strings.Join(parts, ", ")
}

// readyOf counts the ReplicaSet's ready pods that are not being deleted.
func readyOf(rs *appsv1.ReplicaSet, pods []*v1.Pod) int32 {
	var n int32
	for _, p := range pods {
		if ref := metav1.GetControllerOf(p); ref != nil && ref.UID == rs.UID && p.DeletionTimestamp == nil && workload.IsPodReady(p) {
			n++
		}
	}
	return n
}

func terminating(pods []*v1.Pod) int {
	n := 0
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			n++
		}
	}
	return n
}

// converged: every ReplicaSet runs exactly its replicas, all ready, no
// pod is still stopping, and the Deployment's status says the rollout is
// complete.
func converged(w *world) bool {
	pods := w.pods()
	if terminating(pods) > 0 {
		return false
	}
	for _, rs := range w.replicaSets() {
		if readyOf(rs, pods) != *rs.Spec.Replicas || rs.Status.ReadyReplicas != *rs.Spec.Replicas {
			return false
		}
	}
	for _, d := range w.deployments() {
		if d.Status.ObservedGeneration != d.Generation || d.Status.UpdatedReplicas != *d.Spec.Replicas ||
			d.Status.AvailableReplicas != *d.Spec.Replicas || d.Status.Replicas != *d.Spec.Replicas {
			return false
		}
	}
	return true
}
