"""The write path: how few git processes a change takes, the plan cache a change leaves behind,
and the check that a change touched only its own task (issue 8: close/progress ≤ Taskwarrior).

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
from gktrack.storage.plancache import plan_to_json
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
            # git -c core.quotepath=off -C ROOT [-c k=v]… SUBCOMMAND …
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


def test_a_change_leaves_the_cache_of_what_it_wrote(plans_repo):
    from gktrack.storage.plancache import cached_plan

    gk = plans_repo
    gk.ok("progress", "hl2022/1", "已发布")
    raw = gk.read("plans/hl2022.yaml")
    # a new process (a new Repository) finds the parse of exactly these bytes in the cache
    cached = cached_plan(Repository(gk.root), "hl2022", raw)
    assert cached is not None
    # and it is exactly what parsing the file gives
    assert plan_to_json(cached) == plan_to_json(read_plan(gk.root / "plans/hl2022.yaml", "plans/hl2022.yaml"))


def test_editor_from_the_cache_edits_as_from_the_file(plans_repo):
    """The same edit made with the plan from the cache and from a parse writes the same bytes."""
    from gktrack.domain.model import Progress
    from gktrack.storage.planfile import append_progress
    import datetime as dt

    gk = plans_repo
    repo = Repository(gk.root)
    repo.load_plan("hl2022")  # fills the cache
    path = gk.root / "plans/hl2022.yaml"
    original = path.read_bytes()
    results = []
    for use_cache in (True, False):
        path.write_bytes(original)
        editor = PlanEditor(path, "plans/hl2022.yaml", repo=repo if use_cache else None)
        assert (editor._data is None) == use_cache
        entry = Progress(date=dt.date(2024, 6, 1), note="已完成", unit=None, by="张三")
        editor.update_task(3, lambda item: append_progress(item, entry))
        assert editor.save()
        results.append(path.read_bytes())
    assert results[0] == results[1] != original


def test_save_refuses_when_another_task_changed(plans_repo):
    gk = plans_repo
    repo = Repository(gk.root)
    repo.load_plan("hl2022")
    path = gk.root / "plans/hl2022.yaml"
    before = path.read_bytes()
    editor = PlanEditor(path, "plans/hl2022.yaml", repo=repo)

    def change(item):
        item["note"] = "本任务的修改"

    editor.update_task(1, change)
    # a bug that also touched task 2's lines must not reach the file
    start, end = editor._spans()[2]
    at = next(i for i in range(start, end) if editor.file.lines[i].lstrip().startswith("text:"))
    editor.file.lines[at] = editor.file.lines[at].rstrip("\n") + "(意外)\n"
    editor._refresh()
    with pytest.raises(PlanFileError, match="任务 2 被意外改动"):
        editor.save()
    assert path.read_bytes() == before


NOTES = ["已发布", "已按要求在网站公开,共 12 件", "完成 100%", "Done", "yes", "12", "a: b", "#1 完成",
         "第3季度 - 完成", "链接 http://www.example.gov.cn/a#b", "已完成:", " 前后有空格 ", "'引号'", "null",
         "2024-06-01", "全角 空格", "tab\t分隔"]


def _bundled_plans() -> list:
    from pathlib import Path

    return sorted((Path(__file__).resolve().parent.parent / "plans").glob("*.yaml"))


@pytest.mark.parametrize("source", _bundled_plans(), ids=lambda p: p.stem)
def test_line_edits_write_what_ruamel_writes(source, tmp_path):
    """progress, close and reopen made line by line give the very bytes of ruamel's round trip."""
    import datetime as dt

    from gktrack.domain.model import Progress
    from gktrack.storage.planfile import apply_edits

    path = tmp_path / source.name
    original = source.read_bytes()
    where = f"plans/{source.name}"
    plan = read_plan(source, where)
    by_lines = 0
    cases = 0
    for number, task in enumerate(plan.tasks):
        note = NOTES[number % len(NOTES)]
        entry = Progress(date=dt.date(2024, 6, 1), note=note, unit=(task.units[0].name if task.units else None),
                         by=["张三", "Zhang San", None][number % 3])
        variants = [[("append", "progress", entry)],
                    [("set", "state", "done"), ("set", "closed", dt.date(2024, 6, 2))]
                    + ([("set", "note", note)] if number % 2 else [])]
        if task.state == "done":
            variants.append([("set", "state", "open"), ("set", "closed", None), ("append", "progress", entry)])
        for edits in variants:
            results = []
            for lines in (True, False):
                path.write_bytes(original)
                editor = PlanEditor(path, where)
                if lines:
                    editor.edit_fields(task.id, edits)
                    by_lines += editor.by_lines
                else:
                    editor.update_task(task.id, lambda item: apply_edits(item, edits))
                editor.save()
                results.append(path.read_bytes())
                # the plan the editor holds (and caches) is what parsing the new file gives
                assert plan_to_json(editor.plan) == plan_to_json(read_plan(path, where))
            assert results[0] == results[1], (task.id, edits)
            cases += 1
    # the plain layout gktrack writes is edited without ruamel (odd notes fall back)
    assert by_lines >= cases // 2


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
    # a line inside a quoted text or flow list that looks like the next key
    "quoted text over lines": '  - id: 1\n    text: "甲\n    note: 乙"\n    state: open\n\n  - id: 2\n    text: 乙\n',
    "flow list over lines": "  - id: 1\n    text: 甲\n    lead: [司法所,\n      办公室]\n    state: open\n\n  - id: 2\n    text: 乙\n",
    "doubled single quote": "  - id: 1\n    text: '甲''乙'\n    state: open\n\n  - id: 2\n    text: 乙\n",
    "block scalar": "  - id: 1\n    text: 甲\n    note: |\n      多行\n\n  - id: 2\n    text: 乙\n",
    "block scalar in progress": ("  - id: 1\n    text: 甲\n    progress:\n      - date: 2024-01-02\n        note: |+\n"
                                 "          旧\n\n  - id: 2\n    text: 乙\n"),
}
# layouts gktrack could have written itself (or close to it): edited without ruamel
BY_LINES = {"dash at column 0", "crlf", "last task", "doubled single quote"}
# layouts where new lines could change what the old ones mean: always ruamel
NEVER_BY_LINES = {"quoted text over lines", "flow list over lines", "block scalar", "block scalar in progress",
                  "block scalar keeping blank lines", "comment inside"}


@pytest.mark.parametrize("name", sorted(ODD_LAYOUTS))
def test_line_edits_on_odd_layouts(name, tmp_path):
    """Hand-made layouts: the line edit either writes what ruamel writes or leaves it to ruamel."""
    import datetime as dt

    from gktrack.domain.model import Progress
    from gktrack.storage.planfile import apply_edits

    body = ODD_LAYOUTS[name]
    newline = "\r\n" if "\r\n" in body else "\n"
    text = newline.join(["schema: 1", "id: t", "year: 2024", "title: 测试", "tasks:", ""]) + body
    path = tmp_path / "t.yaml"
    entry = Progress(date=dt.date(2024, 6, 1), note="已发布", unit="司法所", by="张三")
    for edits in ([("append", "progress", entry)],
                  [("set", "state", "done"), ("set", "closed", dt.date(2024, 6, 2)), ("set", "note", "完成")],
                  [("set", "state", "open"), ("set", "closed", None), ("append", "progress", entry)]):
        results = []
        for lines in (True, False):
            path.write_bytes(text.encode("utf-8"))
            editor = PlanEditor(path, "plans/t.yaml")
            if lines:
                editor.edit_fields(1, edits)
                if name in BY_LINES or name in NEVER_BY_LINES:
                    assert editor.by_lines == (name in BY_LINES), name
            else:
                editor.update_task(1, lambda item: apply_edits(item, edits))
            editor.save()
            results.append(path.read_bytes())
            assert plan_to_json(editor.plan) == plan_to_json(read_plan(path, "plans/t.yaml"))
        assert results[0] == results[1], (name, edits, results[0].decode())


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

_TRICKY = "甲乙,。:;!?“”‘’()【】、…—%# :-?[]{}&*!|>'\"@`,.\\/_+=~^$ \t\u3000\u00a0\u2028\ufeffabcyYnN01eE"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY), min_size=1, max_size=12) | st.sampled_from(
    ["yes", "No", "on", "null", "true", "1:30", "0o17", "1e3", ".inf", "~", "Zhang San", "a-b", "司法所"]))
def test_plain_scalar_is_what_yaml_and_ruamel_agree_on(text):
    """Whatever the line edit writes unquoted reads back as the same text (PyYAML, as gktrack
    reads) and is exactly what ruamel writes for it."""
    import io

    import yaml
    from ruamel.yaml.comments import CommentedMap

    from gktrack.storage.planfile import plain_scalar
    from gktrack.storage.yamlfile import Style, dump_rt

    plain = plain_scalar(text)
    if plain is None:
        return
    assert yaml.safe_load(io.StringIO(f"k: {plain}\n")) == {"k": text}
    item = CommentedMap()
    item["k"] = text
    assert dump_rt(item, Style()) == f"k: {plain}\n"


def test_the_cache_entry_is_made_after_the_file_is_written(plans_repo):
    """A staged change writes at the end: the entry it caches must carry the new file's stat
    signature, or a later read could trust the entry for the old file."""
    import os as _os

    from gktrack.storage import plancache

    gk = plans_repo
    gk.ok("close", "hl2022/1")
    entry = plancache._cache(Repository(gk.root)).index["plans/hl2022.yaml"]
    assert entry[:4] == plancache._signature(_os.stat(gk.root / "plans/hl2022.yaml"))
