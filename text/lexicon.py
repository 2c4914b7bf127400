"""The hand-curated lexicon: everyday words ↔ the documents' words, English asking words.

Both live as text in a data folder's `lexicon/` (`synonyms.txt`, `asking_en.txt`; the
files explain their format). `index build` reads them from the data folder the store is
built from and writes them into the store's `lexicon` table (index.build), so a question
never reads data/: the answerer loads the rows once (index.store.Store.lexicon) and
builds the two matchers below from them.

- `Synonyms.apply`: every word of a group → the group's first word (the one the
  documents print), for documents and questions alike, in ONE pass, longest match
  first, never re-scanning replaced text (a chain of str.replace would turn 长者饭堂
  into 老年人饭堂 via 长者 → 老年人).
- `EnglishAsking.apply`: English asking phrases → the Chinese asking word the
  understanding knows (who leads → 牵头), whole words, case-insensitive, longest first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LEXICON_DIR = "lexicon"
SYNONYMS_FILE = "synonyms.txt"
ASKING_EN_FILE = "asking_en.txt"


def read_synonyms(path: Path) -> list[tuple[str, str]]:
    """(word, canonical) pairs of a synonyms file: one group per line, first word canonical."""
    pairs: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        body = raw.split("#", 1)[0]
        words = [w for w in re.split(r"[\s｜|]+", body) if w]
        if len(words) >= 2:
            pairs += [(w, words[0]) for w in words[1:]]
    return pairs


def read_asking_en(path: Path) -> list[tuple[str, str]]:
    """(english phrase, chinese asking word) pairs of an asking_en file."""
    pairs: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        body = raw.split("#", 1)[0]
        parts = [p.strip() for p in body.split("｜") if p.strip()]
        if len(parts) >= 2:
            pairs += [(p.lower(), parts[0]) for p in parts[1:]]
    return pairs


def lexicon_rows(data_dir: Path, fallback: Path) -> list[dict]:
    """The rows of the store's `lexicon` table (kind, word, canon) from a data folder's
    lexicon/; a folder without one (a test or benchmark set of documents alone) uses the
    shipped data folder's."""
    rows: list[dict] = []
    for name, kind, reader in ((SYNONYMS_FILE, "synonym", read_synonyms), (ASKING_EN_FILE, "asking_en", read_asking_en)):
        path = Path(data_dir) / LEXICON_DIR / name
        if not path.exists():
            path = Path(fallback) / LEXICON_DIR / name
        if path.exists():
            rows += [{"kind": kind, "word": w, "canon": c} for w, c in reader(path)]
    return rows


@dataclass
class Synonyms:
    """Everyday word → the documents' word, applied in one longest-first pass."""

    pairs: dict[str, str]

    def __post_init__(self) -> None:
        # the documents' words map to themselves: 长者饭堂 must be met whole before 长者
        # (→ 老年人) can take it apart
        self._to = {c: c for c in self.pairs.values()} | self.pairs
        words = sorted(self._to, key=len, reverse=True)
        # an alternation sorted longest first: at each position the longest word wins,
        # and re.sub never looks at text it has already replaced
        self._re = re.compile("|".join(map(re.escape, words))) if words else None

    def apply(self, text: str) -> str:
        if self._re is None or not text:
            return text
        return self._re.sub(lambda m: self._to[m.group(0)], text)


NO_SYNONYMS = Synonyms({})


@dataclass
class EnglishAsking:
    """English asking phrase → Chinese asking word, whole words, case-insensitive."""

    pairs: dict[str, str]

    def __post_init__(self) -> None:
        phrases = sorted(self.pairs, key=len, reverse=True)
        body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
        self._re = re.compile(rf"(?<![A-Za-z'])(?:{body})(?![A-Za-z])", re.I) if phrases else None

    def apply(self, text: str) -> str:
        if self._re is None or not text:
            return text
        return self._re.sub(lambda m: f" {self.pairs[' '.join(m.group(0).lower().split())]} ", text)


NO_ENGLISH = EnglishAsking({})
