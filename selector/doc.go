// Package selector decides which objects a workload controller looks after.
//
// Three questions come up in every controller sync, and this package answers
// each of them the way kube-controller-manager v1.37 does:
//
// # Which labels does the owner select?
//
// FromLabelSelector turns the API's metav1.LabelSelector into a
// labels.Selector. A nil selector selects nothing; a non-nil selector with
// neither matchLabels nor matchExpressions selects everything. An invalid
// selector is an error whose field path names the offending part, for
// example spec.selector.matchExpressions[0].operator.
//
// # Which objects does the owner already control?
//
// An object is controlled by the first of its ownerReferences that has
// controller=true (ControllerOf). OwnedBy keeps the objects whose controller
// reference carries the owner's kind, name and UID — the API group is not
// compared, exactly as the controllers' pod index does — and, when asked,
// the orphans of the owner's namespace. An object controlled by anybody else
// is never returned, whatever its labels say.
//
// # What does the owner adopt and release?
//
// ClaimObjects (and ClaimPods for pods) walks the candidates and reproduces
// the controller-ref manager's rules:
//
//   - controlled by someone else: ignored;
//   - controlled by the owner and selected: kept, even while the owner or
//     the object is being deleted (keeping needs no API call);
//   - controlled by the owner but no longer selected: released with a patch,
//     unless the owner is being deleted, in which case it is neither kept
//     nor released;
//   - an orphan: adopted with a patch when the owner is not being deleted,
//     the selector matches, the object is not being deleted and, for a
//     namespaced owner, the namespaces agree.
//
// Upstream re-reads the owner from the API server before its first adoption
// and refuses every adoption of the sync when that fresh copy is being
// deleted. Here the owner passed in stands for that fresh copy, and every
// patch is assumed to succeed; a caller whose patch fails simply syncs again,
// as upstream does.
//
// The patches are the exact strategic-merge-patch bodies upstream sends
// (AdoptPatch, ReleasePatch), byte for byte, so that a plan can be compared
// with the calls of the real controller.
//
// # Order
//
// Upstream walks objects in informer order, which is effectively random.
// This package walks them sorted by namespace, name, UID and then
// resourceVersion, so the same set of objects always gives the same claim,
// whatever order the caller's slice is in.
//
// # Which nodes run a daemon?
//
// NodeEligibility answers, for one node and one DaemonSet, the DaemonSet
// controller's two questions: should a pod be started there (ShouldRun),
// and may a pod already there stay (ShouldContinueRunning). The template's
// nodeName, nodeSelector and required node affinity must match (parsed with
// k8s.io/component-helpers, as upstream does), and the pod must tolerate the
// node's NoSchedule and NoExecute taints to start; to stay, the NoExecute
// ones suffice. The pod's tolerations are the template's plus the ones every
// daemon pod gets (DaemonTolerations): not-ready and unreachable NoExecute,
// disk-, memory- and pid-pressure and unschedulable NoSchedule, and
// network-unavailable for hostNetwork pods. Readiness, capacity and the
// node's unschedulable flag do not count by themselves.
//
// DaemonPodsForNode turns that into the capacity planner's answer: the
// daemon pods a node will run, given all DaemonSets. NewDaemonPlacement
// prepares one DaemonSet for many nodes.
package selector
