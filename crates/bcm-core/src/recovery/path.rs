//! Critical paths (DESIGN §4.E), stored once for a whole schedule.
//!
//! Each node's `up` was decided by at most one other node, so the deciders form a forest and a
//! function's critical path is its branch of it. In a chain of n functions the paths, written
//! out one by one, hold n²/2 IDs (16 GB at 20,000); held as the forest they take O(n), and each
//! path is read from it on demand. Writing them all out (JSON, Python) is as large as their
//! total length, which is the size of that output, not of the analysis.
//!
//! Invariant: a decider is resolved before what it decides, so following deciders from any node
//! ends, after at most `len()` steps, at a node that has none.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeSeq;

use super::bits::NO;
use super::index::At;

/// The deciders of every node of one schedule, with their IDs.
#[derive(PartialEq, Eq)]
pub(crate) struct Deciders {
    ids: Vec<Box<str>>,
    decided: Vec<u32>,
    /// How many deciders precede each node (the length of its critical path).
    depth: Vec<u32>,
    /// The first node of each node's critical path (itself if it has no decider).
    root: Vec<u32>,
}

impl Deciders {
    /// The forest of `decided` (per local node, its decider or [`NO`]), node `i` named `ids[i]`.
    pub(crate) fn new(ids: Vec<Box<str>>, decided: Vec<u32>) -> Arc<Deciders> {
        let mut depth = vec![NO; decided.len()];
        let mut root = vec![NO; decided.len()];
        let mut stack = Vec::new();
        for start in 0..decided.len() {
            // Walk up to a node whose depth is known (or a root), then fill the depths back.
            let mut n = start;
            while depth.at(n) == NO {
                stack.push(n);
                match decided.at(n) {
                    NO => break,
                    up => n = up as usize,
                }
                // A decider chain longer than the nodes would be a loop.
                debug_assert!(stack.len() <= decided.len(), "decider chain loops");
                if stack.len() > decided.len() {
                    break;
                }
            }
            while let Some(m) = stack.pop() {
                let (below, first) = match decided.at(m) {
                    NO => (0, m as u32),
                    up => (
                        depth.get(up as usize).map_or(0, |&d| d.saturating_add(1)),
                        root.get(up as usize).copied().unwrap_or(NO),
                    ),
                };
                depth.set(m, below);
                root.set(m, first);
            }
        }
        Arc::new(Deciders {
            ids,
            decided,
            depth,
            root,
        })
    }

    /// The critical path of node `f`.
    pub(crate) fn path(self: &Arc<Self>, f: u32) -> CriticalPath {
        CriticalPath {
            deciders: Arc::clone(self),
            of: f,
        }
    }
}

/// The chain of dependencies that decided a function's `up_at`, in recovery order: from the
/// restore that started it to the function's direct dependency (the function itself is not
/// listed). Shares its storage with the other paths of its schedule; compares, iterates and
/// serializes as a list of IDs.
#[derive(Clone)]
pub struct CriticalPath {
    deciders: Arc<Deciders>,
    of: u32,
}

impl CriticalPath {
    /// How many nodes the path has.
    pub fn len(&self) -> usize {
        self.deciders
            .depth
            .get(self.of as usize)
            .map_or(0, |&d| d as usize)
    }

    /// Whether the function's `up_at` was decided by no dependency.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The restore that started the path: its first node.
    pub fn first(&self) -> Option<&str> {
        if self.is_empty() {
            return None;
        }
        let root = self
            .deciders
            .root
            .get(self.of as usize)
            .copied()
            .unwrap_or(NO);
        self.deciders.ids.get(root as usize).map(|id| &**id)
    }

    /// The path's IDs backwards, from the function's direct dependency to the first restore,
    /// read one at a time (a few of a long path cost a few steps).
    pub fn backward(&self) -> impl Iterator<Item = &str> + '_ {
        let decided = &self.deciders.decided;
        let mut n = decided.get(self.of as usize).copied().unwrap_or(NO);
        std::iter::from_fn(move || {
            let id = self.deciders.ids.get(n as usize)?;
            n = decided.get(n as usize).copied().unwrap_or(NO);
            Some(&**id)
        })
        .take(self.len())
    }

    /// The path's IDs in recovery order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + '_ {
        let mut ids: Vec<&str> = self.backward().collect();
        ids.reverse();
        ids.into_iter()
    }

    /// The path's IDs as owned strings.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

impl PartialEq for CriticalPath {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for CriticalPath {}

impl<S: AsRef<str>> PartialEq<[S]> for CriticalPath {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().map(AsRef::as_ref))
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for CriticalPath {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for CriticalPath {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl fmt::Debug for CriticalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for CriticalPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for id in self.iter() {
            seq.serialize_element(id)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forest() -> Arc<Deciders> {
        // a ← b ← c, a ← d; e alone.
        let ids = ["a", "b", "c", "d", "e"].map(Box::from).to_vec();
        Deciders::new(ids, vec![NO, 0, 1, 0, NO])
    }

    #[test]
    fn a_path_runs_from_the_root_to_the_direct_dependency() {
        let deciders = forest();
        assert_eq!(deciders.path(2), ["a", "b"]);
        assert_eq!(deciders.path(3), ["a"]);
        assert!(deciders.path(4).is_empty());
        assert_eq!(deciders.path(2).len(), 2);
        assert_eq!(deciders.path(2).first(), Some("a"));
        assert_eq!(deciders.path(2).backward().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(deciders.path(4).first(), None);
        assert_eq!(format!("{:?}", deciders.path(2)), r#"["a", "b"]"#);
        assert_eq!(
            serde_json::to_string(&deciders.path(2)).ok().as_deref(),
            Some(r#"["a","b"]"#)
        );
    }

    #[test]
    fn a_long_chain_is_stored_once() {
        let n = 100_000u32;
        let ids = (0..n).map(|i| Box::from(i.to_string())).collect();
        let decided = (0..n).map(|i| if i == 0 { NO } else { i - 1 }).collect();
        let deciders = Deciders::new(ids, decided);
        let last = deciders.path(n - 1);
        assert_eq!(last.len(), (n - 1) as usize);
        assert_eq!(last.iter().next(), Some("0"));
        assert_eq!(last.iter().next_back(), Some("99998"));
        assert_eq!(last.first(), Some("0"));
    }
}
