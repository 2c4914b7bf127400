"""Search terms of a text: jieba words, character bigrams, their pinyin, characters.

Terms of a text are its jieba words ("w:"), its character bigrams ("b:"), the toneless
pinyin of each bigram ("p:", so a pinyin-keyboard typo such as 老年大雪 still meets
老年大学) and its characters ("c:"). Documents and questions go through the same
functions, so either spelling meets the other.
"""
from __future__ import annotations

from dataclasses import dataclass

from text.lexicon import NO_SYNONYMS, Synonyms
from text.normalize import content_chars


def canonical_words(text: str, synonyms: Synonyms = NO_SYNONYMS) -> str:
    """Everyday words → the documents' words (text.lexicon: one pass, longest first),
    applied to documents and questions alike so either spelling meets the other."""
    return synonyms.apply(text)


def bigrams(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


@dataclass
class Terms:
    """The terms of one text, by kind, as sets (presence is what counts here)."""

    words: set[str]
    grams: set[str]
    pinyin: set[str]
    chars: set[str]

    def keys(self) -> set[str]:
        return (
            {f"w:{w}" for w in self.words} | {f"b:{g}" for g in self.grams} | {f"p:{p}" for p in self.pinyin}
            | {f"c:{c}" for c in self.chars}
        )


def text_terms(text: str, cut, pinyin_of: dict[str, str], query: bool = False,
               synonyms: Synonyms = NO_SYNONYMS, gram_cache: dict[str, str] | None = None) -> Terms:
    """Terms of a text; `cut` is the tokenizer, `pinyin_of` maps a character to pinyin.
    A question's spaces separate segments (stop words were there), so no bigram
    straddles them; a document's spaces are layout (到 2022 年) and are dropped.
    `gram_cache` (bigram → its pinyin) spares a build recomputing the pinyin of the same
    bigrams across 100,000 tasks."""
    text = canonical_words(text, synonyms)
    segments = [content_chars(s) for s in text.split()] if query else [content_chars(text)]
    grams = {g for s in segments for g in bigrams(s)}
    if gram_cache is None:
        pinyin = {gram_pinyin(g, pinyin_of) for g in grams}
    else:
        pinyin = set()
        for g in grams:
            p = gram_cache.get(g)
            if p is None:
                p = gram_cache[g] = gram_pinyin(g, pinyin_of)
            pinyin.add(p)
    return Terms(
        words={w for s in segments for w in cut(s) if len(w) >= 2},
        grams=grams,
        pinyin=pinyin,
        chars={c for s in segments for c in s},
    )


def gram_pinyin(gram: str, pinyin_of: dict[str, str]) -> str:
    return "_".join(pinyin_of.get(ch, ch) for ch in gram)
