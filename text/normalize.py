"""Every normalisation of text in one place, each named for the form it gives.

- `normalize` / `squash`: the comparable form of a question as users type it on a phone —
  traditional → simplified (OpenCC t2s), full-width → half-width (NFKC), chat filler and
  punctuation out; digits, years and percentages stay because tasks are found by them.
- `content_chars`: only the characters that carry content (han, digits, letters), the
  form task texts and titles are indexed and compared in.
- `fullwidth_punct`: a document's half-width , ; : ( ) made full-width, same length, so
  the cell grammar matches one set of marks and names can be sliced from the original.
- `name_form`: an agency name as compared (no spaces, full-width brackets).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Chat filler: politeness, hedges and sentence-final particles. Only whole phrases that
# never carry task content; removing them leaves the question's substance.
FILLER = (
    "请问一下", "请问", "麻烦问一下", "麻烦你", "麻烦", "想问一下", "问一下", "我想知道", "想知道",
    "我想问", "帮我查一下", "帮我查查", "帮我查", "帮忙查一下", "帮忙查", "查一下", "告诉我",
    "你好", "您好", "谢谢", "一下",
)
PARTICLES = "呀啊吗呢吧哦嘛哈啦呗哇噢"
_PUNCT = re.compile(r"[\s\u3000!-/:-@\[-`{-~\u2000-\u206f\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65·—…“”‘’、。，；：？！《》〈〉【】（）〔〕]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # loads in ~40 ms; deferred so importing this module stays free

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def clean_text(text: str) -> str:
    """Lone surrogates (undecodable bytes in a command line, `\\udcff`) → U+FFFD, pairs
    joined: OpenCC, UTF-8 output and SQLite all refuse them."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation → half-width; ㎡ → m2."""
    return unicodedata.normalize("NFKC", text)


def strip_filler(text: str) -> str:
    for phrase in FILLER:
        text = text.replace(phrase, " ")
    return re.sub(f"[{PARTICLES}](?=\\s|$)", " ", text)


def normalize(text: str) -> str:
    """The comparable form of a question: simplified, half-width, no filler, single
    spaces where punctuation was. Keeps 2025年, 50%, 0.2万."""
    text = fold_width(to_simplified(clean_text(text or "")))
    # percent signs and decimal points between digits are content (50%, 0.2万): park
    # them in private-use characters while punctuation goes
    text = re.sub(r"(?<=\d)\.(?=\d)", "\ue002", text.replace("%", "\ue001"))
    text = strip_filler(_PUNCT.sub(" ", text))
    text = text.replace("\ue001", "%").replace("\ue002", ".")
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """normalize() without spaces: the form task text is matched in."""
    return normalize(text).replace(" ", "")


_KEEP = re.compile(r"[^\u3400-\u9fff0-9a-zA-Z.%]+")
# Same-length mapping: offsets found in the mapped text are valid in the original.
_FULLWIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def content_chars(text: str | None) -> str:
    """Only characters that carry content: CJK, digits, letters (养、疗、研 → 养疗研)."""
    return _KEEP.sub("", text or "")


def fullwidth_punct(text: str) -> str:
    """Half-width , ; : ( ) → full-width; the same length as text."""
    return text.translate(_FULLWIDTH)


def name_form(name: str) -> str:
    """An agency name as compared: `各市(州)` and `各市（州）` equal, stray spaces out."""
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")
