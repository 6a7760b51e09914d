"""The plan's issue date (印发日期) and its deadlines.

* A period of a recurring deadline that ends on or before the day the plan was issued is not owed:
  a plan issued on 2017-06-30 with "按季度" asks for the third quarter on, not the second. Neither
  `overdue`/`status` nor the annual report's missed periods count it. A plan without an issue date
  is judged as before.
* `calendar` holds only the periods owed.
* `validate` warns of a deadline before the plan's year ("2016年末" in a 2017 plan), the
  predicate the importer uses too (``deadlines.before_plan_year``).

Through the real CLI on repositories built with it; the property tests call the one rule
(``deadlines.assess`` and its cached ``standing``) directly.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Gk, build_template, new_repo, run_main, work_in_copy
from gktrack.domain.deadlines import assess, parse_deadlines, recurring_periods, standing

UNITS = """\
schema: 1
units:
  - name: 县财政局
  - name: 县政府办
people: []
"""

# (plan id, --issued or None, [(text, --due, progress dates)])
PLANS = [
    ("gk2017", "2017-06-30", [("按季度公开财政资金信息", "按季度公开", []),          # 1
                              ("按季度公开预算执行情况", "按季度", ["2017-08-15"]),    # 2
                              ("节点在印发前", "5月底前,持续推进", ["2017-08-01"]),     # 3
                              ("节点在印发后", "9月底前,持续推进", ["2017-10-10"])]),   # 4
    ("nd2017", None, [("按季度公开财政资金信息", "按季度公开", [])]),                 # no issue date
]


def _build(root: Path) -> None:
    gk = new_repo(root, UNITS)
    for plan_id, issued, tasks in PLANS:
        gk("new-plan", plan_id, "--year", "2017", "--title", f"{plan_id} 政务公开工作要点",
           *(["--issued", issued] if issued else []))
        for text, due, progress in tasks:
            task = gk("add", plan_id, text, "--unit", "县财政局", "--due", due).strip()
            for day in progress:
                gk("progress", task, f"{day} 已公开", "--date", day)


@pytest.fixture(scope="module")
def _template(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory, "issued", build=_build)


@pytest.fixture
def repo(gk_env, _template, tmp_path, monkeypatch) -> Gk:
    return work_in_copy(_template, tmp_path, monkeypatch)


def overdue(repo: Gk, as_of: str) -> dict[str, dict]:
    return {r["id"]: r for r in repo.json("overdue", "--json", "--as-of", as_of)}


def status(repo: Gk, as_of: str) -> dict[str, dict]:
    return {r["id"]: r for r in repo.json("status", "--json", "--as-of", as_of)}


# --- overdue and status -----------------------------------------------------------------------


def test_a_quarter_ending_on_the_issue_date_is_not_owed(repo):
    rows = overdue(repo, "2017-07-01")
    # issued on 06-30, the second quarter's last day: nothing is late the next morning
    assert "gk2017/1" not in rows and "gk2017/2" not in rows
    # the same task in a plan without an issue date is late for the second quarter, as before
    same = rows["nd2017/1"]
    assert (same["level"], same["due"], same["days_late"]) == ("red", "2017-06-30", 1)
    assert "2017年第二季度" in same["reason"]
    seen = status(repo, "2017-07-01")["gk2017/1"]
    assert (seen["level"], seen["due"]) == ("green", "2017-09-30")


def test_the_next_quarter_without_progress_is_late(repo):
    rows = overdue(repo, "2017-10-08")
    late = rows["gk2017/1"]
    assert (late["level"], late["due"], late["days_late"]) == ("red", "2017-09-30", 8)
    assert "2017年第三季度" in late["reason"]
    assert "gk2017/2" not in rows  # it has an entry of 08-15 in the third quarter


def test_a_plan_issued_before_its_year_is_judged_as_before(repo):
    # an issue date before the plan year leaves every period owed
    text = repo.text("plans/gk2017.yaml").replace("issued: 2017-06-30", "issued: 2016-12-20")
    assert text != repo.text("plans/gk2017.yaml")
    repo.write("plans/gk2017.yaml", text)
    repo.hand_commit("改印发日期", "plans/gk2017.yaml")
    late = overdue(repo, "2017-07-01")["gk2017/1"]
    assert (late["level"], late["due"]) == ("red", "2017-06-30")


# --- the annual report ------------------------------------------------------------------------


def test_a_milestone_passed_by_the_issue_date_is_not_late(repo):
    late = overdue(repo, "2017-10-05")
    assert "gk2017/3" not in late  # 5月底前 in a plan issued on 06-30
    assert (late["gk2017/4"]["level"], late["gk2017/4"]["due"]) == ("red", "2017-09-30")
    assert status(repo, "2017-10-05")["gk2017/3"]["level"] == "green"


def test_report_lists_no_period_before_the_issue_date(repo):
    tasks = {t["id"]: t for p in repo.json("report", "2017", "--json")["plans"] for t in p["tasks"]}
    assert [m["period"] for m in tasks["gk2017/1"]["missed_periods"]] == ["第三季度", "第四季度"]
    assert tasks["gk2017/2"]["missed_periods"] == [
        {"period": "第四季度", "start": "2017-10-01", "end": "2017-12-31"}]
    assert [m["period"] for m in tasks["nd2017/1"]["missed_periods"]] == [
        "第一季度", "第二季度", "第三季度", "第四季度"]
    text = repo.ok("report", "2017")
    gaps = [line.removeprefix("- 缺少进展记录的周期:") for line in text.splitlines()
            if line.startswith("- 缺少进展记录的周期:")]
    assert gaps == [
        "第三季度(2017-07-01至2017-09-30)、第四季度(2017-10-01至2017-12-31)",  # gk2017/1
        "第四季度(2017-10-01至2017-12-31)",                                    # gk2017/2
        "第一季度(2017-01-01至2017-03-31)、第二季度(2017-04-01至2017-06-30)、"   # nd2017/1
        "第三季度(2017-07-01至2017-09-30)、第四季度(2017-10-01至2017-12-31)"]


def test_the_calendar_holds_only_the_periods_owed(repo, tmp_path):
    from dateutil.rrule import rrulestr
    from icalendar import Calendar

    out = tmp_path / "q.ics"
    repo.ok("calendar", "-o", out)
    events = {str(e["uid"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}

    def dates(uid):
        event = events[uid]
        start = datetime.combine(event.decoded("dtstart"), time())
        return [d.date() for d in rrulestr(event["rrule"].to_ical().decode(), dtstart=start)]

    assert dates("gk2017-1-1@gktrack") == [date(2017, 9, 30), date(2017, 12, 31)]
    # a milestone passed before the issue date is not owed: no event; one after it is
    assert "gk2017-3-1@gktrack" not in events and events["gk2017-4-1@gktrack"].decoded("dtstart") == date(2017, 9, 30)
    assert dates("nd2017-1-1@gktrack") == [date(2017, 3, 31), date(2017, 6, 30), date(2017, 9, 30),
                                           date(2017, 12, 31)]


# --- the rule itself, over issue dates and days -------------------------------------------------

Y = 2017
PHRASES = ["每月", "按季度", "每半年", "每年", "每年2月底前", "每月10日前", "每季度,6月底前", "按月,持续推进",
           "5月底前,持续推进", "6月底前,9月底前,持续推进"]
days = st.dates(date(Y - 1, 6, 1), date(Y + 1, 3, 31))


@settings(max_examples=300, deadline=None)
@given(phrase=st.sampled_from(PHRASES), issued=days, as_of=days, done=st.booleans(),
       progress=st.lists(st.dates(date(Y, 1, 1), date(Y, 12, 31)), max_size=6))
def test_no_period_ending_by_the_issue_date_is_owed(phrase, issued, as_of, done, progress):
    deadlines = tuple(parse_deadlines(phrase, Y))
    state, closed = ("done", as_of) if done else ("open", None)

    def judge(when):
        return assess(deadlines, state=state, progress_dates=progress, as_of=as_of, year=Y, closed=closed,
                      issued=when)

    before, after = judge(None), judge(issued)
    # no period that ended on or before the issue date is reported missed...
    recurring = [m for m in after.missed_periods if m.label != f"{Y}年度"]
    assert all(m.end > issued for m in recurring)
    # ...and the others are exactly the ones missed without an issue date
    assert recurring == [m for m in before.missed_periods if m.label != f"{Y}年度" and m.end > issued]
    # an issue date never makes a task later: a red for a recurring period is one that ended after it
    if after.level == "red":
        assert before.level == "red"
    if before.level == "red" and after.level != "red":
        assert before.due is not None and before.due <= issued
    # an issue date before the plan year changes nothing
    assert judge(date(Y - 1, 12, 31)) == before
    # the cached form keys on the issue date: asked about two dates in turn it answers each rightly
    for when in (issued, None, issued + timedelta(days=1)):
        assert standing(deadlines, Y, state, closed, tuple(progress), as_of, 7, when) == judge(when)


def test_every_period_before_the_issue_date_leaves_nothing_owed():
    yearly = tuple(parse_deadlines("每年2月底前", Y))
    assert recurring_periods(yearly[0], Y)[-1][1] == date(Y, 2, 28)
    a = assess(yearly, state="open", progress_dates=[], as_of=date(Y, 7, 1), year=Y, issued=date(Y, 3, 1))
    assert (a.level, a.due, a.missed_periods) == ("green", None, ())
    assert "2017年各期均在计划印发前结束" in a.reason
    # nothing was asked of the year, so the annual report does not count it as 未见进展 after it
    after = assess(yearly, state="open", progress_dates=[], as_of=date(Y + 1, 1, 5), year=Y, issued=date(Y, 3, 1))
    assert (after.level, after.category) == ("green", "open")
    # without the issue date the same task is owed February and missed it
    missed = assess(yearly, state="open", progress_dates=[], as_of=date(Y + 1, 1, 5), year=Y)
    assert (missed.level, missed.category) == ("red", "overdue")
    # a continuing deadline beside it still asks for progress in the year
    both = tuple(parse_deadlines("每年2月底前,持续推进", Y))
    later = assess(both, state="open", progress_dates=[], as_of=date(Y + 1, 1, 5), year=Y, issued=date(Y, 3, 1))
    assert later.category == "no_progress"


def test_a_plan_issued_after_its_year_owes_no_progress_for_that_year():
    ongoing = tuple(parse_deadlines("持续推进", Y))
    late_issue = date(Y + 1, 2, 10)
    a = assess(ongoing, state="open", progress_dates=[], as_of=date(Y + 1, 3, 1), year=Y, issued=late_issue)
    assert (a.level, a.category, a.missed_periods) == ("green", "open", ())
    assert a.reason == f"持续推进:计划在{Y}年末或以后才印发"
    # issued on the year's last day, as a period ending by it, the year is not owed either
    assert assess(ongoing, state="open", progress_dates=[], as_of=date(Y + 1, 3, 1), year=Y,
                  issued=date(Y, 12, 31)).category == "open"
    # issued before, or with no issue date, the same task missed the whole year
    for issued in (date(Y, 12, 30), None):
        missed = assess(ongoing, state="open", progress_dates=[], as_of=date(Y + 1, 3, 1), year=Y, issued=issued)
        assert (missed.level, missed.category) == ("red", "no_progress")
        assert [m.label for m in missed.missed_periods] == [f"{Y}年度"]
    # a dated deadline is still judged by its date; a milestone before 持续推进, a checkpoint like a
    # period's end, is not owed when it passed before the plan was issued
    dated = assess(parse_deadlines("6月底前", Y), state="open", progress_dates=[], as_of=date(Y + 1, 3, 1), year=Y,
                   issued=late_issue)
    assert (dated.level, dated.category, dated.due) == ("red", "overdue", date(Y, 6, 30))
    both = tuple(parse_deadlines("6月底前,持续推进", Y))
    milestone = assess(both, state="open", progress_dates=[], as_of=date(Y + 1, 3, 1), year=Y, issued=late_issue)
    assert (milestone.level, milestone.category) == ("green", "open")


def test_a_milestone_passed_before_the_plan_was_issued_is_not_owed():
    """A plan issued on 6-30 with "5月底前,持续推进" (新建区 2024 has nine such tasks): imported in
    July, the task is not late for a checkpoint that passed before the plan existed; it is judged as
    持续推进. A milestone after the issue date is owed as before."""
    both = tuple(parse_deadlines("5月底前,持续推进", Y))
    july = assess(both, state="open", progress_dates=[], as_of=date(Y, 7, 10), year=Y, issued=date(Y, 6, 30))
    alone = assess(parse_deadlines("持续推进", Y), state="open", progress_dates=[], as_of=date(Y, 7, 10), year=Y)
    assert (july.level, july.category, july.due) == (alone.level, alone.category, alone.due) == (
        "green", "no_progress", date(Y, 12, 31))
    assert july.reason.startswith("长期任务")
    # the year still asks for progress: none by the year's end is 未见进展, as for 持续推进 alone
    after = assess(both, state="open", progress_dates=[], as_of=date(Y + 1, 1, 5), year=Y, issued=date(Y, 6, 30))
    assert (after.level, after.category) == ("red", "no_progress")
    # issued before the milestone, or with no issue date: the milestone is owed
    for issued in (date(Y, 5, 30), None):
        owed = assess(both, state="open", progress_dates=[], as_of=date(Y, 7, 10), year=Y, issued=issued)
        assert (owed.level, owed.category, owed.due) == ("red", "overdue", date(Y, 5, 31))


# --- validate: a deadline before the plan year ---------------------------------------------------

PAST = """\
schema: 1
id: past2017
year: 2017
title: 期限早于年度的计划
tasks:

  - id: 1
    text: 公开2016年末政府债务余额
    responsible: [县财政局]
    deadline: 2016年末
    state: open

  - id: 2
    text: 更新公开目录
    responsible: [县政府办]
    deadline: [6月底前, 2016-12-31]
    state: open

  - id: 3
    text: 按季度公开预算执行情况
    responsible: [县财政局]
    deadline: 2017年3月底前
    state: open
"""


def test_validate_warns_of_a_deadline_before_the_plan_year(repo):
    repo.write("plans/past2017.yaml", PAST)
    result = run_main(["validate"])
    assert result.code == 0, result.out + result.err  # a warning: validate passes unless --strict
    found = [line for line in result.out.splitlines() if "早于计划年度" in line]
    assert found == [
        "plans/past2017.yaml:10:15: 警告:任务 1 的期限早于计划年度:2016年末(计划年度 2017),"
        "从计划第一天起即为逾期;是笔误,还是任务文字中所述事项的时间?",
        "plans/past2017.yaml:16:22: 警告:任务 2 的期限早于计划年度:2016-12-31(计划年度 2017),"
        "从计划第一天起即为逾期;是笔误,还是任务文字中所述事项的时间?",
    ]
    assert "2 个警告" in result.err
    assert run_main(["validate", "--strict"]).code == 1
    # the plan that states its deadlines in its own year is clean
    repo.write("plans/past2017.yaml", PAST.replace("2016年末", "年底前").replace(", 2016-12-31", ""))
    assert [line for line in run_main(["validate"]).out.splitlines() if "past2017" in line] == []
