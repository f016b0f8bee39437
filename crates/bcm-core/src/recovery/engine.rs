//! One run of the recovery engine over a [`Plan`]: the parallel schedule generation scheme of
//! DESIGN §4.E as a discrete-event loop.
//!
//! Invariant: a node's `(down, up)` is written once, when it is resolved, and never changes
//! after; every restore starts at a decision time with its dependencies resolved, its ready
//! time reached and a free place in its team. The state is reused between runs (`reset`), so
//! the simulation runs thousands of iterations without allocating. How a group is settled before
//! all its members have started (its tries) is in `tries`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::bits::{NO, NONE, event, latest_key, to_u32, unpack_event, unpack_latest};
use super::group::{End, Ends, GroupOutage, fold_affecting, group_outage, outage_from};
use super::index::At;
use super::plan::Plan;

/// The most runs [`Run::execute`] tries after each start in a row before deferring again.
const MAX_BACKOFF: u32 = 64;

/// The state of one run of the engine, reused between runs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Run {
    pub(crate) down: Vec<u64>,
    pub(crate) up: Vec<u64>,
    pub(crate) start: Vec<u64>,
    /// The node that decided each node's `up` (critical path), or [`NO`].
    pub(crate) decided: Vec<u32>,
    /// Lost nodes in the order their restores started, with the start time.
    pub(crate) started: Vec<(u64, u32)>,
    /// Whether some ready restore had to wait for its team: without that, unlimited teams would
    /// give the same schedule.
    pub(crate) waited: bool,
    /// This run ignores team capacities.
    pub(super) unlimited: bool,
    /// The decision time.
    pub(super) now: u64,
    /// Per node: dependencies not yet resolved.
    pub(super) pending: Vec<u32>,
    /// Per node: its `down` and `up` are known (a lost node: its restore has started, or it
    /// cannot be restored).
    pub(super) resolved: Vec<bool>,
    /// Per node, over the affecting edges resolved so far: the earliest `down + T`, and the
    /// [`latest_key`].
    pub(super) first_down: Vec<u64>,
    pub(super) latest: Vec<u128>,
    pub(super) ready: Vec<u64>,
    pub(super) ready_decider: Vec<u32>,
    /// Resolved nodes whose dependents have not heard of it yet.
    pub(super) work: Vec<u32>,
    /// Resolved lost nodes not yet ready: [`event`] (ready time, priority place).
    pub(super) future: BinaryHeap<Reverse<u128>>,
    /// Priority places of ready restores that may start now: every ready restore without a
    /// team, and the first waiting restore of each team with room. Entries go stale (their team
    /// filled up, or a better restore joined it) and are dropped when they come up, so each
    /// start costs O(log n) whatever the shape ([`Run::next_available`]).
    pub(super) available: BinaryHeap<Reverse<u32>>,
    /// Per team: priority places of its ready restores not started yet.
    pub(super) waiting: Vec<BinaryHeap<Reverse<u32>>>,
    /// Per team: restores running now.
    pub(super) running: Vec<u32>,
    /// Restores occupying a team: [`event`] (finish time, team).
    pub(super) finishing: BinaryHeap<Reverse<u128>>,
    /// Scratch space of [`group_outage`].
    pub(super) sweep: Vec<u128>,
    /// Decision times at which a waiting group would be back if none of the restores it reads
    /// ever were: [`event`] (time, group).
    pub(super) recheck: BinaryHeap<Reverse<u128>>,
    /// Per group: its never-back time as of its last try ([`NONE`]: none). An entry of
    /// `recheck` that no longer matches is not a decision time.
    pub(super) recheck_at: Vec<u64>,
    /// Groups tried and not yet certain, by the decision time from which time passing alone may
    /// settle them: [`event`] (time, group). The restores not yet started can be back only
    /// later as time passes, which may settle a group — but no sooner than its never-back time
    /// minus its earliest-back time from now (see [`Run::try_group`]).
    pub(super) undecided: BinaryHeap<Reverse<u128>>,
    /// Per node: its time on `undecided` ([`NONE`]: not on it). An entry that no longer
    /// matches is stale.
    pub(super) undecided_at: Vec<u64>,
    /// The groups being tried again (scratch space of [`Run::try_undecided`]).
    pub(super) trying: Vec<u32>,
    /// Groups to try again once the work list is empty: [`event`] (topological place, group),
    /// so that inner groups are tried first.
    pub(super) retry: BinaryHeap<Reverse<u128>>,
    /// This run defers the tries of groups that the restores starting at a decision time
    /// trigger until no more can start then (see [`Run::flush`]).
    pub(super) defer: bool,
    /// Tries are being deferred now (inside the start loop of a decision time).
    pub(super) deferring: bool,
    /// Some try was deferred since the last flush.
    pub(super) deferred: bool,
    /// At this decision time, a restore started while a try was deferred: the restores may
    /// have started in another order than trying after each start would give.
    pub(super) late: bool,
    /// A restore has started at this decision time.
    pub(super) started_now: bool,
    /// Teams with a restore that became ready at this decision time after some restore had
    /// started then (each once); `fresh_at` is, per team, the decision time it was last listed.
    pub(super) fresh: Vec<u32>,
    pub(super) fresh_at: Vec<u64>,
    /// At a `late` decision time, one of the `fresh` teams ended it full: the deferral may have
    /// changed the schedule, so the run stops there and is done again without it (see
    /// [`Run::execute`]).
    pub(super) hazard: bool,
    /// Runs still to do trying after each start before deferring again, and how many the last
    /// hazard set: the next runs of a simulation share the plan, and a plan on which deferring
    /// had to be undone once tends to need it undone again (see [`Run::execute`]). Kept across
    /// runs.
    pub(super) immediate_runs: u32,
    pub(super) backoff: u32,
    /// Resolved groups whose deciding member was not known yet.
    pub(super) refine: Vec<u32>,
    /// Per node: the first of the groups waiting for it to start, resolve or know its ready
    /// time (an index into `watchers`, or [`NO`]); `watchers` holds (group, next).
    pub(super) watch_head: Vec<u32>,
    pub(super) watchers: Vec<(u32, u32)>,
    /// Per node: the group that asked last to wait for it (a group asks once until it wakes).
    pub(super) watch_last: Vec<u32>,
    /// Per node: its place in the graph's topological order (see [`Plan::topological`]).
    pub(super) place: Vec<u32>,
    /// Per group: it is on `retry` already.
    pub(super) queued: Vec<bool>,
    /// What a group's try read of its unresolved ancestry, per node and end: the try's stamp,
    /// and `(down, up)` (`None`: not certain, see [`Run::evaluate`]).
    pub(super) stamp: u32,
    pub(super) seen: Vec<Ends<u32>>,
    pub(super) estimate: Vec<Ends<Option<(u64, u64)>>>,
    /// What a group's last try found it would read as at each end (as [`Run::evaluate`] would),
    /// valid while `version` has not moved since: a group containing it reads that instead of
    /// walking its unresolved ancestry again (nested groups would cost O(depth) per try).
    pub(super) cached: Vec<Ends<Option<(u64, u64)>>>,
    pub(super) cached_at: Vec<u64>,
    /// Per group: the [`Run::horizon`] of its last try, which a group reading its cached
    /// reading inherits.
    pub(super) cached_until: Vec<u64>,
    /// The try under way: the earliest decision time at which time passing alone may change
    /// what it read at the earliest end ([`NONE`]: never) — a soft edge's outage passing its
    /// tolerance, or a member's return passing another's loss in a group. Until then every
    /// reading only follows its unstarted restores' earliest back times, no faster than time.
    pub(super) horizon: u64,
    /// Moves whenever something a try reads changes: a node resolves, a lost node learns when
    /// it is ready, the decision time advances, or a group's cached reading changes.
    pub(super) version: u64,
    /// Unstarted lost nodes and unresolved groups the last try read.
    pub(super) touched: Vec<u32>,
    pub(super) stack: Vec<(u32, End, bool)>,
    /// Members' `(member, down, up)` at each end: of the group tried, and of a group on the way.
    pub(super) values: Ends<Vec<(u32, u64, u64)>>,
    pub(super) inner: Ends<Vec<(u32, u64, u64)>>,
}

impl Run {
    /// Runs the engine on `plan` with `dur` per local node (see [`Plan::likely`]); `unlimited`
    /// ignores team capacities.
    ///
    /// A restore that starts may settle groups, each try reading all their members; trying them
    /// after each start costs a group of k members O(k² log k) when its k members start at one
    /// decision time. So the tries the starts trigger are deferred until no more restores can
    /// start then, and done at once, inner groups first.
    ///
    /// Deferring a try changes when, within the decision time, restores become ready — and so
    /// the order of the starts — never what is ready once every try is done, which only grows
    /// with the restores started. Both ways start the same restores at a decision time unless
    /// a team ends it full having seen a restore become ready after the first start then (a
    /// `fresh` team). Why, comparing the restores the two ways start:
    /// - a team that ends with room has started every restore of it that is ready;
    /// - a full team that is not fresh had all its ready restores ready before the first start,
    ///   so it starts the best of them in priority order until it is full, either way;
    /// - the first restore trying after each start starts and deferring does not is ready at
    ///   the deferring run's end, so its team ends full there: not fresh, that team started its
    ///   best ready restores, which trying after each start starts before it, leaving no room;
    /// - the first restore deferring starts and the other does not is ready at the other's end,
    ///   so its team is full there, with restores deferring starts too: full when deferring,
    ///   not fresh, so the same best ones.
    ///
    /// So when a decision time at which a restore started while a try was deferred (`late`)
    /// ends with a fresh team full, the run stops and is done again trying after each start,
    /// as DESIGN §4.E words it. Debug builds check every other deferring run against trying
    /// after each start.
    ///
    /// Both ways give the same schedule, so which one a run takes changes its cost only. On a
    /// realistic estate a hazard tends to come in every run of a simulation (a team's queue
    /// at some decision time), and deferring then costs a run done twice; without big groups
    /// trying after each start costs about what deferring does. So after a hazard the next
    /// run of this state tries after each start, and deferring is tried again after 1, 2, 4,
    /// … up to [`MAX_BACKOFF`] such runs while hazards keep coming.
    pub(crate) fn execute(&mut self, plan: &Plan, dur: &[u64], unlimited: bool) {
        if self.immediate_runs > 0 {
            self.immediate_runs -= 1;
            self.run(plan, dur, unlimited, false);
            return;
        }
        self.run(plan, dur, unlimited, true);
        if self.hazard {
            self.backoff = self.backoff.saturating_mul(2).clamp(1, MAX_BACKOFF);
            self.immediate_runs = self.backoff;
            self.run(plan, dur, unlimited, false);
        } else {
            self.backoff = 0;
            #[cfg(debug_assertions)]
            self.check_deferral(plan, dur, unlimited);
        }
    }

    /// Fails loudly if this run, which deferred its tries without a hazard, differs from the
    /// same run trying after each start.
    #[cfg(debug_assertions)]
    fn check_deferral(&self, plan: &Plan, dur: &[u64], unlimited: bool) {
        let mut immediate = Run::default();
        immediate.run(plan, dur, unlimited, false);
        let by_time = |run: &Run| {
            let mut started = run.started.clone();
            started.sort_unstable();
            started
        };
        let same = self.down == immediate.down
            && self.up == immediate.up
            && self.start == immediate.start
            && self.decided == immediate.decided
            && self.waited == immediate.waited
            && by_time(self) == by_time(&immediate);
        assert!(
            same,
            "deferring the tries changed the schedule without a hazard"
        );
    }

    fn run(&mut self, plan: &Plan, dur: &[u64], unlimited: bool, defer: bool) {
        self.reset(plan);
        self.unlimited = unlimited;
        self.defer = defer;
        for i in 0..plan.len() {
            if plan.dependencies.at(i) != 0 {
                continue;
            }
            let Some(n) = to_u32(i) else { continue };
            if plan.lost.at(i) {
                self.resolve_lost(plan, n);
            } else if plan.is_group(i) {
                // All its members lost: it may know its outage from the start. Queued, so that
                // groups are tried inner ones first (each then reads the one inside it).
                self.queue(n);
            }
        }
        self.propagate(plan, dur);
        let mut t = 0u64;
        loop {
            // A new decision time outdates every cached reading (its earliest end moves with the
            // time): undecided groups not tried again now are read afresh by those that read them.
            if self.now != t {
                self.version += 1;
            }
            self.now = t;
            self.late = false;
            self.started_now = false;
            self.fresh.clear();
            while let Some(&key) = self.finishing.peek() {
                let (finish, team) = unpack_event(key);
                if finish > t {
                    break;
                }
                self.finishing.pop();
                self.free_one(plan, team);
            }
            while let Some(&key) = self.recheck.peek() {
                if unpack_event(key).0 > t {
                    break;
                }
                self.recheck.pop();
            }
            if t > 0 {
                self.try_undecided(plan, dur);
            }
            self.propagate(plan, dur);
            self.deferring = self.defer;
            loop {
                self.take_ready(plan, t);
                let Some(place) = self.next_available(plan) else {
                    if self.flush(plan, dur) {
                        continue;
                    }
                    break;
                };
                let node = plan.by_priority.at(place);
                let team = self.team_of(plan, node);
                let d = dur.at(node);
                if team != NO {
                    self.occupy(plan, team, place, t, d);
                }
                self.late |= self.deferred;
                self.start_restore(node, t, d);
                self.propagate(plan, dur);
            }
            self.deferring = false;
            if self.late && self.fresh_team_full(plan) {
                self.hazard = true;
                return;
            }
            self.drop_stale_rechecks();
            let next = [&self.future, &self.finishing, &self.recheck]
                .into_iter()
                .filter_map(|heap| heap.peek().map(|&k| unpack_event(k).0))
                .min();
            match next {
                Some(next) => t = next,
                None => break,
            }
        }
        // Every restore has started: the groups' deciding members are known now.
        let refine = std::mem::take(&mut self.refine);
        for &g in &refine {
            self.resolve_other(plan, g, dur);
        }
        self.refine = refine;
        self.resolve_tail(plan, dur);
    }

    /// Whether a team that saw a restore become ready after this decision time's first start
    /// is full now.
    fn fresh_team_full(&self, plan: &Plan) -> bool {
        self.fresh
            .iter()
            .any(|&team| self.running.at(team) >= plan.capacity.at(team))
    }

    /// Does the tries deferred at this decision time; false if there were none.
    fn flush(&mut self, plan: &Plan, dur: &[u64]) -> bool {
        if !self.deferred {
            return false;
        }
        self.deferring = false;
        self.propagate(plan, dur);
        self.deferred = false;
        self.deferring = true;
        true
    }

    /// Resolves the tail, dependencies first, from what the core gave: each node pulls from its
    /// dependencies (in ID order, so that the first latest one is the smallest ID).
    pub(super) fn resolve_tail(&mut self, plan: &Plan, dur: &[u64]) {
        for &n in &plan.tail_order {
            let (down, key) = fold_affecting(plan.deps.row(n), |dep| {
                let d = self.down.at(dep);
                let u = self.up.at(dep);
                (d, u)
            });
            self.settle(plan, n, down, key, dur);
        }
    }

    pub(super) fn reset(&mut self, plan: &Plan) {
        let m = plan.len();
        for v in [
            &mut self.down,
            &mut self.up,
            &mut self.start,
            &mut self.ready,
            &mut self.first_down,
        ] {
            v.clear();
            v.resize(m, NONE);
        }
        for v in [&mut self.decided, &mut self.ready_decider] {
            v.clear();
            v.resize(m, NO);
        }
        self.latest.clear();
        self.latest.resize(m, 0);
        self.pending.clear();
        self.pending.extend_from_slice(&plan.dependencies);
        self.started.clear();
        self.waited = false;
        self.now = 0;
        self.work.clear();
        self.future.clear();
        self.available.clear();
        // Cleared one by one, so that their allocations serve the next run.
        self.waiting.truncate(plan.capacity.len());
        for waiting in &mut self.waiting {
            waiting.clear();
        }
        self.waiting
            .resize_with(plan.capacity.len(), BinaryHeap::new);
        self.running.clear();
        self.running.resize(plan.capacity.len(), 0);
        self.finishing.clear();
        self.recheck.clear();
        self.recheck_at.clear();
        self.recheck_at.resize(m, NONE);
        self.undecided.clear();
        self.undecided_at.clear();
        self.undecided_at.resize(m, NONE);
        self.retry.clear();
        self.deferring = false;
        self.deferred = false;
        self.late = false;
        self.started_now = false;
        self.fresh.clear();
        self.fresh_at.clear();
        self.fresh_at.resize(plan.capacity.len(), NONE);
        self.hazard = false;
        self.refine.clear();
        self.resolved.clear();
        self.resolved.resize(m, false);
        for v in [&mut self.watch_head, &mut self.watch_last] {
            v.clear();
            v.resize(m, NO);
        }
        self.queued.clear();
        self.queued.resize(m, false);
        self.cached.clear();
        self.cached.resize(m, Ends::default());
        self.cached_at.clear();
        self.cached_at.resize(m, 0);
        self.cached_until.clear();
        self.cached_until.resize(m, NONE);
        self.version = 1;
        self.place.clear();
        self.place.extend_from_slice(&plan.topological);
        self.watchers.clear();
        if self.seen.len() != m {
            self.seen.clear();
            self.seen.resize(m, Ends::default());
            self.estimate.clear();
            self.estimate.resize(m, Ends::default());
            self.stamp = 0;
        }
    }

    /// The ready restore that may start now with the first priority place, or `None`. Drops
    /// the stale entries it meets: a team's entry is live while the team has room and the
    /// restore is still the first of its waiting ones.
    fn next_available(&mut self, plan: &Plan) -> Option<u32> {
        while let Some(Reverse(place)) = self.available.pop() {
            let team = self.team_of(plan, plan.by_priority.at(place));
            if team == NO {
                return Some(place);
            }
            let room = self.running.at(team) < plan.capacity.at(team);
            let first = self.waiting.at_ref(team).peek() == Some(&Reverse(place));
            if room && first {
                return Some(place);
            }
        }
        None
    }

    /// Offers the first waiting restore of `team` (which has room) to `available`.
    fn offer_first(&mut self, team: u32) {
        if let Some(&first) = self.waiting.at_ref(team).peek() {
            self.available.push(first);
        }
    }

    /// A restore of `team` starts (it is the first of the team's waiting ones): it leaves the
    /// waiting set and, unless it takes no time, occupies a place until it finishes. A team that
    /// still has room offers its next waiting restore.
    pub(super) fn occupy(&mut self, plan: &Plan, team: u32, place: u32, t: u64, d: u64) {
        let started = self.waiting.at_mut(team).pop();
        debug_assert_eq!(
            started,
            Some(Reverse(place)),
            "a team starts its first restore"
        );
        if d > 0 {
            *self.running.at_mut(team) += 1;
            self.finishing.push(event(t.saturating_add(d), team));
        }
        if self.running.at(team) < plan.capacity.at(team) {
            self.offer_first(team);
        } else {
            self.waited |= !self.waiting.at_ref(team).is_empty();
        }
    }

    /// A restore of `team` finishes: if the team was full, its first waiting restore may start.
    pub(super) fn free_one(&mut self, plan: &Plan, team: u32) {
        let running = self.running.at_mut(team);
        let was_full = *running >= plan.capacity.at(team);
        *running = running.saturating_sub(1);
        if was_full {
            self.offer_first(team);
        }
    }

    /// Lost nodes whose ready time has come join their team's waiting set, and `available` if
    /// the team has room.
    pub(super) fn take_ready(&mut self, plan: &Plan, t: u64) {
        while let Some(&key) = self.future.peek() {
            let (ready, place) = unpack_event(key);
            if ready > t {
                break;
            }
            self.future.pop();
            let node = plan.by_priority.at(place);
            self.make_ready(plan, node, place);
        }
    }

    /// The team a restore needs in this run ([`NO`]: none, or unlimited teams).
    pub(super) fn team_of(&self, plan: &Plan, node: u32) -> u32 {
        if self.unlimited {
            NO
        } else {
            plan.team.at(node)
        }
    }

    /// A restore that may start now joins its team's waiting set, and `available` if the team
    /// has room and it comes first there.
    pub(super) fn make_ready(&mut self, plan: &Plan, node: u32, place: u32) {
        let team = self.team_of(plan, node);
        if team == NO {
            self.available.push(Reverse(place));
            return;
        }
        if self.started_now && self.fresh_at.at(team) != self.now {
            self.fresh_at.set(team, self.now);
            self.fresh.push(team);
        }
        let waiting = self.waiting.at_mut(team);
        waiting.push(Reverse(place));
        let first = waiting.peek() == Some(&Reverse(place));
        if self.running.at(team) >= plan.capacity.at(team) {
            self.waited = true;
        } else if first {
            self.available.push(Reverse(place));
        }
    }

    pub(super) fn start_restore(&mut self, node: u32, t: u64, d: u64) {
        let i = node as usize;
        let ready = self.ready.at(i);
        let decider = if t == ready && ready > 0 {
            self.ready_decider.at(i)
        } else {
            NO
        };
        self.set(i, 0, t.saturating_add(d), decider);
        self.started_now = true;
        self.start.set(i, t);
        self.started.push((t, node));
        self.work.push(node);
        self.wake_watchers(node);
    }

    pub(super) fn set(&mut self, i: usize, down: u64, up: u64, decider: u32) {
        self.version += 1;
        self.resolved.set(i, true);
        self.down.set(i, down);
        self.up.set(i, up);
        self.decided.set(i, decider);
    }

    /// A lost node whose dependencies are all resolved: when its restore may start (the latest
    /// `up` over the edges that affect it, 0 if none does).
    pub(super) fn resolve_lost(&mut self, plan: &Plan, node: u32) {
        let i = node as usize;
        let (ready, decider) = unpack_latest(self.latest.at(i));
        self.ready.set(i, ready);
        self.version += 1;
        self.ready_decider.set(i, decider);
        // Groups reading it see it back no earlier than its ready time from now on (or never):
        // their outage may have become certain.
        self.wake_watchers(node);
        if ready == NONE {
            // Something it needs never comes back: it cannot be restored.
            self.set(i, 0, NONE, decider);
            self.work.push(node);
        } else if ready <= self.now {
            // Resolved at the decision time and ready by then: it may start now, as if it had
            // gone through `future`.
            let place = plan.priority.at(i);
            self.make_ready(plan, node, place);
        } else {
            let place = plan.priority.at(i);
            self.future.push(event(ready, place));
        }
    }

    /// Tells the dependents of every node on the work list that it is resolved, resolving those
    /// that were waiting only for it; then tries again the groups that asked to be.
    pub(super) fn propagate(&mut self, plan: &Plan, dur: &[u64]) {
        loop {
            while let Some(n) = self.work.pop() {
                self.tell_dependents(plan, n, dur);
            }
            if self.deferring {
                self.deferred |= !self.retry.is_empty();
                break;
            }
            let Some(key) = self.retry.pop() else {
                break;
            };
            let (_, g) = unpack_event(key);
            self.queued.set(g, false);
            self.try_group(plan, g, dur);
        }
    }

    pub(super) fn tell_dependents(&mut self, plan: &Plan, n: u32, dur: &[u64]) {
        let down = self.down.at(n);
        let up = self.up.at(n);
        let key = latest_key(up, n);
        for e in plan.dependents_of(n) {
            let d = e.node as usize;
            if e.member {
                // A group does not wait for its members; one of them is known now, which may
                // settle the group.
                if self.pending.at(d) == 0 {
                    if self.deferring {
                        self.queue(e.node);
                    } else {
                        self.try_group(plan, e.node, dur);
                    }
                }
                continue;
            }
            // The edge affects its dependent when n is down for longer than T.
            if down != NONE && (up == NONE || up - down > e.tolerance) {
                let first = self.first_down.at(d).min(down.saturating_add(e.tolerance));
                self.first_down.set(d, first);
                let latest = self.latest.at(d).max(key);
                self.latest.set(d, latest);
            }
            let pending = self.pending.at(d).saturating_sub(1);
            self.pending.set(d, pending);
            if pending > 0 {
                continue;
            }
            if plan.lost.at(d) {
                self.resolve_lost(plan, e.node);
            } else if plan.is_group(d) {
                self.try_group(plan, e.node, dur);
            } else {
                self.resolve_other(plan, e.node, dur);
                self.work.push(e.node);
            }
        }
    }

    pub(super) fn resolve_other(&mut self, plan: &Plan, node: u32, dur: &[u64]) {
        let i = node as usize;
        let down = self.first_down.at(i);
        let key = self.latest.at(i);
        self.settle(plan, node, down, key, dur);
    }

    pub(super) fn resolve_group(&mut self, group: u32, outage: GroupOutage, dur: &[u64]) {
        let g = group as usize;
        let down = self.first_down.at(g);
        let key = self.latest.at(g);
        let (down, up, decider) = outage_from(down, key, &outage, dur.at(g));
        self.set(g, down, up, decider);
        self.work.push(group);
        self.wake_watchers(group);
    }

    /// A node other than a lost one, given the earliest `down + T` and the [`latest_key`] over
    /// its affecting edges: adds a group's own rule, then its `dur`. Every member is resolved.
    pub(super) fn settle(&mut self, plan: &Plan, node: u32, down: u64, key: u128, dur: &[u64]) {
        let i = node as usize;
        let outage = if plan.is_group(i) {
            self.resolved_outage(plan, node)
        } else {
            GroupOutage::NONE
        };
        let (down, up, decider) = outage_from(down, key, &outage, dur.at(i));
        self.set(i, down, up, decider);
    }

    /// A group's own outage from its members' times (all resolved).
    pub(super) fn resolved_outage(&mut self, plan: &Plan, group: u32) -> GroupOutage {
        let g = group as usize;
        let mut values = std::mem::take(&mut self.values.never);
        values.clear();
        values.extend(plan.members_of(group).iter().map(|&m| {
            let d = self.down.at(m);
            let u = self.up.at(m);
            (m, d, u)
        }));
        let outage = group_outage(
            &values,
            plan.threshold.at(g),
            plan.failover.at(g),
            &mut self.sweep,
        );
        self.values.never = values;
        outage
    }

    /// Adds one to `counts` (by local node) for every node on some function's critical path;
    /// `stamps` records the last `stamp` each node was counted in, so that a path shared by
    /// several functions is walked and counted once.
    pub(crate) fn count_critical(
        &self,
        plan: &Plan,
        stamps: &mut [u64],
        stamp: u64,
        counts: &mut [u64],
    ) {
        for &f in &plan.functions {
            if self.down.at(f) == NONE {
                continue;
            }
            let mut n = self.decided.at(f);
            while n != NO {
                // A path shared with a function counted before: the rest of it was counted too.
                let seen = stamps.at_mut(n);
                if *seen == stamp {
                    break;
                }
                *seen = stamp;
                *counts.at_mut(n) += 1;
                n = self.decided.at(n);
            }
        }
    }
}
