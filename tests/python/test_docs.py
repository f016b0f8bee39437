"""The `>>>` examples in the compiled module's docstrings (written in Rust `///`) run."""

import doctest
from pathlib import Path

import pytest

import bcm._bcm
import bcm._errors


def test_docstring_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    result = doctest.testmod(bcm._bcm, verbose=False)
    assert result.attempted >= 4
    assert result.failed == 0


def test_exception_examples() -> None:
    result = doctest.testmod(bcm._errors, verbose=False)
    assert result.attempted >= 1
    assert result.failed == 0
