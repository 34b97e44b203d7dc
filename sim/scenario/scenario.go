// Package scenario defines a migsim scenario — the route graph, the
// population, agent behaviour, the US border and the dated policies — and
// reads, checks and edits it.
//
// A scenario is written in TOML. Every parameter has a dotted path (for
// example "edge.necocli-capurgana.capacity" or "border.us.cbp_one_daily_slots")
// by which policies and the --set flag address it. The engine in package sim
// consumes a checked *Scenario; nothing here knows about the engine.
package scenario

import "time"

// Scenario is one complete, self-contained model configuration.
type Scenario struct {
	// Meta names the scenario and fixes its calendar, seed and scale.
	Meta Meta `toml:"scenario"`
	// Include lists policy files (paths relative to this file) whose
	// [[policy]] entries are appended to this scenario's, in order.
	Include []string `toml:"include"`
	// Behaviour holds the parameters of agents' decisions.
	Behaviour Behaviour `toml:"behaviour"`
	// Border holds the parameters of borders with special rules: only the US
	// southern border ("border.us") exists.
	Border Borders `toml:"border"`
	// Nodes are the places of the route graph.
	Nodes []Node `toml:"node"`
	// Edges are the directed links between nodes.
	Edges []Edge `toml:"edge"`
	// Origins are the population groups from which migrants depart.
	Origins []Origin `toml:"origin"`
	// Policies are dated changes of parameters.
	Policies []Policy `toml:"policy"`
	// Report says which parts of the graph the summary and the plots watch.
	Report Report `toml:"report"`
	// Observed names observed series to compare simulated quantities with.
	Observed []Observed `toml:"observed"`

	// File is the file the scenario was read from ("" when built in code);
	// error messages name it. It is not part of the TOML.
	File string `toml:"-"`
	// Hash is the hex SHA-256 of the scenario's source bytes (includes
	// included), set by the loader.
	Hash string `toml:"-"`
	// src records the files read and where each key is written, for error
	// messages; nil when built in code. Clones share it (it never changes).
	src *sources
	// overrides maps the parameters changed by ApplySets to the assignment
	// that changed them, so that Validate blames the assignment.
	overrides map[string]string
}

// Meta names a scenario and fixes its calendar, seed and scale.
type Meta struct {
	// Name is a short identifier, used for the default output folder.
	Name string `toml:"name"`
	// Description is one line shown by `migsim scenarios`.
	Description string `toml:"description"`
	// Start is the first simulated day.
	Start time.Time `toml:"start"`
	// End is the last simulated day (inclusive).
	End time.Time `toml:"end"`
	// Seed is the default random seed (the --seed flag overrides it).
	// Default 1.
	Seed uint64 `toml:"seed"`
	// Scale is the fraction of persons simulated as agents: 1 is one agent
	// per person; 0.01 one agent per 100 persons. 1/Scale must be an integer.
	// Counts in the outputs are always persons (agents scaled back).
	// Default 1.
	Scale float64 `toml:"scale"`
	// Calibration records how the calibrated parameters were obtained.
	Calibration string `toml:"calibration"`
}

// Behaviour holds the parameters of agents' decisions, shared by everybody.
type Behaviour struct {
	// ValueOfTime is the money (USD) a person would pay to save one day.
	ValueOfTime float64 `toml:"value_of_time"`
	// RiskAversion is the money (USD) a person would pay to avoid a death
	// probability of 1 (so a 1 % risk weighs RiskAversion/100 USD).
	RiskAversion float64 `toml:"risk_aversion"`
	// InitialBelief is everybody's perceived chance of entering the US at
	// the start.
	InitialBelief float64 `toml:"initial_belief"`
	// NewsDelayDays is how many days the news of what happens at the border
	// takes to reach people.
	NewsDelayDays int `toml:"news_delay_days"`
	// NewsWindowDays is the span (days) of the moving average of outcomes at
	// the border that makes the news (at least 1). Default 30.
	NewsWindowDays int `toml:"news_window_days"`
	// NewsPriorPersons is the weight, in persons of outcomes a day, of the
	// day before's news in today's: the news is (successes + w × yesterday's
	// news) / (outcomes + w), with successes and outcomes the daily averages
	// in persons. It keeps a handful of outcomes from setting the news on
	// their own. Default 0 (no prior).
	NewsPriorPersons float64 `toml:"news_prior_persons"`
	// AnnouncedEntryChance is a chance of entering the US that people hear
	// announced, whatever the outcomes at the border say — a court ruling
	// that ends expulsions on a set day, say: the news they hear is at least
	// this. Default 0 (no announcement); a dated policy sets it.
	AnnouncedEntryChance float64 `toml:"announced_entry_chance"`
	// BeliefNewsRate is the share of the gap between belief and news that a
	// person on the way closes each day.
	BeliefNewsRate float64 `toml:"belief_news_rate"`
	// BeliefHomeRate is the same for would-be migrants still at home.
	BeliefHomeRate float64 `toml:"belief_home_rate"`
	// BeliefLocalRate weighs what people at the same place tell: each day a
	// person's belief falls by this rate times the share of people at the
	// node who are heading back south.
	BeliefLocalRate float64 `toml:"belief_local_rate"`
	// DepartureElasticity is the exponent of (belief / initial belief) that
	// scales the departure rate.
	DepartureElasticity float64 `toml:"departure_elasticity"`
	// GiveUpBase is the logit of the daily chance of giving up for somebody
	// who has not waited, never failed, has money and belief 0.
	GiveUpBase float64 `toml:"giveup_base"`
	// GiveUpPerMonthWaited is added to the logit for each 30 days waited at
	// the current place.
	GiveUpPerMonthWaited float64 `toml:"giveup_per_month_waited"`
	// GiveUpPerFailure is added to the logit for each failed attempt
	// (expulsion, interception, voided appointment).
	GiveUpPerFailure float64 `toml:"giveup_per_failure"`
	// GiveUpStranded is added to the logit while the person has no money to
	// move on.
	GiveUpStranded float64 `toml:"giveup_stranded"`
	// GiveUpBelief multiplies belief in the logit (negative: hope keeps
	// people going).
	GiveUpBelief float64 `toml:"giveup_belief"`
	// Cite maps each key of this table to a source id or "assumption".
	Cite map[string]string `toml:"cite"`
}

// Borders holds the borders with special rules.
type Borders struct {
	// US is the US southern border: CBP One, irregular crossing, asylum,
	// expulsion and the interior.
	US Border `toml:"us"`
}

// Border holds the rules of the US southern border. Agents reach it at nodes
// of kind "border"; those who enter go to the node named by Interior.
type Border struct {
	// Interior is the node id of the US interior (where entrants live).
	Interior string `toml:"interior"`
	// CBPOneOpen says whether CBP One takes registrations and keeps
	// appointments. Setting it to false voids every booked appointment and
	// registration.
	CBPOneOpen bool `toml:"cbp_one_open"`
	// CBPOneDailySlots is the number of appointments given each day.
	CBPOneDailySlots float64 `toml:"cbp_one_daily_slots"`
	// CBPOneEarliestShare is the share of slots given to the earliest
	// registrations; the rest go by lottery among the other registrants.
	// Default 0.5 (the 2023 rule).
	CBPOneEarliestShare float64 `toml:"cbp_one_earliest_share"`
	// CBPOneRegisterChance is the daily chance that a person at a node where
	// registering is allowed (node.*.cbp_one_eligible) registers.
	CBPOneRegisterChance float64 `toml:"cbp_one_register_chance"`
	// CBPOneLeadDays is the number of days between getting a slot and the
	// appointment at the border. Default 14.
	CBPOneLeadDays int `toml:"cbp_one_lead_days"`
	// IrregularAttemptChance is the daily chance that a person at the border
	// without an appointment tries to cross between ports, times belief.
	IrregularAttemptChance float64 `toml:"irregular_attempt_chance"`
	// CBPOneQueueAttemptShare scales IrregularAttemptChance for people
	// registered with CBP One and still waiting for a slot: 0 (the default)
	// means they only wait, 1 that registering does not hold them back.
	CBPOneQueueAttemptShare float64 `toml:"cbp_one_queue_attempt_share"`
	// IrregularCost is the money (USD) paid to cross between ports.
	IrregularCost Dist `toml:"irregular_cost"`
	// Apprehension is the chance that an irregular crosser is caught.
	Apprehension float64 `toml:"apprehension"`
	// AsylumAccess is the chance that a person caught is let in to seek
	// asylum.
	AsylumAccess float64 `toml:"asylum_access"`
	// ExpulsionShare is the share of those caught and not let in who are
	// expelled to Mexico (back at the border node); the rest are removed to
	// their origin.
	ExpulsionShare float64 `toml:"expulsion_share"`
	// InteriorRemovalRate is the daily chance that a person in the US
	// interior is removed to the origin.
	InteriorRemovalRate float64 `toml:"interior_removal_rate"`
	// InteriorLeaveRate is the daily chance that a person in the US interior
	// leaves of their own accord, going back south by land.
	InteriorLeaveRate float64 `toml:"interior_leave_rate"`
	// Cite maps each key of this table to a source id or "assumption".
	Cite map[string]string `toml:"cite"`
}

// Node kinds.
const (
	KindOrigin      = "origin"
	KindHub         = "hub"
	KindCrossing    = "crossing"
	KindBorder      = "border"
	KindDestination = "destination"
)

// Node is a place of the route graph.
type Node struct {
	// ID is the unique identifier used by edges, origins and policy paths.
	ID string `toml:"id"`
	// Name is the human-readable name.
	Name string `toml:"name"`
	// Country is the ISO 3166 alpha-3 code.
	Country string `toml:"country"`
	// Lat and Lon are the coordinates in degrees.
	Lat float64 `toml:"lat"`
	Lon float64 `toml:"lon"`
	// Kind is one of origin, hub, crossing, border, destination.
	Kind string `toml:"kind"`
	// FoodCost is a person's daily cost of food (USD) when not given a meal.
	FoodCost float64 `toml:"food_cost"`
	// LodgingCost is a person's daily cost of a bed (USD) when not given one.
	LodgingCost float64 `toml:"lodging_cost"`
	// Meals is the aid capacity in meals per day (one meal-day per person).
	Meals float64 `toml:"meals"`
	// Beds is the aid capacity in shelter beds per night.
	Beds float64 `toml:"beds"`
	// WorkChance is the daily chance that a person without money finds work.
	WorkChance float64 `toml:"work_chance"`
	// Wage is the day's pay (USD) of such work.
	Wage float64 `toml:"wage"`
	// RobberyRisk is the daily chance that a person here is robbed.
	RobberyRisk float64 `toml:"robbery_risk"`
	// RobberyLoss is the share of money a robbery takes.
	RobberyLoss float64 `toml:"robbery_loss"`
	// KidnapRisk is the daily chance that a person here is kidnapped.
	KidnapRisk float64 `toml:"kidnap_risk"`
	// KidnapLoss is the share of money a ransom takes.
	KidnapLoss float64 `toml:"kidnap_loss"`
	// CBPOneEligible says whether people here may register with CBP One.
	CBPOneEligible bool `toml:"cbp_one_eligible"`
	// SettleShare is the share of those who give up here who stay and make
	// a life here (seek asylum, find work) instead of travelling on to
	// their origin or elsewhere destination. Default 0.
	SettleShare float64 `toml:"settle_share"`
	// DeportFlightsPerWeek is the number of deportation flights a week that
	// remove northbound people present here to their origin.
	DeportFlightsPerWeek float64 `toml:"deport_flights_per_week"`
	// DeportSeatsPerFlight is the number of seats of each such flight.
	DeportSeatsPerFlight float64 `toml:"deport_seats_per_flight"`
	// Cite maps each key of this table to a source id or "assumption".
	Cite map[string]string `toml:"cite"`
}

// Edge directions and modes.
const (
	North = "north"
	South = "south"
)

// Edge is a directed link of the route graph.
type Edge struct {
	// ID is the unique identifier used in policy paths and outputs.
	ID string `toml:"id"`
	// From and To are node ids.
	From string `toml:"from"`
	To   string `toml:"to"`
	// Mode is bus, foot, boat, flight or crossing.
	Mode string `toml:"mode"`
	// Direction is north or south (outputs split flows by it).
	Direction string `toml:"direction"`
	// Duration is the travel time in days (at least 1).
	Duration Dist `toml:"duration"`
	// Cost is the fare or fee in USD.
	Cost Dist `toml:"cost"`
	// Spend is the category of the money paid: transport, smuggler, boat or
	// fee. Default "transport".
	Spend string `toml:"spend"`
	// Capacity is the most persons that can start along the edge each day
	// (0: unlimited). Those not carried wait at the From node.
	Capacity float64 `toml:"capacity"`
	// BoatSize is the number of persons per boat (0: not a boat). Boats
	// capsize as a whole.
	BoatSize float64 `toml:"boat_size"`
	// CapsizeRisk is the chance that one boat capsizes.
	CapsizeRisk float64 `toml:"capsize_risk"`
	// CapsizeFatality is the share of a capsized boat's passengers who die;
	// the others are rescued and put back at the From node. Default 1.
	CapsizeFatality float64 `toml:"capsize_fatality"`
	// DeathRisk is the chance that a person dies on the way.
	DeathRisk float64 `toml:"death_risk"`
	// RobberyRisk is the chance that a person is robbed on the way.
	RobberyRisk float64 `toml:"robbery_risk"`
	// RobberyLoss is the share of money a robbery takes.
	RobberyLoss float64 `toml:"robbery_loss"`
	// Interception is the chance that enforcement stops a person on the way.
	Interception float64 `toml:"interception"`
	// InterceptionTo is where intercepted people go: "back" (the From node)
	// or "origin" (removed to their origin). Default "back".
	InterceptionTo string `toml:"interception_to"`
	// Open says whether the edge can be used (policies close it). Default
	// true.
	Open bool `toml:"open"`
	// Cite maps each key of this table to a source id or "assumption".
	Cite map[string]string `toml:"cite"`
}

// Goals an origin group can have.
const (
	GoalUS        = "us"
	GoalElsewhere = "elsewhere"
)

// Origin is a population group: the potential migrants of one nationality
// living at one node.
type Origin struct {
	// ID is the unique identifier used in policy paths ("origin.<id>.*").
	ID string `toml:"id"`
	// Node is where the group lives (its home).
	Node string `toml:"node"`
	// Nationality is the ISO 3166 alpha-3 code; policies can target it.
	Nationality string `toml:"nationality"`
	// Pool is the number of persons who might leave.
	Pool float64 `toml:"pool"`
	// BaseRate is the daily chance that one person of the pool leaves, at the
	// initial belief, before trend and season.
	BaseRate float64 `toml:"base_rate"`
	// Trend is the yearly growth of the rate, as a log rate (0.1 ≈ +10 %/yr).
	Trend float64 `toml:"trend"`
	// SeasonAmplitude is the relative amplitude of the yearly cycle (0–1).
	SeasonAmplitude float64 `toml:"season_amplitude"`
	// SeasonPeakMonth is the month (1–12) when departures peak; it may be
	// left out (0) when SeasonAmplitude is 0.
	SeasonPeakMonth float64 `toml:"season_peak_month"`
	// SemiannualAmplitude is the relative amplitude of a half-yearly cycle
	// added to the yearly one (0–1; with SeasonAmplitude at most 1 in all,
	// so the rate never falls below 0).
	SemiannualAmplitude float64 `toml:"semiannual_amplitude"`
	// SemiannualPeakMonth is a month (1–12) when the half-yearly cycle
	// peaks (it peaks again six months later); it may be left out (0) when
	// SemiannualAmplitude is 0.
	SemiannualPeakMonth float64 `toml:"semiannual_peak_month"`
	// Budget is the money (USD) a person leaves with.
	Budget Dist `toml:"budget"`
	// MinBudgetShare: a person leaves only if the budget is at least this
	// share of the cheapest route's money cost to the goal. Default 1.
	MinBudgetShare float64 `toml:"min_budget_share"`
	// Goal is "us" (the default) or "elsewhere".
	Goal string `toml:"goal"`
	// Elsewhere is the node id of the destination of those who go elsewhere
	// (their goal, or where they turn to when they give up and do not go
	// home).
	Elsewhere string `toml:"elsewhere"`
	// HomeShare is the share of those who give up who go home; the rest go
	// elsewhere (Elsewhere is then required). Default 1.
	HomeShare float64 `toml:"home_share"`
	// Cite maps each key of this table to a source id or "assumption".
	Cite map[string]string `toml:"cite"`
}

// Policy is a dated change of one parameter. Several entries with the same
// name make one policy that changes several parameters.
type Policy struct {
	// Name identifies the policy in messages and outputs.
	Name string `toml:"name"`
	// Date is the first day the change applies.
	Date time.Time `toml:"date"`
	// Until, if set, is the first day it no longer applies: the parameter
	// returns to what it would be without this policy.
	Until time.Time `toml:"until"`
	// Path is the dotted path of the parameter, e.g. "node.necocli.meals".
	Path string `toml:"path"`
	// Nationality, if set, limits the change to one nationality.
	Nationality string `toml:"nationality"`
	// Set replaces the value: a number, a boolean, a string (for text
	// parameters) or a distribution. After loading it holds a float64, a
	// bool, a string or a Dist, ready for Scenario.SetParam.
	Set any `toml:"set"`
	// Scale multiplies the value (numbers and distributions).
	Scale *float64 `toml:"scale"`
	// Ramp moves the value linearly to Ramp.To over Ramp.Days days. Given
	// with Scale, it moves the factor instead, from Scale to Ramp.To: a
	// change that fades in or out.
	Ramp *Ramp `toml:"ramp"`
	// Source is the source id the policy rests on, or "assumption".
	Source string `toml:"source"`
	// Note says in words what happened.
	Note string `toml:"note"`
}

// Ramp is a linear change of a parameter over some days.
type Ramp struct {
	// To is the value reached at the end of the ramp.
	To float64 `toml:"to"`
	// Days is the length of the ramp (at least 1).
	Days int `toml:"days"`
}

// Report says which parts of the graph the summary and the plots watch.
type Report struct {
	// CrossingName names the watched crossing in plots ("Darién"). Default
	// "crossing".
	CrossingName string `toml:"crossing_name"`
	// Northbound lists the edges whose flow is the crossing's northbound flow.
	Northbound []string `toml:"northbound"`
	// Southbound lists the edges whose flow is the crossing's southbound flow.
	Southbound []string `toml:"southbound"`
	// FocusNode is the node whose population is plotted against its aid
	// capacity (Necoclí by default).
	FocusNode string `toml:"focus_node"`
}

// Observed links an observed series to the simulated quantity it measures.
type Observed struct {
	// Name identifies the series.
	Name string `toml:"name"`
	// File is the CSV file of the series (relative to the scenario file, or
	// an embedded data file).
	File string `toml:"file"`
	// Quantity is what is compared: "flow" (persons starting along Edges),
	// "arrivals" (persons arriving at Node), or a totals column name.
	Quantity string `toml:"quantity"`
	// Edges are the edge ids summed for Quantity = "flow".
	Edges []string `toml:"edges"`
	// Node is the node id for Quantity = "arrivals".
	Node string `toml:"node"`
	// Source is the source id of the series.
	Source string `toml:"source"`
}

// Nationalities returns the distinct nationalities of the origins, in order
// of first appearance.
func (s *Scenario) Nationalities() []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range s.Origins {
		if !seen[o.Nationality] {
			seen[o.Nationality] = true
			out = append(out, o.Nationality)
		}
	}
	return out
}

// Days returns the number of simulated days, Start and End included.
func (s *Scenario) Days() int {
	return int(s.Meta.End.Sub(s.Meta.Start).Hours()/24) + 1
}
