"""`python -m bot add / remove / docs / digest`, and `export --format xlsx`: documents and
deadlines from the command line (bot/cli.py wires them). The same functions serve Telegram
(index.intake, bot.due_answers); nothing here is Telegram's.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

SHOWN_WARNINGS = 3


def _json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def cmd_add(args) -> int:
    """Read each file, keep it, put it in the store. A file that cannot be read is named
    with the reason and changes nothing; the other files still go in. Exit 0 only if all did."""
    from index.intake import commit, read_upload
    from index.sandbox import SandboxError

    if not _ready(args.home):
        return 1
    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            preview = read_upload(path, jurisdiction=args.jurisdiction, title=args.title)
            done = commit(args.home, preview, added_by={"via": "cli"})
        except SandboxError as e:
            print(f"{name}: 未收录：{e.reason}", file=sys.stderr)
            failed += 1
            continue
        except OSError as e:
            print(f"{name}: 未收录：{e.strerror or e}", file=sys.stderr)
            failed += 1
            continue
        doc = preview.document
        print(f"{name}: 已收录 {done.entry.source}")
        print(f"  标题：{doc.title or '（未识别）'}")
        print(f"  地区：{doc.jurisdiction}")
        print(f"  任务：{done.tasks} 项")
        agencies = preview.agencies
        print(f"  单位：{len(agencies)} 个（{'、'.join(agencies[:8])}{' …' if len(agencies) > 8 else ''}）")
        if done.how != "new" or done.replaced:
            why = {"same_content": "内容相同", "same_title": "标题相同"}.get(done.how, "标题相同")
            print(f"  替换了旧版本（{why}）：{', '.join(dict.fromkeys([*(p.source for p in [done.previous] if p), *done.replaced]))}")
        if doc.warnings:
            print(f"  提示 {len(doc.warnings)} 条：")
            for w in doc.warnings[:SHOWN_WARNINGS]:
                print(f"    {w}")
            if len(doc.warnings) > SHOWN_WARNINGS:
                print(f"    …另有 {len(doc.warnings) - SHOWN_WARNINGS} 条")
    return 1 if failed else 0


def cmd_remove(args) -> int:
    from index.intake import remove

    if not _ready(args.home):
        return 1
    title = remove(args.home, args.source)
    if title is None:
        print(f"没有这份文件：{args.source}（`python -m bot docs` 列出全部）", file=sys.stderr)
        return 1
    print(f"已移除 {args.source}：{title}")
    return 0


def cmd_docs(args) -> int:
    from index.intake import documents

    if not _ready(args.home):
        return 1
    for d in documents(args.home):
        if args.json:
            _json(d)
        else:
            added = f"，{d['added']} 添加" if d["added"] else "，随程序提供"
            print(f"{d['source']}\t{d['title'] or '（无标题）'}（{d['jurisdiction']}，{d['tasks']} 项{added}）")
    return 0


def _agency_id(answerer, name: str, scope: str | None) -> int | None:
    found = [a for a in answerer.find_agencies(name) if not scope or scope in (a["jurisdiction"], a["jurisdiction"][:-1])]
    if not found:
        print(f"没有找到单位：{name}{f'（{scope}）' if scope else ''}", file=sys.stderr)
        return None
    if len({a["jurisdiction"] for a in found}) > 1:
        places = "、".join(dict.fromkeys(a["jurisdiction"] for a in found))
        print(f"“{name}”在多个地区都有（{places}）：用 --scope 指定一个", file=sys.stderr)
        return None
    return found[0]["id"]


def cmd_digest(args) -> int:
    """An agency's overdue tasks and those due within 30 days (what a reminder sends)."""
    from bot.answer import Answerer

    if not _ready(args.home):
        return 1
    answerer = Answerer(args.home)
    aid = _agency_id(answerer, args.agency, args.scope)
    if aid is None:
        return 1
    d = answerer.digest(aid)
    if args.json:
        _json({"agency": d["agency"], "overdue": d["overdue"], "due_soon": d["due_soon"], "reply": d["reply"]})
    else:
        print(d["reply"])
    return 0


def export_xlsx(args) -> int:
    """`export --format xlsx --agency A [--scope J] -o FILE`: the agency's tasks as a workbook."""
    from bot.answer import Answerer

    if not args.agency or not args.output:
        print("export --format xlsx needs --agency and -o FILE", file=sys.stderr)
        return 2
    answerer = Answerer(args.home)
    aid = _agency_id(answerer, args.agency, args.scope)
    if aid is None:
        return 1
    tasks = answerer.agency_tasks(aid).tasks
    Path(args.output).write_bytes(answerer.workbook(tasks))
    print(f"{args.output}: {len(tasks)} 项任务", file=sys.stderr)
    return 0


def _ready(home) -> bool:
    from bot.cli import _store_ready

    return _store_ready(home)


def add_parsers(sub) -> None:
    """The subcommands of this module, on bot.cli's parser."""
    sa = sub.add_parser("add", help="add documents (.docx .xlsx .xls .pdf .html .txt .md; .doc/.wps/.et with LibreOffice)")
    sa.add_argument("files", nargs="+", metavar="FILE")
    sa.add_argument("--jurisdiction", help="the place the documents are for (default: told from each document)")
    sa.add_argument("--title", help="the title (default: told from each document)")
    sa.set_defaults(func=cmd_add)

    sr = sub.add_parser("remove", help="take a document and its tasks out")
    sr.add_argument("source", help="the document's id (see `docs`)")
    sr.set_defaults(func=cmd_remove)

    sd = sub.add_parser("docs", help="every document, shipped and added")
    sd.add_argument("--json", action="store_true", help="JSON lines: source, title, jurisdiction, tasks, added, file")
    sd.set_defaults(func=cmd_docs)

    sg = sub.add_parser("digest", help="an agency's overdue tasks and those due within 30 days")
    sg.add_argument("--agency", required=True)
    sg.add_argument("--scope", help="the agency's jurisdiction when its name is in several")
    sg.add_argument("--json", action="store_true")
    sg.set_defaults(func=cmd_digest)
