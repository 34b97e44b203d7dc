package sim

import (
	"context"
	"errors"

	"github.com/migsim/migsim/sim/scenario"
)

// Options are the settings of one run that are not part of the scenario.
type Options struct {
	// Seed is the random seed; 0 means the scenario's seed.
	Seed uint64
	// Workers is the number of goroutines that step agents; 0 means
	// runtime.NumCPU().
	Workers int
	// Progress, if not nil, is called after each simulated day with the
	// number of days done and the total.
	Progress func(done, total int)
}

// Model is one run of a scenario in progress.
type Model struct{}

// New builds the world and agents of a checked scenario.
func New(sc *scenario.Scenario, opt Options) (*Model, error) {
	return nil, errors.New("sim: engine not implemented yet")
}

// Run steps the model to the scenario's end (or until ctx is cancelled) and
// returns the recorded result.
func (m *Model) Run(ctx context.Context) (*Result, error) {
	return nil, errors.New("sim: engine not implemented yet")
}

// Run is New followed by Model.Run.
func Run(ctx context.Context, sc *scenario.Scenario, opt Options) (*Result, error) {
	m, err := New(sc, opt)
	if err != nil {
		return nil, err
	}
	return m.Run(ctx)
}
