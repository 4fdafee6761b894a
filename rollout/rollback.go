package rollout

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
)

// rollback serves the legacy rollback annotation (upstream rollback). It
// first creates the new ReplicaSet for the current template if there is
// none; then it copies the template of the ReplicaSet at the requested
// revision (0: the previous one) into the Deployment, replaces the
// Deployment's copyable annotations with that ReplicaSet's, removes the
// annotation and updates the Deployment. When the revision cannot be found,
// or holds the current template, only the annotation is removed. The
// rollout itself happens in later syncs.
func (s *syncer) rollback(rsList []*appsv1.ReplicaSet) error {
	newRS, old, err := s.allReplicaSets(rsList, true)
	if err != nil {
		return err
	}
	d := s.d
	all := withNew(old, newRS)
	target, _ := rollbackRevision(d)
	if target == 0 {
		if target = lastRevision(all); target == 0 {
			s.giveUpRollback(EventRollbackRevisionNotFound, "Unable to find last revision.")
			return nil
		}
	}
	for _, rs := range all {
		v, err := revisionOf(rs)
		if err != nil || v != target {
			continue
		}
		if equalIgnoreHash(&d.Spec.Template, &rs.Spec.Template) {
			s.giveUpRollback(EventRollbackTemplateUnchanged, fmt.Sprintf("The rollback revision contains the same template as current deployment %q", d.Name))
			return nil
		}
		setTemplateFrom(d, rs)
		// Upstream records the event once the update went through.
		msg := fmt.Sprintf("Rolled back deployment %q to revision %d", d.Name, target)
		s.clearRollback(EventRollbackDone + ": " + msg)
		s.plan.Normal(s.ref, EventRollbackDone, "%s", msg)
		return nil
	}
	s.giveUpRollback(EventRollbackRevisionNotFound, "Unable to find the revision to rollback to.")
	return nil
}

// giveUpRollback warns why the rollback is not done, then clears the
// annotation, in upstream's order.
func (s *syncer) giveUpRollback(reason, msg string) {
	s.plan.Warning(s.ref, reason, "%s", msg)
	s.clearRollback(reason + ": " + msg)
}

// clearRollback removes the rollback annotation and updates the
// Deployment (main resource, with the resourceVersion the sync started
// with).
func (s *syncer) clearRollback(reason string) {
	delete(s.d.Annotations, RollbackToAnnotation)
	s.updateDeployment(reason)
}

// setTemplateFrom puts rs's template (without its pod-template-hash label)
// into d, and replaces d's annotations by those it keeps for itself plus
// every copyable annotation of rs: other annotations of d are dropped.
func setTemplateFrom(d *appsv1.Deployment, rs *appsv1.ReplicaSet) {
	t := rs.Spec.Template.DeepCopy()
	d.Spec.Template.ObjectMeta = t.ObjectMeta
	d.Spec.Template.Spec = t.Spec
	d.Spec.Template.Labels = withoutLabel(t.Labels, appsv1.DefaultDeploymentUniqueLabelKey)

	kept := map[string]string{}
	for k, v := range d.Annotations {
		if notCopied[k] {
			kept[k] = v
		}
	}
	for k, v := range rs.Annotations {
		if !notCopied[k] {
			kept[k] = v
		}
	}
	d.Annotations = kept
}

// withoutLabel returns a copy of m without key (never nil, as upstream).
func withoutLabel(m map[string]string, key string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}
