"""Task history (show / log TASK): one `git log` of the plan file, hand edits compared through the index."""

from __future__ import annotations

import json


def _history(gk, ref: str) -> list[dict]:
    return gk.json("show", ref, "--json")["history"]


def _summaries(entries: list[dict]) -> list[tuple]:
    return [(e["summary"], e["action"], e["hand_edit"], e["files"]) for e in entries]


def test_show_history_tool_and_hand_edits(plans_repo):
    gk = plans_repo
    cold = _history(gk, "hl2022/1")
    assert not (gk.root / ".git/gktrack/report-cache").exists()  # the index is the only cache
    assert [e["action"] for e in cold] == ["add"]  # the plan was created empty
    gk.ok("progress", "hl2022/1", "已发布 12 件规范性文件", "--date", "2022-05-10")
    # a hand edit of task 1 only, and one of task 2 only
    text = gk.text("plans/hl2022.yaml")
    gk.write("plans/hl2022.yaml", text.replace("deadline: 6月底前", "deadline: 7月底前", 1))
    gk.hand_commit("手工改期限", "plans/hl2022.yaml")
    text = gk.text("plans/hl2022.yaml")
    block = text.index("  - id: 2")
    gk.write("plans/hl2022.yaml", text[:block] + text[block:].replace("state: open", "state: done", 1))
    gk.hand_commit("手工办结第2项", "plans/hl2022.yaml")

    one = _history(gk, "hl2022/1")
    assert _summaries(one)[:2] == [
        ("手工改期限", None, True, ["plans/hl2022.yaml"]),
        ("进展 hl2022/1:已发布 12 件规范性文件", "progress", False, ["plans/hl2022.yaml"]),
    ]
    assert [e["action"] for e in one] == [None, "progress", "add"]
    assert one[1]["recorded_date"] == "2022-05-10"
    two = _history(gk, "hl2022/2")
    assert [(e["summary"], e["action"]) for e in two][0] == ("手工办结第2项", None)
    assert [e["action"] for e in two] == [None, "add"]
    assert "手工改期限" not in [e["summary"] for e in two]
    # the same answer with the index rebuilt from nothing, and with no cache at all
    entries = json.loads(gk.ok("log", "hl2022/1", "--json"))
    assert [e["commit"] for e in entries] == [e["commit"] for e in one]
    (gk.root / ".git/gktrack/index.sqlite").unlink()
    assert _history(gk, "hl2022/1") == one
    text_out = gk.ok("show", "hl2022/1")
    assert "手工改期限" in text_out and "记录进展" in text_out and "手工修改" in text_out


def test_history_after_rewrite_and_without_cache(plans_repo, monkeypatch):
    gk = plans_repo
    gk.ok("close", "hl2022/3", "--note", "已完成")
    closed = _history(gk, "hl2022/3")
    assert closed[0]["action"] == "close"
    # history rewritten: the dropped commit is no longer listed
    gk.git("reset", "-q", "--hard", "HEAD~1")
    gk.ok("progress", "hl2022/3", "改为记录进展")
    after = _history(gk, "hl2022/3")
    assert [e["action"] for e in after][0] == "progress"
    assert "close" not in [e["action"] for e in after]
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    assert _history(gk, "hl2022/3") == after


def test_deleted_and_broken_plan_versions_are_checked_against_the_file(plans_repo):
    gk = plans_repo
    good = gk.text("plans/qz2024.yaml")
    gk.write("plans/qz2024.yaml", good + "tasks: [unclosed\n")
    gk.hand_commit("写坏了", "plans/qz2024.yaml")
    gk.write("plans/qz2024.yaml", good.replace("9月底前", "10月底前"))
    gk.hand_commit("修好并改期限", "plans/qz2024.yaml")
    summaries = [e["summary"] for e in _history(gk, "qz2024/1")]
    # as the file comparison decides: the broken version has no task 1, so both commits changed it
    assert summaries[:2] == ["修好并改期限", "写坏了"]
    assert "修好并改期限" in [e["summary"] for e in _history(gk, "qz2024/2")]


def test_a_deleted_and_restored_plan_file_is_in_its_tasks_history(plans_repo):
    """A commit that deletes the file changed every task in it; so did the one that put it back."""
    gk = plans_repo
    text = gk.text("plans/qz2024.yaml")
    gk.git("rm", "-q", "plans/qz2024.yaml")
    gk.git("commit", "-q", "-m", "误删计划文件")
    gk.write("plans/qz2024.yaml", text)
    gk.hand_commit("恢复计划文件", "plans/qz2024.yaml")
    entries = json.loads(gk.ok("log", "qz2024/1", "--json"))
    assert [e["summary"] for e in entries][:2] == ["恢复计划文件", "误删计划文件"]
    assert all(e["files"] == ["plans/qz2024.yaml"] for e in entries)


def test_a_plan_rewritten_in_another_layout_is_compared_task_by_task(plans_repo):
    """A file not laid out in task blocks (here JSON, which YAML reads) is read whole: the
    history still names only the task whose content changed."""
    import yaml

    gk = plans_repo
    data = yaml.safe_load(gk.text("plans/qz2024.yaml"))
    data["tasks"][0]["deadline"] = "10月底前"
    gk.write("plans/qz2024.yaml", json.dumps(data, ensure_ascii=False, default=str))
    gk.hand_commit("改写为 JSON 并改期限", "plans/qz2024.yaml")
    first = data["tasks"][0]["id"]
    assert _history(gk, f"qz2024/{first}")[0]["summary"] == "改写为 JSON 并改期限"
    others = [t["id"] for t in data["tasks"][1:]]
    assert others and all("改写为 JSON 并改期限" not in [e["summary"] for e in _history(gk, f"qz2024/{i}")]
                          for i in others)
