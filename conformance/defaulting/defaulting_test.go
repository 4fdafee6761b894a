package defaulting

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	v1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	"k8s.io/kubernetes/pkg/features"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/cluster"
	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/gen"
	"github.com/kubepure/kubepure/workload"
)

// TestDefaultingConformance runs the comparison for each kind, then prints
// the summary over all kinds and checks that the generators reached every
// defaulting branch listed in requiredBranches.
func TestDefaultingConformance(t *testing.T) {
	requireDefaultGates(t)
	states := check.States()
	cov := check.Coverage{}
	var total, diverged int
	for _, kind := range gen.DefaultingKinds() {
		t.Run(kind, func(t *testing.T) {
			// Only the first pass of States() objects is counted: after a
			// divergence check.Run replays the property to shrink it.
			calls := 0
			check.Run(t, "Defaulting/"+kind, func(rt *rapid.T) string {
				obj := gen.DefaultingObject(rt, kind)
				calls++
				first := calls <= states
				if first {
					reach(cov, obj)
				}
				msg := compare(obj)
				if first {
					total++
					if msg != "" {
						diverged++
					}
				}
				return msg
			})
		})
	}
	summary := fmt.Sprintf("conformance: Defaulting states=%d divergences=%d", total, diverged)
	fmt.Println(summary)
	t.Log(summary)
	cov.Require(t, requiredBranches...)
}

// requireDefaultGates fails the run if the feature gates the defaulters
// read are not at their 1.37 defaults, since kubepure reproduces exactly
// those.
func requireDefaultGates(t *testing.T) {
	t.Helper()
	for gate, want := range map[featuregate.Feature]bool{
		features.PodLevelResources:              true,
		features.PodLevelResourcesFixDefaulting: true,
		features.ImageVolume:                    true,
		features.MaxUnavailableStatefulSet:      true,
		features.H2CContainerProbe:              false,
	} {
		if got := utilfeature.DefaultFeatureGate.Enabled(gate); got != want {
			t.Fatalf("feature gate %s = %v, the comparison assumes the 1.37 default %v", gate, got, want)
		}
	}
}

// compare defaults two deep copies of obj, one by upstream's scheme and
// one by kubepure, and describes any difference in their JSON or, for a
// workload, in the pod-template hash of the defaulted template.
func compare(obj runtime.Object) string {
	theirs := obj.DeepCopyObject()
	ours := obj.DeepCopyObject()
	legacyscheme.Scheme.Default(theirs)
	if err := cluster.Default(ours); err != nil {
		return fmt.Sprintf("cluster.Default(%T): %v", obj, err)
	}
	want, err := json.Marshal(theirs)
	if err != nil {
		return fmt.Sprintf("marshal upstream %T: %v", obj, err)
	}
	got, err := json.Marshal(ours)
	if err != nil {
		return fmt.Sprintf("marshal kubepure %T: %v", obj, err)
	}
	if !bytes.Equal(got, want) {
		input, _ := json.Marshal(obj)
		return fmt.Sprintf("%T defaulted differently (-upstream +kubepure):\n%s\n  input: %s", obj, jsonDiff(want, got), input)
	}
	if tw, to := template(theirs), template(ours); tw != nil {
		if hw, ho := workload.ComputeHash(tw, nil), workload.ComputeHash(to, nil); hw != ho {
			return fmt.Sprintf("%T: pod-template hash of the defaulted template %s, upstream %s (same JSON: a quantity's internal form differs?)\n  template: %s", obj, ho, hw, got)
		}
	}
	return ""
}

// jsonDiff shows a readable difference between two JSON documents.
func jsonDiff(want, got []byte) string {
	var w, g any
	_ = json.Unmarshal(want, &w)
	_ = json.Unmarshal(got, &g)
	return cmp.Diff(w, g)
}

// template is the pod template a workload's controller hashes, or nil.
func template(obj runtime.Object) *v1.PodTemplateSpec {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return &o.Spec.Template
	case *appsv1.ReplicaSet:
		return &o.Spec.Template
	case *appsv1.DaemonSet:
		return &o.Spec.Template
	case *appsv1.StatefulSet:
		return &o.Spec.Template
	case *batchv1.Job:
		return &o.Spec.Template
	case *batchv1.CronJob:
		return &o.Spec.JobTemplate.Spec.Template
	}
	return nil
}

// TestUnsupportedKind checks that a kind kubepure does not default is an
// error and not a silent no-op.
func TestUnsupportedKind(t *testing.T) {
	err := cluster.Default(&v1.Service{})
	if err == nil || !strings.Contains(err.Error(), "Service") {
		t.Fatalf("cluster.Default(Service) = %v, want an error naming the type", err)
	}
}
