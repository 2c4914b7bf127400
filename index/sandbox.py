"""Read an uploaded file as hostile: checks before opening it, then parsing in a child process.

A user's .docx can be a zip bomb, an .xlsx can declare a billion rows, a PDF can make a
reader spin. Nothing of that may hang or crash the bot, so `read_in_sandbox`:

1. refuses a file over 20 MB (Telegram's download limit for bots) before reading a byte;
2. for a zip container (.docx, .xlsx, any file starting with PK), reads only the zip
   directory and refuses absurd totals, ratios or entry counts (zip bombs), or a broken zip;
3. runs `index.parse.parse_document` in a child process (`python -m index.sandbox`, JSON in
   on stdin and out on stdout) with a wall-clock limit (the child's process group is killed)
   and an address-space limit (RLIMIT_AS, set by the child on itself: preexec_fn is unsafe
   in a process with threads, and the bot has them);
4. gives the child its own TMPDIR (a converter such as LibreOffice writes there) and removes
   it afterwards, whatever happened.

Every failure is one exception type, SandboxError, with a reason a user can read (Chinese)
and the technical detail for the log.

The zip limits trust the sizes the zip directory declares: Python's zipfile (which
python-docx and openpyxl use) stops a member at its declared size and fails its CRC check
past it, so a member that lies about its size cannot inflate further; the memory limit is
the second line.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from index.parse import Document
from index.readers.common import OLE_MAGIC

ROOT = Path(__file__).resolve().parent.parent
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000  # a large workbook has a few hundred parts
MAX_RATIO = 100  # deflated XML runs 5–30×; a bomb runs 1000× and more
RATIO_FLOOR_BYTES = 5 * 1024 * 1024  # small members may compress as they like
ZIP_SUFFIXES = (".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods")
_STDERR_TAIL = 2000  # characters of the child's stderr kept in the detail


class SandboxError(Exception):
    """A file that could not be read. `reason` is for the user, `detail` for the log."""

    def __init__(self, reason: str, detail: str = "", kind: str = "error"):
        super().__init__(f"{reason}（{detail}）" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.kind = kind  # too_big | zip_bomb | corrupt | timeout | memory | unreadable | crashed


def check_file(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """The checks that need no parsing: size, and a zip container's directory."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise SandboxError("找不到文件或无法打开", f"{path}: {e}", "unreadable") from None
    if size > max_bytes:
        raise SandboxError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {max_bytes // 1024 // 1024} MB）",
                           f"{path}: {size} bytes", "too_big")
    if size == 0:
        raise SandboxError("文件是空的", f"{path}: 0 bytes", "unreadable")
    with open(path, "rb") as f:
        magic = f.read(8)
    if path.suffix.lower() in ZIP_SUFFIXES and magic == OLE_MAGIC:
        # an old .doc/.xls renamed, or a password-protected .docx/.xlsx (Office encrypts into
        # this older container): no zip reader can open either
        raise SandboxError(f"文件扩展名是 {path.suffix.lower()}，内容却是旧版 Office 格式或设有密码；"
                           "请去掉密码，或用 Word/Excel 另存为 .docx/.xlsx 后再发送",
                           f"{path}: OLE compound file", "corrupt")
    if path.suffix.lower() in ZIP_SUFFIXES or magic[:2] == b"PK":
        check_zip(path)


def check_zip(path: str | Path) -> None:
    """Refuse a zip bomb or a broken zip from its directory alone (nothing is inflated)."""
    path = Path(path)
    kind = path.suffix.lower() or "zip"
    try:
        with zipfile.ZipFile(path) as z:
            entries = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise SandboxError(f"文件已损坏，无法作为 {kind} 打开；请重新导出后再发送",
                           f"{path}: {type(e).__name__}: {e}", "corrupt") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise SandboxError(f"文件内部条目过多（{len(entries)} 个），已拒绝",
                           f"{path}: {len(entries)} zip entries > {MAX_ZIP_ENTRIES}", "zip_bomb")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNZIPPED_BYTES:
        raise SandboxError(f"文件解压后过大（{total / 1024 / 1024:.0f} MB，上限 {MAX_UNZIPPED_BYTES // 1024 // 1024} MB），"
                           "疑似压缩炸弹，已拒绝", f"{path}: {total} bytes uncompressed", "zip_bomb")
    for e in entries:
        if e.file_size > RATIO_FLOOR_BYTES and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            raise SandboxError("文件压缩比异常，疑似压缩炸弹，已拒绝",
                               f"{path}: {e.filename} {e.file_size} bytes from {e.compress_size}", "zip_bomb")


def read_in_sandbox(path: str | Path, *, source: str | None = None, jurisdiction: str | None = None,
                    title: str | None = None, timeout: float = 60, memory_mb: int = 1024,
                    describe: bool = True) -> Document:
    """Parse the file at path in a child process with a time and memory limit.

    With `describe` (the default) the title and place the user did not give are told from the
    document (index.meta) in the child too, so `jurisdiction` is never None: at worst
    未注明地区, with a warning saying so first among the warnings."""
    path = Path(path).resolve()
    check_file(path)
    from index.readers import READER_MODULES

    request = {"path": str(path), "source": source or path.stem, "jurisdiction": jurisdiction,
               "title": title, "memory_mb": memory_mb, "describe": describe,
               # the child reads with the parent's registry (a reader added at run time too)
               "readers": dict(READER_MODULES)}
    scratch = tempfile.mkdtemp(prefix="fengong-read-")
    env = dict(os.environ, TMPDIR=scratch, TEMP=scratch, TMP=scratch, PYTHONIOENCODING="utf-8",
               PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    started = time.monotonic()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "index.sandbox"], cwd=ROOT, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)  # its own group: a converter it starts dies too
        try:
            out, err = proc.communicate(json.dumps(request).encode(), timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            proc.communicate()
            raise SandboxError(f"读取超时（{timeout:g} 秒）", f"{path}: killed after {time.monotonic() - started:.1f} s",
                               "timeout") from None
        finally:
            _kill_group(proc)  # anything the child left running
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return _answer(path, proc.returncode, out, err.decode("utf-8", "replace")[-_STDERR_TAIL:], memory_mb)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _answer(path: Path, code: int, out: bytes, err: str, memory_mb: int) -> Document:
    try:
        answer = json.loads(out.decode("utf-8")) if out.strip() else None
    except ValueError:
        answer = None
    if answer is None:
        if code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT):
            # the kernel's OOM killer, or a C extension that died on the file
            raise SandboxError("读取文件时进程异常退出，文件可能已损坏或过于复杂",
                               f"{path}: child killed by signal {-code}; {err}", "crashed")
        raise SandboxError("读取文件时出错", f"{path}: child exit {code}; {err}", "crashed")
    if not answer.get("ok"):
        kind = answer.get("kind", "unreadable")
        if kind == "memory":
            raise SandboxError(f"读取时内存超出上限（{memory_mb} MB），文件过于复杂", f"{path}: {answer.get('detail')}",
                               "memory")
        raise SandboxError(answer.get("reason") or "无法读取文件", f"{path}: {answer.get('detail')}", kind)
    return Document(**answer["document"])


# --- the child ----------------------------------------------------------------------------

def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _parse(path: Path, source: str, jurisdiction: str | None, title: str | None) -> Document:
    from index import parse

    return parse.parse_document(path, source=source, jurisdiction=jurisdiction, title=title)


def _child(request: dict) -> dict:
    from index import readers
    from index.parse import ParseError, UnreadableFile

    readers.READER_MODULES.update(request.get("readers") or {})
    try:
        doc = _parse(Path(request["path"]), request["source"], request.get("jurisdiction"), request.get("title"))
    except MemoryError:
        return {"ok": False, "kind": "memory", "detail": "MemoryError"}
    except readers.ReadError as e:
        return {"ok": False, "kind": "unreadable", "reason": e.reason, "detail": str(e)}
    except UnreadableFile as e:
        return {"ok": False, "kind": "unreadable", "reason": e.reason, "detail": str(e)}
    except ParseError as e:
        return {"ok": False, "kind": "unreadable", "reason": f"没有找到可识别的任务表或任务条目（第 {e.line} 行：{e.reason}）",
                "detail": str(e)}
    except UnicodeDecodeError as e:
        return {"ok": False, "kind": "unreadable", "reason": "文件编码无法识别", "detail": f"{e}"}
    except Exception as e:  # a reader's bug on a strange file must still come back as an answer
        return {"ok": False, "kind": "unreadable", "reason": "文件无法读取，可能已损坏",
                "detail": f"{type(e).__name__}: {e}"}
    if not doc.tasks:
        return {"ok": False, "kind": "unreadable", "reason": "文件中没有找到任务", "detail": "no tasks"}
    if request.get("describe", True):
        _describe(doc, Path(request["path"]), request.get("title"), request.get("jurisdiction"))
    if request.get("vocabulary", True):
        _vocabulary(doc)
    return {"ok": True, "document": dataclasses.asdict(doc)}


def _vocabulary(doc: Document) -> None:
    """The document's tokenizer words (index.build.document_vocabulary): loading jieba's
    full dictionary costs a second, free here while the user reads the preview, and then
    index.update adds the document to the store without it. Cut with the shipped synonym
    table; a store with another one recomputes (the vocabulary's key differs)."""
    from index.build import document_vocabulary
    from index.store import DATA_DIR
    from text.lexicon import Synonyms, lexicon_rows

    rows = lexicon_rows(DATA_DIR, DATA_DIR)
    document_vocabulary(doc, Synonyms({r["word"]: r["canon"] for r in rows if r["kind"] == "synonym"}))


def _describe(doc: Document, path: Path, title: str | None, jurisdiction: str | None) -> None:
    """Fill the title and place the user did not give from the document (index.meta)."""
    from index.meta import describe, task_agencies

    from index.readers import read_blocks

    text = read_blocks(path).text()
    found_title, place, warnings = describe(text, task_agencies(doc.tasks), title=title, jurisdiction=jurisdiction)
    doc.title = title or found_title or doc.title
    doc.jurisdiction = place
    doc.warnings = warnings + doc.warnings


def main() -> int:
    request = json.loads(sys.stdin.read())
    _limit_memory(int(request.get("memory_mb") or 1024))
    # the answer goes to the real stdout; anything a library prints goes to stderr
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        answer = _child(request)
    except MemoryError:
        answer = {"ok": False, "kind": "memory", "detail": "MemoryError"}
    out.write(json.dumps(answer, ensure_ascii=False))
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
