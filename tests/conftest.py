"""Shared fixtures: one real store built from data/ for the whole session."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "seed-gold"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def store_home(tmp_path_factory) -> Path:
    """A FENGONG_HOME with the store built from the real documents."""
    from index.build import build_store

    home = tmp_path_factory.mktemp("fengong-home")
    build_store(home)
    return home


@pytest.fixture(scope="session")
def answerer(store_home):
    from bot.answer import Answerer

    return Answerer(str(store_home))


@pytest.fixture
def cli_env(store_home) -> dict:
    """Environment for running `python -m bot` against the session store."""
    env = dict(os.environ, FENGONG_HOME=str(store_home), PYTHONPATH=str(ROOT))
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return env


PYTHON = sys.executable
