"""The README's Python snippets run as written (from the repository root): examples cannot
drift from the package."""

import os
import re
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_has_python_snippets() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_a_readme_snippet_runs(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    matplotlib.use("Agg")  # no display in CI
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(BLOCKS[index], f"README.md python block {index}", "exec"), {})
    finally:
        os.chdir(cwd)
    if index == 0:
        printed = capsys.readouterr().out
        assert "E-DURATION /functions/0/rto" in printed
        assert "E-REF /functions/0/depends_on/0" in printed
