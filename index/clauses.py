"""Which clauses of a chat message are about the task found: the rest is preamble.

A long message (各位领导好，我是新来的，明天要准备一个会，…，这项工作三亚是哪几个部门负责的)
tells the asker's situation before it asks. Its coverage is the share of the whole
question's weight a task explains, so clauses about the asker (我是新来的, 准备周五的协调会)
dilute a question whose subject a task names well. The clauses before the first
one the task explains at least as well as an answer must be explained (the search's
coverage of the clause alone: sharing a common word, 养老 or 工作, is not being about it)
are that preamble; the coverage judges the clauses from there on. Only a leading run is
dropped: a later clause may ask about something the task does not hold.
Clauses are what the writer split with ，。；：！？ (or their ASCII forms); 、 lists
items inside one clause.
"""
from __future__ import annotations

import re
from typing import Callable

from text.normalize import content_chars, normalize

# clause marks, full-width and ASCII (a point between digits is a decimal: 0.2万, 4.5个)
_CLAUSE = re.compile(r"[，。；：！？,;:!?\n]|\.(?!\d)")


def about_content(question: str, content: str, explains: Callable[[str], float], bar: float,
                  english=None) -> str | None:
    """`content` (the question's search words, in its order) without the words of the
    clauses before the first of which the task explains (`explains`: the search's
    coverage of a text by it) at least `bar`; None when that is the first clause with
    content, when there is none, or when the content cannot be placed in the question's
    clauses.

    Each content character is placed in the clause it came from: the content is the
    normalised question with asking words, stop words and names taken out, so it is a
    subsequence of the clauses' normalised characters, read in order."""
    clauses = [c for c in _CLAUSE.split(question or "") if content_chars(c)]
    if len(clauses) < 2:
        return None
    chars: list[str] = []
    owner: list[int] = []
    for n, clause in enumerate(clauses):
        plain = content_chars(normalize(clause, english))
        chars += plain
        owner += [n] * len(plain)
    text = "".join(chars)
    placed: list[list[tuple[str, int]]] = []  # each content segment: (character, its clause)
    at = 0
    for segment in content.split():
        seg = content_chars(segment)
        if not seg:
            continue
        i = text.find(seg, at)
        if i >= 0:  # the segment as printed: its characters are in place
            placed.append([(ch, owner[i + k]) for k, ch in enumerate(seg)])
            at = i + len(seg)
            continue
        out = []
        for ch in seg:  # else character by character, in order
            i = text.find(ch, at)
            if i < 0:
                return None
            out.append((ch, owner[i]))
            at = i + 1
        placed.append(out)
    words_of: dict[int, str] = {}
    for seg in placed:
        for ch, n in seg:
            words_of[n] = words_of.get(n, "") + ch
        for n in {n for _, n in seg}:
            words_of[n] += " "
    # the preamble comes first: the clauses before the first one the task explains (a
    # later clause may ask about something else: 我负责养老这块，想问下垃圾分类谁负责)
    first = next((n for n in sorted(words_of) if explains(words_of[n]) >= bar), None)
    if first is None or first == min(words_of):
        return None
    about = {n for n in words_of if n >= first}
    kept = []
    for seg in placed:
        piece = ""
        for ch, n in seg:
            if n in about:
                piece += ch
            elif piece:
                kept.append(piece)
                piece = ""
        if piece:
            kept.append(piece)
    return " ".join(kept)
