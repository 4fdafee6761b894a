package cron_test

import (
	"time"

	"pgregory.net/rapid"

	"github.com/kubepure/kubepure/cron"
	"github.com/kubepure/kubepure/internal/gen"
)

// genState draws a CronJob sync state with the generator the conformance
// module shares.
func genState(t *rapid.T) (cron.State, time.Time) {
	st, now := gen.CronJob(t)
	return cron.State{CronJob: st.CronJob, Jobs: st.Jobs}, now
}
