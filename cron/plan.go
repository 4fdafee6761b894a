package cron

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubepure/kubepure/workload"
)

// Plan is what one CronJob sync decides: the API calls (create and delete
// of "jobs", update-status of "cronjobs") and the requeue, as in every
// kubepure controller, plus the events upstream records on the CronJob.
// Some of those events are the only trace of a decision (a schedule
// evaluated with an unsupported TZ prefix, too many missed start times, an
// impossible date), so they are part of the result.
type Plan struct {
	workload.Plan
	// Events are the events upstream records on the CronJob during the
	// sync, in its order.
	Events []Event
}

// Event is one event recorded on the CronJob.
type Event struct {
	// Type is corev1.EventTypeNormal or corev1.EventTypeWarning.
	Type string
	// Reason is upstream's one-word reason, such as SuccessfulCreate or
	// TooManyMissedTimes.
	Reason string
	// Message is upstream's message text.
	Message string
}

// String renders the event as "Warning TooManyMissedTimes: too many ...".
func (e Event) String() string {
	return e.Type + " " + e.Reason + ": " + e.Message
}

// String renders the actions, the requeue, then one line per event.
func (p Plan) String() string {
	var b strings.Builder
	b.WriteString(p.Plan.String())
	for _, e := range p.Events {
		b.WriteString("event ")
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// The reasons of the events upstream records on a CronJob during a sync.
const (
	EventUnexpectedJob       = "UnexpectedJob"
	EventSawCompletedJob     = "SawCompletedJob"
	EventMissingJob          = "MissingJob"
	EventUnsupportedSchedule = "UnsupportedSchedule"
	EventUnparseableSchedule = "UnparseableSchedule"
	EventInvalidSchedule     = "InvalidSchedule"
	EventMissSchedule        = "MissSchedule"
	EventTooManyMissedTimes  = "TooManyMissedTimes"
	EventJobAlreadyActive    = "JobAlreadyActive"
	EventFailedGet           = "FailedGet"
	EventSuccessfulDelete    = "SuccessfulDelete"
	EventSuccessfulCreate    = "SuccessfulCreate"
)

func (p *Plan) normal(reason, format string, args ...any) {
	p.Events = append(p.Events, Event{Type: corev1.EventTypeNormal, Reason: reason, Message: fmt.Sprintf(format, args...)})
}

func (p *Plan) warning(reason, format string, args ...any) {
	p.Events = append(p.Events, Event{Type: corev1.EventTypeWarning, Reason: reason, Message: fmt.Sprintf(format, args...)})
}
