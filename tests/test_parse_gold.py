"""Parse the five seed documents and compare with the hand-checked gold, field by field."""

import json
from pathlib import Path

import pytest

from index.due import due_dates
from index.parse import TASK_KEYS, parse_document

GOLD_KEYS = tuple(k for k in TASK_KEYS if k != "due")  # the gold predates due dates

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "eval" / "seed-gold"
SOURCES = ["sanya-yilaoyixiao", "sanya-jujia-yanglao", "sichuan-yanglao-tuoyu", "baoqing-yilaoyixiao",
           "capital-yanglao"]

pytestmark = pytest.mark.skipif(not GOLD.is_dir(), reason=f"gold not found at {GOLD}")


def load(name):
    """Read one gold jsonl file."""
    return [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def diff(got, want, keys, label):
    """Return readable lines for every field that differs between got and want."""
    lines = []
    for k in keys:
        if got.get(k) != want.get(k):
            lines.append(f"  {label} {k}:\n    got  {got.get(k)!r}\n    want {want.get(k)!r}")
    return lines


@pytest.fixture(scope="module")
def docs():
    """Parsed seed documents by source."""
    return {s: parse_document(ROOT / "data" / f"{s}.txt") for s in SOURCES}


def test_gold_covers_the_seed_files():
    assert sorted({t["source"] for t in load("tasks.jsonl")}) == sorted(SOURCES)


@pytest.mark.parametrize("source", SOURCES)
def test_tasks_match_gold(docs, source):
    want = [t for t in load("tasks.jsonl") if t["source"] == source]
    got = docs[source].tasks
    problems = []
    if len(got) != len(want):
        problems.append(f"  {len(got)} tasks parsed, {len(want)} in gold")
    by_number = {t["number"]: t for t in got}
    for w in want:
        g = by_number.get(w["number"])
        if g is None:
            problems.append(f"  task {w['number']}: missing")
        else:
            problems += diff(g, w, GOLD_KEYS, f"task {w['number']}")
    if not problems and [t["number"] for t in got] != [t["number"] for t in want]:
        problems.append("  tasks are in a different order")
    assert not problems, f"{source}: {len(problems)} differences\n" + "\n".join(problems)


@pytest.mark.parametrize("source", SOURCES)
def test_task_dicts_have_exactly_the_contract_keys(docs, source):
    for task in docs[source].tasks:
        assert tuple(task) == TASK_KEYS
        assert task["due"] == due_dates(task["deadlines"])


def test_people_match_gold(docs):
    want = load("people.jsonl")
    got = docs["baoqing-yilaoyixiao"].people
    problems = [f"  {len(got)} people parsed, {len(want)} in gold"] if len(got) != len(want) else []
    for i, (g, w) in enumerate(zip(got, want)):
        problems += diff(g, w, w.keys(), f"person {i + 1} ({w['name']})")
    assert not problems, "\n".join(problems)


def test_duties_match_gold(docs):
    want = load("duties.jsonl")
    got = docs["baoqing-yilaoyixiao"].duties
    problems = [f"  {len(got)} duties parsed, {len(want)} in gold"] if len(got) != len(want) else []
    for i, (g, w) in enumerate(zip(got, want)):
        problems += diff(g, w, w.keys(), f"duty {i + 1} ({w['agency']})")
    assert not problems, "\n".join(problems)


def test_totals():
    assert len(load("tasks.jsonl")) == 158 and len(load("people.jsonl")) == 46 and len(load("duties.jsonl")) == 30


@pytest.mark.parametrize("source", [s for s in SOURCES if s != "baoqing-yilaoyixiao"])
def test_no_people_or_duties_in_plain_tables(docs, source):
    assert docs[source].people == [] and docs[source].duties == []


def test_seed_documents_parse_without_warnings(docs):
    assert {s: d.warnings for s, d in docs.items() if d.warnings} == {}


def test_titles_guessed_from_text(docs):
    sources = json.loads((GOLD / "sources.json").read_text(encoding="utf-8"))
    for s in SOURCES:
        if s == "capital-yanglao":
            # The text only says 重点任务分工; the manifest adds （养老服务业）.
            assert docs[s].title == "重点任务分工"
        else:
            assert docs[s].title == sources[s]["title"], s
