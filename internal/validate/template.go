package validate

import (
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// notDefaulted is the detail of every error TemplateDefaulted reports.
const notDefaulted = "the API server always sets it: default the object as the API server does before reconciling it"

// TemplateDefaulted reports each field of a pod template that the API
// server always fills in on create (restartPolicy, dnsPolicy,
// schedulerName, terminationGracePeriodSeconds, securityContext, and each
// container's terminationMessagePath, terminationMessagePolicy and
// imagePullPolicy) but that is empty here. A template read from a manifest
// without that defaulting hashes differently from the one a cluster
// stores, so a controller would plan a rollout no real cluster makes:
// better an error than a silently wrong plan. path is the template's path.
func TemplateDefaulted(t *v1.PodTemplateSpec, path *field.Path) field.ErrorList {
	if t == nil {
		return nil
	}
	spec := &t.Spec
	if templateLooksDefaulted(spec) {
		return nil
	}
	var errs field.ErrorList
	specPath := path.Child("spec")
	req := func(p *field.Path) { errs = append(errs, field.Required(p, notDefaulted)) }
	if spec.RestartPolicy == "" {
		req(specPath.Child("restartPolicy"))
	}
	if spec.DNSPolicy == "" {
		req(specPath.Child("dnsPolicy"))
	}
	if spec.SchedulerName == "" {
		req(specPath.Child("schedulerName"))
	}
	if spec.TerminationGracePeriodSeconds == nil {
		req(specPath.Child("terminationGracePeriodSeconds"))
	}
	if spec.SecurityContext == nil {
		req(specPath.Child("securityContext"))
	}
	check := func(cs []v1.Container, p *field.Path) {
		for i := range cs {
			c := &cs[i]
			if c.TerminationMessagePath == "" {
				req(p.Index(i).Child("terminationMessagePath"))
			}
			if c.TerminationMessagePolicy == "" {
				req(p.Index(i).Child("terminationMessagePolicy"))
			}
			if c.ImagePullPolicy == "" {
				req(p.Index(i).Child("imagePullPolicy"))
			}
		}
	}
	check(spec.InitContainers, specPath.Child("initContainers"))
	check(spec.Containers, specPath.Child("containers"))
	return errs
}

// templateLooksDefaulted is TemplateDefaulted's test without building any
// error path, for the common case.
func templateLooksDefaulted(spec *v1.PodSpec) bool {
	if spec.RestartPolicy == "" || spec.DNSPolicy == "" || spec.SchedulerName == "" ||
		spec.TerminationGracePeriodSeconds == nil || spec.SecurityContext == nil {
		return false
	}
	for _, cs := range [][]v1.Container{spec.InitContainers, spec.Containers} {
		for i := range cs {
			if cs[i].TerminationMessagePath == "" || cs[i].TerminationMessagePolicy == "" || cs[i].ImagePullPolicy == "" {
				return false
			}
		}
	}
	return true
}
