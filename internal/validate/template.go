package validate

import (
	"strings"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// TemplateDefaulted reports a pod template that lacks a field the API
// server always fills in on create (restartPolicy, dnsPolicy,
// schedulerName, terminationGracePeriodSeconds, securityContext, and each
// container's terminationMessagePath, terminationMessagePolicy and
// imagePullPolicy). A template read from a manifest without that
// defaulting hashes differently from the one a cluster stores, so a
// controller would plan a rollout no real cluster makes: better an error
// than a silently wrong plan. The one error names the first such field and
// lists the others. path is the template's path.
func TemplateDefaulted(t *v1.PodTemplateSpec, path *field.Path) field.ErrorList {
	if t == nil || templateLooksDefaulted(&t.Spec) {
		return nil
	}
	spec := &t.Spec
	specPath := path.Child("spec")
	var missing []*field.Path
	if spec.RestartPolicy == "" {
		missing = append(missing, specPath.Child("restartPolicy"))
	}
	if spec.DNSPolicy == "" {
		missing = append(missing, specPath.Child("dnsPolicy"))
	}
	if spec.SchedulerName == "" {
		missing = append(missing, specPath.Child("schedulerName"))
	}
	if spec.TerminationGracePeriodSeconds == nil {
		missing = append(missing, specPath.Child("terminationGracePeriodSeconds"))
	}
	if spec.SecurityContext == nil {
		missing = append(missing, specPath.Child("securityContext"))
	}
	check := func(cs []v1.Container, p *field.Path) {
		for i := range cs {
			c := &cs[i]
			if c.TerminationMessagePath == "" {
				missing = append(missing, p.Index(i).Child("terminationMessagePath"))
			}
			if c.TerminationMessagePolicy == "" {
				missing = append(missing, p.Index(i).Child("terminationMessagePolicy"))
			}
			if c.ImagePullPolicy == "" {
				missing = append(missing, p.Index(i).Child("imagePullPolicy"))
			}
		}
	}
	check(spec.InitContainers, specPath.Child("initContainers"))
	check(spec.Containers, specPath.Child("containers"))
	detail := "the API server always sets it"
	if len(missing) > 1 {
		others := make([]string, len(missing)-1)
		for i, p := range missing[1:] {
			others[i] = p.String()
		}
		detail += " (also unset: " + strings.Join(others, ", ") + ")"
	}
	detail += "; default the object as the API server does before reconciling it"
	return field.ErrorList{field.Required(missing[0], detail)}
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
