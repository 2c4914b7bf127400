"""Old and WPS Office files (.doc, .wps, .et) → converted by LibreOffice, then read as .docx/.xlsx.

No Python library reads .doc; LibreOffice (headless) converts it faithfully, merged cells
included. Each run gets its own profile folder (-env:UserInstallation): two conversions
sharing a profile make the second exit at once without output and without an error. A time
limit kills a conversion that hangs on a hostile file. WPS 表格 .et files are usually the
.xls format inside and are tried with the .xls reader first.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from index.blocks import BlockDocument
from index.readers import ReadError, reader
from index.readers.common import OLE_MAGIC

TIMEOUT = 60  # seconds for one conversion
_TARGET = {".doc": ("docx", ".doc"), ".wps": ("docx", ".doc"), ".et": ("xlsx", ".xls")}
_INSTALL = "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"


def find_soffice() -> str | None:
    """The LibreOffice program on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@reader(".doc", ".wps", ".et")
def read_office(path: Path) -> BlockDocument:
    suffix = path.suffix.lower()
    target, native = _TARGET[suffix]
    if not path.is_file():
        raise ReadError(path, "文件不存在")
    if path.stat().st_size == 0:
        raise ReadError(path, "文件是空的（0 字节）")
    head = path.read_bytes()[:4 * 1024 * 1024]
    if suffix == ".doc" and head[:8] == OLE_MAGIC and "WordDocument".encode("utf-16-le") not in head:
        # An OLE container without Word's main stream: LibreOffice would "open" it as text.
        raise ReadError(path, "文件已损坏或不是真正的 Word .doc 文件（缺少 Word 正文）")
    if suffix == ".et" and head[:8] == OLE_MAGIC:
        from index.readers.xls import read_xls
        try:
            return _renamed(read_xls(path), path, path)
        except ReadError:
            pass  # not BIFF inside after all: let LibreOffice try
    soffice = find_soffice()
    if soffice is None:
        kind = "Word" if target == "docx" else "Excel"
        raise ReadError(path, f"读取 {suffix} 文件需要 LibreOffice，本机未安装（安装：{_INSTALL}）；"
                              f"也可以在 {kind}/WPS 里把文件另存为 .{target} 后再发送")
    with tempfile.TemporaryDirectory(prefix="fengong-convert-") as tmp:
        work = Path(tmp)
        # A plain ASCII name with the format's usual suffix: LibreOffice detects the type from
        # content and suffix, and some builds mishandle non-ASCII names.
        source = work / f"input{native}"
        shutil.copyfile(path, source)
        try:
            converted = convert(soffice, source, target, work)
            if target == "docx":
                from index.readers.docx import read_docx
                doc = read_docx(converted)
            else:
                from index.readers.xlsx import read_xlsx
                doc = read_xlsx(converted)
        except ReadError as e:
            raise ReadError(path, e.reason) from None  # name the user's file, not the temporary copy
        text = doc.text()
        # LibreOffice opens a file it cannot recognise as plain text: bytes as U+FFFD.
        if text.count("\ufffd") > max(3, len(text) // 20):
            raise ReadError(path, f"文件已损坏或不是真正的 {suffix} 文件（转换出的是乱码）")
        return _renamed(doc, converted, path)


def convert(soffice: str, source: Path, target: str, work: Path) -> Path:
    """Convert source to `target` (docx/xlsx) into work/out with a private profile; the result path."""
    outdir = work / "out"
    profile = work / "profile"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
           "--norestore", "--nologo", "--nodefault", "--nolockcheck",
           "--convert-to", target, "--outdir", str(outdir), str(source)]
    env = dict(os.environ, HOME=str(work))  # LibreOffice writes under HOME even with a profile
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    try:
        _, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: only this conversion's processes
        proc.communicate()
        raise ReadError(source, f"LibreOffice 转换超过 {TIMEOUT} 秒仍未完成，文件可能已损坏") from None
    result = outdir / f"{source.stem}.{target}"
    if not result.is_file():
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        raise ReadError(source, "LibreOffice 无法转换这个文件，文件可能已损坏或不是所说的格式"
                        + (f"（{detail[0][:200]}）" if detail else ""))
    return result


def _renamed(doc: BlockDocument, read_path: Path, user_path: Path) -> BlockDocument:
    """Name the user's file, not the converted copy, in the document and its warnings."""
    doc.path = str(user_path)
    doc.warnings = [w.replace(str(read_path), str(user_path)) for w in doc.warnings]
    return doc
