"""Plots of bcm results (needs the optional extra: ``pip install 'bcm-engine[plot]'``).

>>> import bcm, bcm.plot
>>> m = bcm.Model.load("examples/agency.yaml")
>>> ax = bcm.plot.gantt(m.schedule(lose=["chelsea-dc"]))
>>> ax.get_xlabel()
'hours since the disruption'
"""

from __future__ import annotations

from typing import Any

from bcm._bcm import Risk, Schedule

__all__ = ["gantt", "heatmap", "loss_exceedance"]

_HOUR = 3600.0


def _sub_rows(restores: list[dict[str, Any]], label_width: float = 0.0) -> list[int]:
    """Puts each restore on the first sub-row free at its start (interval partitioning, in
    start order), so that neither bars that run at the same time nor their labels hide each
    other: a restore holds its row until its end or until its label (``label_width`` seconds
    per character of its ID, plus one) ends, whichever is later. Returns the sub-row of each
    restore, in the order given."""
    ends: list[float] = []
    rows = [0] * len(restores)
    for i in sorted(range(len(restores)), key=lambda i: (restores[i]["start"], restores[i]["end"])):
        r = restores[i]
        held = max(r["end"], r["start"] + label_width * (len(r.get("id", "")) + 1))
        row = next((k for k, end in enumerate(ends) if end <= r["start"]), len(ends))
        if row == len(ends):
            ends.append(held)
        else:
            ends[row] = held
        rows[i] = row
    return rows


def gantt(schedule: Schedule, ax: Any = None) -> Any:
    """Draws a recovery schedule as a Gantt chart and returns the matplotlib Axes.

    One lane per team (restores without a team share a lane "no team"), each restore a labelled
    bar; restores that overlap in time are stacked in sub-rows of their lane, so none hides
    another. Then one row per affected function with its outage, green when it is back within
    its RTO and red when not, and a black mark at its RTO. Durations are the schedule's likely
    values; ``Model.simulate`` gives the chance of meeting each RTO.
    """
    try:
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("bcm.plot needs matplotlib: pip install 'bcm-engine[plot]'") from e

    chart = schedule.gantt()
    horizon = max(
        [r["end"] for r in chart["restores"]]
        + [f["up_at"] for f in chart["functions"] if f["up_at"] is not None]
        + [f["rto"] for f in chart["functions"] if f["rto"] is not None]
        + [0]
    )
    # A 7-point character is about 4.2 points wide; the axes span about 600 points of the
    # figure's 11 inches: the seconds one character of a label covers.
    label_width = horizon * 4.2 / 600
    teams = sorted({r["team"] for r in chart["restores"] if r["team"] is not None})
    if any(r["team"] is None for r in chart["restores"]):
        teams.append(None)
    lanes = []
    for team in teams:
        restores = [r for r in chart["restores"] if r["team"] == team]
        lanes.append((team, restores, _sub_rows(restores, label_width)))
    rows = sum(max(sub, default=0) + 1 for _, _, sub in lanes) + len(chart["functions"])
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 0.25 * rows + 2))
    ticks: list[float] = []
    labels: list[str] = []
    row = 0
    for team, restores, sub in lanes:
        depth = max(sub, default=0) + 1
        ticks.append(row + (depth - 1) / 2)
        labels.append(team if team is not None else "no team")
        for r, k in zip(restores, sub):
            start, end = r["start"] / _HOUR, r["end"] / _HOUR
            ax.barh(row + k, end - start, left=start, height=0.8, color="tab:blue", alpha=0.6, edgecolor="black")
            ax.text(start, row + k, " " + r["id"], va="center", ha="left", fontsize=7, clip_on=True)
        row += depth
        ax.axhline(row - 0.5, color="grey", linewidth=0.5)
    for f in chart["functions"]:
        ticks.append(row)
        labels.append(f["id"])
        up = f["up_at"] if f["up_at"] is not None else horizon
        late = f["rto"] is not None and (f["up_at"] is None or f["up_at"] > f["rto"])
        colour = "tab:red" if late else "tab:green"
        ax.barh(row, (up - f["down_at"]) / _HOUR, left=f["down_at"] / _HOUR, height=0.8, color=colour, alpha=0.5)
        if f["rto"] is not None:
            ax.plot([f["rto"] / _HOUR], [row], marker="|", markersize=14, markeredgewidth=2, color="black")
        row += 1
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    ax.set_ylim(row - 0.5, -0.5)
    ax.set_xlabel("hours since the disruption")
    ax.set_title("Recovery schedule (likely durations): restores by team, then each function's outage")
    ax.legend(
        handles=[
            Patch(facecolor="tab:blue", alpha=0.6, edgecolor="black", label="restore"),
            Patch(facecolor="tab:green", alpha=0.5, label="function back within its RTO"),
            Patch(facecolor="tab:red", alpha=0.5, label="function breaching its RTO"),
            Line2D([], [], marker="|", markersize=14, markeredgewidth=2, color="black", linestyle="", label="RTO"),
        ],
        loc="lower right",
        fontsize=8,
    )
    ax.figure.tight_layout()
    return ax


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("bcm.plot needs matplotlib: pip install 'bcm-engine[plot]'") from e
    return plt


def loss_exceedance(risk: Risk, ax: Any = None) -> Any:
    """Draws the portfolio's loss-exceedance curves, inherent and residual: the probability that
    a year's loss exceeds each amount (log scale). Returns the matplotlib Axes."""
    plt = _pyplot()
    data = risk.to_dict()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    portfolio = data["portfolio"]
    for which, style in (("inherent", "--"), ("residual", "-")):
        curve = portfolio[which]["curve"] if portfolio else []
        ax.plot([p["loss"] for p in curve], [p["p_exceed"] for p in curve], style, label=which)
    ax.set_xscale("log")
    ax.set_xlabel(f"annual loss ({data['currency']})")
    ax.set_ylabel("probability of exceeding it in a year")
    ax.set_title("Loss exceedance of the portfolio")
    ax.legend()
    ax.figure.tight_layout()
    return ax


def heatmap(risk: Risk, ax: Any = None) -> Any:
    """Draws the likelihood × impact matrix: each cell coloured by its band, with its risks'
    IDs. Returns the matplotlib Axes."""
    plt = _pyplot()
    cells = risk.to_dict()["heat_map"]
    rows = max((c["likelihood"] for c in cells), default=0)
    columns = max((c["impact"] for c in cells), default=0)
    bands = list(dict.fromkeys(c["band"] for c in cells))
    colours = ["#b7e1a1", "#ffe08a", "#f9a65a", "#e8574f", "#9e2a2b"]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 7))
    for c in cells:
        colour = colours[min(bands.index(c["band"]), len(colours) - 1)]
        ax.add_patch(plt.Rectangle((c["impact"] - 0.5, c["likelihood"] - 0.5), 1, 1, color=colour))
        if c["risks"]:
            ax.text(c["impact"], c["likelihood"], "\n".join(c["risks"]), ha="center", va="center", fontsize=7)
    ax.set_xlim(0.5, columns + 0.5)
    ax.set_ylim(0.5, rows + 0.5)
    ax.set_xticks(range(1, columns + 1))
    ax.set_yticks(range(1, rows + 1))
    ax.set_xlabel("impact")
    ax.set_ylabel("likelihood")
    ax.set_title("Risks by likelihood and impact (residual)")
    from matplotlib.patches import Patch

    ax.legend(
        handles=[Patch(color=colours[min(i, len(colours) - 1)], label=band) for i, band in enumerate(bands)],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title="band",
    )
    ax.figure.tight_layout()
    return ax
