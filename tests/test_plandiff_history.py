"""Comparing a plan file's versions along its history (``plandiff.compare`` with one ``Blocks``).

The annual report compares every commit's plan file before and after, newest first, and shares
what it has read between the comparisons (each version split once, each task block read once).
Sharing must not change a single answer: whatever the history — a task changed again and again,
changed back to an earlier text, the same block in two files — every comparison says what it
says when read on its own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.storage import plandiff
from gktrack.storage.planfile import parse_plan

PLAN = (Path(__file__).resolve().parents[1] / "plans" / "hl2022.yaml").read_text(encoding="utf-8")
FIRST_TASK = PLAN.index("\n  - id: 1\n")


def _whole(blob: str, data: bytes):
    return parse_plan(data.decode("utf-8"), "plans/hl2022.yaml")


def _edit(text: str, task: int, kind: int) -> str:
    """One change a person makes to task ``task``'s block: its state, a progress entry, its deadline."""
    start = text.index(f"\n  - id: {task}\n", FIRST_TASK - 1)
    end = text.find("\n\n  - id: ", start + 1)
    end = len(text) if end < 0 else end
    block = text[start:end]
    if kind == 0:
        block = block.replace("state: open", "state: done\n    closed: 2022-11-30") if "state: open" in block \
            else block.replace("state: done\n    closed: 2022-11-30", "state: open")
    elif kind == 1:
        block += "\n    progress:\n      - {date: 2022-06-30, note: 已报送}" if "progress:" not in block \
            else "\n      - {date: 2022-09-30, note: 又报送一次}"
    else:
        block = block.replace("    state:", "    deadline: [6月底前]\n    state:", 1) if "deadline:" not in block \
            else block.replace("    deadline: [6月底前]\n", "", 1)
    return text[:start] + block + text[end:]


def _version(text: str) -> tuple[str, bytes]:
    data = text.encode("utf-8")
    return hashlib.sha1(data).hexdigest(), data


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 2), st.booleans()), min_size=1, max_size=12))
def test_comparisons_along_a_history_share_what_they_read_without_changing_an_answer(steps):
    # the history, oldest first; a step may also go back to an earlier version (a revert)
    versions = [PLAN]
    for task, kind, back in steps:
        versions.append(versions[-2] if back and len(versions) > 1 else _edit(versions[-1], task, kind))
    pairs = list(zip(versions, versions[1:]))[::-1]  # newest first, as the report walks
    # the same history in a second file: identical blocks, another path
    files = [(path, old, new) for path in ("plans/hl2022.yaml", "plans/copy.yaml") for old, new in pairs]
    blocks = plandiff.Blocks()
    for path, old, new in files:
        shared = plandiff.compare(path, "hl2022", _version(old), _version(new), _whole, blocks)
        alone = plandiff.compare(path, "hl2022", _version(old), _version(new), _whole)
        assert shared.to_data() == alone.to_data()


def test_a_task_changed_back_and_forth_is_described_at_each_step():
    once = _edit(PLAN, 1, 0)          # closed
    back = _edit(once, 1, 0)          # reopened: the first version's block again
    again = _edit(back, 1, 1)         # progress added
    blocks = plandiff.Blocks()
    phrases = [plandiff.compare("plans/hl2022.yaml", "hl2022", _version(old), _version(new), _whole, blocks).phrases
               for old, new in [(back, again), (once, back), (PLAN, once)]]
    assert phrases == [["hl2022/1 新增进展1条"],
                       ["hl2022/1 状态 已完成→未完成,完成日期 2022-11-30→(空)"],
                       ["hl2022/1 状态 未完成→已完成,完成日期 (空)→2022-11-30"]]
