package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/migsim/migsim/sim"
)

// PrintSummary writes a short human summary of a run to w: the period,
// persons departed, the watched crossing per year in both directions, US
// entries by pathway, giving up, returns, deaths, unmet need at the focus
// node, and dir, where the files went (omitted when empty). Write errors
// are ignored: the summary is a courtesy, the files are the record.
func PrintSummary(w io.Writer, r *sim.Result, dir string) {
	if r.Check() != nil {
		fmt.Fprintln(w, "migsim: no complete result to summarise")
		return
	}
	val := map[string]float64{}
	for _, in := range Indicators(r) {
		val[in.Key] = in.Value
	}
	n := func(key string) string { return group(val[key]) }

	period := "no days"
	if r.Days > 0 {
		period = fmt.Sprintf("%s to %s (%d days)", r.Date(0).Format(dateLayout), r.Date(r.Days-1).Format(dateLayout), r.Days)
	}
	hash := r.Hash
	if len(hash) > 12 {
		hash = hash[:12]
	}
	fmt.Fprintf(w, "Scenario %s (sha256 %s), seed %d: %s\n", r.Scenario, hash, r.Seed, period)
	if r.PersonsPerAgent > 1 {
		fmt.Fprintf(w, "  (thinned: one agent per %d persons; counts are scaled back)\n", r.PersonsPerAgent)
	}
	fmt.Fprintf(w, "  departed from home      %s\n", n("departed"))
	crossing := r.CrossingName
	if crossing == "" {
		crossing = "watched crossing"
	}
	fmt.Fprintf(w, "  %-23s %12s %12s\n", crossing, "northbound", "southbound")
	for _, y := range years(r) {
		ys := strconv.Itoa(y)
		fmt.Fprintf(w, "    %-21s %12s %12s\n", ys, n("crossing_north_"+ys), n("crossing_south_"+ys))
	}
	fmt.Fprintf(w, "    %-21s %12s %12s\n", "all", n("crossing_north"), n("crossing_south"))
	fmt.Fprintf(w, "  entered the US          CBP One %s, irregular %s, asylum %s\n",
		n("entered_us_cbp_one"), n("entered_us_irregular"), n("entered_us_asylum"))
	fmt.Fprintf(w, "  gave up                 %s (returned home %s, settled elsewhere %s)\n",
		n("gave_up"), n("returned_home"), n("settled_elsewhere"))
	fmt.Fprintf(w, "  died                    %s\n", n("died"))
	fmt.Fprintf(w, "  stranded                peak %s, %s person-days\n", n("stranded_peak"), n("stranded_person_days"))
	if f := r.FocusNode; f >= 0 {
		id := r.Nodes[f].ID
		unmet := "no aid capacity"
		if v, ok := val["unmet_need_"+id]; ok {
			unmet = group(v) + " person-days of unmet need"
		}
		fmt.Fprintf(w, "  %-23s peak %s present, %s\n", r.Nodes[f].Name, n("peak_present_"+id), unmet)
	}
	if dir != "" {
		fmt.Fprintf(w, "Files written to %s\n", dir)
	}
}

// group formats v rounded to an integer with thousands separators:
// 1234567 → "1,234,567".
func group(v float64) string {
	s := strconv.FormatFloat(math.Round(v)+0, 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg && s != "0" {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
