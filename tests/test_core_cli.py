"""The core commands through the real CLI on real git repositories.

init; one commit per change with exactly its files, a Chinese summary and the Gktrack-*
trailers; --by; clean Chinese errors that change nothing; finding the repository; the installed
entry point. See conftest.py for the fixtures (gk, plans_repo).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import IDENTITY, Gk, run_main, run_script
from gktrack.storage.registry import INITIAL_TEXT

ME = f"{IDENTITY[0]} <{IDENTITY[1]}>"


# --- init -------------------------------------------------------------------------------------


def test_init_creates_plans_units_and_one_commit(gk):
    out = gk.ok("init")
    assert "已在" in out and "建立 gktrack 计划仓库" in out
    assert (gk.root / "plans").is_dir()
    assert gk.read("units.yaml") == INITIAL_TEXT.encode("utf-8")
    assert gk.count() == 1
    info = gk.commit_info()
    assert info.summary == "初始化 gktrack 计划仓库"
    assert info.trailers == {"Gktrack-Action": "init"}
    # everything init made is in that commit (.gitattributes for the merge driver, if any)
    assert {"plans/.gitkeep", "units.yaml"} <= set(info.files)
    assert sorted(info.files) == sorted(gk.git("ls-files").split())
    assert gk.git("symbolic-ref", "--short", "HEAD").strip() == "main"
    assert gk.status() == ""


def test_second_init_changes_nothing_and_says_so(gk):
    gk.ok("init")
    before = gk.snapshot()
    out = gk.ok("init")
    assert "已是 gktrack 计划仓库" in out and "未做任何修改" in out
    assert gk.snapshot() == before
    assert gk.count() == 1
    # also when pointed at it from elsewhere
    assert "未做任何修改" in gk.ok("init", str(gk.root))
    assert gk.count() == 1


def test_init_given_a_path_creates_it(gk, tmp_path):
    target = tmp_path / "新仓库" / "深层"
    gk.ok("init", str(target))
    other = Gk(target)
    assert other.count() == 1
    assert (target / "units.yaml").is_file() and (target / "plans" / ".gitkeep").is_file()


def test_init_in_an_existing_git_repository_commits_only_its_own_files(gk):
    gk.git("init", "-q")
    gk.write("README.md", "说明\n")
    gk.hand_commit("说明文件", "README.md")
    gk.write("scratch.txt", "未提交的草稿\n")
    gk.ok("init")
    assert gk.count() == 2
    files = set(gk.commit_info().files)
    assert {"plans/.gitkeep", "units.yaml"} <= files <= {"plans/.gitkeep", "units.yaml", ".gitattributes",
                                                  ".gktrack/plan.schema.json", ".gktrack/units.schema.json",
                                                  ".vscode/settings.json"}
    assert gk.status() == "?? scratch.txt\n"


# --- one commit per change --------------------------------------------------------------------

# (argv, summary prefix, files, trailers)
CHANGES = [
    pytest.param(
        ["new-plan", "xc2024", "--year", "2024", "--title", "新城区2024年政务公开工作要点", "--issued", "2024年3月5日"],
        "新建计划 xc2024:新城区2024年政务公开工作要点", ["plans/xc2024.yaml"],
        {"Gktrack-Action": "new-plan", "Gktrack-Plan": "xc2024"}, id="new-plan"),
    pytest.param(
        ["add-section", "hl2022", "推进决策公开", "--number", "(一)", "--parent", "2"],
        "新增章节 hl2022 2.1:推进决策公开", ["plans/hl2022.yaml"],
        {"Gktrack-Action": "add-section", "Gktrack-Plan": "hl2022"}, id="add-section"),
    pytest.param(
        ["add", "hl2022", "做好政策解读", "--lead", "司法所", "--support", "综合办", "--due", "10月底前"],
        "新增 hl2022/7:做好政策解读", ["plans/hl2022.yaml"],
        {"Gktrack-Action": "add", "Gktrack-Task": "hl2022/7", "Gktrack-Unit": "司法所,党政综合办"}, id="add"),
    pytest.param(
        ["add", "qz2024", "新单位承担的任务", "--unit", "市档案馆", "--new-unit"],
        "新增 qz2024/3:新单位承担的任务", ["plans/qz2024.yaml", "units.yaml"],
        {"Gktrack-Action": "add", "Gktrack-Task": "qz2024/3", "Gktrack-Unit": "市档案馆"}, id="add-new-unit"),
    pytest.param(
        ["assign", "hl2022/2", "--lead", "司法所"],
        "分派 hl2022/2:司法所牵头", ["plans/hl2022.yaml"],
        {"Gktrack-Action": "assign", "Gktrack-Task": "hl2022/2", "Gktrack-Unit": "司法所"}, id="assign"),
    pytest.param(
        ["unassign", "hl2022/3", "党政综合办"],
        "取消分派 hl2022/3:党政综合办", ["plans/hl2022.yaml"],
        {"Gktrack-Action": "unassign", "Gktrack-Task": "hl2022/3", "Gktrack-Unit": "党政综合办"}, id="unassign"),
    pytest.param(
        ["progress", "hl2022/1", "已在政府网站发布规范性文件正式版本", "--unit", "司法所", "--date", "2024-06-28"],
        "进展 hl2022/1:已在政府网站发布规范性文件正式版本", ["plans/hl2022.yaml"],
        {"Gktrack-Action": "progress", "Gktrack-Task": "hl2022/1", "Gktrack-Unit": "司法所",
         "Gktrack-Date": "2024-06-28"}, id="progress"),
    pytest.param(
        ["close", "hl2022/3", "-m", "已完成分类展示", "-e", "https://www.example.gov.cn/gk/1.html"],
        "关闭 hl2022/3:完善规范性文件、其他文件的分类展示", ["plans/hl2022.yaml"],
        {"Gktrack-Action": "close", "Gktrack-Task": "hl2022/3", "Gktrack-Date": "2024-07-01"}, id="close"),
]


@pytest.mark.parametrize("argv, summary, files, trailers", CHANGES)
def test_each_change_is_one_commit_of_exactly_its_files(plans_repo, argv, summary, files, trailers):
    gk = plans_repo
    gk.write("notes.txt", "与计划无关的草稿\n")  # untracked: must never be swept in
    before = gk.count()
    out = gk.ok(*argv)
    assert out.strip()
    assert gk.count() == before + 1
    info = gk.commit_info()
    assert info.summary == summary
    assert info.trailers == trailers
    assert sorted(info.files) == sorted(files)
    assert info.author == ME and info.committer == ME
    assert gk.status() == "?? notes.txt\n"


def test_add_prints_the_new_task_id(plans_repo):
    assert plans_repo.ok("add", "hl2022", "新任务", "--unit", "司法所").strip() == "hl2022/7"
    assert plans_repo.ok("add", "hl2022", "再一项").strip() == "hl2022/8"


def test_reopen_undo_and_commit_edits_are_one_commit_each(plans_repo):
    gk = plans_repo
    gk.ok("close", "hl2022/1")
    n = gk.count()

    gk.ok("reopen", "hl2022/1", "-m", "网站链接失效")
    info = gk.commit_info()
    assert info.summary.startswith("重新打开 hl2022/1:")
    assert info.trailers == {"Gktrack-Action": "reopen", "Gktrack-Task": "hl2022/1", "Gktrack-Date": "2024-07-01"}
    assert info.files == ["plans/hl2022.yaml"] and gk.count() == n + 1

    reopened = gk.head()
    gk.ok("undo")
    info = gk.commit_info()
    assert info.summary.startswith("撤销:重新打开 hl2022/1:")
    assert info.trailers == {"Gktrack-Action": "undo", "Gktrack-Reverts": reopened, "Gktrack-Task": "hl2022/1"}
    assert info.files == ["plans/hl2022.yaml"] and gk.count() == n + 2
    # a unit's change: its undo names the unit too, and the audit log shows it
    gk.ok("close", "hl2022/3", "--unit", "司法所")
    closed = gk.head()
    gk.ok("undo")
    assert gk.commit_info().trailers == {"Gktrack-Action": "undo", "Gktrack-Reverts": closed,
                                         "Gktrack-Task": "hl2022/3", "Gktrack-Unit": "司法所"}
    assert gk.json("log", "-n", "1", "--json")[0]["unit"] == "司法所"
    n += 2

    text = gk.text("plans/qz2024.yaml").replace("办公室牵头做好年报", "办公室牵头做好2023年度报告")
    gk.write("plans/qz2024.yaml", text)
    out = gk.ok("commit-edits", "-m", "改正任务名称")
    assert "plans/qz2024.yaml" in out
    info = gk.commit_info()
    assert info.summary == "手工修改 plans/qz2024.yaml:改正任务名称"
    assert info.trailers == {"Gktrack-Action": "edit"}
    assert info.files == ["plans/qz2024.yaml"] and gk.count() == n + 3
    assert gk.status() == ""


def test_by_sets_the_author_and_keeps_the_committer(plans_repo):
    gk = plans_repo
    gk.ok("progress", "hl2022/1", "已发布", "--by", "张三 <zs@example.cn>")
    info = gk.commit_info()
    assert info.author == "张三 <zs@example.cn>"
    assert info.committer == ME
    task = gk.json("show", "hl2022/1", "--json")
    assert task["progress"] == [{"date": "2024-07-01", "unit": None, "by": "张三", "note": "已发布"}]
    assert task["history"][0]["author"] == "张三" and task["history"][0]["email"] == "zs@example.cn"


def test_progress_records_the_pinned_today(plans_repo):
    plans_repo.ok("progress", "qz2024/1", "已配合提供文书")
    assert plans_repo.commit_info().trailers["Gktrack-Date"] == "2024-07-01"
    assert "      - date: 2024-07-01\n        by: 测试员\n        note: 已配合提供文书\n" in plans_repo.text("plans/qz2024.yaml")


def test_close_writes_state_closed_note_and_evidence(plans_repo):
    gk = plans_repo
    gk.ok("close", "hl2022/3", "-m", "已完成", "-e", "https://a.example.cn/1", "-e", "https://a.example.cn/2",
          "--date", "2024-06-30")
    block = gk.text("plans/hl2022.yaml").split("  - id: 3\n")[1].split("\n\n")[0]
    assert block.endswith(
        "    state: done\n    closed: 2024-06-30\n    note: 已完成\n"
        "    evidence: [https://a.example.cn/1, https://a.example.cn/2]")
    assert gk.fail("close", "hl2022/3").endswith("已于 2024-06-30 关闭;如需重新打开请用 gktrack reopen")


# --- errors -------------------------------------------------------------------------------------

# (argv, exit code, words the one stderr line must contain)
ERRORS = [
    pytest.param(["close", "hl2022/99"], 1, ["计划 hl2022 中没有任务 99", "1–6"], id="unknown-task"),
    pytest.param(["progress", "hl2022/99", "x"], 1, ["没有任务 99"], id="unknown-task-progress"),
    pytest.param(["show", "hl2022/0"], 2, ["应写成 计划/序号"], id="task-zero"),
    pytest.param(["close", "hl2021/1"], 1, ["没有计划“hl2021”", "是否指:hl2022"], id="unknown-plan"),
    pytest.param(["status", "--plan", "hl2O22"], 1, ["没有计划“hl2O22”", "hl2022"], id="unknown-plan-status"),
    pytest.param(["add", "hl2021", "任务"], 1, ["没有计划“hl2021”"], id="unknown-plan-add"),
    pytest.param(["assign", "hl2022/1", "--lead", "司法局"], 1, ["没有“司法局”", "是否指:司法所", "--new-unit"],
                 id="unknown-unit-assign"),
    pytest.param(["add", "hl2022", "任务", "--unit", "司法局"], 1, ["没有“司法局”", "司法所"], id="unknown-unit-add"),
    pytest.param(["status", "--unit", "司法局"], 1, ["没有“司法局”", "司法所"], id="unknown-unit-status"),
    pytest.param(["progress", "hl2022/1", "x", "--unit", "司法局"], 1, ["司法所"], id="unknown-unit-progress"),
    pytest.param(["unassign", "hl2022/1", "党政综合办"], 1, ["没有分派给“党政综合办”", "司法所"], id="unassign-absent"),
    pytest.param(["progress", "hl2022/1", "x", "--date", "2024-13-45"], 2, ["无法识别的日期“2024-13-45”"], id="bad-date"),
    pytest.param(["close", "hl2022/1", "--date", "明天吧"], 2, ["无法识别的日期"], id="bad-date-words"),
    pytest.param(["progress", "hl2022/1", "x", "--date", "2024-07-02"], 2, ["晚于今天"], id="future-date"),
    pytest.param(["new-plan", "p", "--year", "2024", "--title", "t", "--issued", "2024-02-30"], 2, ["无法识别的印发日期"],
                 id="bad-issued"),
    pytest.param(["status", "--as-of", "2024-13-45"], 2, ["无法识别"], id="bad-as-of"),
    pytest.param(["new-plan", "../evil", "--year", "2024", "--title", "t"], 2, ["计划编号“../evil”不可用"], id="plan-id-dotdot"),
    pytest.param(["new-plan", "--year", "2024", "--title", "t", "--", "-x"], 2, ["计划编号“-x”不可用"], id="plan-id-dash"),
    pytest.param(["new-plan", "a/b", "--year", "2024", "--title", "t"], 2, ["不可用"], id="plan-id-slash"),
    pytest.param(["new-plan", "计划", "--year", "2024", "--title", "t"], 2, ["不可用"], id="plan-id-han"),
    pytest.param(["new-plan", "-x", "--year", "2024", "--title", "t"], 2, ["没有选项 -x"], id="plan-id-option"),
    pytest.param(["new-plan", "hl2022", "--year", "2022", "--title", "t"], 2, ["计划 hl2022 已存在"], id="plan-exists"),
    pytest.param(["new-plan", "p", "--year", "2024", "--title", "  "], 2, ["计划标题不能为空"], id="empty-title"),
    pytest.param(["close", "../evil/1"], 2, ["应写成 计划/序号"], id="task-ref-dotdot"),
    pytest.param(["close", "hl2022"], 2, ["应写成 计划/序号"], id="task-ref-no-number"),
    pytest.param(["add", "hl2022", ""], 2, ["任务内容不能为空"], id="empty-text"),
    pytest.param(["add", "hl2022", " \n\t "], 2, ["任务内容不能为空"], id="blank-text"),
    pytest.param(["add", "hl2022", "4"], 2, ["任务内容“4”只是一个数字", "不是任务"], id="number-text"),
    pytest.param(["add", "hl2022", "——"], 2, ["只有标点或竖线"], id="dash-text"),
    pytest.param(["progress", "hl2022/1", ""], 2, ["进展内容不能为空"], id="empty-progress"),
    pytest.param(["progress", "hl2022/1", "   "], 2, ["进展内容不能为空"], id="blank-progress"),
    pytest.param(["assign", "hl2022/1"], 2, ["请用 --lead、--support 或 --unit 指定单位"], id="assign-nothing"),
    pytest.param(["add", "hl2022", "任务", "--section", "九"], 1, ["没有章节“九”"], id="unknown-section"),
    pytest.param(["reopen", "hl2022/1"], 2, ["尚未关闭"], id="reopen-open"),
    pytest.param(["status", "--state", "closed"], 2, ["--state 应为 open、done 或 all"], id="bad-state"),
    pytest.param(["status", "--year", "二〇二二"], 2, ["--year"], id="bad-year"),
    pytest.param(["closee", "hl2022/1"], 2, ["没有命令“closee”"], id="unknown-command"),
    pytest.param(["commit-edits"], 2, ["没有需要提交的手工修改"], id="nothing-to-commit"),
    pytest.param(["undo"], 2, ["不能再撤销"], id="undo-an-undo"),
]


@pytest.mark.parametrize("argv, code, words", ERRORS)
def test_errors_are_one_chinese_line_and_change_nothing(plans_repo, argv, code, words):
    if argv == ["undo"]:
        plans_repo.ok("close", "hl2022/1")
        plans_repo.ok("undo")
    line = plans_repo.fail(*argv, code=code)
    for word in words:
        assert word in line
    assert not (plans_repo.root.parent / "evil.yaml").exists()
    assert not (plans_repo.root / "evil.yaml").exists()


MALFORMED = [
    # (file text, where the error must point)
    pytest.param("schema: 1\nid: bad\nyear: 2024\ntitle: t\nyear: 2025\ntasks: []\n", "plans/bad.yaml:5",
                 id="duplicate-key"),
    pytest.param("schema: 1\nid: bad\nyear: 2024\ntitle: t\ntasks:\n  - id: 1\n    text: [未闭合\n    state: open\n",
                 "plans/bad.yaml:7", id="unclosed-bracket"),
    pytest.param("schema: 1\nid: bad\nyear: 2024\ntitle: t\ntasks:\n  - id: 1\n\ttext: 制表符\n", "plans/bad.yaml:7",
                 id="tab"),
    pytest.param("schema: 1\nid: bad\nyear: 2024\ntitle: t\ntasks:\n  - id: 1\n    text: t\n    state: 进行中\n",
                 "plans/bad.yaml:8", id="bad-state"),  # the value's own line
    pytest.param("schema: 1\nid: bad\nyear: 2024\ntitle: t\ntasks:\n  - id: 1\n    text: t\n"
                 "    progress:\n      - date: 2024-02-30\n        note: x\n", "plans/bad.yaml:9", id="bad-date"),
    pytest.param("schema: 1\nid: bad\nyear: 2024\ntitle: t\ntasks:\n  - id: 1\n    text: t\n  - id: 1\n    text: u\n",
                 "plans/bad.yaml:8", id="duplicate-id"),
    pytest.param("schema: 1\nid: bad\nyear: 2024\ntitle: t\ntasks:\n<<<<<<< HEAD\n  - id: 1\n", "plans/bad.yaml:6",
                 id="conflict-markers"),
]


@pytest.mark.parametrize("text, where", MALFORMED)
def test_malformed_plan_file_is_named_with_its_line(plans_repo, text, where):
    gk = plans_repo
    gk.write("plans/bad.yaml", text)
    gk.hand_commit("坏文件", "plans/bad.yaml")
    for argv in (["close", "bad/1"], ["show", "bad/1"], ["status", "--plan", "bad"], ["add", "bad", "任务"]):
        line = gk.fail(*argv)
        assert f"{where}:" in line or line.split("错误:")[1].startswith(f"{where}: "), (argv, line)
    # the other plans still read; the broken one is reported on stderr
    result = gk("status", "--json")
    assert result.code == 0
    assert {t["plan"] for t in json.loads(result.out)} == {"hl2022", "qz2024"}
    assert "plans/bad.yaml:" in result.err and "Traceback" not in result.err


def test_broken_units_registry_is_named_with_its_line(plans_repo):
    gk = plans_repo
    gk.write("units.yaml", gk.text("units.yaml").replace("  - name: 横东村\n", "  - name: 横东村\n  - name: 司法所\n"))
    gk.hand_commit("重复单位", "units.yaml")
    line = gk.fail("status", "--unit", "司法所")
    assert "units.yaml:" in line and "重复" in line


def test_not_inside_a_plans_repository(gk, tmp_path):
    line = gk.fail("status")
    assert "不在 gktrack 计划仓库中" in line and "gktrack init" in line
    line = gk.fail("close", "hl2022/1")
    assert "不在 gktrack 计划仓库中" in line
    line = gk.fail("--repo", str(tmp_path / "没有这个文件夹"), "status")
    assert "不是 gktrack 计划仓库" in line


def test_no_git_identity(plans_repo, monkeypatch):
    gk = plans_repo
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    # HOME is already an empty folder; stop git from guessing user@host.domain as well
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.useConfigOnly")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")
    for argv in (["progress", "hl2022/1", "已发布"], ["close", "hl2022/1"], ["new-plan", "p", "--year", "2024", "--title", "t"]):
        line = gk.fail(*argv)
        assert "未设置 git 身份" in line and "git config user.name" in line and "--by" in line
    # --by is enough on its own: it names the author and the committer
    gk.ok("progress", "hl2022/1", "已发布", "--by", "张三 <zs@example.cn>")
    info = gk.commit_info()
    assert info.author == "张三 <zs@example.cn>" and info.committer == "张三 <zs@example.cn>"


def test_init_without_a_git_identity_writes_nothing_and_says_to_run_it_again(gk, monkeypatch):
    """On a new computer git has no identity yet. init stops before writing any file: files left
    uncommitted would stop the next command as hand edits of units.yaml, and a new-plan run
    instead would make the first commit without .gitattributes (no task-by-task merging)."""
    identities = {name: os.environ[name] for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
                                                      "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")}
    for name in (*identities, "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.useConfigOnly")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")
    result = run_main(["init"])
    line = result.err.strip()
    assert result.code != 0 and len(line.splitlines()) == 1 and "Traceback" not in result.err
    assert "未设置 git 身份,尚未写入任何文件" in line and "git config user.name" in line
    assert "重新运行 gktrack init" in line and "--by" not in line
    assert sorted(p.name for p in gk.root.iterdir()) == [".git"]
    assert "gktrack init" in gk.fail("new-plan", "p", "--year", "2024", "--title", "t")
    for name, value in identities.items():
        monkeypatch.setenv(name, value)
    gk.ok("init")
    assert {".gitattributes", "units.yaml", "plans/.gitkeep"} <= set(gk.commit_info().files)
    assert gk.count() == 1 and gk.status() == ""


def test_dirty_units_registry_blocks_registering_a_new_unit(plans_repo):
    gk = plans_repo
    gk.write("units.yaml", gk.text("units.yaml") + "# 手工加的注释\n")
    line = gk.fail("add", "hl2022", "任务", "--unit", "新单位", "--new-unit")
    assert "units.yaml 有未提交的手工修改" in line and "commit-edits" in line


# --- finding the repository ---------------------------------------------------------------------


def test_repo_option_and_environment_from_elsewhere(plans_repo, tmp_path, monkeypatch):
    gk = plans_repo
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert gk("status").code == 1
    ids = [t["id"] for t in gk.json("--repo", str(gk.root), "status", "--plan", "qz2024", "--json")]
    assert ids == ["qz2024/1", "qz2024/2"]
    assert gk.json("-C", str(gk.root), "show", "qz2024/2", "--json")["id"] == "qz2024/2"
    gk.ok("--repo", str(gk.root), "progress", "qz2024/2", "经 --repo 记录")
    assert gk.commit_info().summary == "进展 qz2024/2:经 --repo 记录"

    monkeypatch.setenv("GKTRACK_REPO", str(gk.root))
    assert gk.json("show", "qz2024/1", "--json")["id"] == "qz2024/1"
    gk.ok("progress", "qz2024/1", "经 GKTRACK_REPO 记录")
    assert gk.commit_info().summary == "进展 qz2024/1:经 GKTRACK_REPO 记录"
    assert not any(elsewhere.iterdir())
    # --repo wins over the environment
    monkeypatch.setenv("GKTRACK_REPO", str(elsewhere))
    assert gk.json("--repo", str(gk.root), "show", "qz2024/1", "--json")["id"] == "qz2024/1"
    assert "不是 gktrack 计划仓库" in gk.fail("status")


def test_subfolder_finds_the_repository_upward(plans_repo, monkeypatch):
    gk = plans_repo
    deep = gk.root / "资料" / "2024" / "附件"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert gk.json("show", "hl2022/1", "--json")["id"] == "hl2022/1"
    gk.ok("close", "hl2022/1", "-m", "在子文件夹中关闭")
    assert gk.commit_info().files == ["plans/hl2022.yaml"]
    monkeypatch.chdir(gk.root / "plans")
    gk.ok("progress", "hl2022/2", "在 plans/ 中记录")
    assert gk.commit_info().summary == "进展 hl2022/2:在 plans/ 中记录"


def test_commit_edits_takes_paths_relative_to_cwd(plans_repo, monkeypatch):
    gk = plans_repo
    gk.write("plans/qz2024.yaml", gk.text("plans/qz2024.yaml").replace("年报", "年度报告"))
    gk.write("plans/hl2022.yaml", gk.text("plans/hl2022.yaml").replace("镇内部的公开工作", "镇内部公开"))
    monkeypatch.chdir(gk.root / "plans")
    gk.ok("commit-edits", "qz2024.yaml")
    assert gk.commit_info().files == ["plans/qz2024.yaml"]
    assert gk.status() == " M plans/hl2022.yaml\n"


def test_a_call_builds_only_its_command_and_parses_as_the_whole_app(plans_repo, monkeypatch):
    """The app given to Typer holds only the named command; help, options around it and
    mistakes read as they do with every command present."""
    from gktrack.cli.app import _app_for, app

    gk = plans_repo
    for argv in (["status"], ["--repo", "x", "status"], ["-C", "x", "status"], ["--repo=x", "status"]):
        assert [c.name for c in _app_for(argv).registered_commands] == ["status"]
    assert [g.name for g in _app_for(["hook", "install"]).registered_groups] == ["hook"]
    assert _app_for(["hook", "install"]).registered_commands == []
    for argv in ([], ["--help"], ["--help", "status"], ["--version"], ["statsu"], ["-X", "status"]):
        assert _app_for(argv) is app
    monkeypatch.setenv("_GKTRACK_COMPLETE", "complete_bash")
    assert _app_for(["status"]) is app
    monkeypatch.delenv("_GKTRACK_COMPLETE")
    assert len(app.registered_commands) > 20  # the narrowed copies never touch the app itself

    help_text = gk("--help").out
    assert all(name in help_text for name in ("status", "overdue", "close", "report", "hook"))
    assert "--unit" in gk("status", "--help").out
    assert "是否指:status" in gk.fail("statsu")
    assert "没有选项 --bogus" in gk.fail("-C", str(gk.root), "status", "--bogus")
    assert gk("--repo=" + str(gk.root), "status", "--plan", "qz2024", "--json").json[0]["id"] == "qz2024/1"


# --- the real entry point -----------------------------------------------------------------------


def test_python_m_gktrack_help_is_chinese(tmp_path):
    proc = run_script(["--help"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "用法: gktrack" in proc.stdout
    for word in ("命令", "选项", "显示本帮助并退出", "status", "close", "commit-edits"):
        assert word in proc.stdout
    proc = run_script(["close", "--help"], cwd=tmp_path)
    assert proc.returncode == 0 and "关闭(办结)任务" in proc.stdout and "--evidence" in proc.stdout
    proc = run_script(["--version"], cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("gktrack ")


def test_console_entry_point_reads_changes_and_fails_cleanly(plans_repo):
    gk = plans_repo
    proc = run_script(["status", "--unit", "司法所", "--json"], cwd=gk.root)
    assert proc.returncode == 0, proc.stderr
    assert [t["id"] for t in json.loads(proc.stdout)] == ["hl2022/1", "hl2022/2", "hl2022/3", "qz2024/1"]

    proc = run_script(["close", "hl2022/1", "-m", "子进程关闭"], cwd=gk.root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("关闭 hl2022/1:")
    assert gk.commit_info().trailers["Gktrack-Action"] == "close"

    proc = run_script(["close", "hl2022/99"], cwd=gk.root)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == "gktrack: 错误:计划 hl2022 中没有任务 99(现有编号 1–6)\n"

    script = Path(sys.executable).with_name("gktrack")
    if script.exists():  # the console script itself, as installed in the virtualenv
        import subprocess

        proc = subprocess.run([str(script), "show", "hl2022/1", "--json"], cwd=gk.root, capture_output=True,
                              text=True, encoding="utf-8")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["state"] == "done"


def test_usage_errors_are_chinese(plans_repo):
    line = plans_repo.fail("close", "hl2022/1", "--bogus")
    assert "没有选项 --bogus" in line and "gktrack close --help" in line
    line = plans_repo.fail("progress", "hl2022/1")
    assert "缺少参数" in line
    line = plans_repo.fail("overdue", "--within", "七")
    assert "--within/-w 的值无效(应为整数)" in line
    assert run_main(["--help"]).code == 0


def test_texts_that_yaml_1_1_reads_as_other_types_stay_text(plans_repo):
    """The writer (ruamel, YAML 1.2) and the reader (PyYAML, YAML 1.1) must agree: ``yes`` is not
    true and ``1:30`` is not 90."""
    gk = plans_repo
    texts = ["yes", "1:30", "Off"]
    new_ids = [gk.ok("add", "qz2024", text).strip() for text in texts]
    gk.ok("progress", new_ids[0], "No")
    gk.ok("add", "qz2024", "普通任务", "--unit", "on", "--new-unit")
    rows = {r["id"]: r for r in gk.json("status", "--plan", "qz2024", "--json")}
    assert [rows[i]["text"] for i in new_ids] == texts
    assert rows[new_ids[0]]["progress"][0]["note"] == "No"
    assert rows["qz2024/6"]["units"] == [{"name": "on", "role": "responsible"}]
    assert "    text: '1:30'\n" in gk.text("plans/qz2024.yaml")
    assert "  - name: 'on'\n" in gk.text("units.yaml")


def test_an_unknown_task_names_the_ids_there_are_with_their_gaps(plans_repo):
    # a task deleted by hand leaves a gap: "1–6" would send the reader to a task that is not there
    text = plans_repo.text("plans/hl2022.yaml")
    start = text.index("\n  - id: 3\n")
    end = text.index("\n  - id: 4\n")
    plans_repo.write("plans/hl2022.yaml", text[:start] + text[end:])
    plans_repo.ok("commit-edits", "plans/hl2022.yaml", "-m", "删去第 3 项")
    assert "计划 hl2022 中没有任务 3(现有编号 1–2、4–6)" in plans_repo.fail("show", "hl2022/3")
