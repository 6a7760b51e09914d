"""`gktrack edit TASK`: the task's block in $EDITOR (a small script here), checked, committed alone."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import assert_hunks_inside_task, task_block

EDITOR = """\
import os, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
open(os.environ["GK_SEEN"], "w", encoding="utf-8").write(text)
for pair in os.environ.get("GK_REPLACE", "").split("||"):
    if pair:
        old, new = pair.split("=>")
        text = text.replace(old.replace("\\\\n", "\\n"), new.replace("\\\\n", "\\n"))
if os.environ.get("GK_EMPTY"):
    text = ""
open(path, "w", encoding="utf-8").write(text)
"""


@pytest.fixture
def editor(tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    seen = tmp_path / "seen.yaml"
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("GK_SEEN", str(seen))

    def use(*pairs: str, empty: bool = False) -> Path:
        monkeypatch.setenv("GK_REPLACE", "||".join(pairs))
        if empty:
            monkeypatch.setenv("GK_EMPTY", "1")
        else:
            monkeypatch.delenv("GK_EMPTY", raising=False)
        return seen

    return use


def test_edit_changes_only_that_task(plans_repo, editor):
    seen = editor("deadline: '2022-09-30'=>deadline: 10月底前", "number: '3.'=>number: '3.'\\n    note: 改为十月")
    before = plans_repo.count()
    said = plans_repo.ok("edit", "hl2022/3")
    assert "已提交对任务 hl2022/3 的修改" in said
    # the editor was given exactly the task's lines (after two comment lines)
    text = plans_repo.git("show", "HEAD~1:plans/hl2022.yaml")
    first, last = task_block(text, 3)
    block = "\n".join(text.splitlines()[first - 1:last]).rstrip("\n")
    shown = seen.read_text(encoding="utf-8")
    assert shown.splitlines()[0].startswith("# gktrack:")
    assert "\n".join(line for line in shown.splitlines() if not line.startswith("# gktrack:")).strip("\n") == block.strip("\n")
    assert plans_repo.count() == before + 1
    info = plans_repo.commit_info()
    assert info.files == ["plans/hl2022.yaml"]
    assert info.trailers["Gktrack-Action"] == "edit" and info.trailers["Gktrack-Task"] == "hl2022/3"
    assert_hunks_inside_task(plans_repo, "plans/hl2022.yaml", 3)
    task = plans_repo.json("show", "hl2022/3", "--json")
    assert task["deadline"] == "10月底前" and task["note"] == "改为十月"
    assert task["history"][0]["action"] == "edit"


def test_invalid_edit_is_kept_and_can_be_resumed(plans_repo, editor):
    editor("state: open=>state: finished")
    err = plans_repo.fail("edit", "hl2022/3")
    assert "“state”应为 open 或 done" in err
    match = re.search(r"(/\S+?\.yaml):(\d+)", err)
    assert match, err
    kept, line = Path(match.group(1)), int(match.group(2))
    assert kept.is_file() and ".git" in kept.parts
    assert "state: finished" in kept.read_text(encoding="utf-8")
    assert f"gktrack edit hl2022/3 --from {kept}" in err
    # the place given is the wrong value's line in the kept text
    assert kept.read_text(encoding="utf-8").splitlines()[line - 1].lstrip() == "state: finished"
    editor("state: finished=>state: done\\n    closed: 2022-09-20")
    said = plans_repo.ok("edit", "hl2022/3", "--from", kept)
    assert "已提交" in said
    task = plans_repo.json("show", "hl2022/3", "--json")
    assert task["state"] == "done" and task["closed"] == "2022-09-20"


def test_yaml_error_points_into_the_edited_text(plans_repo, editor):
    editor("deadline: '2022-09-30'=>deadline: ['2022-09-30'")
    err = plans_repo.fail("edit", "hl2022/3")
    assert "YAML 语法错误" in err and "recovery" in err


def test_refusals_and_no_ops(plans_repo, editor):
    editor("- id: 3=>- id: 30")
    assert "任务编号(id: 3)不能修改" in plans_repo.fail("edit", "hl2022/3")
    editor("- id: 3=>- id: 4")  # another task's id: the change is the problem, not a duplicate
    err = plans_repo.fail("edit", "hl2022/3")
    assert "任务编号(id: 3)不能修改" in err and "重复" not in err
    editor("state: open=>state: open\\n\\n  - id: 31\\n    text: 多出来的任务")
    assert "不能增加或删除任务" in plans_repo.fail("edit", "hl2022/3")
    before = plans_repo.snapshot()
    editor()
    assert "未作修改" in plans_repo.ok("edit", "hl2022/3")
    editor(empty=True)
    assert "放弃" in plans_repo.ok("edit", "hl2022/3")
    assert plans_repo.snapshot() == before
    assert "没有任务 99" in plans_repo.fail("edit", "hl2022/99")


def test_missing_editor(plans_repo, monkeypatch):
    monkeypatch.setenv("EDITOR", "gktrack-no-such-editor")
    monkeypatch.delenv("VISUAL", raising=False)
    assert "找不到编辑器" in plans_repo.fail("edit", "hl2022/1")


def test_edit_refuses_what_validate_and_the_server_refuse(plans_repo, editor):
    # A misspelt unit passed the plan's syntax check and was committed; the server then refused
    # that commit on every later push, and a fix committed on top could not undo it.
    editor("responsible: [司法所]=>responsible: [司法局]")
    err = plans_repo.fail("edit", "hl2022/1")
    assert "“司法局”不在单位名册中" in err and "司法所" in err
    assert "recovery" in err
    match = re.search(r"--from (\S+\.yaml)", err)
    assert match and "[司法局]" in Path(match.group(1)).read_text(encoding="utf-8")


def test_recovery_hint_can_be_pasted_when_the_path_has_spaces(gk_env, _template, tmp_path, monkeypatch, editor):
    from tests.conftest import copy_repo
    from tests.conftest import Gk

    root = copy_repo(_template, tmp_path / "政务 公开")
    monkeypatch.chdir(root)
    repo = Gk(root)
    editor("state: open=>state: finished")
    err = repo.fail("edit", "hl2022/3")
    match = re.search(r"--from (\"[^\"]+\"|'[^']+')", err)
    assert match, err
    kept = Path(match.group(1)[1:-1])
    assert kept.is_file() and " " in str(kept)
    # two failed tries within the same second keep both texts
    editor("state: open=>state: finished2")
    again = repo.fail("edit", "hl2022/3")
    second = Path(re.search(r"--from (\"[^\"]+\"|'[^']+')", again).group(1)[1:-1])
    assert second != kept
    assert "finished2" in second.read_text(encoding="utf-8")
    assert "state: finished\n" in kept.read_text(encoding="utf-8")


def test_edit_keeps_a_crlf_plan_file_crlf(plans_repo, tmp_path, monkeypatch):
    # a plan file an editor on Windows saved with CRLF line ends (.gitattributes stores it LF)
    path = plans_repo.root / "plans" / "hl2022.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    seen = tmp_path / "seen.bin"
    script = tmp_path / "bytes_editor.py"  # reads and writes bytes, as an editor keeping line ends does
    script.write_text(
        "import sys\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        f"open({str(seen)!r}, 'wb').write(data)\n"
        "open(sys.argv[1], 'wb').write(data.replace(\"deadline: '2022-09-30'\".encode(), 'deadline: 10月底前'.encode()))\n",
        encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    plans_repo.ok("edit", "hl2022/3")
    assert b"\r" not in seen.read_bytes()  # the editor is given one kind of line end, not a mix
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") and "deadline: 10月底前".encode() in data  # no mixed line ends
    assert plans_repo.git("show", "--numstat", "--format=", "HEAD").split("\t")[:2] == ["1", "1"]


def test_edit_says_when_a_deadline_it_saved_cannot_be_read(plans_repo, editor):
    editor("deadline: '2022-09-30'=>deadline: 等上级通知")
    result = plans_repo("--repo", str(plans_repo.root), "edit", "hl2022/3")
    assert result.code == 0, result.err
    assert "已提交对任务 hl2022/3 的修改" in result.out
    assert "提示:期限“等上级通知”无法识别,不会判断是否逾期" in result.err  # as validate and add --due say
