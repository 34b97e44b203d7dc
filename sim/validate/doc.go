// Package validate compares a scenario's simulated quantities with observed
// series and says how well they agree.
//
// An observed series is a CSV file (see ReadSeries for the format) named by
// one of the scenario's [[observed]] entries, which also says which
// simulated quantity it measures: "flow" (persons starting along a set of
// edges, summed), "arrivals" (persons arriving at a node), a node's stock
// variable when the entry names a node (present, waiting, stranded,
// unmet_need, aid_served, beds_served), or a column of the run's totals.
// Simulated daily values are aggregated to the observed periods (months or
// days) and compared with four metrics, defined in metrics.go: the averaged
// relative difference as Flee reports it, the root mean square error on
// log counts, Pearson's correlation and the relative error of annual totals.
// Over an ensemble of replicates the metrics are those of the median series,
// with type-7 quantiles of the annual totals; a plot shows the observed
// series against the simulated median and its 90 % band.
//
// Forecast checks (checks.go) compare a quantity over a period with a figure
// reported in a source, for periods where no series was fitted.
package validate
