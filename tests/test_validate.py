"""`gktrack validate` and the read commands' handling of broken plans."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Gk, build_template, run_main
from conftest import git as conftest_git

UNITS = """schema: 1
units:
  - name: 司法所
  - name: 党政综合办
    aliases: [党政办]
  - name: 区政数局
  - name: 横东村
collectives:
  - name: 各有关单位
    members: all
  - name: 各村(社区)
    members: [横东村]
people:
  - email: zhang@example.gov.cn
    name: 张三
    units: [司法所]
"""
GOOD = """# 手写的计划
schema: 1
id: good
year: 2024
title: 好的计划
sections:
  - key: '1'
    number: 一、
    title: 基础
  - key: '1.1'
    title: 平台
tasks:

  - id: 1
    section: '1.1'
    text: 更新政府信息公开指南
    lead: [司法所]
    support: [党政办]
    deadline: 6月底前
    state: open

  - id: 2
    section: '1'
    text: 按季度发布工作动态
    responsible: [各有关单位]
    deadline: [每季度, '2024-12-31']
    state: done
    closed: 2024-04-01
    progress:
      - date: 2024-03-01
        unit: 司法所
        by: 张三
        note: 已发布
"""


pytestmark = pytest.mark.usefixtures("gk_env")


def gk(repo: Gk, *argv: str) -> tuple[int, str, str]:
    """The real CLI in this process, in the current directory: (exit code, stdout, stderr)."""
    result = run_main(list(argv))
    assert "Traceback" not in result.err and "内部错误" not in result.err, result.err
    return result.code, result.out, result.err


def git(repo: Gk, *args: str, env: dict | None = None) -> str:
    return conftest_git(repo.root, *args, env=env)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory, "validate", {"units.yaml": UNITS, "plans/good.yaml": GOOD})


@pytest.fixture
def repo(template, tmp_path, monkeypatch) -> Gk:
    root = tmp_path / "repo"
    shutil.copytree(template, root, symlinks=True)
    monkeypatch.chdir(root)
    return Gk(root)


def write(repo: Gk, rel: str, text: str | bytes) -> Path:
    path = repo.root / rel
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --- a clean repository ------------------------------------------------------------------


def test_clean_repository_passes(repo):
    code, out, err = gk(repo, "validate")
    assert code == 0, out + err
    assert out.strip() == "已检查 2 个文件,未发现问题"
    assert err == ""


def test_library_api(repo):
    from gktrack.storage.repo import Repository
    from gktrack.features.validate import Problem, check

    write(repo, "plans/good.yaml", GOOD.replace("year: 2024", "year: 今年"))
    problems = check(Repository(repo.root))[0]
    assert problems == [Problem("plans/good.yaml:4:7", "“year”应为年份(如 2024),而不是“今年”", "error")]
    problem = problems[0]
    assert (problem.file, problem.line, problem.column) == ("plans/good.yaml", 4, 7)
    assert str(problem) == "plans/good.yaml:4:7: 错误:“year”应为年份(如 2024),而不是“今年”"
    assert check(Repository(repo.root), ["plans/good.yaml"], staged=True)[0] == []  # the index is fine


# --- every problem, each at its place ----------------------------------------------------

MANY = """schema: 1
id: many
year: 2024
title: 问题很多的计划
titel: 拼错的字段
sections:
  - key: '1'
    title: 一
  - key: '1'
    title: 又是一
tasks:

  - id: 1
    text: 做事
    responsible: [司法局, 司法所]
    deadline: 等上级通知
    state: open

  - id: 1
    text: 做事
    section: '9'
    state: finished
    number: 1.5
    conflict:
      ours: {state: done}
      theirs: {state: open}

  - id: 3
    text: 别的
    closed: 2024-13-45
    progress:
      - note: 没有日期
        unit: 不存在的单位
        foo: bar

  - id: 0
    text: 坏编号
    lead: [区政书局]
"""


def test_every_problem_is_listed_in_file_order(repo):
    write(repo, "plans/many.yaml", MANY)
    code, out, err = gk(repo, "validate")
    assert code == 1
    got = lines(out)
    expected = [
        "plans/many.yaml:5:1: 警告:计划有未知的字段“titel”,是否指“title”?(会被保留,但 gktrack 不使用它)",
        "plans/many.yaml:9:5: 错误:章节 key“1”重复(另见第 7 行)",
        "plans/many.yaml:15:19: 错误:任务 1 的单位“司法局”不在单位名册中,是否指:司法所?",
        "plans/many.yaml:16:15: 警告:任务 1 的期限“等上级通知”无法识别,不会判断是否逾期(可改写成 6月底前、2024-06-30、每季度 这样的说法)",
        "plans/many.yaml:19:9: 错误:任务编号 1 重复(另见第 13 行);新增的任务请改用未用过的编号,如 4",
        "plans/many.yaml:20:11: 警告:任务 1 与任务 1(第 13 行)内容相同,是否重复添加?",
        "plans/many.yaml:21:14: 错误:任务 1 的章节“9”不存在(现有章节:1)",
        "plans/many.yaml:22:12: 错误:任务 1 的“state”应为 open 或 done,而不是“finished”",
        "plans/many.yaml:23:13: 错误:任务 1 的“number”的值 1.5 被读成了小数,请加引号(如 '1.5')",
        "plans/many.yaml:24:5: 错误:任务 1 有未解决的合并冲突(ours、theirs):文件中是本方的值,另一方的值记在 conflict 字段中;核对改好后删除 conflict 字段",
        "plans/many.yaml:30:13: 错误:无效的日期“2024-13-45”",
        "plans/many.yaml:32:9: 错误:任务 3 的进展缺少日期",
        "plans/many.yaml:33:15: 警告:任务 3 的进展中的单位“不存在的单位”不在单位名册中;如确是新单位,请在 units.yaml 中登记",
        "plans/many.yaml:34:9: 警告:任务 3 的进展有未知的字段“foo”(会被保留,但 gktrack 不使用它)",
        "plans/many.yaml:36:9: 错误:任务的“id”应为正整数,而不是“0”",
        "plans/many.yaml:38:12: 错误:任务的单位“区政书局”不在单位名册中,是否指:区政数局?",
    ]
    assert got == expected
    assert err.strip() == "gktrack: 共 11 个错误、5 个警告(已检查 3 个文件)"

    code, out, err = gk(repo, "validate", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False and data["files"] == ["units.yaml", "plans/good.yaml", "plans/many.yaml"]
    first = data["problems"][0]
    assert first == {"where": "plans/many.yaml:5:1", "file": "plans/many.yaml", "line": 5, "column": 1,
                     "severity": "warning", "message": "计划有未知的字段“titel”,是否指“title”?(会被保留,但 gktrack 不使用它)"}
    assert len(data["problems"]) == 16


def test_warnings_alone_pass_unless_strict(repo):
    write(repo, "plans/good.yaml", GOOD.replace("deadline: 6月底前", "deadline: 等上级通知"))
    code, out, err = gk(repo, "validate")
    assert code == 0
    assert lines(out) == ["plans/good.yaml:19:15: 警告:任务 1 的期限“等上级通知”无法识别,不会判断是否逾期"
                          "(可改写成 6月底前、2024-06-30、每季度 这样的说法)"]
    assert err.strip() == "gktrack: 共 1 个警告(已检查 2 个文件)"
    assert gk(repo, "validate", "--strict")[0] == 1


def test_dates_after_today_are_warned_of(repo):
    """Written by hand (the commands refuse them): until that day the task counts as not done and
    the entry as not made, which the office should know. Today is pinned to 2024-07-01."""
    write(repo, "plans/good.yaml", GOOD.replace("closed: 2024-04-01", "closed: 2024-09-01")
          .replace("date: 2024-03-01", "date: 2024-08-01"))
    code, out, err = gk(repo, "validate")
    assert code == 0
    assert lines(out) == ["plans/good.yaml:28:13: 警告:任务 2 的完成日期 2024-09-01 晚于今天,在那天以前都按未完成判断",
                          "plans/good.yaml:30:15: 警告:任务 2 的进展日期 2024-08-01 晚于今天,在那天以前不计"]


def test_a_progress_entry_without_a_note_is_warned_of(repo):
    """``gktrack progress`` refuses an empty note; one left empty by hand (an entry copied from the
    one above, its note not yet written) still counts as progress, which the office should know."""
    for empty, column in (("note: ''", 15), ("note:", 14)):
        write(repo, "plans/good.yaml", GOOD.replace("note: 已发布", empty))
        code, out, err = gk(repo, "validate")
        assert code == 0
        assert lines(out) == [f"plans/good.yaml:33:{column}: 警告:任务 2 的一条进展(2024-03-01)没有写内容 note,"
                              "仍算作一条进展;请写明做了什么"]


def test_paths_and_folders(repo, monkeypatch):
    write(repo, "plans/bad.yaml", "schema: 1\nid: bad\nyear: 2024\n")
    code, out, _ = gk(repo, "validate", "plans/good.yaml")
    assert code == 0 and out.strip() == "已检查 1 个文件,未发现问题"
    code, out, _ = gk(repo, "validate", "plans")
    assert code == 1 and lines(out) == ["plans/bad.yaml: 错误:缺少“title”"]
    monkeypatch.chdir(repo.root / "plans")
    code, out, _ = gk(repo, "validate", "bad.yaml", "nowhere.yaml")
    assert code == 1 and lines(out) == ["plans/nowhere.yaml: 错误:文件不存在", "plans/bad.yaml: 错误:缺少“title”"]
    outside = repo.root.parent / "outside.yaml"
    outside.write_text("id: outside\n", encoding="utf-8")
    code, out, _ = gk(repo, "validate", str(outside))
    assert code == 1 and f"{outside}: 错误:" in out


def test_file_names_and_extensions(repo):
    write(repo, "plans/bad name.yaml", GOOD.replace("id: good", "id: bad-name"))
    write(repo, "plans/old.yml", GOOD)
    code, out, _ = gk(repo, "validate")
    assert code == 1
    assert lines(out) == [
        "plans/old.yml: 警告:扩展名应为 .yaml(小写),gktrack 不会读取此文件;请改名为 old.yaml",
        "plans/bad name.yaml: 错误:文件名“bad name”不是可用的计划编号(只能用字母、数字、- 和 _,且不以 - 开头)",
    ]


def test_yaml_level_problems_are_all_reported(repo):
    text = GOOD.replace("title: 好的计划\n", "title: 好的计划\ntitle: 重复\nissued: 2024-02-30\n")
    text = text.replace("    note: 已发布", "    note: 已发布\n        note: 又一次")
    text = text.replace("    state: open\n", "    state: open\n    evidence: !!python/object:os.system {}\n")
    write(repo, "plans/good.yaml", text)
    code, out, _ = gk(repo, "validate")
    assert code == 1
    assert lines(out) == [
        "plans/good.yaml:6:1: 错误:重复的键“title”(另见第 5 行)",
        "plans/good.yaml:7:9: 错误:无效的日期“2024-02-30”",
        "plans/good.yaml:23:15: 错误:不允许的 YAML 标签 !!python/object:os.system",
        "plans/good.yaml:37:9: 错误:重复的键“note”(另见第 36 行);若这是新的一项(如新的一条进展),"
        "请在它的第一行前加“- ”,与上一项对齐",
    ]


def test_tabs_and_control_characters_are_listed_per_line(repo):
    text = GOOD.replace("    text: 更新", "\ttext: 更新").replace("    state: done", "\tstate: done")
    write(repo, "plans/good.yaml", text.replace("按季度", "按\x01季度"))
    code, out, _ = gk(repo, "validate")
    assert lines(out) == [
        "plans/good.yaml:16:1: 错误:含有制表符(Tab),YAML 只能用空格缩进",
        "plans/good.yaml:24:12: 错误:含有不允许的控制字符(U+0001)",
        "plans/good.yaml:27:1: 错误:含有制表符(Tab),YAML 只能用空格缩进",
    ]


def test_not_utf8_names_line_and_column(repo):
    write(repo, "plans/good.yaml", GOOD.replace("按季度", "按季度").encode("utf-8").replace(
        "按季度".encode("utf-8"), "按季度".encode("gbk")))
    code, out, _ = gk(repo, "validate")
    assert lines(out) == ["plans/good.yaml:24:11: 错误:不是 UTF-8 编码(可能是记事本存成了“ANSI”,即 GBK):"
                          "请用“另存为”保存,编码选 UTF-8"]


def _conflicting_branches(repo: Gk) -> None:
    """Two people change the same task on two branches."""
    base = git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "other")
    write(repo, "plans/good.yaml", GOOD.replace("更新政府信息公开指南", "更新政府信息公开指南(乙)"))
    git(repo, "commit", "-q", "-am", "乙的修改")
    git(repo, "checkout", "-q", base)
    write(repo, "plans/good.yaml", GOOD.replace("更新政府信息公开指南", "更新政府信息公开指南(甲)"))
    git(repo, "commit", "-q", "-am", "甲的修改")


def test_a_folder_named_units_yaml_is_said_once_and_plans_are_still_checked(repo):
    (repo.root / "units.yaml").unlink()
    (repo.root / "units.yaml").mkdir()
    code, out, _ = gk(repo, "--repo", str(repo.root), "validate")
    assert code == 1 and lines(out)[0].startswith("units.yaml: 错误:无法读取:")
    code, out, _ = gk(repo, "--repo", str(repo.root), "validate", "plans/good.yaml")
    # the plan checked against no registry at all, without a word on units.yaml itself
    assert code == 1 and all(line.startswith("plans/good.yaml:") for line in lines(out))
    assert "不在单位名册中" in lines(out)[0]

def test_merge_conflict_markers_from_a_line_merge(repo):
    """git's own line merge (the gktrack driver switched off) leaves markers behind."""
    (repo.root / ".git" / "info").mkdir(exist_ok=True)
    (repo.root / ".git" / "info" / "attributes").write_text("plans/*.yaml merge=text\n", encoding="utf-8")
    _conflicting_branches(repo)
    subprocess.run(["git", "-C", str(repo.root), "merge", "-q", "other"], capture_output=True)
    assert "<<<<<<<" in repo.text("plans/good.yaml")
    code, out, _ = gk(repo, "validate")
    assert code == 1
    assert lines(out) == ["plans/good.yaml:16:1: 错误:有未解决的合并冲突(<<<<<<< 到 >>>>>>> 之间是两边的改动,"
                          "请保留正确的一边并删除标记行)"]
    code, out, err = gk(repo, "progress", "good/2", "冲突中")
    # a command reading the file says what validate says, of the first conflict
    assert code == 1 and lines(err) == ["gktrack: 错误:plans/good.yaml:16: 有未解决的合并冲突(<<<<<<< 到 >>>>>>> 之间"
                                        "是两边的改动,请保留正确的一边并删除标记行)"]


def test_a_marker_line_left_behind_is_said_alike_by_validate_and_a_command(repo):
    """One wording for conflict markers (``yamldoc.conflict_markers``): validate lists each, a
    command reading the file stops at the first."""
    write(repo, "plans/good.yaml", GOOD.replace("    state: open\n", "    state: open\n>>>>>>> other\n", 1))
    code, out, _ = gk(repo, "validate")
    assert code == 1 and lines(out) == ["plans/good.yaml:21:1: 错误:有合并冲突留下的标记行(======= 或 >>>>>>>),请删除"]
    code, _, err = gk(repo, "progress", "good/2", "冲突中")
    assert code == 1 and lines(err) == ["gktrack: 错误:plans/good.yaml:21: 有合并冲突留下的标记行(======= 或 >>>>>>>),请删除"]

def test_merge_conflict_left_by_the_merge_driver(repo):
    """With the repository's own merge driver the file stays valid YAML; validate still flags it."""
    _conflicting_branches(repo)
    subprocess.run(["git", "-C", str(repo.root), "merge", "-q", "other"], capture_output=True)
    code, out, _ = gk(repo, "validate")
    assert code == 1
    conflicts = [line for line in lines(out) if "合并冲突" in line]
    assert len(conflicts) == 1, out
    # file:line of the task, the task, the field, and both sides' values
    line = conflicts[0]
    assert line.startswith("plans/good.yaml:") and " 错误:任务 " in line
    assert "“任务内容”(text)本方“" in line and "(甲)" in line and "另一方“" in line and "(乙)" in line
    number = int(line.split(":")[1])
    assert (repo.root / "plans" / "good.yaml").read_text("utf-8").splitlines()[number - 1].lstrip().startswith("conflict:")


def test_conflict_record_on_the_plan_header(repo):
    write(repo, "plans/good.yaml", GOOD.replace("title: 好的计划\n", "title: 好的计划\nconflict:\n  title:\n"
                                                "    base: 旧标题\n    theirs: 他们的标题\n"))
    code, out, _ = gk(repo, "validate")
    assert lines(out) == ["plans/good.yaml:6:1: 错误:计划有未解决的合并冲突(“标题”(title)本方“好的计划”,"
                          "另一方“他们的标题”,原为“旧标题”):文件中是本方的值,"
                          "另一方的值记在 conflict 字段中;核对改好后删除 conflict 字段"]


def test_a_plan_that_read_cleanly_is_not_read_again_but_still_checked(repo, monkeypatch):
    """The index remembers that a file's bytes read without a problem; what depends on other
    files (the registry's units) or on the day is checked every time, at its place."""
    from gktrack.storage import yamldoc

    assert gk(repo, "validate")[0] == 0
    parsed = []
    real_parse = yamldoc.parse
    monkeypatch.setattr(yamldoc, "parse", lambda text, where: parsed.append(where) or real_parse(text, where))
    assert gk(repo, "validate")[:2] == (0, "已检查 2 个文件,未发现问题\n")
    assert parsed == ["units.yaml"]  # the plan came from the index
    # the same bytes, but 司法所 is no longer a unit: found, and the file is read for the place
    write(repo, "units.yaml", UNITS.replace("  - name: 司法所\n", "").replace("units: [司法所]", "units: []"))
    code, out, _ = gk(repo, "validate")
    assert code == 1 and lines(out) == [
        "plans/good.yaml:17:12: 错误:任务 1 的单位“司法所”不在单位名册中;如确是新单位,请在 units.yaml 中登记",
        "plans/good.yaml:31:15: 警告:任务 2 的进展中的单位“司法所”不在单位名册中;如确是新单位,请在 units.yaml 中登记",
    ]
    assert parsed.count("plans/good.yaml") == 1
    # a warning only (an unknown field) keeps a file out of the index's clean list
    write(repo, "units.yaml", UNITS)
    write(repo, "plans/good.yaml", GOOD.replace("    state: open\n", "    state: open\n    priority: 高\n"))
    for _ in range(2):
        code, out, _ = gk(repo, "validate", "plans/good.yaml")
        assert code == 0 and "未知的字段“priority”" in out, out
    # and GKTRACK_NO_CACHE=1 reads everything, with the same answer
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    assert gk(repo, "validate", "plans/good.yaml")[1] == out


def test_registry_problems(repo):
    units = UNITS.replace("  - name: 区政数局\n", "  - name: 区政数局\n  - name: 党政办\n  - 123\n")
    units = units.replace("members: [横东村]", "members: [横西村]")
    units = units.replace("    units: [司法所]\n", "    units: [司法局]\n    role: boss\n  - email: zhang@example.gov.cn\n")
    write(repo, "units.yaml", units)
    code, out, _ = gk(repo, "validate")
    assert code == 1
    assert lines(out) == [
        "units.yaml:7:5: 错误:单位名称或别名“党政办”重复(另见第 4 行)",
        "units.yaml:8:5: 错误:“units”的每一项应有 name(单位名称)",
        "units.yaml:14:15: 警告:集体成员“横西村”不在单位名册中",
        "units.yaml:18:13: 警告:人员 zhang@example.gov.cn 的单位“司法局”不在单位名册中",
        "units.yaml:19:11: 错误:人员角色应为 office 或 unit,而不是“boss”",
        "units.yaml:20:5: 错误:邮箱“zhang@example.gov.cn”重复(另见第 16 行)",
    ]


def test_a_name_that_is_no_unit_is_flagged_in_the_plan_and_in_the_registry(repo):
    # what a table read into the wrong columns leaves: empty cells, a row number, a time
    units = UNITS.replace("  - name: 区政数局\n", "  - name: 区政数局\n  - name: '||'\n  - name: 年底前\n"
                                                 "  - name: 横西村\n    aliases: ['7']\n")
    write(repo, "units.yaml", units)
    plan = GOOD.replace("lead: [司法所]", "lead: [司法所, '||']").replace("support: [党政办]", "support: ['3']")
    plan = plan.replace("responsible: [各有关单位]", "responsible: [2021年8月前, 年底前]")
    write(repo, "plans/good.yaml", plan)
    code, out, _ = gk(repo, "validate")
    assert code == 1
    assert lines(out) == [
        "units.yaml:7:11: 警告:单位名册中的单位名称“||”只有标点或竖线,不是单位(导入时读错了表格的列?)",
        "units.yaml:8:11: 警告:单位名册中的单位名称“年底前”是时限,不是单位(导入时读错了表格的列?)",
        "units.yaml:10:15: 警告:单位名册中的单位名称“7”只是一个数字(表格的序号?),不是单位(导入时读错了表格的列?)",
        "plans/good.yaml:17:17: 错误:任务 1 的单位名称“||”只有标点或竖线,不是单位",
        "plans/good.yaml:18:15: 错误:任务 1 的单位名称“3”只是一个数字(表格的序号?),不是单位",
        "plans/good.yaml:25:19: 错误:任务 2 的单位名称“2021年8月前”是时限,不是单位",
        "plans/good.yaml:25:29: 错误:任务 2 的单位名称“年底前”是时限,不是单位",
    ]


def test_a_task_text_or_title_of_only_a_number_or_punctuation_is_flagged(repo):
    # a table's row number or empty cells read as the task or as a heading
    plan = GOOD.replace("title: 平台", "title: '2'").replace("text: 更新政府信息公开指南", "text: '4'")
    plan = plan.replace("text: 按季度发布工作动态", "text: '||'")
    write(repo, "plans/good.yaml", plan)
    code, out, _ = gk(repo, "validate")
    assert code == 1
    assert lines(out) == [
        "plans/good.yaml:11:12: 警告:章节“1.1”的标题“2”只是一个数字(表格的序号?),不是标题(导入时读错了表格的列?)",
        "plans/good.yaml:16:11: 错误:任务 1 的内容“4”只是一个数字(表格的序号?),不是任务(导入时读错了表格的列?)",
        "plans/good.yaml:24:11: 错误:任务 2 的内容“||”只有标点或竖线,不是任务(导入时读错了表格的列?)",
    ]
    # a number inside a text is text
    write(repo, "plans/good.yaml", GOOD.replace("text: 更新政府信息公开指南", "text: 办好12345热线"))
    assert gk(repo, "validate")[0] == 0


def test_units_of_a_plan_are_checked_against_a_staged_registry(repo):
    write(repo, "plans/good.yaml", GOOD.replace("[司法所]", "[新设科]", 1))
    git(repo, "add", "plans/good.yaml")
    code, out, _ = gk(repo, "validate", "--staged")
    assert code == 1 and "“新设科”不在单位名册中" in out
    write(repo, "units.yaml", UNITS + "  - email: li@example.gov.cn\n")
    write(repo, "units.yaml", UNITS.replace("  - name: 区政数局\n", "  - name: 区政数局\n  - name: 新设科\n"))
    git(repo, "add", "units.yaml")
    assert gk(repo, "validate", "--staged")[0] == 0


# --- as a pre-commit hook ------------------------------------------------------------------


def test_staged_checks_the_index_not_the_work_tree(repo):
    write(repo, "plans/good.yaml", GOOD.replace("state: open", "state: 进行中"))
    git(repo, "add", "plans/good.yaml")
    write(repo, "plans/good.yaml", GOOD)  # fixed in the work tree, not in the index
    code, out, _ = gk(repo, "validate", "--staged")
    assert code == 1 and lines(out) == ["plans/good.yaml:20:12: 错误:任务 1 的“state”应为 open 或 done,而不是“进行中”(open 即未完成,done 即已完成)"]
    assert gk(repo, "validate")[0] == 0
    git(repo, "add", "plans/good.yaml")
    code, out, err = gk(repo, "validate", "--staged")
    assert code == 0 and out == "" and err == ""  # nothing staged: a hook stays quiet


def test_pre_commit_hook_stops_a_broken_hand_edit(repo, tmp_path):
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(f"#!/bin/sh\nexec {sys.executable} -m gktrack validate --staged\n", encoding="utf-8")
    hook.chmod(0o755)
    env = dict(os.environ, HOME=str(tmp_path))
    write(repo, "plans/good.yaml", GOOD.replace("year: 2024", "year: 2024\nyear: 2025"))
    git(repo, "add", "plans/good.yaml")
    refused = subprocess.run(["git", "-C", str(repo.root), "commit", "-q", "-m", "手工修改"], capture_output=True,
                             text=True, env=env)
    assert refused.returncode != 0
    # git shows a hook's output on stderr
    assert "plans/good.yaml:5:1: 错误:重复的键“year”(另见第 4 行)" in refused.stdout + refused.stderr
    write(repo, "plans/good.yaml", GOOD.replace("好的计划", "好的计划(修订)"))
    git(repo, "add", "plans/good.yaml")
    accepted = subprocess.run(["git", "-C", str(repo.root), "commit", "-q", "-m", "手工修改"], capture_output=True,
                              text=True, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


# --- read commands with a broken plan ------------------------------------------------------


@pytest.mark.parametrize("argv", [["status"], ["status", "--json"], ["overdue"], ["overdue", "--json"],
                                  ["units"], ["units", "--json"]])
def test_read_commands_name_a_broken_plan_and_go_on(repo, argv):
    write(repo, "plans/broken.yaml", "schema: 1\nid: broken\nyear: [2024\n")
    code, out, err = gk(repo, *argv, *(["--as-of", "2024-07-15"] if argv[0] == "overdue" else []))
    assert code == 0, err
    warnings = lines(err)
    assert len(warnings) == 1
    assert "plans/broken.yaml:3:7: " in warnings[0] and "已跳过该文件" in warnings[0]
    assert warnings[0].startswith("gktrack: 警告:")  # worded the same with and without --json
    if argv[0] == "units":
        assert "司法所" in out
    else:
        assert "更新政府信息公开指南" in out  # the good plan is still there


def test_a_broken_registry_stops_read_commands_with_one_line(repo):
    write(repo, "units.yaml", UNITS.replace("  - name: 司法所\n", "  - name: 司法所\n\t- name: 坏\n"))
    for argv in (["status"], ["overdue"], ["units"]):
        code, out, err = gk(repo, *argv)
        assert code == 1
        assert lines(err) == ["gktrack: 错误:units.yaml:4:1: YAML 语法错误:含有制表符(Tab),YAML 只能用空格缩进"]


def test_a_unit_name_holding_its_topic_is_flagged(repo):
    # "规范性文件公开由制发司牵头" imported before the importer cut the topic off: the unit is 制发司
    write(repo, "plans/good.yaml", GOOD.replace("lead: [司法所]", "lead: [规范性文件公开由司法所]"))
    code, out, _ = gk(repo, "validate")
    assert code == 1
    assert lines(out) == [
        "plans/good.yaml:17:12: 错误:任务 1 的单位名称“规范性文件公开由司法所”含“由”引出的单位,应只写“司法所”",
    ]
    # a word that holds 由 or 请 brings in no unit
    write(repo, "plans/good.yaml", GOOD.replace("lead: [司法所]", "lead: [自由贸易试验区管委会]"))
    assert "引出的单位" not in gk(repo, "validate")[1]
