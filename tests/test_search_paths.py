"""The search's shortcuts give the same hits as the long way, float for float.

Large stores sum candidates with numpy and read postings from SQLite; small ones sum
in a dict from memory; the rerank stops early once no candidate left can enter the
first `limit`. Each pair must agree exactly (docs/benchmarks.md has why they exist).
"""
from __future__ import annotations

import pytest

import index.search as search
from index.search import TaskSearch
from intents.understand import understand

QUESTIONS = [
    "谁负责家庭养老床位", "老年大雪什么时候建成", "三亚 养老护理员培训", "四川的养老托育机构社保补贴谁管",
    "婴幼儿照护 托育 补贴", "护理人员培训", "长者饭堂", "省会城市养老服务业专项规划什么时候完成",
    "公办养老机构为三无老人提供无偿供养，谁负责", "河道治理谁牵头",
]


def hits(s: TaskSearch, answerer, question: str, limit: int) -> list[tuple]:
    intent = understand(question, answerer.lex, [])
    sources = answerer._sources_in(intent.jurisdictions)
    return [(h.task_id, h.score, h.coverage) for h in s.search(intent.content or question, sources, limit)]


@pytest.fixture
def fresh(answerer):
    """A new TaskSearch over the session store (its own memory, its own caches)."""
    return lambda: TaskSearch(answerer.store.conn, answerer.tokenizer.cut, answerer.pinyin_of)


@pytest.mark.parametrize("question", QUESTIONS)
def test_early_stop_keeps_the_first_hits(answerer, question):
    s = answerer.search
    full = hits(s, answerer, question, search.RERANK)
    for limit in (1, 3, 12):
        assert hits(s, answerer, question, limit) == full[:limit]


@pytest.mark.parametrize("question", QUESTIONS)
def test_numpy_sums_equal_dict_sums(answerer, fresh, question, monkeypatch):
    want = hits(fresh(), answerer, question, 12)
    monkeypatch.setattr(search, "SMALL_VOLUME", -1)
    assert hits(fresh(), answerer, question, 12) == want


@pytest.mark.parametrize("question", QUESTIONS)
def test_sqlite_reads_equal_memory(answerer, fresh, question, monkeypatch):
    want = hits(fresh(), answerer, question, 12)
    monkeypatch.setattr(search, "MEMORY_TASKS", 0)
    assert hits(fresh(), answerer, question, 12) == want
    monkeypatch.setattr(search, "SMALL_VOLUME", -1)
    assert hits(fresh(), answerer, question, 12) == want
