"""A task's text as printed, read two more ways: without the glosses and quote marks
that split its terms, and by its head (the title, else the first sentence).

These documents print a term with its gloss inside it (“三无”(无劳动能力，无生活来源，…)老人)
or in quotes (发展“托幼一体化”), and a question names the term whole (三无老人). A task
whose head names the subject is about it; one that mentions it in a later sentence
touches it in passing (统筹规划服务设施建设 … 适儿化改造 in its last sentence).
"""
from __future__ import annotations

import re

# a parenthesised gloss, full-width or ASCII (innermost first, so nested ones go too)
_GLOSS = re.compile(r"（[^（）()]*）|\([^（）()]*\)")
_QUOTES = re.compile("[“”‘’\"'「」『』]")
# the end of a task's first sentence
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")


def without_quotes(text: str) -> str:
    return _QUOTES.sub("", text)


def bare_text(text: str) -> str:
    """`text` without quote marks and parenthesised glosses: the words they split, whole."""
    bare = without_quotes(text)
    while True:
        shorter = _GLOSS.sub("", bare)
        if shorter == bare:
            return bare
        bare = shorter


def head_of(title: str | None, task: str) -> str:
    """What names a task's subject: its title, else the first sentence of its text."""
    if title and title.strip():
        return title
    return _SENTENCE_END.split(task or "", 1)[0]
