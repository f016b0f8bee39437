//! What every analysis needs from the model about a node: its kind, its ID and its durations;
//! and reading an analysis's parameters from JSON.

use crate::graph::{Components, DependencyGraph, NodeKind};
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

/// Per node: for a redundancy group, how many members must be down for it to be down
/// (`len(members) − min_up + 1`, at least 1); 0 for any other node.
pub(crate) fn group_thresholds(model: &Model, graph: &DependencyGraph) -> Vec<usize> {
    graph
        .nodes()
        .map(|node| match graph.weight(node) {
            Some(w) if w.kind == NodeKind::Group => {
                let members = graph
                    .dependencies(node)
                    .filter(|(_, e)| matches!(e.origin, crate::graph::EdgeOrigin::Member(_)))
                    .count();
                let min_up = model.assets.get(w.index).map_or(1, |a| a.min_up() as usize);
                (members + 1).saturating_sub(min_up).max(1)
            }
            _ => 0,
        })
        .collect()
}

/// The node indices sorted by ID (ties in node order), the output order of every result.
pub(crate) fn by_id(graph: &DependencyGraph) -> Vec<NodeIndex> {
    graph.by_id().to_vec()
}

/// The function nodes sorted by ID.
pub(crate) fn functions_by_id(graph: &DependencyGraph) -> Vec<NodeIndex> {
    graph
        .by_id()
        .iter()
        .copied()
        .filter(|n| {
            graph
                .weight(*n)
                .is_some_and(|w| w.kind == NodeKind::Function)
        })
        .collect()
}

/// The strongly connected components, every component after all the components it depends on
/// (cached in the graph).
pub(crate) fn components_dependencies_first(graph: &DependencyGraph) -> &Components {
    graph.components()
}

/// The most Monte Carlo iterations one call runs (the recovery simulation, or a range of it, and
/// availability): asking for more is an error before anything is allocated. A million iterations
/// already give the figures to a few seconds or decimals; a billion take hours on a large estate.
/// Memory does not grow with the count: both stream.
pub const MAX_ITERATIONS: u64 = 1_000_000_000;

/// An analysis's parameters could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid parameters: {message}")]
pub struct ParamsError {
    /// What is wrong, naming the field.
    pub message: String,
}

/// Reads an analysis's parameters from JSON text; empty text or `null` gives the defaults.
///
/// ```
/// use bcm_core::impact::ImpactParams;
/// let p: ImpactParams = bcm_core::params_from_json(r#"{"lose": ["hq"], "at": "4h"}"#)?;
/// assert_eq!(p.at, Some(bcm_core::Duration::from_hours(4)));
/// let err = bcm_core::params_from_json::<ImpactParams>(r#"{"loose": []}"#).unwrap_err();
/// assert!(err.message.starts_with("unknown field `loose`"), "{}", err.message);
/// # Ok::<(), bcm_core::ParamsError>(())
/// ```
///
/// # Errors
/// [`ParamsError`] for text that is not JSON, an unknown field or a bad value.
pub fn params_from_json<P: serde::de::DeserializeOwned + Default>(
    text: &str,
) -> Result<P, ParamsError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "null" {
        return Ok(P::default());
    }
    serde_json::from_str(trimmed).map_err(|e| ParamsError {
        message: e.to_string(),
    })
}
