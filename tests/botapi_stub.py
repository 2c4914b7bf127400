"""A small stand-in for the Telegram Bot API, standard library only.

It serves /bot<token>/<method> on 127.0.0.1 (GET, POST json, POST form) and behaves
like the real API wherever the bot depends on it: getUpdates long polling with
offset confirmation, allowed_updates and the 409 conflicts; sendMessage and
editMessageText parse HTML like Telegram does (unknown tags, stray "<" or "&" and
unbalanced tags are 400 errors), count length in UTF-16 units after parsing
(> 4096: "message is too long"), refuse callback data over 64 bytes, and answer
"message is not modified" to an edit that changes nothing. setWebhook switches to
pushing updates to the bot with the secret token header, as Telegram does.

The test side injects updates (`send_text`, `send_media`, `press`, `inline`; `send_document` and the
file methods in tests/botapi_files.py), reads what the bot
sent (`bot_messages`, `wait_reply`, ...; `times` holds when each message was made,
for latency figures) and can `stop()` and `restart()` the server
on the same port to simulate an outage (in-flight long polls are dropped).
"""
from __future__ import annotations

import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlparse

from tests.botapi_files import FilesMixin, parse_multipart

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages",
    "message_reaction", "message_reaction_count", "inline_query", "chosen_inline_result",
    "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll",
    "poll_answer", "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
    "removed_chat_boost",
)
# Not delivered unless asked for by name (as documented for allowed_updates).
OPT_IN_TYPES = {"chat_member", "message_reaction", "message_reaction_count"}


# Non-text messages as Telegram sends them ({n}: a fresh number per message).
MEDIA: dict[str, dict] = {
    "photo": {"file_id": "photo{n}", "file_unique_id": "uphoto{n}", "width": 1280,
              "height": 960, "file_size": 123456},
    "voice": {"file_id": "voice{n}", "file_unique_id": "uvoice{n}", "duration": 4,
              "mime_type": "audio/ogg"},
    "audio": {"file_id": "audio{n}", "file_unique_id": "uaudio{n}", "duration": 180},
    "video": {"file_id": "video{n}", "file_unique_id": "uvideo{n}", "width": 640,
              "height": 360, "duration": 10},
    "video_note": {"file_id": "vnote{n}", "file_unique_id": "uvnote{n}", "length": 240,
                   "duration": 5},
    "animation": {"file_id": "anim{n}", "file_unique_id": "uanim{n}", "width": 320,
                  "height": 240, "duration": 2},
    "sticker": {"file_id": "sticker{n}", "file_unique_id": "usticker{n}", "type": "regular",
                "width": 512, "height": 512, "is_animated": False, "is_video": False,
                "emoji": "👍"},
    "location": {"latitude": 18.2528, "longitude": 109.5119},
    "contact": {"phone_number": "+8613800000000", "first_name": "张三"},
    "document": {"file_id": "doc{n}", "file_unique_id": "udoc{n}",
                 "file_name": "分工表.docx", "file_size": 40960,
                 "mime_type": "application/vnd.openxmlformats-officedocument."
                              "wordprocessingml.document"},
}


def _entities_of(text: str) -> list[dict]:
    """bot_command and mention entities, as Telegram's clients make them."""
    out = []
    for m in re.finditer(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?|@[A-Za-z0-9_]{5,32}", text):
        etype = "bot_command" if m.group(0).startswith("/") else "mention"
        out.append({"type": etype, "offset": tg_len(text[:m.start()]),
                    "length": tg_len(m.group(0))})
    return out


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class _Dropped(Exception):
    """The server is stopping: close the connection without an answer."""


def tg_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- HTML parse_mode, the subset Telegram supports -----------------------------------

_TAG_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "code": "code", "pre": "pre", "a": "text_link",
    "tg-spoiler": "spoiler", "span": "spoiler", "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TOKEN_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>|<|&([^;\s<>&]{0,10});?|[^<&]+")


def parse_html(text: str) -> tuple[str, list[dict]]:
    """(plain text, entities) as Telegram would parse `text`; ApiError 400 on bad markup."""
    out: list[str] = []
    length = 0
    stack: list[tuple[str, int, str | None]] = []
    entities: list[dict] = []
    pos = 0

    def bad(why: str) -> ApiError:
        offset = len(text[:pos].encode("utf-8"))
        return ApiError(400, f"Bad Request: can't parse entities: {why} at byte offset {offset}")

    for m in _TOKEN_RE.finditer(text):
        pos = m.start()
        tok = m.group(0)
        if tok.startswith("<"):
            if m.group(2) is None:
                raise bad('Unexpected "<"')
            name = m.group(2).lower()
            if name not in _TAG_ENTITY:
                raise bad(f'Unsupported start tag "{name}"')
            if m.group(1):
                if not stack or stack[-1][0] != name:
                    raise bad(f'Unmatched end tag "{name}"')
                open_name, start, url = stack.pop()
                if length > start:
                    ent = {"type": _TAG_ENTITY[name], "offset": start, "length": length - start}
                    if url:
                        ent["url"] = url
                    entities.append(ent)
            else:
                attrs = m.group(3) or ""
                href = re.search(r'href\s*=\s*"([^"]*)"', attrs)
                stack.append((name, length, href.group(1) if href else None))
        elif tok.startswith("&"):
            ref = m.group(4) or ""
            if not tok.endswith(";"):
                raise bad('Character "&" must be escaped as "&amp;"')
            if ref in _NAMED:
                ch = _NAMED[ref]
            elif re.fullmatch(r"#\d{1,7}", ref):
                ch = chr(int(ref[1:]))
            elif re.fullmatch(r"#x[0-9a-fA-F]{1,6}", ref):
                ch = chr(int(ref[2:], 16))
            else:
                raise bad(f'Unsupported HTML entity "&{ref};"')
            out.append(ch)
            length += tg_len(ch)
        else:
            out.append(tok)
            length += tg_len(tok)
    if stack:
        pos = len(text)
        raise bad(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


# --- the server -----------------------------------------------------------------------

class BotApiStub(FilesMixin):
    def __init__(self, token: str = "123:TEST", *, bot_id: int = 4242,
                 username: str = "fengong_test_bot", host: str = "127.0.0.1") -> None:
        self.token = token
        self.host = host
        self.port = 0
        self.me = {"id": bot_id, "is_bot": True, "first_name": "分工助手", "username": username,
                   "can_join_groups": True, "can_read_all_group_messages": False,
                   "supports_inline_queries": True}
        self.cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        # updates
        self._update_ids = itertools.count(1)
        self._updates: list[dict] = []  # not yet confirmed
        self._allowed: list[str] | None = None
        self._poll_generation = 0
        # chats and messages
        self.chats: dict[int, dict] = {}
        self._msg_ids: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1))
        self.messages: dict[tuple[int, int], dict] = {}  # as last sent/edited
        self.html: dict[tuple[int, int], str] = {}  # raw text the bot sent
        self.sent: dict[int, list[int]] = defaultdict(list)  # chat -> bot message ids
        self.edits: dict[tuple[int, int], int] = defaultdict(int)
        self.times: dict[tuple[int, int], float] = {}  # time.monotonic() a message was made
        # other records
        self.calls: list[tuple[str, dict]] = []
        self.callback_queries: dict[str, dict] = {}
        self.callback_answers: dict[str, dict] = {}
        self.inline_queries: dict[str, dict] = {}
        self.inline_answers: dict[str, dict] = {}
        self.commands: list[dict] = []
        self.webhook: dict | None = None
        self._ids = itertools.count(1)

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    def start(self) -> "BotApiStub":
        stub = self

        class Handler(_Handler):
            api = stub

        self._stopping = False
        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        threading.Thread(target=self._webhook_pusher, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving: the port refuses connections, pending long polls are dropped."""
        with self.cond:
            self._stopping = True
            self.cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def restart(self) -> None:
        """Serve again on the same port, with all state kept."""
        self.start()

    @property
    def running(self) -> bool:
        return self._server is not None and not self._stopping

    # --- test side: injecting updates ----------------------------------------------------

    def user(self, user_id: int, first_name: str = "测试用户") -> dict:
        return {"id": user_id, "is_bot": False, "first_name": first_name,
                "username": f"user{user_id}", "language_code": "zh-hans"}

    def chat(self, chat_id: int, chat_type: str = "private", title: str | None = None) -> dict:
        if chat_id not in self.chats:
            if chat_type == "private":
                chat = {"id": chat_id, "type": "private", "first_name": "测试用户"}
            else:
                chat = {"id": chat_id, "type": chat_type, "title": title or f"群 {chat_id}"}
            self.chats[chat_id] = chat
        return self.chats[chat_id]

    def push(self, update: dict) -> int:
        with self.cond:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self.cond.notify_all()
            return update["update_id"]

    def send_text(self, text: str, *, user_id: int = 1001, chat_id: int | None = None,
                  chat_type: str = "private", reply_to: dict | None = None,
                  entities: list[dict] | None = None) -> dict:
        """A user writes `text`. Commands and @mentions get their entities, as
        Telegram's clients make them. Returns the message."""
        if entities is None:
            entities = _entities_of(text)
        content: dict = {"text": text}
        if entities:
            content["entities"] = entities
        return self.send_message(content, user_id=user_id, chat_id=chat_id,
                                 chat_type=chat_type, reply_to=reply_to)

    def send_media(self, kind: str, *, caption: str | None = None, user_id: int = 1001,
                   chat_id: int | None = None, chat_type: str = "private",
                   reply_to: dict | None = None, **fields: Any) -> dict:
        """A user sends something that is not text: `kind` is one of MEDIA (photo,
        voice, sticker, location, video, document ...), shaped as Telegram sends it;
        `fields` override its fields (e.g. file_name for a document)."""
        n = next(self._ids)
        value = {k: (v.format(n=n) if isinstance(v, str) else v)
                 for k, v in MEDIA[kind].items()} | fields
        content: dict = {kind: [value] if kind == "photo" else value}
        if kind == "animation":  # Telegram sets both, for old clients
            content["document"] = {k: value[k] for k in ("file_id", "file_unique_id")}
        if caption:
            content["caption"] = caption
            if entities := _entities_of(caption):
                content["caption_entities"] = entities
        return self.send_message(content, user_id=user_id, chat_id=chat_id,
                                 chat_type=chat_type, reply_to=reply_to)

    def send_message(self, content: dict, *, user_id: int = 1001, chat_id: int | None = None,
                     chat_type: str = "private", reply_to: dict | None = None) -> dict:
        """A user sends a message with `content` (text, photo, ... fields). Returns it."""
        chat = self.chat(user_id if chat_id is None else chat_id, chat_type)
        with self.cond:
            msg = {"message_id": next(self._msg_ids[chat["id"]]), "date": int(time.time()),
                   "chat": chat, "from": self.user(user_id), **content}
            if reply_to is not None:
                msg["reply_to_message"] = reply_to
            self.messages[(chat["id"], msg["message_id"])] = msg
            self.times[(chat["id"], msg["message_id"])] = time.monotonic()
        self.push({"message": msg})
        return msg

    def press(self, message: dict, data: str, *, user_id: int = 1001) -> str:
        """A user presses a button with callback `data` under `message`. Returns the query id."""
        qid = str(next(self._ids) * 7919)
        query = {"id": qid, "from": self.user(user_id), "message": message,
                 "chat_instance": f"ci{message['chat']['id']}", "data": data}
        with self.cond:
            self.callback_queries[qid] = query
        self.push({"callback_query": query})
        return qid

    def inline(self, text: str, *, user_id: int = 1001) -> str:
        qid = str(next(self._ids) * 104729)
        query = {"id": qid, "from": self.user(user_id), "query": text, "offset": "",
                 "chat_type": "sender"}
        with self.cond:
            self.inline_queries[qid] = query
        self.push({"inline_query": query})
        return qid

    # --- test side: observing ------------------------------------------------------------

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0,
                 what: str = "condition") -> Any:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
                self.cond.wait(min(left, 0.2))

    def bot_messages(self, chat_id: int) -> list[dict]:
        with self.cond:
            return [self.messages[(chat_id, i)] for i in self.sent[chat_id]]

    def wait_reply(self, chat_id: int, after: int = 0, timeout: float = 10.0) -> dict:
        """The first message the bot sends to `chat_id` beyond the first `after` ones."""
        def got() -> dict | None:
            ids = self.sent[chat_id]
            return self.messages[(chat_id, ids[after])] if len(ids) > after else None
        return self.wait_for(got, timeout, f"bot message #{after + 1} in chat {chat_id}")

    def pending(self) -> int:
        """Updates the bot has not confirmed yet (a getUpdates offset past them)."""
        with self.cond:
            return len(self._updates)

    def count(self, chat_id: int) -> int:
        with self.cond:
            return len(self.sent[chat_id])

    def wait_edit(self, message: dict, edits: int = 1, timeout: float = 10.0) -> dict:
        key = (message["chat"]["id"], message["message_id"])
        self.wait_for(lambda: self.edits[key] >= edits, timeout, f"edit of message {key}")
        return self.messages[key]

    def wait_callback_answer(self, qid: str, timeout: float = 10.0) -> dict:
        return self.wait_for(lambda: self.callback_answers.get(qid), timeout,
                             f"answerCallbackQuery {qid}")

    def wait_inline_answer(self, qid: str, timeout: float = 10.0) -> dict:
        return self.wait_for(lambda: self.inline_answers.get(qid), timeout,
                             f"answerInlineQuery {qid}")

    def called(self, method: str) -> list[dict]:
        with self.cond:
            return [p for m, p in self.calls if m == method]

    # --- the Bot API ---------------------------------------------------------------------

    def handle(self, method: str, params: dict, poll: Callable[[], bool]) -> Any:
        with self.cond:
            self.calls.append((method, params))
            self.cond.notify_all()
        fn = getattr(self, "api_" + method.lower(), None)
        if fn is None:
            raise ApiError(404, "Not Found")
        return fn(params) if method.lower() != "getupdates" else fn(params, poll)

    def api_getme(self, p: dict) -> dict:
        return self.me

    def _deliverable(self, allowed: list[str] | None) -> Callable[[dict], bool]:
        wanted = set(UPDATE_TYPES) - OPT_IN_TYPES if not allowed else set(allowed)
        return lambda u: next(k for k in u if k != "update_id") in wanted

    def api_getupdates(self, p: dict, alive: Callable[[], bool]) -> list[dict]:
        offset = _int(p.get("offset"), 0)
        limit = max(1, min(100, _int(p.get("limit"), 100)))
        timeout = max(0, _int(p.get("timeout"), 0))
        with self.cond:
            if self.webhook:
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                    "active; use deleteWebhook to delete the webhook first")
            if "allowed_updates" in p and p["allowed_updates"] is not None:
                self._allowed = list(p["allowed_updates"])
            ok = self._deliverable(self._allowed)
            # Confirm everything below offset; drop what this bot does not want.
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            self._updates = [u for u in self._updates if ok(u)]
            self._poll_generation += 1
            generation = self._poll_generation
            deadline = time.monotonic() + timeout
            while True:
                if self._stopping:
                    raise _Dropped
                if generation != self._poll_generation:
                    raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                        "sure that only one bot instance is running")
                ready = [u for u in self._updates if ok(u)][:limit]
                left = deadline - time.monotonic()
                if ready or left <= 0:
                    return ready
                if not alive():
                    raise _Dropped
                self.cond.wait(min(left, 0.5))

    def _chat_of(self, p: dict) -> dict:
        chat_id = _int(p.get("chat_id"), None)
        if chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        return self.chats[chat_id]

    def _text(self, p: dict) -> tuple[str, list[dict]]:
        raw = p.get("text")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: message text is empty")
        raw = str(raw)
        mode = (p.get("parse_mode") or "").lower()
        if mode == "html":
            text, entities = parse_html(raw)
        elif mode:
            text, entities = raw, []  # other modes are not used by this bot
        else:
            text, entities = raw, list(p.get("entities") or [])
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if tg_len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return text, entities

    @staticmethod
    def _markup(p: dict) -> dict | None:
        markup = p.get("reply_markup")
        if not markup:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard") or []:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the "
                                        "inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def api_sendmessage(self, p: dict) -> dict:
        with self.cond:
            chat = self._chat_of(p)
            text, entities = self._text(p)
            markup = self._markup(p)
            msg = {"message_id": next(self._msg_ids[chat["id"]]), "date": int(time.time()),
                   "chat": chat, "from": self.me, "text": text}
            if entities:
                msg["entities"] = entities
            if markup:
                msg["reply_markup"] = markup
            reply = p.get("reply_parameters") or {}
            reply_id = _int(reply.get("message_id") if reply else p.get("reply_to_message_id"), 0)
            if reply_id:
                replied = self.messages.get((chat["id"], reply_id))
                if replied is None and not reply.get("allow_sending_without_reply"):
                    raise ApiError(400, "Bad Request: message to be replied not found")
                if replied is not None:
                    msg["reply_to_message"] = {k: v for k, v in replied.items()
                                               if k != "reply_to_message"}
            key = (chat["id"], msg["message_id"])
            self.messages[key] = msg
            self.html[key] = str(p.get("text"))
            self.times[key] = time.monotonic()
            self.sent[chat["id"]].append(msg["message_id"])
            self.cond.notify_all()
            return msg

    def api_editmessagetext(self, p: dict) -> dict:
        with self.cond:
            if p.get("inline_message_id"):
                raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
            chat = self._chat_of(p)
            key = (chat["id"], _int(p.get("message_id"), 0))
            old = self.messages.get(key)
            if old is None:
                raise ApiError(400, "Bad Request: message to edit not found")
            if old["from"]["id"] != self.me["id"]:
                raise ApiError(400, "Bad Request: message can't be edited")
            text, entities = self._text(p)
            markup = self._markup(p)  # omitted: the inline keyboard is removed
            if (text == old["text"] and entities == old.get("entities", [])
                    and markup == old.get("reply_markup")):
                raise ApiError(400, "Bad Request: message is not modified: specified new "
                                    "message content and reply markup are exactly the same "
                                    "as a current content and reply markup of the message")
            msg = {k: v for k, v in old.items() if k not in ("entities", "reply_markup")}
            msg.update(text=text, edit_date=int(time.time()))
            if entities:
                msg["entities"] = entities
            if markup:
                msg["reply_markup"] = markup
            self.messages[key] = msg
            self.html[key] = str(p.get("text"))
            self.edits[key] += 1
            self.cond.notify_all()
            return msg

    def api_answercallbackquery(self, p: dict) -> bool:
        with self.cond:
            qid = str(p.get("callback_query_id"))
            if qid not in self.callback_queries or qid in self.callback_answers:
                raise ApiError(400, "Bad Request: query is too old and response timeout "
                                    "expired or query ID is invalid")
            if len(str(p.get("text") or "")) > 200:
                raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            self.callback_answers[qid] = dict(p)
            self.cond.notify_all()
            return True

    def api_answerinlinequery(self, p: dict) -> bool:
        with self.cond:
            qid = str(p.get("inline_query_id"))
            if qid not in self.inline_queries or qid in self.inline_answers:
                raise ApiError(400, "Bad Request: query is too old and response timeout "
                                    "expired or query ID is invalid")
            results = p.get("results") or []
            if len(results) > 50:
                raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
            ids = [str(r.get("id", "")) for r in results]
            if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
            for r in results:
                content = r.get("input_message_content") or {}
                self._text({"text": content.get("message_text"),
                            "parse_mode": content.get("parse_mode")})
            self.inline_answers[qid] = dict(p)
            self.cond.notify_all()
            return True

    def api_setmycommands(self, p: dict) -> bool:
        commands = p.get("commands") or []
        for c in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", c.get("command", "")) or not (
                    1 <= len(c.get("description", "")) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        with self.cond:
            self.commands = list(commands)
        return True

    def api_getmycommands(self, p: dict) -> list[dict]:
        return list(self.commands)

    def api_deletemycommands(self, p: dict) -> bool:
        self.commands = []
        return True

    def api_sendchataction(self, p: dict) -> bool:
        self._chat_of(p)
        return True

    def api_setwebhook(self, p: dict) -> bool:
        url = p.get("url") or ""
        with self.cond:
            if not url:
                self.webhook = None
                return True
            secret = p.get("secret_token")
            if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
                raise ApiError(400, "Bad Request: secret token contains unallowed characters")
            if p.get("drop_pending_updates"):
                self._updates = []
            if p.get("allowed_updates") is not None:
                self._allowed = list(p["allowed_updates"])
            self.webhook = {"url": url, "secret_token": secret}
            self._poll_generation += 1  # a pending getUpdates ends in a conflict
            self.cond.notify_all()
        return True

    def api_deletewebhook(self, p: dict) -> bool:
        with self.cond:
            self.webhook = None
            if p.get("drop_pending_updates"):
                self._updates = []
            self.cond.notify_all()
        return True

    def api_getwebhookinfo(self, p: dict) -> dict:
        with self.cond:
            return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                    "pending_update_count": len(self._updates)}

    def api_close(self, p: dict) -> bool:
        return True

    def api_logout(self, p: dict) -> bool:
        return True

    def api_deletemessage(self, p: dict) -> bool:
        return True

    # --- webhook delivery --------------------------------------------------------------

    def _webhook_pusher(self) -> None:
        server = self._server
        while True:
            with self.cond:
                while not self._stopping and not (self.webhook and self._updates):
                    self.cond.wait(0.5)
                if self._stopping or self._server is not server:
                    return
                hook = dict(self.webhook)
                update = self._updates[0]
                if not self._deliverable(self._allowed)(update):
                    self._updates.pop(0)
                    continue
            request = urllib.request.Request(
                hook["url"], data=json.dumps(update).encode(), method="POST",
                headers={"Content-Type": "application/json"})
            if hook.get("secret_token"):
                request.add_header("X-Telegram-Bot-Api-Secret-Token", hook["secret_token"])
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    delivered = 200 <= response.status < 300
            except (urllib.error.URLError, OSError):
                delivered = False
            with self.cond:
                if delivered and self._updates and self._updates[0] is update:
                    self._updates.pop(0)
                    self.cond.notify_all()
            if not delivered:
                time.sleep(0.2)


def _int(value: Any, default: Any) -> Any:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid integer value {value!r}") from None


def _form_value(value: str) -> Any:
    """Form fields carry JSON for objects and lists (as PTB and most clients send them)."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    if value in ("true", "false"):
        return value == "true"
    return value


class _Handler(BaseHTTPRequestHandler):
    api: BotApiStub
    protocol_version = "HTTP/1.0"  # one request per connection: a stop drops them all

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        if urlparse(self.path).path.startswith("/file/bot"):
            self._serve_file()
            return
        self._serve(dict(parse_qsl(urlparse(self.path).query)))

    def _serve_file(self) -> None:
        """GET /file/bot<token>/<file_path>: a file's bytes (tests/botapi_files.py)."""
        token, _, file_path = unquote(urlparse(self.path).path)[len("/file/bot"):].partition("/")
        data = self.api.file_download(token, file_path)
        if data is None:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params: dict = {k: _form_value(v) for k, v in parse_qsl(urlparse(self.path).query)}
        try:
            if ctype == "application/json" and body:
                params.update(json.loads(body.decode("utf-8")))
            elif ctype == "multipart/form-data" and body:  # file uploads (sendDocument)
                params.update({k: _form_value(v) if isinstance(v, str) else v for k, v in
                               parse_multipart(self.headers.get("Content-Type"), body).items()})
            elif body:
                params.update({k: _form_value(v) for k, v in
                               parse_qsl(body.decode("utf-8"), keep_blank_values=True)})
        except (ValueError, UnicodeDecodeError):
            self._reply(400, {"ok": False, "error_code": 400,
                              "description": "Bad Request: can't parse request body"})
            return
        self._serve(params)

    def _serve(self, params: dict) -> None:
        m = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)/?", urlparse(self.path).path)
        if not m:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        if m.group(1) != self.api.token:
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        try:
            result = self.api.handle(m.group(2), params, lambda: self.api.running)
        except _Dropped:
            self.close_connection = True
            return
        except ApiError as exc:
            self._reply(exc.code, {"ok": False, "error_code": exc.code,
                                   "description": exc.description})
            return
        self._reply(200, {"ok": True, "result": result})

    def _reply(self, code: int, payload: dict) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass
