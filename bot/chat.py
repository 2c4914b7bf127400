"""`python -m bot chat`: the terminal chat, on the same answers as Telegram."""
from __future__ import annotations

import sys


def chat(home: str | None = None, agency: str | None = None) -> int:
    from bot.answer import Answerer

    answerer = Answerer(home)
    print("分工助手：输入问题，例如“谁负责家庭养老床位”；输入“帮助”看说明，Ctrl-D 退出。")
    while True:
        try:
            line = input("问> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not line.strip():
            continue
        if line.strip() in ("退出", "exit", "quit"):
            return 0
        try:
            answerer.refresh()  # a document added meanwhile (`bot add` in another terminal)
            print(answerer.ask(line, agency=agency).reply + "\n")
        except Exception as e:  # a bad question must never end the session
            print(f"出错了：{e}", file=sys.stderr)
