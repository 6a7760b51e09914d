"""The write path: how few git processes a change takes, and the checks that a change touched only
its own task, wrote what it meant and kept every other byte.

Real repositories and the real CLI; git is wrapped (not mocked) by a script on PATH that logs
each invocation and runs the real git.
"""

from __future__ import annotations

import os
import shutil
import stat

import pytest

from gktrack.errors import PlanFileError
from gktrack.storage.planfile import PlanEditor, read_plan
from gktrack.storage.repo import Repository


@pytest.fixture
def git_log(plans_repo, tmp_path, monkeypatch):
    """Every git command gktrack runs from now on, as its subcommand (``status``, ``commit``…)."""
    real = shutil.which("git")
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "git.log"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")

    def calls() -> list[str]:
        if not log.exists():
            return []
        names = []
        for line in log.read_text(encoding="utf-8").splitlines():
            words = line.split(" ")
            # git [-c k=v]… -C ROOT [-c k=v]… SUBCOMMAND …
            i = 0
            while i < len(words) and words[i] in ("-c", "-C"):
                i += 2
            names.append(words[i] if i < len(words) else "")
        log.unlink()
        return names

    return calls


def test_close_runs_two_git_processes(plans_repo, git_log):
    gk = plans_repo
    gk.ok("close", "hl2022/1")
    # the dirty check and the commit; no toplevel, identity, add or rev-parse
    assert git_log() == ["status", "commit"]
    assert gk.commit_info().summary.startswith("关闭 hl2022/1")
    assert gk.status() == ""


def test_progress_asks_git_for_the_identity_once(plans_repo, git_log):
    gk = plans_repo
    gk.ok("progress", "hl2022/1", "已发布")
    # the name goes into the file (by:), so git is asked once, before the dirty check and commit
    assert git_log() == ["var", "status", "commit"]
    assert "by: 测试员" in gk.text("plans/hl2022.yaml")


def test_new_plan_adds_the_new_file(plans_repo, git_log):
    gk = plans_repo
    gk.ok("new-plan", "p2024", "--year", "2024", "--title", "测试计划")
    assert git_log() == ["status", "add", "commit"]
    assert gk.commit_info().files == ["plans/p2024.yaml"]


def test_the_hash_printed_is_the_new_head(plans_repo):
    from gktrack.features.ops import close_task

    gk = plans_repo
    change = close_task(Repository(gk.root), "hl2022/1")
    assert change.commit == gk.head()


def test_save_refuses_when_another_task_changed(plans_repo):
    gk = plans_repo
    path = gk.root / "plans/hl2022.yaml"
    before = path.read_bytes()
    editor = PlanEditor(path, "plans/hl2022.yaml")
    editor.update_task(1, {"note": "本任务的修改"})
    # a bug that also touched task 2's lines must not reach the file
    start, end = editor.task_span(2)
    block = editor.text[start:end]
    editor.text = editor.text[:start] + block.replace("text: ", "text: (意外)", 1) + editor.text[end:]
    editor._read()
    with pytest.raises(PlanFileError, match="任务 2 被意外改动"):
        editor.save()
    assert path.read_bytes() == before


NOTES = ["已发布", "已按要求在网站公开,共 12 件", "完成 100%", "Done", "yes", "12", "a: b", "#1 完成",
         "第3季度 - 完成", "链接 http://www.example.gov.cn/a#b", "已完成:", " 前后有空格 ", "'引号'", "null",
         "2024-06-01", "全角 空格", "tab\t分隔", "多行\n文字"]


def _bundled_plans() -> list:
    from pathlib import Path

    return sorted((Path(__file__).resolve().parent.parent / "plans").glob("*.yaml"))


def _changed_lines(before: str, after: str) -> tuple[int, int]:
    """The first and last line (0-based, of ``before``) that differ, as difflib sees them."""
    import difflib

    ops = [op for op in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes()
           if op[0] != "equal"]
    return ops[0][1], ops[-1][2]


@pytest.mark.parametrize("source", _bundled_plans(), ids=lambda p: p.stem)
def test_edits_of_every_bundled_task_stay_in_its_lines(source, tmp_path):
    """progress, close and reopen on every task of the bundled plans: the task reads back as the
    change says, and the file changes only inside that task's block."""
    import dataclasses
    import datetime as dt

    from gktrack.domain.model import Progress

    path = tmp_path / source.name
    original = source.read_bytes()
    where = f"plans/{source.name}"
    plan = read_plan(source, where)
    for number, task in enumerate(plan.tasks):
        note = NOTES[number % len(NOTES)]
        entry = Progress(date=dt.date(2024, 6, 1), unit=(task.units[0].name if task.units else None),
                         by=["张三", "Zhang San", None][number % 3], note=note)
        for changes, append in (({}, entry), ({"state": "done", "closed": dt.date(2024, 6, 2),
                                               **({"note": note} if number % 2 else {})}, None),
                                ({"state": "open", "closed": None}, entry)):
            path.write_bytes(original)
            editor = PlanEditor(path, where)
            span = editor.task_span(task.id)
            first_line = editor.text.count("\n", 0, span[0])
            last_line = editor.text.count("\n", 0, span[1])
            if changes:
                editor.update_task(task.id, changes)
            if append is not None:
                editor.append(task.id, "progress", append)
            editor.save()
            after = read_plan(path, where)
            expected = dataclasses.replace(task, **changes, progress=[*task.progress, *([append] if append else [])])
            assert dataclasses.replace(after.task(task.id), line=None) == dataclasses.replace(expected, line=None)
            assert [t for t in after.tasks if t.id != task.id] == [t for t in plan.tasks if t.id != task.id]
            changed = _changed_lines(original.decode("utf-8"), path.read_text(encoding="utf-8"))
            assert first_line <= changed[0] and changed[1] <= last_line + 1, (task.id, changes)


ODD_LAYOUTS = {
    "block scalar keeping blank lines": "  - id: 1\n    text: 甲\n    note: |+\n      多行\n\n  - id: 2\n    text: 乙\n",
    "comment inside": "  - id: 1\n    text: 甲  # 注释\n    state: open\n\n  - id: 2\n    text: 乙\n",
    "dash at column 0": "- id: 1\n  text: 甲\n  state: open\n- id: 2\n  text: 乙\n",
    "crlf": "  - id: 1\r\n    text: 甲\r\n    state: open\r\n\r\n  - id: 2\r\n    text: 乙\r\n",
    "hand-added key and progress": "  - id: 1\n    text: 甲\n    备注: x\n    progress:\n      - date: 2024-01-02\n        note: 旧\n\n  - id: 2\n    text: 乙\n",
    "progress indented differently": "  - id: 1\n    text: 甲\n    progress:\n    - date: 2024-01-02\n      note: 旧\n\n  - id: 2\n    text: 乙\n",
    "flow progress": "  - id: 1\n    text: 甲\n    progress: []\n\n  - id: 2\n    text: 乙\n",
    "quoted state": "  - id: 1\n    text: 甲\n    state: 'open'\n\n  - id: 2\n    text: 乙\n",
    "last task": "  - id: 2\n    text: 乙\n\n  - id: 1\n    text: 甲\n    closed: 2024-01-01\n# 结尾注释\n",
    "quoted text over lines": '  - id: 1\n    text: "甲\n    note: 乙"\n    state: open\n\n  - id: 2\n    text: 乙\n',
    "flow list over lines": "  - id: 1\n    text: 甲\n    lead: [司法所,\n      办公室]\n    state: open\n\n  - id: 2\n    text: 乙\n",
    "doubled single quote": "  - id: 1\n    text: '甲''乙'\n    state: open\n\n  - id: 2\n    text: 乙\n",
    "block scalar": "  - id: 1\n    text: 甲\n    note: |\n      多行\n\n  - id: 2\n    text: 乙\n",
    "block scalar in progress": ("  - id: 1\n    text: 甲\n    progress:\n      - date: 2024-01-02\n        note: |+\n"
                                 "          旧\n\n  - id: 2\n    text: 乙\n"),
    "comment line between keys": "  - id: 1\n    text: 甲\n    # 说明\n    state: open\n\n  - id: 2\n    text: 乙\n",
}


@pytest.mark.parametrize("name", sorted(ODD_LAYOUTS))
def test_edits_on_odd_layouts(name, tmp_path):
    """Hand-made layouts: the edit reads back as intended, task 2 keeps its bytes, the hand
    formatting of the edited task outside the changed fields is kept, and the line ending too."""
    import dataclasses
    import datetime as dt

    from gktrack.domain.model import Progress

    body = ODD_LAYOUTS[name]
    newline = "\r\n" if "\r\n" in body else "\n"
    text = newline.join(["schema: 1", "id: t", "year: 2024", "title: 测试", "tasks:", ""]) + body
    path = tmp_path / "t.yaml"
    entry = Progress(date=dt.date(2024, 6, 1), unit="司法所", by="张三", note="已发布")
    for changes, append in (({}, entry), ({"state": "done", "closed": dt.date(2024, 6, 2), "note": "完成"}, None),
                            ({"state": "open", "closed": None}, entry)):
        path.write_bytes(text.encode("utf-8"))
        editor = PlanEditor(path, "plans/t.yaml")
        before = editor.plan.task(1)
        other = editor.text[slice(*editor.task_span(2))]
        if changes:
            editor.update_task(1, changes)
        if append:
            editor.append(1, "progress", append)
        editor.save()
        written = path.read_bytes().decode("utf-8")
        after = read_plan(path, "plans/t.yaml").task(1)
        expected = dataclasses.replace(before, **changes, progress=[*before.progress, *([append] if append else [])])
        assert dataclasses.replace(after, line=None) == dataclasses.replace(expected, line=None), (name, written)
        assert other in written
        if "# 注释" in text:
            assert "# 注释" in written
        if newline == "\r\n":
            assert written.count("\r\n") == written.count("\n")


FLOW_PLAN = ("schema: 1\nid: t\nyear: 2024\ntitle: 标题\nsections: [{key: '1', title: 一}, {key: '3', title: 三}]  # 章节\n"
             "tasks:\n  - id: 1\n    text: 甲\n    progress: [{date: 2024-01-02, note: 旧, 备注: 手加}]  # 注释\n\n"
             "  - id: 2\n    text: 乙\n    parts: [{unit: 司法所, state: open}]\n\n  - {id: 3, text: 丙}\n")


def test_flow_lists_become_block_lists_keeping_their_items_as_written(tmp_path):
    """A progress entry or a section added to a list written "[{…}, {…}]" makes it a block list
    whose old items stay as written: a key gktrack does not know and the comment after the list
    are kept (the list was re-rendered from the model, and lost them)."""
    import datetime as dt

    from gktrack.domain.model import Progress, Section

    path = tmp_path / "t.yaml"
    path.write_text(FLOW_PLAN, encoding="utf-8")
    editor = PlanEditor(path, "plans/t.yaml")
    editor.append(1, "progress", Progress(date=dt.date(2024, 3, 1), note="新"))
    editor.add_section(Section(key="2", title="二"))
    editor.save()
    written = path.read_text(encoding="utf-8")
    assert "sections:  # 章节\n  - {key: '1', title: 一}\n  - key: '2'\n    title: 二\n  - {key: '3', title: 三}\n" in written
    assert ("    progress:  # 注释\n      - {date: 2024-01-02, note: 旧, 备注: 手加}\n"
            "      - date: 2024-03-01\n        note: 新\n\n") in written
    assert [p.note for p in read_plan(path, "plans/t.yaml").task(1).progress] == ["旧", "新"]


@pytest.mark.parametrize("edit, where", [
    (lambda e: e.update_task(3, {"state": "done"}), "plans/t.yaml:15:5"),
    (lambda e: e.update_record(2, "parts", "司法所", {"state": "done"}), "plans/t.yaml:13:13"),
])
def test_an_item_written_in_flow_style_is_refused_with_its_place(tmp_path, edit, where):
    path = tmp_path / "t.yaml"
    path.write_text(FLOW_PLAN, encoding="utf-8")
    with pytest.raises(PlanFileError) as caught:
        edit(PlanEditor(path, "plans/t.yaml"))
    assert caught.value.where == where and "每个键占一行" in str(caught.value)
    assert path.read_text(encoding="utf-8") == FLOW_PLAN


def test_a_change_syncs_four_times(plans_repo, monkeypatch):
    """One journal entry (file and folder) and the plan file (file and folder): crash safety
    needs the entry on disk before the first byte, and the new file before the commit."""
    import os as _os

    calls = []
    real = _os.fsync
    monkeypatch.setattr(_os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    plans_repo.ok("close", "hl2022/1")
    assert len(calls) == 4


def test_a_linked_work_tree_commits_and_reports_its_own_head(plans_repo, git_log, tmp_path):
    """``.git`` is a file there and the branch lives in the main repository's refs."""
    from gktrack.features.ops import close_task

    gk = plans_repo
    other = tmp_path / "wt"
    gk.git("worktree", "add", "-q", "-b", "wt", str(other))
    git_log()
    change = close_task(Repository(other), "hl2022/1")
    assert git_log() == ["status", "commit"]  # the hash read from the ref file, not rev-parse
    head = gk.git("rev-parse", "wt").strip()
    assert change.commit == head
    assert gk.git("log", "-1", "--format=%s", "wt").startswith("关闭 hl2022/1")
    assert gk.git("-C", str(other), "status", "--porcelain") == ""


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TRICKY = "甲乙,。:;!?“”‘’()【】、…—%# :-?[]{}&*!|>'\"@`,.\\/_+=~^$ \t\u3000\u00a0\u2028\ufeff\x85\x07abcyYnN01eE"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY), min_size=0, max_size=12) | st.sampled_from(
    ["yes", "No", "on", "null", "true", "1:30", "0o17", "1e3", ".inf", "~", "Zhang San", "a-b", "司法所", "=", "<<"]))
def test_written_scalars_read_back_as_written(text):
    """Whatever text the writer puts in a field or a flow list reads back as the same text, and
    everyday Chinese text is written plain."""
    from gktrack.storage import yamldoc

    for line in (f"k: {yamldoc.scalar_text(text)}\n", f"k: {yamldoc.flow_list([text, '乙'])}\n"):
        data = yamldoc.to_data(yamldoc.compose(line, "t.yaml"))
        assert data["k"] in (text, [text, "乙"]), line
    if text and all("\u4e00" <= ch <= "\u9fff" or ch in "，。" for ch in text):
        assert yamldoc.scalar_text(text) == text
