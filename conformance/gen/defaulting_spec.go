package gen

import (
	"fmt"
	"strings"

	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"
)

// DefaultingTemplate draws a pod template for the defaulting comparison:
// a quarter of the time filled at random (FilledTemplate), otherwise built
// to reach each defaulting branch with fields both set and unset.
func DefaultingTemplate(t *rapid.T, label string) v1.PodTemplateSpec {
	if rapid.IntRange(0, 3).Draw(t, label+".filled") == 0 {
		tmpl := *FilledTemplate(rapid.Int64().Draw(t, label+".fillSeed"))
		// FilledTemplate fills managed fields with random bytes, which do
		// not marshal; the comparison needs valid JSON there.
		for i := range tmpl.ManagedFields {
			if tmpl.ManagedFields[i].FieldsV1 != nil {
				tmpl.ManagedFields[i].FieldsV1.SetRawString(`{"f:metadata":{}}`)
			}
		}
		return tmpl
	}
	tmpl := v1.PodTemplateSpec{Spec: DefaultingPodSpec(t, label)}
	tmpl.Labels = stringMap(t, label+".labels", []string{"app", "tier"}, []string{"web", ""})
	return tmpl
}

// DefaultingPodSpec draws a pod spec whose every defaulted field is
// sometimes set and sometimes not.
func DefaultingPodSpec(t *rapid.T, label string) v1.PodSpec {
	var s v1.PodSpec
	s.ServiceAccountName = rapid.SampledFrom([]string{"", "", "builder"}).Draw(t, label+".sa")
	s.DeprecatedServiceAccount = rapid.SampledFrom([]string{"", "", "legacy", "builder"}).Draw(t, label+".deprecatedSA")
	s.DNSPolicy = rapid.SampledFrom([]v1.DNSPolicy{"", v1.DNSClusterFirst, v1.DNSDefault}).Draw(t, label+".dns")
	s.RestartPolicy = rapid.SampledFrom([]v1.RestartPolicy{"", v1.RestartPolicyAlways, v1.RestartPolicyNever, v1.RestartPolicyOnFailure}).Draw(t, label+".restart")
	s.SchedulerName = rapid.SampledFrom([]string{"", "custom"}).Draw(t, label+".scheduler")
	switch rapid.IntRange(0, 2).Draw(t, label+".securityContext") {
	case 1:
		s.SecurityContext = &v1.PodSecurityContext{}
	case 2:
		uid := int64(1000)
		s.SecurityContext = &v1.PodSecurityContext{RunAsUser: &uid}
	}
	if rapid.Bool().Draw(t, label+".grace") {
		g := rapid.SampledFrom([]int64{-5, -1, 0, 1, 30, 600}).Draw(t, label+".graceSeconds")
		s.TerminationGracePeriodSeconds = &g
	}
	s.HostNetwork = rapid.IntRange(0, 3).Draw(t, label+".hostNetwork") == 0
	if rapid.Bool().Draw(t, label+".serviceLinks") {
		b := rapid.Bool().Draw(t, label+".serviceLinksValue")
		s.EnableServiceLinks = &b
	}
	for i := range rapid.IntRange(1, 3).Draw(t, label+".containers") {
		s.Containers = append(s.Containers, defaultingContainer(t, fmt.Sprintf("%s.c%d", label, i)))
	}
	for i := range rapid.IntRange(0, 2).Draw(t, label+".initContainers") {
		s.InitContainers = append(s.InitContainers, defaultingContainer(t, fmt.Sprintf("%s.init%d", label, i)))
	}
	for i := range rapid.IntRange(0, 1).Draw(t, label+".ephemeralContainers") {
		c := defaultingContainer(t, fmt.Sprintf("%s.eph%d", label, i))
		s.EphemeralContainers = append(s.EphemeralContainers, v1.EphemeralContainer{EphemeralContainerCommon: v1.EphemeralContainerCommon(c)})
	}
	for i := range rapid.IntRange(0, 3).Draw(t, label+".volumes") {
		s.Volumes = append(s.Volumes, defaultingVolume(t, fmt.Sprintf("%s.vol%d", label, i)))
	}
	s.Overhead = defaultingResources(t, label+".overhead")
	if rapid.IntRange(0, 3).Draw(t, label+".podResources") == 0 {
		s.Resources = &v1.ResourceRequirements{
			Limits:   defaultingResources(t, label+".podLimits"),
			Requests: defaultingResources(t, label+".podRequests"),
		}
	}
	return s
}

// defaultingImages are image references on both sides of the API server's
// parser: familiar and fully qualified names, tags, digests of each known
// algorithm, and references the parser rejects (upper case, bad digests,
// a bare image ID, empty).
var defaultingImages = []string{
	"nginx", "nginx:latest", "nginx:1.27", "library/nginx", "docker.io/nginx", "index.docker.io/library/nginx:latest",
	"registry.example:5000/team/app", "registry.example:5000/team/app:latest", "localhost/app", "localhost:5000/app:v1",
	"[::1]:5000/app", "Registry.Example/app", "Foo/bar", "foo/Bar", "Busybox", "busybox:LATEST", "busybox:Latest",
	"", " ", "nginx:", ":latest", "a//b", "a/b/", "my_app__x--y.z", "app:" + strings.Repeat("t", 129),
	strings.Repeat("a", 64), strings.Repeat("f", 64) + ":latest", strings.Repeat("a/", 130) + "b",
	"app@sha256:" + strings.Repeat("a", 64), "app:latest@sha256:" + strings.Repeat("0", 64), "app:v1@sha256:" + strings.Repeat("1", 64),
	"app@sha256:" + strings.Repeat("a", 63), "app@sha256:" + strings.Repeat("A", 64), "app@sha384:" + strings.Repeat("b", 96),
	"app@sha512:" + strings.Repeat("c", 128), "app@sha512:" + strings.Repeat("c", 64), "app@md5:" + strings.Repeat("d", 32),
	"app@sha256+x:" + strings.Repeat("e", 64), "app@sha256:" + strings.Repeat("g", 64),
}

// defaultingImage draws a listed reference or a random string over the
// characters a reference is made of, so that the parser's grammar is
// exercised beyond the list.
func defaultingImage(t *rapid.T, label string) string {
	if rapid.IntRange(0, 3).Draw(t, label+".randomImage") == 0 {
		return rapid.StringMatching(`[a-zA-Z0-9:/@._\-\[\]]{0,24}`).Draw(t, label+".imageString")
	}
	return rapid.SampledFrom(defaultingImages).Draw(t, label+".image")
}

func defaultingContainer(t *rapid.T, label string) v1.Container {
	c := v1.Container{Name: label[strings.LastIndex(label, ".")+1:], Image: defaultingImage(t, label)}
	c.ImagePullPolicy = rapid.SampledFrom([]v1.PullPolicy{"", "", v1.PullNever, v1.PullAlways}).Draw(t, label+".pull")
	c.TerminationMessagePath = rapid.SampledFrom([]string{"", "/tmp/log"}).Draw(t, label+".tmPath")
	c.TerminationMessagePolicy = rapid.SampledFrom([]v1.TerminationMessagePolicy{"", v1.TerminationMessageFallbackToLogsOnError}).Draw(t, label+".tmPolicy")
	for i := range rapid.IntRange(0, 2).Draw(t, label+".ports") {
		c.Ports = append(c.Ports, v1.ContainerPort{
			ContainerPort: int32(8080 + i),
			HostPort:      rapid.SampledFrom([]int32{0, 0, 9090}).Draw(t, label+".hostPort"),
			Protocol:      rapid.SampledFrom([]v1.Protocol{"", v1.ProtocolTCP, v1.ProtocolUDP}).Draw(t, label+".protocol"),
		})
	}
	for range rapid.IntRange(0, 3).Draw(t, label+".env") {
		e := v1.EnvVar{Name: "E"}
		switch rapid.IntRange(0, 3).Draw(t, label+".envKind") {
		case 0:
			e.Value = "v"
		case 1:
			e.ValueFrom = &v1.EnvVarSource{FieldRef: &v1.ObjectFieldSelector{
				APIVersion: rapid.SampledFrom([]string{"", "v1"}).Draw(t, label+".fieldVersion"),
				FieldPath:  "metadata.name",
			}}
		case 2:
			e.ValueFrom = &v1.EnvVarSource{FileKeyRef: &v1.FileKeySelector{VolumeName: "v", Path: "p", Key: "k", Optional: optionalBool(t, label+".fileOptional")}}
		default:
			e.ValueFrom = &v1.EnvVarSource{SecretKeyRef: &v1.SecretKeySelector{Key: "k"}}
		}
		c.Env = append(c.Env, e)
	}
	c.Resources.Limits = defaultingResources(t, label+".limits")
	c.Resources.Requests = defaultingResources(t, label+".requests")
	c.LivenessProbe = defaultingProbe(t, label+".liveness")
	c.ReadinessProbe = defaultingProbe(t, label+".readiness")
	c.StartupProbe = defaultingProbe(t, label+".startup")
	if rapid.Bool().Draw(t, label+".lifecycle") {
		c.Lifecycle = &v1.Lifecycle{
			PostStart: defaultingHandler(t, label+".postStart"),
			PreStop:   defaultingHandler(t, label+".preStop"),
		}
	}
	return c
}

func optionalBool(t *rapid.T, label string) *bool {
	if rapid.Bool().Draw(t, label) {
		return nil
	}
	b := rapid.Bool().Draw(t, label+".value")
	return &b
}

// defaultingQuantities are canonical and non-canonical quantities, several
// of which the API server rounds up to milli-units.
var defaultingQuantities = []string{"100m", "1", "0.5", "0.0001", "1.5m", "100u", "250n", "1e-9", "0.0000000001", "64Mi", "1Gi", "1G", "128974848", "12345678901234567890", "1.0001Ki"}

func defaultingResources(t *rapid.T, label string) v1.ResourceList {
	switch rapid.IntRange(0, 2).Draw(t, label) {
	case 0:
		return nil
	case 1:
		return v1.ResourceList{}
	}
	rl := v1.ResourceList{}
	for _, name := range []v1.ResourceName{v1.ResourceCPU, v1.ResourceMemory, "hugepages-2Mi", "example.com/gpu"} {
		if rapid.Bool().Draw(t, label+"."+string(name)) {
			rl[name] = resource.MustParse(rapid.SampledFrom(defaultingQuantities).Draw(t, label+"."+string(name)+".value"))
		}
	}
	return rl
}

func defaultingProbe(t *rapid.T, label string) *v1.Probe {
	if rapid.IntRange(0, 2).Draw(t, label) == 0 {
		return nil
	}
	p := &v1.Probe{}
	timing := func(name string) int32 {
		return rapid.SampledFrom([]int32{0, 0, 5}).Draw(t, label+"."+name)
	}
	p.TimeoutSeconds, p.PeriodSeconds = timing("timeout"), timing("period")
	p.SuccessThreshold, p.FailureThreshold = timing("success"), timing("failure")
	switch rapid.IntRange(0, 4).Draw(t, label+".handler") {
	case 0:
		p.HTTPGet = defaultingHTTPGet(t, label)
	case 1:
		p.GRPC = &v1.GRPCAction{Port: 9000}
		if rapid.Bool().Draw(t, label+".grpcService") {
			p.GRPC.Service = new(rapid.SampledFrom([]string{"", "health"}).Draw(t, label+".grpcServiceName"))
		}
	case 2:
		p.TCPSocket = &v1.TCPSocketAction{Port: intstr.FromInt32(80)}
	case 3:
		p.Exec = &v1.ExecAction{Command: []string{"true"}}
	}
	return p
}

func defaultingHTTPGet(t *rapid.T, label string) *v1.HTTPGetAction {
	return &v1.HTTPGetAction{
		Port:   intstr.FromString("http"),
		Path:   rapid.SampledFrom([]string{"", "/healthz"}).Draw(t, label+".path"),
		Scheme: rapid.SampledFrom([]v1.URIScheme{"", v1.URISchemeHTTPS}).Draw(t, label+".scheme"),
	}
}

func defaultingHandler(t *rapid.T, label string) *v1.LifecycleHandler {
	switch rapid.IntRange(0, 3).Draw(t, label) {
	case 0:
		return nil
	case 1:
		return &v1.LifecycleHandler{HTTPGet: defaultingHTTPGet(t, label)}
	case 2:
		return &v1.LifecycleHandler{Sleep: &v1.SleepAction{Seconds: 1}}
	}
	return &v1.LifecycleHandler{Exec: &v1.ExecAction{Command: []string{"true"}}}
}

// defaultingVolumeKinds are the volume sources the comparison draws: every
// source with a default, one without, and no source at all.
var defaultingVolumeKinds = []string{"none", "emptyDir", "hostPath", "secret", "configMap", "downwardAPI", "projected", "iscsi", "rbd", "azureDisk", "scaleIO", "ephemeral", "image", "persistentVolumeClaim"}

func defaultingVolume(t *rapid.T, label string) v1.Volume {
	vol := v1.Volume{Name: label[strings.LastIndex(label, ".")+1:]}
	src := &vol.VolumeSource
	mode := func() *int32 {
		if rapid.Bool().Draw(t, label+".mode") {
			return nil
		}
		m := int32(0o600)
		return &m
	}
	set := func(name string) string {
		return rapid.SampledFrom([]string{"", "given"}).Draw(t, label+"."+name)
	}
	switch kind := rapid.SampledFrom(defaultingVolumeKinds).Draw(t, label+".kind"); kind {
	case "none":
	case "emptyDir":
		src.EmptyDir = &v1.EmptyDirVolumeSource{}
	case "hostPath":
		src.HostPath = &v1.HostPathVolumeSource{Path: "/data"}
		if rapid.Bool().Draw(t, label+".hostPathType") {
			src.HostPath.Type = new(v1.HostPathDirectory)
		}
	case "secret":
		src.Secret = &v1.SecretVolumeSource{SecretName: "s", DefaultMode: mode()}
	case "configMap":
		src.ConfigMap = &v1.ConfigMapVolumeSource{LocalObjectReference: v1.LocalObjectReference{Name: "c"}, DefaultMode: mode()}
	case "downwardAPI":
		src.DownwardAPI = &v1.DownwardAPIVolumeSource{DefaultMode: mode(), Items: defaultingDownwardItems(t, label)}
	case "projected":
		src.Projected = &v1.ProjectedVolumeSource{DefaultMode: mode()}
		src.Projected.Sources = append(src.Projected.Sources, v1.VolumeProjection{DownwardAPI: &v1.DownwardAPIProjection{Items: defaultingDownwardItems(t, label)}})
		token := &v1.ServiceAccountTokenProjection{Path: "token"}
		if rapid.Bool().Draw(t, label+".expiry") {
			token.ExpirationSeconds = new(int64(7200))
		}
		src.Projected.Sources = append(src.Projected.Sources, v1.VolumeProjection{ServiceAccountToken: token},
			v1.VolumeProjection{ConfigMap: &v1.ConfigMapProjection{LocalObjectReference: v1.LocalObjectReference{Name: "c"}}})
	case "iscsi":
		src.ISCSI = &v1.ISCSIVolumeSource{TargetPortal: "t", IQN: "i", ISCSIInterface: set("iface")}
	case "rbd":
		src.RBD = &v1.RBDVolumeSource{CephMonitors: []string{"m"}, RBDImage: "i", RBDPool: set("pool"), RadosUser: set("user"), Keyring: set("keyring")}
	case "azureDisk":
		src.AzureDisk = &v1.AzureDiskVolumeSource{DiskName: "d", DataDiskURI: "u"}
		if rapid.Bool().Draw(t, label+".azureSet") {
			src.AzureDisk.CachingMode = new(v1.AzureDataDiskCachingNone)
			src.AzureDisk.FSType = new("xfs")
			src.AzureDisk.ReadOnly = new(true)
			src.AzureDisk.Kind = new(v1.AzureDedicatedBlobDisk)
		}
	case "scaleIO":
		src.ScaleIO = &v1.ScaleIOVolumeSource{Gateway: "g", System: "s", StorageMode: set("storageMode"), FSType: set("fsType")}
	case "ephemeral":
		src.Ephemeral = &v1.EphemeralVolumeSource{}
		if rapid.IntRange(0, 3).Draw(t, label+".claimTemplate") > 0 {
			src.Ephemeral.VolumeClaimTemplate = &v1.PersistentVolumeClaimTemplate{Spec: DefaultingClaimSpec(t, label+".claim")}
		}
	case "image":
		src.Image = &v1.ImageVolumeSource{Reference: defaultingImage(t, label), PullPolicy: rapid.SampledFrom([]v1.PullPolicy{"", v1.PullNever}).Draw(t, label+".imagePull")}
	case "persistentVolumeClaim":
		src.PersistentVolumeClaim = &v1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}
	default:
		panic("unknown volume kind " + kind)
	}
	return vol
}

func defaultingDownwardItems(t *rapid.T, label string) []v1.DownwardAPIVolumeFile {
	var items []v1.DownwardAPIVolumeFile
	for range rapid.IntRange(0, 2).Draw(t, label+".items") {
		item := v1.DownwardAPIVolumeFile{Path: "labels"}
		if rapid.Bool().Draw(t, label+".itemField") {
			item.FieldRef = &v1.ObjectFieldSelector{APIVersion: rapid.SampledFrom([]string{"", "v1"}).Draw(t, label+".itemVersion"), FieldPath: "metadata.labels"}
		} else {
			item.ResourceFieldRef = &v1.ResourceFieldSelector{Resource: "limits.cpu"}
		}
		items = append(items, item)
	}
	return items
}

// DefaultingClaimSpec draws a claim spec with and without a volume mode and
// with quantities that need rounding.
func DefaultingClaimSpec(t *rapid.T, label string) v1.PersistentVolumeClaimSpec {
	var s v1.PersistentVolumeClaimSpec
	if rapid.Bool().Draw(t, label+".volumeMode") {
		s.VolumeMode = new(rapid.SampledFrom([]v1.PersistentVolumeMode{v1.PersistentVolumeBlock, v1.PersistentVolumeFilesystem}).Draw(t, label+".volumeModeValue"))
	}
	s.AccessModes = []v1.PersistentVolumeAccessMode{v1.ReadWriteOnce}
	s.Resources.Requests = defaultingResources(t, label+".requests")
	s.Resources.Limits = defaultingResources(t, label+".limits")
	return s
}
