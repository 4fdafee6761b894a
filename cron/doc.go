// Package cron will hold the CronJob controller of kube-controller-manager
// v1.37.1 as a pure function: given the desired object, what is observed and
// the current time, the API calls one sync makes. It is being built; see the
// project README for what is ready.
package cron
