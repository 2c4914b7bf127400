"""Test-only readers registered for made-up suffixes: a reader that never returns and one
that eats memory, as a pathological file can make a real reader do."""
from __future__ import annotations

from pathlib import Path

from index.blocks import BlockDocument
from index.readers import reader


@reader(".spin")
def read_spinning(path: Path) -> BlockDocument:
    n = 0
    while True:  # a reader caught in a loop on a strange file
        n += 1


@reader(".hog")
def read_hungry(path: Path) -> BlockDocument:
    chunks = []
    while True:  # a reader inflating a file without bound
        chunks.append(bytearray(64 * 1024 * 1024))


@reader(".fork")
def read_with_a_converter(path: Path) -> BlockDocument:
    import subprocess

    # a reader that starts a converter (as .doc → LibreOffice does) and then hangs
    helper = subprocess.Popen(["sleep", "300"])
    path.with_suffix(".pid").write_text(str(helper.pid))
    helper.wait()
    raise AssertionError("unreachable")
