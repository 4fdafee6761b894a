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

// Timed adapts a Prepare*Sync function's results to TimeSyncs: the sync's
// error is the harness's, or else the one the controller's sync returned.
// Use it as harness.Timed(harness.PrepareJobSync(state, now)).
func Timed[R interface{ Err() error }](sync func() (R, error), done func(), err error) (func() error, func(), error) {
	if err != nil {
		return nil, nil, err
	}
	return func() error {
		res, err := sync()
		if err != nil {
			return err
		}
		return res.Err()
	}, done, nil
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
