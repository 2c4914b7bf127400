"""Readers: one module per file format, each turning a file into blocks (index.blocks).

A reader registers the suffixes it reads with @reader(".docx", ...). Modules are imported
only when a file of their kind is read, so `ask` never pays for python-docx or pdfplumber.
A new format is one module here and one line in READER_MODULES.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from index.blocks import BlockDocument

# suffix → module that reads it (imported on first use).
READER_MODULES: dict[str, str] = {
    ".txt": "index.readers.text",
    ".md": "index.readers.text",
    ".docx": "index.readers.docx",
    ".xlsx": "index.readers.xlsx",
    ".xlsm": "index.readers.xlsx",
    ".xls": "index.readers.xls",
    ".pdf": "index.readers.pdf",
    ".html": "index.readers.html",
    ".htm": "index.readers.html",
    ".doc": "index.readers.office",
    ".wps": "index.readers.office",
    ".et": "index.readers.office",
}

ReaderFunc = Callable[[Path], BlockDocument]
_READERS: dict[str, ReaderFunc] = {}


class ReadError(ValueError):
    """A file that cannot be read at all; str() names the file and the reason for a user."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def reader(*suffixes: str) -> Callable[[ReaderFunc], ReaderFunc]:
    """Register func as the reader of these suffixes (lower case, with the dot)."""
    def register(func: ReaderFunc) -> ReaderFunc:
        for suffix in suffixes:
            _READERS[suffix] = func
        return func
    return register


def suffixes() -> tuple[str, ...]:
    """Every suffix a reader exists for."""
    return tuple(sorted(READER_MODULES))


def can_read(path: str | Path) -> bool:
    return Path(path).suffix.lower() in READER_MODULES


def read_blocks(path: str | Path) -> BlockDocument:
    """Read the file at path into blocks; ReadError when its kind is unknown or it is unreadable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READER_MODULES:
        kinds = " ".join(suffixes())
        raise ReadError(path, f"不支持的文件类型 {suffix or '(无扩展名)'}；可读取：{kinds}")
    if suffix not in _READERS:
        importlib.import_module(READER_MODULES[suffix])
    return _READERS[suffix](path)
