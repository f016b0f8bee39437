//! A group's tries (DESIGN §4.E): resolving a redundancy group as soon as its outage is certain,
//! before every member's restore has started — it may free restores that wait for it.
//!
//! A try reads the group's members at the two ends of what the unstarted restores can still do
//! (back at the earliest, or never); the outage is certain when both agree. Unresolved members
//! are read through their own dependencies, each (node, end) once per try (stamps), or, for a
//! group, from its own last try while nothing it reads has changed (`version`). A group that is
//! not yet certain watches what it read and tries again when that changes, and at each later
//! decision time.
//!
//! Invariant: a try never writes a node's times; only `resolve_group` does, once certain.

use super::bits::{NO, NONE, event, to_u32, unpack_event};
use super::engine::Run;
use super::group::{
    End, Ends, GroupOutage, fold_affecting_slack, group_outage, group_outage_slack, outage_from,
};
use super::index::At;
use super::plan::Plan;

impl Run {
    /// The groups waiting for `node` (to start, or to resolve) try again.
    pub(super) fn wake_watchers(&mut self, node: u32) {
        let mut at = std::mem::replace(self.watch_head.at_mut(node), NO);
        self.watch_last.set(node, NO);
        // A list threaded through `watchers`, ended by NO.
        while at != NO {
            let (group, next) = self.watchers.at(at);
            self.queue(group);
            at = next;
        }
    }

    /// Queues `group` to be tried again (once until it is), by its topological place.
    pub(super) fn queue(&mut self, group: u32) {
        let queued = self.queued.at_mut(group);
        if !*queued {
            *queued = true;
            let place = self.place.at(group);
            self.retry.push(event(u64::from(place), group));
        }
    }

    pub(super) fn watch(&mut self, node: u32, group: u32) {
        let last = self.watch_last.at_mut(node);
        if *last == group {
            return;
        }
        *last = group;
        let Some(at) = to_u32(self.watchers.len()) else {
            return;
        };
        let head = self.watch_head.at_mut(node);
        self.watchers.push((group, *head));
        *head = at;
    }

    /// Resolves a group whose own dependencies are resolved, if its outage is already certain
    /// whatever the lost nodes not yet started do. Each such node is down from 0 and back no
    /// earlier than `max(now, ready) + restore`; the outages of the nodes that need it only grow
    /// as it comes back later, and a group's full outage is the hull over its members, so it too
    /// only grows. So the outage is certain when it is the same, full or not, with every one of
    /// them back at that earliest time and with none of them ever back (a group on the way
    /// counts if it is full at both ends, or the same at both). Otherwise the group tries again
    /// when one of them starts, resolves or learns when it may start, and at every later
    /// decision time (the earliest end moves later with it); the time it would be back if none
    /// of them ever came back is one. Its deciding member is read again once every restore has
    /// started.
    pub(super) fn try_group(&mut self, plan: &Plan, group: u32, dur: &[u64]) {
        let g = group as usize;
        if self.resolved.at(g) {
            return;
        }
        let members = plan.members_of(group);
        if members.iter().all(|&m| self.resolved.at(m)) {
            let outage = self.resolved_outage(plan, group);
            self.resolve_group(group, outage, dur);
            return;
        }
        self.next_stamp();
        self.touched.clear();
        self.horizon = NONE;
        let mut certain = true;
        for end in End::BOTH {
            let mut values = std::mem::take(self.values.at_mut(end));
            values.clear();
            for &m in members {
                match self.evaluate(plan, m, end, dur) {
                    Some((d, u)) => values.push((m, d, u)),
                    None => certain = false,
                }
            }
            *self.values.at_mut(end) = values;
        }
        let threshold = plan.threshold.at(g);
        let failover = plan.failover.at(g);
        let never = group_outage(&self.values.never, threshold, failover, &mut self.sweep);
        let (earliest, slack) =
            group_outage_slack(&self.values.earliest, threshold, failover, &mut self.sweep);
        self.may_flip_after(slack);
        if certain && never.same_times(&earliest) {
            self.refine.push(group);
            self.resolve_group(group, never, dur);
            return;
        }
        let touched = std::mem::take(&mut self.touched);
        for &x in &touched {
            self.watch(x, group);
        }
        self.touched = touched;
        self.cache_reading(group, certain, &never, &earliest, dur);
        // Down for good with no restore back (and back at the earliest end): the members never
        // back at the earliest end are those never back whenever anything starts, so time
        // passing cannot make the two agree; only what it reads can.
        let for_good = |o: &GroupOutage| o.down != NONE && o.up == NONE;
        let time_may_settle = !certain || !for_good(&never) || for_good(&earliest);
        // Until the horizon every reading is 1-Lipschitz in the decision time: an unstarted
        // restore is back at the earliest `max(now, ready) + restore`, and maxima, sums and
        // the order statistics of a group's rule move no faster than what they read. So the
        // earliest back time grows at most as fast as time passes, and cannot reach the
        // never-back time before `now + gap`. A down time, a full flag and a never-back also
        // stay as they are until the horizon: so do an uncertain reading (a group on the way
        // full at one end only, or with different blips), and two readings that differ in one
        // of those, or of which one is back and the other never. Until then only a change in
        // what the group reads (its watchers) can settle it.
        let wake = if certain && never.up != NONE && earliest.up != NONE {
            let gap = never.up.saturating_sub(earliest.up);
            self.now.saturating_add(gap).min(self.horizon)
        } else {
            self.horizon
        };
        if time_may_settle && wake != NONE {
            let at = self.undecided_at.at_mut(g);
            if *at == NONE || wake < *at {
                *at = wake;
                self.undecided.push(event(wake, group));
            }
        }
        let back = if certain && never.up > self.now {
            never.up
        } else {
            NONE
        };
        let at = self.recheck_at.at_mut(g);
        if *at != back {
            *at = back;
            if back != NONE {
                self.recheck.push(event(back, group));
            }
        }
    }

    /// Records what the unresolved `group` reads as at each end after a try (the same values
    /// [`Run::evaluated`] gives); if that changed, the groups that read it before try again.
    pub(super) fn cache_reading(
        &mut self,
        group: u32,
        certain: bool,
        never: &GroupOutage,
        earliest: &GroupOutage,
        dur: &[u64],
    ) {
        let g = group as usize;
        // As in `evaluated`: a group's reading is certain only if full at both ends or the same.
        let bounded = certain && (never.full && earliest.full || never.same_times(earliest));
        let reading = if bounded {
            let down = self.first_down.at(g);
            let key = self.latest.at(g);
            let at = |outage: &GroupOutage| {
                let (d, u, _) = outage_from(down, key, outage, dur.at(g));
                Some((d, u))
            };
            Ends {
                never: at(never),
                earliest: at(earliest),
            }
        } else {
            Ends::default()
        };
        let old = self.cached.at(g);
        let changed = (old.never, old.earliest) != (reading.never, reading.earliest);
        if changed {
            self.version += 1;
            self.cached.set(g, reading);
            self.wake_watchers(group);
        }
        self.cached_at.set(g, self.version);
        self.cached_until.set(g, self.horizon);
    }

    /// Something the try read at the earliest end may change once the decision time has
    /// moved `slack` + 1 later (`NONE`: never).
    fn may_flip_after(&mut self, slack: u64) {
        if slack != NONE {
            let at = self.now.saturating_add(slack).saturating_add(1);
            self.horizon = self.horizon.min(at);
        }
    }

    /// Drops the first entries of `recheck` that are no longer a waiting group's never-back
    /// time: the group was resolved, or a later try moved that time.
    pub(super) fn drop_stale_rechecks(&mut self) {
        while let Some(&key) = self.recheck.peek() {
            let (time, group) = unpack_event(key);
            let g = group as usize;
            let resolved = self.resolved.at(g);
            if !resolved && self.recheck_at.at(g) == time {
                break;
            }
            self.recheck.pop();
        }
    }

    /// The groups not yet certain that time passing may have settled try again at a new
    /// decision time.
    pub(super) fn try_undecided(&mut self, plan: &Plan, dur: &[u64]) {
        let mut groups = std::mem::take(&mut self.trying);
        groups.clear();
        while let Some(&key) = self.undecided.peek() {
            let (time, group) = unpack_event(key);
            if time > self.now {
                break;
            }
            self.undecided.pop();
            let at = self.undecided_at.at_mut(group as usize);
            if *at == time {
                *at = NONE;
                groups.push(group);
            }
        }
        // Inner groups first: one settled now is read as such by the groups that contain it.
        groups.sort_unstable_by_key(|&g| self.place.at(g));
        for &g in &groups {
            self.try_group(plan, g, dur);
        }
        self.trying = groups;
    }

    /// A fresh stamp for a try's reading of the unresolved ancestry.
    pub(super) fn next_stamp(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            for s in &mut self.seen {
                *s = Ends::default();
            }
            self.stamp = 1;
        }
    }

    /// What a try reads of `n` at `end` without reading its dependencies: its times if it is
    /// resolved, the end itself if it is a lost node not yet started, or what this try read of
    /// it before; `None` if its dependencies must be read first.
    pub(super) fn read(
        &mut self,
        plan: &Plan,
        n: u32,
        end: End,
        dur: &[u64],
    ) -> Option<Option<(u64, u64)>> {
        let i = n as usize;
        if self.resolved.at(i) {
            let down = self.down.at(i);
            let up = self.up.at(i);
            return Some(Some((down, up)));
        }
        if plan.lost.at(i) {
            let seen = self.seen.at_mut(i);
            if seen.never != self.stamp {
                seen.never = self.stamp;
                self.touched.push(n);
            }
            let up = if end == End::Never {
                NONE
            } else {
                self.earliest_back(n, dur)
            };
            return Some(Some((0, up)));
        }
        if *self.seen.at(i).at(end) != self.stamp
            && plan.is_group(i)
            && self.cached_at.at(i) == self.version
        {
            // Read at this version by its own last try: taken as it is, for both ends.
            let reading = self.cached.at(i);
            self.estimate.set(i, reading);
            self.horizon = self.horizon.min(self.cached_until.at(i));
            self.seen.set(
                i,
                Ends {
                    never: self.stamp,
                    earliest: self.stamp,
                },
            );
            self.touched.push(n);
        }
        (*self.seen.at(i).at(end) == self.stamp).then(|| *self.estimate.at(i).at(end))
    }

    /// `(down, up)` of the unresolved node `n` at `end` (see [`Run::try_group`]), read from its
    /// dependencies, dependencies first, without recursion, each (node, end) once per try. `None`
    /// if an outage in between could lie outside the two ends': a group among them whose blip
    /// is not the same at both, or that is full at one end only.
    pub(super) fn evaluate(
        &mut self,
        plan: &Plan,
        n: u32,
        end: End,
        dur: &[u64],
    ) -> Option<(u64, u64)> {
        if let Some(value) = self.read(plan, n, end, dur) {
            return value;
        }
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((n, end, false));
        while let Some((x, e, expanded)) = stack.pop() {
            let xi = x as usize;
            if *self.seen.at(xi).at(e) == self.stamp {
                continue;
            }
            if !expanded {
                stack.push((x, e, true));
                for dep in plan.deps.row(x) {
                    if self.read(plan, dep.node, e, dur).is_none() {
                        stack.push((dep.node, e, false));
                    }
                }
                if plan.is_group(xi) {
                    for &m in plan.members_of(x) {
                        for end in End::BOTH {
                            if self.read(plan, m, end, dur).is_none() {
                                stack.push((m, end, false));
                            }
                        }
                    }
                }
                continue;
            }
            let value = self.evaluated(plan, x, e, dur);
            let stamp = self.stamp;
            *self.seen.at_mut(xi).at_mut(e) = stamp;
            *self.estimate.at_mut(xi).at_mut(e) = value;
        }
        self.stack = stack;
        self.read(plan, n, end, dur).flatten()
    }

    /// `(down, up)` of the unresolved node `x` at `end`, every input read already.
    pub(super) fn evaluated(
        &mut self,
        plan: &Plan,
        x: u32,
        end: End,
        dur: &[u64],
    ) -> Option<(u64, u64)> {
        let xi = x as usize;
        let mut outage = GroupOutage::NONE;
        if plan.is_group(xi) {
            self.touched.push(x);
            let mut ends: Ends<GroupOutage> = Ends {
                never: GroupOutage::NONE,
                earliest: GroupOutage::NONE,
            };
            let mut certain = true;
            for at in End::BOTH {
                let mut values = std::mem::take(self.inner.at_mut(at));
                values.clear();
                for &m in plan.members_of(x) {
                    match self.read(plan, m, at, dur).flatten() {
                        Some((d, u)) => values.push((m, d, u)),
                        None => certain = false,
                    }
                }
                let (outage, slack) = group_outage_slack(
                    &values,
                    plan.threshold.at(xi),
                    plan.failover.at(xi),
                    &mut self.sweep,
                );
                if at == End::Earliest {
                    self.may_flip_after(slack);
                }
                *ends.at_mut(at) = outage;
                *self.inner.at_mut(at) = values;
            }
            if !certain {
                return None;
            }
            // Full at both ends, its hull lies between the two, like any other node's outage;
            // a failover blip moves with its first loss, so it must be the same at both.
            let bounded = ends.never.full && ends.earliest.full;
            if !bounded && !ends.never.same_times(&ends.earliest) {
                return None;
            }
            outage = *ends.at(end);
        }
        let mut certain = true;
        let (down, key, slack) = fold_affecting_slack(plan.deps.row(x), |dep| {
            self.read(plan, dep, end, dur).flatten().unwrap_or_else(|| {
                certain = false;
                (NONE, NONE)
            })
        });
        if end == End::Earliest {
            self.may_flip_after(slack);
        }
        if !certain {
            return None;
        }
        let (down, up, _) = outage_from(down, key, &outage, dur.at(xi));
        Some((down, up))
    }

    /// The earliest an unstarted lost node can be back: its restore starts now at the earliest,
    /// and not before it is ready when that is known.
    pub(super) fn earliest_back(&self, m: u32, dur: &[u64]) -> u64 {
        let ready = self.ready.at(m);
        let ready = if ready == NONE { 0 } else { ready };
        self.now.max(ready).saturating_add(dur.at(m))
    }
}
