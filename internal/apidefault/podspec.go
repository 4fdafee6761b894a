package apidefault

import (
	"strings"

	v1 "k8s.io/api/core/v1"
)

// PodTemplate defaults t's pod spec in place; see PodSpec.
func PodTemplate(t *v1.PodTemplateSpec) {
	if t != nil {
		PodSpec(&t.Spec)
	}
}

// PodSpec sets, in place, each always-defaulted field of spec that is
// empty, to the value the API server would give it.
func PodSpec(spec *v1.PodSpec) {
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
	for i := range spec.InitContainers {
		container(&spec.InitContainers[i])
	}
	for i := range spec.Containers {
		container(&spec.Containers[i])
	}
}

func container(c *v1.Container) {
	if c.ImagePullPolicy == "" {
		if imageTag(c.Image) == "latest" {
			c.ImagePullPolicy = v1.PullAlways
		} else {
			c.ImagePullPolicy = v1.PullIfNotPresent
		}
	}
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = v1.TerminationMessagePathDefault
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = v1.TerminationMessageReadFile
	}
}

// imageTag is the tag of an image reference as the API server's defaulting
// reads it: "latest" when the reference has neither tag nor digest, "" when
// it has only a digest.
func imageTag(image string) string {
	name := image
	if i := strings.Index(name, "@"); i >= 0 {
		return "" // a digest: IfNotPresent
	}
	// The tag follows the last colon after the last slash (a colon before
	// it belongs to a registry port).
	last := name[strings.LastIndex(name, "/")+1:]
	if i := strings.LastIndex(last, ":"); i >= 0 {
		return last[i+1:]
	}
	return "latest"
}

// Template returns t with its pod spec defaulted, for struct literals:
// Template: apidefault.Template(v1.PodTemplateSpec{...}). t is a value, so
// the caller's template is not shared with the result's top level; nested
// pointers still are.
func Template(t v1.PodTemplateSpec) v1.PodTemplateSpec {
	PodSpec(&t.Spec)
	return t
}
