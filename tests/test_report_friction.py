"""`gktrack report` as a 政务公开办 reads it in its first year (issue 19): who a form's closing is
credited to, a unit's own title, one date basis for the audit tables, the year-end state when a
clock was wrong, dates before a task existed, Chinese quotes and no template text. (The charts
older Mermaid renders: ``test_report.test_charts_are_mermaid_with_the_same_numbers_in_a_table``.)

Each test builds its repository with the real CLI (in-process) and git, the clock set per step.
"""

from __future__ import annotations

import datetime as dt
import json

from openpyxl import load_workbook

from test_report import new_builder, report, report_json, run_cli, tasks_by_id

TITLE = "新建区2024年政务公开工作要点"
ISSUER = "新建区人民政府办公室"


def start(tmp_path, monkeypatch, day: str = "2024-01-05"):
    """A repository with plan xj2024: xj2024/1 for 司法所 (6月底前), xj2024/2 for 党政综合办 (9月底前)."""
    b = new_builder(tmp_path, monkeypatch)
    b.at(day).gk("init", str(b.root))
    b.gk("new-plan", "xj2024", "--year", "2024", "--title", TITLE, "--issuer", ISSUER)
    b.gk("add", "xj2024", "发布规范性文件", "--unit", "司法所", "--new-unit", "--due", "6月底前")
    b.gk("add", "xj2024", "更新政府信息公开指南", "--unit", "党政综合办", "--new-unit", "--due", "9月底前")
    return b


def fill_form(path, ref: str, *, note: str, done: bool = False, day=None) -> None:
    book = load_workbook(path)
    ws = book.active
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == ref)
    ws.cell(row, 7, note)
    if done:
        ws.cell(row, 8, "已完成")
    if day is not None:
        ws.cell(row, 9, day)
    book.save(path)


def test_a_form_closing_is_credited_to_the_unit_that_filled_it(tmp_path, monkeypatch):
    b = start(tmp_path, monkeypatch)
    form = tmp_path / "司法所.xlsx"
    b.at("2024-06-21").gk("export", "--unit", "司法所", "--form", "-o", str(form))
    fill_form(form, "xj2024/1", note="12 件规范性文件已发布", done=True, day=dt.datetime(2024, 6, 20))
    b.at("2024-06-24").gk("import-progress", str(form))  # run by the office's 测试员
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")
    closing = tasks_by_id(report_json(b, "2024"))["xj2024/1"]["closing_commit"]
    assert (closing["action"], closing["unit"], closing["author"]) == ("import-progress", "司法所", "测试员")
    line = next(x for x in report(b, "2024").splitlines() if x.startswith("- 审计依据:"))
    assert line == f"- 审计依据:关闭于提交 `{closing['commit'][:8]}`(司法所填报的进展填报表,测试员于 2024-06-24 导入)"


def test_a_units_report_is_titled_with_the_unit(tmp_path, monkeypatch):
    b = start(tmp_path, monkeypatch)
    b.at("2024-05-10").gk("close", "xj2024/1", "--note", "已发布")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")
    assert report(b, "2024").splitlines()[0] == f"# {ISSUER}2024年度政务公开工作要点落实情况"
    text = report(b, "2024", "--unit", "司法所")
    assert text.splitlines()[0] == f"# {ISSUER}2024年度政务公开工作要点(司法所)落实情况"
    assert "xj2024/2" not in text


def test_months_people_and_log_go_by_the_author_date(tmp_path, monkeypatch):
    """A change made on 3-31 and pushed (rebased, committed) on 4-2 is March's, in the report's
    monthly and per-person tables as in `log`; one made on 2023-12-31 and pushed in January is 2023's."""
    b = start(tmp_path, monkeypatch, day="2023-12-20")
    b.at("2023-12-31", "22:00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2024-01-02T09:00:00+08:00")
    b.gk("progress", "xj2024/2", "提前梳理指南", "--unit", "党政综合办")
    b.at("2024-03-31", "20:00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2024-04-02T09:00:00+08:00")
    b.gk("progress", "xj2024/1", "已起草", "--by", "王五 <wangwu@example.gov.cn>")
    b.at("2024-05-06").gk("close", "xj2024/1", "--note", "已发布")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")

    code, out, _ = run_cli(["--repo", str(b.root), "log", "--json"])
    assert code == 0
    dates = {e["summary"].split(":")[0]: e["date"] for e in json.loads(out)}
    assert dates["进展 xj2024/1"] == "2024-03-31T20:00:00+08:00"

    audit = report_json(b, "2024")["audit"]
    months = {m["month"]: m["commits"] for m in audit["by_month"]}
    assert (months["2024-01"], months["2024-03"], months["2024-04"], months["2024-05"]) == (0, 1, 0, 1)
    people = {p["name"]: p["commits"] for p in audit["by_person"]}
    assert people == {"王五": 1, "测试员": 1}
    assert audit["commits"] == sum(months.values()) == sum(people.values()) == 2
    text = report(b, "2024")
    assert "修改按提交的作者日期(做出修改的时间,北京时间,即 gktrack log 所列的时间)计入本期间、各月和各人员" in text
    assert "| 3月  |        1 |" in text and "| 4月  |        0 |" in text


def test_year_end_state_follows_the_history_not_a_wrong_clock(tmp_path, monkeypatch):
    """A commit from a PC whose clock said 2024-12-20, made on top of January 2025's commits: the
    state at 2024-12-31 is the last commit before the first one of 2025, in the order of the
    first-parent history; the misdated commit is named on stderr and in the report."""
    b = start(tmp_path, monkeypatch)
    b.at("2024-11-20").gk("progress", "xj2024/2", "指南修订中", "--unit", "党政综合办")
    last_of_2024 = b.git("rev-parse", "HEAD").strip()
    b.at("2025-01-10").gk("close", "xj2024/2", "--note", "指南已更新")
    first_of_2025 = b.git("rev-parse", "HEAD").strip()
    b.at("2025-01-12").gk("progress", "xj2024/1", "已起草")
    b.at("2024-12-20").gk("close", "xj2024/1", "--note", "已发布")  # the wrong clock
    wrong = b.git("rev-parse", "HEAD").strip()
    b.at("2025-01-15").gk("progress", "xj2024/2", "已公开")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-02-01")

    code, out, err = run_cli(["--repo", str(b.root), "report", "2024", "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["commit"]["commit"] == last_of_2024
    tasks = tasks_by_id(data)
    assert (tasks["xj2024/2"]["state"], tasks["xj2024/2"]["category"]) == ("open", "overdue")
    assert (tasks["xj2024/1"]["state"], tasks["xj2024/1"]["category"]) == ("open", "overdue")
    assert data["summary"]["done"] == 0
    assert [m["commit"] for m in data["misdated"]] == [wrong]
    assert data["misdated"][0]["after"] == first_of_2025
    warning = f"提交 {wrong[:8]}(测试员,提交日期 2024-12-20 10:00)排在提交 {first_of_2025[:8]}(2025-01-10 10:00)之后"
    assert err.startswith("gktrack: 警告:提交日期倒退:" + warning), err
    text = report(b, "2024")
    note = next(line for line in text.splitlines() if line.startswith("> 注意:提交日期倒退:"))
    assert f"提交 `{wrong[:8]}`(测试员,提交日期 2024-12-20 10:00)排在提交 `{first_of_2025[:8]}`" in note
    assert f"截止时点的状态取到提交 `{last_of_2024}` 为止,未计入该提交的修改" in note
    # No wrong clock in the history up to a cut-off: nothing said.
    code, out, err = run_cli(["--repo", str(b.root), "report", "2024", "--as-of", "2024-06-30"])
    assert code == 0 and err == "" and "提交日期倒退" not in out


def test_dates_before_the_task_existed_are_said_back_and_flagged(tmp_path, monkeypatch):
    """Work recorded (with --date, or in a form) as done before the task was added to the plan:
    `progress`/`close` say so, and the report flags it rather than counting it on time silently."""
    b = start(tmp_path, monkeypatch)
    b.at("2024-03-01").gk("add", "xj2024", "公开行政执法结果", "--unit", "司法所", "--due", "6月底前")
    b.gk("add", "xj2024", "更新机构职能信息", "--unit", "司法所", "--due", "6月底前")
    added = b.git("rev-parse", "HEAD~1").strip()
    b.at("2024-03-05")
    code, _, err = run_cli(["--repo", str(b.root), "progress", "xj2024/3", "已梳理", "--date", "2月20日"])
    assert code == 0
    assert f"日期 2024-02-20 早于任务 xj2024/3 加入计划的日期(2024-03-01,提交 {added[:8]}),请确认无误" in err
    code, _, err = run_cli(["--repo", str(b.root), "close", "xj2024/3", "--note", "已公开", "--date", "2024-02-25"])
    assert code == 0 and "日期 2024-02-25 早于任务 xj2024/3 加入计划的日期" in err
    # a date outside the plan's year is said back too
    code, _, err = run_cli(["--repo", str(b.root), "progress", "xj2024/1", "提前准备", "--date", "2023-12-31"])
    assert code == 0 and "日期 2023-12-31 不在计划 xj2024 的年度(2024 年)内,请确认无误" in err
    # a date typed on or after the task was added: nothing said
    code, _, err = run_cli(["--repo", str(b.root), "progress", "xj2024/1", "已发布一半", "--date", "2024-03-02"])
    assert code == 0 and err == ""
    # a form dated before the task was added: said at import (the row is still recorded), and
    # flagged in the report
    form = tmp_path / "司法所.xlsx"
    b.gk("export", "--unit", "司法所", "--form", "-o", str(form))
    fill_form(form, "xj2024/4", note="已更新", done=True, day="2024-02-28")
    code, out, err = run_cli(["--repo", str(b.root), "import-progress", str(form)])
    assert code == 0 and "已记录 0 条进展、1 项办结" in out
    assert "gktrack: 注意:工作表" in err and "日期 2024-02-28 早于任务 xj2024/4 加入计划的日期(2024-03-01" in err
    code, out, _ = run_cli(["--repo", str(b.root), "import-progress", str(form), "--dry-run", "--json"])
    assert code == 0 and json.loads(out)[0]["doubts"] == []  # already recorded: nothing new to doubt
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")

    tasks = tasks_by_id(report_json(b, "2024"))
    three = tasks["xj2024/3"]
    assert three["category"] == "on_time" and three["added_commit"]["commit"] == added
    assert three["dated_before_added"] == [{"kind": "closed", "date": "2024-02-25", "unit": None},
                                          {"kind": "progress", "date": "2024-02-20", "unit": None}]
    assert [e["date"] for e in tasks["xj2024/4"]["dated_before_added"]] == ["2024-02-28"]
    assert tasks["xj2024/1"]["dated_before_added"] == [] and tasks["xj2024/2"]["dated_before_added"] == []
    text = report(b, "2024")
    assert (f"- 注意:完成日期 2024-02-25、进展日期 2024-02-20 早于任务加入计划的日期 2024-03-01"
            f"(提交 `{added[:8]}`(测试员,2024-03-01)),请核实") in text
    assert "2项任务登记的完成或进展日期早于任务加入计划的日期,需核实" in text
    problems = text.split("## 四、")[1].split("## 五、")[0]
    assert "日期早于任务加入计划的任务2项" in problems and "任务编号 xj2024/4" in problems


def test_quotes_nest_and_no_template_text_is_left(tmp_path, monkeypatch):
    b = new_builder(tmp_path, monkeypatch)
    b.at("2024-01-05").gk("init", str(b.root))
    b.gk("new-plan", "xj2024", "--year", "2024", "--title", "新建区贯彻《政府信息公开条例》2024年工作要点")
    b.gk("new-plan", "jc2024", "--year", "2024", "--title", "另一份计划")
    b.gk("add", "xj2024", "公开“互联网+政务服务”办理情况", "--unit", "司法所", "--new-unit", "--due", "3月底前")
    b.gk("add", "jc2024", "整理‘三张清单’", "--unit", "司法所", "--due", "年底前")
    plan = b.root / "plans" / "jc2024.yaml"
    text = plan.read_text(encoding="utf-8").replace("    state: open", "    state: done\n    closed: 2024-05-06\n"
                                                     "    note: 已在“政务公开”专栏发布")
    plan.write_text(text, encoding="utf-8")
    b.at("2024-05-06").git("commit", "-q", "-m", "手工办结", "--", "plans/jc2024.yaml")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")
    text = report(b, "2024")
    assert "跟踪政务公开工作计划2份:《另一份计划》、《新建区贯彻〈政府信息公开条例〉2024年工作要点》" in text
    assert "### 《新建区贯彻〈政府信息公开条例〉2024年工作要点》" in text
    assert "《新建区贯彻〈政府信息公开条例〉2024年工作要点》“公开‘互联网+政务服务’办理情况”(任务编号 xj2024/1)" in text
    assert "完成情况改为“已在‘政务公开’专栏发布”" in text
    assert "“公开“" not in text and "《新建区贯彻《" not in text
    assert "请结合实际" not in text and "下一步,对1项逾期未完成任务" in text

    # closed by a plain git commit: counted done, listed to be checked
    text = report(b, "2024", "--plan", "jc2024")
    problems = text.split("## 四、存在的主要问题及改进情况")[1].split("## 五、")[0].strip()
    assert problems.startswith("### (一)未经 gktrack 登记办结的任务1项") and "(二)" not in problems

    # Nothing to say about problems: says so, truly.
    b.gk("new-plan", "kc2024", "--year", "2024", "--title", "第三份计划")
    b.gk("add", "kc2024", "公开年度报告", "--unit", "司法所", "--due", "年底前")
    b.at("2024-06-01").gk("close", "kc2024/1", "--note", "已公开")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-02")
    text = report(b, "2024", "--plan", "kc2024")
    problems = text.split("## 四、存在的主要问题及改进情况")[1].split("## 五、")[0].strip()
    assert problems == "无。截至2024年12月31日,没有逾期未完成、逾期完成、未见进展的任务,周期性任务均按期记录了进展。"
