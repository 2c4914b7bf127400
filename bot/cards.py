"""The text of a task card: where the task is, what it says, who does it, by when.

Plain text (bot.render escapes and pages it). The title is said once, and a long task
text shows the window around what the question matched (with …), not its first
characters: the sentence that answers the question stays visible.
"""
from __future__ import annotations

from text.normalize import content_chars

ROLE_LABEL = {"lead": "牵头", "support": "配合", "responsible": "负责", "local": "属地"}
ROLE_ORDER = {"lead": 0, "responsible": 1, "support": 2, "local": 3}

# A card shows at most this many characters of a task text (a window around the match).
CARD_CHARS = 160


def task_card(t: dict, doc_title: str, facet: str | None, content: str = "") -> str:
    """One task: where it is, what it says (the title once; a long text as the
    window around what the question matched), then only the role lines that apply."""
    title, text = t["title"] or "", t["task"]
    if title and same_start(title, text):  # the text opens with its title: say it once
        title = ""
    lines = [f"【{doc_title} 第{t['number']}项】", (title + "：" if title else "") + excerpt(text, content, CARD_CHARS - len(title))]
    others = "等有关部门" if t["others"] else ""
    roles = []
    if t["lead"]:
        roles.append(("lead", "牵头：" + "、".join(t["lead"])))
    if t["support"] or (t["others"] and t["lead"]):
        roles.append(("support", "配合：" + "、".join(t["support"]) + (others if t["lead"] else "")))
    if facet == "lead" and not t["lead"]:
        roles.append(("lead", "牵头：未区分牵头，共同负责"))
    if t["responsible"]:
        note = "（未区分牵头）" if not t["lead"] and facet != "lead" else ""
        roles.append(("responsible", "责任单位：" + "、".join(t["responsible"]) + (others if not t["lead"] else "") + note))
    if t["local"]:
        roles.append(("local", "属地：" + "、".join(t["local"])))
    deadline = ("deadline", "完成时限：" + "、".join(t["deadlines"])) if t["deadlines"] else None
    if facet == "deadline":
        roles.insert(0, deadline or ("deadline", "完成时限：文件未写明"))
    elif deadline:
        roles.append(deadline)
    if facet == "support" and not t["support"] and not t["others"]:
        roles.insert(0, ("support", "配合：文件未列配合单位"))
    if facet in ("lead", "support"):
        roles.sort(key=lambda r: r[0] != facet)
    return "\n".join(lines + [r[1] for r in roles])


def same_start(title: str, text: str) -> bool:
    """True when a task text begins by repeating its title (统筹规划服务设施建设。统筹…)."""
    core = content_chars(title)
    return bool(core) and content_chars(text[: len(title) + 4]).startswith(core)


def excerpt(text: str, content: str, width: int) -> str:
    """The text itself when short; else `width` characters around where the question's
    words meet it most (its bigrams, each counted once), started at a sentence when
    one starts before the match, with … where the text goes on."""
    width = max(width, 60)
    if len(text) <= width:
        return text
    grams = {g for part in content.split() for c in [content_chars(part)] for g in (c[i: i + 2] for i in range(len(c) - 1))}
    hits = sorted((i, g) for g in grams for i in _all(text, g))
    best, span = 0, (0, 0)
    for lo, (pos, _) in enumerate(hits):
        inside = [(p, g) for p, g in hits[lo:] if p + 2 <= pos + width]
        if len({g for _, g in inside}) > best:
            best, span = len({g for _, g in inside}), (pos, inside[-1][0] + 2)
    if best == 0:
        return text[: width - 1] + "…"
    start = max(0, min(span[0] - (width - (span[1] - span[0])) // 2, len(text) - width))
    # begin at a sentence when one begins between the window's start and the match
    for i in range(start, span[0] + 1):
        if i == 0 or text[i - 1] in "。；;！？":
            start = i
            break
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i >= 0 and sub:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def grouped_blocks(tasks: list[dict], titles: dict[str, str], with_role: bool = False,
                   with_deadline: bool = False) -> list[str]:
    """Tasks grouped by document, one line per task; a document's heading rides on
    its first task's block so a page never ends on a lone heading."""
    blocks: list[str] = []
    current = None
    for t in tasks:
        heading = ""
        if t["source"] != current:
            current = t["source"]
            n = sum(1 for x in tasks if x["source"] == current)
            heading = f"《{titles.get(current) or current}》{n} 项\n"
        tag = f"［{ROLE_LABEL[t['role']]}］" if with_role else ""
        when = f"（{'、'.join(t['deadlines'])}）" if with_deadline else ""
        blocks.append(f"{heading}{tag}第{t['number']}项 {short(t['title'] or t['task'], 40)}{when}")
    return blocks


def document_line(t: dict) -> str:
    """One task of a document's list: number, what, who leads it (or is responsible), when."""
    who = t["lead"] or t["responsible"]
    more = f"等 {len(who)} 个单位" if len(who) > 2 else ""
    parts = [f"第{t['number']}项 {short(t['title'] or t['task'], 40)}"]
    if who:
        parts.append(f"{'牵头' if t['lead'] else '负责'}：{'、'.join(who[:2])}{more}")
    if t["deadlines"]:
        parts.append(f"时限：{'、'.join(t['deadlines'])}")
    return " · ".join(parts)


def role_counts(tasks: list[dict]) -> str:
    """"牵头 2，配合 5": how many tasks an agency holds in each role."""
    counts: dict[str, int] = {}
    for t in tasks:
        counts[t["role"]] = counts.get(t["role"], 0) + 1
    return "，".join(f"{ROLE_LABEL[r]} {n}" for r, n in sorted(counts.items(), key=lambda x: ROLE_ORDER[x[0]]))
