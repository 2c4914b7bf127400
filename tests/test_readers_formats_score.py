"""End to end: the same 86 gold rows as Word, Excel, web page and PDF, through `python -m bot parse`."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FORMATS = SHARED / "wild" / "formats"


@pytest.mark.skipif(not FORMATS.is_dir(), reason="shared/wild/formats not present")
@pytest.mark.parametrize("suffix", ["docx", "xlsx", "html", "pdf"])
def test_wild_table_scores_95_percent_in_every_format(suffix, tmp_path):
    env = dict(os.environ, FENGONG_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "parse_score.py"), "--gold", str(FORMATS / "gold.jsonl"),
         "--file", str(FORMATS / f"wild_table.{suffix}"), "--cmd", f"{sys.executable} -m bot parse",
         "--min", "0.95", "--show", "10"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
