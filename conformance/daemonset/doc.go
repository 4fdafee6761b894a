// Package daemonset compares kubepure's DaemonSet reconciler and its node
// eligibility check with the upstream DaemonSet controller of
// kube-controller-manager v1.37.1, state by state: the same generated
// cluster goes through one upstream sync (fake clientset, pre-filled
// informers, a fake clock at now, an event log in place of its two event
// recorders) and through daemon.Reconcile, and the calls, events, requeues
// and failed-pod back-off must agree. The generated states include
// DaemonSets with an empty selector, which upstream's SelectingAll guard
// stops. Eligibility is compared with upstream's exported
// daemon.NodeShouldRunDaemonPod on (node, DaemonSet) pairs.
package daemonset
