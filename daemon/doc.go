// Package daemon is the DaemonSet controller of kube-controller-manager
// v1.37 as a pure function: Reconcile takes the DaemonSet, the nodes, the
// namespace's pods and ControllerRevisions, the failed-pod back-off and the
// time, and returns the API calls one sync (syncDaemonSet) makes, in
// upstream's order, with the requeue and the back-off to keep.
//
//	plan, err := daemon.Reconcile(daemon.State{DaemonSet: ds, Nodes: nodes, Pods: pods,
//		Revisions: revisions, Backoff: remembered}, now)
//	for _, a := range plan.Actions { apply(a) }
//	for _, e := range plan.Events { record(e) }
//	remembered = plan.Backoff
//
// # Which nodes
//
// A node should run the daemon pod when the template's nodeName (if any)
// names it, it matches the template's nodeSelector and required node
// affinity, and the pod tolerates its NoSchedule and NoExecute taints; a pod
// already there may stay while it tolerates the NoExecute ones. Every daemon
// pod tolerates node problems: not-ready and unreachable (NoExecute),
// disk-, memory- and pid-pressure and unschedulable (NoSchedule), and, with
// hostNetwork, network-unavailable. The check lives in the selector package
// (selector.NodeEligibility, selector.DaemonPodsForNode) for callers that
// only want to know which daemons a node runs.
//
// # One sync
//
//  1. History. The current template is recorded in a ControllerRevision
//     named "<daemonset>-<hash>", whose data is a strategic merge patch that
//     restores the template and whose label controller-revision-hash is
//     the hash new pods carry. The sync adopts and releases revisions,
//     labels unlabelled ones, creates the current revision or raises an old
//     one's number when the template comes back, and merges duplicates
//     (relabelling pods). A name taken by a different template bumps
//     status.collisionCount and ends the sync (Plan.Requeue).
//  2. Manage. Per node: create the missing pod (pinned to the node by a
//     required node affinity on metadata.name, with the daemon tolerations
//     and the hash and pod-template-generation labels); delete pods on
//     nodes that should not keep them, succeeded pods, failed pods (once per
//     back-off step: 1 s, 2 s, 4 s … 15 min per node), and all but the
//     oldest running pod (with surge: the oldest new and, while it is not
//     available, the oldest old one). Unscheduled pods pinned to nodes that
//     no longer exist are deleted too. At most BurstReplicas creates and
//     deletes each.
//  3. Rolling update, only when manage made no call (upstream waits to see
//     its own creates and deletes first). Without maxSurge, old pods are
//     deleted while no more than maxUnavailable nodes lack an available
//     pod; with maxSurge, new pods are created beside at most maxSurge old
//     available pods, and an old pod goes once the new one is available.
//     OnDelete does nothing here: pods change only when someone deletes
//     them.
//  4. History clean-up: the oldest old revisions beyond
//     revisionHistoryLimit go, unless a pod still carries their hash.
//  5. Status: desired, current, misscheduled, ready, available,
//     unavailable and updated counts and observedGeneration, written when
//     they changed; a requeue after minReadySeconds while a ready pod is not
//     yet available.
//
// # Events
//
// Plan.Events are the events upstream's recorders receive, all on the
// DaemonSet, in upstream's order: a Warning FailedDaemonPod ("Found failed
// daemon pod ns/name on node n, will try to kill it") for each failed pod
// it decides to delete and a Normal SucceededDaemonPod for each succeeded
// one, while it walks the nodes (even for a delete the burst limit then
// postpones); then the pod control's Normal SuccessfulCreate ("Created
// pod: ", with the empty name the request carries, since the API server
// names the pod) per create and Normal SuccessfulDelete ("Deleted pod:
// name") per delete, manage's and then the rolling update's. Upstream
// walks its nodes in map order and sends creates and deletes from
// goroutines, so within each of those stretches only the multiset is
// upstream's; here nodes go by name.
//
// # Upstream's guards, reproduced as plans
//
// Objects stored under older validation rules that the controller itself
// guards against get its plan, not an error:
//
//   - an empty selector ({}): a Warning SelectingAll event ("This daemon
//     set is selecting all pods. A non-empty selector is required.") and
//     nothing else — no call, no status write, no requeue, even for a
//     DaemonSet being deleted, since the guard comes first. The rest of
//     such a DaemonSet's spec is not checked.
//
// syncDaemonSet has no other guard of this kind: a DaemonSet being deleted
// gets an empty plan (upstream cannot know which revisions the garbage
// collector left), and its other early returns are cache misses and
// expectations, which a plan assumes settled.
//
// # Upstream quirks reproduced
//
//   - A failed pod's FailedDaemonPod event and back-off step are taken when
//     the delete is decided, also for deletes beyond BurstReplicas that the
//     sync then leaves out.
//   - A required node affinity term that does not parse (a Gt or Lt value
//     that is not an integer passes the API server, which checks only that
//     it is a label value) matches no node; the other terms still count.
//   - A rolling update with surge fails the sync (Plan.Requeue) when an old
//     pod is pinned to a node that no longer exists.
//
// # Refused input
//
// Reconcile returns an error naming the field for what no API server
// stores: two nodes, pods or ControllerRevisions of one name (or pods of
// one UID), a node without a name or with a taint without a known effect,
// a negative revision number, a back-off delay beyond its 15-minute
// maximum, a template without the fields the API server always defaults
// (restartPolicy, dnsPolicy, …), a nil revisionHistoryLimit, an unknown
// node affinity or toleration operator, and the strategy and selector
// errors of the DaemonSet validation.
//
// # Ties
//
// Upstream walks nodes in map order in the rolling update, and where more
// nodes qualify than the limit allows, its pick follows that order. Here
// nodes are walked by name: the smallest names go first. The creates and
// deletes beyond the burst, equally in list order upstream, are cut in
// node-name order. Of several revisions with the current template and the
// same number, the last by name is kept.
//
// # What upstream remembers
//
// The failed-pod back-off is upstream's memory; here it is State.Backoff and
// Plan.Backoff. Upstream's expectations (the creates and deletes it waits to
// observe) are assumed satisfied when a sync starts: a caller applies a plan
// fully before it syncs again.
package daemon
