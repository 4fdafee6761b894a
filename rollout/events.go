package rollout

import (
	"github.com/kubepure/kubepure/workload"
)

// Plan is what one Deployment sync decides: the calls, the events and the
// requeue. The Deployment controller hands back no memory between syncs
// (everything it remembers is written into the Deployment and its
// ReplicaSets), so Plan adds nothing to workload.Plan.
type Plan struct {
	workload.Plan
}

// The reasons of the events the Deployment controller records, all on the
// Deployment, as upstream spells them.
const (
	// EventScalingReplicaSet: a ReplicaSet was resized, or created with
	// replicas ("Scaled up replica set web-7d9f from 0 to 3").
	EventScalingReplicaSet = "ScalingReplicaSet"
	// EventSelectingAll (Warning): the Deployment's selector is empty, so
	// it would select every pod of its namespace; the controller only
	// brings status.observedGeneration up to date.
	EventSelectingAll = "SelectingAll"
	// EventRollbackDone: the legacy rollback annotation was served.
	EventRollbackDone = "DeploymentRollback"
	// EventRollbackRevisionNotFound (Warning): the legacy rollback asked
	// for a revision no ReplicaSet carries.
	EventRollbackRevisionNotFound = "DeploymentRollbackRevisionNotFound"
	// EventRollbackTemplateUnchanged (Warning): the revision asked for
	// already runs the Deployment's template.
	EventRollbackTemplateUnchanged = "DeploymentRollbackTemplateUnchanged"
)

// selectingAllMessage is upstream's SelectingAll text.
const selectingAllMessage = "This deployment is selecting all pods. A non-empty selector is required."
