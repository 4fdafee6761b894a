package deployment

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	apps "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	cmdutil "k8s.io/kubectl/pkg/cmd/util"
	"k8s.io/kubectl/pkg/polymorphichelpers"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/internal/gen"
	"github.com/kubepure/kubepure/rollout"
)

// TestUndoConformance compares rollout.Undo with kubectl's own
// DeploymentRollbacker (k8s.io/kubectl v0.37.1, the code behind `kubectl
// rollout undo`) run against a fake clientset: whether it refuses, and the
// Deployment's template and annotations after its patch.
func TestUndoConformance(t *testing.T) {
	seen := check.Coverage{}
	check.Run(t, "Undo", func(rt *rapid.T) string {
		now := syncTime()
		st := uniqueRevisions(gen.Deployment(rt, now))
		st.Deployment.DeletionTimestamp = nil
		toRevision := rapid.SampledFrom([]int64{0, 0, 1, 2, 3, 4, 9}).Draw(rt, "toRevision")

		want, upErr := kubectlUndo(st, toRevision)
		got, err := rollout.Undo(st.Deployment, st.ReplicaSets, toRevision)
		switch {
		case upErr != nil && err != nil:
			seen.Add("refused")
			return ""
		case upErr != nil || err != nil:
			return fmt.Sprintf("%sto-revision=%d: kubectl error %v, kubepure error %v", describe(st), toRevision, upErr, err)
		}
		type result struct {
			Template    any
			Annotations map[string]string
		}
		// Normalisation, and why it is sound: kubectl's JSON patch may set
		// the annotations to {}, which the fake clientset stores as an
		// empty map; the API server stores objects in protobuf, where an
		// empty map and no map are the same, and Undo returns what it
		// stores. So empty and nil compare equal; contents compare exactly.
		if d := cmp.Diff(result{want.Spec.Template, want.Annotations}, result{got.Spec.Template, got.Annotations}, cmpopts.EquateEmpty()); d != "" {
			return fmt.Sprintf("%sto-revision=%d: (-kubectl +kubepure)\n%s", describe(st), toRevision, d)
		}
		if cmp.Equal(got.Spec.Template, st.Deployment.Spec.Template) {
			seen.Add("unchanged")
		} else {
			seen.Add("rolled back")
		}
		return ""
	})
	seen.Require(t, "refused", "unchanged", "rolled back")
}

// uniqueRevisions drops the revision annotation from all but the first of
// several ReplicaSets that share one.
//
// Normalisation, and why it is sound: with two ReplicaSets at the same
// revision, which one kubectl rolls back to follows the order its List
// returns; kubepure documents creation order. States without such ties are
// compared exactly.
func uniqueRevisions(st gen.DeploymentState) gen.DeploymentState {
	seen := map[string]bool{}
	for i, rs := range st.ReplicaSets {
		rev, ok := rs.Annotations[rollout.RevisionAnnotation]
		if !ok {
			continue
		}
		if seen[rev] {
			rs = rs.DeepCopy()
			delete(rs.Annotations, rollout.RevisionAnnotation)
			st.ReplicaSets[i] = rs
		}
		seen[rev] = true
	}
	return st
}

// kubectlUndo runs kubectl's rollbacker and reads back the Deployment it
// patched.
func kubectlUndo(st gen.DeploymentState, toRevision int64) (*apps.Deployment, error) {
	objs := []runtime.Object{st.Deployment}
	for _, rs := range st.ReplicaSets {
		objs = append(objs, rs)
	}
	c, err := harness.NewCluster(objs...)
	if err != nil {
		return nil, err
	}
	rb, err := polymorphichelpers.RollbackerFor(apps.SchemeGroupVersion.WithKind("Deployment").GroupKind(), c.Client)
	if err != nil {
		return nil, err
	}
	// A skipped rollback ("current template already matches") writes
	// nothing; reading back gives the Deployment unchanged either way.
	if _, err := rb.Rollback(st.Deployment, nil, toRevision, cmdutil.DryRunNone); err != nil {
		return nil, err
	}
	return c.Client.AppsV1().Deployments(st.Deployment.Namespace).Get(context.Background(), st.Deployment.Name, metav1.GetOptions{})
}
