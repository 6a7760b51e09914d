"""The fast YAML path gives exactly what the careful loader gives, and never accepts what it refuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.storage import yamlfile
from gktrack.errors import GktrackError

ROOT = Path(__file__).resolve().parent.parent


def careful(text: str) -> tuple:
    """safe_load without the fast path: the data's repr, or the error and its place."""
    try:
        yamlfile._FAST_OFF = True
        return ("data", repr(yamlfile.safe_load(text, "f.yaml")))
    except GktrackError as exc:
        return ("error", exc.message, exc.where)
    finally:
        yamlfile._FAST_OFF = False


def loaded(text: str) -> tuple:
    try:
        return ("data", repr(yamlfile.safe_load(text, "f.yaml")))
    except GktrackError as exc:
        return ("error", exc.message, exc.where)


def fast(text: str):
    """The fast path alone: its data, or None when it gives up."""
    try:
        return ("data", repr(yamlfile._fast_load(text)))
    except Exception:  # noqa: BLE001 - giving up is always allowed
        return None


def check(text: str) -> None:
    want = careful(text)
    assert loaded(text) == want
    got = fast(text)
    if got is not None:  # when the fast path answers, it answers as the careful loader
        assert got == want, text


def _texts() -> list[tuple[str, str]]:
    out = []
    for folder in (ROOT / "tests" / "bad_inputs", ROOT / "plans", ROOT / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                try:
                    out.append((str(path.relative_to(ROOT)), path.read_bytes().decode("utf-8").removeprefix("\ufeff")))
                except UnicodeDecodeError:
                    pass  # refused before YAML is parsed
    return out


@pytest.mark.parametrize("name,text", _texts(), ids=[name for name, _ in _texts()])
def test_every_stored_file(name, text):
    check(text)


def test_fast_path_is_taken_for_a_plain_plan():
    text = (ROOT / "plans" / "hl2022.yaml").read_text(encoding="utf-8")
    assert fast(text) == careful(text)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "a: 1\n'a': 2\n", "1: x\n'1': y\n", "a: &x 1\nb: *x\n", "<<: {a: 1}\n", "'<<': 1\n",
    "a: !!binary aGVsbG8=\n", "a: !!str 1\n", "a: ! 1\n", "--- a\n--- b\n", "%YAML 1.1\n--- a: 1\n",
    "? [a]\n: 1\n", "? {a: 1}\n: 1\n", "a: 2024-02-30\n", "a: 2024-01-01 10:00\n", "a: 2024-01-01\n",
    "a: =\n", "__line__: 5\nb: 1\n", "", "# only a comment\n", "---\n", "a\n", "[1, 2, {b: c}]\n",
    "a: [1, 2\n", "a: 'x\n", "a:\tb\n", "a: yes\nb: No\nc: ~\nd: null\ne: 0x1F\nf: 1_000\ng: .5\nh: .inf\n",
    "a: 1\n b: 2\n", "a: b: c\n", "- a\n- - b\n  - c\n- {x: [y, {z: 1}]}\n", "a: \"\\u4e2d\\t\"\n",
    "a: |\n  line\n  two\nb: >-\n  folded\n  text\n", "a: \x07\n", "a: 1\n...\n", "!!map {a: 1}\n",
])
def test_edge_cases(text):
    check(text)


# --- generated plan files ------------------------------------------------------------------------

words = st.text(st.sampled_from(list("公开政务年底前6月季度 -:#'\"&*!|>{}[],?%@`abcyNo0123.~\t\n")), max_size=12)
scalars = st.one_of(words, st.integers(-5, 3000), st.booleans(), st.none(),
                    st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)))
tasks = st.fixed_dictionaries({"id": st.integers(1, 60), "text": words},
                              optional={"units": st.lists(st.fixed_dictionaries({"name": words, "role": words}),
                                                          max_size=3),
                                        "deadline": st.one_of(words, st.lists(scalars, max_size=3)),
                                        "state": st.sampled_from(["open", "done", "x"]),
                                        "progress": st.lists(st.fixed_dictionaries({"date": scalars, "note": words}),
                                                             max_size=2),
                                        "extra": scalars})
plans = st.fixed_dictionaries({"schema": st.integers(0, 3), "id": words, "year": scalars, "title": words,
                               "tasks": st.lists(tasks, max_size=5)})


@st.composite
def plan_texts(draw) -> str:
    data = draw(plans)
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans()),
                          default_flow_style=draw(st.sampled_from([False, None, True])),
                          width=draw(st.sampled_from([20, 80, 1000])), indent=draw(st.sampled_from([2, 4])))
    lines = text.split("\n")
    # hand edits: a line repeated (duplicate key), a character put in, a line dropped, an anchor
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(["repeat", "insert", "drop", "anchor", "tag"]))
        if action == "repeat":
            lines.insert(where, lines[where])
        elif action == "insert":
            line = lines[where]
            at = draw(st.integers(0, len(line)))
            lines[where] = line[:at] + draw(st.sampled_from(list("\t:-#&*!'\"{}[]? |>%\x01中"))) + line[at:]
        elif action == "drop" and len(lines) > 1:
            del lines[where]
        elif action == "anchor":
            lines[where] = lines[where].replace(": ", ": &a ", 1)
        elif action == "tag":
            lines[where] = lines[where].replace(": ", ": !!str ", 1)
    return "\n".join(lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_texts())
def test_generated_plan_files(text):
    check(text)
