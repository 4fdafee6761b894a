package defaulting

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kubernetes/pkg/util/parsers"

	"github.com/kubepure/kubepure/conformance/check"
)

// requiredBranches are the defaulting branches the generators must keep
// reaching; reach records them from each generated object before it is
// defaulted.
var requiredBranches = []string{
	"image-implied-latest", "image-tag-latest", "image-tag-other", "image-digest", "image-unparseable", "image-volume",
	"port-no-protocol", "hostnetwork-port", "env-fieldref-no-version", "env-filekey-no-optional",
	"probe-zero-timing", "probe-httpget-defaults", "probe-grpc-no-service", "lifecycle-httpget",
	"limits-without-requests", "quantity-rounded", "quantity-dec", "ephemeral-container", "init-container",
	"sa-deprecated-only", "sa-mismatch", "grace-negative", "pod-ip-from-list", "pod-ips-from-ip", "pod-ips-mismatch",
	"overhead", "pod-level-resources",
	"volume-no-source", "volume-hostpath-no-type", "volume-secret-no-mode", "volume-configmap-no-mode",
	"volume-downwardapi-field", "volume-projected-token-no-expiry", "volume-iscsi", "volume-rbd", "volume-azuredisk",
	"volume-scaleio", "volume-ephemeral-claim", "volume-ephemeral-no-claim",
	"deployment-no-strategy", "deployment-recreate", "deployment-partial-rolling",
	"daemonset-ondelete", "daemonset-partial-rolling",
	"statefulset-no-strategy", "statefulset-rolling-nil", "statefulset-rolling-partial", "statefulset-claim-template",
	"job-no-counts", "job-completions-only", "job-per-index-backoff", "job-labels-from-template", "job-failure-policy",
	"pattern-no-status", "cronjob-failure-policy",
	"node-allocatable-from-capacity", "namespace-named", "namespace-generate-name", "claim-no-phase", "claim-no-mode",
	"controllerrevision", "filled-randomly",
}

// reach records the branches obj will take through defaulting.
func reach(cov check.Coverage, obj runtime.Object) {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		s := o.Spec.Strategy
		switch {
		case s.Type == "":
			cov.Add("deployment-no-strategy")
		case s.Type == appsv1.RecreateDeploymentStrategyType:
			cov.Add("deployment-recreate")
		}
		if ru := s.RollingUpdate; ru != nil && (ru.MaxSurge == nil) != (ru.MaxUnavailable == nil) {
			cov.Add("deployment-partial-rolling")
		}
		spec(cov, &o.Spec.Template.Spec, false)
	case *appsv1.ReplicaSet:
		spec(cov, &o.Spec.Template.Spec, false)
	case *appsv1.DaemonSet:
		if o.Spec.UpdateStrategy.Type == appsv1.OnDeleteDaemonSetStrategyType {
			cov.Add("daemonset-ondelete")
		}
		if ru := o.Spec.UpdateStrategy.RollingUpdate; ru != nil && (ru.MaxSurge == nil) != (ru.MaxUnavailable == nil) {
			cov.Add("daemonset-partial-rolling")
		}
		spec(cov, &o.Spec.Template.Spec, false)
	case *appsv1.StatefulSet:
		us := o.Spec.UpdateStrategy
		switch {
		case us.Type == "":
			cov.Add("statefulset-no-strategy")
		case us.Type == appsv1.RollingUpdateStatefulSetStrategyType && us.RollingUpdate == nil:
			cov.Add("statefulset-rolling-nil")
		case us.Type == appsv1.RollingUpdateStatefulSetStrategyType && (us.RollingUpdate.Partition == nil) != (us.RollingUpdate.MaxUnavailable == nil):
			cov.Add("statefulset-rolling-partial")
		}
		if len(o.Spec.VolumeClaimTemplates) > 0 {
			cov.Add("statefulset-claim-template")
		}
		spec(cov, &o.Spec.Template.Spec, false)
	case *appsv1.ControllerRevision:
		cov.Add("controllerrevision")
	case *batchv1.Job:
		s := o.Spec
		switch {
		case s.Completions == nil && s.Parallelism == nil:
			cov.Add("job-no-counts")
		case s.Parallelism == nil:
			cov.Add("job-completions-only")
		}
		if s.BackoffLimit == nil && s.BackoffLimitPerIndex != nil {
			cov.Add("job-per-index-backoff")
		}
		if len(o.Labels) == 0 && len(s.Template.Labels) > 0 {
			cov.Add("job-labels-from-template")
		}
		if s.PodFailurePolicy != nil {
			cov.Add("job-failure-policy")
			patterns(cov, s.PodFailurePolicy)
		}
		spec(cov, &s.Template.Spec, false)
	case *batchv1.CronJob:
		if p := o.Spec.JobTemplate.Spec.PodFailurePolicy; p != nil {
			cov.Add("cronjob-failure-policy")
			patterns(cov, p)
		}
		spec(cov, &o.Spec.JobTemplate.Spec.Template.Spec, false)
	case *v1.Pod:
		spec(cov, &o.Spec, true)
		st := o.Status
		switch {
		case st.PodIP == "" && len(st.PodIPs) > 0:
			cov.Add("pod-ip-from-list")
		case st.PodIP != "" && len(st.PodIPs) == 0:
			cov.Add("pod-ips-from-ip")
		case st.PodIP != "" && st.PodIPs[0].IP != st.PodIP:
			cov.Add("pod-ips-mismatch")
		}
	case *v1.Node:
		if o.Status.Allocatable == nil && len(o.Status.Capacity) > 0 {
			cov.Add("node-allocatable-from-capacity")
		}
	case *v1.PersistentVolumeClaim:
		if o.Status.Phase == "" {
			cov.Add("claim-no-phase")
		}
		if o.Spec.VolumeMode == nil {
			cov.Add("claim-no-mode")
		}
	case *v1.Namespace:
		if o.Name != "" {
			cov.Add("namespace-named")
		} else if o.GenerateName != "" {
			cov.Add("namespace-generate-name")
		}
	}
	if m, ok := obj.(interface{ GetResourceVersion() string }); ok && m.GetResourceVersion() != "" {
		// Only randomly filled objects carry a resource version.
		cov.Add("filled-randomly")
	}
}

func patterns(cov check.Coverage, p *batchv1.PodFailurePolicy) {
	for _, r := range p.Rules {
		for _, c := range r.OnPodConditions {
			if c.Status == "" {
				cov.Add("pattern-no-status")
			}
		}
	}
}

// spec records the branches of a pod spec; pod tells a Pod object, which
// also takes the pod-only branches.
func spec(cov check.Coverage, s *v1.PodSpec, pod bool) {
	if s.ServiceAccountName == "" && s.DeprecatedServiceAccount != "" {
		cov.Add("sa-deprecated-only")
	}
	if s.ServiceAccountName != "" && s.DeprecatedServiceAccount != "" && s.ServiceAccountName != s.DeprecatedServiceAccount {
		cov.Add("sa-mismatch")
	}
	if pod && s.TerminationGracePeriodSeconds != nil && *s.TerminationGracePeriodSeconds < 0 {
		cov.Add("grace-negative")
	}
	if len(s.Overhead) > 0 {
		cov.Add("overhead")
	}
	if s.Resources != nil && (len(s.Resources.Limits) > 0 || len(s.Resources.Requests) > 0) {
		cov.Add("pod-level-resources")
	}
	if len(s.InitContainers) > 0 {
		cov.Add("init-container")
	}
	if len(s.EphemeralContainers) > 0 {
		cov.Add("ephemeral-container")
	}
	for i := range s.InitContainers {
		container(cov, &s.InitContainers[i], pod, s.HostNetwork)
	}
	for i := range s.Containers {
		container(cov, &s.Containers[i], pod, s.HostNetwork)
	}
	for i := range s.EphemeralContainers {
		c := v1.Container(s.EphemeralContainers[i].EphemeralContainerCommon)
		container(cov, &c, false, false)
	}
	for i := range s.Volumes {
		volume(cov, &s.Volumes[i])
	}
}

func container(cov check.Coverage, c *v1.Container, pod, hostNetwork bool) {
	if c.ImagePullPolicy == "" {
		image(cov, c.Image)
	}
	for _, p := range c.Ports {
		if p.Protocol == "" {
			cov.Add("port-no-protocol")
		}
		if pod && hostNetwork && p.HostPort == 0 {
			cov.Add("hostnetwork-port")
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			continue
		}
		if e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.APIVersion == "" {
			cov.Add("env-fieldref-no-version")
		}
		if e.ValueFrom.FileKeyRef != nil && e.ValueFrom.FileKeyRef.Optional == nil {
			cov.Add("env-filekey-no-optional")
		}
	}
	if pod && c.Resources.Limits != nil {
		for name := range c.Resources.Limits {
			if _, ok := c.Resources.Requests[name]; !ok {
				cov.Add("limits-without-requests")
			}
		}
	}
	for _, list := range []v1.ResourceList{c.Resources.Limits, c.Resources.Requests} {
		quantities(cov, list)
	}
	for _, p := range []*v1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
		if p == nil {
			continue
		}
		if p.TimeoutSeconds == 0 || p.PeriodSeconds == 0 || p.SuccessThreshold == 0 || p.FailureThreshold == 0 {
			cov.Add("probe-zero-timing")
		}
		if p.HTTPGet != nil && (p.HTTPGet.Path == "" || p.HTTPGet.Scheme == "") {
			cov.Add("probe-httpget-defaults")
		}
		if p.GRPC != nil && p.GRPC.Service == nil {
			cov.Add("probe-grpc-no-service")
		}
	}
	if l := c.Lifecycle; l != nil {
		for _, h := range []*v1.LifecycleHandler{l.PostStart, l.PreStop} {
			if h != nil && h.HTTPGet != nil {
				cov.Add("lifecycle-httpget")
			}
		}
	}
}

// image records which kind of reference the API server's parser sees.
func image(cov check.Coverage, ref string) {
	_, tag, digest, err := parsers.ParseImageName(ref)
	switch {
	case err != nil:
		cov.Add("image-unparseable")
	case digest != "":
		cov.Add("image-digest")
	case tag == "latest" && !hasTag(ref):
		cov.Add("image-implied-latest")
	case tag == "latest":
		cov.Add("image-tag-latest")
	default:
		cov.Add("image-tag-other")
	}
}

// hasTag reports whether a reference names a tag after its last slash.
func hasTag(ref string) bool {
	for i := len(ref) - 1; i >= 0 && ref[i] != '/'; i-- {
		if ref[i] == ':' {
			return true
		}
	}
	return false
}

func quantities(cov check.Coverage, list v1.ResourceList) {
	for _, q := range list {
		rounded := q.DeepCopy()
		if !rounded.RoundUp(resource.Milli) {
			cov.Add("quantity-rounded")
		}
		// Values beyond int64 nano-units are held as inf.Dec, which rounds
		// through a different path.
		huge := resource.MustParse("9e18")
		tiny := *resource.NewScaledQuantity(1, resource.Nano)
		if q.Cmp(huge) > 0 || (q.Sign() > 0 && q.Cmp(tiny) < 0) {
			cov.Add("quantity-dec")
		}
	}
}

func volume(cov check.Coverage, vol *v1.Volume) {
	src := vol.VolumeSource
	switch {
	case src == (v1.VolumeSource{}):
		cov.Add("volume-no-source")
	case src.HostPath != nil && src.HostPath.Type == nil:
		cov.Add("volume-hostpath-no-type")
	case src.Secret != nil && src.Secret.DefaultMode == nil:
		cov.Add("volume-secret-no-mode")
	case src.ConfigMap != nil && src.ConfigMap.DefaultMode == nil:
		cov.Add("volume-configmap-no-mode")
	case src.DownwardAPI != nil:
		for _, item := range src.DownwardAPI.Items {
			if item.FieldRef != nil && item.FieldRef.APIVersion == "" {
				cov.Add("volume-downwardapi-field")
			}
		}
	case src.Projected != nil:
		for _, p := range src.Projected.Sources {
			if p.ServiceAccountToken != nil && p.ServiceAccountToken.ExpirationSeconds == nil {
				cov.Add("volume-projected-token-no-expiry")
			}
		}
	case src.ISCSI != nil:
		cov.Add("volume-iscsi")
	case src.RBD != nil:
		cov.Add("volume-rbd")
	case src.AzureDisk != nil:
		cov.Add("volume-azuredisk")
	case src.ScaleIO != nil:
		cov.Add("volume-scaleio")
	case src.Ephemeral != nil && src.Ephemeral.VolumeClaimTemplate != nil:
		cov.Add("volume-ephemeral-claim")
	case src.Ephemeral != nil:
		cov.Add("volume-ephemeral-no-claim")
	case src.Image != nil && src.Image.PullPolicy == "":
		cov.Add("image-volume")
	}
}
