//! The analysis session: one [`Model`], its [`DependencyGraph`] and everything derived from them
//! that more than one analysis reads, each computed once, on first use.
//!
//! Invariant: every derived structure held here was built from this analyzer's own model, so an
//! analysis can never read a graph, a required-time table or a schedule layout of another model.
//! The bindings hold one `Analyzer` per loaded model; Rust callers that run several analyses on
//! one model do the same (the free functions such as [`crate::objectives::objectives`] build a
//! throwaway one).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::availability::{self, Availability, AvailabilityError, AvailabilityParams};
use crate::graph::DependencyGraph;
use crate::impact::{self, Impact, ImpactError, ImpactParams};
use crate::model::Model;
use crate::objectives::{self, Objectives, ObjectivesParams, RequiredTimes};
use crate::recovery::layout::Layout;
use crate::schedule::{self, Gantt, Schedule, ScheduleError, ScheduleParams, ScheduleTimes};
use crate::simulate::{self, SimulateError, SimulateParams, Simulation, SimulationTally};
use crate::spof::{self, Spof, SpofParams};
use crate::threads::{Cancel, Progress, Threads};
use crate::validate::Validation;

/// Tells analyzers apart, so that a result computed by one (a [`ScheduleTimes`]) is never
/// written out against another's model.
static NEXT_STAMP: AtomicU64 = AtomicU64::new(1);

/// A model and the data derived from it, with one method per analysis (DESIGN §4).
///
/// ```
/// use bcm_core::{Analyzer, Model};
/// use bcm_core::schedule::ScheduleParams;
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      functions: [{id: pay, rto: 8h, depends_on: [db]}]\n\
///      assets: [{id: db, kind: data, restore: 2h}]\n",
/// )?;
/// let analyzer = Analyzer::new(m);
/// // The graph and the required times are built once and shared by both analyses.
/// let objectives = analyzer.objectives(&Default::default());
/// let schedule = analyzer.schedule(&ScheduleParams { lose: vec!["db".into()] })?;
/// assert_eq!(objectives.nodes[0].required, Some(8 * 3600));
/// assert_eq!(schedule.makespan, Some(2 * 3600));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Analyzer<'m> {
    model: Cow<'m, Model>,
    stamp: u64,
    graph: OnceLock<DependencyGraph>,
    required: OnceLock<RequiredTimes>,
    layout: OnceLock<Layout>,
    /// A [`Threads`] count, settable through a shared reference (a binding's model is shared).
    threads: AtomicUsize,
    cancel: Cancel,
    progress: Progress,
}

impl Analyzer<'static> {
    /// An analyzer that owns `model` (what a binding holds).
    pub fn new(model: Model) -> Self {
        Analyzer::of(Cow::Owned(model))
    }
}

impl<'m> Analyzer<'m> {
    /// An analyzer over a model the caller keeps.
    pub fn borrowed(model: &'m Model) -> Self {
        Analyzer::of(Cow::Borrowed(model))
    }

    fn of(model: Cow<'m, Model>) -> Self {
        Analyzer {
            model,
            stamp: NEXT_STAMP.fetch_add(1, Ordering::Relaxed),
            graph: OnceLock::new(),
            required: OnceLock::new(),
            layout: OnceLock::new(),
            threads: AtomicUsize::new(Threads::from_env().get()),
            cancel: Cancel::new(),
            progress: Progress::new(),
        }
    }

    /// How many threads its analyses use (default [`Threads::from_env`]).
    pub fn threads(&self) -> Threads {
        Threads::new(self.threads.load(Ordering::Relaxed) as u64).unwrap_or(Threads::ONE)
    }

    /// Sets how many threads its analyses use from now on; [`Threads::ONE`] starts none.
    pub fn set_threads(&self, threads: Threads) {
        self.threads.store(threads.get(), Ordering::Relaxed);
    }

    /// The token that stops its long work early: [`Cancel::request`] it from another thread
    /// (or a signal handler) and a running simulation or Monte Carlo availability returns
    /// `Cancelled`. The work that stops withdraws the request; a request made while nothing
    /// runs stops the next such call.
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    /// How far its long work (simulations, Monte Carlo estimates, the report) has come: read it
    /// from another thread, or from a poll ([`crate::threads::polling`]) to draw a progress bar.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The model, given back (a copy if it was borrowed).
    pub fn into_model(self) -> Model {
        self.model.into_owned()
    }

    /// The dependency graph of the model, built on first use.
    pub fn graph(&self) -> &DependencyGraph {
        self.graph.get_or_init(|| DependencyGraph::new(&self.model))
    }

    /// The backward pass of §4.B on declared values: scenario-free, so the objectives and every
    /// schedule share it.
    pub(crate) fn required_times(&self) -> &RequiredTimes {
        self.required
            .get_or_init(|| objectives::required_times(self))
    }

    /// The recovery engine's flat view of the nodes and their facts, built by the first schedule
    /// or simulation.
    pub(crate) fn layout(&self) -> &Layout {
        self.layout.get_or_init(|| Layout::build(self))
    }

    pub(crate) fn stamp(&self) -> u64 {
        self.stamp
    }

    /// Validation (§4.A): every finding of the model, on the graph the analyses share.
    pub fn validate(&self) -> Validation {
        crate::validate::validate_with(self)
    }

    /// Plan currency (§4.I): what is stale, overdue or untrained at `params.at`.
    ///
    /// # Errors
    /// [`CurrencyError::NoDate`](crate::currency::CurrencyError::NoDate) without a date.
    pub fn currency(
        &self,
        params: &crate::currency::CurrencyParams,
    ) -> Result<crate::currency::Currency, crate::currency::CurrencyError> {
        crate::currency::compute(self, params)
    }

    /// Risk (§4.H): the register, the portfolio's annual losses and the heat map.
    ///
    /// # Errors
    /// [`RiskError`](crate::risk::RiskError) for too many iterations, an unusable matrix or
    /// CRAMM table, or cancellation.
    pub fn risk(
        &self,
        params: &crate::risk::RiskParams,
    ) -> Result<crate::risk::RiskAnalysis, crate::risk::RiskError> {
        crate::risk::compute(self, params)
    }

    /// The risk simulation's tally of years `range` only: tallies of disjoint ranges merge
    /// exactly ([`RiskTally::merge`](crate::risk::quantitative::RiskTally::merge)); read the
    /// merged tally with [`Analyzer::risk_from`].
    ///
    /// # Errors
    /// As [`Analyzer::risk`].
    pub fn risk_range(
        &self,
        seed: u64,
        range: std::ops::Range<u64>,
    ) -> Result<crate::risk::quantitative::RiskTally, crate::risk::RiskError> {
        crate::risk::tally_range(self, seed, range)
    }

    /// The risk analysis read from a (merged) tally, with `params`' matrix and table.
    ///
    /// # Errors
    /// As [`Analyzer::risk`] (an unusable matrix or table).
    pub fn risk_from(
        &self,
        params: &crate::risk::RiskParams,
        tally: &crate::risk::quantitative::RiskTally,
    ) -> Result<crate::risk::RiskAnalysis, crate::risk::RiskError> {
        crate::risk::report(self, params, tally)
    }

    /// Policy conformance (§4.J) against a profile at `params.at`.
    ///
    /// # Errors
    /// [`ConformanceError`](crate::conformance::ConformanceError) without a date, for an
    /// unknown built-in profile or a profile that cannot be read.
    pub fn conformance(
        &self,
        params: &crate::conformance::ConformanceParams,
    ) -> Result<crate::conformance::Conformance, crate::conformance::ConformanceError> {
        crate::conformance::compute(self, params)
    }

    /// Policy conformance (§4.J) against a profile already read (e.g. from a user's file with
    /// [`Profile::from_yaml_str`](crate::governance::profile::Profile::from_yaml_str)).
    pub fn conformance_to(
        &self,
        profile: &crate::governance::profile::Profile,
        at: crate::model::Date,
    ) -> crate::conformance::Conformance {
        crate::conformance::check_profile(self, profile, at)
    }

    /// Control maturity (§4.K) of a control (default BCD-12.2) at `params.at`.
    ///
    /// # Errors
    /// [`MaturityError`](crate::maturity::MaturityError) without a date, for a bad threshold or
    /// an unknown control.
    pub fn maturity(
        &self,
        params: &crate::maturity::MaturityParams,
    ) -> Result<crate::maturity::Maturity, crate::maturity::MaturityError> {
        crate::maturity::compute(self, params)
    }

    /// The report (§4.L): the summary and sections A–K, as data to render
    /// ([`report::render`](crate::report::render)).
    ///
    /// # Errors
    /// [`ReportError`](crate::report::ReportError) when an analysis refuses `params`.
    #[cfg(feature = "report")]
    pub fn report(
        &self,
        params: &crate::report::ReportParams,
    ) -> Result<crate::report::Report, crate::report::ReportError> {
        crate::report::build(self, params)
    }

    /// An export for GRC tools (§4.M): OSCAL assessment results or POA&M judged at
    /// `params.at`, or the DORA register B_06.01.
    ///
    /// # Errors
    /// [`ExportError`](crate::interchange::ExportError) without a date for an OSCAL format, or
    /// for a conformance profile that cannot be used.
    pub fn export(
        &self,
        params: &crate::interchange::ExportParams,
    ) -> Result<crate::interchange::Export, crate::interchange::ExportError> {
        crate::interchange::compute(self, params)
    }

    /// Required objectives and their gaps (§4.B).
    pub fn objectives(&self, params: &ObjectivesParams) -> Objectives {
        objectives::compute(self, params)
    }

    /// The impact of a scenario (§4.C).
    ///
    /// # Errors
    /// [`ImpactError::UnknownUnit`] if `lose` names something that is not a failure unit.
    pub fn impact(&self, params: &ImpactParams) -> Result<Impact, ImpactError> {
        impact::compute(self, params)
    }

    /// Single points of failure and failover coverage (§4.D).
    pub fn spof(&self, params: &SpofParams) -> Spof {
        spof::compute(self, params)
    }

    /// The minimal cut sets of order 2 of `function` (§4.D): pairs of units that together, and
    /// neither alone, take it down for good.
    ///
    /// # Errors
    /// [`CutSetError`](crate::dependency::cutsets::CutSetError) for an unknown function or one
    /// whose groups admit more pairs than one call checks.
    pub fn cut_pairs(
        &self,
        function: &str,
    ) -> Result<crate::dependency::cutsets::CutPairs, crate::dependency::cutsets::CutSetError> {
        crate::dependency::cutsets::compute(self, function)
    }

    /// Steady-state availability (§4.G).
    ///
    /// # Errors
    /// [`AvailabilityError::TooManyIterations`] above [`crate::MAX_ITERATIONS`].
    pub fn availability(
        &self,
        params: &AvailabilityParams,
    ) -> Result<Availability, AvailabilityError> {
        availability::compute(self, params)
    }

    /// The recovery schedule of a scenario (§4.E), written out in full.
    ///
    /// # Errors
    /// As [`schedule_times`](Self::schedule_times).
    pub fn schedule(&self, params: &ScheduleParams) -> Result<Schedule, ScheduleError> {
        let times = self.schedule_times(params)?;
        self.schedule_report(&times)
    }

    /// The recovery schedule of a scenario as computed, before it is written out (which lists
    /// every node of the model and can cost more than the schedule on a large estate).
    ///
    /// # Errors
    /// [`ScheduleError::UnknownUnit`] if `lose` names something that is not a failure unit.
    pub fn schedule_times(&self, params: &ScheduleParams) -> Result<ScheduleTimes, ScheduleError> {
        ScheduleTimes::compute(self, params)
    }

    /// Writes out a schedule this analyzer computed.
    ///
    /// # Errors
    /// [`ScheduleError::OtherModel`] if `times` was computed by another analyzer.
    pub fn schedule_report(&self, times: &ScheduleTimes) -> Result<Schedule, ScheduleError> {
        times.report(self)
    }

    /// The Gantt view of a schedule: one bar per restore, grouped by team.
    pub fn gantt(&self, schedule: &Schedule) -> Gantt {
        schedule::gantt_on(self, schedule)
    }

    /// The Monte Carlo recovery simulation of a scenario (§4.F).
    ///
    /// # Errors
    /// [`SimulateError::Scenario`] if `lose` names something that is not a failure unit.
    pub fn simulate(&self, params: &SimulateParams) -> Result<Simulation, SimulateError> {
        Ok(self.simulate_range(params, 0..params.iterations)?.result())
    }

    /// The tally of iterations `range` of the simulation `params` describes
    /// (`params.iterations` is ignored): one worker's share, to be merged with the others'.
    ///
    /// # Errors
    /// [`SimulateError::InvertedRange`] if `range` ends before it starts;
    /// [`SimulateError::Scenario`] if `lose` names something that is not a failure unit.
    pub fn simulate_range(
        &self,
        params: &SimulateParams,
        range: Range<u64>,
    ) -> Result<SimulationTally, SimulateError> {
        simulate::simulate_range_on(self, params, range)
    }
}

impl From<Model> for Analyzer<'static> {
    fn from(model: Model) -> Self {
        Analyzer::new(model)
    }
}
