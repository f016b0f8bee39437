"""Shared paths for the Python tests."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Helpers next to the tests (browser.py) import by name under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def agency_path() -> Path:
    return ROOT / "examples" / "agency.yaml"
