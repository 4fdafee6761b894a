package harness

import "testing"

// TimeSyncs is the loop of an upstream benchmark: for each iteration it
// prepares a cluster and a controller with prepare, outside the timer, and
// times the sync alone. prepare returns the sync (its error covering both
// the harness and the sync itself) and a function releasing what the
// controller started.
func TimeSyncs(b *testing.B, prepare func() (sync func() error, done func(), err error)) {
	b.Helper()
	for b.Loop() {
		b.StopTimer()
		sync, done, err := prepare()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		err = sync()
		b.StopTimer()
		done()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// syncError is the error of a sync run by the harness: the harness's own,
// or else the one the controller's sync returned.
func syncError(err, syncErr error) error {
	if err != nil {
		return err
	}
	return syncErr
}

// syncOnce runs a prepared sync once and releases the controller, for the
// Sync* functions: syncOnce(PrepareXSync(state, now)).
func syncOnce[R any](sync func() (R, error), done func(), err error) (R, error) {
	if err != nil {
		var zero R
		return zero, err
	}
	defer done()
	return sync()
}
