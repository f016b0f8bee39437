//! Impact of a scenario (DESIGN §4.C): what goes down, when, and what it costs.
//!
//! A scenario is a set of failure units (assets, groups, sites, vendors) lost at t = 0 with nothing
//! recovered. `down_at(lost) = 0`; any other function or asset goes down at
//! `min over its edges d→n of down_at(n) + T`; a group at the `(len(members) − min_up + 1)`-th
//! smallest `down_at` of its members (failover blips do not count here); never means `None`.

use crate::Analyzer;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use serde::Serialize;

use crate::analysis::{functions_by_id, group_thresholds};
use crate::graph::{DependencyGraph, EdgeOrigin, UnknownUnit};
use crate::model::{Duration, FINANCIAL, Model};
use petgraph::graph::NodeIndex;

/// Parameters of [`impact`]; as JSON `{"lose": ["hq"], "at": "4h"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImpactParams {
    /// The failure units lost at t = 0 (assets, groups, sites, vendors).
    pub lose: Vec<String>,
    /// When to read the impact, since the disruption; `None` reads each curve's last step
    /// (nothing is ever recovered).
    pub at: Option<Duration>,
}

/// An affected function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionImpact {
    /// The function's ID.
    pub id: String,
    /// Seconds after the disruption at which it goes down.
    pub down_at: u64,
    /// Its impact per declared category at `at` (0 where it has no step yet).
    pub impact: BTreeMap<String, f64>,
}

/// The result of [`impact`]: `{"functions": [...], "totals": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    /// The affected functions, sorted by ID.
    pub functions: Vec<FunctionImpact>,
    /// Per category: the sum over functions for `financial` (money adds up), the maximum for
    /// severity categories (levels 0–5 do not).
    pub totals: BTreeMap<String, f64>,
}

/// Why an impact cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImpactError {
    /// The scenario names something that is not a failure unit.
    #[error(transparent)]
    UnknownUnit(#[from] UnknownUnit),
}

type Queue = BinaryHeap<Reverse<(u64, NodeIndex)>>;

/// Queues `node` at `t` if that is sooner than any offer so far.
fn offer(best: &mut [Option<u64>], queue: &mut Queue, node: NodeIndex, t: u64) {
    if let Some(slot) = best.get_mut(node.index())
        && slot.is_none_or(|b| t < b)
    {
        *slot = Some(t);
        queue.push(Reverse((t, node)));
    }
}

/// When every node goes down after losing `lost` at t = 0 (`None`: never), indexed by node.
///
/// A Dijkstra-style sweep over dependents (all tolerances are ≥ 0): a node's time is final when it
/// leaves the queue; a group is queued when its `(len − min_up + 1)`-th member is final. Exact on
/// any graph, cycles included. Complexity: O((nodes + edges) log nodes).
pub fn down_times(graph: &DependencyGraph, model: &Model, lost: &[NodeIndex]) -> Vec<Option<u64>> {
    let n = graph.node_count();
    let mut down: Vec<Option<u64>> = vec![None; n];
    let mut best: Vec<Option<u64>> = vec![None; n];
    // Members still to fall before each group goes down.
    let mut to_fall = group_thresholds(model, graph);
    let mut queue: Queue = BinaryHeap::new();
    for &node in lost {
        if let Some(slot) = best.get_mut(node.index()) {
            *slot = Some(0);
            queue.push(Reverse((0, node)));
        }
    }
    while let Some(Reverse((t, node))) = queue.pop() {
        match down.get_mut(node.index()) {
            Some(slot @ None) => *slot = Some(t),
            _ => continue,
        }
        for (dependent, edge) in graph.dependents(node) {
            if down.get(dependent.index()).is_some_and(Option::is_some) {
                continue;
            }
            match edge.origin {
                EdgeOrigin::Member(_) => {
                    if let Some(left) = to_fall.get_mut(dependent.index())
                        && *left > 0
                    {
                        *left -= 1;
                        if *left == 0 {
                            offer(&mut best, &mut queue, dependent, t);
                        }
                    }
                }
                EdgeOrigin::DependsOn(_) => {
                    offer(
                        &mut best,
                        &mut queue,
                        dependent,
                        t.saturating_add(edge.tolerance.as_secs()),
                    );
                }
            }
        }
    }
    down
}

/// Every declared category at 0.
fn zeros(model: &Model) -> BTreeMap<String, f64> {
    model
        .organization
        .categories()
        .into_iter()
        .map(|c| (c.to_owned(), 0.0))
        .collect()
}

/// The value of each declared category at `down_for` into the outage: the last step whose
/// `after` ≤ `down_for` (`None`: the last step).
pub(crate) fn impact_at(
    model: &Model,
    function: usize,
    down_for: Option<u64>,
) -> BTreeMap<String, f64> {
    let mut values = zeros(model);
    let Some(f) = model.functions.get(function) else {
        return values;
    };
    let step = f
        .impacts
        .iter()
        .filter(|s| down_for.is_none_or(|d| s.after.as_secs() <= d))
        .max_by_key(|s| s.after);
    if let Some(step) = step {
        for (category, value) in values.iter_mut() {
            *value = step.values.get(category).copied().unwrap_or(0.0);
        }
    }
    values
}

/// The impact of losing `params.lose` (DESIGN §4.C).
///
/// Complexity: O((nodes + edges) log nodes).
///
/// ```
/// use bcm_core::{Duration, Model};
/// use bcm_core::impact::{impact, ImpactParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      functions: [{id: pay, depends_on: [{id: db, tolerance: 4h}],\n\
///                   impacts: [{after: 1h, financial: 100}, {after: 1d, financial: 5000}]}]\n\
///      assets: [{id: db, kind: data}]\n",
/// )?;
/// let params = ImpactParams { lose: vec!["db".into()], at: Some(Duration::from_hours(8)) };
/// let r = impact(&m, &params)?;
/// assert_eq!(r.functions[0].down_at, 4 * 3600);
/// assert_eq!(r.functions[0].impact["financial"], 100.0); // down 4h of the 8h: the 1h step
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ImpactError::UnknownUnit`] if `lose` names something that is not a failure unit.
///
/// To run many scenarios on one model, use an [`Analyzer`], which builds the graph once.
pub fn impact(model: &Model, params: &ImpactParams) -> Result<Impact, ImpactError> {
    Analyzer::borrowed(model).impact(params)
}

pub(crate) fn compute(
    analyzer: &Analyzer<'_>,
    params: &ImpactParams,
) -> Result<Impact, ImpactError> {
    let (model, graph) = (analyzer.model(), analyzer.graph());
    let lost = graph.lost_by(&params.lose)?;
    let down = down_times(graph, model, &lost);
    let at = params.at.map(|d| d.as_secs());
    let mut totals = zeros(model);
    let mut functions = Vec::new();
    for node in functions_by_id(graph) {
        let Some(Some(down_at)) = down.get(node.index()).copied() else {
            continue;
        };
        let Some(w) = graph.weight(node) else {
            continue;
        };
        let down_for = at.map(|at| at.checked_sub(down_at));
        let impact = match down_for {
            // Not down yet at `at`: no impact so far.
            Some(None) => zeros(model),
            Some(Some(d)) => impact_at(model, w.index, Some(d)),
            None => impact_at(model, w.index, None),
        };
        for (category, value) in &impact {
            if let Some(total) = totals.get_mut(category) {
                *total = if category == FINANCIAL {
                    // Bounded, even on a model with out-of-range amounts (an E-RANGE finding):
                    // a total is never infinite (JSON has no infinity: it would read null).
                    (*total + value).min(f64::MAX)
                } else {
                    total.max(*value)
                };
            }
        }
        functions.push(FunctionImpact {
            id: graph.id(node).to_owned(),
            down_at,
            impact,
        });
    }
    Ok(Impact { functions, totals })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> Model {
        Model::from_yaml_str(&format!("bcm: 1\norganization: {{name: t}}\n{yaml}")).unwrap()
    }

    const H: u64 = 3600;

    #[test]
    fn down_times_follow_tolerances_and_groups() {
        // Lose site hq: h1, h2 at hq; h3 at dr. grp = 2-of-3 {h1,h2,h3}: down when 2 are down,
        // at the 2nd smallest member time = 0. app → grp (hard): 0. f ⇢ app tolerance 6h: 6h.
        // g → solo-grp 1-of-2 {h1, h3}: h3 never down, so never.
        let m = model(
            "sites: [{id: hq}, {id: dr}]\n\
             functions:\n\
             - {id: f, depends_on: [{id: app, tolerance: 6h}], impacts: [{after: 1h, financial: 10, operational: 1}, {after: 12h, financial: 500, operational: 3}]}\n\
             - {id: g, depends_on: [pair], impacts: [{after: 0s, financial: 7}]}\n\
             - {id: h, depends_on: [{id: f, tolerance: 1h}], impacts: [{after: 2h, financial: 1, operational: 4}]}\n\
             assets:\n\
             - {id: app, kind: application, depends_on: [grp]}\n\
             - {id: grp, kind: group, members: [h1, h2, h3], min_up: 2}\n\
             - {id: pair, kind: group, members: [h1, h3]}\n\
             - {id: h1, kind: infrastructure, site: hq}\n\
             - {id: h2, kind: infrastructure, site: hq}\n\
             - {id: h3, kind: infrastructure, site: dr}\n",
        );
        let r = impact(
            &m,
            &ImpactParams {
                lose: vec!["hq".into()],
                at: Some(Duration::from_hours(10)),
            },
        )
        .unwrap();
        let got: Vec<(&str, u64)> = r
            .functions
            .iter()
            .map(|f| (f.id.as_str(), f.down_at))
            .collect();
        assert_eq!(got, [("f", 6 * H), ("h", 7 * H)]);
        // At 10h: f down 4h → the 1h step; h down 3h → the 2h step.
        assert_eq!(r.functions[0].impact["financial"], 10.0);
        assert_eq!(r.functions[1].impact["operational"], 4.0);
        assert_eq!(r.functions[1].impact["regulatory"], 0.0);
        assert_eq!(r.totals["financial"], 11.0);
        assert_eq!(r.totals["operational"], 4.0);
        // Never recovered: the last steps.
        let r = impact(
            &m,
            &ImpactParams {
                lose: vec!["hq".into()],
                at: None,
            },
        )
        .unwrap();
        assert_eq!(r.functions[0].impact["financial"], 500.0);
        assert_eq!(r.totals["financial"], 501.0);
        assert_eq!(r.totals["operational"], 4.0);
        // Losing h3 as well takes the pair down: g at 0.
        let r = impact(
            &m,
            &ImpactParams {
                lose: vec!["hq".into(), "dr".into()],
                at: Some(Duration::ZERO),
            },
        )
        .unwrap();
        let got: Vec<(&str, u64)> = r
            .functions
            .iter()
            .map(|f| (f.id.as_str(), f.down_at))
            .collect();
        assert_eq!(got, [("f", 6 * H), ("g", 0), ("h", 7 * H)]);
        // At 0: only g has been down, for 0s, and its step is after 0s.
        assert_eq!(r.totals["financial"], 7.0);
    }

    #[test]
    fn unknown_units_are_errors() {
        let m = model("assets: [{id: a, kind: data}]\n");
        let err = impact(
            &m,
            &ImpactParams {
                lose: vec!["nope".into()],
                at: None,
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "'nope' is not an asset, group, site or vendor of the model"
        );
    }

    #[test]
    fn cycles_do_not_stop_the_sweep() {
        let m = model(
            "functions: [{id: f, depends_on: [a]}]\n\
             assets: [{id: a, kind: application, depends_on: [b]}, {id: b, kind: application, depends_on: [{id: a, tolerance: 1h}, c]}, {id: c, kind: data}]\n",
        );
        let r = impact(
            &m,
            &ImpactParams {
                lose: vec!["c".into()],
                at: None,
            },
        )
        .unwrap();
        assert_eq!(r.functions[0].down_at, 0);
    }
}
