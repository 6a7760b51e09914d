"""The clean check of a write runs in the background while the edit is prepared: a file with
uncommitted hand edits still stops the change, before anything is written, whatever the
edit itself would have said."""

from __future__ import annotations

import pytest


def _hand_edit(gk, rel: str) -> str:
    text = gk.text(rel)
    gk.write(rel, text.replace("镇内部的公开工作", "镇内部的公开工作(手改)"))
    return gk.read(rel)


@pytest.mark.parametrize("argv", [
    ["progress", "hl2022/1", "进展"],
    ["add", "hl2022", "新任务"],
    ["close", "hl2022/2"],
])
def test_hand_edits_stop_the_change_first(plans_repo, argv):
    gk = plans_repo
    gk.ok("close", "hl2022/1")
    head = gk.git("rev-parse", "HEAD")
    edited = _hand_edit(gk, "plans/hl2022.yaml")
    line = gk.fail(*argv)
    assert "plans/hl2022.yaml 有未提交的手工修改" in line
    assert gk.read("plans/hl2022.yaml") == edited
    assert gk.git("rev-parse", "HEAD") == head
    assert not list((gk.root / ".git" / "gktrack").glob("journal*"))


def test_a_clean_file_is_changed_and_committed(plans_repo):
    gk = plans_repo
    gk.ok("progress", "hl2022/2", "已公开")
    assert gk.git("status", "--porcelain") == ""
    assert "已公开" in gk.text("plans/hl2022.yaml")
