package workload

import (
	_ "github.com/cockroachdb/datadriven"
	_ "github.com/google/go-cmp/cmp"
	_ "k8s.io/api/apps/v1"
	_ "k8s.io/api/batch/v1"
	_ "k8s.io/api/core/v1"
	_ "k8s.io/component-helpers/scheduling/corev1"
	_ "k8s.io/utils/dump"
	_ "pgregory.net/rapid"
)
