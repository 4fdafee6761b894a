package apidefault

import (
	v1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
)

// Defaults of the legacy in-tree volume sources, which the API server still
// applies to the objects that use them.
const (
	iscsiInterface    = "default"
	rbdPool           = "rbd"
	rbdUser           = "admin"
	rbdKeyring        = "/etc/ceph/keyring"
	scaleIOMode       = "ThinProvisioned"
	scaleIOFSType     = "xfs"
	azureDiskFSType   = "ext4"
	tokenExpirySecond = int64(3600)
)

// Volume defaults one pod volume in place: a volume with no source becomes
// an empty directory, an image volume gets a pull policy by tag, and each
// source gets its own defaults (file modes 0644, a hostPath type of "", a
// token expiry of one hour, downward-API field versions, an ephemeral
// claim's volume mode and rounded resources, the legacy sources' fixed
// values).
func Volume(vol *v1.Volume) {
	if vol == nil {
		return
	}
	src := &vol.VolumeSource
	if ptr.AllPtrFieldsNil(src) {
		src.EmptyDir = &v1.EmptyDirVolumeSource{}
	}
	if src.Image != nil && src.Image.PullPolicy == "" {
		src.Image.PullPolicy = pullPolicy(src.Image.Reference)
	}
	if src.HostPath != nil {
		hostPath(src.HostPath)
	}
	if src.Secret != nil && src.Secret.DefaultMode == nil {
		src.Secret.DefaultMode = new(int32(v1.SecretVolumeSourceDefaultMode))
	}
	if src.ISCSI != nil && src.ISCSI.ISCSIInterface == "" {
		src.ISCSI.ISCSIInterface = iscsiInterface
	}
	if src.RBD != nil {
		setEmpty(&src.RBD.RBDPool, rbdPool)
		setEmpty(&src.RBD.RadosUser, rbdUser)
		setEmpty(&src.RBD.Keyring, rbdKeyring)
	}
	if d := src.DownwardAPI; d != nil {
		if d.DefaultMode == nil {
			d.DefaultMode = new(int32(v1.DownwardAPIVolumeSourceDefaultMode))
		}
		downwardItems(d.Items)
	}
	if src.ConfigMap != nil && src.ConfigMap.DefaultMode == nil {
		src.ConfigMap.DefaultMode = new(int32(v1.ConfigMapVolumeSourceDefaultMode))
	}
	if src.AzureDisk != nil {
		azureDisk(src.AzureDisk)
	}
	if src.Projected != nil {
		projected(src.Projected)
	}
	if src.ScaleIO != nil {
		setEmpty(&src.ScaleIO.StorageMode, scaleIOMode)
		setEmpty(&src.ScaleIO.FSType, scaleIOFSType)
	}
	if src.Ephemeral != nil && src.Ephemeral.VolumeClaimTemplate != nil {
		PersistentVolumeClaimSpec(&src.Ephemeral.VolumeClaimTemplate.Spec)
	}
}

func hostPath(h *v1.HostPathVolumeSource) {
	if h.Type == nil {
		h.Type = new(v1.HostPathUnset)
	}
}

func azureDisk(a *v1.AzureDiskVolumeSource) {
	if a.CachingMode == nil {
		a.CachingMode = new(v1.AzureDataDiskCachingReadWrite)
	}
	if a.FSType == nil {
		a.FSType = new(azureDiskFSType)
	}
	if a.ReadOnly == nil {
		a.ReadOnly = new(false)
	}
	if a.Kind == nil {
		a.Kind = new(v1.AzureSharedBlobDisk)
	}
}

func projected(p *v1.ProjectedVolumeSource) {
	if p.DefaultMode == nil {
		p.DefaultMode = new(int32(v1.ProjectedVolumeSourceDefaultMode))
	}
	for i := range p.Sources {
		s := &p.Sources[i]
		if s.DownwardAPI != nil {
			downwardItems(s.DownwardAPI.Items)
		}
		if s.ServiceAccountToken != nil && s.ServiceAccountToken.ExpirationSeconds == nil {
			s.ServiceAccountToken.ExpirationSeconds = new(tokenExpirySecond)
		}
	}
}

func downwardItems(items []v1.DownwardAPIVolumeFile) {
	for i := range items {
		fieldSelector(items[i].FieldRef)
	}
}

// setEmpty sets *s to value when it is empty.
func setEmpty(s *string, value string) {
	if *s == "" {
		*s = value
	}
}

// PersistentVolumeClaimSpec defaults a claim spec in place: volume mode
// Filesystem and milli-rounded resources. It serves claims, StatefulSet
// claim templates and ephemeral volumes alike.
func PersistentVolumeClaimSpec(spec *v1.PersistentVolumeClaimSpec) {
	if spec == nil {
		return
	}
	if spec.VolumeMode == nil {
		spec.VolumeMode = new(v1.PersistentVolumeFilesystem)
	}
	roundResources(spec.Resources.Limits)
	roundResources(spec.Resources.Requests)
}
