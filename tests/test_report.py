"""`gktrack report`: the annual report from a repository built here with backdated commits.

The scenario (plan p2022, then p2023) has one task of each kind the report must tell apart:
closed on time, closed late, closed in the next January, reopened and closed again, closed by a
plain `git commit` (no trailers), 持续推进, and 每季度 with no progress in the second quarter.

Golden files live in tests/golden/; commit hashes in them are replaced by commit01, commit02…
in the order the commits were made, so a change elsewhere in how files are written does not
break them. Regenerate after a deliberate change of the report with:

    GKTRACK_UPDATE_GOLDEN=1 python -m pytest tests/test_report.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import apply_env, run_main

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("GKTRACK_UPDATE_GOLDEN"))

OFFICE = ("张三", "zhangsan@example.gov.cn")
EDITOR = "李四 <lisi@example.gov.cn>"
WANGWU = "王五 <wangwu@example.gov.cn>"


class Builder:
    """Runs gktrack (in-process) and git with the clock set to a given Beijing date and time."""

    def __init__(self, root: Path, mp: pytest.MonkeyPatch):
        self.root = root
        self.mp = mp

    def at(self, day: str, time: str = "10:00:00") -> "Builder":
        stamp = f"{day}T{time}+08:00"
        self.mp.setenv("GIT_AUTHOR_DATE", stamp)
        self.mp.setenv("GIT_COMMITTER_DATE", stamp)
        self.mp.setenv("GKTRACK_TODAY", day)
        return self

    def gk(self, *args: str) -> str:
        code, out, err = run_cli(["--repo", str(self.root), *args])
        assert code == 0, (args, err)
        return out.strip()

    def git(self, *args: str, author: str | None = None) -> str:
        env = dict(os.environ)
        if author:
            name, _, email = author.partition(" <")
            env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email.rstrip(">"),
                       GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email.rstrip(">"))
        return subprocess.run(["git", "-C", str(self.root), *args], env=env, check=True,
                              capture_output=True, text=True).stdout


def new_builder(tmp_path: Path, mp: pytest.MonkeyPatch) -> Builder:
    """A Builder for a repository at tmp_path/repo (not yet made), with the test environment."""
    (tmp_path / "home").mkdir()
    apply_env(mp, tmp_path / "home")
    return Builder(tmp_path / "repo", mp)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    result = run_main(argv)
    return result.code, result.out, result.err


def build_scenario(root: Path, mp: pytest.MonkeyPatch) -> Builder:
    b = Builder(root, mp)
    b.at("2022-01-05", "09:00:00").gk("init", str(root))
    b.gk("new-plan", "p2022", "--year", "2022", "--title", "示例镇2022年政务公开工作要点",
         "--issuer", "示例镇人民政府", "--doc-number", "示府办〔2022〕1号", "--issued", "2022-01-04")
    b.gk("add-section", "p2022", "优化政务公开工作基础", "--number", "一、")
    b.gk("add-section", "p2022", "加强重点领域信息公开", "--number", "二、")
    b.gk("add-section", "p2022", "财政信息公开", "--number", "(一)", "--parent", "2")
    t1 = b.gk("add", "p2022", "依托政府信息公开平台,高质量发布现行有效规范性文件", "--unit", "司法所",
              "--new-unit", "--due", "6月底前", "--section", "1", "--number", "1.")
    t2 = b.gk("add", "p2022", "完善规范性文件分类展示", "--lead", "司法所", "--support", "党政综合办",
              "--new-unit", "--due", "3月底前", "--section", "1", "--number", "2.")
    t4 = b.gk("add", "p2022", "更新政府信息公开指南", "--unit", "党政综合办", "--due", "9月底前",
              "--section", "1", "--number", "3.")
    t6 = b.gk("add", "p2022", "持续推进政务新媒体规范化建设", "--unit", "党政综合办", "--due", "持续推进",
              "--section", "2", "--number", "4.")
    t8 = b.gk("add", "p2022", "各有关单位按职能做好主动公开工作",
              "--unit", "党政综合办牵头,各有关单位按职能分工落实", "--due", "年底前", "--section", "2", "--number", "5.")
    t3 = b.gk("add", "p2022", "公开财政预决算信息", "--unit", "财政分局", "--new-unit", "--due", "11月底前",
              "--section", "2.1", "--number", "6.")
    t5 = b.gk("add", "p2022", "公开重大建设项目批准和实施信息", "--unit", "财政分局", "--due", "10月底前",
              "--section", "2.1", "--number", "7.")
    t7 = b.gk("add", "p2022", "按季度公开财政资金直达基层情况", "--unit", "财政分局", "--due", "每季度",
              "--section", "2.1", "--number", "8.")
    assert [t1, t2, t4, t6, t8, t3, t5, t7] == [f"p2022/{i}" for i in range(1, 9)]

    b.at("2022-03-01").gk("progress", t6, "完成政务新媒体账号清理", "--unit", "党政综合办")
    b.at("2022-03-25").gk("progress", t7, "公开第一季度直达资金情况", "--by", WANGWU)
    b.at("2022-05-10").gk("progress", t1, "已在政府网站发布12件规范性文件", "--unit", "司法所")
    b.at("2022-05-15").gk("close", t2, "--note", "已完成分类展示", "--unit", "司法所")
    b.at("2022-06-20").gk("close", t1, "--note", "全部规范性文件已发布", "--evidence",
                          "http://www.example.gov.cn/gkml/123.html", "--unit", "司法所")
    b.at("2022-08-01").gk("close", t4, "--note", "指南已更新")
    b.at("2022-08-10").gk("progress", t7, "公开第三季度直达资金情况", "--by", WANGWU)
    b.at("2022-08-15").gk("reopen", t4, "--note", "指南遗漏依申请公开流程", "--by", WANGWU)
    b.at("2022-09-01").gk("progress", t6, "开展政务新媒体季度检查", "--unit", "党政综合办")
    b.at("2022-09-20").gk("close", t4, "--note", "指南已补充依申请公开流程", "--by", WANGWU)
    b.at("2022-10-20").gk("progress", t3, "预算信息已公开,决算信息待审定", "--unit", "财政分局")
    # A plain `git commit` of a hand edit: the task is closed without any gktrack trailer.
    plan = root / "plans" / "p2022.yaml"
    text = plan.read_text(encoding="utf-8")
    block_start = text.index("  - id: 7\n")
    block_end = text.index("\n\n", block_start)
    block = text[block_start:block_end]
    assert "    state: open" in block
    text = text[:block_start] + block.replace(
        "    state: open", "    state: done\n    note: 已在重大建设项目专栏公开") + text[block_end:]
    plan.write_text(text, encoding="utf-8")
    b.at("2022-10-28", "16:30:00").git("commit", "-q", "-m", "更新项目信息公开任务状态", "--",
                                       "plans/p2022.yaml", author=EDITOR)
    b.at("2022-11-15").gk("progress", t7, "公开第四季度直达资金情况", "--by", WANGWU)
    b.at("2022-12-31", "23:30:00").gk("progress", t6, "年度总结已报送", "--unit", "党政综合办")
    # Half an hour into 2023 in Beijing (still 2022 in UTC): not part of the 2022 report.
    b.at("2023-01-01", "00:30:00").gk("progress", t6, "新年第一条进展", "--unit", "党政综合办")
    b.at("2023-01-05").gk("new-plan", "p2023", "--year", "2023", "--title", "示例镇2023年政务公开工作要点",
                          "--issuer", "示例镇人民政府")
    b.gk("add", "p2023", "编制2022年政府信息公开工作年度报告", "--unit", "党政综合办", "--due", "1月底前")
    b.at("2023-01-10").gk("close", t3, "--note", "决算信息已公开", "--unit", "财政分局")
    b.at("2023-01-20").gk("close", "p2023/1", "--note", "年度报告已发布", "--evidence",
                          "http://www.example.gov.cn/ndbg/2022.html")
    return b


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("report") / "repo"
    home = root.parent / "home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        apply_env(mp, home)
        mp.setenv("GIT_AUTHOR_NAME", OFFICE[0])
        mp.setenv("GIT_AUTHOR_EMAIL", OFFICE[1])
        mp.setenv("GIT_COMMITTER_NAME", OFFICE[0])
        mp.setenv("GIT_COMMITTER_EMAIL", OFFICE[1])
        b = build_scenario(root, mp)
        mp.delenv("GIT_AUTHOR_DATE")
        mp.delenv("GIT_COMMITTER_DATE")
        # A day after both reported years: the default cut-off is then their 12-31.
        mp.setenv("GKTRACK_TODAY", "2024-03-01")
        yield b


def report(b: Builder, *args: str) -> str:
    code, out, err = run_cli(["--repo", str(b.root), "report", *args])
    assert code == 0, err
    return out


def normalize(b: Builder, text: str) -> str:
    """Hashes become commit01, commit02… (oldest first), so goldens do not depend on file bytes."""
    shas = b.git("rev-list", "--reverse", "--all").split()
    for i, sha in enumerate(shas, start=1):
        text = text.replace(sha, f"commit{i:02d}").replace(sha[:8], f"commit{i:02d}")
    return text


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"已生成 {path},请检查后重新运行")
    assert text == path.read_text(encoding="utf-8"), f"{name} 与黄金文件不同;确认无误后用 GKTRACK_UPDATE_GOLDEN=1 重新生成"


def report_json(b: Builder, *args: str) -> dict:
    return json.loads(report(b, *args, "--json"))


def tasks_by_id(data: dict) -> dict[str, dict]:
    return {t["id"]: t for p in data["plans"] for t in p["tasks"]}


def sha_of(b: Builder, summary: str) -> str:
    """The commit whose summary line starts with ``summary`` (there must be exactly one)."""
    lines = [line for line in b.git("log", "--format=%H %s").splitlines() if line[41:].startswith(summary)]
    assert len(lines) == 1, (summary, lines)
    return lines[0][:40]


# --- golden files ----------------------------------------------------------------------------


def test_report_2022_matches_golden(scenario):
    check_golden("report_2022.md", normalize(scenario, report(scenario, "2022")))


def test_report_2023_matches_golden(scenario):
    check_golden("report_2023.md", normalize(scenario, report(scenario, "2023")))


# --- what each kind of task becomes --------------------------------------------------------


def test_year_end_state_of_each_kind_of_task(scenario):
    data = report_json(scenario, "2022")
    tasks = tasks_by_id(data)
    assert {ref: t["category"] for ref, t in tasks.items()} == {
        "p2022/1": "on_time",   # 6月底前, closed 06-20
        "p2022/2": "late",      # 3月底前, closed 05-15
        "p2022/3": "on_time",   # closed, reopened, closed again before 9月底
        "p2022/4": "ongoing",   # 持续推进
        "p2022/5": "overdue",   # 年底前, still open when 12-31 ended
        "p2022/6": "overdue",   # 11月底前, closed only on 2023-01-10
        "p2022/7": "on_time",   # closed by a plain git commit on 10-28
        "p2022/8": "ongoing",   # 每季度, no progress in the second quarter
    }
    assert tasks["p2022/2"]["days_late"] == 45
    assert tasks["p2022/6"]["days_late"] == 31 and tasks["p2022/6"]["state"] == "open"
    assert tasks["p2022/6"]["closed"] is None and tasks["p2022/6"]["closing_commit"] is None
    assert tasks["p2022/5"]["days_late"] == 0
    assert tasks["p2022/8"]["missed_periods"] == [
        {"period": "第二季度", "start": "2022-04-01", "end": "2022-06-30"}]
    assert data["summary"] == {"on_time": 3, "late": 1, "overdue": 2, "no_progress": 0, "open": 0, "ongoing": 2,
                               "total": 8, "done": 4, "rate": 0.6667}
    # The last commit of 2022 in Beijing time; the one half an hour into 2023 is left out.
    assert data["commit"]["commit"] == sha_of(scenario, "进展 p2022/4:年度总结已报送")
    assert [p["note"] for p in tasks["p2022/4"]["progress"]] == [
        "完成政务新媒体账号清理", "开展政务新媒体季度检查", "年度总结已报送"]


def test_reopened_task_keeps_its_history_and_last_closing_commit(scenario):
    task = tasks_by_id(report_json(scenario, "2022"))["p2022/3"]
    assert [(e["kind"], e["date"], e["commit"]["author"]) for e in task["events"]] == [
        ("close", "2022-08-01", "张三"), ("reopen", "2022-08-15", "王五"), ("close", "2022-09-20", "王五")]
    closing = task["closing_commit"]
    assert closing["author"] == "王五" and closing["date"].startswith("2022-09-20")
    assert task["closed"] == "2022-09-20"


def test_hand_edit_is_reported_from_file_contents(scenario):
    data = report_json(scenario, "2022")
    task = tasks_by_id(data)["p2022/7"]
    hand = sha_of(scenario, "更新项目信息公开任务状态")
    assert task["state"] == "done" and task["closed"] == "2022-10-28"
    assert task["closing_commit"] == {"commit": hand, "author": "李四", "email": "lisi@example.gov.cn",
                                      "committer": "李四", "committer_email": "lisi@example.gov.cn",
                                      "date": "2022-10-28T16:30:00+08:00", "committed": "2022-10-28T16:30:00+08:00",
                                      "action": None, "claimed_action": None, "unit": None, "hand_edit": True}
    assert data["audit"]["hand_edits_unchecked"] == 1
    [edit] = data["audit"]["hand_edits"]
    assert edit["commit"] == hand and edit["author"] == "李四"
    assert edit["changes"] == ["p2022/7 状态 未完成→已完成,完成情况改为“已在重大建设项目专栏公开”"]
    text = report(scenario, "2022")
    assert f"| `{hand[:8]}` | 2022-10-28 16:30 | 李四 | 直接提交 |" in text
    assert f"关闭于提交 `{hand[:8]}`(李四,2022-10-28,手工修改,无 gktrack 记录)" in text


def test_task_closed_next_january_is_late_in_next_years_report(scenario):
    data = report_json(scenario, "2023")
    tasks = tasks_by_id(data)
    assert set(tasks) == {"p2023/1", "p2022/5", "p2022/6"}  # 持续推进 and done 2022 tasks stay in 2022
    late = tasks["p2022/6"]
    assert late["carried_over"] and late["category"] == "late"
    assert late["closed"] == "2023-01-10" and late["days_late"] == 41
    assert late["closing_commit"]["commit"] == sha_of(scenario, "关闭 p2022/6")
    assert tasks["p2022/5"]["category"] == "overdue" and tasks["p2022/5"]["days_late"] == 365
    assert tasks["p2023/1"]["category"] == "on_time"
    assert [p["carried_over"] for p in data["plans"]] == [False, True]


# --- one rule: report --as-of D and overdue/status --as-of D+1 agree ------------------------


def _verdicts_agree(b: Builder, cutoff: str, next_day: str) -> dict[str, dict]:
    """Every task's verdict in ``report --json`` equals ``status --state all --json`` the day after,
    and ``overdue --json`` the day after lists exactly the open tasks the report finds red or yellow."""
    reported = tasks_by_id(report_json(b, "2024", "--as-of", cutoff))
    status = {t["id"]: t for t in json.loads(b.gk("status", "--state", "all", "--as-of", next_day, "--json"))}
    overdue = {t["id"]: t for t in json.loads(b.gk("overdue", "--as-of", next_day, "--json"))}
    assert set(reported) == set(status)
    for ref, mine in reported.items():
        theirs = status[ref]
        assert (mine["category"], mine["level"], mine["due"], mine["state"]) == \
            (theirs["category"], theirs["level"], theirs["due"], theirs["state"]), (cutoff, ref)
        # Days late: to the closing date alike; for an open task, to the cut-off day (one day fewer).
        if mine["category"] == "overdue":
            assert mine["days_late"] == theirs["days_late"] - 1, (cutoff, ref)
        elif mine["category"] == "late":
            assert mine["days_late"] == theirs["days_late"], (cutoff, ref)
    assert set(overdue) == {ref for ref, t in reported.items() if t["state"] == "open" and t["level"] in ("red", "yellow")}
    return reported


def test_report_and_overdue_agree_on_every_task(tmp_path, monkeypatch):
    """One lateness rule: on 2024-06-30 and 2024-12-31 the report says of each task what
    `status`/`overdue` say the morning after (deadlines before, on and after the cut-off, 持续推进
    with and without progress, milestones, periodic tasks, no deadline)."""
    b = new_builder(tmp_path, monkeypatch)
    root = b.root
    b.at("2024-01-05").gk("init", str(root))
    b.gk("new-plan", "a2024", "--year", "2024", "--title", "一致性测试计划")
    tasks = {
        "early_open": ["3月底前"], "early_on_time": ["3月底前"], "early_late": ["3月底前"],
        "on_day_open": ["6月底前"], "on_day_closed": ["6月底前"], "soon": ["7月5日前"],
        "later": ["9月底前"], "later_closed_after": ["9月底前"], "ongoing": ["持续推进"],
        "ongoing_silent": ["持续推进"], "milestone_met": ["6月底前", "持续推进"],
        "milestone_missed": ["6月底前", "持续推进"], "quarterly_gap": ["每季度"],
        "quarterly_kept": ["每季度"], "no_deadline": [],
    }
    ref = {}
    for name, due in tasks.items():
        args = [a for phrase in due for a in ("--due", phrase)]
        ref[name] = b.gk("add", "a2024", f"任务{name}", "--unit", "办公室", "--new-unit", *args)
    b.at("2024-02-20").gk("progress", ref["ongoing"], "开展")
    b.gk("progress", ref["quarterly_gap"], "一季度")
    b.gk("progress", ref["quarterly_kept"], "一季度")
    b.at("2024-03-15").gk("close", ref["early_on_time"])
    b.at("2024-04-10").gk("close", ref["early_late"])
    b.gk("progress", ref["quarterly_kept"], "二季度")
    b.at("2024-05-20").gk("progress", ref["milestone_met"], "节点前推进")
    b.at("2024-06-30", "18:00:00").gk("close", ref["on_day_closed"])
    june = _verdicts_agree(b, "2024-06-30", "2024-07-01")
    assert {name: june[r]["category"] for name, r in ref.items()} == {
        "early_open": "overdue", "early_on_time": "on_time", "early_late": "late",
        "on_day_open": "overdue", "on_day_closed": "on_time", "soon": "open",
        "later": "open", "later_closed_after": "open", "ongoing": "ongoing",
        "ongoing_silent": "no_progress", "milestone_met": "ongoing", "milestone_missed": "overdue",
        "quarterly_gap": "overdue", "quarterly_kept": "ongoing", "no_deadline": "open",
    }
    assert june[ref["soon"]]["level"] == "yellow" and june[ref["on_day_open"]]["days_late"] == 0

    b.at("2024-07-20").gk("progress", ref["quarterly_kept"], "三季度")
    b.gk("progress", ref["ongoing_silent"], "下半年开始推进")
    b.at("2024-08-01").gk("close", ref["later_closed_after"])
    b.at("2024-10-15").gk("progress", ref["quarterly_kept"], "四季度")
    b.gk("progress", ref["quarterly_gap"], "四季度")
    b.at("2024-12-31", "20:00:00").gk("progress", ref["ongoing"], "年终")
    december = _verdicts_agree(b, "2024-12-31", "2025-01-01")
    assert {name: december[r]["category"] for name, r in ref.items()} == {
        **{name: june[r]["category"] for name, r in ref.items()},
        "soon": "overdue", "later": "overdue", "later_closed_after": "on_time",
        "ongoing_silent": "ongoing", "quarterly_gap": "ongoing", "no_deadline": "overdue",
    }
    assert [m["period"] for m in december[ref["quarterly_gap"]]["missed_periods"]] == ["第二季度", "第三季度"]

    # 未见进展 is counted and listed, never dropped: in the figures, the rate and the problems.
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")
    summary = report_json(b, "2024", "--as-of", "2024-06-30")["summary"]
    assert summary["no_progress"] == 1 and summary["total"] == len(tasks)
    assert summary["rate"] == round(summary["done"] / (summary["total"] - summary["ongoing"]), 4)
    text = report(b, "2024", "--as-of", "2024-06-30")
    problems = text.split("## 四、")[1].split("## 五、")[0]
    assert "### (二)未见进展的任务1项" in problems and f"任务编号 {ref['ongoing_silent']}" in problems
    assert "- 截至2024-06-30状态:未见进展(截至 2024-06-30 本年度没有进展记录)" in text
    assert "与 gktrack overdue --as-of 2024-07-01 的判断一致" in text


# --- options -------------------------------------------------------------------------------


def test_as_of_moves_the_cut_off(scenario):
    data = report_json(scenario, "2022", "--as-of", "2022-06-30")
    tasks = tasks_by_id(data)
    assert data["commit"]["commit"] == sha_of(scenario, "关闭 p2022/1")
    assert data["as_of"] == "2022-06-30"
    assert tasks["p2022/3"]["category"] == "open" and tasks["p2022/3"]["state"] == "open"
    assert tasks["p2022/7"]["category"] == "open"  # the hand edit came later
    assert tasks["p2022/8"]["missed_periods"][0]["period"] == "第二季度"
    assert [p["date"] for p in tasks["p2022/8"]["progress"]] == ["2022-03-25"]
    assert [m["month"] for m in data["audit"]["by_month"]] == [f"2022-{m:02d}" for m in range(1, 7)]
    text = report(scenario, "2022", "--as-of", "2022-06-30")
    assert "统计截至北京时间2022年6月30日24时" in text and "- 截至2022-06-30状态:未到期(期限 2022-09-30)" in text


def test_at_reports_from_another_commit(scenario):
    hand = sha_of(scenario, "更新项目信息公开任务状态")
    data = report_json(scenario, "2022", "--at", hand[:10])
    assert data["commit"]["commit"] == hand
    tasks = tasks_by_id(data)
    assert tasks["p2022/7"]["state"] == "done"
    assert [p["date"] for p in tasks["p2022/8"]["progress"]] == ["2022-03-25", "2022-08-10"]
    # Any later commit has the same last commit of 2022: the very same report.
    assert report(scenario, "2022", "--at", "HEAD~2") == report(scenario, "2022")
    assert report(scenario, "2022", "--at", "main") == report(scenario, "2022")


def test_plan_and_unit_narrow_the_report(scenario):
    data = report_json(scenario, "2023", "--plan", "p2022")
    assert set(tasks_by_id(data)) == {"p2022/5", "p2022/6"}
    assert data["scope"] == {"plan": "p2022", "unit": None}
    assert data["audit"]["commits"] == 2  # 2023-01-01 progress on p2022/4, the January close of p2022/6

    data = report_json(scenario, "2022", "--unit", "司法所")
    # p2022/5 reaches 司法所 through 各有关单位 (members: all).
    assert set(tasks_by_id(data)) == {"p2022/1", "p2022/2", "p2022/5"}
    assert [u["unit"] for u in data["units"]] == ["司法所"]
    # its own parts only: p2022/5 is 各有关单位's part (members: all), which the office closes
    assert data["units"][0]["lead"] == 1 and data["units"][0]["responsible"] == 1
    assert data["audit"]["hand_edits"] == []
    text = report(scenario, "2022", "--unit", "司法所")
    assert "报告范围:责任单位 司法所" in text and "p2022/7" not in text


def test_errors_are_one_chinese_line(scenario):
    cases = [
        (["2022", "--plan", "nope"], 1, "中没有计划“nope”"),
        (["2022", "--unit", "司法局"], 1, "是否指:司法所"),
        (["2022", "--at", "no-such-branch"], 1, "找不到修订版本“no-such-branch”"),
        (["2022", "--at=--output=x"], 2, "不能以 - 开头"),
        (["2021"], 1, "仓库没有2021年度需要报告的任务"),
        (["2022", "--unit", "财政分局", "--plan", "p2022", "--as-of", "2022-01-01"], 0, ""),
        (["2022", "--as-of", "2021-12-31"], 2, "早于 2022 年"),
        (["2022", "--as-of", "明天"], 2, "无法识别的--as-of 日期"),
    ]
    for args, code, message in cases:
        got, out, err = run_cli(["--repo", str(scenario.root), "report", *args])
        if code == 0:
            assert got == 0 and out.startswith("# ") and not err, (args, err)
            continue
        assert (got, out) == (code, ""), (args, got, err)
        assert message in err and err.count("\n") == 1 and err.startswith("gktrack: 错误:"), (args, err)


# --- same bytes, wherever and whenever -----------------------------------------------------


def test_same_inputs_give_identical_bytes(scenario):
    def run(tz: str) -> bytes:
        env = {**os.environ, "TZ": tz, "GKTRACK_TODAY": "2025-06-01"}
        return subprocess.run([sys.executable, "-m", "gktrack", "--repo", str(scenario.root), "report", "2022"],
                              env=env, capture_output=True, check=True).stdout

    first = run("UTC")
    assert first == run("UTC") == run("America/New_York") == run("Asia/Shanghai")
    assert first.decode("utf-8") == report(scenario, "2022")
    # The working tree does not count: only the cut-off commit does.
    plan = scenario.root / "plans" / "p2022.yaml"
    saved = plan.read_bytes()
    try:
        plan.write_text("这不是计划文件", encoding="utf-8")
        assert run("UTC") == first
    finally:
        plan.write_bytes(saved)


# --- the Markdown renders ------------------------------------------------------------------


def _tables(tokens) -> list[list[int]]:
    """Cells per row of every table, as markdown-it (the parser rich uses) sees them."""
    tables, rows, cells = [], None, 0
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            rows.append(cells)
        elif token.type == "table_close":
            tables.append(rows)
    return tables


@pytest.mark.parametrize("year", ["2022", "2023"])
def test_markdown_is_well_formed(scenario, year):
    from markdown_it import MarkdownIt

    text = report(scenario, year)
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    tables = _tables(tokens)
    # Every table written is parsed as a table, and every row has the header's number of cells.
    assert len(tables) == len(re.findall(r"^\| -", text, re.M)) >= 6
    for rows in tables:
        assert len(set(rows)) == 1 and len(rows) >= 2, rows
    html = md.render(text)
    assert "**" not in html  # every bold closed and rendered
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.endswith(" |") and "\t" not in line
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert sections == ["一、总体情况", "二、逐项落实情况", "三、按责任单位统计", "四、存在的主要问题及改进情况",
                        "五、审计记录", "六、图表"]


def test_charts_are_mermaid_with_the_same_numbers_in_a_table(scenario):
    text = report(scenario, "2022")
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.S)
    pie, months = blocks
    # Only chart types Mermaid 8.x draws (Gitea, older GitLab): plain `pie`, no `showData`, no xychart.
    assert [b.splitlines()[0] for b in blocks] == ["pie", "pie"]
    assert "xychart" not in text and "showData" not in text
    slices = dict(re.findall(r'^    "([^"]+)" : (\d+)$', pie, re.M))
    assert slices == {"按期完成": "3", "逾期完成": "1", "逾期未完成": "2", "持续推进": "2"}
    for label, value in slices.items():
        assert re.search(rf"^\| {label} +\| +{value} \|", text, re.M)
    lines = months.splitlines()
    assert lines[1] == "    title 2022年各月办结任务数(共4项)"
    slices = dict(re.findall(r'^    "([^"]+)" : (\d+)$', months, re.M))
    assert slices == {"5月": "1", "6月": "1", "9月": "1", "10月": "1"}
    table = text.split("### (二)各月办结任务数")[1]
    values = [0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]
    for month, value in zip(range(1, 13), values):
        assert re.search(rf"^\| {month}月 +\| +{value} \|", table, re.M)
    # Nothing closed in the period: said in words, the table still there.
    text = report(scenario, "2022", "--as-of", "2022-04-30")
    part = text.split("### (二)各月办结任务数")[1]
    assert "```mermaid" not in part and "本期间没有办结的任务。" in part and "| 4月  |" in part


# --- hand edits that rewrite the file ------------------------------------------------------


def test_hand_edit_in_another_layout_is_still_read(tmp_path, monkeypatch):
    """A person rewrites the whole file in their own layout: compared as data, not as text."""
    import yaml

    b = new_builder(tmp_path, monkeypatch)
    root = b.root
    b.at("2024-01-10").gk("init", str(root))
    b.gk("new-plan", "x2024", "--year", "2024", "--title", "测试计划")
    b.gk("add", "x2024", "甲任务", "--unit", "办公室", "--new-unit", "--due", "3月底前")
    b.gk("add", "x2024", "乙任务 | 含竖线 *星号*", "--unit", "办公室", "--due", "2024-04-30")
    plan = root / "plans" / "x2024.yaml"
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["tasks"][1].update(state="done", closed=__import__("datetime").date(2024, 4, 2), note="已办 | 见*附件*")
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, default_flow_style=False, indent=4,
                                   sort_keys=True), encoding="utf-8")
    b.at("2024-04-03", "08:00:00").git("commit", "-q", "-m", "整理格式并办结乙任务", "--", "plans/x2024.yaml",
                                       author=EDITOR)
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")
    data = report_json(b, "2024")
    tasks = tasks_by_id(data)
    assert tasks["x2024/2"]["category"] == "on_time" and tasks["x2024/2"]["closed"] == "2024-04-02"
    assert tasks["x2024/2"]["closing_commit"]["author"] == "李四"
    assert tasks["x2024/1"]["category"] == "overdue"
    [edit] = data["audit"]["hand_edits"]
    assert edit["changes"] == ["x2024/2 状态 未完成→已完成,完成日期 (空)→2024-04-02,完成情况改为“已办 | 见*附件*”"]
    text = report(b, "2024")
    row = next(line for line in text.splitlines() if line.startswith("| `"))
    assert "已办 \\| 见\\*附件\\*" in row and row.count(" | ") == 4
    assert "乙任务 \\| 含竖线 \\*星号\\*" in text


def test_plans_entered_after_the_year_are_reported_from_their_recorded_dates(tmp_path, monkeypatch):
    """gktrack adopted in 2025 for the 2024 plan: no commit by 2024-12-31, so the recorded dates decide."""
    b = new_builder(tmp_path, monkeypatch)
    root = b.root
    b.at("2025-02-10").gk("init", str(root))
    b.gk("new-plan", "y2024", "--year", "2024", "--title", "补录计划")
    b.gk("add", "y2024", "甲任务", "--unit", "办公室", "--new-unit", "--due", "11月底前")
    b.gk("add", "y2024", "乙任务", "--unit", "办公室", "--due", "年底前")
    b.gk("progress", "y2024/2", "已起草", "--date", "2024-12-20")
    b.gk("close", "y2024/1", "--date", "2024-11-05", "--note", "已办结")
    b.gk("close", "y2024/2", "--date", "2025-01-08")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-03-01")
    data = report_json(b, "2024")
    assert data["reconstructed"] and data["commit"]["commit"] == b.git("rev-parse", "HEAD").strip()
    tasks = tasks_by_id(data)
    assert (tasks["y2024/1"]["category"], tasks["y2024/1"]["closed"]) == ("on_time", "2024-11-05")
    assert (tasks["y2024/2"]["category"], tasks["y2024/2"]["state"]) == ("overdue", "open")
    assert [p["note"] for p in tasks["y2024/2"]["progress"]] == ["已起草"]
    text = report(b, "2024")
    assert "仓库中没有该时点以前的提交" in text and "按其中记录的完成日期和进展日期推算" in text
    # The next year's report has a commit by its cut-off and reads it as usual.
    data = report_json(b, "2025")
    assert not data["reconstructed"]
    # y2024/1 was counted done in the 2024 report; y2024/2 was open there and is late here.
    assert {ref: t["category"] for ref, t in tasks_by_id(data).items()} == {"y2024/2": "late"}


# --- the one cache -------------------------------------------------------------------------


def test_cached_and_uncached_reports_are_the_same_bytes(scenario, monkeypatch):
    """Plan versions and hand-edit comparisons go through the index, by blob id; it never changes a byte."""
    import sqlite3

    import gktrack.storage.planfile
    import gktrack.storage.plandiff

    index = scenario.root / ".git" / "gktrack" / "index.sqlite"
    index.unlink(missing_ok=True)
    cold = report(scenario, "2022")
    assert not (scenario.root / ".git" / "gktrack" / "report-cache").exists()
    with sqlite3.connect(index) as db:
        rows = db.execute("SELECT data FROM memo WHERE kind LIKE 'plandiff%'").fetchall()
    diffs = [gktrack.storage.plandiff.FileDiff.from_data(__import__("marshal").loads(data)) for (data,) in rows]
    # The hand edit's comparison, among those of the gktrack commits checked against their trailers.
    assert [tuple(t) for d in diffs for t in d.tasks if t.task_id == 7 and t.new_state == "done"] == [
        (7, "open", "done", None, ("state", "note"), False, ())]
    # Warm: no plan file is parsed and no hand edit compared again.

    def refuse(*args, **kwargs):
        raise AssertionError("parsed or compared again what the index holds")

    with monkeypatch.context() as patched:
        patched.setattr(gktrack.storage.planfile, "parse_plan", refuse)
        patched.setattr(gktrack.storage.plandiff, "compare", refuse)
        assert report(scenario, "2022") == cold
    # A damaged index is set aside; no index at all, or one that cannot be written, only costs time.
    index.write_bytes(b"not a database")
    assert report(scenario, "2022") == cold
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    assert report(scenario, "2022") == cold
    monkeypatch.delenv("GKTRACK_NO_CACHE")
    import shutil

    shutil.rmtree(index.parent)
    index.parent.write_text("not a folder", encoding="utf-8")
    try:
        assert report(scenario, "2022") == cold
    finally:
        index.parent.unlink()


def test_history_with_other_files_and_a_merge(tmp_path, monkeypatch):
    """Commits that touch only other files are not changes; a merged branch's close is found."""
    b = new_builder(tmp_path, monkeypatch)
    root = b.root
    b.at("2024-01-10").gk("init", str(root))
    b.gk("new-plan", "m2024", "--year", "2024", "--title", "合并测试计划")
    b.gk("add", "m2024", "甲任务", "--unit", "办公室", "--new-unit", "--due", "6月底前")
    b.gk("add", "m2024", "乙任务", "--unit", "办公室", "--due", "年底前")
    (root / "说明.txt").write_text("与计划无关的文件\n", encoding="utf-8")
    b.at("2024-02-01").git("add", "说明.txt")
    b.git("commit", "-q", "-m", "添加说明", author=EDITOR)
    b.git("checkout", "-q", "-b", "side")
    b.at("2024-03-01").gk("close", "m2024/1", "--note", "分支上办结")
    b.git("checkout", "-q", "main" if "main" in b.git("branch") else "master")
    b.at("2024-03-02").gk("progress", "m2024/2", "主线上的进展")
    b.at("2024-03-03").git("merge", "-q", "--no-edit", "side", author=EDITOR)
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")
    data = report_json(b, "2024")
    tasks = tasks_by_id(data)
    assert tasks["m2024/1"]["category"] == "on_time"
    assert tasks["m2024/1"]["closing_commit"]["commit"] == sha_of(b, "关闭 m2024/1")
    # init, new-plan, 2 adds, close, progress: the text file and the merge are not plan changes
    assert data["audit"]["commits"] == 6 and data["audit"]["hand_edits"] == []


# --- the bundled plans -----------------------------------------------------------------------


def test_report_2022_on_the_bundled_plans(tmp_path, monkeypatch):
    """`gktrack report 2022 > annual.md` in this project: plans committed years later, no records yet."""
    import shutil

    from markdown_it import MarkdownIt

    b = new_builder(tmp_path, monkeypatch)
    project, root = Path(__file__).resolve().parent.parent, b.root
    shutil.copytree(project / "plans", root / "plans")
    shutil.copy(project / "units.yaml", root / "units.yaml")
    b.git("init", "-q")
    b.at("2026-01-05").git("add", "plans", "units.yaml")
    b.git("commit", "-q", "-m", "导入计划", author=EDITOR)
    imported = b.git("rev-parse", "HEAD").strip()
    (root / "README.md").write_text("说明\n", encoding="utf-8")
    b.at("2026-02-01").git("add", "README.md")
    b.git("commit", "-q", "-m", "说明文件", author=EDITOR)
    monkeypatch.setenv("GKTRACK_TODAY", "2026-03-01")
    text = report(b, "2022")
    # The files of the commit that brought the plans in: a later commit to other files changes nothing.
    assert f"本报告依据提交 `{imported}`" in text
    assert "仓库中没有该时点以前的提交" in text
    assert "计划文件中的49项任务都还没有登记完成情况或工作进展" in text and "不代表实际工作情况" in text
    assert text.startswith("# 中山市横栏党政综合办公室2022年度政务公开工作要点落实情况\n")
    data = report_json(b, "2022")
    assert [p["id"] for p in data["plans"]] == ["hl2022"]  # earlier plans of other issuers are left out
    assert data["reconstructed"] and data["unrecorded"] == data["summary"]["total"] == 49
    tables = _tables(MarkdownIt("commonmark").enable("table").parse(text))
    assert len(tables) == len(re.findall(r"^\| -", text, re.M)) and all(len(set(rows)) == 1 for rows in tables)
    # nothing closed: one chart, and the months' table said in words beside it
    assert len(re.findall(r"```mermaid\n", text)) == 1 and "本期间没有办结的任务。" in text


def test_progress_bar_appears_only_after_a_second(scenario):
    """issue 9: on a terminal, a report that takes more than a second shows what it is doing."""
    import io
    import shutil

    from rich.console import Console

    from gktrack.cli.output import ProgressBar
    from gktrack.features.report import build_report
    from gktrack.storage.repo import find_repository

    now = [0.0]
    screen = io.StringIO()
    with ProgressBar("生成报告", delay=1.0, console=Console(file=screen, force_terminal=True, width=80),
                     clock=lambda: now[0]) as bar:
        bar("解析计划文件", 0, 10)
        assert screen.getvalue() == ""  # under a second: nothing drawn
        now[0] = 1.5
        bar("解析计划文件", 3, 10)
    assert "生成报告:解析计划文件" in screen.getvalue() and "3/10" in screen.getvalue()
    # The stages the report tells about: with everything in the index, only the walk over the history.
    shutil.rmtree(scenario.root / ".git" / "gktrack", ignore_errors=True)
    calls: list[tuple] = []
    repo = find_repository(str(scenario.root))
    build_report(repo, 2022, progress=lambda *args: calls.append(args))
    commits = len(scenario.git("rev-list", "HEAD", "--before=2022-12-31T23:59:59+08:00").split())
    assert calls == [("解析计划文件", 0, 1), ("读取修改记录", 0, commits)]
    calls.clear()
    build_report(repo, 2022, progress=lambda *args: calls.append(args))
    assert [c[0] for c in calls] == ["读取修改记录"]


def test_report_reuses_the_read_commands_cache(scenario, monkeypatch):
    """At a cut-off whose plan files are those on disk, a report after `status` parses no plan file:
    both read them through the one index, by blob id."""
    import gktrack.storage.planfile

    import sqlite3

    expected = report(scenario, "2023")
    # The parsed files forgotten (what each commit is, checked against its trailers, is kept).
    with sqlite3.connect(scenario.root / ".git" / "gktrack" / "index.sqlite") as db:
        db.execute("DELETE FROM parsed")
        db.execute("DELETE FROM files")
    assert run_cli(["--repo", str(scenario.root), "status"])[0] == 0

    def refuse(*args, **kwargs):
        raise AssertionError("parsed a plan file the index already held")

    monkeypatch.setattr(gktrack.storage.planfile, "parse_plan", refuse)
    assert report(scenario, "2023") == expected


def test_json_is_written_as_print_json_would(scenario):
    out = report(scenario, "2022", "--json")
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"


# --- the task blocks a plan version is compared by --------------------------------------------------

def _blocks_line_by_line(text: str):
    """What ``plandiff._split`` gives, worked out line by line (the test's oracle)."""
    lines = text.splitlines(keepends=True)
    key = next((i for i, line in enumerate(lines)
                if re.fullmatch(r"tasks[ \t]*:[ \t]*(?:#.*)?\r?", line.rstrip("\n"))), None)
    if key is None:
        return None
    first = next((i for i in range(key + 1, len(lines)) if re.match(r"( *)- ", lines[i])), None)
    if first is None or any(line.strip() and not line.strip().startswith("#") for line in lines[key + 1:first]):
        return None
    dash = len(lines[first]) - len(lines[first].lstrip(" "))
    last = next((i for i in range(first + 1, len(lines))
                 if lines[i][:1] and not lines[i][:1].isspace() and lines[i][0] not in "#" + ("" if dash else "-")),
                len(lines))
    items, current = [], []
    for line in lines[first:last]:
        if line.startswith(" " * dash + "- ") and current:
            items.append("".join(current))
            current = []
        current.append(line)
    items.append("".join(current))
    header = "".join(lines[:key]) + "".join(lines[last:])
    return header, [item.rstrip() + "\n" for item in items if item.strip()]


_PLAN_LINES = st.sampled_from([
    "id: hl2022", "title: 计划", "year: 2022", "tasks:", "tasks: # 任务", "- id: 1", "  - id: 2", "  text: 做事",
    "    text: 做事", "  progress:", "  - date: 2022-05-01", "    - date: 2022-05-01", "# 注释", "", "sections:",
    "x: 1", "\t- y", "-", "- ", "  -  id: 3", "tasks:x",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PLAN_LINES, max_size=14), st.sampled_from(["\n", "\r\n"]))
def test_task_blocks_split_as_the_lines_say(lines, newline):
    from gktrack.storage.plandiff import _split

    text = newline.join(lines) + newline
    assert _split(text) == _blocks_line_by_line(text)
