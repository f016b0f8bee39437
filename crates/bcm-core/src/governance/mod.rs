//! Governance: is the continuity programme kept up? Plan currency (DESIGN §4.I) and policy
//! conformance against profiles kept as data (§4.J).
//!
//! Nothing here reads the clock: every analysis takes the date it is judged at.

pub mod conformance;
pub mod currency;
pub mod profile;

use chrono::{Days, NaiveDate};
use petgraph::graph::NodeIndex;
use serde::Serialize;

use crate::Analyzer;
use crate::model::{Criticality, Date, Duration, Model, Organization};

/// Reviews, tests and training are due this often unless the organization says otherwise
/// (DESIGN §3: 365 days each).
pub const DEFAULT_INTERVAL: Duration = Duration::from_days(365);

/// A change makes the plans and BIAs it touches due this many days after its date.
pub const CHANGE_GRACE_DAYS: u64 = 30;

/// The organization's programme intervals, with the defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Intervals {
    /// Plans and BIAs are reviewed at least this often.
    pub review: Duration,
    /// Plans are tested at least this often.
    pub test: Duration,
    /// People in plan teams are trained at least this often.
    pub training: Duration,
}

impl Intervals {
    /// The intervals `organization` sets, the defaults where it sets none.
    pub fn of(organization: &Organization) -> Self {
        Intervals {
            review: organization.review_interval.unwrap_or(DEFAULT_INTERVAL),
            test: organization.test_interval.unwrap_or(DEFAULT_INTERVAL),
            training: organization.training_interval.unwrap_or(DEFAULT_INTERVAL),
        }
    }
}

/// `day` plus `interval`, in whole days (an interval of 36h counts as one day: the policy's
/// intervals are in days and a date has no time of day); the last representable date if that
/// were past it.
pub(crate) fn after(day: NaiveDate, interval: Duration) -> NaiveDate {
    after_days(day, interval.as_secs() / 86_400)
}

/// `day` plus `days` days, saturating at the last representable date.
pub(crate) fn after_days(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// A day as a [`Date`] (results show days, not instants).
pub(crate) fn as_date(day: NaiveDate) -> Date {
    Date::Day(day)
}

/// The IDs of the functions marked `criticality: critical`, sorted.
pub(crate) fn critical_functions(model: &Model) -> Vec<&str> {
    let mut critical: Vec<&str> = model
        .functions
        .iter()
        .filter(|f| f.criticality == Some(Criticality::Critical))
        .map(|f| f.id.as_str())
        .collect();
    critical.sort_unstable();
    critical
}

/// Which way [`reach`] walks the dependency graph.
pub(crate) enum Direction {
    /// Towards what the roots need.
    Dependencies,
    /// Towards what needs the roots.
    Dependents,
}

/// The nodes reachable from `roots` (included), one way, through every edge or (with
/// `hard_only`) through hard edges only: O(nodes + edges).
pub(crate) fn reach(
    analyzer: &Analyzer<'_>,
    roots: &[NodeIndex],
    direction: Direction,
    hard_only: bool,
) -> Vec<bool> {
    let graph = analyzer.graph();
    let mut seen = vec![false; graph.node_count()];
    let mut stack = Vec::new();
    for &n in roots {
        if let Some(s) = seen.get_mut(n.index())
            && !*s
        {
            *s = true;
            stack.push(n);
        }
    }
    let mut next = Vec::new();
    while let Some(n) = stack.pop() {
        next.clear();
        match direction {
            Direction::Dependencies => next.extend(
                graph
                    .dependencies(n)
                    .filter(|(_, e)| !hard_only || e.is_hard())
                    .map(|(d, _)| d),
            ),
            Direction::Dependents => next.extend(
                graph
                    .dependents(n)
                    .filter(|(_, e)| !hard_only || e.is_hard())
                    .map(|(d, _)| d),
            ),
        }
        for &d in &next {
            if let Some(s) = seen.get_mut(d.index())
                && !*s
            {
                *s = true;
                stack.push(d);
            }
        }
    }
    seen
}

/// The nodes a plan of `kind` covers: those it names, and (with `through_needs`) everything
/// that depends on them, so that a DRP covering a database covers the functions that need it.
pub(crate) fn covered_by_plans(
    analyzer: &Analyzer<'_>,
    kind: crate::model::PlanKind,
    through_needs: bool,
) -> Vec<bool> {
    let graph = analyzer.graph();
    let named: Vec<NodeIndex> = analyzer
        .model()
        .plans
        .iter()
        .filter(|p| p.kind == kind)
        .flat_map(|p| p.covers.iter().filter_map(|id| graph.node(id.as_str())))
        .collect();
    if through_needs {
        return reach(analyzer, &named, Direction::Dependents, false);
    }
    let mut direct = vec![false; graph.node_count()];
    for n in named {
        if let Some(x) = direct.get_mut(n.index()) {
            *x = true;
        }
    }
    direct
}

/// Whether node `n` is flagged.
pub(crate) fn flag(flags: &[bool], n: NodeIndex) -> bool {
    flags.get(n.index()).copied().unwrap_or(false)
}
