"""`python -m bot …`: the command line. Mirrors the library: parse, index build,
export, ask, chat, run. Output of parse / export / ask --json is a stable contract.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def cmd_parse(args) -> int:
    from index.parse import ParseError, parse_document

    try:
        doc = parse_document(Path(args.file), jurisdiction=args.jurisdiction, title=args.title)
    except ParseError as e:
        print(f"parse: {e}", file=sys.stderr)
        return 1
    for task in doc.tasks:
        _print_json(task)
    for w in doc.warnings:
        print(f"warning: {w}" if w.startswith(str(args.file)) else f"warning: {args.file}: {w}", file=sys.stderr)
    return 0


def cmd_index_build(args) -> int:
    from index.store import BuildError, build_store

    try:
        report = build_store(args.home)
    except BuildError as e:
        print(f"index build failed: {e}\nThe last good index is unchanged.", file=sys.stderr)
        return 1
    print(
        f"built {report.path}: {report.sources} documents, {report.tasks} tasks, {report.agencies} agencies, "
        f"{report.people} people, {report.duties} duties in {report.seconds:.2f} s"
    )
    for j, name in report.unknown_names:
        print(f"unrecognised agency name ({j}): {name}", file=sys.stderr)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from index.store import connect

    conn = connect(args.home)
    if args.kind == "tasks":
        for r in conn.execute("select * from tasks order by id"):
            t = {k: r[k] for k in ("source", "section", "number", "title", "task")}
            for k in ("lead", "support", "responsible", "local"):
                t[k] = json.loads(r[k])
            t["others"] = bool(r["others"])
            t["deadlines"] = json.loads(r["deadlines"])
            _print_json(t)
    elif args.kind == "people":
        for r in conn.execute("select name, group_role, position, office_role from people order by rowid"):
            _print_json(dict(r))
    elif args.kind == "duties":
        for r in conn.execute("select agency, duty from duties order by rowid"):
            _print_json(dict(r))
    else:
        for r in conn.execute("select jurisdiction, canonical, variants from agencies order by id"):
            _print_json({"jurisdiction": r["jurisdiction"], "canonical": r["canonical"], "variants": json.loads(r["variants"])})
    return 0


def _batch_questions(path: str) -> list[str]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                out.append(json.loads(line)["q"])
                continue
            except (ValueError, KeyError, TypeError):
                pass
        out.append(line)
    return out


def cmd_ask(args) -> int:
    from bot.answer import Answerer

    answerer = Answerer(args.home)
    if args.batch:
        for q in _batch_questions(args.batch):
            _print_json(answerer.ask(q, agency=args.agency, scope=args.scope).to_json())
        return 0
    answer = answerer.ask(" ".join(args.question), agency=args.agency, scope=args.scope)
    if args.json:
        _print_json(answer.to_json())
    else:
        print(answer.reply)
    return 0


def cmd_chat(args) -> int:
    from bot.chat import chat

    return chat(args.home, agency=args.agency)


def cmd_run(args) -> int:
    from bot.telegram_app import main

    main()
    return 0


def cmd_default(args) -> int:
    """No command: the Telegram bot when a token is set, else the terminal chat."""
    if os.environ.get("TELEGRAM_BOT_TOKEN"):
        return cmd_run(args)
    print("TELEGRAM_BOT_TOKEN is not set: starting the terminal chat on the same answers.\n"
          "To run the Telegram bot, create one with @BotFather and `export TELEGRAM_BOT_TOKEN=...` (see README).\n",
          file=sys.stderr)
    return cmd_chat(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="fengong: who is responsible for what")
    p.add_argument("--home", help="folder for the store and settings (default $FENGONG_HOME or var/)")
    p.set_defaults(func=cmd_default, agency=None)
    sub = p.add_subparsers(dest="command")

    sp = sub.add_parser("parse", help="parse one document, print one JSON task per line")
    sp.add_argument("file")
    sp.add_argument("--jurisdiction")
    sp.add_argument("--title")
    sp.set_defaults(func=cmd_parse)

    si = sub.add_parser("index", help="the store")
    si_sub = si.add_subparsers(dest="index_command", required=True)
    sib = si_sub.add_parser("build", help="rebuild the store from data/ (atomic)")
    sib.set_defaults(func=cmd_index_build)

    se = sub.add_parser("export", help="JSON lines from the store")
    se.add_argument("--kind", choices=("tasks", "people", "duties", "agencies"), default="tasks")
    se.set_defaults(func=cmd_export)

    sa = sub.add_parser("ask", help="answer a question")
    sa.add_argument("question", nargs="*")
    sa.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    sa.add_argument("--batch", help="file with one question per line (or JSON lines with a q key)")
    sa.add_argument("--agency", help="the user's bound agency (for 我的任务)")
    sa.add_argument("--scope", help="limit answers to one jurisdiction")
    sa.set_defaults(func=cmd_ask)

    sc = sub.add_parser("chat", help="terminal chat on the same answers")
    sc.add_argument("--agency")
    sc.set_defaults(func=cmd_chat)

    sr = sub.add_parser("run", help="run the Telegram bot (polling, or webhook when configured)")
    sr.set_defaults(func=cmd_run)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.home:
        os.environ["FENGONG_HOME"] = args.home
    return args.func(args)
