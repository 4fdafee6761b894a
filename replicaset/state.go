package replicaset

import (
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/internal/validate"
	"github.com/kubepure/kubepure/workload"
)

// BurstReplicas is the most pods one ReplicaSet sync creates or deletes,
// as kube-controller-manager configures the ReplicaSet controller.
const BurstReplicas = 500

// replicaSetKind is the group, version and kind written into controller
// references and adoption patches.
var replicaSetKind = appsv1.SchemeGroupVersion.WithKind("ReplicaSet")

// State is what one ReplicaSet sync looks at.
type State struct {
	// ReplicaSet is the object being synced, as the controller's cache holds it.
	ReplicaSet *appsv1.ReplicaSet
	// Pods are the pods of the ReplicaSet's namespace: those it controls, the
	// orphans it may adopt, and the pods of its sibling ReplicaSets (used to
	// rank pods for deletion). Pods controlled by other owners are never
	// touched. Pods of other namespaces are ignored.
	Pods []*v1.Pod
	// ReplicaSets are other ReplicaSets of the namespace. Those controlled
	// by the same owner as ReplicaSet (its siblings, typically the other
	// ReplicaSets of one Deployment) contribute their pods to the
	// co-location rank that decides which pods are deleted first. May be
	// empty; ReplicaSet itself need not be repeated here.
	ReplicaSets []*appsv1.ReplicaSet
	// ExpectationsPending is true while creations or deletions from an earlier
	// sync are not yet visible in Pods. Upstream then skips creating and
	// deleting and only writes status. A caller that applies each plan
	// before observing again leaves it false.
	ExpectationsPending bool
}

// Plan is what one ReplicaSet sync decides: the calls, the events and the
// requeue. The ReplicaSet controller hands back no memory between syncs
// (its expectations are the caller's to report, as
// State.ExpectationsPending), so Plan adds nothing to workload.Plan.
type Plan struct {
	workload.Plan
}

// validate checks what the API server would have rejected and what the
// reconciler needs to run, and returns the parsed selector.
func (s State) validate() (labels.Selector, error) {
	rsPath := field.NewPath("replicaSet")
	rs := s.ReplicaSet
	if rs == nil {
		return nil, field.ErrorList{field.Required(rsPath, "")}.ToAggregate()
	}
	var errs field.ErrorList
	spec := rsPath.Child("spec")
	if rs.Name == "" {
		errs = append(errs, field.Required(rsPath.Child("metadata", "name"), ""))
	}
	if rs.Spec.Replicas == nil {
		errs = append(errs, field.Required(spec.Child("replicas"), "the API server defaults it to 1"))
	} else if *rs.Spec.Replicas < 0 {
		errs = append(errs, field.Invalid(spec.Child("replicas"), *rs.Spec.Replicas, "must be greater than or equal to 0"))
	}
	if rs.Spec.MinReadySeconds < 0 {
		errs = append(errs, field.Invalid(spec.Child("minReadySeconds"), rs.Spec.MinReadySeconds, "must be greater than or equal to 0"))
	}
	sel, err := validate.TemplateSelector(rs.Spec.Selector, &rs.Spec.Template, spec)
	errs = append(errs, err...)
	errs = append(errs, validate.TemplateDefaulted(&rs.Spec.Template, spec.Child("template"))...)
	for i, p := range s.Pods {
		if !validate.PodLooksValid(p) {
			errs = append(errs, validate.Pod(p, field.NewPath("pods").Index(i))...)
		}
	}
	errs = append(errs, validate.UniqueNames(s.Pods, field.NewPath("pods"))...)
	errs = append(errs, validate.UniqueUIDs(s.Pods, field.NewPath("pods"))...)
	errs = append(errs, validate.NoNilEntries(s.ReplicaSets, field.NewPath("replicaSets"))...)
	errs = append(errs, validate.UniqueNames(s.ReplicaSets, field.NewPath("replicaSets"))...)
	if len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	return sel, nil
}
