package floor

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	apps "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller"
	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/conformance/check"
	"github.com/kubepure/kubepure/conformance/gen"
	"github.com/kubepure/kubepure/conformance/harness"
	"github.com/kubepure/kubepure/selector"
)

// claimOutcome is what a claim decides: the claimed objects as a sorted set
// of UIDs and the patches as a sorted set of "namespace/name patch" lines.
//
// Both are compared as sets. Upstream claims in the order of its input
// list, which is informer-cache order (map iteration): the order of its
// claimed slice and of its patch calls is not defined, while membership is
// (each object's fate depends only on itself and the owner).
type claimOutcome struct {
	claimed []string
	patches []string
}

func (o claimOutcome) String() string {
	return fmt.Sprintf("claimed %v\n    patches:\n      %s", o.claimed, strings.Join(o.patches, "\n      "))
}

func (o claimOutcome) equal(p claimOutcome) bool {
	return fmt.Sprint(o.claimed) == fmt.Sprint(p.claimed) && fmt.Sprint(o.patches) == fmt.Sprint(p.patches)
}

// upstreamClaim runs claim against a fake clientset holding owner and objs,
// with the canAdopt recheck the ReplicaSet and Deployment controllers use
// (a live GET of the owner), and returns the outcome.
func upstreamClaim(owner runtime.Object, objs []runtime.Object, claim func(ctx context.Context, c *harness.Cluster, canAdopt func(context.Context) error) ([]metav1.Object, error), getOwner func(ctx context.Context, c *harness.Cluster) (metav1.Object, error)) (claimOutcome, error) {
	c, err := harness.NewCluster(append([]runtime.Object{owner}, objs...)...)
	if err != nil {
		return claimOutcome{}, err
	}
	ctx := context.Background()
	canAdopt := controller.RecheckDeletionTimestamp(func(ctx context.Context) (metav1.Object, error) { return getOwner(ctx, c) })
	claimed, err := claim(ctx, c, canAdopt)
	if err != nil {
		return claimOutcome{}, fmt.Errorf("upstream claim failed: %w", err)
	}
	calls, err := harness.Calls(c.Client.Actions())
	if err != nil {
		return claimOutcome{}, err
	}
	var out claimOutcome
	for _, o := range claimed {
		out.claimed = append(out.claimed, string(o.GetUID()))
	}
	for _, a := range calls {
		out.patches = append(out.patches, fmt.Sprintf("%s %s/%s %s %s", a.Verb, a.Namespace, a.Name, a.PatchType, a.Patch))
	}
	sort.Strings(out.claimed)
	sort.Strings(out.patches)
	return out, nil
}

func ourOutcome[T metav1.Object](cl selector.Claim[T]) claimOutcome {
	var out claimOutcome
	for _, o := range cl.Claimed {
		out.claimed = append(out.claimed, string(o.GetUID()))
	}
	for _, ch := range cl.Changes {
		// Claim changes are strategic merge patches, as upstream's
		// PatchPod and PatchReplicaSet send.
		out.patches = append(out.patches, fmt.Sprintf("patch %s/%s application/strategic-merge-patch+json %s", ch.Object.GetNamespace(), ch.Object.GetName(), ch.Patch))
	}
	sort.Strings(out.claimed)
	sort.Strings(out.patches)
	return out
}

// selectors converts the situation's label selector both ways, and checks
// kubepure's conversion agrees with upstream's on every object.
func selectors(s gen.ClaimSituation) (labels.Selector, string) {
	up, err := metav1.LabelSelectorAsSelector(s.Selector)
	if err != nil {
		return nil, fmt.Sprintf("upstream rejects selector %v: %v", s.Selector, err)
	}
	ours, err := selector.FromLabelSelector(s.Selector, field.NewPath("spec", "selector"))
	if err != nil {
		return nil, fmt.Sprintf("FromLabelSelector(%v) = error %v; upstream accepts it", s.Selector, err)
	}
	for _, m := range s.Metas {
		if up.Matches(labels.Set(m.Labels)) != ours.Matches(labels.Set(m.Labels)) {
			return nil, fmt.Sprintf("selector %v on labels %v: kubepure matches=%v, upstream %v", s.Selector, m.Labels, ours.Matches(labels.Set(m.Labels)), up.Matches(labels.Set(m.Labels)))
		}
	}
	return up, ""
}

func describeSituation(s gen.ClaimSituation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  owner deleting=%v selector=%v\n", s.Deleting, s.Selector)
	for _, m := range s.Metas {
		fmt.Fprintf(&b, "  %s/%s uid=%s labels=%v deleting=%v", m.Namespace, m.Name, m.UID, m.Labels, m.DeletionTimestamp != nil)
		for _, r := range m.OwnerReferences {
			fmt.Fprintf(&b, " ref[%s controller=%v]", r.UID, r.Controller != nil && *r.Controller)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

var claimNow = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

// TestClaimConformance compares selector.ClaimPods (for a ReplicaSet owning
// pods, with and without the finalizer the Job controller adds) and
// selector.ClaimObjects (for a Deployment owning ReplicaSets) with
// upstream's PodControllerRefManager.ClaimPods and
// ReplicaSetControllerRefManager.ClaimReplicaSets.
func TestClaimConformance(t *testing.T) {
	check.Run(t, "Claim", func(rt *rapid.T) string {
		s := gen.Claim(rt, claimNow)
		sel, msg := selectors(s)
		if msg != "" {
			return msg
		}
		var want, got claimOutcome
		var err error
		var what string
		switch rapid.IntRange(0, 2).Draw(rt, "claimKind") {
		case 0, 1:
			var finalizers []string
			if rapid.Bool().Draw(rt, "finalizer") {
				finalizers = []string{"batch.kubernetes.io/job-tracking"}
			}
			what = fmt.Sprintf("pods (finalizers %v)", finalizers)
			owner := &apps.ReplicaSet{ObjectMeta: s.OwnerMeta(claimNow)}
			gvk := apps.SchemeGroupVersion.WithKind("ReplicaSet")
			pods := s.Pods()
			var objs []runtime.Object
			for _, p := range pods {
				objs = append(objs, p)
			}
			want, err = upstreamClaim(owner, objs,
				func(ctx context.Context, c *harness.Cluster, canAdopt func(context.Context) error) ([]metav1.Object, error) {
					podControl := controller.RealPodControl{KubeClient: c.Client, Recorder: record.NewFakeRecorder(100)}
					m := controller.NewPodControllerRefManager(podControl, owner, sel, gvk, canAdopt, finalizers...)
					claimed, err := m.ClaimPods(ctx, pods)
					return asMetas(claimed), err
				},
				func(ctx context.Context, c *harness.Cluster) (metav1.Object, error) {
					return c.Client.AppsV1().ReplicaSets(owner.Namespace).Get(ctx, owner.Name, metav1.GetOptions{})
				})
			got = ourOutcome(selector.ClaimPods(owner, gvk, sel, pods, selector.WithFinalizers(finalizers...)))
		default:
			what = "replicasets"
			owner := &apps.Deployment{ObjectMeta: s.OwnerMeta(claimNow)}
			gvk := apps.SchemeGroupVersion.WithKind("Deployment")
			rss := s.ReplicaSets()
			var objs []runtime.Object
			for _, r := range rss {
				objs = append(objs, r)
			}
			want, err = upstreamClaim(owner, objs,
				func(ctx context.Context, c *harness.Cluster, canAdopt func(context.Context) error) ([]metav1.Object, error) {
					rsControl := controller.RealRSControl{KubeClient: c.Client, Recorder: record.NewFakeRecorder(100)}
					m := controller.NewReplicaSetControllerRefManager(rsControl, owner, sel, gvk, canAdopt)
					claimed, err := m.ClaimReplicaSets(ctx, rss)
					return asMetas(claimed), err
				},
				func(ctx context.Context, c *harness.Cluster) (metav1.Object, error) {
					return c.Client.AppsV1().Deployments(owner.Namespace).Get(ctx, owner.Name, metav1.GetOptions{})
				})
			got = ourOutcome(selector.ClaimObjects(owner, gvk, sel, rss))
		}
		if err != nil {
			return fmt.Sprintf("claiming %s: %v\n%s", what, err, describeSituation(s))
		}
		if want.equal(got) {
			return ""
		}
		return fmt.Sprintf("claiming %s:\n  upstream %s\n  kubepure %s\n%s", what, want, got, describeSituation(s))
	})
}

func asMetas[T metav1.Object](objs []T) []metav1.Object {
	out := make([]metav1.Object, len(objs))
	for i, o := range objs {
		out[i] = o
	}
	return out
}
