package apidefault

import (
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// PodTemplate defaults t's pod spec in place; see PodSpec.
func PodTemplate(t *v1.PodTemplateSpec) {
	if t != nil {
		PodSpec(&t.Spec)
	}
}

// Template returns t with its pod spec defaulted, for struct literals:
// Template: apidefault.Template(v1.PodTemplateSpec{...}). t is a value, so
// the caller's template is not shared with the result's top level; nested
// pointers still are.
func Template(t v1.PodTemplateSpec) v1.PodTemplateSpec {
	PodSpec(&t.Spec)
	return t
}

// PodSpec defaults spec in place as the API server defaults the pod spec
// of a pod template (a workload's spec.template, a CronJob's job template):
// the spec's own fields, every volume, every container (init, regular and
// ephemeral) and the overhead and pod-level resources. It does not apply
// the defaults the API server reserves for a Pod object (see Pod), so a
// workload's template and its pod-template hash are what a cluster stores.
func PodSpec(spec *v1.PodSpec) {
	if spec == nil {
		return
	}
	podSpecFields(spec)
	for i := range spec.Volumes {
		Volume(&spec.Volumes[i])
	}
	for i := range spec.InitContainers {
		Container(&spec.InitContainers[i])
	}
	for i := range spec.Containers {
		Container(&spec.Containers[i])
	}
	for i := range spec.EphemeralContainers {
		// An ephemeral container's common part has exactly a container's
		// fields and is defaulted as one.
		Container((*v1.Container)(&spec.EphemeralContainers[i].EphemeralContainerCommon))
	}
	roundResources(spec.Overhead)
	if spec.Resources != nil {
		roundResources(spec.Resources.Limits)
		roundResources(spec.Resources.Requests)
	}
}

// podSpecFields sets the spec-level fields: the service account and its
// deprecated alias kept equal (the current name wins), the DNS and restart
// policies, an empty security context, the grace period and the scheduler.
func podSpecFields(spec *v1.PodSpec) {
	if spec.ServiceAccountName == "" {
		spec.ServiceAccountName = spec.DeprecatedServiceAccount
	}
	spec.DeprecatedServiceAccount = spec.ServiceAccountName
	if spec.DNSPolicy == "" {
		spec.DNSPolicy = v1.DNSClusterFirst
	}
	if spec.RestartPolicy == "" {
		spec.RestartPolicy = v1.RestartPolicyAlways
	}
	if spec.SecurityContext == nil {
		spec.SecurityContext = &v1.PodSecurityContext{}
	}
	if spec.TerminationGracePeriodSeconds == nil {
		period := int64(v1.DefaultTerminationGracePeriodSeconds)
		spec.TerminationGracePeriodSeconds = &period
	}
	if spec.SchedulerName == "" {
		spec.SchedulerName = v1.DefaultSchedulerName
	}
}

// Container defaults one container in place: pull policy by image tag,
// termination message path and policy, port protocols, downward-API field
// versions and file-key optionality in the environment, milli-rounded
// resources, probe thresholds and periods, and HTTP handler path and
// scheme. Requests are not copied from limits here: the API server does
// that for Pod objects only.
func Container(c *v1.Container) {
	if c == nil {
		return
	}
	if c.ImagePullPolicy == "" {
		c.ImagePullPolicy = pullPolicy(c.Image)
	}
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = v1.TerminationMessagePathDefault
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = v1.TerminationMessageReadFile
	}
	for i := range c.Ports {
		if c.Ports[i].Protocol == "" {
			c.Ports[i].Protocol = v1.ProtocolTCP
		}
	}
	for i := range c.Env {
		if from := c.Env[i].ValueFrom; from != nil {
			fieldSelector(from.FieldRef)
			if from.FileKeyRef != nil && from.FileKeyRef.Optional == nil {
				from.FileKeyRef.Optional = new(false)
			}
		}
	}
	roundResources(c.Resources.Limits)
	roundResources(c.Resources.Requests)
	probe(c.LivenessProbe)
	probe(c.ReadinessProbe)
	probe(c.StartupProbe)
	if c.Lifecycle != nil {
		if c.Lifecycle.PostStart != nil {
			httpGet(c.Lifecycle.PostStart.HTTPGet)
		}
		if c.Lifecycle.PreStop != nil {
			httpGet(c.Lifecycle.PreStop.HTTPGet)
		}
	}
}

// probe gives each zero timing field of p its default (a 0 the user wrote
// is indistinguishable from an absent one) and defaults its handler.
func probe(p *v1.Probe) {
	if p == nil {
		return
	}
	if p.TimeoutSeconds == 0 {
		p.TimeoutSeconds = 1
	}
	if p.PeriodSeconds == 0 {
		p.PeriodSeconds = 10
	}
	if p.SuccessThreshold == 0 {
		p.SuccessThreshold = 1
	}
	if p.FailureThreshold == 0 {
		p.FailureThreshold = 3
	}
	httpGet(p.HTTPGet)
	if p.GRPC != nil && p.GRPC.Service == nil {
		p.GRPC.Service = new("")
	}
}

// httpGet defaults an HTTP handler's path to "/" and scheme to HTTP. Its
// protocol stays unset: that default belongs to an alpha feature that is
// off by default.
func httpGet(h *v1.HTTPGetAction) {
	if h == nil {
		return
	}
	if h.Path == "" {
		h.Path = "/"
	}
	if h.Scheme == "" {
		h.Scheme = v1.URISchemeHTTP
	}
}

// fieldSelector defaults a downward-API field reference to API version v1.
func fieldSelector(f *v1.ObjectFieldSelector) {
	if f != nil && f.APIVersion == "" {
		f.APIVersion = "v1"
	}
}

// milliScale is the precision the API server rounds every resource
// quantity up to.
const milliScale = resource.Milli

// roundResources rounds every quantity of list up to a whole milli-unit
// (0.0001 CPU becomes 1m), storing each back so that its internal form is
// the one the API server keeps (and the pod-template hash sees).
func roundResources(list v1.ResourceList) {
	for name, q := range list {
		q.RoundUp(milliScale)
		list[name] = q
	}
}
