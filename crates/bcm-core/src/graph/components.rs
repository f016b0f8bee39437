//! The strongly connected components of a dependency graph, every component after all the
//! components it depends on, stored flat: one list of nodes and where each component ends.
//!
//! A model without cycles — the usual one — has one node per component, and a list per
//! component (petgraph's Kosaraju) costs an allocation per node: on `xlarge`, 200,000 of them,
//! more than the walk itself. So an acyclic graph takes its components from Kahn's order, and
//! only a cyclic one runs Kosaraju.

use petgraph::graph::NodeIndex;

/// Strongly connected components, dependencies first (see the module comment).
#[derive(Debug, Clone, Default)]
pub struct Components {
    nodes: Vec<NodeIndex>,
    /// Where each component ends in `nodes`; empty when every component is one node.
    ends: Vec<usize>,
}

impl Components {
    /// One node per component, in `order` (every node after all it depends on).
    pub(crate) fn singletons(order: Vec<NodeIndex>) -> Self {
        Components {
            nodes: order,
            ends: Vec::new(),
        }
    }

    /// The components petgraph's Kosaraju returns, in its order.
    pub(crate) fn from_lists(lists: Vec<Vec<NodeIndex>>) -> Self {
        let mut nodes = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        let mut ends = Vec::with_capacity(lists.len());
        for list in lists {
            nodes.extend(list);
            ends.push(nodes.len());
        }
        Components { nodes, ends }
    }

    /// Whether the components came from Kahn's order: the graph has no cycle, and every
    /// component is one node. (From Kosaraju, a single node may still depend on itself.)
    pub fn acyclic(&self) -> bool {
        self.ends.is_empty()
    }

    /// How many components there are.
    pub fn len(&self) -> usize {
        if self.acyclic() {
            self.nodes.len()
        } else {
            self.ends.len()
        }
    }

    /// Whether the graph has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The components, dependencies first.
    pub fn iter(&self) -> ComponentIter<'_> {
        ComponentIter {
            components: self,
            front: 0,
            back: self.len(),
        }
    }

    /// Component `k`'s nodes.
    fn get(&self, k: usize) -> &[NodeIndex] {
        let range = if self.acyclic() {
            k..k + 1
        } else {
            let start = if k == 0 {
                0
            } else {
                self.ends.get(k - 1).copied().unwrap_or(0)
            };
            start..self.ends.get(k).copied().unwrap_or(start)
        };
        self.nodes.get(range).unwrap_or(&[])
    }
}

/// The components of a [`Components`], dependencies first (or last, from the back).
#[derive(Debug, Clone)]
pub struct ComponentIter<'a> {
    components: &'a Components,
    front: usize,
    back: usize,
}

impl<'a> Iterator for ComponentIter<'a> {
    type Item = &'a [NodeIndex];

    fn next(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        let component = self.components.get(self.front);
        self.front += 1;
        Some(component)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back - self.front;
        (left, Some(left))
    }
}

impl DoubleEndedIterator for ComponentIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        Some(self.components.get(self.back))
    }
}

impl ExactSizeIterator for ComponentIter<'_> {}

impl<'a> IntoIterator for &'a Components {
    type Item = &'a [NodeIndex];
    type IntoIter = ComponentIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(ix: &[u32]) -> Vec<NodeIndex> {
        ix.iter().map(|&i| NodeIndex::new(i as usize)).collect()
    }

    #[test]
    fn lists_and_singletons_read_back_in_order_from_both_ends() {
        let lists = vec![nodes(&[2]), nodes(&[0, 3]), nodes(&[1])];
        let c = Components::from_lists(lists.clone());
        assert!(!c.acyclic());
        assert_eq!(c.len(), 3);
        let read: Vec<Vec<NodeIndex>> = c.iter().map(<[NodeIndex]>::to_vec).collect();
        assert_eq!(read, lists);
        let back: Vec<Vec<NodeIndex>> = c.iter().rev().map(<[NodeIndex]>::to_vec).collect();
        assert_eq!(back, vec![nodes(&[1]), nodes(&[0, 3]), nodes(&[2])]);

        let s = Components::singletons(nodes(&[4, 1, 0]));
        assert!(s.acyclic());
        let read: Vec<Vec<NodeIndex>> = s.iter().rev().map(<[NodeIndex]>::to_vec).collect();
        assert_eq!(read, vec![nodes(&[0]), nodes(&[1]), nodes(&[4])]);
        assert_eq!(s.iter().len(), 3);
        assert!(Components::default().iter().next().is_none());
    }
}
