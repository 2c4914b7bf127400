"""A synthetic corpus of any size, made reproducibly from the seed documents.

`generate(out_dir, n_tasks)` writes the five seed documents unchanged plus new
documents of `PER_DOC` tasks each until the corpus holds `n_tasks` tasks, and a
`sources.toml` manifest naming each new document's (invented) jurisdiction. The new
documents use the TSV layout that index/parse.py reads (header `序号\t重点任务\t责任单位`,
one task per line, section lines between), so the store is built by the product's own
`index.build.build_store(home, out_dir)`.

Each synthetic task is a seed task rewritten:
- sentences dropped (each sentence after the first kept with probability 0.7),
  clauses of a sentence swapped now and then, whole sentences reordered rarely;
- synonym swaps from a fixed table (推进→推动, 加快→加速, 完善→健全, …);
- years shifted by -2…+3, other numbers scaled, percentages changed;
- place names of the seed documents (三亚, 宝清, 全省…) replaced by the synthetic
  jurisdiction's;
- a new responsibility cell: agencies of the jurisdiction's level (县民政局, 市卫健委…,
  full and short forms mixed) in one of five cell grammars the seed documents use
  ("A牵头，B、C参加；各乡（镇）人民政府负责", "A、B按职责分工负责，…", …).

Jurisdictions are invented two-character names (a heavenly stem and a rare character)
with 县 or 市, so they never collide with a real place or with the seed jurisdictions.
Everything is drawn from `random.Random(seed)`: the same arguments give the same bytes.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

PER_DOC = 200
SEED = 20240601
HEADER = "序号\t重点任务\t责任单位"

STEMS = "甲乙丙丁戊己庚辛壬癸"
RARE = "岚峪岑屿沣泷洹浔涞淇溆滦漳潞澧濮璜瑷琊珲砀禹穰篁岫"
SYNONYMS = [
    ("推进", "推动"), ("加快", "加速"), ("完善", "健全"), ("支持", "鼓励"), ("提升", "提高"),
    ("开展", "实施"), ("加强", "强化"), ("落实", "执行"), ("建立", "建设"), ("积极", "大力"),
    ("逐步", "稳步"), ("探索", "尝试"), ("促进", "推进"), ("保障", "保证"),
]
# Body names (without level prefix), some with the short forms the agency resolver knows.
BODIES = [
    ("民政局",), ("卫生健康局", "卫健局"), ("发展和改革局", "发改局"), ("财政局",), ("教育局",),
    ("住房和城乡建设局", "住建局"), ("自然资源局",), ("人力资源和社会保障局", "人社局"),
    ("市场监督管理局", "市场监管局"), ("医疗保障局", "医保局"), ("残联",), ("妇联",),
    ("应急管理局", "应急局"), ("农业农村局",), ("文化和旅游局",), ("税务局",), ("公安局",),
    ("司法局",), ("商务局",), ("科学技术局", "科技局"), ("工业和信息化局",), ("体育局",),
    ("总工会",), ("团委",), ("乡村振兴局",), ("退役军人事务局",), ("统计局",), ("审计局",),
]
LOCAL = {"县": "各乡（镇）人民政府", "市": "各区人民政府"}
SEED_PLACES = ("三亚市", "三亚", "宝清县", "宝清", "四川省", "四川", "省会城市")
SECTIONS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def jurisdictions(n: int, rng: random.Random) -> list[str]:
    names = [a + b + level for level in "县市" for a in STEMS for b in RARE]
    rng.shuffle(names)
    if n > len(names):
        raise ValueError(f"at most {len(names)} synthetic documents")
    return names[:n]


def _numbers(text: str, rng: random.Random) -> str:
    def year(m: re.Match) -> str:
        return str(int(m.group(0)) + rng.randint(-2, 3))

    def number(m: re.Match) -> str:
        value = m.group(0)
        if "." in value:
            return f"{float(value) * rng.choice((0.5, 1.5, 2)):.1f}"
        return str(max(1, round(int(value) * rng.choice((0.5, 0.8, 1.2, 2)))))

    text = re.sub(r"(?<!\d)20\d\d(?=\s*年)", year, text)
    text = re.sub(r"(?<!\d)\d+(?:\.\d+)?(?=\s*%)", lambda m: str(rng.randint(10, 95)), text)
    return re.sub(r"(?<![\d.])\d{1,3}(?:\.\d+)?(?![\d.%年])", number, text)


def rewrite(task: str, place: str, rng: random.Random) -> str:
    """One synthetic task text from a seed task text."""
    text = re.sub(r"\s+", "", task)
    sentences = [s for s in re.split(r"(?<=[。；])", text) if s]
    kept = sentences[:1] + [s for s in sentences[1:] if rng.random() < 0.7]
    if len(kept) > 2 and rng.random() < 0.15:
        rng.shuffle(kept)
    out = []
    for s in kept:
        clauses = s.split("，")
        if len(clauses) > 2 and rng.random() < 0.3:
            i = rng.randrange(len(clauses) - 2)  # never moves the clause that ends the sentence
            clauses[i], clauses[i + 1] = clauses[i + 1], clauses[i]
        out.append("，".join(clauses))
    text = "".join(out)
    for a, b in SYNONYMS:
        if a in text and rng.random() < 0.5:
            text = text.replace(a, b)
    short, level = place[:-1], place[-1]
    for name in SEED_PLACES:
        text = text.replace(name, short)
    text = text.replace("全省", "全" + level).replace("全市", "全" + level).replace("全县", "全" + level)
    text = _numbers(text, rng)
    if not text.endswith(("。", "；")):
        text += "。"
    return text


def cell(level: str, rng: random.Random) -> str:
    """A responsibility cell in one of the seed documents' grammars."""
    bodies = rng.sample(BODIES, rng.randint(2, 6))
    names = [level + rng.choice(forms) for forms in bodies]
    local = LOCAL[level]
    lead, rest = names[:1 + (rng.random() < 0.2)], names[1 + (rng.random() < 0.2):]
    rest = rest or names[-1:]
    form = rng.randrange(5)
    if form == 0:
        return f"{'、'.join(lead)}牵头，{'、'.join(rest)}参加；{local}负责。"
    if form == 1:
        return f"{'、'.join(names)}按职责分工负责，{local}负责。"
    if form == 2:
        return f"{'、'.join(lead)}牵头，{'、'.join(rest)}配合。"
    if form == 3:
        return "、".join(names)
    return f"{'、'.join(lead)}牵头，{'、'.join(rest)}等有关部门（单位）参加。"


def seed_tasks(data_dir: Path) -> list[tuple[str | None, str]]:
    """(section, task text) of every seed task, parsed by the product's parser."""
    from index.build import parse_all

    return [(t["section"], (t["title"] + "。" if t["title"] and not t["task"].startswith(t["title"]) else "") + t["task"])
            for d in parse_all(data_dir) for t in d.tasks]


def generate(out_dir: Path, n_tasks: int, data_dir: Path | None = None, seed: int = SEED) -> dict:
    """Write the seed documents plus synthetic ones (n_tasks tasks in all) to out_dir.
    Returns {"documents", "tasks", "synthetic_tasks"}."""
    from index.build import DATA_DIR, document_paths

    data_dir = Path(data_dir or DATA_DIR)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    seeds = seed_tasks(data_dir)
    manifest = (data_dir / "sources.toml").read_text(encoding="utf-8").rstrip() + "\n"
    for path in document_paths(data_dir):
        (out_dir / path.name).write_bytes(path.read_bytes())
    remaining = max(0, n_tasks - len(seeds))
    n_docs = -(-remaining // PER_DOC)
    places = jurisdictions(n_docs, rng)
    sections = [s for s in dict.fromkeys(s for s, _ in seeds) if s and len(s) <= 30]
    for d, place in enumerate(places):
        count = min(PER_DOC, remaining - d * PER_DOC)
        source = f"synth-{d + 1:04d}"
        title = f"{place}养老托育服务重点任务分工表（第{d + 1}号）"
        lines = ["附件", "", title, "", HEADER]
        for i in range(count):
            if i % 25 == 0:
                name = re.sub(r"^[^、]*、", "", rng.choice(sections)) if sections else "重点任务"
                lines.append(f"{SECTIONS[(i // 25) % len(SECTIONS)]}、{name}")
            _, text = rng.choice(seeds)
            lines.append(f"{i + 1}\t{rewrite(text, place, rng)}\t{cell(place[-1], rng)}")
        (out_dir / f"{source}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        manifest += f'\n[{source}]\ntitle = "{title}"\njurisdiction = "{place}"\n'
    (out_dir / "sources.toml").write_text(manifest, encoding="utf-8")
    return {"documents": len(document_paths(data_dir)) + n_docs, "tasks": len(seeds) + remaining,
            "synthetic_tasks": remaining}


def one_document(path: Path, n_tasks: int, data_dir: Path | None = None, seed: int = SEED + 1) -> dict:
    """One more document of n_tasks synthetic tasks, as `generate` writes them, for a place
    of its own: what a user adds to a big store. Returns {"title", "jurisdiction", "tasks"}."""
    from index.build import DATA_DIR

    rng = random.Random(seed)
    seeds = seed_tasks(Path(data_dir or DATA_DIR))
    place = "新添县"  # no generated place is a common word (they pair a stem with a rare character)
    title = f"{place}养老托育服务重点任务分工表"
    lines = ["附件", "", title, "", HEADER]
    for i in range(n_tasks):
        if i % 25 == 0:
            lines.append(f"{SECTIONS[(i // 25) % len(SECTIONS)]}、重点任务")
        _, text = rng.choice(seeds)
        lines.append(f"{i + 1}\t{rewrite(text, place, rng)}\t{cell(place[-1], rng)}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"title": title, "jurisdiction": place, "tasks": n_tasks}


# The report's section on this generator (benchmarks/run.py).
GENERATOR = """## The synthetic store

`benchmarks/synth.py` writes the five seed documents unchanged plus {synthetic:,} synthetic
tasks in new documents ({docs} documents in all, {big}), with a `sources.toml`
manifest, and the store is built from them by the product's own
`index.build.build_store`. Everything is drawn from one `random.Random` with a fixed
seed, so the same `--tasks` gives the same documents byte for byte.

- **Layout**: the TSV layout `index/parse.py` reads: `序号\\t重点任务\\t责任单位`, one task
  per line, 200 tasks a document, a section line (一、…) every 25 rows.
- **Jurisdictions**: invented names, a heavenly stem and a rare character with 县 or 市
  (甲岚县, 丙滦市, …), one per document: no real place, no seed jurisdiction.
- **Task text**: a seed task (title + task) rewritten: sentences after the first kept
  with probability 0.7 and rarely shuffled, two clauses of a sentence swapped now and
  then, synonym swaps from a fixed table (推进→推动, 加快→加速, 完善→健全, …), years
  shifted by −2…+3 and other numbers scaled or redrawn, seed place names (三亚, 宝清,
  四川, 全省…) replaced by the document's.
- **Responsibility cell**: two to six agencies of the document's level (县民政局,
  市卫健委…, full and short forms mixed) in one of the seed documents' grammars:
  “A牵头，B、C参加；各乡（镇）人民政府负责”, “A、B按职责分工负责，各区人民政府负责”,
  “A牵头，B配合”, a plain list, “A牵头，B等有关部门（单位）参加”.

The synthetic store is harder for latency than real documents of its size: every seed
task has hundreds of near-copies, so every term of a question is common (each has
hundreds of postings or more) and no rare term narrows the candidates."""
