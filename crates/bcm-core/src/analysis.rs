//! What every analysis needs from the model about a node: its kind, its ID and its durations.

use crate::graph::{DependencyGraph, NodeKind};
use crate::model::{Duration, Estimate, Model};
use petgraph::graph::NodeIndex;

/// A node's `dur` of DESIGN §3, as `likely` seconds: `resume` for a function, `restore` for an
/// asset or vendor (as if lost), 0 for a group; missing counts as 0.
pub(crate) fn duration(model: &Model, graph: &DependencyGraph, n: NodeIndex) -> u64 {
    let likely = |e: Option<&Estimate<Duration>>| e.map_or(0, |e| e.likely().as_secs());
    match graph.weight(n) {
        Some(node) => match node.kind {
            NodeKind::Function => likely(
                model
                    .functions
                    .get(node.index)
                    .and_then(|f| f.resume.as_ref()),
            ),
            NodeKind::Asset => likely(
                model
                    .assets
                    .get(node.index)
                    .and_then(|a| a.restore.as_ref()),
            ),
            NodeKind::Vendor => likely(
                model
                    .vendors
                    .get(node.index)
                    .and_then(|v| v.restore.as_ref()),
            ),
            NodeKind::Group => 0,
        },
        None => 0,
    }
}

/// The node indices sorted by ID (ties in node order), the output order of every result.
pub(crate) fn by_id(graph: &DependencyGraph) -> Vec<NodeIndex> {
    let mut nodes: Vec<NodeIndex> = graph.nodes().collect();
    nodes.sort_by(|a, b| graph.id(*a).cmp(graph.id(*b)).then(a.cmp(b)));
    nodes
}

/// The function nodes sorted by ID.
pub(crate) fn functions_by_id(graph: &DependencyGraph) -> Vec<NodeIndex> {
    by_id(graph)
        .into_iter()
        .filter(|n| {
            graph
                .weight(*n)
                .is_some_and(|w| w.kind == NodeKind::Function)
        })
        .collect()
}

/// The strongly connected components, every component after all the components it depends on.
/// petgraph's Kosaraju returns them in post-order of the dependency direction, which is exactly
/// that (iterative, linear).
pub(crate) fn components_dependencies_first(graph: &DependencyGraph) -> Vec<Vec<NodeIndex>> {
    petgraph::algo::kosaraju_scc(graph.inner())
}
