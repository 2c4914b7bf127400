"""Task lists → an Excel workbook (.xlsx bytes) for the `导出Excel` button and
`python -m bot export --format xlsx`. One row per task; users see the printed deadline
and beside it the date its period ends and where that stands today.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any, Iterable

from index.due import due_dates, task_status

COLUMNS = ("文件", "序号", "任务", "本单位角色", "牵头单位", "配合单位", "属地", "完成时限", "到期日", "状态")
# Characters wide; the task text wraps inside its column instead of running on.
WIDTHS = (24, 8, 60, 12, 24, 30, 18, 16, 14, 12)
ROLE_LABEL = {"lead": "牵头", "responsible": "负责", "support": "配合", "local": "属地"}


def task_row(task: dict[str, Any], today: date, titles: dict[str, str] | None = None) -> list[str]:
    """The ten cells of one task. With no lead, the responsible units fill 牵头单位 marked
    （负责） so a reader still sees who carries the task."""
    due = task.get("due")
    if due is None:
        due = due_dates(task.get("deadlines") or [])
    lead = "、".join(task.get("lead") or [])
    if not lead and task.get("responsible"):
        lead = "、".join(task["responsible"]) + "（负责）"
    support = "、".join(task.get("support") or [])
    if task.get("others"):
        support += "等有关部门"
    text = (task["title"] + "：" if task.get("title") else "") + (task.get("task") or "")
    return [
        (titles or {}).get(task.get("source", ""), task.get("source", "")),
        str(task.get("number", "")),
        text,
        ROLE_LABEL.get(task.get("role") or "", ""),
        lead,
        support,
        "、".join(task.get("local") or []),
        "、".join(task.get("deadlines") or []),
        "、".join(d for d in due if d),
        task_status(list(due), today),
    ]


def workbook_bytes(tasks: Iterable[dict[str, Any]], today: date, titles: dict[str, str] | None = None,
                   sheet: str = "任务") -> bytes:
    """The .xlsx file of `tasks` (task dicts, with `role` in an agency's list and `due`;
    `due` is computed from `deadlines` when missing). `titles`: source id → document title
    for the 文件 column. Header frozen, widths set, text wrapped."""
    from openpyxl import Workbook  # ~0.2 s to import: only when a workbook is asked for
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]  # Excel's limit on sheet names
    ws.append(list(COLUMNS))
    for task in tasks:
        ws.append(task_row(task, today, titles))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
