"""The plan-file merge driver: task- and field-level three-way merges, byte for byte."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gktrack.features.collab.mergedriver import CONFLICT_KEY, DELETED_NOTE, merge_plan_texts
from gktrack.storage import yamldoc
from gktrack.storage.planfile import parse_plan

BASE = """\
# gktrack 计划文件:可直接手工编辑
schema: 1
id: p1
year: 2024
title: 测试计划
sections:
  - key: '1'
    number: 一、
    title: 第一部分
tasks:

  - id: 1
    section: '1'
    text: 任务一
    responsible: [司法所]
    deadline: 6月底前
    state: open

  # 手写的注释,合并后应原样保留
  - id: 2
    section: '1'
    text: 任务二
    lead: [财政所]
    support: [党政办]
    state: open
    progress:
      - date: 2024-03-01
        unit: 财政所
        note: 开始

  - id: 3
    text: "任务三(带引号)"
    state: open
"""


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def data_of(text: str) -> dict:
    """The file as plain data (keys the plan does not define, such as conflict, included)."""
    return yamldoc.to_data(yamldoc.compose(text, "p1.yaml"))


def tasks_of(text: str) -> dict[int, dict]:
    parse_plan(text, "p1.yaml")  # reads as a plan
    return {t["id"]: t for t in data_of(text)["tasks"]}


def block(text: str, task_id: int) -> str:
    """The lines of one task block, as written."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {task_id}")
    end = start + 1
    while end < len(lines) and not lines[end].lstrip().startswith("- id:") and lines[end].strip() != "" \
            and not lines[end].startswith("  #"):
        end += 1
    return "".join(lines[start:end])


PROGRESS_OURS = "      - date: 2024-04-01\n        unit: 财政所\n        note: 我方进展\n"
PROGRESS_THEIRS = "      - date: 2024-03-15\n        unit: 财政所\n        note: 对方进展\n"


def clean_merge(ours: str, theirs: str, base: str = BASE) -> str:
    result = merge_plan_texts(base, ours, theirs, "plans/p1.yaml")
    assert result.clean, (result.conflicts, result.fallback)
    return result.text


def add_progress(text: str, entry: str) -> str:
    return edit(text, "        note: 开始\n", "        note: 开始\n" + entry)


def test_changes_to_adjacent_tasks_merge_cleanly_and_keep_bytes():
    ours = edit(BASE, "    deadline: 6月底前\n    state: open\n", "    deadline: 6月底前\n    state: done\n    closed: 2024-05-02\n")
    theirs = add_progress(BASE, PROGRESS_THEIRS)
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.clean
    # exactly ours plus theirs' hunk: every other byte (comment, quotes) as it was
    assert result.text == add_progress(ours, PROGRESS_THEIRS)
    tasks = tasks_of(result.text)
    assert tasks[1]["state"] == "done" and tasks[1]["closed"] == dt.date(2024, 5, 2)
    assert [p["note"] for p in tasks[2]["progress"]] == ["开始", "对方进展"]


def test_progress_from_both_sides_kept_in_date_order():
    ours = add_progress(BASE, PROGRESS_OURS)
    theirs = add_progress(BASE, PROGRESS_THEIRS)
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.clean
    notes = [p["note"] for p in tasks_of(result.text)[2]["progress"]]
    assert notes == ["开始", "对方进展", "我方进展"]
    # the untouched tasks keep their exact bytes
    assert block(result.text, 1) == block(BASE, 1)
    assert block(result.text, 3) == block(BASE, 3)
    assert "  # 手写的注释,合并后应原样保留\n" in result.text


def test_progress_removed_on_one_side_stays_removed():
    base = add_progress(BASE, PROGRESS_OURS)
    ours = BASE  # e.g. `gktrack undo` of that progress
    theirs = edit(base, "    text: \"任务三(带引号)\"\n", "    text: \"任务三(带引号)\"\n    note: 对方补充\n")
    result = merge_plan_texts(base, ours, theirs, "plans/p1.yaml")
    assert result.clean
    tasks = tasks_of(result.text)
    assert [p["note"] for p in tasks[2]["progress"]] == ["开始"]
    assert tasks[3]["note"] == "对方补充"


def test_fields_changed_on_one_side_each_take_that_side():
    ours = edit(BASE, "    deadline: 6月底前\n", "    deadline: 9月底前\n")
    theirs = edit(BASE, "    text: 任务一\n", "    text: 任务一(修订)\n")
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.clean
    task = tasks_of(result.text)[1]
    assert task["deadline"] == "9月底前" and task["text"] == "任务一(修订)"


def test_unit_lists_merge_as_sets():
    ours = edit(BASE, "    lead: [财政所]\n", "    lead: [财政所, 司法所]\n")
    theirs = edit(BASE, "    support: [党政办]\n", "    support: [党政办, 规划办]\n")
    theirs = edit(theirs, "    lead: [财政所]\n", "    lead: [财政所, 民政办]\n")
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.clean
    task = tasks_of(result.text)[2]
    assert task["lead"] == ["财政所", "司法所", "民政办"]
    assert task["support"] == ["党政办", "规划办"]
    assert "    lead: [财政所, 司法所, 民政办]\n" in result.text  # flow style, as plan files write it


def test_same_field_changed_differently_is_a_conflict_kept_as_valid_yaml():
    ours = edit(BASE, "    text: \"任务三(带引号)\"\n    state: open\n",
                "    text: \"任务三(带引号)\"\n    state: open\n    note: 我方说明\n")
    theirs = edit(BASE, "    text: \"任务三(带引号)\"\n    state: open\n",
                  "    text: \"任务三(带引号)\"\n    state: done\n    closed: 2024-05-03\n    note: 对方说明\n")
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert not result.clean
    assert [(c.task, c.field) for c in result.conflicts] == [(3, "note")]
    assert "任务 p1/3" in result.conflicts[0].describe() and "note" in result.conflicts[0].describe()
    task = tasks_of(result.text)[3]  # reads as a plan: not a file of conflict markers
    assert task["note"] == "我方说明"  # ours in the field
    assert task["state"] == "done"  # the field only theirs changed merged normally
    assert task[CONFLICT_KEY] == {"note": {"base": None, "theirs": "对方说明"}}
    # the documented form, under the task, after its fields
    assert result.text.endswith(
        "    note: 我方说明\n    conflict:\n      note:\n        base:\n        theirs: 对方说明\n")


def test_conflict_keeps_base_value_and_list_values():
    ours = edit(BASE, "    deadline: 6月底前\n", "    deadline: 7月底前\n")
    theirs = edit(BASE, "    deadline: 6月底前\n", "    deadline: [每季度, 年底前]\n")
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert [(c.task, c.field) for c in result.conflicts] == [(1, "deadline")]
    task = tasks_of(result.text)[1]
    assert task["deadline"] == "7月底前"
    assert task[CONFLICT_KEY] == {"deadline": {"base": "6月底前", "theirs": ["每季度", "年底前"]}}


def test_tasks_added_on_both_sides_with_same_id_are_both_kept():
    ours = BASE + "\n  - id: 4\n    text: 我方新任务\n    state: open\n"
    theirs = BASE + "\n  - id: 4\n    text: 对方新任务\n    responsible: [司法所]\n    state: open\n"
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.clean
    assert [(r.kind, r.old, r.new) for r in result.renumbered] == [("task", "4", "5")]
    assert "p1/4" in result.renumbered[0].describe() and "p1/5" in result.renumbered[0].describe()
    tasks = tasks_of(result.text)
    assert tasks[4]["text"] == "我方新任务"
    assert tasks[5]["text"] == "对方新任务" and tasks[5]["responsible"] == ["司法所"]
    assert result.text == ours + "\n  - id: 5\n    text: 对方新任务\n    responsible: [司法所]\n    state: open\n"


def test_identical_additions_are_one_task():
    added = "\n  - id: 4\n    text: 同一任务\n    state: open\n"
    result = merge_plan_texts(BASE, BASE + added, BASE + added, "plans/p1.yaml")
    assert result.clean and not result.renumbered
    assert list(tasks_of(result.text)) == [1, 2, 3, 4]


def test_task_added_by_theirs_goes_after_its_predecessor():
    new = "  - id: 4\n    section: '1'\n    text: 对方插在任务一后\n    state: open\n\n"
    theirs = edit(BASE, "  # 手写的注释", new + "  # 手写的注释")
    ours = add_progress(BASE, PROGRESS_OURS)
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.clean
    data = data_of(result.text)
    assert [t["id"] for t in data["tasks"]] == [1, 4, 2, 3]


def test_deleted_task_unchanged_elsewhere_is_deleted():
    ours = edit(BASE, "\n  - id: 3\n    text: \"任务三(带引号)\"\n    state: open\n", "")
    theirs = add_progress(BASE, PROGRESS_THEIRS)
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.clean
    assert list(tasks_of(result.text)) == [1, 2]


def test_deleted_on_one_side_changed_on_the_other_keeps_the_task_as_a_conflict():
    ours = edit(BASE, "\n  - id: 3\n    text: \"任务三(带引号)\"\n    state: open\n", "")
    theirs = edit(BASE, "    text: \"任务三(带引号)\"\n    state: open\n", "    text: \"任务三(带引号)\"\n    state: done\n")
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert [(c.task, c.field) for c in result.conflicts] == [(3, "task")]
    task = tasks_of(result.text)[3]
    assert task["state"] == "done" and task[CONFLICT_KEY] == {"task": DELETED_NOTE}


def test_sections_added_on_both_sides_get_distinct_keys_and_tasks_follow():
    section = "  - key: '2'\n    number: 二、\n    title: {}\n"
    ours = edit(BASE, "tasks:\n", section.format("我方章节") + "tasks:\n")
    theirs = edit(BASE, "tasks:\n", section.format("对方章节") + "tasks:\n")
    theirs += "\n  - id: 4\n    section: '2'\n    text: 对方章节下的任务\n    state: open\n"
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.clean
    assert [(r.kind, r.old, r.new) for r in result.renumbered] == [("section", "2", "3")]
    data = data_of(result.text)
    assert [(s["key"], s["title"]) for s in data["sections"]] == [("1", "第一部分"), ("2", "我方章节"), ("3", "对方章节")]
    assert tasks_of(result.text)[4]["section"] == "3"


def test_header_field_conflict_goes_to_a_top_level_conflict_key():
    ours = edit(BASE, "title: 测试计划\n", "title: 我方标题\n")
    theirs = edit(BASE, "title: 测试计划\n", "title: 对方标题\n")
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert [(c.task, c.field) for c in result.conflicts] == [(None, "title")]
    data = data_of(result.text)
    assert data["title"] == "我方标题"
    assert data[CONFLICT_KEY] == {"title": {"base": "测试计划", "theirs": "对方标题"}}


def test_header_change_on_one_side_is_taken():
    theirs = edit(BASE, "title: 测试计划\n", "title: 对方标题\nowner: 镇政府\n")
    ours = add_progress(BASE, PROGRESS_OURS)
    assert clean_merge(ours, theirs) == edit(ours, "title: 测试计划\n", "title: 对方标题\nowner: 镇政府\n")


def test_header_and_section_conflicts_are_written_at_the_top_of_the_file():
    ours = edit(BASE, "title: 测试计划\n", "title: 我方标题\n")
    ours = edit(ours, "    title: 第一部分\n", "    title: 我方部分\n")
    theirs = edit(BASE, "title: 测试计划\n", "title: 对方标题\n")
    theirs = edit(theirs, "    title: 第一部分\n", "    title: 对方部分\n")
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert [(c.task, c.field) for c in result.conflicts] == [(None, "title"), (None, "sections/1")]
    assert result.text == edit(ours, "title: 我方标题\n", "title: 我方标题\nconflict:\n  title:\n"
                               "    base: 测试计划\n    theirs: 对方标题\n  sections:\n    '1':\n      base:\n"
                               "        key: '1'\n        number: 一、\n        title: 第一部分\n"
                               "      theirs:\n        key: '1'\n        number: 一、\n        title: 对方部分\n")
    assert data_of(result.text)[CONFLICT_KEY]["sections"]["1"]["theirs"]["title"] == "对方部分"


def test_a_task_changed_on_both_sides_keeps_its_other_lines_as_written():
    ours = edit(BASE, "    text: 任务二\n", "    text: 任务二  # 我方的注释\n")
    ours = add_progress(ours, PROGRESS_OURS)
    theirs = edit(BASE, "    support: [党政办]\n", "    support: [党政办, 规划办]\n")
    # only the field theirs changed is rewritten; our comment and progress stay as we wrote them
    assert clean_merge(ours, theirs) == edit(ours, "    support: [党政办]\n", "    support: [党政办, 规划办]\n")


def test_a_task_only_theirs_changed_is_their_block_byte_for_byte():
    theirs = edit(BASE, "    lead: [财政所]\n", "    # 对方加的注释\n    lead: [财政所, 民政办]\n")
    ours = edit(BASE, "    deadline: 6月底前\n", "    deadline: 7月底前\n")
    merged = clean_merge(ours, theirs)
    assert block(merged, 2) == block(theirs, 2) and "    # 对方加的注释\n" in merged


def test_a_conflict_on_the_last_line_of_a_file_without_a_final_line_break():
    ours = BASE + "    note: 我方"
    theirs = BASE + "    note: 对方"
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert [(c.task, c.field) for c in result.conflicts] == [(3, "note")]
    assert tasks_of(result.text)[3][CONFLICT_KEY] == {"note": {"base": None, "theirs": "对方"}}


def test_unreadable_version_falls_back_to_line_merge_with_markers():
    ours = edit(BASE, "    deadline: 6月底前\n", "    deadline: 7月底前\n")
    theirs = edit(BASE, "    deadline: 6月底前\n", "    deadline: [未闭合\n")
    result = merge_plan_texts(BASE, ours, theirs, "plans/p1.yaml")
    assert result.fallback and not result.clean
    assert "<<<<<<<" in result.text and "7月底前" in result.text and "[未闭合" in result.text


def test_crlf_file_stays_crlf():
    crlf = BASE.replace("\n", "\r\n")
    ours = add_progress(BASE, PROGRESS_OURS).replace("\n", "\r\n")
    theirs = edit(BASE, "    text: 任务一\n", "    text: 任务一(修订)\n").replace("\n", "\r\n")
    result = merge_plan_texts(crlf, ours, theirs, "plans/p1.yaml")
    assert result.clean
    assert "\n" not in result.text.replace("\r\n", "")
    assert tasks_of(result.text)[1]["text"] == "任务一(修订)"


# --- through git ------------------------------------------------------------------------------


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"):
        monkeypatch.setenv(key, "办公室")
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, "office@example.gov.cn")
    monkeypatch.setenv("GKTRACK_TODAY", "2024-06-10")
    monkeypatch.delenv("GKTRACK_REPO", raising=False)
    return tmp_path


def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def gk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gktrack", *args], capture_output=True, text=True,
                          env=dict(os.environ))


def test_git_merge_uses_the_driver_set_up_by_init(env):
    root = env / "repo"
    assert gk("init", str(root)).returncode == 0
    assert (root / ".gitattributes").read_text() == ("plans/*.yaml merge=gktrack\nunits.yaml merge=gktrack\n"
                                                     "plans/*.yaml text eol=lf\nunits.yaml text eol=lf\n")
    assert "-m gktrack merge-driver %O %A %B %P" in git(root, "config", "merge.gktrack.driver").stdout
    assert ".gitattributes" in git(root, "show", "--name-only", "--format=", "HEAD").stdout.split()
    (root / "plans" / "p1.yaml").write_text(BASE, encoding="utf-8")
    git(root, "add", "plans/p1.yaml")
    git(root, "commit", "-qm", "计划")
    git(root, "checkout", "-qb", "other")
    (root / "plans" / "p1.yaml").write_text(add_progress(BASE, PROGRESS_THEIRS), encoding="utf-8")
    git(root, "commit", "-qam", "对方进展")
    git(root, "checkout", "-q", "main")
    (root / "plans" / "p1.yaml").write_text(add_progress(BASE, PROGRESS_OURS), encoding="utf-8")
    git(root, "commit", "-qam", "我方进展")
    merged = git(root, "merge", "-q", "--no-edit", "other")
    assert merged.returncode == 0, merged.stderr  # the line merge would conflict here
    notes = [p["note"] for p in tasks_of((root / "plans" / "p1.yaml").read_text())[2]["progress"]]
    assert notes == ["开始", "对方进展", "我方进展"]


@pytest.mark.parametrize("added_by", ["theirs", "ours"])
def test_a_bom_one_side_added_is_kept_whichever_side_it_is(env, added_by):
    # a liaison's Notepad saves with a BOM; when sync rebases that commit, it is git's "theirs"
    root = env / "repo"
    gk("init", str(root))
    plan = root / "plans" / "p1.yaml"
    plan.write_text(BASE, encoding="utf-8")
    git(root, "add", "plans/p1.yaml")
    git(root, "commit", "-qm", "计划")
    git(root, "checkout", "-qb", "other")
    plan.write_text(add_progress(BASE, PROGRESS_THEIRS), encoding="utf-8-sig" if added_by == "theirs" else "utf-8")
    git(root, "commit", "-qam", "对方进展")
    git(root, "checkout", "-q", "main")
    plan.write_text(add_progress(BASE, PROGRESS_OURS), encoding="utf-8-sig" if added_by == "ours" else "utf-8")
    git(root, "commit", "-qam", "我方进展")
    merged = git(root, "merge", "-q", "--no-edit", "other")
    assert merged.returncode == 0, merged.stderr
    assert plan.read_bytes().startswith(b"\xef\xbb\xbf")
    notes = [p["note"] for p in tasks_of(plan.read_text(encoding="utf-8-sig"))[2]["progress"]]
    assert notes == ["开始", "对方进展", "我方进展"]


def test_git_merge_conflict_marks_the_file_conflicted_and_names_task_and_field(env):
    root = env / "repo"
    gk("init", str(root))
    (root / "plans" / "p1.yaml").write_text(BASE, encoding="utf-8")
    git(root, "add", "plans/p1.yaml")
    git(root, "commit", "-qm", "计划")
    git(root, "checkout", "-qb", "other")
    (root / "plans" / "p1.yaml").write_text(edit(BASE, "    text: 任务一\n", "    text: 对方改\n"), encoding="utf-8")
    git(root, "commit", "-qam", "对方")
    git(root, "checkout", "-q", "main")
    (root / "plans" / "p1.yaml").write_text(edit(BASE, "    text: 任务一\n", "    text: 我方改\n"), encoding="utf-8")
    git(root, "commit", "-qam", "我方")
    merged = git(root, "merge", "-q", "--no-edit", "other")
    assert merged.returncode != 0
    assert "任务 p1/1 的“任务内容”(text)双方改法不同" in merged.stderr
    assert git(root, "diff", "--name-only", "--diff-filter=U").stdout.split() == ["plans/p1.yaml"]
    task = tasks_of((root / "plans" / "p1.yaml").read_text())[1]
    assert task["text"] == "我方改" and task[CONFLICT_KEY]["text"] == {"base": "任务一", "theirs": "对方改"}
    checked = gk("--repo", str(root), "validate", str(root / "plans" / "p1.yaml"))
    assert checked.returncode == 1 and "conflict" in checked.stdout


def test_setup_merge_for_a_clone_without_the_attribute(env):
    root = env / "old"
    root.mkdir()
    git(root, "init", "-q")
    (root / "units.yaml").write_text("schema: 1\nunits: []\n", encoding="utf-8")
    first = gk("--repo", str(root), "setup-merge")
    assert first.returncode == 0, first.stderr
    assert "已在本仓库的 git 配置中登记合并驱动" in first.stdout
    assert ".git/info/attributes" in first.stdout
    assert git(root, "check-attr", "merge", "--", "plans/a.yaml").stdout.strip().endswith("merge: gktrack")
    again = gk("--repo", str(root), "setup-merge")
    assert again.stdout.strip() == "合并驱动已配置好,未做任何修改"


# --- units.yaml: two offices registering new units at once ------------------------------------

REGISTRY_BASE = """\
# 单位名册
schema: 1
units:
  - name: 司法所
  - name: 区政数局
    aliases: [政数局]
collectives:
  - name: 各有关单位
    members: all
"""


def test_registry_entries_added_on_both_sides_are_all_kept():
    from gktrack.features.collab.mergedriver import merge_registry_texts

    ours = REGISTRY_BASE.replace("    aliases: [政数局]\n", "    aliases: [政数局]\n  - name: 财政所\n")
    theirs = REGISTRY_BASE.replace("    aliases: [政数局]\n",
                                   "    aliases: [政数局]\n  - name: 城建办\n    aliases: [规划建设办, 城建]\n"
                                   "  - name: 财政所\n") + "people:\n  - email: a@example.cn\n    role: office\n"
    result = merge_registry_texts(REGISTRY_BASE, ours, theirs)
    assert result.clean, result.fallback
    # our lines untouched, theirs appended to each list once (财政所 was added by both)
    assert result.text == ours.replace("  - name: 财政所\n", "  - name: 财政所\n  - name: 城建办\n"
                                       "    aliases: [规划建设办, 城建]\n") + \
        "people:\n  - email: a@example.cn\n    role: office\n"


def test_registry_people_added_to_an_empty_list_and_units_added_on_the_other_side():
    from gktrack.features.collab.mergedriver import merge_registry_texts

    base = REGISTRY_BASE + "people: []\n"
    ours = base.replace("    aliases: [政数局]\n", "    aliases: [政数局]\n  - name: 财政所\n")
    theirs = base.replace("    aliases: [政数局]\n", "    aliases: [政数局]\n  - name: 城建办\n") \
        .replace("people: []\n", "people:\n  - email: b@example.cn\n    units: [城建办]\n")
    result = merge_registry_texts(base, ours, theirs)
    assert result.clean, result.fallback
    assert result.text == ours.replace("  - name: 财政所\n", "  - name: 财政所\n  - name: 城建办\n") \
        .replace("people: []\n", "people:\n  - email: b@example.cn\n    units: [城建办]\n")


def test_registry_changes_to_the_same_entry_are_left_to_a_person():
    from gktrack.features.collab.mergedriver import merge_registry_texts

    ours = REGISTRY_BASE.replace("[政数局]", "[政数局, 数据局]") + ""
    theirs = REGISTRY_BASE.replace("[政数局]", "[数局]")
    result = merge_registry_texts(REGISTRY_BASE, ours, theirs)
    assert not result.clean and "<<<<<<<" in result.text


def test_two_clones_registering_units_at_once_sync_without_conflict(env):
    """Through git itself: the attribute from init, the driver set up in each clone."""
    server = env / "server.git"
    office = env / "office"
    assert gk("init", str(office)).returncode == 0
    git(env, "clone", "-q", "--bare", str(office), str(server))
    git(office, "remote", "add", "origin", str(server))
    git(office, "fetch", "-q", "origin")
    git(office, "branch", "-q", "--set-upstream-to=origin/main")
    other = env / "other"
    git(env, "clone", "-q", str(server), str(other))
    assert gk("--repo", str(other), "setup").returncode == 0
    gk("--repo", str(office), "new-plan", "p1", "--year", "2024", "--title", "计划")
    assert gk("--repo", str(office), "add", "p1", "任务甲", "--unit", "财政所", "--new-unit").returncode == 0
    assert gk("--repo", str(other), "new-plan", "p2", "--year", "2024", "--title", "计划二").returncode == 0
    assert gk("--repo", str(other), "add", "p2", "任务乙", "--unit", "城建办", "--new-unit").returncode == 0
    assert gk("--repo", str(office), "sync").returncode == 0
    synced = gk("--repo", str(other), "sync")
    assert synced.returncode == 0, synced.stdout + synced.stderr
    registry = (other / "units.yaml").read_text(encoding="utf-8")
    assert "name: 财政所" in registry and "name: 城建办" in registry and "<<<<<<<" not in registry
    assert gk("--repo", str(other), "validate").returncode == 0


def test_a_list_written_in_flow_style_on_our_side_merges_by_items():
    """Ours keeps "sections: [{…}]" as written by hand; theirs added a section (gktrack writes the
    list as a block list): the merge is clean, our items keep their text, theirs' section is added."""
    base = BASE.replace("sections:\n  - key: '1'\n    number: 一、\n    title: 第一部分\n",
                        "sections: [{key: '1', number: 一、, title: 第一部分}]  # 章节\n")
    ours = edit(base, "    deadline: 6月底前\n", "    deadline: 9月底前\n")
    theirs = edit(base, "sections: [{key: '1', number: 一、, title: 第一部分}]  # 章节\n",
                  "sections:  # 章节\n  - {key: '1', number: 一、, title: 第一部分}\n  - key: '2'\n    title: 第二部分\n")
    merged = clean_merge(ours, theirs, base)
    assert "sections:  # 章节\n  - {key: '1', number: 一、, title: 第一部分}\n  - key: '2'\n    title: 第二部分\ntasks:" in merged
    assert tasks_of(merged)[1]["deadline"] == "9月底前"
