// Package cronjob compares cron.Reconcile with one sync of the upstream
// CronJob controller (ControllerV2.sync, v1.37.1) on generated states: the
// calls, the events and the requeue. See the module README for the
// normalisations the comparison applies.
package cronjob
