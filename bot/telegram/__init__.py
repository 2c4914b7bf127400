"""The Telegram front end (python-telegram-bot 22), one module per job:

    app.py       build_app / run / main: all wiring in one place
    actions.py   what a button does: a typed dataclass per kind (no Telegram imports)
    buttons.py   one callback handler per action kind
    commands.py  /command handlers
    messages.py  text questions, inline queries, everything that is not text
    replies.py   asking the service and sending answers: pages, keyboards
    gate.py      allow-list, group addressing, admin check, error handler
    health.py    Bot API health: outage logging, sends retried while it cannot connect
    logs.py      token redaction, logging setup
    service.py   the typed answer-service protocol, its worker thread, the result cache

Keep this file free of imports: bot/render.py imports bot.telegram.actions.
"""
