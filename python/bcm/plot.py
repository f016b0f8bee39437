"""Plots of bcm results (needs the optional extra: ``pip install 'bcm-engine[plot]'``).

>>> import bcm, bcm.plot
>>> m = bcm.Model.load("examples/agency.yaml")
>>> ax = bcm.plot.gantt(m.schedule(lose=["chelsea-dc"]))
>>> ax.get_xlabel()
'hours since the disruption'
"""

from __future__ import annotations

from typing import Any

from bcm._bcm import Schedule

__all__ = ["gantt"]

_HOUR = 3600.0


def gantt(schedule: Schedule, ax: Any = None) -> Any:
    """Draws a recovery schedule as a Gantt chart and returns the matplotlib Axes.

    One lane per team (restores without a team share a lane "no team"; bars of a team with
    capacity above one may run side by side and are drawn half-transparent), then one row per
    affected function with its outage and a marker at its RTO: red when the RTO is breached.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("bcm.plot needs matplotlib: pip install 'bcm-engine[plot]'") from e

    chart = schedule.gantt()
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 0.4 * (len(chart["functions"]) + 8)))
    teams = sorted({r["team"] for r in chart["restores"] if r["team"] is not None})
    if any(r["team"] is None for r in chart["restores"]):
        teams.append(None)
    labels: list[str] = []
    for row, team in enumerate(teams):
        labels.append(team if team is not None else "no team")
        for r in (r for r in chart["restores"] if r["team"] == team):
            start, end = r["start"] / _HOUR, r["end"] / _HOUR
            ax.barh(row, end - start, left=start, height=0.6, alpha=0.6, color="tab:blue", edgecolor="black")
    horizon = max(
        [r["end"] for r in chart["restores"]]
        + [f["up_at"] for f in chart["functions"] if f["up_at"] is not None]
        + [f["rto"] for f in chart["functions"] if f["rto"] is not None]
        + [0]
    )
    first = len(teams)
    for i, f in enumerate(chart["functions"]):
        row = first + i
        labels.append(f["id"])
        up = f["up_at"] if f["up_at"] is not None else horizon
        late = f["rto"] is not None and (f["up_at"] is None or f["up_at"] > f["rto"])
        colour = "tab:red" if late else "tab:green"
        ax.barh(row, (up - f["down_at"]) / _HOUR, left=f["down_at"] / _HOUR, height=0.6, color=colour, alpha=0.5)
        if f["rto"] is not None:
            ax.plot([f["rto"] / _HOUR], [row], marker="|", markersize=14, color="black")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels)
    ax.invert_yaxis()
    ax.set_xlabel("hours since the disruption")
    ax.set_title("Recovery schedule: restores by team; functions with their RTO (|)")
    ax.figure.tight_layout()
    return ax
