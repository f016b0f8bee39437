"""Shared paths for the Python tests."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def agency_path() -> Path:
    return ROOT / "examples" / "agency.yaml"
