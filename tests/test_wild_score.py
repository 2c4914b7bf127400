"""The wild documents (../shared/wild, issue 9): real documents of the genre the seeds do not
cover, scored by the shared scorer through the real `python -m bot parse` of this checkout."""
from __future__ import annotations

import subprocess

import pytest

from conftest import PYTHON, ROOT

SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "parse_score.py"
WILD = SHARED / "wild"

pytestmark = pytest.mark.skipif(not (SCORER.exists() and (WILD / "gold.jsonl").exists()),
                                reason="../shared/wild is not here")


def test_wild_documents_at_least_95_percent_of_gold_rows():
    out = subprocess.run([PYTHON, str(SCORER), "--gold", str(WILD / "gold.jsonl"), "--docs", str(WILD / "docs"),
                          "--cmd", f"{PYTHON} -m bot parse", "--min", "0.95"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "parsed rows:" in out.stdout
