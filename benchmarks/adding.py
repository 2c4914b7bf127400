"""Adding one document to the synthetic store and removing it again (issue #10, scale).

Two measures, each repeated on a copy of the synthetic store:
- the store call alone: `index.update.add_documents` / `remove_documents` in one process,
  with the document read first through the sandbox as `bot add` reads it (so its
  vocabulary comes with it);
- the whole command a user runs: `python -m bot add FILE --jurisdiction J` and
  `python -m bot remove SOURCE`, from spawn to exit (Python start, sandbox child, the
  documents folder, the store).
The first add of a run also grows the tokenizer dictionary (the document's own words)
and cuts again the older tasks holding them; later adds find the words there (a removal
leaves them until the next build), so the first is reported apart.
"""
from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

ADD_TASKS = 50
ADD_TARGET_S = 2.0

_CALLS = """
import json, sys, time
from index.sandbox import read_in_sandbox
from index.update import add_documents, remove_documents
home, path, place, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
out = {"add": [], "remove": []}
for i in range(runs):
    doc = read_in_sandbox(path, source="bench-call", jurisdiction=place)
    started = time.perf_counter()
    report = add_documents(home, [doc])
    out["add"].append(time.perf_counter() - started)
    out["tasks"] = report.tasks
    started = time.perf_counter()
    remove_documents(home, ["bench-call"])
    out["remove"].append(time.perf_counter() - started)
print(json.dumps(out))
"""


def measure(big_home: Path, work: Path, runs: int) -> dict:
    """Seconds of adding and removing a document of ADD_TASKS tasks, store call and command."""
    from benchmarks.run import ROOT, child_env, run_child
    from benchmarks.synth import one_document

    home = work / "adding-home"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(big_home, home)  # copy2 keeps the store dated ahead: `bot add` does not rebuild it
    doc = work / "bench-added.txt"
    made = one_document(doc, ADD_TASKS)
    env = child_env(home)
    _, _, _, out = run_child([sys.executable, "-c", _CALLS, str(home), str(doc), made["jurisdiction"], str(runs)], env)
    calls = json.loads(out.decode().strip().splitlines()[-1])
    add_cli, remove_cli = [], []
    for _ in range(runs):
        _, wall, _, out = run_child([sys.executable, "-m", "bot", "add", str(doc), "--jurisdiction", made["jurisdiction"]],
                                    env)
        add_cli.append(wall)
        source = out.decode().split("已收录", 1)[1].split()[0]
        _, wall, _, _ = run_child([sys.executable, "-m", "bot", "remove", source], env)
        remove_cli.append(wall)
    shutil.rmtree(home, ignore_errors=True)
    return {
        "tasks": calls["tasks"], "runs": runs, "root": str(ROOT),
        "add_first": calls["add"][0], "add_call": statistics.median(calls["add"]),
        "remove_call": statistics.median(calls["remove"]),
        "add_cli": statistics.median(add_cli), "remove_cli": statistics.median(remove_cli),
        "add_cli_max": max(add_cli), "add_calls": calls["add"], "remove_calls": calls["remove"],
    }


def adding_rows(ad: dict, big: str, row_add: str, row_remove: str) -> list[str]:
    """The report's table of these figures."""
    return [
        f"| at {big} | the store call (`index.update`) | the whole command |",
        "|---|---|---|",
        f"| {row_add} | {ad['add_call']:.2f} s (the first, which grows the dictionary: {ad['add_first']:.2f} s) | "
        f"`bot add` {ad['add_cli']:.2f} s (slowest {ad['add_cli_max']:.2f} s) |",
        f"| {row_remove} | {ad['remove_call']:.2f} s | `bot remove` {ad['remove_cli']:.2f} s |",
        "",
        f"Each of {ad['runs']} runs adds a synthetic document of {ad['tasks']} tasks (`benchmarks/synth.py: "
        "one_document`) to a copy of the synthetic store and removes it; the store call is timed in one process "
        "after the document was read through the sandbox, as `bot add` reads it; the command from spawn to exit "
        "(Python start, the sandbox child that reads the file and cuts its words with jieba's full dictionary, "
        "the documents folder, the store). The store changes in place, in one SQLite transaction.",
    ]
