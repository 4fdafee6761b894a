package selector_test

import (
	"fmt"

	"github.com/kubepure/kubepure/selector"
	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// A ReplicaSet claims its pods: it keeps the one it controls, adopts the
// matching orphan, releases the one whose labels no longer match and leaves
// the one another controller owns alone.
func ExampleClaimPods() {
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web", UID: "rs-uid"},
		Spec:       appsv1.ReplicaSetSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}},
	}
	gvk := appsv1.SchemeGroupVersion.WithKind("ReplicaSet")
	sel, err := selector.FromLabelSelector(rs.Spec.Selector, field.NewPath("spec", "selector"))
	if err != nil {
		fmt.Println(err)
		return
	}
	other := &metav1.ObjectMeta{Name: "other", UID: "other-uid"}
	mk := func(name string, app string, owner metav1.Object) *v1.Pod {
		p := &v1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: name, UID: types.UID("uid-" + name[len(name)-1:]), Labels: map[string]string{"app": app}}}
		if owner != nil {
			p.OwnerReferences = []metav1.OwnerReference{*selector.ControllerRef(owner, gvk)}
		}
		return p
	}
	pods := []*v1.Pod{
		mk("web-a", "web", rs),
		mk("web-b", "web", nil),
		mk("web-c", "db", rs),
		mk("web-d", "web", other),
	}

	claim := selector.ClaimPods(rs, gvk, sel, pods)
	for _, p := range claim.Claimed {
		fmt.Println("claimed", p.Name)
	}
	for _, c := range claim.Changes {
		fmt.Println(c.Kind, c.Object.Name, string(c.Patch))
	}
	// Output:
	// claimed web-a
	// claimed web-b
	// adopt web-b {"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"rs-uid","controller":true,"blockOwnerDeletion":true}],"uid":"uid-b"}}
	// release web-c {"metadata":{"uid":"uid-c","ownerReferences":[{"$patch":"delete","uid":"rs-uid"}]}}
}

func ExampleFromLabelSelector() {
	_, err := selector.FromLabelSelector(&metav1.LabelSelector{
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Equals", Values: []string{"web"}}},
	}, field.NewPath("spec", "selector"))
	fmt.Println(err)
	// Output:
	// spec.selector.matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"
}
