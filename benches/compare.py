"""Cross-language benchmarks of DESIGN §7: bcm against straightforward Python on the same input.

The Python side implements the same definitions (DESIGN §3, §4.B-D) plainly, with networkx for the
graph and Python sets and heaps for the rest. For SPOF it uses the same per-node set recursion as
bcm rather than one propagation per unit, which keeps the comparison fair to Python. Each result is
checked against bcm's before its time counts. Prints one ratio line per row of the §7 table.

Usage (make bench does this): python benches/compare.py benches/data/large.json
"""

from __future__ import annotations

import gc
import heapq
import json
import re
import sys
import time
from collections import Counter
from typing import Any

import networkx as nx

import bcm

UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def seconds(text: str) -> int:
    """A duration in the canonical short form bcm writes (1d12h, 30m)."""
    return sum(int(n) * UNITS[u] for n, u in re.findall(r"(\d+)([wdhms])", text))


def likely(value: Any) -> int:
    if value is None:
        return 0
    return seconds(value["likely"] if isinstance(value, dict) else value)


def three_point(value: Any) -> tuple[int, int, int]:
    if value is None:
        return (0, 0, 0)
    if isinstance(value, dict):
        return (seconds(value["min"]), seconds(value["likely"]), seconds(value["max"]))
    return (seconds(value),) * 3


class Plain:
    """The model as a networkx graph: edge d -> n means d depends on n."""

    def __init__(self, doc: dict[str, Any]) -> None:
        g: nx.DiGraph = nx.DiGraph()
        self.kind: dict[str, str] = {}
        self.dur: dict[str, int] = {}
        self.rto: dict[str, int] = {}
        self.rpo: dict[str, int] = {}
        self.min_up: dict[str, int] = {}
        self.team: dict[str, str] = {}
        self.capacity: dict[str, int] = {t["id"]: max(1, t.get("capacity", 1)) for t in doc.get("teams", [])}
        self.failover: dict[str, int] = {}
        self.estimate: dict[str, tuple[int, int, int]] = {}
        self.wrt: dict[str, int] = {}
        self.site_assets: dict[str, list[str]] = {s["id"]: [] for s in doc.get("sites", [])}
        self.vendor_assets: dict[str, list[str]] = {v["id"]: [] for v in doc.get("vendors", [])}

        def deps(owner: str, entries: list[Any]) -> None:
            for entry in entries:
                target = entry if isinstance(entry, str) else entry["id"]
                tol = 0 if isinstance(entry, str) else seconds(entry.get("tolerance", "0s"))
                g.add_edge(owner, target, tol=tol, member=False)

        for f in doc.get("functions", []):
            g.add_node(f["id"])
            self.kind[f["id"]] = "function"
            self.dur[f["id"]] = likely(f.get("resume"))
            self.estimate[f["id"]] = three_point(f.get("resume"))
            self.wrt[f["id"]] = seconds(f.get("wrt", "0s"))
            if "rto" in f:
                self.rto[f["id"]] = seconds(f["rto"])
            if "rpo" in f:
                self.rpo[f["id"]] = seconds(f["rpo"])
            deps(f["id"], f.get("depends_on", []))
        for a in doc.get("assets", []):
            g.add_node(a["id"])
            group = a["kind"] == "group"
            self.kind[a["id"]] = "group" if group else "asset"
            self.dur[a["id"]] = 0 if group else likely(a.get("restore"))
            self.estimate[a["id"]] = three_point(a.get("restore"))
            if "team" in a:
                self.team[a["id"]] = a["team"]
            if group:
                self.failover[a["id"]] = seconds(a.get("failover_time", "0s"))
            deps(a["id"], a.get("depends_on", []))
            if group:
                self.min_up[a["id"]] = a.get("min_up", 1)
                for m in a["members"]:
                    g.add_edge(a["id"], m, tol=0, member=True)
            if "site" in a:
                self.site_assets[a["site"]].append(a["id"])
            if "vendor" in a:
                self.vendor_assets[a["vendor"]].append(a["id"])
        for v in doc.get("vendors", []):
            g.add_node(v["id"])
            self.kind[v["id"]] = "vendor"
            self.dur[v["id"]] = likely(v.get("restore"))
            self.estimate[v["id"]] = three_point(v.get("restore"))
        self.g = g
        self.order = list(nx.topological_sort(g))  # dependents before dependencies

    def objectives(self) -> dict[str, int | None]:
        required: dict[str, int | None] = {}
        for n in self.order:
            best = self.rto.get(n)
            for d, _, data in self.g.in_edges(n, data=True):
                r = required.get(d)
                if r is not None:
                    cand = max(data["tol"], r - self.dur[d])
                    best = cand if best is None else min(best, cand)
            required[n] = best
        return required

    def lost(self, unit: str) -> set[str]:
        if unit in self.site_assets:
            out: set[str] = set()
            for a in self.site_assets[unit]:
                out |= self.lost(a)
            return out
        if unit in self.vendor_assets:
            return {unit, *self.vendor_assets[unit]}
        if self.kind[unit] == "group":
            out = set()
            for _, m, data in self.g.out_edges(unit, data=True):
                if data["member"]:
                    out |= self.lost(m)
            return out
        return {unit}

    def spof(self) -> dict[str, set[str]]:
        units = [*self.site_assets, *self.vendor_assets, *(n for n, k in self.kind.items() if k == "asset")]
        direct: dict[str, set[str]] = {n: set() for n in self.g}
        for u in units:
            for n in self.lost(u):
                direct[n].add(u)
        sets: dict[str, set[str]] = {}
        for n in reversed(self.order):  # dependencies first
            s = set(direct[n])
            members = []
            for _, m, data in self.g.out_edges(n, data=True):
                if data["member"]:
                    members.append(sets[m])
                elif data["tol"] == 0:
                    s |= sets[m]
            if n in self.min_up:
                threshold = max(1, len(members) + 1 - self.min_up[n])
                counts = Counter(u for m in members for u in m)
                s |= {u for u, c in counts.items() if c >= threshold}
            sets[n] = s
        return {n: sets[n] for n, k in self.kind.items() if k == "function"}

    def takes_down(self, unit: str) -> set[str]:
        """The straightforward reading of the SPOF definition: lose the unit alone and propagate
        over hard edges (groups by their threshold); the functions that end up down."""
        down = set(self.lost(unit))
        members_down: Counter[str] = Counter()
        work = list(down)
        while work:
            n = work.pop()
            for d, _, data in self.g.in_edges(n, data=True):
                if d in down:
                    continue
                if data["member"]:
                    members_down[d] += 1
                    members = sum(1 for _, _, x in self.g.out_edges(d, data=True) if x["member"])
                    if members_down[d] >= max(1, members + 1 - self.min_up[d]):
                        down.add(d)
                        work.append(d)
                elif data["tol"] == 0:
                    down.add(d)
                    work.append(d)
        return {n for n in down if self.kind[n] == "function"}

    def schedule(self, unit: str, required: dict[str, int | None]) -> dict[str, int | None]:
        """DESIGN §4.E read plainly over the whole graph: resolve nodes as their dependencies
        resolve; at each decision time start, among the ready lost assets whose team has room, the
        one with the smallest required time (none last), then ID. Returns up_at of every affected
        node (None: never back)."""
        lost = self.lost(unit)
        down: dict[str, int | None] = {}
        up: dict[str, int | None] = {}
        # A group waits for its own dependencies only, never its members: it resolves once its
        # outage is certain.
        waiting: set[str] = set()  # groups with nothing to wait for whose outage is not certain yet
        ready: dict[str, int] = {}
        running: list[tuple[int, str]] = []  # (finish, team)
        busy: Counter[str] = Counter()
        uncertain = object()

        # Each node's dependencies (dependency, tolerance) and group members, read once.
        deps_of: dict[str, list[tuple[str, int]]] = {n: [] for n in self.g}
        members_of: dict[str, list[str]] = {n: [] for n in self.g}
        for n, m, data in self.g.edges(data=True):
            if data["member"]:
                members_of[n].append(m)
            else:
                deps_of[n].append((m, data["tol"]))

        def affecting(n: str, members: bool) -> list[tuple[int, int | None]]:
            out = []
            edges = deps_of[n] + [(m, 0) for m in members_of[n]] if members else deps_of[n]
            for m, tol in edges:
                dm, um = down[m], up[m]
                if dm is not None and (um is None or um - dm > tol):
                    out.append((dm + tol, um))
            return out

        pending = {n: len(deps_of[n]) for n in self.g}

        def group_rule(n: str, members: list[tuple[int | None, int | None]]) -> tuple[int, int | None, bool] | None:
            """The group's own outage (down, up, full) by the group rule, None if it has none."""
            events = []
            for dm, um in members:
                if dm is not None and um != dm:
                    events.append((dm, 1))
                    if um is not None:
                        events.append((um, -1))
            if not events:
                return None
            k = max(1, len(members) + 1 - self.min_up[n])
            count, gdown, gup = 0, None, None
            for t, delta in sorted(events):
                before, count = count, count + delta
                if before < k <= count:
                    gdown = t if gdown is None else gdown
                    gup = None
                elif count < k <= before:
                    gup = t
            if gdown is not None:
                return (gdown, gup, True)
            first = min(t for t, d in events if d > 0)
            return (first, first + self.failover[n], False) if self.failover[n] > 0 else None

        def group_ends(n: str, t: int, memo: dict[tuple[str, bool], Any]) -> list[Any]:
            """The group's outage with every restore not yet started back at the earliest it can
            and with none of them ever back: [never, earliest], `uncertain` where a member's is."""
            ends = []
            for earliest in (False, True):
                members = [at_end(m, earliest, t, memo) for m in members_of[n]]
                ends.append(uncertain if uncertain in members else group_rule(n, members))
            return ends

        def at_end(n: str, earliest: bool, t: int, memo: dict[tuple[str, bool], Any]) -> Any:
            """(down, up) of n at one end of what the restores not yet started can do: resolved
            nodes give their times; a lost node not started is down from 0 and back at
            max(t, ready) + restore, or never; others are read from their dependencies (a group
            on the way counts if full at both ends or the same at both)."""
            if n in down:
                return (down[n], up[n])
            if n in lost:
                return (0, max(t, ready.get(n, 0)) + self.dur[n] if earliest else None)
            if (n, earliest) in memo:
                return memo[(n, earliest)]
            parts: list[tuple[int, int | None]] = []
            value: Any = None
            if n in self.min_up:
                never, soon = group_ends(n, t, memo)
                both_full = never not in (None, uncertain) and soon not in (None, uncertain) and never[2] and soon[2]
                if uncertain in (never, soon) or (not both_full and never != soon):
                    value = uncertain
                else:
                    own = soon if earliest else never
                    if own is not None:
                        parts.append((own[0], own[1]))
            if value is None:
                for m, tol in deps_of[n]:
                    got = at_end(m, earliest, t, memo)
                    if got is uncertain:
                        value = uncertain
                        break
                    dm, um = got
                    if dm is not None and (um is None or um - dm > tol):
                        parts.append((dm + tol, um))
            if value is None:
                if not parts:
                    value = (None, None)
                else:
                    ups = [u for _, u in parts]
                    extra = self.dur[n] if self.kind[n] == "function" else 0
                    value = (min(d for d, _ in parts), None if None in ups else max(u for u in ups if u is not None) + extra)
            memo[(n, earliest)] = value
            return value

        def resolve(n: str, t: int, work: list[str]) -> None:
            if n in lost:
                aff = affecting(n, True)
                ups = [u for _, u in aff]
                r = None if None in ups else max([0, *(u for u in ups if u is not None)])
                if r is None:
                    down[n], up[n] = 0, None
                    work.append(n)
                else:
                    ready[n] = r
                return
            aff = affecting(n, False)
            if n in self.min_up:
                never, soon = group_ends(n, t, {})
                # Certain when the same, full or not, at both ends.
                if uncertain in (never, soon) or never != soon:
                    waiting.add(n)
                    return
                waiting.discard(n)
                if never is not None:
                    aff.append((never[0], never[1]))
            if not aff:
                down[n], up[n] = None, None
            else:
                down[n] = min(d for d, _ in aff)
                ups = [u for _, u in aff]
                extra = self.dur[n] if self.kind[n] == "function" else 0
                up[n] = None if None in ups else max(u for u in ups if u is not None) + extra
            work.append(n)

        def back_if_none_ends(g: str, t: int) -> int | None:
            """When a waiting group would be back if no restore not yet started ever ended."""
            never, soon = group_ends(g, t, {})
            if never in (None, uncertain) or soon is uncertain:
                return None
            return never[1]  # type: ignore[no-any-return]

        def cascade(work: list[str], t: int) -> None:
            while True:
                while work:
                    n = work.pop()
                    for d, _, x in self.g.in_edges(n, data=True):
                        if x["member"]:
                            continue
                        pending[d] -= 1
                        if pending[d] == 0:
                            resolve(d, t, work)
                for g in sorted(waiting):
                    resolve(g, t, work)
                if not work:
                    break

        work: list[str] = []
        for n in self.g:
            if pending[n] == 0:
                resolve(n, 0, work)
        cascade(work, 0)
        t = 0
        while True:
            for finish, team in [x for x in running if x[0] <= t]:
                running.remove((finish, team))
                busy[team] -= 1
            cascade([], t)
            while True:
                fits = [
                    n for n, r in ready.items()
                    if r <= t and (n not in self.team or busy[self.team[n]] < self.capacity[self.team[n]])
                ]
                if not fits:
                    break
                n = min(fits, key=lambda x: (required[x] is None, required[x] or 0, x))
                del ready[n]
                down[n], up[n] = 0, t + self.dur[n]
                if n in self.team and self.dur[n] > 0:
                    busy[self.team[n]] += 1
                    running.append((t + self.dur[n], self.team[n]))
                cascade([n], t)
            times = [r for r in ready.values() if r > t] + [f for f, _ in running if f > t]
            times += [u for g in waiting if (u := back_if_none_ends(g, t)) is not None and u > t]
            if not times:
                break
            t = min(times)
        return {n: up[n] for n in self.g if down.get(n) is not None}

    def impact(self, unit: str) -> dict[str, int]:
        lost = self.lost(unit)
        down: dict[str, int] = {}
        left = {
            n: max(1, sum(1 for _, _, d in self.g.out_edges(n, data=True) if d["member"]) + 1 - k)
            for n, k in self.min_up.items()
        }
        heap = [(0, n) for n in lost]
        heapq.heapify(heap)
        while heap:
            t, n = heapq.heappop(heap)
            if n in down:
                continue
            down[n] = t
            for d, _, data in self.g.in_edges(n, data=True):
                if d in down:
                    continue
                if data["member"]:
                    left[d] -= 1
                    if left[d] == 0:
                        heapq.heappush(heap, (t, d))
                else:
                    heapq.heappush(heap, (t + data["tol"], d))
        return {n: t for n, t in down.items() if self.kind[n] == "function"}


def timed(fn: Any) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        text = f.read()

    # Row 1: load + validate vs json.loads of the same file; each the best of three runs, as
    # both sides are short enough for the machine's noise to matter.
    t_json = min(timed(lambda: json.loads(text))[0] for _ in range(3))
    loads = (timed(lambda: bcm.Model.from_json(text)) for _ in range(3))
    t_load, t_validate = min(((t, timed(m.validate)[0]) for t, m in loads), key=sum)
    doc = json.loads(text)
    model = bcm.Model.from_json(text)
    findings = model.validate()
    assert findings.valid
    print(
        f"load + validate large JSON: bcm {t_load + t_validate:.3f} s (load {t_load:.3f}, validate {t_validate:.3f}); "
        f"json.loads {t_json:.3f} s; ratio {t_json / (t_load + t_validate):.2f}x (bar: > 1x)"
    )

    # Row 2: objectives + SPOF + impact of each site. Each side is timed without the other's
    # data in memory: the parsed document alone takes about a gigabyte of Python objects.
    sites = [s["id"] for s in doc["sites"]]
    del doc, model, findings

    fresh = bcm.Model.from_json(text)  # the timing includes building the graph once
    t_rust, (r_obj, r_spof, r_impacts) = timed(lambda: (fresh.objectives(), fresh.spof(), [fresh.impact(lose=[s]) for s in sites]))
    doc = json.loads(text)
    t_build, plain = timed(lambda: Plain(doc))
    t_py_obj, p_obj = timed(plain.objectives)
    t_py_spof, p_spof = timed(plain.spof)
    t_py_impact, p_impacts = timed(lambda: [plain.impact(s) for s in sites])
    # Same answers.
    rust_required = {n["id"]: n["required"] for n in r_obj.to_dict()["nodes"]}
    assert rust_required == p_obj, "objectives differ"
    rust_pairs = sum(len(f["spofs"]) for f in json.loads(r_spof.to_json())["functions"])
    assert rust_pairs == sum(len(s) for s in p_spof.values()), "SPOF pairs differ"
    for r, p in zip(r_impacts, p_impacts):
        assert {f["id"]: f["down_at"] for f in r.to_dict()["functions"]} == p, "impact differs"
    t_py = t_build + t_py_obj + t_py_spof + t_py_impact

    # The straightforward SPOF: one propagation per unit. All sites and vendors, and a seeded
    # sample of assets whose time is scaled to all assets (run whole, it takes very long).
    import random

    assets = sorted(n for n, k in plain.kind.items() if k == "asset")
    sample = random.Random(1).sample(assets, min(1000, len(assets)))
    rust_units = {u["id"]: set(u["takes_down"]) for u in json.loads(r_spof.to_json())["units"]}
    t_common, common = timed(lambda: {u: plain.takes_down(u) for u in [*plain.site_assets, *plain.vendor_assets]})
    t_sample, sampled = timed(lambda: {u: plain.takes_down(u) for u in sample})
    for u, fs in {**common, **sampled}.items():
        assert fs == rust_units[u], f"unit {u} differs"
    t_naive_spof = t_common + t_sample * len(assets) / len(sample)
    t_naive = t_build + t_py_obj + t_naive_spof + t_py_impact
    print(
        f"objectives + SPOF + impact of each site, large: bcm {t_rust:.3f} s; Python/networkx {t_py:.1f} s "
        f"(graph {t_build:.1f}, objectives {t_py_obj:.1f}, SPOF {t_py_spof:.1f}, impact {t_py_impact:.1f}); "
        f"ratio {t_py / t_rust:.0f}x against Python using bcm's own set recursion for SPOF; {rust_pairs} SPOF pairs"
    )
    print(
        f"objectives + SPOF + impact of each site, large: bcm {t_rust:.3f} s; Python/networkx with SPOF by one "
        f"propagation per unit {t_naive:.0f} s (SPOF {t_naive_spof:.0f} s: {len(common)} sites and vendors measured, "
        f"{len(sample)} of {len(assets)} assets measured and scaled); ratio {t_naive / t_rust:.0f}x "
        f"(bar: >= 100x and bcm < 2 s)"
    )

    # Row 3: the recovery schedule of a site loss, against §4.E in plain Python.
    # The model's first schedule lays its graph out for the engine, once, as the graph itself is
    # built once: that is another site's loss here, timed apart. Best of three on each side.
    site = sites[0]
    t_first, _ = timed(lambda: fresh.schedule(lose=[sites[-1]]))
    t_sched, r_sched = min((timed(lambda: fresh.schedule(lose=[site])) for _ in range(3)), key=lambda x: x[0])
    t_to_dict, r_dict = timed(r_sched.to_dict)
    required = plain.objectives()
    t_py_sched, p_sched = min((timed(lambda: plain.schedule(site, required)) for _ in range(3)), key=lambda x: x[0])
    r_up = {n["id"]: n["up_at"] for n in r_dict["nodes"] if n["down_at"] is not None}
    assert r_up == p_sched, "schedules differ"
    print(
        f"recovery schedule of losing {site}, large: bcm {t_sched * 1000:.1f} ms; Python {t_py_sched:.2f} s; "
        f"ratio {t_py_sched / t_sched:.0f}x (bar: >= 100x); {len(r_up)} nodes affected "
        f"(model's first schedule, with the graph's layout: {t_first * 1000:.0f} ms; "
        f"to_dict() of all {len(r_dict['nodes'])} nodes: {t_to_dict * 1000:.0f} ms)"
    )

    # Row 4 (DESIGN §7): 10,000 simulated recoveries of the same site loss, against the same
    # schedule computed once per iteration in plain Python (the time just measured, each), and
    # two threads against one. One run each: each takes a minute or more.
    iterations = 10_000
    t_sim = {}
    tallies = {}
    for threads in (2, 1):
        fresh.threads = threads
        t_sim[threads], sim = timed(lambda: fresh.simulate(lose=[site], iterations=iterations, seed=1))
        tallies[threads] = sim.to_json()
    assert tallies[1] == tallies[2], "the simulation differs between one thread and two"
    t_py_all = t_py_sched * iterations
    print(
        f"recovery simulation, {iterations:,} iterations of losing {site}, large: bcm {t_sim[2]:.1f} s on two threads, "
        f"{t_sim[1]:.1f} s on one ({t_sim[2] / iterations * 1000:.2f} ms an iteration); plain Python, one schedule "
        f"per iteration, {t_py_all:,.0f} s; ratio {t_py_all / t_sim[2]:,.0f}x (bar: >= 2,000x); two threads "
        f"against one {t_sim[1] / t_sim[2]:.2f}x (bar: >= 1.8x)"
    )


def check_schedules(path: str) -> None:
    """The plain reading of §4.E the schedule row is timed against gives bcm's schedule of the loss
    of every site of the model at `path` (`small`), node by node."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = json.loads(text)
    plain = Plain(doc)
    model = bcm.Model.from_json(text)
    required = plain.objectives()
    for s in doc["sites"]:
        ours = {n["id"]: n["up_at"] for n in model.schedule(lose=[s["id"]]).to_dict()["nodes"] if n["down_at"] is not None}
        assert ours == plain.schedule(s["id"], required), f"schedules of losing {s['id']} differ"
    print(f"recovery schedule of losing each of the {len(doc['sites'])} sites of {path}: the same in bcm and Python")


if __name__ == "__main__":
    if len(sys.argv) > 2:
        check_schedules(sys.argv[2])
    main(sys.argv[1] if len(sys.argv) > 1 else "benches/data/large.json")
