"""The report read as the office that pastes it into the 年度报告 reads it: every sentence true of
the data, every number the same wherever it appears.

One year built with the real CLI and git, each step dated: a 2023 plan whose last task is closed
in January with the date it was done in December; a 2024 plan with a task due 10月底前 and then
持续推进 that nobody records (overdue, not a periodic task), a 每季度 task whose fourth quarter has
no entry, a task without a deadline, and a hand edit of the unit registry only.
"""

from __future__ import annotations

from test_report import new_builder, report, report_json, tasks_by_id

REGISTRY = """\
schema: 1
units:
  - name: 区政府办
  - name: 区司法局
  - name: 区政数局
collectives:
  - name: 各有关单位
    members: all
"""


def year(tmp_path, monkeypatch):
    b = new_builder(tmp_path, monkeypatch)
    b.at("2023-03-01").gk("init", str(b.root))
    (b.root / "units.yaml").write_text(REGISTRY, encoding="utf-8")
    b.gk("commit-edits", "-m", "登记单位")
    b.gk("new-plan", "p2023", "--year", "2023", "--title", "某区2023年政务公开工作要点", "--issuer", "某区政府办")
    b.gk("add", "p2023", "编制政府信息公开工作年度报告", "--unit", "区政府办", "--due", "12月底前")
    # done on 12-28, recorded only after the new year began
    b.at("2024-01-05").gk("close", "p2023/1", "--date", "2023-12-28", "--note", "年报已公开")
    b.at("2024-01-10").gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点",
                          "--issuer", "某区政府办")
    b.gk("add", "p2024", "规范复议诉讼案件通报", "--unit", "区司法局", "--due", "10月底前,持续推进")
    b.gk("add", "p2024", "按季度公开重大建设项目信息", "--unit", "区政数局", "--due", "每季度")
    b.gk("add", "p2024", "做好主动公开工作", "--unit", "区政数局牵头,各有关单位负责")
    b.gk("add", "p2024", "更新政府信息公开指南", "--unit", "区政府办", "--due", "9月底前")
    for day in ("2024-03-10", "2024-06-10", "2024-09-10"):
        b.at(day).gk("progress", "p2024/2", "公开本季度项目信息", "--unit", "区政数局")
    b.at("2024-09-20").gk("close", "p2024/4", "--note", "指南已更新")
    # the registry, not a plan, edited by hand
    b.at("2024-09-25")
    (b.root / "units.yaml").write_text(REGISTRY.replace("  - name: 区政数局\n",
                                                        "  - name: 区政数局\n    aliases: [政数局]\n"),
                                       encoding="utf-8")
    b.gk("commit-edits", "-m", "政数局的简称")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-10")
    return b


def problems(text: str) -> str:
    return text.split("## 四、", 1)[1].split("## 五、", 1)[0]


def test_an_undated_task_problem_says_it_has_no_deadline(tmp_path, monkeypatch):
    """A task without a deadline is due at the end of the plan year: the problem says so, instead
    of a bare date after the units that reads as if it belonged to 各有关单位."""
    text = problems(report(year(tmp_path, monkeypatch), "2024"))
    item = next(line for line in text.splitlines() if "p2024/3" in line)
    assert "各有关单位(2024-12-31)" not in item
    assert "责任单位:区政数局(牵头)、各有关单位,期限:未写期限(按计划年度年底 2024-12-31 计)。" in item


def test_a_continuing_task_without_progress_is_not_called_periodic(tmp_path, monkeypatch):
    """p2024/1 (10月底前,持续推进) had no entry in the year: that is told, but it is not one of the
    周期性任务 (p2024/2, 每季度, is the only one), in the overview, the heading or the measures."""
    text = report(year(tmp_path, monkeypatch), "2024")
    assert "1项周期性任务存在未按期记录进展的周期" in text
    assert "1项持续推进任务有责任单位全年没有进展记录" in text
    found = problems(text)
    periodic = found.split("周期性任务缺少进展记录1项", 1)[1].split("###", 1)[0]
    assert "p2024/2" in periodic and "p2024/1" not in periodic
    continuing = found.split("持续推进任务全年缺少进展记录1项", 1)[1].split("###", 1)[0]
    assert "(任务编号 p2024/1),责任单位:区司法局,期限:10月底前,持续推进。" \
           "2024年度(2024-01-01至2024-12-31)无进展记录。" in continuing
    assert "对持续推进的任务,督促全年没有进展记录的责任单位说明推进情况" in found


def test_the_months_chart_accounts_for_every_task_counted_done(tmp_path, monkeypatch):
    """p2023/1 was done on 2023-12-28 and recorded on 2024-01-05: the 2024 report counts it done
    (carried over), and no month of 2024 holds it; the chart says so, in words and in the JSON."""
    b = year(tmp_path, monkeypatch)
    text = report(b, "2024")
    assert "截至2024年12月31日,已完成2项,其中按期完成2项" in text
    chart = text.split("### (二)各月办结任务数", 1)[1]
    assert "2024年各月办结任务数(共1项)" in chart
    assert "另有1项已完成的任务完成日期早于2024年1月1日,计入总体情况的已完成数,不在上表中。" in chart
    data = report_json(b, "2024")
    assert data["audit"]["closed_before_period"] == 1
    assert data["summary"]["done"] == 1 + sum(m["closed_on_time"] + m["closed_late"] for m in data["audit"]["by_month"])


def test_the_overview_names_what_was_edited_by_hand(tmp_path, monkeypatch):
    """The one hand edit of 2024 changed the unit registry, not a plan file: the overview says so,
    as the audit table does."""
    text = report(year(tmp_path, monkeypatch), "2024")
    assert "单位名册在 gktrack 之外手工修改1次,均已在审计记录中列明" in text
    assert "计划文件在 gktrack 之外手工修改" not in text
    assert "| 经检查提交 | 修改单位名册 units.yaml |" in text


def test_the_audit_of_a_scoped_report_says_what_was_changed(tmp_path, monkeypatch):
    """A plan's report counts the changes of its plan file, a unit's those of its tasks: the
    sentence names which (it read “报告范围内的共修改N次”, with no noun)."""
    b = year(tmp_path, monkeypatch)
    assert "2024年1月1日至2024年12月31日,报告范围内的计划文件共修改9次" in report(b, "2024", "--plan", "p2024")
    assert "2024年1月1日至2024年12月31日,报告范围内的任务中区司法局承担的部分共修改2次" in report(
        b, "2024", "--unit", "区司法局")


def test_a_periodic_task_late_for_its_last_quarter_says_which_quarter(tmp_path, monkeypatch):
    """p2024/2 (每季度) recorded the first three quarters, not the fourth: it is late for that
    quarter, not a task "尚未完成" past a deadline "2024-12-31"."""
    b = year(tmp_path, monkeypatch)
    text = report(b, "2024")
    item = text.split("**p2024/2**", 1)[1].split("\n\n", 2)[1]
    assert "- 年末状态:逾期未完成(周期性任务,第四季度(2024-10-01至2024-12-31)没有进展记录)" in item
    late = problems(text).split("### (一)逾期未完成任务", 1)[1].split("###", 1)[0]
    assert "(任务编号 p2024/2),责任单位:区政数局,期限:每季度。第四季度(2024-10-01至2024-12-31)没有进展记录。" in late
    assert "p2024/2),责任单位:区政数局,期限:每季度(2024-12-31)" not in text


def test_a_cut_task_text_leaves_no_mark_open(tmp_path, monkeypatch):
    """The problems quote a task's first 60 characters: a cut inside “…”, 《…》 or (…) closes them
    after the ellipsis, so the quotation that follows is not swallowed by an open mark."""
    b = year(tmp_path, monkeypatch)
    b.at("2024-10-01").gk("add", "p2024", "按照《江西省人民政府政务公开办公室关于印发第二批基层政务公开标准化规范化建设工作方案的通知》"
                                          "(赣府公开办字〔2023〕4号)要求,做好“十县百乡”建设", "--unit", "区政府办",
                          "--due", "11月底前")
    b.gk("add", "p2024", "加强稳就业保就业信息公开。针对高校毕业生、异地务工人员、退役军人、脱贫人口等重点群体就业加强政策宣讲和推送,"
                         "及时传达“促就业十条措施”等政策", "--unit", "区政府办", "--due", "11月底前")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-10")
    found = problems(report(b, "2024"))
    assert "“按照《江西省人民政府政务公开办公室关于印发第二批基层政务公开标准化规范化建设工作方案的通知》(赣府公开办字〔2023〕4……)”" \
           "(任务编号 p2024/5)" in found
    assert "及时传达‘促……’”(任务编号 p2024/6)" in found


def test_a_plan_issued_mid_year_owes_the_year_as_it_owes_a_straddled_period(tmp_path, monkeypatch):
    """The issue-date rule is by period: one that ends on or before the issue date is not owed, one
    that ends after it is owed whole. For 持续推进 the period is the plan year, the same period as
    "每年"; so in a plan issued on 06-30, both are missed for 2024年度 from its first day (progress
    before the issue date would have counted), as "按季度" is missed for the whole second quarter
    in a plan issued on 05-15; the milestone 5月底前 is not owed."""
    b = new_builder(tmp_path, monkeypatch)
    b.at("2024-07-01").gk("init", str(b.root))
    b.gk("new-plan", "p2024", "--year", "2024", "--title", "某区2024年政务公开工作要点", "--issued", "2024-06-30")
    for due in ("5月底前,持续推进", "9月底前,持续推进", "每年"):
        b.gk("add", "p2024", "规范政务公开", "--unit", "区司法局", "--new-unit", "--due", due)
    b.gk("new-plan", "q2024", "--year", "2024", "--title", "某区2024年分工方案", "--issued", "2024-05-15")
    b.gk("add", "q2024", "按季度公开", "--unit", "区司法局", "--due", "按季度")
    monkeypatch.setenv("GKTRACK_TODAY", "2025-01-05")
    tasks = tasks_by_id(report_json(b, "2024"))
    year = [{"period": "2024年度", "start": "2024-01-01", "end": "2024-12-31"}]
    assert [tasks[f"p2024/{n}"]["missed_periods"] for n in (1, 2, 3)] == [year] * 3
    assert tasks["p2024/1"]["category"] == "no_progress" and tasks["p2024/1"]["due"] == "2024-12-31"
    assert [m["start"] for m in tasks["q2024/1"]["missed_periods"]] == ["2024-04-01", "2024-07-01", "2024-10-01"]
