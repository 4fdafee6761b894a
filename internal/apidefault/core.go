package apidefault

import (
	v1 "k8s.io/api/core/v1"
)

// Pod defaults a Pod object in place as the API server does when it
// decodes one: first the defaults kept for Pod objects alone (a negative
// grace period becomes 1 second, each limit without a request gives the
// request, service links are enabled, and under host networking each port
// without a host port gets its container port), then the template defaults
// of PodSpec, then the status (pod IP and IP list kept consistent, the
// pod IP winning; status resources milli-rounded).
//
// Pod-level resource requests are not defaulted here: with the 1.37
// default feature gates the API server does that in its pod strategy when
// the pod is created, after admission, not in the decoder's defaulting.
func Pod(pod *v1.Pod) {
	if pod == nil {
		return
	}
	podOnly(&pod.Spec)
	PodSpec(&pod.Spec)
	podStatus(&pod.Status)
}

func podOnly(spec *v1.PodSpec) {
	if g := spec.TerminationGracePeriodSeconds; g != nil && *g < 0 {
		spec.TerminationGracePeriodSeconds = new(int64(1))
	}
	for i := range spec.Containers {
		requestsFromLimits(&spec.Containers[i].Resources)
	}
	for i := range spec.InitContainers {
		requestsFromLimits(&spec.InitContainers[i].Resources)
	}
	if spec.EnableServiceLinks == nil {
		spec.EnableServiceLinks = new(v1.DefaultEnableServiceLinks)
	}
	if spec.HostNetwork {
		hostPorts(spec.Containers)
		hostPorts(spec.InitContainers)
	}
}

// requestsFromLimits copies each limit that has no request into the
// requests. A nil limits map leaves the requests alone (even nil); any
// other, even empty, gives a non-nil requests map.
func requestsFromLimits(r *v1.ResourceRequirements) {
	if r.Limits == nil {
		return
	}
	if r.Requests == nil {
		r.Requests = make(v1.ResourceList, len(r.Limits))
	}
	for name, limit := range r.Limits {
		if _, ok := r.Requests[name]; !ok {
			r.Requests[name] = limit.DeepCopy()
		}
	}
}

func hostPorts(containers []v1.Container) {
	for i := range containers {
		for j := range containers[i].Ports {
			p := &containers[i].Ports[j]
			if p.HostPort == 0 {
				p.HostPort = p.ContainerPort
			}
		}
	}
}

func podStatus(s *v1.PodStatus) {
	switch {
	case s.PodIP != "" && (len(s.PodIPs) == 0 || s.PodIPs[0].IP != s.PodIP):
		s.PodIPs = []v1.PodIP{{IP: s.PodIP}}
	case s.PodIP == "" && len(s.PodIPs) > 0:
		s.PodIP = s.PodIPs[0].IP
	}
	for _, list := range [][]v1.ContainerStatus{s.InitContainerStatuses, s.ContainerStatuses, s.EphemeralContainerStatuses} {
		for i := range list {
			roundResources(list[i].AllocatedResources)
			if r := list[i].Resources; r != nil {
				roundResources(r.Limits)
				roundResources(r.Requests)
			}
		}
	}
	roundResources(s.AllocatedResources)
	if s.Resources != nil {
		roundResources(s.Resources.Limits)
		roundResources(s.Resources.Requests)
	}
}

// Node defaults a Node in place: a node that reports a capacity but no
// allocatable resources has them equal to its capacity, and both are
// milli-rounded. The allocatable map is a copy, not the capacity map
// itself, so that later changes to one do not show in the other.
func Node(node *v1.Node) {
	if node == nil {
		return
	}
	st := &node.Status
	if st.Allocatable == nil && st.Capacity != nil {
		st.Allocatable = make(v1.ResourceList, len(st.Capacity))
		for name, q := range st.Capacity {
			st.Allocatable[name] = q.DeepCopy()
		}
	}
	roundResources(st.Capacity)
	roundResources(st.Allocatable)
}

// PersistentVolumeClaim defaults a claim in place: status phase Pending
// when unset, then the spec (see PersistentVolumeClaimSpec) and the
// status's milli-rounded capacity and allocated resources.
func PersistentVolumeClaim(pvc *v1.PersistentVolumeClaim) {
	if pvc == nil {
		return
	}
	claim(pvc)
}

// claim is PersistentVolumeClaim without the nil check, shared with the
// StatefulSet claim templates, which the API server defaults the same way
// (a template therefore shows status.phase Pending).
func claim(pvc *v1.PersistentVolumeClaim) {
	if pvc.Status.Phase == "" {
		pvc.Status.Phase = v1.ClaimPending
	}
	PersistentVolumeClaimSpec(&pvc.Spec)
	roundResources(pvc.Status.Capacity)
	roundResources(pvc.Status.AllocatedResources)
}

// Namespace defaults a namespace in place: a named namespace carries the
// label kubernetes.io/metadata.name with its name (a label of that key is
// overwritten), and the status phase is Active when unset. A namespace
// with only generateName gets no label here. The "kubernetes" finalizer is
// not a default: the namespace strategy adds it on create.
func Namespace(ns *v1.Namespace) {
	if ns == nil {
		return
	}
	if ns.Name != "" {
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		ns.Labels[v1.LabelMetadataName] = ns.Name
	}
	if ns.Status.Phase == "" {
		ns.Status.Phase = v1.NamespaceActive
	}
}
