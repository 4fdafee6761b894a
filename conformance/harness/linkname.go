package harness

import (
	"context"
	"time"
	_ "unsafe" // for go:linkname

	v1 "k8s.io/api/core/v1"
	batchinformers "k8s.io/client-go/informers/batch/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	schedulinginformers "k8s.io/client-go/informers/scheduling/v1beta1"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/kubernetes/pkg/controller/cronjob"
	"k8s.io/kubernetes/pkg/controller/daemon"
	"k8s.io/kubernetes/pkg/controller/deployment"
	"k8s.io/kubernetes/pkg/controller/job"
	"k8s.io/kubernetes/pkg/controller/replicaset"
	"k8s.io/utils/clock"
)

// The sync functions of the upstream controllers are unexported: a work
// queue worker calls them. The harness calls them directly, once, by linking
// to their symbols. A method's symbol takes its receiver as first argument.
//
// Each declaration below must match the upstream signature exactly: the
// linker does not check types, so a mismatch would corrupt the stack
// instead of failing to build. The smoke tests call every one of them.

// syncReplicaSet is replicaset.(*ReplicaSetController).syncReplicaSet.
//
//go:linkname syncReplicaSet k8s.io/kubernetes/pkg/controller/replicaset.(*ReplicaSetController).syncReplicaSet
func syncReplicaSet(rsc *replicaset.ReplicaSetController, ctx context.Context, key string) error

// getPodsToDelete is replicaset.getPodsToDelete: it sorts filteredPods in
// place by upstream's deletion ranking (with the wall clock as "now") and
// returns the first diff of them.
//
//go:linkname getPodsToDelete k8s.io/kubernetes/pkg/controller/replicaset.getPodsToDelete
func getPodsToDelete(filteredPods, relatedPods []*v1.Pod, diff int) []*v1.Pod

// syncDeployment is deployment.(*DeploymentController).syncDeployment.
//
//go:linkname syncDeployment k8s.io/kubernetes/pkg/controller/deployment.(*DeploymentController).syncDeployment
func syncDeployment(dc *deployment.DeploymentController, ctx context.Context, key string) error

// deploymentNowFn is deployment.nowFn, the clock the Deployment controller
// reads for progress deadlines.
//
//go:linkname deploymentNowFn k8s.io/kubernetes/pkg/controller/deployment.nowFn
var deploymentNowFn func() time.Time

// deploymentUtilNowFn is deployment/util.nowFn, the clock
// DeploymentTimedOut reads.
//
//go:linkname deploymentUtilNowFn k8s.io/kubernetes/pkg/controller/deployment/util.nowFn
var deploymentUtilNowFn func() time.Time

// syncDaemonSet is daemon.(*DaemonSetsController).syncDaemonSet.
//
//go:linkname syncDaemonSet k8s.io/kubernetes/pkg/controller/daemon.(*DaemonSetsController).syncDaemonSet
func syncDaemonSet(dsc *daemon.DaemonSetsController, ctx context.Context, key string) error

// syncJob is job.(*Controller).syncJob.
//
//go:linkname syncJob k8s.io/kubernetes/pkg/controller/job.(*Controller).syncJob
func syncJob(jm *job.Controller, ctx context.Context, key string) error

// newJobControllerWithClock is job.newControllerWithClock, the constructor
// behind job.NewController that takes the clock to read instead of the
// real one.
//
//go:linkname newJobControllerWithClock k8s.io/kubernetes/pkg/controller/job.newControllerWithClock
func newJobControllerWithClock(ctx context.Context, kubeClient clientset.Interface, clock clock.WithTicker,
	podInformer coreinformers.PodInformer, jobInformer batchinformers.JobInformer,
	workloadInformer schedulinginformers.WorkloadInformer,
	podGroupInformer schedulinginformers.PodGroupInformer) (*job.Controller, error)

// syncCronJob is cronjob.(*ControllerV2).sync. It returns when to look at
// the CronJob again (nil for no requeue).
//
//go:linkname syncCronJob k8s.io/kubernetes/pkg/controller/cronjob.(*ControllerV2).sync
func syncCronJob(jm *cronjob.ControllerV2, ctx context.Context, key string) (*time.Duration, error)
