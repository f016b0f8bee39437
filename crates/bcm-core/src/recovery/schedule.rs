//! Recovery schedule (DESIGN §4.E): after losing a set of failure units, when each node goes
//! down and comes back, in what order the teams restore the lost assets, and whether every
//! function meets its RTO and MTD.
//!
//! The engine is a discrete-event simulation with the parallel schedule generation scheme:
//! at each decision time (0, then each time a restore finishes or a resolved task becomes ready)
//! it repeatedly starts, among the lost assets whose dependencies are all resolved, that are ready
//! and whose team has a free place, the one with the smallest required time (objectives, §4.B;
//! none last), then the smallest ID. Starting a restore fixes when the asset is back, which
//! resolves what depends on it, which may make further restores ready.
//!
//! Everything scenario-specific that does not depend on the durations is prepared once in a
//! `Plan` (the nodes the loss can reach, as flat arrays), so that the Monte Carlo simulation
//! (§4.F) runs the same engine thousands of times without allocating.
//!
//! This module is the schedule's public face (its parameters, results and errors, and
//! [`ScheduleTimes`]); the engine behind it is split by concern: `plan` (what a scenario fixes
//! before any duration is known), `engine` (one run of the event loop), `group` (the group rule
//! and the two-end reading of unresolved nodes), `bits` (the packed keys and bit sets the engine
//! sorts and scans with), `report` (the rows written from a run's times), `gantt` and `compare`
//! (views of a written report).

use petgraph::graph::NodeIndex;
use serde::Serialize;

use crate::Analyzer;
use crate::graph::UnknownUnit;
use crate::model::Model;

use super::bits::{NO, NONE, opt};
use super::engine::Run;
use super::plan::Plan;
use super::report::{build, misses_an_rto};

pub use super::compare::{FunctionChange, ScheduleComparison, compare};
pub(crate) use super::gantt::gantt_on;
pub use super::gantt::{Gantt, GanttBar, GanttFunction, gantt};
pub use super::path::CriticalPath;

/// Parameters of [`schedule`]; as JSON `{"lose": ["hq"]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleParams {
    /// The failure units lost at t = 0 (assets, groups, sites, vendors).
    pub lose: Vec<String>,
}

/// One node of a [`Schedule`]. Times are seconds since the disruption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeSchedule {
    /// The node's ID.
    pub id: String,
    /// `function`, `asset`, `group` or `vendor`.
    pub kind: &'static str,
    /// When it goes down; `None` if the scenario never affects it.
    pub down_at: Option<u64>,
    /// When its restore starts; set only for lost assets and vendors that can be restored.
    pub start: Option<u64>,
    /// When it is back; `None` if never affected, or never back.
    pub up_at: Option<u64>,
    /// Its required time (objectives, §4.B); `None` if nothing needs it.
    pub required: Option<u64>,
    /// `required − up_at`: negative when late; `None` unless both are known.
    pub slack: Option<i64>,
}

/// One affected function of a [`Schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionSchedule {
    /// The function's ID.
    pub id: String,
    /// When it is back in operation; `None` if never.
    pub up_at: Option<u64>,
    /// Its RTO in seconds, if declared.
    pub rto: Option<u64>,
    /// Whether `up_at ≤ rto`; `None` without an RTO.
    pub met: Option<bool>,
    /// By how much `up_at` exceeds the RTO (0 when met); `None` without an RTO or if never back.
    pub breach: Option<u64>,
    /// Whether `up_at + wrt ≤ mtd`; `None` without an MTD.
    pub mtd_met: Option<bool>,
    /// True when the function would meet its RTO with unlimited teams but does not with the
    /// teams it has: staffing, not architecture, is the problem.
    pub capacity_shortfall: bool,
    /// The chain of dependencies that decided `up_at`, in recovery order: from the restore that
    /// started it to the function's direct dependency (the function itself is not listed).
    pub critical_path: CriticalPath,
}

/// Restores that start at the same decision time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Wave {
    /// The decision time, in seconds.
    pub start: u64,
    /// The lost assets and vendors whose restore starts then, sorted by ID.
    pub restores: Vec<String>,
}

/// The result of [`schedule`] (DESIGN §5 `schedule`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Every node of the dependency graph, sorted by ID (unaffected ones with `None`s).
    pub nodes: Vec<NodeSchedule>,
    /// The affected functions, sorted by ID.
    pub functions: Vec<FunctionSchedule>,
    /// The restores grouped by start time, in time order.
    pub waves: Vec<Wave>,
    /// When the last affected node is back; `None` if some never is; 0 if nothing is affected.
    pub makespan: Option<u64>,
    /// Nodes on or downstream of a dependency cycle, which have no recovery order (validation
    /// reports the cycle as `E-CYCLE`); they carry `None`s. Sorted; omitted from JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<String>,
}

/// Why a schedule cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The scenario names something that is not a failure unit.
    #[error(transparent)]
    UnknownUnit(#[from] UnknownUnit),
    /// The scenario is too large for the engine's 32-bit node numbers.
    #[error("the scenario reaches {0} nodes, more than this engine handles")]
    TooLarge(usize),
    /// A computed schedule was handed to another model's analyzer to be written out.
    #[error("this schedule was computed on another model")]
    OtherModel,
}

/// The recovery schedule of losing `params.lose` (DESIGN §4.E).
///
/// Complexity: O((n + e) log n) over the n nodes and e edges the loss can reach, for each of two
/// runs (with the teams, and with unlimited teams for `capacity_shortfall`), plus O(nodes) to list
/// every node.
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::schedule::{schedule, ScheduleParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      teams: [{id: dba, capacity: 1}]\n\
///      functions: [{id: pay, rto: 8h, resume: 1h, depends_on: [db1, db2]}]\n\
///      assets: [{id: db1, kind: data, team: dba, restore: 2h},\n\
///               {id: db2, kind: data, team: dba, restore: 3h}]\n",
/// )?;
/// let s = schedule(&m, &ScheduleParams { lose: vec!["db1".into(), "db2".into()] })?;
/// // One DBA: db1 then db2 (same required time, so ID order); pay resumes 1h after db2 is back.
/// let pay = &s.functions[0];
/// assert_eq!(pay.up_at, Some(6 * 3600));
/// assert_eq!(pay.met, Some(true));
/// assert_eq!(pay.critical_path, ["db2"]);
/// assert_eq!(s.makespan, Some(6 * 3600));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ScheduleError::UnknownUnit`] if `lose` names something that is not a failure unit.
///
/// To run several scenarios on one model, use an [`Analyzer`], which prepares the graph once.
pub fn schedule(model: &Model, params: &ScheduleParams) -> Result<Schedule, ScheduleError> {
    Analyzer::borrowed(model).schedule(params)
}

/// A recovery schedule as computed, before it is written out as a [`Schedule`]: every time of
/// every node the loss reaches, held compactly.
///
/// The report lists every node of the model by ID, which on a large estate costs more than the
/// schedule itself; a caller that may not need all of it (a binding whose result object is
/// converted only when asked) keeps this and calls [`Analyzer::schedule_report`] when it does.
///
/// ```
/// use bcm_core::{Analyzer, Model};
/// use bcm_core::schedule::ScheduleParams;
/// let a = Analyzer::new(Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      functions: [{id: pay, rto: 8h, depends_on: [db]}]\n\
///      assets: [{id: db, kind: data, restore: 2h}]\n",
/// )?);
/// let times = a.schedule_times(&ScheduleParams { lose: vec!["db".into()] })?;
/// assert_eq!(times.makespan(), Some(2 * 3600));
/// assert_eq!(a.schedule_report(&times)?.makespan, times.makespan());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// It keeps only what the report reads (a few arrays over the nodes the loss reaches); the
/// engine's working state is freed when [`Analyzer::schedule_times`] returns, for the next
/// schedule to reuse.
#[derive(Debug, Clone)]
pub struct ScheduleTimes {
    /// The [`Analyzer`] that computed it, the only one that may write it out.
    pub(super) stamp: u64,
    /// Plan node → graph node; plan nodes are in ID order.
    pub(super) nodes: Vec<NodeIndex>,
    /// The plan's functions.
    pub(super) functions: Vec<u32>,
    /// Per plan node, as [`Run`] has them.
    pub(super) down: Vec<u64>,
    pub(super) up: Vec<u64>,
    pub(super) start: Vec<u64>,
    pub(super) decided: Vec<u32>,
    pub(super) started: Vec<(u64, u32)>,
    /// `up` with unlimited teams, when that can differ and matters: some ready restore waited
    /// for its team, and some function misses its RTO (`capacity_shortfall`).
    pub(super) unlimited_up: Option<Vec<u64>>,
}

impl ScheduleTimes {
    /// Computes the schedule of losing `params.lose` (see [`Analyzer::schedule_times`]).
    pub(crate) fn compute(
        analyzer: &Analyzer<'_>,
        params: &ScheduleParams,
    ) -> Result<Self, ScheduleError> {
        let (model, graph) = (analyzer.model(), analyzer.graph());
        let plan = Plan::new(analyzer, &params.lose)?;
        let execute = |unlimited: bool| {
            let mut run = Run::default();
            run.execute(&plan, &plan.likely, unlimited);
            run
        };
        // The run with unlimited teams is needed only if some restore waits for its team and
        // some function misses its RTO, which the run with the teams tells. When some restore
        // has a team at all, both run at once on two threads if the analyzer has them (the second is discarded if not
        // needed): the schedule is back sooner on a machine with a spare core.
        let (run, free) = if plan.team.iter().any(|&t| t != NO) {
            let (run, free) = analyzer.threads().run(analyzer.cancel(), |threaded| {
                if threaded {
                    rayon::join(|| execute(false), || execute(true))
                } else {
                    (execute(false), execute(true))
                }
            });
            (run, Some(free))
        } else {
            (execute(false), None)
        };
        let unlimited_up = free
            .filter(|_| run.waited && misses_an_rto(model, graph, &plan, &run))
            .map(|free| free.up);
        Ok(ScheduleTimes {
            stamp: analyzer.stamp(),
            nodes: plan.nodes,
            functions: plan.functions,
            down: run.down,
            up: run.up,
            start: run.start,
            decided: run.decided,
            started: run.started,
            unlimited_up,
        })
    }

    /// When the last affected node is back; `None` if some never is; 0 if nothing is affected
    /// (the report's `makespan`, without writing the report).
    pub fn makespan(&self) -> Option<u64> {
        let mut makespan = 0u64;
        for (&down, &up) in self.down.iter().zip(&self.up) {
            if down != NONE {
                makespan = makespan.max(opt(up)?);
            }
        }
        Some(makespan)
    }

    /// The schedule as a [`Schedule`]: every node of the model by ID, the affected functions,
    /// the waves and the makespan (see [`Analyzer::schedule_report`]).
    pub(crate) fn report(&self, analyzer: &Analyzer<'_>) -> Result<Schedule, ScheduleError> {
        if self.stamp != analyzer.stamp() {
            return Err(ScheduleError::OtherModel);
        }
        Ok(build(analyzer, self))
    }
}
