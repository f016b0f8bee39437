//! Circular dependencies (`E-CYCLE`), each named with its path.
//!
//! The references check resolves every dependency edge anyway, so it records them, and a cheap
//! Kahn pass over those tells whether there is a cycle at all: the usual, acyclic model never
//! builds the full dependency graph to be validated (on the `large` estate the graph costs about
//! as much as all of validation, and "load + validate faster than json.loads" has no room for
//! it). A model with a cycle, or with a duplicated ID (which the recorded edges cannot tell
//! apart), is handed to the analyzer's graph, which names each cycle; the analyses reuse it.
//!
//! Invariant: the cycles reported are exactly the graph's [`cycles`](crate::DependencyGraph::cycles).

use crate::finding::Code;
use crate::graph::{EdgeOrigin, NodeKind};
use crate::rows::{Rows, kahn};

use super::{Checker, section};

impl Checker<'_> {
    pub(super) fn cycles(&mut self) {
        let nodes = self.model.functions.len() + self.model.assets.len() + self.model.vendors.len();
        if !self.duplicate_ids && acyclic(nodes, &self.edges) {
            return;
        }
        let graph = self.analyzer.graph();
        for cycle in graph.cycles() {
            let names: Vec<&str> = cycle.nodes.iter().map(|n| graph.id(*n)).collect();
            let Some(&start) = cycle.nodes.first() else {
                continue;
            };
            let Some(node) = graph.weight(start) else {
                continue;
            };
            let Some(edge) = graph.inner().edge_weight(cycle.first_edge) else {
                continue;
            };
            let entity = match node.kind {
                NodeKind::Function => section("functions", node.index),
                NodeKind::Asset | NodeKind::Group => section("assets", node.index),
                NodeKind::Vendor => section("vendors", node.index),
            };
            let path = match edge.origin {
                EdgeOrigin::DependsOn(j) => entity.key("depends_on").index(j),
                EdgeOrigin::Member(j) => entity.key("members").index(j),
            };
            let mut chain = names.join(" → ");
            if let Some(first) = names.first() {
                chain.push_str(" → ");
                chain.push_str(first);
            }
            let message = if names.len() == 1 {
                format!(
                    "circular dependency: '{}' depends on itself",
                    names.join("")
                )
            } else {
                format!("circular dependency: {chain}; none of these can be recovered first")
            };
            let entities: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
            self.report(Code::Cycle, &path, message, entities);
        }
    }
}

/// Whether the graph of `nodes` nodes and `edges` (from, to) has no cycle: Kahn's algorithm over
/// the edges as compressed rows of who depends on each node. Edges naming a node out of range
/// are ignored (the registry never records one).
fn acyclic(nodes: usize, edges: &[(u32, u32)]) -> bool {
    let in_range = |&(from, to): &(u32, u32)| (from as usize) < nodes && (to as usize) < nodes;
    let mut pending = vec![0u32; nodes];
    for &(from, _) in edges.iter().filter(|e| in_range(e)) {
        if let Some(count) = pending.get_mut(from as usize) {
            *count += 1;
        }
    }
    let by_dependency = edges
        .iter()
        .copied()
        .filter(in_range)
        .map(|(from, to)| (to, from));
    // More edges than 32-bit positions: let the full graph decide.
    let Some(dependents) = Rows::grouped(nodes, by_dependency) else {
        return false;
    };
    kahn(&dependents, pending, |_| true).len() == nodes
}

#[cfg(test)]
mod tests {
    use super::acyclic;
    use proptest::prelude::*;

    /// Independent oracle: a node is on a cycle iff it can reach itself; search from every node.
    fn has_cycle(nodes: usize, edges: &[(u32, u32)]) -> bool {
        (0..nodes).any(|s| {
            let mut seen = vec![false; nodes];
            let mut stack = vec![s];
            while let Some(n) = stack.pop() {
                for &(from, to) in edges {
                    if from as usize == n {
                        if to as usize == s {
                            return true;
                        }
                        if !seen[to as usize] {
                            seen[to as usize] = true;
                            stack.push(to as usize);
                        }
                    }
                }
            }
            false
        })
    }

    #[test]
    fn acyclic_on_hand_built_graphs() {
        assert!(acyclic(0, &[]));
        assert!(acyclic(3, &[(0, 1), (1, 2), (0, 2)]));
        assert!(!acyclic(1, &[(0, 0)]));
        assert!(!acyclic(3, &[(0, 1), (1, 2), (2, 0)]));
        // Out-of-range edges are ignored, not a panic.
        assert!(acyclic(2, &[(0, 7), (7, 0), (0, 1)]));
    }

    proptest! {
        #[test]
        fn acyclic_matches_reachability(
            nodes in 1usize..9,
            raw in prop::collection::vec((0u32..9, 0u32..9), 0..16),
        ) {
            let edges: Vec<(u32, u32)> = raw
                .into_iter()
                .filter(|(a, b)| (*a as usize) < nodes && (*b as usize) < nodes)
                .collect();
            prop_assert_eq!(acyclic(nodes, &edges), !has_cycle(nodes, &edges));
        }
    }
}
