"""The scope rule: a question naming a subject no document speaks of is "not found".

Coverage alone cannot tell such a question when it shares a word with some task
(README, How it works → Scope, has the figures). This test looks for common words of
jieba's dictionary (the store's `words` table, written by index.build) in the parts
of a question the store's own vocabulary does not cover, and asks the search index
whether the documents hold them.
"""
from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from text.normalize import content_chars
from text.terms import bigrams, gram_pinyin

if TYPE_CHECKING:
    from index.search import TaskSearch

# The scope rule judges a question's subject: unknown words must make at least this share of
# its content characters. A short question is its subject (天气 in 今天天气怎么样: 0.5; the
# lowest of the out-of-scope questions measured is 0.25, 机票 / 离婚 / 饭钱); in a long chat
# message a couple of chat verbs (提到, 确认: 0.085 of 47 characters) are not its subject.
UNKNOWN_SHARE = 0.15
_NUMERALS = set("零〇一二两三四五六七八九十百千万亿几")


def unknown_words(search: "TaskSearch", content: str) -> list[str]:
    """The scope rule's test (README, How it works → Scope): common dictionary words
    (the store's `words`) in the question's content (after the synonym table) that
    the documents do not hold. Only stretches no word of the store's vocabulary covers
    are looked at. A word is held when the documents hold its bigrams: a two-character
    word its one bigram, or its sound where it continues held text (老年大雪: 大学
    sounds alike and 年大 is printed; 上班 sounds like 上半 but 班时 is not printed);
    a longer word every bigram (退休金: 休金 is nowhere). Such a word names a subject
    no document speaks of (报名, 离婚, 疫苗), so the question is out of scope however
    well its other words match."""
    content = search.synonyms.apply(content)
    found: list[tuple[str, str, int]] = []  # (segment, word, start)
    for segment in content.split():
        seg = content_chars(segment)
        covered = [False] * len(seg)
        at = 0
        for word in search.cut(seg):
            i = seg.find(word, at)
            if i >= 0:
                covered[i: i + len(word)] = [True] * len(word)
                at = i + len(word)
        for i in range(len(seg)):
            for n in (2, 3, 4):
                w = seg[i: i + n]
                if len(w) == n and not any(covered[i: i + n]) and all("\u3400" <= ch <= "\u9fff" for ch in w) \
                        and not all(ch in _NUMERALS for ch in w):  # numbers are no subject (两千)
                    found.append((seg, w, i))
    if not found:
        return []
    try:
        subs = sorted({w for _, w, _ in found})
        marks = ",".join("?" * len(subs))
        common = {w for (w,) in search.conn.execute(f"select word from words where word in ({marks})", subs)}
    except sqlite3.OperationalError:  # a store built before the table: no scope rule
        return []
    found = [f for f in found if f[1] in common]
    if not found:
        return []
    sound = _sound_of(search.pinyin_of, {ch for seg, _, _ in found for ch in seg})
    keys = set()
    for seg, w, i in found:
        near = [seg[j: j + 2] for j in (i - 1, i + len(w) - 1) if 0 <= j and j + 2 <= len(seg)]
        keys |= {f"b:{g}" for g in bigrams(w) + near} | {f"p:{gram_pinyin(g, sound)}" for g in bigrams(w)}
    held, _ = search._dfs(keys)
    unknown = []
    for seg, w, i in found:
        near = [seg[j: j + 2] for j in (i - 1, i + len(w) - 1) if 0 <= j and j + 2 <= len(seg)]
        continues = not near or any(f"b:{g}" in held for g in near)
        ok = [f"b:{g}" in held or (continues and f"p:{gram_pinyin(g, sound)}" in held) for g in bigrams(w)]
        if not (all(ok) if len(w) > 2 else ok[0]):
            unknown.append(w)
    return sorted(dict.fromkeys(unknown), key=len, reverse=True)


def _sound_of(pinyin_of: dict[str, str], chars: set[str]) -> dict[str, str]:
    """Toneless pinyin of characters: the store's, else pypinyin's (only characters
    no document holds need it: 雪 in the typo 老年大雪)."""
    missing = [ch for ch in chars if ch not in pinyin_of]
    if not missing:
        return pinyin_of
    from pypinyin import Style, lazy_pinyin

    return pinyin_of | {ch: lazy_pinyin(ch, style=Style.NORMAL)[0] for ch in missing}


def unknown_share(unknown: list[str], content: str) -> float:
    """The share of the content's characters the unknown words take (a word inside a
    longer unknown one, 公务 in 公务员, counts once)."""
    total = len(content_chars(content))
    words = [w for w in unknown if not any(w != o and w in o for o in unknown)]
    return sum(len(w) for w in words) / total if total else 0.0
