// Package apidefault fills in a pod template the fields the API server
// always defaults on create, as pkg/apis/core/v1's SetDefaults_PodSpec and
// SetDefaults_Container do: restartPolicy, dnsPolicy, schedulerName,
// terminationGracePeriodSeconds, securityContext, and each container's
// terminationMessagePath, terminationMessagePolicy and imagePullPolicy
// (Always for an image tagged latest or untagged, IfNotPresent otherwise).
//
// The controllers refuse a template without them (a template that skipped
// defaulting hashes differently from the one a cluster stores); the
// library's generators, scenarios and examples build their objects through
// this package so that what they hand the controllers is what a cluster
// would hold.
package apidefault
