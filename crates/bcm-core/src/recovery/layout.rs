//! What every schedule of one model shares, laid out once per graph for the engine's plans: the
//! nodes in ID order (their "rank"), with their scenario-free facts and edges as flat arrays
//! indexed by rank, and a topological order.
//!
//! Preparing a plan from these touches each reached node's facts and edges in ascending rank,
//! which is the plan's own order, instead of chasing model entries and edge lists across memory:
//! on a 50,000-asset model that is most of the time a schedule takes.

use petgraph::graph::NodeIndex;

use super::bits::NO;
use super::index::At;
use crate::Analyzer;
use crate::graph::{EdgeOrigin, NodeKind};
use crate::rows::{Rows, kahn};

/// A dependency edge seen from its dependent, the dependency named by rank.
#[derive(Debug, Clone, Copy)]
struct Link {
    to: u32,
    member: bool,
    tolerance: u64,
}

/// The scenario-free facts of every node, by rank. Built once per graph (see
/// [`DependencyGraph`]'s cache).
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    /// Rank → graph node.
    pub(crate) node: Vec<NodeIndex>,
    pub(crate) kind: Vec<NodeKind>,
    /// On or downstream of a cycle: no schedule places it.
    pub(crate) blocked: Vec<bool>,
    /// What depends on each node (ranks), blocked nodes left out.
    pub(crate) dependents: Rows<u32>,
    /// What each node depends on (ranks), each row sorted by rank. The edge at position j of
    /// the flat array has tolerance `tolerance[j]` seconds, and is a group membership (the
    /// group's own rule decides, not the edge) if bit j of `member` is set. Apart, because
    /// preparing a plan reads every edge's end but the rest only of edges inside the plan.
    pub(crate) dependencies: Rows<u32>,
    pub(crate) tolerance: Vec<u64>,
    pub(crate) member: Vec<u64>,
    /// An asset's dense team number ([`NO`]: none).
    pub(crate) team: Vec<u32>,
    /// Per team number: how many restores it runs at once.
    pub(crate) capacity: Vec<u32>,
    /// `likely` of the estimate that is a node's `dur` when it counts: a function's resume, an
    /// asset's or vendor's restore (which counts only when it is lost); 0 for groups.
    pub(crate) likely: Vec<u64>,
    /// Per group: how many members must be down for it to be down (0 for other nodes).
    pub(crate) threshold: Vec<u32>,
    /// Per group: its failover time in seconds.
    pub(crate) failover: Vec<u64>,
    /// Required times (objectives, §4.B).
    pub(crate) required: Vec<Option<u64>>,
    /// Each unblocked node's place in a topological order (dependencies first); [`NO`] if
    /// blocked.
    pub(crate) topological: Vec<u32>,
    /// The unblocked nodes (ranks) in that order.
    pub(crate) topological_order: Vec<u32>,
}

impl Layout {
    /// Built once per [`Analyzer`] (see [`Analyzer::layout`]).
    pub(crate) fn build(analyzer: &Analyzer<'_>) -> Layout {
        let (model, graph) = (analyzer.model(), analyzer.graph());
        let ranks = graph.ranks();
        let rank_of = |n: NodeIndex| ranks.get(n.index()).copied().unwrap_or(NO);
        let by_id = graph.by_id();
        let count = by_id.len();
        let graph_blocked = graph.blocked();
        let required = &analyzer.required_times().required;

        let mut team_number: std::collections::BTreeMap<&str, u32> = Default::default();
        let mut capacity: Vec<u32> = Vec::new();
        for t in &model.teams {
            if !team_number.contains_key(t.id.as_str()) {
                let number = u32::try_from(capacity.len()).unwrap_or(NO);
                team_number.insert(t.id.as_str(), number);
                // A team without capacity restores one thing at a time; capacity 0 (a
                // validation error) is read as 1, so that its work is still done.
                capacity.push(t.capacity.unwrap_or(1).max(1));
            }
        }

        let mut layout = Layout {
            node: by_id.to_vec(),
            kind: Vec::with_capacity(count),
            blocked: Vec::with_capacity(count),
            capacity,
            team: Vec::with_capacity(count),
            likely: Vec::with_capacity(count),
            threshold: Vec::with_capacity(count),
            failover: Vec::with_capacity(count),
            required: Vec::with_capacity(count),
            ..Layout::default()
        };
        let deps = &mut layout.dependencies;
        *deps = Rows::with_capacity(count, graph.edge_count());
        layout.tolerance.reserve(graph.edge_count());
        layout.member = vec![0; graph.edge_count().div_ceil(64)];
        let mut row: Vec<Link> = Vec::new();
        for &n in by_id {
            let w = graph.weight(n);
            let kind = w.map_or(NodeKind::Asset, |w| w.kind);
            let index = w.map_or(0, |w| w.index);
            row.clear();
            let mut members = 0u32;
            for (dep, edge) in graph.dependencies(n) {
                let member = matches!(edge.origin, EdgeOrigin::Member(_));
                members += u32::from(member);
                row.push(Link {
                    to: rank_of(dep),
                    member,
                    tolerance: edge.tolerance.as_secs(),
                });
            }
            row.sort_unstable_by_key(|l| l.to);
            for link in &row {
                if link.member
                    && let Some(w) = layout.member.get_mut(deps.items_len() / 64)
                {
                    *w |= 1u64 << (deps.items_len() % 64);
                }
                deps.push(link.to);
                layout.tolerance.push(link.tolerance);
            }
            // petgraph numbers edges in u32, so a graph's edges always fit the rows' positions.
            let ended = deps.end_row();
            debug_assert!(ended, "more edges than a graph holds");
            let (mut team, mut likely, mut threshold, mut failover) = (NO, 0, 0, 0);
            match kind {
                NodeKind::Function => {
                    likely = model
                        .functions
                        .get(index)
                        .and_then(|f| f.resume)
                        .map_or(0, |e| e.likely().as_secs());
                }
                NodeKind::Asset | NodeKind::Group => {
                    if let Some(a) = model.assets.get(index) {
                        if kind == NodeKind::Group {
                            failover = a.failover_time.map_or(0, |d| d.as_secs());
                            threshold = (members + 1).saturating_sub(a.min_up()).max(1);
                        } else {
                            likely = a.restore.map_or(0, |e| e.likely().as_secs());
                            team = a
                                .team
                                .as_ref()
                                .and_then(|t| team_number.get(t.as_str()).copied())
                                .unwrap_or(NO);
                        }
                    }
                }
                NodeKind::Vendor => {
                    likely = model
                        .vendors
                        .get(index)
                        .and_then(|v| v.restore)
                        .map_or(0, |e| e.likely().as_secs());
                }
            }
            layout.kind.push(kind);
            layout
                .blocked
                .push(graph_blocked.get(n.index()).copied().unwrap_or(true));
            layout.team.push(team);
            layout.likely.push(likely);
            layout.threshold.push(threshold);
            layout.failover.push(failover);
            layout
                .required
                .push(required.get(n.index()).copied().flatten());
        }

        // Dependents: each row in dependent order, blocked dependents left out (a dependent of
        // a blocked node is blocked too).
        let dependencies = &layout.dependencies;
        let blocked = &layout.blocked;
        let edges = (0..count)
            .filter(|&r| !blocked.at(r))
            .filter_map(|r| u32::try_from(r).ok())
            .flat_map(|r| dependencies.row(r).iter().map(move |&to| (to, r)));
        // As many edges as the dependencies' rows, which fit.
        let dependents = Rows::grouped(count, edges);
        debug_assert!(
            dependents.is_some(),
            "the dependents outgrew their dependencies"
        );
        layout.dependents = dependents.unwrap_or_default();
        let pending: Vec<u32> = (0..count)
            .map(|r| {
                let row = u32::try_from(r).map_or(0, |r| dependencies.row(r).len());
                u32::try_from(row).unwrap_or(u32::MAX)
            })
            .collect();

        // Kahn's algorithm over the unblocked nodes (a blocked node never becomes ready).
        let blocked = &layout.blocked;
        let order = kahn(&layout.dependents, pending, |r| !blocked.at(r));
        layout.topological = vec![NO; count];
        for (place, &r) in order.iter().enumerate() {
            if let (Some(slot), Ok(place)) =
                (layout.topological.get_mut(r as usize), u32::try_from(place))
            {
                *slot = place;
            }
        }
        layout.topological_order = order;
        layout
    }
}
