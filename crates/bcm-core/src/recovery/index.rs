//! The engine's own numbers as indices: plan nodes, priority places, teams and edge positions are
//! numbered by the plan that stores them, and every stored number is below the length of the
//! arrays it indexes. Reading past one is a bug of the engine, so [`At`] makes it a panic —
//! loud in tests, and an internal error through the bindings' panic guards — instead of the
//! quiet default (`.get(i).copied().unwrap_or(0)`) that would let a wrong schedule through.
//!
//! Invariant: the `indexing_slicing` lint is allowed here and nowhere else in the engine.

/// A number the engine uses as an index: a `u32` it stored, or a `usize` it counted.
pub(crate) trait Index: Copy {
    fn index(self) -> usize;
}

impl Index for u32 {
    #[inline]
    fn index(self) -> usize {
        self as usize
    }
}

impl Index for usize {
    #[inline]
    fn index(self) -> usize {
        self
    }
}

/// Indexing by the engine's own numbers (see the module comment).
pub(crate) trait At<T> {
    /// The element at `i`.
    fn at(&self, i: impl Index) -> &T;
    /// The element at `i`, to change.
    fn at_mut(&mut self, i: impl Index) -> &mut T;
    /// The `len` elements from `start`.
    fn span(&self, start: usize, len: usize) -> &[T];
    /// The `len` elements from `start`, to change.
    fn span_mut(&mut self, start: usize, len: usize) -> &mut [T];
}

// The one place the engine indexes directly: its numbers are in range by construction, and one
// out of range is a bug that must fail loudly.
#[allow(clippy::indexing_slicing)]
impl<T> At<T> for [T] {
    #[inline]
    fn at(&self, i: impl Index) -> &T {
        &self[i.index()]
    }

    #[inline]
    fn at_mut(&mut self, i: impl Index) -> &mut T {
        &mut self[i.index()]
    }

    #[inline]
    fn span(&self, start: usize, len: usize) -> &[T] {
        &self[start..start + len]
    }

    #[inline]
    fn span_mut(&mut self, start: usize, len: usize) -> &mut [T] {
        &mut self[start..start + len]
    }
}
