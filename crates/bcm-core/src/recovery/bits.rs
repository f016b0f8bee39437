//! The packed keys and bit sets the engine sorts and scans with: a time and a node number in one
//! integer (one comparison orders by time, then by ID), and sets of small numbers as 64-bit words.
//!
//! Invariant: a packed key unpacks to exactly what was packed; the empty key 0 unpacks to
//! `(0, NO)`.

use std::cmp::Reverse;

/// "Not affected" (for `down`), "never back" (for `up`), "not started" (for `start`).
pub(crate) const NONE: u64 = u64::MAX;
/// No node (a decider) or no team (unlimited).
pub(crate) const NO: u32 = u32::MAX;

/// A count as a node or place number; `None` if it does not fit beside [`NO`].
pub(crate) fn to_u32(n: usize) -> Option<u32> {
    u32::try_from(n).ok().filter(|n| *n != NO)
}

/// A time, or `None` for [`NONE`].
pub(super) fn opt(x: u64) -> Option<u64> {
    (x != NONE).then_some(x)
}

/// The latest `up` over some edges together with the dependency that has it, the smallest
/// number (ID) winning ties, packed so that one comparison picks the decider: the larger key.
pub(super) fn latest_key(up: u64, node: u32) -> u128 {
    (u128::from(up) << 32) | u128::from(NO - node)
}

/// `(up, node)` of a key; `(0, NO)` for the empty key 0.
pub(super) fn unpack_latest(key: u128) -> (u64, u32) {
    if key == 0 {
        return (0, NO);
    }
    // Truncations that undo the packing.
    ((key >> 32) as u64, NO - key as u32)
}

/// A time and a small number packed into one heap key, ordered by time then number.
pub(super) fn event(time: u64, what: u32) -> Reverse<u128> {
    Reverse((u128::from(time) << 32) | u128::from(what))
}

pub(super) fn unpack_event(key: Reverse<u128>) -> (u64, u32) {
    ((key.0 >> 32) as u64, key.0 as u32)
}

/// Bit sets over the places of the priority order, in 64-bit words.
pub(super) fn bit_set(words: &mut [u64], place: u32) {
    if let Some(w) = words.get_mut(place as usize / 64) {
        *w |= 1u64 << (place % 64);
    }
}

pub(super) fn bit_test(words: &[u64], place: u32) -> bool {
    words
        .get(place as usize / 64)
        .is_some_and(|w| w & (1u64 << (place % 64)) != 0)
}

/// The places in a bit set, in ascending order.
pub(super) fn set_bits(words: &[u64]) -> impl Iterator<Item = u32> + '_ {
    words.iter().enumerate().flat_map(|(i, &word)| {
        let mut bits = word;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let b = bits.trailing_zeros();
            bits &= bits - 1;
            to_u32(i * 64 + b as usize)
        })
    })
}

/// The place of each member of a bit set among its members (rank → local number), from a
/// running count of members before each word: a few kilobytes where an array indexed by rank
/// would be hundreds.
pub(super) struct LocalNumbers<'a> {
    pub(super) words: &'a [u64],
    pub(super) before: Vec<u32>,
}

impl<'a> LocalNumbers<'a> {
    pub(super) fn of(words: &'a [u64]) -> Self {
        let mut before = Vec::with_capacity(words.len());
        let mut total = 0u32;
        for w in words {
            before.push(total);
            total = total.saturating_add(w.count_ones());
        }
        LocalNumbers { words, before }
    }

    /// The local number of `place`, or [`NO`] if it is not a member.
    pub(super) fn get(&self, place: u32) -> u32 {
        let at = place as usize / 64;
        let (Some(&word), Some(&before)) = (self.words.get(at), self.before.get(at)) else {
            return NO;
        };
        let bit = 1u64 << (place % 64);
        if word & bit == 0 {
            return NO;
        }
        before + (word & (bit - 1)).count_ones()
    }
}
