//! The group rule of DESIGN §3/§4.E over members' outages, and how an unresolved node's outage is
//! read at the two ends of what its unresolved restores can still do.
//!
//! Invariant: a group's outage is the hull of the times more than `len − min_up` members are
//! down (members coming back count before members going down at one instant), else its
//! failover blip from the first loss, else none.

use super::bits::{NO, NONE};
use super::bits::{latest_key, unpack_latest};
use super::plan::Dependent;

/// The two ends of what a lost node whose restore has not started can still do: come back at
/// the earliest it can (`max(now, ready) + restore`), or never. Every other unresolved node's
/// outage is read from its dependencies' under the same end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    Never,
    Earliest,
}

impl End {
    pub(super) const BOTH: [End; 2] = [End::Never, End::Earliest];
}

/// One value per [`End`].
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Ends<T> {
    pub(super) never: T,
    pub(super) earliest: T,
}

impl<T> Ends<T> {
    pub(super) fn at(&self, end: End) -> &T {
        match end {
            End::Never => &self.never,
            End::Earliest => &self.earliest,
        }
    }

    pub(super) fn at_mut(&mut self, end: End) -> &mut T {
        match end {
            End::Never => &mut self.never,
            End::Earliest => &mut self.earliest,
        }
    }
}

/// A group's own outage: [`NONE`] down when it has none; `full` when more than
/// `len − min_up` members were down (otherwise it is the failover blip).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GroupOutage {
    pub(super) down: u64,
    pub(super) up: u64,
    pub(super) decider: u32,
    pub(super) full: bool,
}

impl GroupOutage {
    pub(super) const NONE: GroupOutage = GroupOutage {
        down: NONE,
        up: NONE,
        decider: NO,
        full: false,
    };

    /// The same outage, whoever decided it.
    pub(super) fn same_times(&self, other: &GroupOutage) -> bool {
        (self.down, self.up, self.full) == (other.down, other.up, other.full)
    }
}

/// The group rule over members' `(member, down, up)`: down while at least `threshold` members
/// are down (the hull of those times; at one instant members coming back count before members
/// going down); otherwise, if it lost any member, down for `failover` from the first loss.
/// `sweep` is scratch space.
pub(super) fn group_outage(
    members: &[(u32, u64, u64)],
    threshold: u32,
    failover: u64,
    sweep: &mut Vec<u128>,
) -> GroupOutage {
    group_outage_slack(members, threshold, failover, sweep).0
}

/// [`group_outage`], and how much later every member's return may come, the losses staying
/// where they are, before the outage can change otherwise than by an order statistic of the
/// returns (`NONE`: never). It changes only when a return passes a loss: the slack is the
/// least gap from a return to a later (or simultaneous) loss, and 0 for a member back the
/// instant it goes down (counted as soon as it is back later).
pub(super) fn group_outage_slack(
    members: &[(u32, u64, u64)],
    threshold: u32,
    failover: u64,
    sweep: &mut Vec<u128>,
) -> (GroupOutage, u64) {
    // A change of the count of members down, as one integer that sorts by time and, at one
    // instant, returns (low bit 0) before losses (1).
    let change = |time: u64, loss: bool| (u128::from(time) << 1) | u128::from(loss);
    sweep.clear();
    let mut first: (u64, u32) = (NONE, NO);
    let mut slack = NONE;
    for &(m, d, u) in members {
        if d != NONE && u == d {
            slack = 0;
        }
        if d == NONE || u == d {
            continue;
        }
        first = first.min((d, m));
        sweep.push(change(d, true));
        if u != NONE {
            sweep.push(change(u, false));
        }
    }
    if first.0 == NONE {
        return (GroupOutage::NONE, slack);
    }
    sweep.sort_unstable();
    let (mut count, mut down, mut up) = (0u32, NONE, NONE);
    let mut last_return = NONE;
    for &key in sweep.iter() {
        let time = u64::try_from(key >> 1).unwrap_or(NONE);
        let before = count;
        if key & 1 == 1 {
            count += 1;
            if last_return != NONE {
                slack = slack.min(time - last_return);
            }
        } else {
            count = count.saturating_sub(1);
            last_return = time;
        }
        if before < threshold && count >= threshold {
            if down == NONE {
                down = time;
            }
            up = NONE;
        } else if before >= threshold && count < threshold {
            up = time;
        }
    }
    if down != NONE {
        // The member that decided `up`: among those back exactly then (or never back), the
        // smallest ID.
        let decider = members
            .iter()
            .filter(|&&(_, d, u)| d != NONE && u != d && u == up)
            .map(|&(m, _, _)| m)
            .min()
            .unwrap_or(NO);
        let outage = GroupOutage {
            down,
            up,
            decider,
            full: true,
        };
        return (outage, slack);
    }
    if failover == 0 {
        return (GroupOutage::NONE, slack);
    }
    let blip = GroupOutage {
        down: first.0,
        up: first.0.saturating_add(failover),
        decider: first.1,
        full: false,
    };
    (blip, slack)
}

/// The earliest `down + T` and the [`latest_key`] over the edges of `deps` that affect their
/// dependent, given each dependency's `(down, up)`.
pub(super) fn fold_affecting(
    deps: &[Dependent],
    times: impl FnMut(u32) -> (u64, u64),
) -> (u64, u128) {
    let (down, key, _) = fold_affecting_slack(deps, times);
    (down, key)
}

/// [`fold_affecting`], and how much longer the outages of the edges that do not affect their
/// dependent may grow before one does (`NONE`: none may).
pub(super) fn fold_affecting_slack(
    deps: &[Dependent],
    mut times: impl FnMut(u32) -> (u64, u64),
) -> (u64, u128, u64) {
    let (mut down, mut key, mut slack) = (NONE, 0u128, NONE);
    for e in deps {
        let (d, u) = times(e.node);
        if d == NONE {
            continue;
        }
        // The edge affects its dependent when the dependency is down for longer than T.
        if u == NONE || u - d > e.tolerance {
            down = down.min(d.saturating_add(e.tolerance));
            key = key.max(latest_key(u, e.node));
        } else {
            slack = slack.min(e.tolerance - (u - d));
        }
    }
    (down, key, slack)
}

/// `(down, up)` from the earliest `down + T` and the latest key over the affecting edges, a
/// group's own outage, and the node's `dur`: `(NONE, NONE)` when nothing affects it.
pub(super) fn outage_from(down: u64, key: u128, outage: &GroupOutage, dur: u64) -> (u64, u64, u32) {
    let (mut down, mut key) = (down, key);
    if outage.down != NONE {
        down = down.min(outage.down);
        key = key.max(latest_key(outage.up, outage.decider));
    }
    if down == NONE {
        return (NONE, NONE, NO);
    }
    let (up, decider) = unpack_latest(key);
    let up = if up == NONE {
        NONE
    } else {
        up.saturating_add(dur)
    };
    (down, up, decider)
}
