package apidefault

import (
	"fmt"
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Object defaults obj in place as the API server's decoder does for its
// kind; see the function of each kind. It returns an error, and changes
// nothing, for a nil object or a kind it does not know: a caller that
// skipped defaulting by accident would otherwise hand the controllers an
// object no cluster stores.
func Object(obj runtime.Object) error {
	if obj == nil {
		return fmt.Errorf("apidefault: nil object")
	}
	if v := reflect.ValueOf(obj); v.Kind() == reflect.Pointer && v.IsNil() {
		return fmt.Errorf("apidefault: nil %T", obj)
	}
	switch o := obj.(type) {
	case *appsv1.Deployment:
		Deployment(o)
	case *appsv1.ReplicaSet:
		ReplicaSet(o)
	case *appsv1.DaemonSet:
		DaemonSet(o)
	case *appsv1.StatefulSet:
		StatefulSet(o)
	case *appsv1.ControllerRevision:
		ControllerRevision(o)
	case *batchv1.Job:
		Job(o)
	case *batchv1.CronJob:
		CronJob(o)
	case *v1.Pod:
		Pod(o)
	case *v1.Node:
		Node(o)
	case *v1.PersistentVolumeClaim:
		PersistentVolumeClaim(o)
	case *v1.Namespace:
		Namespace(o)
	default:
		what := fmt.Sprintf("%T", obj)
		if kind := obj.GetObjectKind().GroupVersionKind().Kind; kind != "" {
			what += " (kind " + kind + ")"
		}
		return fmt.Errorf("apidefault: unsupported object type %s: supported are %s", what, supportedKinds)
	}
	return nil
}

// supportedKinds names the kinds Object defaults, for its error.
const supportedKinds = "Deployment, ReplicaSet, DaemonSet, StatefulSet, ControllerRevision (apps/v1), Job, CronJob (batch/v1), Pod, Node, PersistentVolumeClaim, Namespace (v1)"
