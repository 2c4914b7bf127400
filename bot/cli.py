"""`python -m bot …`: the command line. Mirrors the library: parse, index build,
export, ask, chat, run. Output of parse / export / ask --json is a stable contract.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


# Characters str.splitlines() breaks at that json.dumps(ensure_ascii=False) leaves raw: a
# reader splitting our JSON lines that way (Python's splitlines) would see one answer as two.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False).translate(_LINE_BREAKS) + "\n")


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
    from index.build import BuildError, build_store

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


def _store_ready(home: str | None) -> bool:
    """Build the store when missing or stale (a fresh clone answers at once); False,
    with the reason on stderr, when there is none to answer from."""
    from index.store import is_stale

    if not is_stale(home):
        return True
    from index.build import BuildError, ensure_store

    try:
        ensure_store(home)
    except BuildError as e:
        print(f"fengong: cannot build the store: {e}", file=sys.stderr)
        return False
    return True


def cmd_export(args) -> int:
    from index.store import Store

    if not _store_ready(args.home):
        return 1
    if args.format == "xlsx":
        from bot.cli_docs import export_xlsx

        return export_xlsx(args)
    store = Store(args.home)
    if args.kind == "tasks":
        rows = store.all_tasks()
    elif args.kind == "people":
        rows = ({k: p[k] for k in ("name", "group_role", "position", "office_role")} for p in store.people())
    elif args.kind == "duties":
        rows = store.duties()
    else:
        rows = store.agency_rows()
    for row in rows:
        _print_json(row)
    return 0


def _batch_questions(path: str) -> list[str]:
    """One question per line. Lines end at "\n" only (a trailing "\r" of a CRLF file
    goes): U+2028, U+0085 or a lone "\r" inside a question are not line ends, so the
    answers stay one per question line (str.splitlines would split there)."""
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    for line in text.split("\n"):
        line = line.removesuffix("\r")
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

    if not _store_ready(args.home):
        return 1
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

    if not _store_ready(args.home):
        return 1
    return chat(args.home, agency=args.agency)


def cmd_run(args) -> int:
    from bot.config import Config, ConfigError
    from bot.telegram.app import run

    env = dict(os.environ, FENGONG_HOME=args.home) if args.home else None
    try:
        config = Config.from_env(env)
    except ConfigError as exc:
        print(f"fengong: {exc}", file=sys.stderr)
        return 2
    if not _store_ready(str(config.home)):
        return 1
    run(config)
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
    se.add_argument("--format", choices=("jsonl", "xlsx"), default="jsonl", help="xlsx: an agency's tasks as a workbook")
    se.add_argument("--agency", help="with --format xlsx: whose tasks")
    se.add_argument("--scope", help="with --format xlsx: the agency's jurisdiction")
    se.add_argument("-o", "--output", help="with --format xlsx: the file to write")
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

    from bot.cli_docs import add_parsers

    add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # the reader closed the pipe (`ask … | head`): stop quietly; stdout goes to
        # devnull so the interpreter's final flush does not raise again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a writer killed by it
