"""The exceptions bcm raises: real classes with typed attributes, raised by the compiled module.

They live in Python because the compiled module is built for the stable ABI (abi3), which cannot
subclass ``Exception`` from Rust; ``bcm._bcm`` imports them and raises them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bcm._bcm import Findings

__all__ = ["AnalysisError", "BcmError", "ModelError", "NotFoundError", "ReadError", "ValidationError"]


class BcmError(Exception):
    """Base class of every error bcm raises."""


class ModelError(BcmError):
    """A model could not be loaded or written.

    ``findings`` lists every problem with its path (empty when the problem is not the document's,
    such as a number JSON cannot write).
    """

    findings: Findings

    def __init__(self, message: str, findings: Findings | None = None) -> None:
        super().__init__(message)
        if findings is None:
            from bcm._bcm import Findings

            findings = Findings()
        self.findings = findings

    def __reduce__(self) -> tuple[type[ModelError], tuple[str]]:
        # Sent to another process (multiprocessing pickles a worker's exception), the message
        # travels and the findings, which the message summarises, do not.
        return (type(self), (str(self),))


class ValidationError(ModelError):
    """The document is not a valid model: ``findings`` holds every finding ``validate_text``
    gives for it, the structural ones that stopped the load and the others, warnings included.

    >>> import bcm
    >>> try:
    ...     bcm.Model.from_yaml("bcm: 1\\nfunctions: [{id: f, rto: 4 hours, depends_on: [db]}]\\n")
    ... except bcm.ValidationError as err:
    ...     [(f.code, f.path) for f in err.findings.errors]
    [('E-DURATION', '/functions/0/rto'), ('E-REF', '/functions/0/depends_on/0')]
    """


class ReadError(BcmError, OSError):
    """A model file could not be read: an ``OSError`` (``errno``, ``strerror``, ``filename``) that
    is also a ``BcmError``."""


class NotFoundError(ReadError, FileNotFoundError):
    """The model file does not exist: a ``FileNotFoundError`` that is also a ``BcmError``."""


class AnalysisError(BcmError):
    """An analysis cannot run with these parameters (an unknown failure unit, say)."""
