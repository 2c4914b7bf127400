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
