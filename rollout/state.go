package rollout

import (
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/internal/validate"
)

// deploymentKind is the group, version and kind written into the controller
// references of the ReplicaSets a Deployment creates or adopts.
var deploymentKind = appsv1.SchemeGroupVersion.WithKind("Deployment")

// State is what one Deployment sync looks at.
type State struct {
	// Deployment is the object being synced, as the controller's cache
	// holds it (with the resourceVersion it will send back on writes).
	Deployment *appsv1.Deployment
	// ReplicaSets are the ReplicaSets of the Deployment's namespace: those
	// it controls, orphans it may adopt, and ReplicaSets of other owners,
	// which are never touched but can take the name a new ReplicaSet wants.
	// ReplicaSets of other namespaces are ignored.
	ReplicaSets []*appsv1.ReplicaSet
	// Pods are the pods of the namespace. Only the Recreate strategy looks
	// at them (to wait until no old pod runs), as upstream builds its pod
	// map only then; they may be left empty for RollingUpdate, and are
	// checked for duplicate names and UIDs only for Recreate.
	Pods []*v1.Pod
}

// validate checks what the API server would have refused to store and what
// the reconciler needs to run, and returns the parsed selector.
func (s State) validate() (labels.Selector, error) {
	dPath := field.NewPath("deployment")
	d := s.Deployment
	if d == nil {
		return nil, field.ErrorList{field.Required(dPath, "")}.ToAggregate()
	}
	var errs field.ErrorList
	if d.Name == "" {
		errs = append(errs, field.Required(dPath.Child("metadata", "name"), ""))
	}
	spec := dPath.Child("spec")
	if d.Spec.Replicas == nil {
		errs = append(errs, field.Required(spec.Child("replicas"), "the API server defaults it to 1"))
	} else if *d.Spec.Replicas < 0 {
		errs = append(errs, field.Invalid(spec.Child("replicas"), *d.Spec.Replicas, "must be greater than or equal to 0"))
	}
	// An empty selector is upstream's SelectingAll guard, not an error
	// (see selectsEverything): the parsed selector stays nil.
	var sel labels.Selector
	if !selectsEverything(d.Spec.Selector) {
		var selErrs field.ErrorList
		sel, selErrs = validate.TemplateSelector(d.Spec.Selector, &d.Spec.Template, spec)
		errs = append(errs, selErrs...)
	}
	errs = append(errs, validate.TemplateDefaulted(&d.Spec.Template, spec.Child("template"))...)
	errs = append(errs, validateStrategy(&d.Spec.Strategy, spec.Child("strategy"))...)
	if d.Spec.MinReadySeconds < 0 {
		errs = append(errs, field.Invalid(spec.Child("minReadySeconds"), d.Spec.MinReadySeconds, "must be greater than or equal to 0"))
	}
	if l := d.Spec.RevisionHistoryLimit; l == nil {
		errs = append(errs, field.Required(spec.Child("revisionHistoryLimit"), "the API server defaults it to 10"))
	} else if *l < 0 {
		errs = append(errs, field.Invalid(spec.Child("revisionHistoryLimit"), *l, "must be greater than or equal to 0"))
	}
	if p := d.Spec.ProgressDeadlineSeconds; p == nil {
		errs = append(errs, field.Required(spec.Child("progressDeadlineSeconds"), "the API server defaults it to 600"))
	} else {
		path := spec.Child("progressDeadlineSeconds")
		if *p < 0 {
			errs = append(errs, field.Invalid(path, *p, "must be greater than or equal to 0"))
		}
		if *p <= d.Spec.MinReadySeconds {
			errs = append(errs, field.Invalid(path, *p, "must be greater than minReadySeconds"))
		}
	}
	for i, rs := range s.ReplicaSets {
		p := field.NewPath("replicaSets").Index(i)
		switch {
		case rs == nil:
			errs = append(errs, field.Required(p, ""))
		case rs.Spec.Replicas == nil:
			errs = append(errs, field.Required(p.Child("spec", "replicas"), "the API server defaults it to 1"))
		case *rs.Spec.Replicas < 0:
			errs = append(errs, field.Invalid(p.Child("spec", "replicas"), *rs.Spec.Replicas, "must be greater than or equal to 0"))
		}
		if rs != nil {
			errs = append(errs, validate.TemplateDefaulted(&rs.Spec.Template, p.Child("spec", "template"))...)
		}
	}
	errs = append(errs, uniqueObjects(s.ReplicaSets, field.NewPath("replicaSets"))...)
	errs = append(errs, validate.NoNilEntries(s.Pods, field.NewPath("pods"))...)
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		// Only Recreate reads the pods, and only to ask whether any old
		// one still runs. Checking them for a RollingUpdate sync, which
		// never looks at them, would cost a pass over every pod of the
		// namespace (most of a large sync's time) for nothing.
		errs = append(errs, uniqueObjects(s.Pods, field.NewPath("pods"))...)
	}
	if len(errs) > 0 {
		return nil, errs.ToAggregate()
	}
	return sel, nil
}

// selectsEverything reports whether ls is the empty selector `{}` exactly
// as upstream tests it (deep equality with an empty LabelSelector, so an
// empty but non-nil matchLabels map does not count: it is refused as the
// API server refuses it). Older API servers stored such Deployments, and
// upstream's controller guards against them with a SelectingAll warning.
func selectsEverything(ls *metav1.LabelSelector) bool {
	return ls != nil && reflect.DeepEqual(ls, &metav1.LabelSelector{})
}

// uniqueObjects reports entries sharing a namespace and name, or a UID,
// with an earlier entry: a cluster never holds two such objects, and a plan
// computed from them would depend on the list's order (which of two
// ReplicaSets of one name and creation time is the new one, or what kubectl
// rolls back to).
func uniqueObjects[T metav1.Object](list []T, path *field.Path) field.ErrorList {
	return append(validate.UniqueNames(list, path), validate.UniqueUIDs(list, path)...)
}

// validateStrategy mirrors the strategy rules of the API server's
// Deployment validation. Values the server defaults (a nil rollingUpdate,
// maxSurge or maxUnavailable) are required here, since no stored object
// lacks them.
func validateStrategy(st *appsv1.DeploymentStrategy, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch st.Type {
	case appsv1.RecreateDeploymentStrategyType:
		if st.RollingUpdate != nil {
			errs = append(errs, field.Forbidden(path.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
		}
	case appsv1.RollingUpdateDeploymentStrategyType:
		ru := st.RollingUpdate
		ruPath := path.Child("rollingUpdate")
		if ru == nil {
			return append(errs, field.Required(ruPath, "the API server defaults it"))
		}
		surgePath, unavailPath := ruPath.Child("maxSurge"), ruPath.Child("maxUnavailable")
		if ru.MaxSurge == nil {
			errs = append(errs, field.Required(surgePath, "the API server defaults it to 25%"))
		} else {
			errs = append(errs, validate.IntOrPercent(*ru.MaxSurge, surgePath)...)
		}
		if ru.MaxUnavailable == nil {
			errs = append(errs, field.Required(unavailPath, "the API server defaults it to 25%"))
		} else {
			errs = append(errs, validate.IntOrPercent(*ru.MaxUnavailable, unavailPath)...)
			if pct, ok := validate.PercentNumber(*ru.MaxUnavailable); ok && pct > 100 {
				errs = append(errs, field.Invalid(unavailPath, *ru.MaxUnavailable, "must not be greater than 100%"))
			}
		}
		if ru.MaxSurge != nil && ru.MaxUnavailable != nil && validate.IntOrPercentNumber(*ru.MaxSurge) == 0 && validate.IntOrPercentNumber(*ru.MaxUnavailable) == 0 {
			errs = append(errs, field.Invalid(unavailPath, *ru.MaxUnavailable, "may not be 0 when `maxSurge` is 0"))
		}
	default:
		errs = append(errs, field.NotSupported(path.Child("type"), st.Type, []string{
			string(appsv1.RecreateDeploymentStrategyType), string(appsv1.RollingUpdateDeploymentStrategyType),
		}))
	}
	return errs
}
