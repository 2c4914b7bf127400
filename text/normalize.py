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
    # greetings and thanks of a chat message (各位领导好，我是新来的…，谢谢)
    "各位领导好", "各位领导", "领导好", "各位好", "大家好", "各位", "多谢", "辛苦了", "麻烦了",
)
# Other spellings of asking words, to the one the rules know (甚麼 is simplified to 甚么 first).
VARIANTS = {"甚么": "什么", "神马": "什么"}
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


_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")
_CN_MONTH = re.compile(r"(?<=年)\s*(十[一二]?|[一二三四五六七八九])\s*月")
_DOTTED = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*[.\-/]\s*(\d{1,2})(?![\d万%个.])(?:\s*月)?")
_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})\s*年\s*(\d{1,2})\s*月")
# a two-digit year with no month, only where it is plainly a deadline (22年底, 22年到期)
_SHORT_YEAR_ALONE = re.compile(r"(?<![\d.])([1-3]\d)\s*年(?=\s*(?:底|末|上半年|下半年|到期|前|要完成|完成))")


def _month(cn: str) -> str:
    return str(10 + ("一二".index(cn[1]) + 1 if len(cn) > 1 else 0)) if cn.startswith("十") else _CN_DIGITS[cn]


def normalize_dates(text: str) -> str:
    """Dates written other ways → YYYY年M月: 2020.12 / 2020-10 / 2020/6, 二〇二二年,
    八月份, 20年6月 (a two-digit year is read in this century). A decimal (0.2万, 1449个)
    and a month out of 1–12 stay as they are."""
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)) + "年", text)
    text = _CN_MONTH.sub(lambda m: _month(m.group(1)) + "月", text)
    text = re.sub(r"(?<=\d)月份", "月", text)
    text = _DOTTED.sub(lambda m: f"{m.group(1)}年{int(m.group(2))}月" if 1 <= int(m.group(2)) <= 12 else m.group(0), text)
    text = _SHORT_YEAR.sub(lambda m: f"20{m.group(1)}年{int(m.group(2))}月" if 1 <= int(m.group(2)) <= 12 else m.group(0), text)
    return _SHORT_YEAR_ALONE.sub(lambda m: f"20{m.group(1)}年", text)


def normalize(text: str, english=None) -> str:
    """The comparable form of a question: simplified, half-width, no filler, single
    spaces where punctuation was, dates in one form (normalize_dates); `english` (a
    text.lexicon.EnglishAsking) turns English asking words into Chinese ones. Keeps
    2025年, 50%, 0.2万."""
    text = normalize_dates(fold_width(to_simplified(clean_text(text or ""))))
    for variant, word in VARIANTS.items():
        text = text.replace(variant, word)
    if english is not None:
        text = english.apply(text)
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
