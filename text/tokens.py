"""jieba tokens with a small dictionary made from the store.

jieba's default dictionary (349k words) takes about a second to load, far over the
cold-start budget. Only words that occur in our documents (or name an agency) can ever
match, so `index build` cuts the documents once with the full dictionary and writes the
words it saw, plus agency names, titles and domain terms, to a small dictionary that
loads in milliseconds. Queries are cut with that.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

_jieba = None


def import_jieba():
    """Import jieba without pkg_resources: jieba only uses it to locate its own files
    and importing it costs ~0.1 s; jieba falls back to plain paths when it is missing."""
    global _jieba
    if _jieba is None:
        saved = sys.modules.get("pkg_resources", ...)
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
        try:
            import jieba
        finally:
            if saved is ...:
                del sys.modules["pkg_resources"]
            else:
                sys.modules["pkg_resources"] = saved
        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    return _jieba


def build_vocabulary(texts: list[str], extra_words: list[str]) -> dict[str, int]:
    """Words seen when the full jieba dictionary cuts `texts`, with jieba's own
    frequencies, plus `extra_words` (agency names, titles, terms) that must stay whole."""
    jieba = import_jieba()
    full = jieba.Tokenizer()
    full.initialize()
    # jieba cuts each run of han characters (its re_han blocks) on its own and only
    # those runs yield words of two or more characters, so each distinct run is cut
    # once: the same words as cutting every text, in a fraction of the time when texts
    # repeat clauses (100,000 synthetic tasks: about a minute → a few seconds).
    blocks: set[str] = set()
    for text in texts:
        blocks.update(jieba.re_han_default.findall(text))
    vocab: dict[str, int] = {}
    for block in sorted(blocks):
        for word in full.cut(block, HMM=False):
            word = word.strip()
            if len(word) >= 2 and word in full.FREQ and full.FREQ[word] > 0:
                vocab[word] = full.FREQ[word]
    for word in extra_words:
        word = word.strip()
        if len(word) >= 2 and " " not in word:
            # extra words must win over their parts, so give them a frequency
            # at least as high as the most common word in the vocabulary
            vocab[word] = max(vocab.get(word, 0), 100_000)
    return vocab


def vocabulary_in_child(texts: list[str], extra_words: list[str]):
    """build_vocabulary in a fresh Python process, started now; returns a function that
    waits for it and gives the vocabulary. jieba's full dictionary takes ~300 MB that a
    process does not give back to the system: a build keeps its own peak low this way
    and goes on writing tables on the other core meanwhile. Only the distinct han runs
    travel (what build_vocabulary cuts), so the answer is the same."""
    import json
    import os
    import subprocess

    jieba = import_jieba()
    blocks = sorted({b for text in texts for b in jieba.re_han_default.findall(text)})
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root)] + [p for p in [os.environ.get("PYTHONPATH")] if p]),
               PYTHONIOENCODING="utf-8")
    code = ("import json, sys; from text.tokens import build_vocabulary; d = json.load(sys.stdin); "
            "json.dump(build_vocabulary(d['texts'], d['extra']), sys.stdout, ensure_ascii=False)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=root, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    request = json.dumps({"texts": blocks, "extra": extra_words}, ensure_ascii=False).encode("utf-8")
    # the request is written by a thread: the child answers only after reading it all,
    # and a pipe holds less than a large request
    import threading

    def feed() -> None:
        try:
            proc.stdin.write(request)
        finally:
            proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()

    def result() -> dict[str, int]:
        with proc:
            out = proc.stdout.read()
        writer.join()
        if proc.returncode != 0:
            raise RuntimeError(f"the vocabulary child failed with exit code {proc.returncode} (its stderr is above)")
        return json.loads(out.decode("utf-8"))

    result.process = proc  # type: ignore[attr-defined]  # a caller that gives up kills it
    return result


def write_dictionary(path: Path, vocab: dict[str, int]) -> None:
    path.write_text("".join(f"{w} {f}\n" for w, f in sorted(vocab.items())), encoding="utf-8")


def tokenizer_cache_name(dictionary: Path) -> str:
    """The name of the cache jieba writes beside a dictionary (jieba.Tokenizer.initialize)."""
    import os
    from hashlib import md5

    path = os.path.normpath(os.path.join(os.getcwd(), str(dictionary)))
    return "jieba.u%s.cache" % md5(path.encode("utf-8", "replace")).hexdigest()


class Tokenizer:
    """A jieba tokenizer over the small dictionary; load once, reuse."""

    def __init__(self, dictionary: Path) -> None:
        jieba = import_jieba()
        self._tk = jieba.Tokenizer(dictionary=str(dictionary))
        self._tk.tmp_dir = str(dictionary.parent)  # its cache lives beside the store
        self._tk.initialize()

    def cut(self, text: str) -> list[str]:
        """Words of two or more characters (single characters carry no signal here)."""
        return [w for w in self._tk.cut(text, HMM=False) if len(w.strip()) >= 2]
