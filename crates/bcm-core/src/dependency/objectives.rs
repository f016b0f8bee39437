//! Required objectives (DESIGN §4.B): the backward pass.
//!
//! For every node, the latest time after a disruption by which it must be back so that every
//! function meets its RTO:
//!
//! `required(n) = min(rto(n) if n is a function, min over edges d→n of max(T, required(d) − dur(d)))`
//!
//! where `dur(d)` is `resume` for a function, `restore` for an asset or vendor (as if lost, so the
//! pass needs no scenario) and 0 for a group; `None` when nothing needs the node. Likewise
//! `required_rpo(n)`: the smallest RPO of the functions that depend on `n` through any chain (a
//! function counts its own). Nodes on or downstream of a dependency cycle have no order and are
//! left `None` (validation reports the cycle as `E-CYCLE`).

use crate::Analyzer;
use std::collections::HashMap;

use serde::Serialize;

use crate::analysis::{by_id, components_dependencies_first, duration};
use crate::graph::{DependencyGraph, NodeKind};
use crate::model::Model;

/// A gap between what is required and what is achievable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Gap {
    /// Required time below the node's own restore (or resume) time.
    #[serde(rename = "G-RTO")]
    Rto,
    /// Backup interval above the required RPO.
    #[serde(rename = "G-RPO")]
    Rpo,
    /// A redundancy group whose switchover alone exceeds its required time.
    #[serde(rename = "G-FAILOVER")]
    Failover,
    /// The `G-RTO` check used an exercise's measured restore time, longer than the declared one.
    #[serde(rename = "G-MEASURED")]
    Measured,
}

impl Gap {
    /// The code as written in results (`G-RTO`).
    pub fn as_str(self) -> &'static str {
        match self {
            Gap::Rto => "G-RTO",
            Gap::Rpo => "G-RPO",
            Gap::Failover => "G-FAILOVER",
            Gap::Measured => "G-MEASURED",
        }
    }
}

/// The figures behind one gap, so that a reader sees how far apart required and achievable are.
///
/// | gap | `required` | `achievable` |
/// |---|---|---|
/// | `G-RTO` | the node's required time | its restore (resume for a function), the measured one if longer |
/// | `G-RPO` | the required RPO | its backup interval |
/// | `G-FAILOVER` | the group's required time | its `failover_time` |
/// | `G-MEASURED` | the declared restore | the longer restore an exercise measured |
///
/// All in seconds. Not part of the JSON shape of DESIGN §5, which lists only the codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GapFigures {
    /// Which gap.
    pub gap: Gap,
    /// What the model requires (see the table).
    pub required: u64,
    /// What the node achieves (see the table).
    pub achievable: u64,
}

/// One node's required objectives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeObjectives {
    /// The node's ID.
    pub id: String,
    /// `function`, `asset`, `group` or `vendor`.
    pub kind: &'static str,
    /// Seconds after the disruption by which it must be back; `None` if nothing needs it.
    pub required: Option<u64>,
    /// The RPO it must support, in seconds; `None` if nothing needs it.
    pub required_rpo: Option<u64>,
    /// Its gaps, sorted.
    pub gaps: Vec<Gap>,
    /// The figures behind each gap, in the order of `gaps`.
    #[serde(skip)]
    pub figures: Vec<GapFigures>,
}

/// The result of [`objectives`]: `{"nodes": [...]}`, sorted by ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objectives {
    /// Every node of the dependency graph.
    pub nodes: Vec<NodeObjectives>,
}

/// Parameters of [`objectives`] (none yet; here so that callers need not change when some come).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ObjectivesParams {}

/// Computes every node's required time and RPO and the gaps (DESIGN §4.B).
///
/// Complexity: O(nodes + edges), one pass over the strongly connected components in reverse
/// dependency order.
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::objectives::{objectives, ObjectivesParams, Gap};
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      functions: [{id: pay, rto: 8h, rpo: 1h, resume: 2h, depends_on: [db]}]\n\
///      assets: [{id: db, kind: data, restore: 8h, backup_interval: 4h}]\n",
/// )?;
/// let r = objectives(&m, &ObjectivesParams::default());
/// let db = r.nodes.iter().find(|n| n.id == "db").unwrap();
/// assert_eq!(db.required, Some(6 * 3600)); // 8h RTO − 2h to resume payroll
/// assert_eq!(db.required_rpo, Some(3600));
/// assert_eq!(db.gaps, [Gap::Rto, Gap::Rpo]); // 8h restore > 6h; 4h backups > 1h RPO
/// # Ok::<(), bcm_core::ModelError>(())
/// ```
///
/// To run several analyses on one model, use an [`Analyzer`], which builds the graph and the
/// required times once.
pub fn objectives(model: &Model, params: &ObjectivesParams) -> Objectives {
    Analyzer::borrowed(model).objectives(params)
}

pub(crate) fn compute(analyzer: &Analyzer<'_>, _params: &ObjectivesParams) -> Objectives {
    let (model, graph) = (analyzer.model(), analyzer.graph());
    let RequiredTimes {
        durations,
        required,
        required_rpo,
    } = analyzer.required_times();

    let measured = measured_restores(model);
    let nodes = by_id(graph)
        .into_iter()
        .map(|node| {
            let req = required.get(node.index()).copied().flatten();
            let rpo = required_rpo.get(node.index()).copied().flatten();
            let id = graph.id(node);
            let mut figures = Vec::new();
            let kind = graph.weight(node).map_or(NodeKind::Asset, |w| w.kind);
            if let Some(req) = req {
                let declared = durations.get(node.index()).copied().unwrap_or(0);
                let measured = measured.get(id).copied().filter(|m| *m > declared);
                let achievable = measured.unwrap_or(declared);
                if req < achievable {
                    figures.push(GapFigures {
                        gap: Gap::Rto,
                        required: req,
                        achievable,
                    });
                    if let Some(measured) = measured {
                        figures.push(GapFigures {
                            gap: Gap::Measured,
                            required: declared,
                            achievable: measured,
                        });
                    }
                }
            }
            if let Some(w) = graph.weight(node)
                && matches!(w.kind, NodeKind::Asset | NodeKind::Group)
                && let Some(asset) = model.assets.get(w.index)
            {
                if let (Some(rpo), Some(backup)) = (rpo, asset.backup_interval)
                    && backup.as_secs() > rpo
                {
                    figures.push(GapFigures {
                        gap: Gap::Rpo,
                        required: rpo,
                        achievable: backup.as_secs(),
                    });
                }
                if let (Some(req), Some(failover)) = (req, asset.failover_time)
                    && w.kind == NodeKind::Group
                    && failover.as_secs() > req
                {
                    figures.push(GapFigures {
                        gap: Gap::Failover,
                        required: req,
                        achievable: failover.as_secs(),
                    });
                }
            }
            figures.sort_by_key(|f| f.gap);
            let gaps = figures.iter().map(|f| f.gap).collect();
            NodeObjectives {
                id: id.to_owned(),
                kind: kind.as_str(),
                required: req,
                required_rpo: rpo,
                gaps,
                figures,
            }
        })
        .collect();
    Objectives { nodes }
}

/// The backward pass's results, indexed by node.
#[derive(Debug, Clone)]
pub(crate) struct RequiredTimes {
    /// Each node's `dur` of DESIGN §3 on declared (`likely`) values.
    pub(crate) durations: Vec<u64>,
    /// Required time; `None`: nothing needs the node, or it is blocked by a cycle.
    pub(crate) required: Vec<Option<u64>>,
    /// Required RPO; `None` likewise.
    pub(crate) required_rpo: Vec<Option<u64>>,
}

/// Every node's required time and required RPO. The pass is scenario-free: an [`Analyzer`]
/// runs it once and the objectives and every schedule share it.
pub(crate) fn required_times(analyzer: &Analyzer<'_>) -> RequiredTimes {
    let (model, graph) = (analyzer.model(), analyzer.graph());
    let durations: Vec<u64> = graph.nodes().map(|x| duration(model, graph, x)).collect();
    let (required, required_rpo) = backward_pass(model, graph, &durations);
    RequiredTimes {
        durations,
        required,
        required_rpo,
    }
}

fn backward_pass(
    model: &Model,
    graph: &DependencyGraph,
    durations: &[u64],
) -> (Vec<Option<u64>>, Vec<Option<u64>>) {
    let n = graph.node_count();
    let blocked = graph.blocked();
    let mut required: Vec<Option<u64>> = vec![None; n];
    let mut required_rpo: Vec<Option<u64>> = vec![None; n];

    // Dependents before dependencies: the reverse of the dependencies-first component order.
    for component in components_dependencies_first(graph).iter().rev() {
        for &node in component {
            if blocked.get(node.index()).copied().unwrap_or(true) {
                continue;
            }
            let (mut req, mut rpo) = (None::<u64>, None::<u64>);
            if let Some(w) = graph.weight(node)
                && w.kind == NodeKind::Function
                && let Some(f) = model.functions.get(w.index)
            {
                req = f.rto.map(|d| d.as_secs());
                rpo = f.rpo.map(|d| d.as_secs());
            }
            for (dependent, edge) in graph.dependents(node) {
                let Some(&Some(r)) = required.get(dependent.index()) else {
                    continue;
                };
                let dur = durations.get(dependent.index()).copied().unwrap_or(0);
                let candidate = edge.tolerance.as_secs().max(r.saturating_sub(dur));
                req = Some(req.map_or(candidate, |x| x.min(candidate)));
            }
            for (dependent, _) in graph.dependents(node) {
                if let Some(&Some(r)) = required_rpo.get(dependent.index()) {
                    rpo = Some(rpo.map_or(r, |x| x.min(r)));
                }
            }
            if let Some(slot) = required.get_mut(node.index()) {
                *slot = req;
            }
            if let Some(slot) = required_rpo.get_mut(node.index()) {
                *slot = rpo;
            }
        }
    }

    (required, required_rpo)
}

/// The longest restore time any exercise measured for each node.
fn measured_restores(model: &Model) -> HashMap<&str, u64> {
    let mut measured: HashMap<&str, u64> = HashMap::new();
    for exercise in &model.exercises {
        for (id, took) in &exercise.achieved {
            let entry = measured.entry(id.as_str()).or_insert(0);
            *entry = (*entry).max(took.as_secs());
        }
    }
    measured
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> Model {
        Model::from_yaml_str(&format!("bcm: 1\norganization: {{name: t}}\n{yaml}")).unwrap()
    }

    fn get<'a>(r: &'a Objectives, id: &str) -> &'a NodeObjectives {
        r.nodes.iter().find(|n| n.id == id).unwrap()
    }

    const H: u64 = 3600;

    #[test]
    fn hand_worked_chain_with_soft_edge_and_group() {
        // pay (rto 10h, resume 1h) → app (restore 2h) → grp{h1,h2} → h1, h2 (restore 3h);
        // pay ⇢ mail with tolerance 12h.
        // required(app) = max(0, 10h − 1h) = 9h; required(grp) = max(0, 9h − 2h) = 7h;
        // required(h1) = max(0, 7h − 0) = 7h (a group has no dur);
        // required(mail) = max(12h, 10h − 1h) = 12h: the workaround outlasts the RTO.
        let m = model(
            "functions: [{id: pay, rto: 10h, rpo: 2h, resume: 1h, depends_on: [app, {id: mail, tolerance: 12h}]}]\n\
             assets:\n\
             - {id: app, kind: application, restore: 2h, depends_on: [grp]}\n\
             - {id: grp, kind: group, members: [h1, h2], failover_time: 8h}\n\
             - {id: h1, kind: infrastructure, restore: 3h, backup_interval: 1h}\n\
             - {id: h2, kind: infrastructure, restore: 8h, backup_interval: 3h}\n\
             - {id: mail, kind: service, restore: 4h}\n\
             - {id: unused, kind: service, restore: 1h}\n",
        );
        let r = objectives(&m, &ObjectivesParams::default());
        let ids: Vec<&str> = r.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["app", "grp", "h1", "h2", "mail", "pay", "unused"]);
        assert_eq!(get(&r, "pay").required, Some(10 * H));
        assert_eq!(get(&r, "app").required, Some(9 * H));
        assert_eq!(get(&r, "grp").required, Some(7 * H));
        assert_eq!(get(&r, "h1").required, Some(7 * H));
        assert_eq!(get(&r, "mail").required, Some(12 * H));
        assert_eq!(get(&r, "unused").required, None);
        assert_eq!(get(&r, "h2").required_rpo, Some(2 * H));
        assert_eq!(get(&r, "unused").required_rpo, None);
        // h2: restore 8h > 7h (G-RTO), backups every 3h > 2h RPO (G-RPO); grp: 8h switchover > 7h.
        assert_eq!(get(&r, "h2").gaps, [Gap::Rto, Gap::Rpo]);
        assert_eq!(get(&r, "grp").gaps, [Gap::Failover]);
        assert_eq!(get(&r, "h1").gaps, []);
        let figures = |id| -> Vec<(Gap, u64, u64)> {
            get(&r, id)
                .figures
                .iter()
                .map(|f| (f.gap, f.required, f.achievable))
                .collect()
        };
        assert_eq!(
            figures("h2"),
            [(Gap::Rto, 7 * H, 8 * H), (Gap::Rpo, 2 * H, 3 * H)]
        );
        assert_eq!(figures("grp"), [(Gap::Failover, 7 * H, 8 * H)]);
        assert_eq!(figures("h1"), []);
        assert_eq!(get(&r, "pay").kind, "function");
        assert_eq!(get(&r, "grp").kind, "group");
    }

    #[test]
    fn the_tightest_dependent_wins() {
        // a (rto 4h, resume 1h) and b (rto 1d, resume 0) both need db: required(db) = min(3h, 1d).
        let m = model(
            "functions: [{id: a, rto: 4h, rpo: 1d, resume: 1h, depends_on: [db]}, {id: b, rto: 1d, rpo: 1h, depends_on: [a, db]}]\n\
             assets: [{id: db, kind: data, restore: 3h}]\n",
        );
        let r = objectives(&m, &ObjectivesParams::default());
        assert_eq!(get(&r, "db").required, Some(3 * H));
        // b needs a by 1d (a's own RTO of 4h is tighter).
        assert_eq!(get(&r, "a").required, Some(4 * H));
        assert_eq!(get(&r, "a").required_rpo, Some(H));
        assert_eq!(get(&r, "db").gaps, []);
    }

    #[test]
    fn a_measured_restore_longer_than_declared_is_used_and_said() {
        let m = model(
            "functions: [{id: f, rto: 4h, depends_on: [db, app]}]\n\
             assets: [{id: db, kind: data, restore: 3h}, {id: app, kind: application, restore: 1h}]\n\
             exercises: [{id: x, kind: test, date: 2026-01-01, achieved: {db: 5h, app: 30m}}]\n",
        );
        let r = objectives(&m, &ObjectivesParams::default());
        assert_eq!(get(&r, "db").gaps, [Gap::Rto, Gap::Measured]);
        // Required by 4h, the exercise took 5h; declared 3h.
        let db = &get(&r, "db").figures;
        assert_eq!((db[0].required, db[0].achievable), (4 * H, 5 * H));
        assert_eq!((db[1].required, db[1].achievable), (3 * H, 5 * H));
        assert_eq!(get(&r, "app").gaps, []);
    }

    #[test]
    fn cycles_leave_their_nodes_without_objectives() {
        let m = model(
            "functions: [{id: f, rto: 4h, depends_on: [a]}, {id: g, rto: 2h, depends_on: [c]}]\n\
             assets: [{id: a, kind: application, depends_on: [b]}, {id: b, kind: application, depends_on: [a, c]}, {id: c, kind: data}]\n",
        );
        let r = objectives(&m, &ObjectivesParams::default());
        assert_eq!(get(&r, "f").required, None);
        assert_eq!(get(&r, "a").required, None);
        assert_eq!(get(&r, "c").required, Some(2 * H));
    }
}
