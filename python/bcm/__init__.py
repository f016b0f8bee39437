"""bcm: business continuity management.

Load an organization's continuity model (functions, assets, sites, people, vendors, risks,
plans, exercises), validate it, and analyse it.

>>> import bcm
>>> m = bcm.Model.load("examples/agency.yaml")  # doctest: +SKIP
>>> m.validate().valid  # doctest: +SKIP
True
"""

from bcm._bcm import (
    AnalysisError,
    Availability,
    BcmError,
    CmdbImport,
    Conformance,
    Currency,
    Finding,
    Findings,
    Impact,
    Maturity,
    Model,
    ModelError,
    NotFoundError,
    Objectives,
    ReadError,
    Report,
    Risk,
    Schedule,
    ScheduleComparison,
    Simulation,
    SimulationTally,
    Spof,
    ValidationError,
    __version__,
    import_cmdb,
    validate_file,
    validate_text,
)

from bcm.progress import tqdm_progress

__all__ = [
    "AnalysisError",
    "Availability",
    "BcmError",
    "CmdbImport",
    "Conformance",
    "Currency",
    "Finding",
    "Findings",
    "Impact",
    "Maturity",
    "Model",
    "ModelError",
    "NotFoundError",
    "Objectives",
    "ReadError",
    "Report",
    "Risk",
    "Schedule",
    "ScheduleComparison",
    "Simulation",
    "SimulationTally",
    "Spof",
    "ValidationError",
    "__version__",
    "import_cmdb",
    "validate_file",
    "validate_text",
    "tqdm_progress",
]
