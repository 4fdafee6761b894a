package harness

import (
	"errors"
	"reflect"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
)

type cacheInformer = cache.SharedIndexInformer

var errNoClockField = errors.New("upstream CronJob controller has no field now of type func() time.Time")

// keyOf is the work-queue key of obj, namespace/name. A nil object gets the
// key of an object that does not exist, which every sync treats as deleted.
func keyOf(obj metav1.Object) string {
	if obj == nil || isNilPointer(obj) {
		return "default/absent"
	}
	if obj.GetNamespace() == "" {
		return obj.GetName()
	}
	return obj.GetNamespace() + "/" + obj.GetName()
}

func isNilPointer(obj any) bool {
	v := reflect.ValueOf(obj)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
