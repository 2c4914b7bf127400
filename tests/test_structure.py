"""The layering the code keeps (README, "Where things go"), checked on the source."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGES = ("text", "intents", "index", "bot")
# package → the project packages it may import (text is the lowest; bot the front ends)
ALLOWED = {"text": set(), "intents": {"text"}, "index": {"text"}, "bot": {"text", "intents", "index"}}
MAX_LINES = 500


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def test_packages_import_only_downwards():
    for package in PACKAGES:
        for path in _modules(package):
            used = {name.split(".")[0] for name in _imports(path)} & set(PACKAGES)
            assert used - {package} <= ALLOWED[package], f"{path.relative_to(ROOT)} imports {used - {package}}"


def test_the_domain_imports_nothing_of_telegram():
    for package in ("text", "intents", "index"):
        for path in _modules(package):
            assert not any(n.split(".")[0] == "telegram" for n in _imports(path)), path


def test_no_product_module_is_over_500_lines():
    for package in PACKAGES:
        for path in _modules(package):
            n = len(path.read_text(encoding="utf-8").splitlines())
            assert n <= MAX_LINES, f"{path.relative_to(ROOT)} has {n} lines"
