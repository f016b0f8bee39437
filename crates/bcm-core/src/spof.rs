//! Single points of failure and failover coverage (DESIGN §4.D).
//!
//! For every function, the failure units whose loss alone takes it down for good, over hard edges
//! only (T = 0), k-of-n groups counted exactly (a group's `failover_time` does not make a SPOF);
//! for every unit, the functions it takes down; and the failover coverage of SCF BCD-12.2.
//!
//! The candidate units are assets, sites and vendors. A redundancy group is not a *single* point:
//! losing one "as a unit" loses all its members at once, which would make every group a SPOF of
//! everything behind it and leave no critical function covered; the common causes that can take
//! all members at once are the sites and vendors, which are candidates. (Scenarios can still
//! lose a whole group: see [`crate::impact`].)
//!
//! One bottom-up pass instead of one propagation per unit: with `S(n)` the units whose loss alone
//! takes `n` down and `D(n)` the units that lose `n` directly,
//! `S(n) = D(n) ∪ ⋃ S(m)` over hard dependencies `m`, and for a group
//! `S(g) = {u : u ∈ S(member) for at least len − min_up + 1 members} ∪ ⋃ S(hard dependency)`.
//! Loss propagation is monotone, so this is exact on a DAG; a cyclic component is iterated to its
//! least fixpoint.

use serde::Serialize;

use crate::analysis::{components_dependencies_first, functions_by_id};
use crate::graph::{DependencyGraph, EdgeOrigin, NodeKind, UnitKind};
use crate::model::{Criticality, FailoverMode, Model};
use petgraph::graph::NodeIndex;

/// A function's single points of failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionSpofs {
    /// The function's ID.
    pub id: String,
    /// The units whose loss alone takes it down, sorted by ID.
    pub spofs: Vec<String>,
}

/// What a failure unit takes down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitBlast {
    /// The unit's ID.
    pub id: String,
    /// The functions its loss alone takes down, sorted by ID.
    pub takes_down: Vec<String>,
}

/// Failover coverage of critical functions (SCF BCD-12.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Critical functions.
    pub critical: usize,
    /// Critical functions without a single point of failure.
    pub without_spof: usize,
    /// Of those, the ones whose every redundancy group on a hard dependency path fails over in
    /// real time or near real time.
    pub with_realtime_failover: usize,
}

/// The result of [`spof`]: `{"functions", "units", "coverage"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spof {
    /// Every function, sorted by ID (an empty list when it has no SPOF).
    pub functions: Vec<FunctionSpofs>,
    /// Every candidate unit (asset, site, vendor), sorted by ID.
    pub units: Vec<UnitBlast>,
    /// Failover coverage.
    pub coverage: Coverage,
}

impl Spof {
    /// The units ranked by blast radius: most critical functions taken down first, then most
    /// functions, then ID. For human views, which cannot list millions of pairs.
    pub fn ranked_units<'a>(&'a self, model: &Model) -> Vec<(&'a UnitBlast, usize)> {
        let critical: std::collections::HashSet<&str> = model
            .functions
            .iter()
            .filter(|f| f.criticality == Some(Criticality::Critical))
            .map(|f| f.id.as_str())
            .collect();
        let mut ranked: Vec<(&UnitBlast, usize)> = self
            .units
            .iter()
            .filter(|u| !u.takes_down.is_empty())
            .map(|u| {
                (
                    u,
                    u.takes_down
                        .iter()
                        .filter(|f| critical.contains(f.as_str()))
                        .count(),
                )
            })
            .collect();
        ranked.sort_by(|(a, ca), (b, cb)| {
            cb.cmp(ca)
                .then(b.takes_down.len().cmp(&a.takes_down.len()))
                .then(a.id.cmp(&b.id))
        });
        ranked
    }
}

/// Parameters of [`spof`] (none yet).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SpofParams {}

/// Sorted union of sorted unit lists.
fn union(sets: &[&[u32]]) -> Vec<u32> {
    let mut all: Vec<u32> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Units that appear in at least `threshold` of `sets` (each set sorted, without repeats).
fn at_least(sets: &[&[u32]], threshold: usize) -> Vec<u32> {
    let mut all: Vec<u32> = sets.iter().flat_map(|s| s.iter().copied()).collect();
    all.sort_unstable();
    all.chunk_by(|a, b| a == b)
        .filter(|run| run.len() >= threshold)
        .filter_map(|run| run.first().copied())
        .collect()
}

/// Computes every function's single points of failure, every unit's blast radius and the
/// failover coverage (DESIGN §4.D).
///
/// Complexity: O(nodes + edges + Σ|S(n)| log) — linear in the graph plus the size of the answer.
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::spof::{spof, SpofParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\nsites: [{id: hq}]\n\
///      functions: [{id: pay, criticality: critical, depends_on: [app]}]\n\
///      assets:\n\
///      - {id: app, kind: application, depends_on: [pair]}\n\
///      - {id: pair, kind: group, members: [db1, db2], failover: real-time}\n\
///      - {id: db1, kind: data, site: hq}\n\
///      - {id: db2, kind: data, site: hq}\n",
/// )?;
/// let r = spof(&m, &SpofParams::default());
/// // db1 or db2 alone is covered by the pair; the app and the site they share are not.
/// assert_eq!(r.functions[0].spofs, ["app", "hq"]);
/// assert_eq!(r.coverage.critical, 1);
/// assert_eq!(r.coverage.without_spof, 0);
/// # Ok::<(), bcm_core::ModelError>(())
/// ```
pub fn spof(model: &Model, _params: &SpofParams) -> Spof {
    let graph = DependencyGraph::new(model);
    let units: Vec<_> = graph
        .failure_units()
        .into_iter()
        .filter(|u| u.kind != UnitKind::Group)
        .collect();
    let n = graph.node_count();
    let mut direct: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (u, unit) in units.iter().enumerate() {
        let u = u32::try_from(u).unwrap_or(u32::MAX);
        for node in &unit.lost {
            if let Some(d) = direct.get_mut(node.index()) {
                d.push(u);
            }
        }
    }
    let thresholds: Vec<usize> = graph
        .nodes()
        .map(|node| match graph.weight(node) {
            Some(w) if w.kind == NodeKind::Group => {
                let members = graph
                    .dependencies(node)
                    .filter(|(_, e)| matches!(e.origin, EdgeOrigin::Member(_)))
                    .count();
                let min_up = model.assets.get(w.index).map_or(1, |a| a.min_up() as usize);
                (members + 1).saturating_sub(min_up).max(1)
            }
            _ => 0,
        })
        .collect();

    let mut sets: Vec<Vec<u32>> = vec![Vec::new(); n];
    let compute = |sets: &Vec<Vec<u32>>, node: NodeIndex| -> Vec<u32> {
        let empty: &[u32] = &[];
        let own = direct.get(node.index()).map_or(empty, Vec::as_slice);
        let mut hard: Vec<&[u32]> = vec![own];
        let mut members: Vec<&[u32]> = Vec::new();
        for (dep, edge) in graph.dependencies(node) {
            let set = sets.get(dep.index()).map_or(empty, Vec::as_slice);
            match edge.origin {
                EdgeOrigin::Member(_) => members.push(set),
                EdgeOrigin::DependsOn(_) if edge.is_hard() => hard.push(set),
                EdgeOrigin::DependsOn(_) => {}
            }
        }
        let threshold = thresholds.get(node.index()).copied().unwrap_or(0);
        if threshold > 0 {
            let from_members = at_least(&members, threshold);
            hard.push(&from_members);
            union(&hard)
        } else {
            union(&hard)
        }
    };
    for component in components_dependencies_first(&graph) {
        let cyclic = component.len() > 1
            || component
                .first()
                .is_some_and(|c| graph.dependencies(*c).any(|(d, _)| d == *c));
        loop {
            let mut changed = false;
            for &node in &component {
                let set = compute(&sets, node);
                if let Some(slot) = sets.get_mut(node.index())
                    && *slot != set
                {
                    *slot = set;
                    changed = true;
                }
            }
            if !cyclic || !changed {
                break;
            }
        }
    }

    let realtime = realtime_paths(model, &graph);
    let mut blast: Vec<Vec<String>> = vec![Vec::new(); units.len()];
    let mut functions = Vec::new();
    let mut coverage = Coverage {
        critical: 0,
        without_spof: 0,
        with_realtime_failover: 0,
    };
    for node in functions_by_id(&graph) {
        let set = sets.get(node.index()).cloned().unwrap_or_default();
        let id = graph.id(node).to_owned();
        for &u in &set {
            if let Some(b) = blast.get_mut(u as usize) {
                b.push(id.clone());
            }
        }
        let critical = graph
            .weight(node)
            .and_then(|w| model.functions.get(w.index))
            .is_some_and(|f| f.criticality == Some(Criticality::Critical));
        if critical {
            coverage.critical += 1;
            if set.is_empty() {
                coverage.without_spof += 1;
                if realtime.get(node.index()).copied().unwrap_or(false) {
                    coverage.with_realtime_failover += 1;
                }
            }
        }
        let spofs = set
            .iter()
            .filter_map(|u| units.get(*u as usize).map(|unit| unit.id.to_string()))
            .collect();
        functions.push(FunctionSpofs { id, spofs });
    }
    let units = units
        .into_iter()
        .zip(blast)
        .map(|(unit, takes_down)| UnitBlast {
            id: unit.id.to_string(),
            takes_down,
        })
        .collect();
    Spof {
        functions,
        units,
        coverage,
    }
}

/// Per node: whether every redundancy group reachable over hard edges fails over in real time
/// or near real time.
fn realtime_paths(model: &Model, graph: &DependencyGraph) -> Vec<bool> {
    let mut ok = vec![true; graph.node_count()];
    for component in components_dependencies_first(graph) {
        let mut all = true;
        for &node in &component {
            if let Some(w) = graph.weight(node)
                && w.kind == NodeKind::Group
            {
                let mode = model.assets.get(w.index).and_then(|a| a.failover);
                all &= matches!(
                    mode,
                    Some(FailoverMode::RealTime | FailoverMode::NearRealTime)
                );
            }
            for (dep, edge) in graph.dependencies(node) {
                let hard = edge.is_hard() || matches!(edge.origin, EdgeOrigin::Member(_));
                if hard && !component.contains(&dep) {
                    all &= ok.get(dep.index()).copied().unwrap_or(true);
                }
            }
        }
        for node in component {
            if let Some(slot) = ok.get_mut(node.index()) {
                *slot = all;
            }
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> Model {
        Model::from_yaml_str(&format!("bcm: 1\norganization: {{name: t}}\n{yaml}")).unwrap()
    }

    #[test]
    fn k_of_n_sites_vendors_and_soft_edges() {
        // f → app → grp (2-of-3: h1@hq, h2@hq, h3@dr): losing hq takes two members: down.
        // Losing any single host leaves 2 up: not a SPOF. f ⇢ mail (soft): never a SPOF.
        // mail is supplied by acme; app depends on vendor saas (hard).
        let m = model(
            "sites: [{id: hq}, {id: dr}]\n\
             vendors: [{id: acme}, {id: saas}]\n\
             functions:\n\
             - {id: f, criticality: critical, depends_on: [app, {id: mail, tolerance: 1d}]}\n\
             - {id: g, criticality: critical, depends_on: [grp]}\n\
             - {id: h, depends_on: [f]}\n\
             assets:\n\
             - {id: app, kind: application, depends_on: [grp, saas]}\n\
             - {id: grp, kind: group, members: [h1, h2, h3], min_up: 2, failover: manual}\n\
             - {id: h1, kind: infrastructure, site: hq}\n\
             - {id: h2, kind: infrastructure, site: hq}\n\
             - {id: h3, kind: infrastructure, site: dr}\n\
             - {id: mail, kind: service, vendor: acme}\n",
        );
        let r = spof(&m, &SpofParams::default());
        let f: Vec<(&str, Vec<&str>)> = r
            .functions
            .iter()
            .map(|f| (f.id.as_str(), f.spofs.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            f,
            [
                ("f", vec!["app", "hq", "saas"]),
                ("g", vec!["hq"]),
                ("h", vec!["app", "hq", "saas"]),
            ]
        );
        let u: Vec<(&str, usize)> = r
            .units
            .iter()
            .map(|u| (u.id.as_str(), u.takes_down.len()))
            .collect();
        assert_eq!(
            u,
            [
                ("acme", 0),
                ("app", 2),
                ("dr", 0),
                ("h1", 0),
                ("h2", 0),
                ("h3", 0),
                ("hq", 3),
                ("mail", 0),
                ("saas", 2)
            ]
        );
        assert_eq!(
            r.coverage,
            Coverage {
                critical: 2,
                without_spof: 0,
                with_realtime_failover: 0
            }
        );
        let ranked: Vec<&str> = r
            .ranked_units(&m)
            .iter()
            .map(|(u, _)| u.id.as_str())
            .collect();
        assert_eq!(ranked, ["hq", "app", "saas"]);
    }

    #[test]
    fn coverage_counts_realtime_failover() {
        let m = model(
            "functions:\n\
             - {id: a, criticality: critical, depends_on: [rt]}\n\
             - {id: b, criticality: critical, depends_on: [man]}\n\
             - {id: c, criticality: high, depends_on: [x1]}\n\
             assets:\n\
             - {id: rt, kind: group, members: [x1, x2], failover: near-real-time}\n\
             - {id: man, kind: group, members: [x1, x2], failover: manual}\n\
             - {id: x1, kind: infrastructure}\n\
             - {id: x2, kind: infrastructure}\n",
        );
        let r = spof(&m, &SpofParams::default());
        assert_eq!(
            r.coverage,
            Coverage {
                critical: 2,
                without_spof: 2,
                with_realtime_failover: 1
            }
        );
        assert_eq!(r.functions[2].spofs, ["x1"]);
    }
}
