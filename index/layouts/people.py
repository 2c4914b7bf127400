"""People of a working group (组长/副组长/成员 label lines) and duties ("机构：职责"
paragraphs under a …职责 heading)."""
from __future__ import annotations

import re

from index.layouts.base import CN_DIGITS, HEADING_RE
from index.layouts.celltable import is_tab_line

_GROUP_LABEL_RE = re.compile(r"^\s*(组\s*长|常务副组长|副\s*组\s*长|成\s*员|组\s*员)\s*[：:]\s*(.*)$")
_SPACED_NAME_RE = re.compile(r"^\s*([\u4e00-\u9fff])\s+([\u4e00-\u9fff])\s+(\S.*)$")
_NAME_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})\s+(\S.*)$")
_OFFICE_RE = re.compile(r"(办公室(?:副)?主任)由\s*([\u4e00-\u9fff]{2,4}?)\s*(?:同志)?(?:兼任|担任)")
_DUTY_HEADING_RE = re.compile(rf"^\s*[{CN_DIGITS}]+、\s*\S{{0,6}}职责\s*$")
_DUTY_LINE_RE = re.compile(r"^\s*([^\s：:，。；、“”]{2,30})\s*[：:]\s*(\S.*)$")


def _person(text: str) -> tuple[str, str] | None:
    """Split "闫  瑞  县委常委、宣传部部长" into (name without spaces, position)."""
    m = _SPACED_NAME_RE.match(text) or _NAME_RE.match(text)
    if not m:
        return None
    *name, position = m.groups()
    return "".join(name), position.strip()


def read_people(lines: list[str]) -> tuple[list[dict], list[str]]:
    """Read the members of a working group: label lines (组长：/成员：) then one person a line."""
    people: list[dict] = []
    warnings: list[str] = []
    role = None
    for line in lines:
        if not line.strip():
            continue
        label = _GROUP_LABEL_RE.match(line)
        if label:
            role = re.sub(r"\s+", "", label.group(1))
            text = label.group(2)
            if not text.strip():
                continue
        elif role is None:
            continue
        else:
            text = line
        person = _person(text)
        if person is None:
            if label:
                warnings.append(f"no name after {role} label: {text.strip()!r}")
                continue
            break  # the end of the member list
        people.append({"name": person[0], "group_role": role, "position": person[1], "office_role": None})
    text = "\n".join(lines)
    for m in _OFFICE_RE.finditer(text):
        matches = [p for p in people if p["name"] == m.group(2)]
        for p in matches:
            p["office_role"] = m.group(1)
        if not matches:
            warnings.append(f"{m.group(1)} {m.group(2)} is not a listed member")
    return people, warnings


def read_duties(lines: list[str]) -> list[dict]:
    """Read "机构：职责" paragraphs under a …职责 heading; wrapped lines are joined."""
    duties: list[dict] = []
    inside = False
    for line in lines:
        if _DUTY_HEADING_RE.match(line):
            inside = True
            continue
        if not inside:
            continue
        if HEADING_RE.match(line) or is_tab_line(line):
            break
        if not line.strip():
            continue
        m = _DUTY_LINE_RE.match(line)
        if m:
            duties.append({"agency": m.group(1), "duty": m.group(2).rstrip()})
        elif duties:  # a duty wrapped onto the next line(s)
            duties[-1]["duty"] += line.strip()
        # Text before the first "机构：" line is the intro paragraph: not a duty.
    return duties
