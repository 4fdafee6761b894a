package gen

import (
	"fmt"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"pgregory.net/rapid"
	"sigs.k8s.io/randfill"
)

// Template draws a pod template. Half the time it is built field by field
// from realistic values (the shapes a Deployment's template has); the other
// half every field of the struct is filled at random from a seed rapid
// draws, so that fields nobody thought of are hashed too.
func Template(t *rapid.T) *v1.PodTemplateSpec {
	if rapid.Bool().Draw(t, "filled") {
		return FilledTemplate(rapid.Int64().Draw(t, "fillSeed"))
	}
	return BuiltTemplate(t)
}

// CollisionCount draws nil, a pointer to 0, or a pointer to any int32
// (negative values included: the hash writes it as uint32 bytes).
func CollisionCount(t *rapid.T) *int32 {
	switch rapid.IntRange(0, 3).Draw(t, "collisionKind") {
	case 0:
		return nil
	case 1:
		v := int32(0)
		return &v
	default:
		v := rapid.Int32().Draw(t, "collisionCount")
		return &v
	}
}

// FilledTemplate fills every field of a template from seed. Quantities are
// made canonical (as the API server stores them); times come from
// metav1.Time's own filler, at whole seconds.
func FilledTemplate(seed int64) *v1.PodTemplateSpec {
	f := randfill.NewWithSeed(seed).NilChance(0.3).NumElements(0, 2).MaxDepth(8).Funcs(
		func(q *resource.Quantity, c randfill.Continue) {
			*q = *resource.NewMilliQuantity(c.Int63n(1_000_000), resource.DecimalSI)
		},
	)
	var tmpl v1.PodTemplateSpec
	f.Fill(&tmpl)
	return &tmpl
}

// BuiltTemplate draws a template field by field.
func BuiltTemplate(t *rapid.T) *v1.PodTemplateSpec {
	tmpl := &v1.PodTemplateSpec{}
	tmpl.Labels = stringMap(t, "labels", []string{"app", "tier", "pod-template-hash"}, []string{"web", "api", ""})
	tmpl.Annotations = stringMap(t, "annotations", []string{"a", "kubectl.kubernetes.io/restartedAt"}, []string{"x", "2030-01-01T00:00:00Z"})
	tmpl.Spec.NodeSelector = stringMap(t, "nodeSelector", []string{"zone", "disk"}, []string{"a", "ssd"})
	for i := range rapid.IntRange(1, 3).Draw(t, "containers") {
		tmpl.Spec.Containers = append(tmpl.Spec.Containers, container(t, fmt.Sprintf("c%d", i)))
	}
	for i := range rapid.IntRange(0, 1).Draw(t, "initContainers") {
		c := container(t, fmt.Sprintf("init%d", i))
		if rapid.Bool().Draw(t, "sidecar") {
			always := v1.ContainerRestartPolicyAlways
			c.RestartPolicy = &always
		}
		tmpl.Spec.InitContainers = append(tmpl.Spec.InitContainers, c)
	}
	for range rapid.IntRange(0, 2).Draw(t, "tolerations") {
		tmpl.Spec.Tolerations = append(tmpl.Spec.Tolerations, v1.Toleration{
			Key:      rapid.SampledFrom([]string{"", "dedicated", "node.kubernetes.io/not-ready"}).Draw(t, "tolKey"),
			Operator: rapid.SampledFrom([]v1.TolerationOperator{v1.TolerationOpEqual, v1.TolerationOpExists}).Draw(t, "tolOp"),
			Value:    rapid.SampledFrom([]string{"", "gpu"}).Draw(t, "tolValue"),
			Effect:   rapid.SampledFrom([]v1.TaintEffect{"", v1.TaintEffectNoSchedule, v1.TaintEffectNoExecute}).Draw(t, "tolEffect"),
		})
	}
	if rapid.Bool().Draw(t, "affinity") {
		tmpl.Spec.Affinity = &v1.Affinity{NodeAffinity: &v1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &v1.NodeSelector{NodeSelectorTerms: []v1.NodeSelectorTerm{{
				MatchExpressions: []v1.NodeSelectorRequirement{{
					Key: "zone", Operator: v1.NodeSelectorOpIn,
					Values: rapid.SliceOfN(rapid.SampledFrom([]string{"a", "b", "c"}), 1, 3).Draw(t, "zones"),
				}},
			}}},
		}}
	}
	if rapid.Bool().Draw(t, "grace") {
		g := rapid.Int64Range(0, 3600).Draw(t, "graceSeconds")
		tmpl.Spec.TerminationGracePeriodSeconds = &g
	}
	tmpl.Spec.RestartPolicy = rapid.SampledFrom([]v1.RestartPolicy{"", v1.RestartPolicyAlways, v1.RestartPolicyOnFailure, v1.RestartPolicyNever}).Draw(t, "restartPolicy")
	tmpl.Spec.DNSPolicy = rapid.SampledFrom([]v1.DNSPolicy{"", v1.DNSClusterFirst}).Draw(t, "dnsPolicy")
	return tmpl
}

func container(t *rapid.T, name string) v1.Container {
	c := v1.Container{
		Name:  name,
		Image: rapid.SampledFrom([]string{"nginx", "nginx:1.27", "registry.example/app@sha256:0123", ""}).Draw(t, name+".image"),
	}
	for i := range rapid.IntRange(0, 2).Draw(t, name+".ports") {
		c.Ports = append(c.Ports, v1.ContainerPort{
			Name:          rapid.SampledFrom([]string{"", "http"}).Draw(t, name+".portName"),
			ContainerPort: int32(8080 + i),
			Protocol:      rapid.SampledFrom([]v1.Protocol{"", v1.ProtocolTCP, v1.ProtocolUDP}).Draw(t, name+".protocol"),
		})
	}
	for range rapid.IntRange(0, 2).Draw(t, name+".env") {
		e := v1.EnvVar{Name: rapid.SampledFrom([]string{"A", "B", "PATH"}).Draw(t, name+".envName")}
		if rapid.Bool().Draw(t, name+".envFrom") {
			e.ValueFrom = &v1.EnvVarSource{FieldRef: &v1.ObjectFieldSelector{FieldPath: "metadata.name"}}
		} else {
			e.Value = rapid.SampledFrom([]string{"", "1", "x y"}).Draw(t, name+".envValue")
		}
		c.Env = append(c.Env, e)
	}
	c.Resources.Requests = resources(t, name+".requests")
	c.Resources.Limits = resources(t, name+".limits")
	if rapid.Bool().Draw(t, name+".command") {
		c.Command = []string{"/bin/sh", "-c"}
		c.Args = rapid.SliceOfN(rapid.SampledFrom([]string{"sleep 1", "", "echo"}), 0, 2).Draw(t, name+".args")
	}
	return c
}

// resources draws a resource list: nil, empty, or CPU and memory in the
// canonical forms a stored object has (parsed from their canonical strings).
func resources(t *rapid.T, label string) v1.ResourceList {
	switch rapid.IntRange(0, 2).Draw(t, label) {
	case 0:
		return nil
	case 1:
		return v1.ResourceList{}
	}
	rl := v1.ResourceList{}
	if rapid.Bool().Draw(t, label+".cpu") {
		rl[v1.ResourceCPU] = resource.MustParse(rapid.SampledFrom([]string{"100m", "1", "250m", "2"}).Draw(t, label+".cpuValue"))
	}
	if rapid.Bool().Draw(t, label+".memory") {
		rl[v1.ResourceMemory] = resource.MustParse(rapid.SampledFrom([]string{"64Mi", "1Gi", "128974848", "1G"}).Draw(t, label+".memoryValue"))
	}
	return rl
}

// stringMap draws nil, an empty map, or a map over keys with values, so
// that nil and empty (which hash differently) both occur.
func stringMap(t *rapid.T, label string, keys, values []string) map[string]string {
	switch rapid.IntRange(0, 2).Draw(t, label) {
	case 0:
		return nil
	case 1:
		return map[string]string{}
	}
	m := map[string]string{}
	for _, k := range keys {
		if rapid.Bool().Draw(t, label+"."+k) {
			m[k] = rapid.SampledFrom(values).Draw(t, label+"."+k+".value")
		}
	}
	return m
}
