"""`python -m bot chat`: the terminal chat, on the same answers as Telegram.

Like a Telegram chat it keeps the last answer for 10 minutes, so 什么时候完成 / 第二个 /
还有呢 refer to it (bot.context), and "我是X的" makes X the asker's agency for the session."""
from __future__ import annotations

import sys
import time

CONTEXT_SECONDS = 600


def chat(home: str | None = None, agency: str | None = None) -> int:
    from bot.answer import Answerer

    answerer = Answerer(home)
    context, since = None, 0.0
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
            fresh = context if time.monotonic() - since <= CONTEXT_SECONDS else None
            answer = answerer.ask(line, agency=agency, context=fresh)
            context, since = answer.context(), time.monotonic()
            print(answer.reply + "\n")
            if answer.introduced and len(answer.agency_ids) == 1:  # 我是X的: X asks from now on
                agency = answer.agency_ids[0]
                print(f"（已记住您的单位：{answer.agency['canonical']}（{answer.agency['jurisdiction']}），"
                      "之后可以问“我的任务”“我们逾期的任务”。）\n")
        except Exception as e:  # a bad question must never end the session
            print(f"出错了：{e}", file=sys.stderr)
