"""`python -m benchmarks --smoke` runs end to end and writes every row of the report.

It proves the script works (2,000 synthetic tasks, few repetitions); it asserts no
timing. The real numbers are in docs/benchmarks.md, from `make bench`.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import EVAL, PYTHON, ROOT

DEV = EVAL / "dev.jsonl"


@pytest.mark.skipif(not DEV.exists(), reason="shared/eval/dev.jsonl not beside the checkout")
def test_benchmarks_smoke(tmp_path):
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import ROWS, TARGET_ROWS

    docs = ROOT / "docs" / "benchmarks.md"
    before = docs.stat().st_mtime if docs.exists() else None
    out = tmp_path / "bench.md"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("TELEGRAM_BOT_TOKEN", None)
    env.pop("FENGONG_HOME", None)
    run = subprocess.run(
        [PYTHON, "-m", "benchmarks", "--smoke", "--out", str(out), "--workdir", str(tmp_path / "work")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=480,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    text = out.read_text(encoding="utf-8")
    assert text.strip() in run.stdout, "the report is printed too"
    assert "Smoke run" in text
    assert "Machine:" in text and "cores" in text and "Python 3." in text
    lines = text.splitlines()
    for label in ROWS + TARGET_ROWS:
        row = next((line for line in lines if line.startswith(f"| {label}")), None)
        assert row is not None, f"row {label!r} missing"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert all(cells), f"row {label!r} has an empty cell: {row}"
    # the main table has a column for ours and for each of the three baselines
    header = next(line for line in lines if line.startswith("| | ours"))
    assert header.count("|") == 6, header
    accuracy = next(line for line in lines if line.startswith(f"| {ROWS[0]}"))
    assert accuracy.count("%") == 4
    # --smoke never writes docs/
    assert (docs.stat().st_mtime if docs.exists() else None) == before
