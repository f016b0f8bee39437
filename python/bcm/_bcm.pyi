"""Type stubs of the compiled module bcm._bcm (checked by mypy.stubtest)."""

import datetime
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, final

__all__ = [
    "__version__",
    "AnalysisError",
    "Availability",
    "CmdbImport",
    "Conformance",
    "Currency",
    "Impact",
    "Maturity",
    "Objectives",
    "Report",
    "Risk",
    "Schedule",
    "ScheduleComparison",
    "Simulation",
    "SimulationTally",
    "Spof",
    "BcmError",
    "Finding",
    "Findings",
    "Model",
    "ModelError",
    "NotFoundError",
    "ReadError",
    "ValidationError",
    "import_cmdb",
    "validate_file",
    "validate_text",
]

__version__: str

from bcm._errors import AnalysisError as AnalysisError
from bcm._errors import BcmError as BcmError
from bcm._errors import ModelError as ModelError
from bcm._errors import NotFoundError as NotFoundError
from bcm._errors import ReadError as ReadError
from bcm._errors import ValidationError as ValidationError

class _Result:
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def to_polars(self, table: str | None = None) -> Any: ...
    def _repr_html_(self) -> str: ...

@final
class Objectives(_Result):
    """Required objectives: {"nodes": [{id, kind, required, required_rpo, gaps}]}.

    ``to_pandas("gaps")`` has one row per gap, ``{id, kind, gap, required, achievable}``:
    G-RTO compares the required time with the restore (the measured one if longer), G-RPO the
    required RPO with the backup interval, G-FAILOVER the required time with the switchover,
    G-MEASURED the declared restore with the measured one.
    """

    def to_pandas(self, table: str | None = None) -> Any: ...

@final
class Currency(_Result):
    """Plan currency at a date: {"at", "actions": [{subject, subject_kind, action, trigger,
    change, last, clause, due, plans, message}], "plans": [{id, reviewed, tested, stale_by,
    review_overdue, test_overdue, current}]}.

    ``to_pandas()`` lists the actions, earliest due first; ``to_pandas("plans")`` each plan's
    standing. Dates are datetime64 columns.
    """

    def to_pandas(self, table: str | None = None) -> Any: ...
    @property
    def current(self) -> bool: ...
    @property
    def at(self) -> str: ...

@final
class Risk(_Result):
    """Risk: {"iterations", "seed", "currency", "register": [{id, kind, asset, threat, cramm,
    cell, losses, controls}], "portfolio": {ale_inherent, ale_residual, inherent, residual} | None,
    "heat_map": [{likelihood, impact, band, risks}]}.

    ``to_pandas()`` is the register (one flat row per risk), ``to_pandas("curve")`` the
    portfolio's loss-exceedance curve, ``to_pandas("heat_map")`` the matrix's cells.
    """

    def to_pandas(self, table: str | None = None) -> Any: ...

@final
class Conformance(_Result):
    """Policy conformance against a profile: {"profile", "name", "at", "score": {passed, failed,
    not_measured, percent}, "requirements": [{id, clause, check, params, result, numerator,
    denominator, percent, target, evidence, failing}]}.

    ``result`` is ``pass``, ``fail`` or ``not-measured``; ``to_pandas()`` lists the requirements.
    """

    def to_pandas(self, table: str | None = None) -> Any: ...
    @property
    def conforms(self) -> bool: ...

@final
class Maturity(_Result):
    """Control maturity of SCF BCD-12.2: {"control", "name", "soc2", "at", "threshold", "level",
    "cap", "assessments", "levels": [{level, applicable, met, total, share, reached}],
    "criteria": [{id, level, text, met, source, declared, derived, check, evidence, failing}]}.

    ``source`` says who vouches for a criterion: ``declared`` (the assessor), ``derived`` (the
    model shows it), ``both`` or ``none``. ``to_pandas()`` lists the criteria,
    ``to_pandas("levels")`` the levels.
    """

    def to_pandas(self, table: str | None = None) -> Any: ...
    @property
    def level(self) -> int: ...

@final
class Report:
    """The report: a summary of where the organization stands, then every analysis (A–K) with
    its tables and charts. ``to_html()`` is one self-contained page (inline CSS and SVG, no
    script), ``to_markdown()`` the same in Markdown, ``to_dict()`` the data: {"organization",
    "bcm_version", "at", "scenario", "iterations", "years", "seed", "redacted", "currency",
    "summary", "sections": [{id, letter, title, available, lead, tables: [{id, title, columns,
    rows}], charts: [{title, description}]}]}. A notebook shows the HTML inline.
    """

    def to_html(self) -> str: ...
    def to_markdown(self) -> str: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def csv_files(self) -> dict[str, str]: ...
    def to_pandas(self, section: str, table: str) -> Any: ...
    @property
    def organization(self) -> str: ...
    def _repr_html_(self) -> str: ...

@final
class Impact(_Result):
    """Impact of a scenario: {"functions": [{id, down_at, impact}], "totals": {...}}."""

    def to_pandas(self, table: str | None = None) -> Any: ...

@final
class Spof(_Result):
    """Single points of failure: {"functions", "units", "coverage"}; ``to_pandas("pairs")``
    has one row per (function, unit) pair."""

    def to_pandas(self, table: str | None = None) -> Any: ...

@final
class Availability(_Result):
    """Availability: {"nodes": [{id, kind, availability, method, annual_downtime}]}."""

    def to_pandas(self, table: str | None = None) -> Any: ...

@final
class Schedule(_Result):
    """Recovery schedule: {"nodes", "functions", "waves", "makespan"} (and "blocked" if any).

    Durations are their ``likely`` values: a function shown meeting its RTO may still miss it
    often when restores run long; ``Model.simulate`` gives the chance of meeting each RTO.
    """

    def to_pandas(self, table: str | None = None) -> Any: ...
    def gantt(self) -> dict[str, Any]: ...
    def to_mermaid(self, title: str = "Recovery schedule") -> str: ...
    def compare(self, other: Schedule) -> ScheduleComparison: ...
    @property
    def makespan(self) -> int | None: ...

@final
class ScheduleComparison(_Result):
    """What changed between two schedules: {"functions", "makespan_before", "makespan_after"}."""

    def to_pandas(self, table: str | None = None) -> Any: ...

@final
class Simulation(_Result):
    """Recovery simulation: {"iterations", "seed", "functions", "nodes"}."""

    def to_pandas(self, table: str | None = None) -> Any: ...

@final
class SimulationTally:
    """The mergeable counts of a simulation over a range of iterations."""

    @property
    def iterations(self) -> int: ...
    @property
    def seed(self) -> int: ...
    def merge(self, other: SimulationTally) -> SimulationTally: ...
    def result(self) -> Simulation: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> SimulationTally: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Finding:
    """One problem found in a model."""

    @property
    def severity(self) -> Literal["error", "warning"]: ...
    @property
    def code(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def entities(self) -> list[str]: ...
    @property
    def line(self) -> int | None: ...
    @property
    def column(self) -> int | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Findings:
    """Every finding of a validation."""

    def __init__(self) -> None: ...

    @property
    def valid(self) -> bool: ...
    @property
    def errors(self) -> list[Finding]: ...
    @property
    def warnings(self) -> list[Finding]: ...
    def __len__(self) -> int: ...
    def __getitem__(self, key: int, /) -> Finding: ...
    def __iter__(self) -> Iterator[Finding]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_pandas(self) -> Any: ...
    def _repr_html_(self) -> str: ...

@final
class Model:
    """An organization's continuity model."""

    @staticmethod
    def load(path: str | os.PathLike[str]) -> Model: ...
    @staticmethod
    def from_json(text: str) -> Model: ...
    @staticmethod
    def from_yaml(text: str) -> Model: ...
    @staticmethod
    def from_dict(data: dict[str, Any]) -> Model: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self, pretty: bool = False) -> str: ...
    def to_yaml(self) -> str: ...
    def validate(self) -> Findings: ...
    def objectives(self) -> Objectives: ...
    def currency(self, at: str | datetime.date | None = None) -> Currency: ...
    def maturity(self, at: str | datetime.date | None = None, threshold: float | None = None) -> Maturity: ...
    def risk(
        self,
        iterations: int = 10000,
        seed: int = 0,
        matrix: dict[str, Any] | None = None,
        cramm: dict[str, Any] | None = None,
    ) -> Risk: ...
    def cut_pairs(self, function: str) -> dict[str, Any]: ...
    def report(
        self,
        at: str | datetime.date | None = None,
        lose: str | Sequence[str] | None = None,
        iterations: int = 1000,
        years: int = 10000,
        seed: int = 0,
        profile: str = "ma-ebcm",
        redact_personal: bool = False,
    ) -> Report: ...
    def graph(
        self,
        format: Literal["dot", "mermaid"] = "dot",
        function: str | None = None,
        lose: str | Sequence[str] | None = None,
    ) -> str: ...
    def conformance(
        self,
        profile: str | os.PathLike[str] | dict[str, Any] | None = None,
        at: str | datetime.date | None = None,
    ) -> Conformance: ...
    def export(
        self,
        format: Literal["oscal-ar", "oscal-poam", "dora-b0601"],
        at: str | datetime.date | None = None,
        profile: str | os.PathLike[str] | dict[str, Any] | None = None,
    ) -> str: ...
    def impact(self, lose: str | Sequence[str], at: str | None = None) -> Impact: ...
    def spof(self) -> Spof: ...
    def availability(self, iterations: int = 10000, seed: int = 0) -> Availability: ...
    def schedule(self, lose: str | Sequence[str]) -> Schedule: ...
    def simulate(self, lose: str | Sequence[str], iterations: int = 10000, seed: int = 0) -> Simulation: ...
    def simulate_range(self, lose: str | Sequence[str], start: int, end: int, seed: int = 0) -> SimulationTally: ...
    @property
    def progress(self) -> Callable[[str, int, int], object] | None: ...
    @progress.setter
    def progress(self, callback: Callable[[str, int, int], object] | None) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def threads(self) -> int: ...
    @threads.setter
    def threads(self, threads: int) -> None: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class CmdbImport:
    """A model imported from a CMDB export, and the rows not imported."""

    @property
    def model(self) -> Model: ...
    @property
    def unmapped(self) -> list[dict[str, Any]]: ...

def import_cmdb(
    cis: str | os.PathLike[str],
    relations: str | os.PathLike[str],
    map: str | os.PathLike[str] | dict[str, Any] | None = None,
) -> CmdbImport: ...
def validate_file(path: str | os.PathLike[str]) -> Findings: ...
def validate_text(text: str, format: Literal["yaml", "json"] = "yaml") -> Findings: ...
