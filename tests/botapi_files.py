"""Files in the Bot API stand-in: documents users send, getFile and the download, sendDocument.

Kept apart from tests/botapi_stub.py (which mixes this in) so other additions to the stand-in
merge cleanly. It behaves as the Bot API does where the bot depends on it:

- a user's document message carries `document` {file_id, file_unique_id, file_name, mime_type,
  file_size} and an optional caption; the file's bytes stay on the server;
- getFile answers {file_id, file_unique_id, file_size, file_path} and refuses a file over
  20 MB ("Bad Request: file is too big"), as the cloud Bot API does; an unknown id is
  "Bad Request: invalid file_id";
- the bytes are served at /file/bot<token>/<file_path> (the layout of a local Bot API server
  and of api.telegram.org), 404 for an unknown path;
- sendDocument takes a multipart upload (what python-telegram-bot sends for bytes or a file)
  or an existing file_id, keeps the uploaded bytes for the test, and answers a message with
  `document`; a caption is parsed like a text (HTML, ≤ 1024 characters after parsing).

The test side: `send_document(...)` injects a user's document message, `documents_sent(chat)`
and `uploads` give back what the bot sent, `downloads` lists the file_paths fetched.
"""
from __future__ import annotations

import itertools
import time
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import PurePosixPath
from typing import Any

MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files (cloud Bot API)
MAX_UPLOAD = 50 * 1024 * 1024  # sendDocument
MAX_CAPTION = 1024
MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xls": "application/vnd.ms-excel", ".doc": "application/msword", ".pdf": "application/pdf",
        ".txt": "text/plain", ".html": "text/html", ".htm": "text/html", ".zip": "application/zip",
        ".png": "image/png", ".jpg": "image/jpeg"}


def parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields of a multipart/form-data body: text fields as str, file fields as
    {"filename", "content_type", "data"}."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            fields[name] = {"filename": filename, "content_type": part.get_content_type(), "data": data}
        else:
            fields[name] = data.decode(part.get_content_charset() or "utf-8")
    return fields


class FilesMixin:
    """Mixed into BotApiStub: its state is created on first use so the stub's __init__ stays as is."""

    def _files(self) -> dict:
        state = self.__dict__.get("_file_state")
        if state is None:
            state = self.__dict__["_file_state"] = {
                "files": {}, "by_path": {}, "ids": itertools.count(1), "downloads": [], "uploads": []}
        return state

    # --- test side ------------------------------------------------------------------------

    def add_file(self, data: bytes | None, file_name: str = "file", *, file_size: int | None = None,
                 kind: str = "documents") -> dict:
        """Store a file on the server; data None with a file_size is a file too big to fetch."""
        state = self._files()
        n = next(state["ids"])
        suffix = PurePosixPath(file_name).suffix.lower()
        entry = {"file_id": f"BQACAgIAAxkBAAI{n:08d}", "file_unique_id": f"AgAD{n:06d}",
                 "file_size": len(data) if data is not None else int(file_size or 0),
                 "file_path": f"{kind}/file_{n}{suffix}", "file_name": file_name, "data": data}
        with self.cond:
            state["files"][entry["file_id"]] = entry
            state["by_path"][entry["file_path"]] = entry
        return entry

    def send_document(self, data: bytes | None, file_name: str, *, user_id: int = 1001,
                      chat_id: int | None = None, chat_type: str = "private", caption: str | None = None,
                      mime_type: str | None = None, file_size: int | None = None) -> dict:
        """A user sends a file. Give `file_size` without data for a file only its size is known
        of (over 20 MB the bot must refuse before fetching). Returns the message."""
        entry = self.add_file(data, file_name, file_size=file_size)
        chat = self.chat(user_id if chat_id is None else chat_id, chat_type)
        suffix = PurePosixPath(file_name).suffix.lower()
        document = {"file_id": entry["file_id"], "file_unique_id": entry["file_unique_id"],
                    "file_name": file_name, "mime_type": mime_type or MIME.get(suffix, "application/octet-stream"),
                    "file_size": entry["file_size"]}
        with self.cond:
            msg = {"message_id": next(self._msg_ids[chat["id"]]), "date": int(time.time()),
                   "chat": chat, "from": self.user(user_id), "document": document}
            if caption:
                msg["caption"] = caption
            self.messages[(chat["id"], msg["message_id"])] = msg
            self.times[(chat["id"], msg["message_id"])] = time.monotonic()
        self.push({"message": msg})
        return msg

    @property
    def downloads(self) -> list[str]:
        """file_paths fetched from /file/bot<token>/…, in order."""
        with self.cond:
            return list(self._files()["downloads"])

    @property
    def uploads(self) -> list[dict]:
        """Every document the bot sent: chat_id, message_id, file_name, mime_type, caption, data."""
        with self.cond:
            return list(self._files()["uploads"])

    def documents_sent(self, chat_id: int) -> list[dict]:
        return [u for u in self.uploads if u["chat_id"] == chat_id]

    @property
    def file_base_url(self) -> str:
        """python-telegram-bot's base_file_url for this server."""
        return f"http://{self.host}:{self.port}/file/bot"

    # --- the Bot API ----------------------------------------------------------------------

    def api_getfile(self, p: dict) -> dict:
        from tests.botapi_stub import ApiError

        with self.cond:
            entry = self._files()["files"].get(str(p.get("file_id") or ""))
        if entry is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if entry["file_size"] > MAX_DOWNLOAD or entry["data"] is None:
            raise ApiError(400, "Bad Request: file is too big")
        return {k: entry[k] for k in ("file_id", "file_unique_id", "file_size", "file_path")}

    def file_download(self, token: str, file_path: str) -> bytes | None:
        """The bytes at /file/bot<token>/<file_path>, None when there are none."""
        if token != self.token:
            return None
        with self.cond:
            entry = self._files()["by_path"].get(file_path)
            if entry is None or entry["data"] is None:
                return None
            self._files()["downloads"].append(file_path)
            self.cond.notify_all()
            return entry["data"]

    def api_senddocument(self, p: dict) -> dict:
        from tests.botapi_stub import ApiError, parse_html, tg_len

        with self.cond:
            chat = self._chat_of(p)
            doc = p.get("document")
            if isinstance(doc, dict) and "data" in doc:  # an upload
                data, name, mime = doc["data"], doc["filename"], doc["content_type"]
                if len(data) > MAX_UPLOAD:
                    raise ApiError(413, "Request Entity Too Large")
                if not data:
                    raise ApiError(400, "Bad Request: file must be non-empty")
                entry = self.add_file(data, name)
            elif isinstance(doc, str) and doc in self._files()["files"]:
                entry = self._files()["files"][doc]
                data, name = entry["data"], entry["file_name"]
                mime = MIME.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
            else:
                raise ApiError(400, "Bad Request: there is no document in the request")
            if mime in (None, "", "application/octet-stream"):
                mime = MIME.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")
            msg = {"message_id": next(self._msg_ids[chat["id"]]), "date": int(time.time()),
                   "chat": chat, "from": self.me,
                   "document": {"file_id": entry["file_id"], "file_unique_id": entry["file_unique_id"],
                                "file_name": name, "mime_type": mime, "file_size": len(data or b"")}}
            caption = p.get("caption")
            if caption:
                mode = (p.get("parse_mode") or "").lower()
                text, entities = parse_html(str(caption)) if mode == "html" else (str(caption), [])
                if tg_len(text) > MAX_CAPTION:
                    raise ApiError(400, "Bad Request: message caption is too long")
                msg["caption"] = text
                if entities:
                    msg["caption_entities"] = entities
            markup = self._markup(p)
            if markup:
                msg["reply_markup"] = markup
            key = (chat["id"], msg["message_id"])
            self.messages[key] = msg
            self.times[key] = time.monotonic()
            self.sent[chat["id"]].append(msg["message_id"])
            self._files()["uploads"].append({"chat_id": chat["id"], "message_id": msg["message_id"],
                                             "file_name": name, "mime_type": mime,
                                             "caption": msg.get("caption"), "data": data})
            self.cond.notify_all()
            return msg
