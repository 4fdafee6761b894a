package daemon

import (
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/kubepure/kubepure/backoff"
	"github.com/kubepure/kubepure/internal/validate"
	"github.com/kubepure/kubepure/workload"
)

// daemonSetKind is the group, version and kind written into the controller
// references of the pods and ControllerRevisions a DaemonSet owns.
var daemonSetKind = appsv1.SchemeGroupVersion.WithKind("DaemonSet")

// BurstReplicas is the most pods one sync creates, and the most it
// deletes: kube-controller-manager's burst for the DaemonSet controller.
const BurstReplicas = 250

// State is what one DaemonSet sync looks at.
type State struct {
	// DaemonSet is the object being synced, as the controller's cache
	// holds it.
	DaemonSet *appsv1.DaemonSet
	// Nodes are all the nodes of the cluster.
	Nodes []*v1.Node
	// Pods are the pods of the DaemonSet's namespace: its own, orphans it
	// may adopt, and pods of other owners (which are never touched).
	// Pods of other namespaces are ignored.
	Pods []*v1.Pod
	// Revisions are the ControllerRevisions of the namespace, of any owner:
	// the DaemonSet's history, orphans it may adopt, and others' revisions,
	// which can take the name the current revision wants.
	Revisions []*appsv1.ControllerRevision
	// Backoff is the failed-pod back-off, keyed by backoff.DaemonKey. It is
	// the controller's memory between syncs: pass the map the previous
	// Plan returned (nil at first). It is never modified.
	Backoff map[string]backoff.Entry
}

// Plan is what one DaemonSet sync decides: the API calls, events and
// requeue of a workload.Plan, and the failed-pod back-off to pass to the
// next sync.
type Plan struct {
	workload.Plan
	// Backoff is State.Backoff after this sync: a fresh map, with an entry
	// advanced for every node whose failed pod the sync deletes.
	Backoff map[string]backoff.Entry
}

// validate checks what the API server would have refused to store and
// what the reconciler needs, and returns the parsed selector. selectingAll
// reports a DaemonSet whose selector is empty ({}): upstream's guard for
// objects stored under older validation takes it before anything else of
// the DaemonSet is read, so the rest of its spec is not checked.
func (s State) validate() (sel labels.Selector, selectingAll bool, err error) {
	dsPath := field.NewPath("daemonSet")
	ds := s.DaemonSet
	if ds == nil {
		return nil, false, field.ErrorList{field.Required(dsPath, "")}.ToAggregate()
	}
	var errs field.ErrorList
	if ds.Name == "" {
		errs = append(errs, field.Required(dsPath.Child("metadata", "name"), ""))
	}
	errs = append(errs, s.validateInputs()...)
	if selectsAll(ds.Spec.Selector) {
		return nil, true, errs.ToAggregate()
	}
	spec := dsPath.Child("spec")
	sel, selErrs := validate.TemplateSelector(ds.Spec.Selector, &ds.Spec.Template, spec)
	errs = append(errs, selErrs...)
	errs = append(errs, validate.TemplateDefaulted(&ds.Spec.Template, spec.Child("template"))...)
	errs = append(errs, validatePlacement(&ds.Spec.Template.Spec, spec.Child("template", "spec"))...)
	errs = append(errs, validateUpdateStrategy(&ds.Spec.UpdateStrategy, spec.Child("updateStrategy"))...)
	if ds.Spec.MinReadySeconds < 0 {
		errs = append(errs, field.Invalid(spec.Child("minReadySeconds"), ds.Spec.MinReadySeconds, "must be greater than or equal to 0"))
	}
	if l := ds.Spec.RevisionHistoryLimit; l == nil {
		errs = append(errs, field.Required(spec.Child("revisionHistoryLimit"), "the API server defaults it to 10"))
	} else if *l < 0 {
		errs = append(errs, field.Invalid(spec.Child("revisionHistoryLimit"), *l, "must be greater than or equal to 0"))
	}
	if len(errs) > 0 {
		return nil, false, errs.ToAggregate()
	}
	return sel, false, nil
}

// selectsAll reports an empty selector, {}: no labels and no expressions.
// Upstream compares the selector with an empty one field by field, so a
// selector with empty but non-nil lists passes its guard in Go; but no
// such object reaches a controller (the API server's encodings drop empty
// lists), so every selector without requirements counts here.
func selectsAll(ls *metav1.LabelSelector) bool {
	return ls != nil && len(ls.MatchLabels) == 0 && len(ls.MatchExpressions) == 0
}

// validateUpdateStrategy mirrors the API server's DaemonSet update strategy
// rules: a known type; for RollingUpdate, maxUnavailable and maxSurge each a
// non-negative integer or a percentage of at most 100%, exactly one of them
// non-zero. A nil rollingUpdate or maxUnavailable is required, since the
// server defaults them (to 1) and no stored object lacks them; a nil
// maxSurge means 0.
func validateUpdateStrategy(st *appsv1.DaemonSetUpdateStrategy, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	switch st.Type {
	case appsv1.OnDeleteDaemonSetStrategyType:
	case appsv1.RollingUpdateDaemonSetStrategyType:
		ru := st.RollingUpdate
		ruPath := path.Child("rollingUpdate")
		if ru == nil {
			return append(errs, field.Required(ruPath, "the API server defaults it"))
		}
		unavailPath, surgePath := ruPath.Child("maxUnavailable"), ruPath.Child("maxSurge")
		if ru.MaxUnavailable == nil {
			return append(errs, field.Required(unavailPath, "the API server defaults it to 1"))
		}
		surge := intstr.FromInt32(0)
		if ru.MaxSurge != nil {
			surge = *ru.MaxSurge
		}
		errs = append(errs, validateIntOrPercent(*ru.MaxUnavailable, unavailPath)...)
		errs = append(errs, validateIntOrPercent(surge, surgePath)...)
		if len(errs) > 0 {
			return errs
		}
		hasUnavailable, hasSurge := validate.IntOrPercentNumber(*ru.MaxUnavailable) != 0, validate.IntOrPercentNumber(surge) != 0
		switch {
		case hasUnavailable && hasSurge:
			errs = append(errs, field.Invalid(surgePath, surge.String(), "may not be set when maxUnavailable is non-zero"))
		case !hasUnavailable && !hasSurge:
			errs = append(errs, field.Required(unavailPath, "cannot be 0 when maxSurge is 0"))
		}
	default:
		errs = append(errs, field.NotSupported(path.Child("type"), st.Type, []string{string(appsv1.RollingUpdateDaemonSetStrategyType), string(appsv1.OnDeleteDaemonSetStrategyType)}))
	}
	return errs
}

// validateIntOrPercent accepts what validate.IntOrPercent accepts,
// with percentages of at most 100%, as the API server's DaemonSet rules
// require of both maxUnavailable and maxSurge.
func validateIntOrPercent(v intstr.IntOrString, path *field.Path) field.ErrorList {
	errs := validate.IntOrPercent(v, path)
	if n, ok := validate.PercentNumber(v); ok && len(errs) == 0 && n > 100 {
		errs = append(errs, field.Invalid(path, v.StrVal, "must not be greater than 100%"))
	}
	return errs
}

// scaled is intstr's rounded-up share of total, for values validate
// accepted.
func scaled(v *intstr.IntOrString, total int) int {
	n, _ := intstr.GetScaledValueFromIntOrPercent(v, total, true)
	return n
}

// surgeCount and unavailableCount are the rolling update's limits for
// total nodes that should run the pod (0 unless the strategy is
// RollingUpdate; a nil maxSurge is 0).
func surgeCount(ds *appsv1.DaemonSet, total int) int {
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType || ru == nil || ru.MaxSurge == nil {
		return 0
	}
	return scaled(ru.MaxSurge, total)
}

func unavailableCount(ds *appsv1.DaemonSet, total int) int {
	ru := ds.Spec.UpdateStrategy.RollingUpdate
	if ds.Spec.UpdateStrategy.Type != appsv1.RollingUpdateDaemonSetStrategyType || ru == nil || ru.MaxUnavailable == nil {
		return 0
	}
	return scaled(ru.MaxUnavailable, total)
}

// allowsSurge: a rolling update that may put two pods on a node (maxSurge
// above 0 for a single node, so any non-zero percentage counts).
func allowsSurge(ds *appsv1.DaemonSet) bool {
	return surgeCount(ds, 1) > 0
}
