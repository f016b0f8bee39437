//! Compressed rows (the CSR layout): many short lists, one per node, kept as one flat array of
//! items and one array of where each row starts. Every adjacency the analyses walk is one of
//! these, built row by row ([`Rows::push`], [`Rows::end_row`]) or from (row, item) pairs by a
//! counting sort ([`Rows::grouped`]).
//!
//! Invariant: `start` is non-decreasing, begins at 0, has one entry per finished row plus one,
//! and its last entry is `items.len()`; positions fit in `u32` (a builder refuses more).

use std::ops::Range;

/// Rows of items: row `r` is `items[start[r]..start[r + 1]]`.
#[derive(Debug, Clone)]
pub(crate) struct Rows<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows::with_capacity(0, 0)
    }
}

impl<T> Rows<T> {
    /// No rows yet, room for `rows` rows of `items` items in all.
    pub(crate) fn with_capacity(rows: usize, items: usize) -> Self {
        let mut start = Vec::with_capacity(rows + 1);
        start.push(0);
        Rows {
            start,
            items: Vec::with_capacity(items),
        }
    }

    /// Adds an item to the row being built.
    pub(crate) fn push(&mut self, item: T) {
        self.items.push(item);
    }

    /// Ends the row being built; `false` (and nothing ended) if the items no longer fit 32-bit
    /// positions.
    #[must_use]
    pub(crate) fn end_row(&mut self) -> bool {
        match u32::try_from(self.items.len()) {
            Ok(end) => {
                self.start.push(end);
                true
            }
            Err(_) => false,
        }
    }

    /// How many rows are finished.
    pub(crate) fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// How many items all the rows hold.
    pub(crate) fn items_len(&self) -> usize {
        self.items.len()
    }

    /// Row `r`'s items.
    pub(crate) fn row(&self, r: u32) -> &[T] {
        let span = self.span(r);
        debug_assert!(span.end <= self.items.len(), "row {r} out of range");
        self.items.get(span).unwrap_or(&[])
    }

    /// The positions of row `r`'s items in the flat array. A row that does not exist is a bug
    /// of the caller's numbering: it fails loudly in tests and reads as empty in release.
    pub(crate) fn span(&self, r: u32) -> Range<usize> {
        let r = r as usize;
        debug_assert!(r < self.len(), "row {r} of {} rows", self.len());
        let from = self.start.get(r).copied().unwrap_or(0) as usize;
        let to = self.start.get(r + 1).copied().unwrap_or(0) as usize;
        from..to.max(from)
    }
}

impl<T: Copy> Rows<T> {
    /// `rows` rows holding `entries` by their row number, each row in the entries' order (a
    /// stable counting sort: two passes over the entries, no comparison). `None` if the items
    /// do not fit 32-bit positions. An entry naming a row `>= rows` is a bug of the caller's
    /// numbering: it fails loudly in tests and is left out in release.
    pub(crate) fn grouped<I>(rows: usize, entries: I) -> Option<Self>
    where
        I: Iterator<Item = (u32, T)> + Clone,
    {
        let mut start = vec![0u32; rows + 1];
        let mut total = 0u32;
        for (row, _) in entries.clone() {
            debug_assert!((row as usize) < rows, "entry for row {row} of {rows}");
            if let Some(count) = start.get_mut(row as usize + 1) {
                *count = count.checked_add(1)?;
                total = total.checked_add(1)?;
            }
        }
        for r in 0..rows {
            let before = start.get(r).copied().unwrap_or(0);
            if let Some(count) = start.get_mut(r + 1) {
                *count += before;
            }
        }
        let mut fill = start.clone();
        let mut items: Vec<Option<T>> = vec![None; total as usize];
        for (row, item) in entries {
            if let Some(at) = fill.get_mut(row as usize) {
                if let Some(slot) = items.get_mut(*at as usize) {
                    *slot = Some(item);
                }
                *at += 1;
            }
        }
        Some(Rows {
            start,
            items: items.into_iter().flatten().collect(),
        })
    }
}

/// Kahn's algorithm, the last freed node first: `pending[n]` counts what node `n` still waits
/// for and `dependents` lists who waits for each node. A node is taken once its count reaches
/// zero and `admit(n)` allows it. Returns the nodes taken, each after everything it waits for;
/// nodes on or behind a cycle (and those `admit` refuses, and what waits for them) never are.
///
/// Complexity: O(nodes + edges).
pub(crate) fn kahn(
    dependents: &Rows<u32>,
    mut pending: Vec<u32>,
    admit: impl Fn(u32) -> bool,
) -> Vec<u32> {
    debug_assert_eq!(pending.len(), dependents.len(), "one count per row");
    let mut free: Vec<u32> = (0..pending.len())
        .filter(|&n| pending.get(n) == Some(&0))
        .filter_map(|n| u32::try_from(n).ok())
        .filter(|&n| admit(n))
        .collect();
    let mut order = Vec::with_capacity(pending.len());
    while let Some(n) = free.pop() {
        order.push(n);
        for &d in dependents.row(n) {
            if let Some(count) = pending.get_mut(d as usize) {
                *count = count.saturating_sub(1);
                if *count == 0 && admit(d) {
                    free.push(d);
                }
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::{Rows, kahn};

    #[test]
    fn kahn_orders_dependencies_first_and_leaves_out_cycles() {
        // 0 <- 1 <- 2 (2 depends on 1, 1 on 0); 3 <-> 4 a cycle; 5 depends on 4.
        let edges = [(0u32, 1u32), (1, 2), (3, 4), (4, 3), (4, 5)];
        let dependents = Rows::grouped(6, edges.into_iter()).unwrap();
        let mut pending = vec![0u32; 6];
        for (_, d) in edges {
            pending[d as usize] += 1;
        }
        assert_eq!(kahn(&dependents, pending.clone(), |_| true), [0, 1, 2]);
        assert_eq!(kahn(&dependents, pending, |n| n != 1), [0]);
    }

    #[test]
    fn rows_built_both_ways_agree() {
        let mut built = Rows::with_capacity(3, 4);
        for row in [&[7u32, 8][..], &[], &[9, 10]] {
            for &item in row {
                built.push(item);
            }
            assert!(built.end_row());
        }
        let grouped =
            Rows::grouped(3, [(2u32, 9u32), (0, 7), (2, 10), (0, 8)].into_iter()).unwrap();
        for r in 0..3 {
            assert_eq!(built.row(r), grouped.row(r), "row {r}");
        }
        assert_eq!((built.len(), built.items_len()), (3, 4));
        assert_eq!(grouped.row(2), [9, 10]);
        assert_eq!(grouped.span(1), 2..2);
    }

    #[test]
    #[should_panic(expected = "row 3 of 3 rows")]
    #[cfg(debug_assertions)]
    fn a_row_out_of_range_fails_loudly_in_tests() {
        let rows: Rows<u32> = Rows::grouped(3, std::iter::empty()).unwrap();
        let _ = rows.row(3);
    }
}
