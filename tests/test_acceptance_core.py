"""Acceptance of issue 2: the parts of the core that test_core_*.py do not already show.

new-plan's optional facts, --new-unit on assign, --date/--unit on close and reopen, the unit
phrases documents use on add and assign, the status table's columns, show's history, and ids
that stay put when tasks are reordered or removed by hand. Real repositories, the real CLI.
"""

from __future__ import annotations

import re

import pytest

from conftest import HL2022, HL2022_TASKS, IDENTITY


def test_new_plan_keeps_its_optional_facts(plans_repo):
    gk = plans_repo
    gk.ok("new-plan", "xj2024", "--year", "2024", "--title", "2024年南昌市新建区政务公开工作要点",
          "--issuer", "南昌市新建区人民政府办公室", "--doc-number", "新府办发〔2024〕30号",
          "--issued", "2024年6月30日", "--source", "https://www.example.gov.cn/art/2024/6/30.html")
    text = gk.text("plans/xj2024.yaml")
    for line in ("schema: 1", "id: xj2024", "year: 2024", "title: 2024年南昌市新建区政务公开工作要点",
                 "issuer: 南昌市新建区人民政府办公室", "doc_number: 新府办发〔2024〕30号", "issued: 2024-06-30",
                 "source: https://www.example.gov.cn/art/2024/6/30.html"):
        assert f"\n{line}\n" in f"\n{text}", line
    # all of them optional
    gk.ok("new-plan", "min2024", "--year", "2024", "--title", "最简计划")
    assert "issuer" not in gk.text("plans/min2024.yaml") and "doc_number" not in gk.text("plans/min2024.yaml")
    assert gk.ok("add", "min2024", "第一项").strip() == "min2024/1"


def test_assign_new_unit_registers_it(plans_repo):
    gk = plans_repo
    line = gk.fail("assign", "hl2022/4", "--support", "市档案馆")
    assert "没有“市档案馆”" in line and "--new-unit" in line
    gk.ok("assign", "hl2022/4", "--support", "市档案馆", "--new-unit")
    assert sorted(gk.commit_info().files) == ["plans/hl2022.yaml", "units.yaml"]
    assert "  - name: 市档案馆\n" in gk.text("units.yaml")
    task = gk.json("show", "hl2022/4", "--json")
    assert task["units"] == [{"name": "区政数局", "role": "lead"}, {"name": "市档案馆", "role": "support"}]
    # now known: no --new-unit needed
    gk.ok("assign", "hl2022/5", "--support", "市档案馆")


def test_close_and_reopen_take_date_and_unit(plans_repo):
    """hl2022/3 is 司法所牵头,党政综合办配合: one part, 司法所's, so closing it closes the task;
    hl2022/5 is given to 各村(社区), whose member 横东村 has a part, and here to 司法所 too."""
    gk = plans_repo
    gk.ok("close", "hl2022/3", "--date", "2024-06-20", "--unit", "司法所", "-m", "已完成", "-e", "https://a.example.cn/1")
    assert gk.commit_info().trailers == {"Gktrack-Action": "close", "Gktrack-Task": "hl2022/3",
                                         "Gktrack-Unit": "司法所", "Gktrack-Date": "2024-06-20"}
    task = gk.json("show", "hl2022/3", "--json")
    assert (task["state"], task["closed"], task["note"], task["evidence"]) == (
        "done", "2024-06-20", "已完成", ["https://a.example.cn/1"])
    # the supporting unit has no part to reopen
    assert "配合单位" in gk.fail("reopen", "hl2022/3", "--unit", "综合办")
    gk.ok("reopen", "hl2022/3", "--date", "2024-06-25", "--unit", "司法所", "-m", "发现遗漏")
    assert gk.commit_info().trailers == {"Gktrack-Action": "reopen", "Gktrack-Task": "hl2022/3",
                                         "Gktrack-Unit": "司法所", "Gktrack-Date": "2024-06-25"}
    assert "原因:发现遗漏" in gk.git("log", "-1", "--format=%B")
    task = gk.json("show", "hl2022/3", "--json")
    # a reopening is not progress, and the old note and evidence leave the open task
    assert (task["state"], task["closed"], task["note"], task["evidence"], task["progress"]) == (
        "open", None, None, [], [])

    gk.ok("assign", "hl2022/5", "--unit", "司法所")
    gk.ok("close", "hl2022/5", "--unit", "横东村", "--date", "2024-06-21", "-m", "横东村完成")
    task = gk.json("show", "hl2022/5", "--json")
    assert (task["state"], task["parts_done"]) == ("open", 1)
    parts = {p["unit"]: p for p in task["parts"]}
    assert (parts["横东村"]["state"], parts["横东村"]["closed"], parts["横东村"]["note"]) == ("done", "2024-06-21", "横东村完成")
    assert parts["横东村"]["via"] == "各村(社区)" and parts["司法所"]["state"] == "open"
    gk.ok("close", "hl2022/5", "--unit", "司法所", "--date", "2024-06-22")
    assert gk.json("show", "hl2022/5", "--json")["state"] == "done"
    # the office reopens the task as a whole: every part is open again
    gk.ok("reopen", "hl2022/5")
    task = gk.json("show", "hl2022/5", "--json")
    assert task["state"] == "open" and task["parts_done"] == 0
    # today is the default date (pinned to 2024-07-01 by conftest)
    gk.ok("progress", "hl2022/3", "补充公开")
    assert gk.json("show", "hl2022/3", "--json")["progress"][-1]["date"] == "2024-07-01"
    assert "晚于今天" in gk.fail("close", "hl2022/3", "--date", "2024-07-02")


@pytest.mark.parametrize("command, phrase, expected", [
    (["add", "hl2022", "新任务", "--unit"], "司法所牵头,党政综合办、区政数局配合",
     [("司法所", "lead"), ("党政综合办", "support"), ("区政数局", "support")]),
    (["add", "hl2022", "新任务", "--unit"], "司法所、综合办按职责分工负责",
     [("司法所", "responsible"), ("党政综合办", "responsible")]),
    (["add", "hl2022", "新任务", "--unit"], "司法所;各有关单位",
     [("司法所", "responsible"), ("各有关单位", "responsible")]),
    (["assign", "hl2022/6", "--unit"], "政数局牵头,司法所配合", [("区政数局", "lead"), ("司法所", "support")]),
])
def test_unit_phrases_as_documents_write_them(plans_repo, command, phrase, expected):
    gk = plans_repo
    out = gk.ok(*command, phrase).strip()
    task = out if command[0] == "add" else command[1]
    units = gk.json("show", task, "--json")["units"]
    assert [(u["name"], u["role"]) for u in units] == expected


@pytest.mark.parametrize("phrase", ["牵头,配合", "负责", "()"])
def test_unit_phrase_that_cannot_be_read_is_refused(plans_repo, phrase):
    line = plans_repo.fail("add", "hl2022", "新任务", "--unit", phrase, code=2)
    assert "无法识别的责任单位" in line


def test_status_table_groups_by_plan_with_its_columns(plans_repo):
    gk = plans_repo
    gk.ok("progress", "hl2022/1", "已发布", "--date", "2024-06-28")
    long_text = "围绕稳经济一揽子政策措施,及时公开政策文件、解读材料和落实情况,方便企业群众查询,并在政府网站开设专栏集中发布"
    gk.ok("add", "qz2024", long_text, "--unit", "司法所")
    out = gk.ok("status", "--unit", "司法所")
    lines = out.splitlines()
    # one table per plan, headed by the plan's id, title and year
    heads = [i for i, line in enumerate(lines) if re.match(r"^\s*(hl2022|qz2024) \S+(\d{4}年)", line)]
    assert [lines[i].split()[0] for i in heads] == ["hl2022", "qz2024"]
    assert HL2022 in lines[heads[0]]
    header = next(line for line in lines if "编号" in line)
    for column in ("编号", "序号", "任务", "角色", "期限", "状态", "最近进展"):
        assert column in header, column
    row = next(line for line in lines if line.strip().startswith("hl2022/1 "))
    assert "1." in row and "负责" in row and "6月底前" in row and "逾期" in row and "2024-06-28" in row
    # the text is shortened, never the whole of a long task
    assert long_text not in out
    long_row = next(line for line in lines if line.strip().startswith("qz2024/3 "))
    assert long_text[:20] in long_row and "…" in out
    assert "经各有关单位" in next(line for line in lines if line.strip().startswith("hl2022/2 "))


def test_show_prints_everything_about_a_task(plans_repo):
    gk = plans_repo
    gk.ok("progress", "hl2022/3", "已开始", "--unit", "司法所", "--date", "2024-06-01")
    gk.ok("close", "hl2022/3", "-m", "已完成", "-e", "https://a.example.cn/x")
    out = gk.ok("show", "hl2022/3")
    for word in ("hl2022/3", HL2022, "一、优化政务公开工作基础", HL2022_TASKS[3], "牵头", "司法所", "配合",
                 "党政综合办", "2022-09-30", "已完成", "https://a.example.cn/x", "已开始", "2024-06-01",
                 "变更记录", "关闭", "记录进展", "新增任务", IDENTITY[0]):
        assert word in out, word


def test_task_ids_stay_when_tasks_are_reordered_or_removed(plans_repo):
    gk = plans_repo
    text = gk.text("plans/hl2022.yaml")
    blocks = re.split(r"(?m)^(?=  - id: )", text)
    head, tasks = blocks[0], blocks[1:]
    assert len(tasks) == 6
    tasks = [t if t.endswith("\n\n") else t + "\n" for t in tasks]  # the last block has no blank line
    # reverse the order and drop task 4
    kept = [t for t in reversed(tasks) if not t.startswith("  - id: 4\n")]
    gk.write("plans/hl2022.yaml", head + "".join(kept).rstrip("\n") + "\n")
    gk.ok("commit-edits", "-m", "调整任务顺序,删除第 4 项")
    rows = {r["id"]: r["text"] for r in gk.json("status", "--plan", "hl2022", "--state", "all", "--json")}
    assert rows == {f"hl2022/{n}": HL2022_TASKS[n] for n in (1, 2, 3, 5, 6)}
    assert "没有任务 4" in gk.fail("show", "hl2022/4")
    assert gk.ok("add", "hl2022", "新增的任务", "--unit", "司法所").strip() == "hl2022/7"
    gk.ok("close", "hl2022/1")
    assert gk.json("show", "hl2022/1", "--json")["text"] == HL2022_TASKS[1]


def test_bare_gktrack_prints_the_help(plans_repo):
    from conftest import run_main

    result = run_main([])
    assert result.code == 0 and "错误" not in result.err
    assert "用法: gktrack" in result.out and "status" in result.out


def test_long_chinese_text_is_written_on_one_line_unescaped(plans_repo):
    gk = plans_repo
    text = ("围绕稳经济一揽子政策措施,及时公开政策文件、解读材料和落实情况;" * 12) + "做好“放管服”改革信息公开: 及时更新。"
    task = gk.ok("add", "hl2022", text, "--unit", "司法所").strip()
    gk.ok("progress", task, "已发布“惠企政策”专栏: 第一期", "--date", "2024-06-01")
    lines = gk.text("plans/hl2022.yaml").splitlines()
    assert sum(1 for line in lines if text in line) == 1
    assert not [line for line in lines if "\\u" in line or "\\x" in line]
    assert any(line.strip().endswith("已发布“惠企政策”专栏: 第一期") or "已发布“惠企政策”专栏: 第一期" in line
               for line in lines)
    assert gk.json("show", task, "--json")["text"] == text


def test_assign_and_unassign_keep_the_order_units_are_written_in(plans_repo):
    """Issue 19: the order of a task's units is the document's; assigning or removing one unit
    leaves the others where they were and changes only the lines of the lists it touches."""
    gk = plans_repo
    gk.ok("add", "hl2022", "排序检查", "--unit", "司法所", "--unit", "党政综合办", "--unit", "区政数局")
    ref = gk.json("status", "--json", "--plan", "hl2022")[-1]["id"]
    gk.ok("assign", ref, "--unit", "横东村")
    assert gk.json("show", ref, "--json")["responsible"] == ["司法所", "党政综合办", "区政数局", "横东村"]
    gk.ok("assign", ref, "--lead", "党政综合办")
    task = gk.json("show", ref, "--json")
    assert task["lead"] == ["党政综合办"] and task["responsible"] == ["司法所", "区政数局", "横东村"]
    gk.ok("unassign", ref, "司法所")
    assert gk.json("show", ref, "--json")["responsible"] == ["区政数局", "横东村"]
    diff = gk.git("show", "--format=", "-U0", "HEAD")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-    responsible: [司法所, 区政数局, 横东村]", "+    responsible: [区政数局, 横东村]"]
