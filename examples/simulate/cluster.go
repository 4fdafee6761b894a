package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	v1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubepure/kubepure/workload"
)

// cluster is a toy API server with a kubelet: it stores one namespace's
// Deployments, ReplicaSets and pods, applies plans the way the API server
// applies the calls they stand for, and starts pods a while after they are
// created. It is the caller's side of kubepure: everything that touches
// the world.
type cluster struct {
	now         time.Time
	deployments map[string]*appsv1.Deployment
	replicaSets map[string]*appsv1.ReplicaSet
	pods        map[string]*v1.Pod
	// startup is how long a new pod takes to become ready.
	startup time.Duration
	serial  int
}

func newCluster(now time.Time, startup time.Duration) *cluster {
	return &cluster{
		now: now, startup: startup,
		deployments: map[string]*appsv1.Deployment{},
		replicaSets: map[string]*appsv1.ReplicaSet{},
		pods:        map[string]*v1.Pod{},
	}
}

func (c *cluster) next() int {
	c.serial++
	return c.serial
}

// stamp gives a new or changed object the fields the API server owns.
func (c *cluster) stamp(m *metav1.ObjectMeta) {
	m.ResourceVersion = strconv.Itoa(c.next())
	if m.UID == "" {
		m.UID = types.UID(fmt.Sprintf("uid-%d", c.next()))
		m.CreationTimestamp = metav1.NewTime(c.now)
		m.Generation = 1
	}
	if m.Namespace == "" {
		m.Namespace = "default"
	}
}

// apply carries out a plan's calls in order.
func (c *cluster) apply(p workload.Plan) error {
	for _, a := range p.Actions {
		if err := c.call(a); err != nil {
			return fmt.Errorf("%s: %w", a, err)
		}
	}
	return nil
}

func (c *cluster) call(a workload.Action) error {
	switch obj := a.Object.(type) {
	case *v1.Pod:
		p := obj.DeepCopy()
		if p.Name == "" {
			p.Name = fmt.Sprintf("%s%05d", p.GenerateName, c.next())
		}
		c.stamp(&p.ObjectMeta)
		p.Status.Phase = v1.PodPending
		c.pods[p.Name] = p
		return nil
	case *appsv1.ReplicaSet:
		return c.writeReplicaSet(a.Verb, obj)
	case *appsv1.Deployment:
		cur, ok := c.deployments[obj.Name]
		if !ok {
			return fmt.Errorf("not found")
		}
		next := cur.DeepCopy()
		if a.Verb == workload.UpdateStatus {
			next.Status = *obj.Status.DeepCopy()
		} else {
			next.Spec, next.Annotations = *obj.Spec.DeepCopy(), obj.Annotations
		}
		c.stamp(&next.ObjectMeta)
		c.deployments[obj.Name] = next
		return nil
	}
	switch {
	case a.Verb == workload.Delete && a.Resource == "pods":
		delete(c.pods, a.Name)
	case a.Verb == workload.Delete && a.Resource == "replicasets":
		delete(c.replicaSets, a.Name)
	case a.Verb == workload.Patch:
		return c.patchOwner(a)
	default:
		return fmt.Errorf("unsupported call")
	}
	return nil
}

func (c *cluster) writeReplicaSet(verb workload.Verb, in *appsv1.ReplicaSet) error {
	cur, exists := c.replicaSets[in.Name]
	switch verb {
	case workload.Create:
		if exists {
			return fmt.Errorf("already exists")
		}
		rs := in.DeepCopy()
		rs.Namespace = ""
		c.stamp(&rs.ObjectMeta)
		c.replicaSets[rs.Name] = rs
	case workload.Update:
		if !exists {
			return fmt.Errorf("not found")
		}
		rs := in.DeepCopy()
		rs.Status = cur.Status
		if !apiequality.Semantic.DeepEqual(rs.Spec, cur.Spec) {
			rs.Generation = cur.Generation + 1
		}
		c.stamp(&rs.ObjectMeta)
		c.replicaSets[rs.Name] = rs
	case workload.UpdateStatus:
		if !exists {
			return fmt.Errorf("not found")
		}
		rs := cur.DeepCopy()
		rs.Status = *in.Status.DeepCopy()
		c.stamp(&rs.ObjectMeta)
		c.replicaSets[rs.Name] = rs
	}
	return nil
}

// patchOwner applies the two strategic-merge patches controllers send:
// adopting an orphan and releasing an object.
func (c *cluster) patchOwner(a workload.Action) error {
	var meta *metav1.ObjectMeta
	switch a.Resource {
	case "pods":
		if p, ok := c.pods[a.Name]; ok {
			meta = &p.ObjectMeta
		}
	case "replicasets":
		if rs, ok := c.replicaSets[a.Name]; ok {
			meta = &rs.ObjectMeta
		}
	}
	if meta == nil {
		return fmt.Errorf("not found")
	}
	if bytes.Contains(a.Patch, []byte(`"$patch":"delete"`)) {
		meta.OwnerReferences = nil
	} else {
		var adopt struct {
			Metadata struct {
				OwnerReferences []metav1.OwnerReference `json:"ownerReferences"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(a.Patch, &adopt); err != nil {
			return err
		}
		meta.OwnerReferences = adopt.Metadata.OwnerReferences
	}
	c.stamp(meta)
	return nil
}

// kubelet starts the pods whose startup time has passed: Running and
// Ready since they finished starting.
func (c *cluster) kubelet() {
	for _, p := range c.pods {
		readyAt := p.CreationTimestamp.Add(c.startup)
		if p.Status.Phase == v1.PodPending && !c.now.Before(readyAt) {
			p.Spec.NodeName = "node-1"
			p.Status.Phase = v1.PodRunning
			p.Status.Conditions = []v1.PodCondition{{Type: v1.PodReady, Status: v1.ConditionTrue, LastTransitionTime: metav1.NewTime(readyAt)}}
		}
	}
}

func (c *cluster) replicaSetList() []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, rs := range c.replicaSets {
		out = append(out, rs)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (c *cluster) podList() []*v1.Pod {
	var out []*v1.Pod
	for _, p := range c.pods {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
