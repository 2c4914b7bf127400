"""The held-back question set (issue 12): questions written in users' voices, kept apart
from the dev set the understanding was tuned on, and the data files that go with it
(the synonym table, the English asking words).

The accuracy test is expected to fail until the understanding handles these voices; the
soundness tests guard the set itself, so a typo in an expected key cannot pass as a miss
of the bot (or a hit).
"""
import json
import re
import subprocess
from collections import Counter

import pytest

from conftest import EVAL, GOLD, PYTHON, ROOT, read_jsonl

HELD = ROOT / "tests" / "heldback"
QUESTIONS = HELD / "questions.jsonl"
FOLLOWUPS = HELD / "followups.jsonl"
# In a folder of their own: every *.txt directly in data/ is read as a document by the build.
SYNONYMS = ROOT / "data" / "lexicon" / "synonyms.txt"
ASKING_EN = ROOT / "data" / "lexicon" / "asking_en.txt"
need_gold = pytest.mark.skipif(not (EVAL / "score.py").exists(), reason="shared/eval not beside the checkout")


@need_gold
def test_heldback_accuracy_reaches_the_bar(cli_env):
    out = subprocess.run([PYTHON, str(EVAL / "score.py"), str(QUESTIONS), "--min", "0.97", "--min-kind", "0.95"],
                         env=cli_env, cwd=ROOT, capture_output=True, text=True)
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr


@need_gold
def test_heldback_accuracy_without_due_reaches_the_bar(cli_env, tmp_path):
    """Every kind issue 12 covers (all but `due`, which is issue 11's) at the issue's bar."""
    questions = tmp_path / "questions.jsonl"
    questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in read_jsonl(QUESTIONS)
                                 if q["kind"] != "due"), encoding="utf-8")
    out = subprocess.run([PYTHON, str(EVAL / "score.py"), str(questions), "--min", "0.97", "--min-kind", "0.95"],
                         env=cli_env, cwd=ROOT, capture_output=True, text=True)
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr


# --- the set itself ----------------------------------------------------------------
def _gold():
    tasks = {(t["source"], t["number"]): t for t in read_jsonl(GOLD / "tasks.jsonl")}
    names = set()
    for juris, groups in json.loads((GOLD / "agencies.json").read_text(encoding="utf-8")).items():
        for g in groups:
            names |= {(juris, n) for n in [g["canonical"], *g["variants"]]}
    duties = {d["agency"] for d in read_jsonl(GOLD / "duties.jsonl")}
    people = {p["name"] for p in read_jsonl(GOLD / "people.jsonl")}
    return tasks, names, duties, people


@need_gold
def test_heldback_questions_have_the_dev_format_and_real_answers():
    dev = read_jsonl(EVAL / "dev.jsonl")
    fields = {}
    for q in dev:
        fields.setdefault(q["kind"], set(q))
    # `due` as in dev-due.jsonl: the bounds it names, no `today` (absolute dates only)
    due_fields = {"id", "q", "kind", "agency", "jurisdiction", "source", "after", "until"}
    held = read_jsonl(QUESTIONS)
    tasks, names, duties, people = _gold()
    kinds = Counter(q["kind"] for q in held)
    assert len(held) >= 80 and kinds["none"] >= 15 and set(fields) <= set(kinds) <= set(fields) | {"due"}, kinds
    assert len({q["id"] for q in held}) == len(held)
    assert not {q["q"] for q in held} & {q["q"] for q in dev}, "a held-back question copies a dev question"
    for q in held:
        if q["kind"] == "due":
            assert {"id", "q", "kind"} <= set(q) <= due_fields and ("after" in q or "until" in q), q["id"]
            if "agency" in q:
                assert (q["jurisdiction"], q["agency"]) in names, q["id"]
            continue
        assert set(q) == fields[q["kind"]], q["id"]
        if q["kind"] == "task":
            assert q["facet"] in ("who", "lead", "support", "deadline")
            assert all((e["source"], e["number"]) in tasks for e in q["expect"]), q["id"]
        elif q["kind"] == "agency":
            assert q["role"] in (None, "lead", "support")
            assert any(n == q["agency"] and (q["jurisdiction"] in (None, j)) for j, n in names), q["id"]
        elif q["kind"] == "deadline_list":
            assert any(d.replace(" ", "").startswith(q["deadline"]) for (s, _), t in tasks.items()
                       for d in t["deadlines"] if q["source"] in (None, s)), q["id"]
        elif q["kind"] == "duty":
            assert q["agency"] in duties, q["id"]
        elif q["kind"] == "person":
            assert q["name"] in people, q["id"]


@need_gold
def test_followups_refer_to_real_tasks_and_earlier_turns():
    tasks, names, _, _ = _gold()
    convs = read_jsonl(FOLLOWUPS)
    assert len(convs) >= 10 and len({c["id"] for c in convs}) == len(convs)
    for c in convs:
        assert c["chat"] in ("private", "group") and len(c["turns"]) >= 2, c["id"]
        for i, turn in enumerate(c["turns"]):
            e = turn["expect"]
            assert e["intent"] in ("task", "agency_tasks", "agency_duty", "not_found"), c["id"]
            assert all((k["source"], k["number"]) in tasks for k in e.get("tasks", []) + e.get("not_first", [])), c["id"]
            if "ref" in e:
                assert 0 <= e["ref"]["turn"] < i, c["id"]
            if "reply_to" in turn:
                assert c["chat"] == "group" and 0 <= turn["reply_to"] < i, c["id"]
            if e["intent"] == "agency_tasks":
                assert (e["jurisdiction"], e["agency"]) in names, c["id"]


# --- data/lexicon/synonyms.txt and data/lexicon/asking_en.txt ----------------------------------------
def _documents_text() -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").glob("*.txt")))
    return re.sub(r"[^\u3400-\u9fff0-9A-Za-z]", "", text)


def _lines(path):
    for raw in path.read_text(encoding="utf-8").splitlines():
        body, _, why = raw.partition("#")
        if body.strip():
            yield body, why.strip()


def test_synonym_groups_start_from_the_documents_words():
    docs = _documents_text()
    seen = {}
    groups = list(_lines(SYNONYMS))
    assert 40 <= len(groups) <= 80, len(groups)
    for body, why in groups:
        words = [w for w in re.split(r"[\s｜|]+", body) if w]
        assert len(words) >= 2 and why, body
        assert words[0] in docs, f"{words[0]} (the first word of a group) is not a word of the documents"
        for w in words:
            assert w not in seen, f"{w} in two groups: {seen.get(w)} / {words[0]}"
            seen[w] = words[0]


def test_english_asking_words_map_to_chinese_asking_words():
    seen = set()
    lines = list(_lines(ASKING_EN))
    assert len(lines) >= 6
    targets = set()
    for body, why in lines:
        chinese, *english = [p.strip() for p in body.split("｜")]
        assert why and re.fullmatch(r"[\u4e00-\u9fff]+", chinese) and english, body
        targets.add(chinese)
        for phrase in english:
            assert phrase.isascii() and phrase == phrase.lower(), phrase
            assert phrase not in seen, f"{phrase} mapped twice"
            seen.add(phrase)
    for asked in ("who", "lead", "support", "deadline", "when", "tasks"):
        assert asked in seen, asked


# --- fresh.jsonl: the second held-back set ---------------------------------------------
FRESH = HELD / "fresh.jsonl"
# Measured 2026-12-02 on main at 331121e: 77/86 = 89.5 %. The set was written blind to the
# code (no intents/, index/search.py, index/scope.py or bot/answer.py read; nothing tuned on
# it), so it measures what nobody tuned for. These are floors: a regression guard, not a bar.
# Raise them when a fix for a class of miss in FRESH.md lands; never tune on single questions.
# After the fixes of FRESH.md's classes 1–5 (one commit, by class): 85/86 = 98.8 %; from then
# on the set has guided fixes and a third blind set is the fair measure. After BLIND3.md's
# classes 1–3 (scope and search): 86/86 (f016, a chat message with a preamble, is answered).
FRESH_FLOOR = {"task": 38, "agency": 13, "due": 11, "duty": 4, "person": 5, "none": 15}
FRESH_OVERALL = 86 / 86


# --- blind3.jsonl: the third held-back set ---------------------------------------------
BLIND3 = HELD / "blind3.jsonl"
# Measured 2026-12-02 on main at 93811d8: 82/97 = 84.5 % (two runs, same answers). The set was
# written blind to the code (no intents/, index/search.py, index/scope.py, bot/answer.py or
# bot/due_answers.py read; no earlier held-back question read), after fresh.jsonl had guided
# fixes, so it measures what nobody tuned for. These are floors: a regression guard, not a
# bar. Raise them when a fix for a class of miss in BLIND3.md lands; never tune on one question.
# After classes 1–3 (chat words and preambles, glossed terms, heads in the ranking): 89/97
# (task 40/41: b006, b008, b017, b019, b033, b035 and b031 answered).
# After classes 4–8 too (pinyin places, 民政 alone, 的 and bare positions, numbers and questions
# about the bot, 有没有 and English overdue): 97/97. Tuned on now: no longer a measure.
BLIND3_FLOOR = {"task": 41, "agency": 15, "due": 14, "duty": 4, "person": 5, "none": 18}
BLIND3_OVERALL = 97 / 97


# --- blind4.jsonl: the fourth held-back set ---------------------------------------------
BLIND4 = HELD / "blind4.jsonl"
# Measured 2026-12-02 on main at 46b8d6d: 92/101 = 91.1 % (two runs, same answers). The set was
# written blind to the code (no intents/, index/search.py, index/scope.py, bot/answer.py or
# bot/due_answers.py read) and to every earlier held-back set (questions, fresh, blind3 and their
# .md files unread), after blind3 had guided fixes, so it measures what nobody tuned for. These
# are floors: a regression guard, not a bar. Raise them when a fix for a class of miss in
# BLIND4.md lands; never tune on one question.
# Measured again after blind3's fixes (its misses still unread by whoever fixed them): 94/101.
BLIND4_FLOOR = {"task": 40, "agency": 14, "due": 13, "duty": 4, "person": 5, "none": 18}
BLIND4_OVERALL = 94 / 101


# --- the blind sets together: floors, and each set's own soundness ------------------------
# name → (file, floors per kind, overall floor, the least questions in all and of each kind,
# the sets written before it, which it must not copy)
BLIND_SETS = {
    "fresh": (FRESH, FRESH_FLOOR, FRESH_OVERALL, 80,
              {"task": 35, "agency": 12, "due": 10, "duty": 4, "person": 5, "none": 14}, (QUESTIONS,)),
    "blind3": (BLIND3, BLIND3_FLOOR, BLIND3_OVERALL, 90,
               {"task": 38, "agency": 14, "due": 12, "duty": 4, "person": 5, "none": 17}, (QUESTIONS, FRESH)),
    "blind4": (BLIND4, BLIND4_FLOOR, BLIND4_OVERALL, 90,
               {"task": 38, "agency": 14, "due": 12, "duty": 4, "person": 5, "none": 17}, (QUESTIONS, FRESH, BLIND3)),
}


@need_gold
@pytest.mark.parametrize("name", BLIND_SETS)
def test_a_blind_set_does_not_fall_below_what_was_measured(cli_env, name):
    path, floors, overall, *_ = BLIND_SETS[name]
    out = subprocess.run([PYTHON, str(EVAL / "score.py"), str(path), "--min", f"{overall - 1e-9:.10f}"],
                         env=cli_env, cwd=ROOT, capture_output=True, text=True)
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr
    right = {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)/(\d+)", out.stdout, re.M)}
    assert set(right) == set(floors), right
    for kind, floor in floors.items():
        assert right[kind] >= floor, f"{kind}: {right[kind]} right, measured {floor}\n{out.stdout}"


@need_gold
@pytest.mark.parametrize("name", BLIND_SETS)
def test_a_blind_sets_questions_are_sound_and_new(name):
    """The set's own soundness, so a wrong key cannot pass as a miss of the bot (or a hit)."""
    path, _, _, total, least, before = BLIND_SETS[name]
    tasks, names, duties, people = _gold()
    held = read_jsonl(path)
    earlier = {q["q"] for f in (EVAL / "dev.jsonl", EVAL / "dev-due.jsonl", *before) for q in read_jsonl(f)}
    kinds = Counter(q["kind"] for q in held)
    assert len(held) >= total and len({q["id"] for q in held}) == len(held)
    assert len({q["q"] for q in held}) == len(held), "a question twice"
    assert all(kinds[kind] >= n for kind, n in least.items()), kinds
    assert not {q["q"] for q in held} & earlier, f"a {name} question copies an earlier one"
    for q in held:
        if q["kind"] == "task":
            assert q["facet"] in ("who", "lead", "support", "deadline") and q["expect"], q["id"]
            assert all((e["source"], e["number"]) in tasks for e in q["expect"]), q["id"]
            if q["facet"] == "deadline":  # a deadline question about a task the gold gives none is a bad key
                assert all(tasks[(e["source"], e["number"])]["deadlines"] for e in q["expect"]), q["id"]
            if q["facet"] == "support":  # so is a support question about a task with no support units
                assert all(tasks[(e["source"], e["number"])]["support"] for e in q["expect"]), q["id"]
        elif q["kind"] == "agency":
            assert q["role"] in (None, "lead", "support"), q["id"]
            assert any(n == q["agency"] and q["jurisdiction"] in (None, j) for j, n in names), q["id"]
        elif q["kind"] == "due":
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", q["today"]) and ("after" in q or "until" in q), q["id"]
            assert q.get("source") in (None, *{s for s, _ in tasks}), q["id"]
            if "agency" in q:
                assert (q["jurisdiction"], q["agency"]) in names and q.get("role") in (None, "lead", "support"), q["id"]
        elif q["kind"] == "duty":
            assert q["agency"] in duties, q["id"]
        elif q["kind"] == "person":
            assert q["name"] in people, q["id"]
        else:
            assert q["kind"] == "none" and set(q) == {"id", "q", "kind"}, q["id"]
