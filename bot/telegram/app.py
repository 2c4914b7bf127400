"""The bot assembled: `build_app(config)` wires every handler in one place, `run(config)`
runs it (long polling, or a webhook server when FENGONG_WEBHOOK_URL is set), `main()`
reads the configuration from the environment."""
from __future__ import annotations

import logging
import sys
from urllib.parse import urlparse

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CommandHandler,
    Defaults,
    TypeHandler,
)

from bot import render
from bot.config import Config, ConfigError
from bot.settings import SettingsStore
from bot.telegram import buttons, commands, messages, reminders, working  # noqa: F401 (registers)
from bot.telegram.gate import gate, on_error
from bot.telegram.health import RETRY_FOR, ApiHealth, TrackingRequest
from bot.telegram.logs import LOG_FORMAT, setup_logging
from bot.telegram.service import Deps, ResultCache, ServiceFactory, Worker, load_factory
from bot.telegram.uploads import uploads

log = logging.getLogger("fengong.telegram")

POLL_TIMEOUT = 30  # seconds a getUpdates long poll may wait


async def post_init(app: Application) -> None:
    deps = Deps.of(app)
    deps.service.warm_up()
    await reminders.schedule_all(app)
    try:
        await app.bot.set_my_commands([BotCommand(n, d) for n, d in render.COMMANDS])
    except TelegramError as exc:
        log.warning("Could not register the command list: %s", exc)
    log.info("Bot @%s is up (%s mode, home %s)", app.bot.username,
             "webhook" if deps.config.webhook_mode else "polling", deps.config.home)


async def post_shutdown(app: Application) -> None:
    deps = Deps.of(app)
    deps.service.close()
    deps.settings.close()
    uploads(app).close()  # pending previews' temporary folders
    reminders.close(app)
    log.info("Bot stopped")


def build_app(config: Config, service_factory: ServiceFactory | None = None) -> Application:
    health = ApiHealth()
    app = (
        ApplicationBuilder()
        .token(config.token)
        .base_url(config.api_base)
        .base_file_url(config.file_base)
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True),
                           allow_sending_without_reply=True))  # question deleted meanwhile
        # Sends that cannot connect are retried for RETRY_FOR seconds (health.py).
        .request(TrackingRequest(health, retry_for=RETRY_FOR, connection_pool_size=32,
                                 connect_timeout=10.0, read_timeout=15.0, write_timeout=15.0,
                                 pool_timeout=5.0))
        # getUpdates: PTB adds the long-poll timeout to this read timeout, and retries.
        .get_updates_request(TrackingRequest(health, connection_pool_size=2,
                                             connect_timeout=10.0, read_timeout=10.0,
                                             write_timeout=10.0, pool_timeout=5.0))
        .rate_limiter(AIORateLimiter(max_retries=2))
        .concurrent_updates(8)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    config.home.mkdir(parents=True, exist_ok=True)
    app.bot_data["deps"] = Deps(
        config=config,
        service=Worker(service_factory or load_factory(config.answerer), str(config.home)),
        settings=SettingsStore(config.settings_path),
        cache=ResultCache(),
        health=health,
    )
    reminders.install(app)
    app.add_handler(TypeHandler(Update, gate), group=-1)
    app.add_handlers([
        *(CommandHandler(name, fn, filters=messages.NEW) for name, fn in commands.registered()),
        *messages.handlers(),  # after the commands: it answers unknown ones
        *buttons.handlers(),
    ])
    app.add_error_handler(on_error)
    return app


def run(config: Config) -> None:
    """Run the bot until SIGINT/SIGTERM. Blocks; PTB handles the signals and shuts down
    cleanly (the updates in hand are answered first)."""
    setup_logging(config)
    app = build_app(config)
    if config.webhook_mode:
        app.run_webhook(
            listen=config.listen,
            port=config.port,
            url_path=urlparse(config.webhook_url).path.strip("/"),
            webhook_url=config.webhook_url,
            secret_token=config.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
            bootstrap_retries=-1,
        )
    else:
        app.run_polling(
            timeout=POLL_TIMEOUT,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
            bootstrap_retries=-1,
        )


def main() -> None:
    """Read the configuration from the environment and run (`python -m bot run`)."""
    logging.basicConfig(format=LOG_FORMAT, level=logging.INFO)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"fengong: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    run(config)


if __name__ == "__main__":
    main()
