"""Progress of long work (simulations, Monte Carlo estimates, reports) as a tqdm bar.

>>> import bcm
>>> m = bcm.Model.load("examples/agency.yaml")  # doctest: +SKIP
>>> m.progress = bcm.tqdm_progress()  # doctest: +SKIP
>>> m.simulate("chelsea-dc", iterations=1_000_000)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def tqdm_progress(**options: Any) -> Callable[[str, int, int], None]:
    """A ``Model.progress`` callback that draws a tqdm bar per stage (``pip install tqdm``);
    ``options`` go to ``tqdm.tqdm`` (``leave=False``, ``file=...``)."""
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("bcm.tqdm_progress needs tqdm: pip install tqdm") from err
    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None or bar.total != total:
            if bar is not None:
                bar.close()
            bar = tqdm(total=total, desc=stage, **options)
            bars[stage] = bar
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update
