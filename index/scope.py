"""The scope rule: a question naming a subject no document speaks of is "not found".

Coverage alone cannot tell such a question when it shares a word with some task
(README, How it works → Scope, has the figures). This test looks for common words of
jieba's dictionary (the store's `words` table, written by index.build) in the parts
of a question the store's own vocabulary does not cover, and asks the search index
whether the documents hold them.
"""
from __future__ import annotations

import math
import re
import sqlite3
from typing import TYPE_CHECKING

from text.normalize import content_chars
from text.terms import bigrams, gram_pinyin

if TYPE_CHECKING:
    from index.search import TaskSearch

# The scope rule judges a question's subject: unknown words must make at least this share of
# its content characters. A short question is its subject (天气 in 今天天气怎么样: 0.5); in a
# long chat message the verbs of its preamble are not (提到, 确认: 0.085 of 47 characters).
# Measured over the five question sets (427 questions): every out-of-scope question the rule
# catches is at 0.25 or more (机票 / 离婚 / 饭钱 / 补办), every in-scope one at 0.154 or less
# (汇报, 接手, 熟悉 of a 39-character message); the bar sits midway.
UNKNOWN_SHARE = 0.20
_NUMERALS = set("零〇一二两三四五六七八九十百千万亿几")
# Yes/no asking forms: A-not-A (有没有, 是不是, 能不能) and the written ones (有无, 是否, 能否).
# They ask whether; the verb stays (开不开门 asks about 开门), the asking goes.
_YES_NO = re.compile(r"([\u3400-\u9fff])[不没]\1|有无|[是能可]否")


def unknown_words(search: "TaskSearch", content: str) -> list[str]:
    """The scope rule's test (README, How it works → Scope): common dictionary words
    (the store's `words`) in the question's content (after the synonym table) that
    the documents do not hold. Only stretches no word of the store's vocabulary covers
    are looked at, each cut as jieba cuts it (its most probable path over the
    dictionary's frequencies: 明天会上 is 明天/会上, never 天会), and only the content
    words of that cut count (明天 is a time word, 家里 a place word). Yes/no asking forms
    (有没有, 是否, 有无) ask, they are no subject. A word is held when the documents hold
    its bigrams: a two-character word its one bigram, or its sound where it continues
    held text (老年大雪: 大学 sounds alike and 年大 is printed; 上班 sounds like 上半 but
    班时 is not printed); a longer word every bigram (退休金: 休金 is nowhere). Such a
    word names a subject no document speaks of (报名, 离婚, 疫苗), so the question is out
    of scope however well its other words match."""
    content = _YES_NO.sub(lambda m: m[0][0], search.synonyms.apply(content))  # 开不开门 → 开门
    stretches: list[tuple[str, int, str]] = []  # (segment, start, uncovered han run)
    for segment in content.split():
        seg = content_chars(segment)
        covered = [False] * len(seg)
        at = 0
        for word in search.cut(seg):
            i = seg.find(word, at)
            if i >= 0:
                covered[i: i + len(word)] = [True] * len(word)
                at = i + len(word)
        i = 0
        while i < len(seg):
            j = i
            while j < len(seg) and not covered[j] and "\u3400" <= seg[j] <= "\u9fff":
                j += 1
            if j - i >= 2:
                stretches.append((seg, i, seg[i:j]))
            i = max(j, i + 1)
    if not stretches:
        return []
    try:
        pieces = sorted({run[a: a + n] for _, _, run in stretches for a in range(len(run)) for n in (1, 2, 3, 4)
                         if a + n <= len(run)})
        marks = ",".join("?" * len(pieces))
        known = {w: (f, c) for w, f, c in search.conn.execute(
            f"select word, freq, content from words where word in ({marks})", pieces)}
        row = search.conn.execute("select value from meta where key = 'word_total'").fetchone()
        log_total = math.log(float(row[0]))
    except (sqlite3.OperationalError, TypeError):  # a store built before the table: no scope rule
        return []
    found: list[tuple[str, str, int]] = []  # (segment, word, start)
    for seg, start, run in stretches:
        for w, i in _best_path(run, known, log_total):
            if len(w) >= 2 and known[w][1] and not all(ch in _NUMERALS for ch in w):  # numbers are no subject (两千)
                found.append((seg, w, start + i))
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


def _best_path(run: str, known: dict[str, tuple[int, int]], log_total: float) -> list[tuple[str, int]]:
    """The words of jieba's most probable cut of a run of han characters, with where
    each starts: the path through the run's word graph with the greatest sum of
    log(frequency / total), a character the dictionary lacks counting as frequency 1
    (jieba.Tokenizer.calc over the `words` table)."""
    n = len(run)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)  # from position i: (score, end of its first word)
    for i in range(n - 1, -1, -1):
        choices = [(math.log(known[run[i: j]][0] if run[i: j] in known else 1) - log_total + best[j][0], j)
                   for j in range(i + 1, min(n, i + 4) + 1) if j == i + 1 or run[i: j] in known]
        best[i] = max(choices)
    out, i = [], 0
    while i < n:
        j = best[i][1]
        out.append((run[i: j], i))
        i = j
    return out


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
