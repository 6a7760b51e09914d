"""Deadline phrases: parsing, splitting, finding, working days, recurring periods, assessment."""

from __future__ import annotations

import calendar
import dataclasses
import subprocess
import sys
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.deadlines import (
    DEFAULT_WITHIN,
    Assessment,
    Deadline,
    add_working_days,
    assess,
    find_deadline_phrases,
    parse_deadline,
    parse_deadlines,
    parse_due_option,
    recurring_periods,
    split_phrases,
)
from gktrack.domain.dates import read_date
from gktrack.domain.numerals import number
from gktrack.errors import InputError

Y = 2024


# --- helpers written independently of the module under test -----------------------------------

CN_DIGITS = "〇一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 the way people write them: 六, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def cn_year(n: int) -> str:
    return "".join(CN_DIGITS[int(c)] for c in str(n))


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def render(n: int, style: str) -> str:
    if style == "chinese":
        return cn_number(n)
    if style == "fullwidth":
        return full_width(str(n))
    return str(n)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


styles = st.sampled_from(["arabic", "fullwidth", "chinese"])
years = st.integers(1900, 2200)
months = st.integers(1, 12)
wrappers = st.sampled_from([("", ""), ("于", ""), ("在", "完成"), ("于", "完成"), ("", "完成")])


# --- fixed phrases -----------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, due", [
    ("6月底前", date(Y, 6, 30)),
    ("6月底", date(Y, 6, 30)),
    ("6月末", date(Y, 6, 30)),
    ("六月底前", date(Y, 6, 30)),
    ("6 月底前", date(Y, 6, 30)),
    ("６月底前", date(Y, 6, 30)),
    ("于6月底前完成", date(Y, 6, 30)),
    ("6月底以前", date(Y, 6, 30)),
    ("年底前", date(Y, 12, 31)),
    ("年底", date(Y, 12, 31)),
    ("年内", date(Y, 12, 31)),
    ("12月底前", date(Y, 12, 31)),
    ("十二月底前", date(Y, 12, 31)),
    ("10月底", date(Y, 10, 31)),
    ("3月15日前", date(Y, 3, 15)),
    ("3月15日之前", date(Y, 3, 15)),
    ("2017年5月11日前", date(2017, 5, 11)),
    ("二〇一七年五月十一日前", date(2017, 5, 11)),
    ("２０１７年５月１１日前", date(2017, 5, 11)),
    ("上半年", date(Y, 6, 30)),
    ("下半年", date(Y, 12, 31)),
    ("第三季度", date(Y, 9, 30)),
    ("三季度", date(Y, 9, 30)),
    ("一季度末", date(Y, 3, 31)),
    ("9月上旬", date(Y, 9, 10)),
    ("9月中旬", date(Y, 9, 20)),
    ("9月下旬", date(Y, 9, 30)),
    ("2024-06-30", date(2024, 6, 30)),
    ("2024/6/30", date(2024, 6, 30)),
    ("2月底前", date(2024, 2, 29)),
    ("2025年底前", date(2025, 12, 31)),
    ("明年底前", date(Y + 1, 12, 31)),
])
def test_dated_phrases(phrase, due):
    d = parse_deadline(phrase, Y)
    assert (d.kind, d.due, d.phrase) == ("date", due, phrase)
    assert due.isoformat() in d.display()


@pytest.mark.parametrize("phrase", [
    "持续推进", "及时更新", "长期坚持", "长期", "常态化", "持续", "根据项目完成时限", "持续推进 ",
])
def test_ongoing_phrases(phrase):
    d = parse_deadline(phrase, Y)
    assert d.kind == "ongoing" and d.due is None and d.phrase == phrase
    assert d.display() == f"{' '.join(phrase.split())}(长期)"


@pytest.mark.parametrize("phrase, period, within", [
    ("每季度", "quarterly", None),
    ("按季度", "quarterly", None),
    ("每月", "monthly", None),
    ("按月", "monthly", None),
    ("每半年", "half-yearly", None),
    ("每年", "yearly", None),
    ("每年2月底前", "yearly", (2, 0)),
    ("每年3月15日前", "yearly", (3, 15)),
    ("每月10日前", "monthly", (0, 10)),
    ("每季度公开一次", "quarterly", None),
])
def test_recurring_phrases(phrase, period, within):
    d = parse_deadline(phrase, Y)
    assert (d.kind, d.period, d.within_period, d.due) == ("recurring", period, within, None)
    assert d.display() == phrase


def test_relative_phrases():
    d = parse_deadline("20个工作日内", Y)
    assert (d.kind, d.workdays, d.days, d.anchor, d.due) == ("relative", 20, None, None, None)
    assert parse_deadline("二十个工作日内", Y).workdays == 20
    assert parse_deadline("15日内", Y).days == 15
    assert parse_deadline("15天内", Y).days == 15
    assert parse_deadline("收到申请之日起20个工作日内", Y).workdays == 20
    # March 2024 has no holidays: 20 working days after Friday 1 March is Friday 29 March.
    for phrase in ("2024年3月1日起20个工作日内", "自2024-03-01起20个工作日内"):
        d = parse_deadline(phrase, Y)
        assert (d.kind, d.anchor, d.workdays, d.due) == ("relative", date(2024, 3, 1), 20, date(2024, 3, 29))
        assert "2024-03-29" in d.display()
    d = parse_deadline("自2024-03-01起15天内", Y)
    assert (d.days, d.due) == (15, date(2024, 3, 16))


def test_a_month_alone_in_a_deadline_cell_is_its_end():
    """A 分工表's 完成时限 column often gives just the month ("2024年6月", "6月份"): by its end.
    In running text a month alone only names a time ("6月召开…"), so it is not a deadline there."""
    for phrase in ("2024年6月", "6月份", "6月", "六月", "6月内"):
        d = parse_deadline(phrase, Y)
        assert (d.kind, d.due) == ("date", date(2024, 6, 30)), phrase
    assert parse_deadline("2025年2月", Y).due == date(2025, 2, 28)
    # a span of months: done by the end of the last one
    for phrase, due in (("2024年3-6月", date(2024, 6, 30)), ("4月至6月", date(2024, 6, 30)),
                        ("2024年4月—12月", date(2024, 12, 31)), ("2024年11月至2025年2月", date(2025, 2, 28))):
        assert (parse_deadline(phrase, Y).kind, parse_deadline(phrase, Y).due) == ("date", due), phrase
    assert parse_deadline("3月-13月", Y).kind == "unknown"
    # the month in figures, as spreadsheets write it
    for phrase in ("2024.6", "2024-06", "2024/6"):
        assert parse_deadline(phrase, Y).due == date(2024, 6, 30), phrase
    assert parse_deadline("2024.13", Y).kind == "unknown"
    assert find_deadline_phrases("6月召开专题会议,研究部署全年工作。") == []
    assert find_deadline_phrases("6月底前召开专题会议。") == ["6月底前"]


@pytest.mark.parametrize("phrase", [
    "2月30日前", "2023年2月29日前", "13月底前", "6月前", "尽快", "每日", "", "6月0日前",
    "2024-13-45", "自2024年2月30日起20个工作日内", "每年2月30日前", "按要求",
])
def test_unknown_is_kept_and_not_guessed(phrase):
    d = parse_deadline(phrase, Y)
    assert (d.kind, d.due, d.period, d.phrase) == ("unknown", None, None, phrase)
    assert d.display() == f"无法识别:{phrase}"


def test_non_string_input_does_not_raise():
    assert parse_deadline(None, Y).kind == "unknown"
    assert parse_deadline(630, Y).kind == "unknown"


def test_leap_years_and_year_boundaries():
    assert parse_deadline("2月底前", 2023).due == date(2023, 2, 28)
    assert parse_deadline("2月底前", 2024).due == date(2024, 2, 29)
    assert parse_deadline("2月底前", 2100).due == date(2100, 2, 28)
    assert parse_deadline("2月底前", 2000).due == date(2000, 2, 29)
    assert parse_deadline("2月29日前", 2023).kind == "unknown"
    assert parse_deadline("2月29日前", 2024).due == date(2024, 2, 29)
    assert parse_deadline("12月底前", 9999).due == date(9999, 12, 31)
    # A plan year no date can carry: still no exception.
    assert parse_deadline("6月底前", 0).kind == "unknown"
    assert parse_deadline("持续推进", 0).kind == "ongoing"


def test_deadline_is_a_frozen_value():
    d = parse_deadline("6月底前", Y)
    assert d == Deadline("6月底前", "date", due=date(Y, 6, 30))
    assert len({d, parse_deadline("6月底前", Y)}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.kind = "ongoing"


def test_to_json_shape():
    d = parse_deadline("6月底前", Y)
    assert d.to_json() == {"phrase": "6月底前", "kind": "date", "due": "2024-06-30", "period": None,
                           "workdays": None, "days": None, "anchor": None}
    r = parse_deadline("自2024-03-01起20个工作日内", Y).to_json()
    assert (r["anchor"], r["due"], r["workdays"]) == ("2024-03-01", "2024-03-29", 20)


# --- generated phrases -------------------------------------------------------------------------

@given(years, months, styles, st.sampled_from(["底前", "底", "末", "底以前", "底之前", "末前", "份底前"]),
       wrappers)
def test_month_end_any_form(year, month, style, tail, wrap):
    phrase = f"{wrap[0]}{render(month, style)}月{tail}{wrap[1]}"
    d = parse_deadline(phrase, year)
    assert (d.kind, d.due) == ("date", month_end(year, month))
    assert phrase in d.display() and d.due.isoformat() in d.display()


@given(years, months, st.integers(1, 31), styles, st.sampled_from(["日前", "号前", "日以前", "日之前", "日"]),
       st.booleans())
def test_month_day_any_form(year, month, day, style, tail, explicit_year):
    head = ""
    if explicit_year:
        head = {"chinese": cn_year(year), "fullwidth": full_width(str(year))}.get(style, str(year)) + "年"
    phrase = f"{head}{render(month, style)}月{render(day, style)}{tail}"
    plan_year = 2030 if explicit_year else year
    d = parse_deadline(phrase, plan_year)
    if day <= calendar.monthrange(year, month)[1]:
        assert (d.kind, d.due) == ("date", date(year, month, day))
        assert phrase in d.display() and d.due.isoformat() in d.display()
    else:
        assert (d.kind, d.due) == ("unknown", None)
        assert d.phrase == phrase


@given(years, months, st.sampled_from([("上旬", 10), ("中旬", 20), ("下旬", 0)]), styles)
def test_xun(year, month, xun, style):
    d = parse_deadline(f"{render(month, style)}月{xun[0]}", year)
    assert d.due == (month_end(year, month) if xun[1] == 0 else date(year, month, xun[1]))


@given(years, st.integers(1, 4), st.sampled_from(["第{}季度", "{}季度", "{}季度末", "第{}季度前"]), st.booleans())
def test_quarters(year, quarter, template, chinese):
    phrase = template.format("一二三四"[quarter - 1] if chinese else quarter)
    assert parse_deadline(phrase, year).due == month_end(year, quarter * 3)


@given(years, st.sampled_from(["年底前", "年内", "年底", "年末", "今年底前", "上半年", "下半年"]))
def test_year_parts(year, phrase):
    expected = date(year, 6, 30) if phrase == "上半年" else date(year, 12, 31)
    d = parse_deadline(phrase, year)
    assert d.due == expected and expected.isoformat() in d.display()


@given(months, st.sampled_from(["每年{}月底前", "每年{}月底", "每年{}月末前"]), styles)
def test_every_year_by_month_end(month, template, style):
    d = parse_deadline(template.format(render(month, style)), Y)
    assert (d.kind, d.period, d.within_period) == ("recurring", "yearly", (month, 0))


@given(st.integers(1, 9999), st.sampled_from(["个工作日内", "工作日内", "日内", "天内", "个工作日以内"]),
       st.booleans())
def test_relative_counts(n, unit, chinese):
    if chinese:
        n = n % 99 + 1
    phrase = f"{cn_number(n) if chinese else n}{unit}"
    d = parse_deadline(phrase, Y)
    assert d.kind == "relative" and d.anchor is None and d.due is None
    assert (d.workdays if "工作日" in unit else d.days) == n


grammar_chars = st.sampled_from(list("0123456789０１年月日号底前内末季度每按半上下旬工作个天起自从之持续推进"
                                     "一二三四十〇两百 ,;、/-.()（）:") + ["\n", "\u3000"])


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=40), st.text(grammar_chars, max_size=30)), st.integers(-5, 10_005))
def test_no_phrase_crashes(text, year):
    d = parse_deadline(text, year)
    assert d.phrase == text and d.kind in ("date", "ongoing", "recurring", "relative", "unknown")
    d.display()
    d.to_json()
    for piece in split_phrases(text):
        assert piece and piece in text
    parse_deadlines(text, year)
    found = find_deadline_phrases(text)
    assert len(found) == len(set(found))
    pos = 0
    for phrase in found:
        at = text.find(phrase, pos)
        assert at >= 0
        pos = at + len(phrase)


# --- splitting a deadline cell -----------------------------------------------------------------

@pytest.mark.parametrize("text, pieces", [
    ("6月底前 持续推进", ["6月底前", "持续推进"]),
    ("6月底前;持续推进", ["6月底前", "持续推进"]),
    ("6月底前,持续推进", ["6月底前", "持续推进"]),
    ("6月底前，持续推进", ["6月底前", "持续推进"]),
    ("6月底前、持续推进", ["6月底前", "持续推进"]),
    ("6月底前\n持续推进", ["6月底前", "持续推进"]),
    ("6月底前持续推进", ["6月底前", "持续推进"]),
    ("持续推进 及时更新", ["持续推进", "及时更新"]),
    ("根据项目\n完成时限", ["根据项目\n完成时限"]),
    ("6 月底前", ["6 月底前"]),
    ("每年2月底前", ["每年2月底前"]),
    ("2024/6/30", ["2024/6/30"]),
    ("6月底前 先行试点", ["6月底前", "先行试点"]),
    ("先行 试点", ["先行 试点"]),
    ("  ", []),
])
def test_split_phrases(text, pieces):
    assert split_phrases(text) == pieces


def test_parse_deadlines_shapes():
    assert parse_deadlines(None, Y) == []
    assert [d.kind for d in parse_deadlines("6月底前 持续推进", Y)] == ["date", "ongoing"]
    assert [d.phrase for d in parse_deadlines(["6月底前", "持续推进"], Y)] == ["6月底前", "持续推进"]
    assert [d.phrase for d in parse_deadlines(["6月底前,持续推进"], Y)] == ["6月底前", "持续推进"]
    # A table cell cut across two list items, and a date YAML read as a date.
    assert [d.kind for d in parse_deadlines(["根据项目", "完成时限", "及时更新"], Y)] == ["ongoing", "ongoing"]
    assert parse_deadlines([date(2024, 6, 30)], Y)[0].due == date(2024, 6, 30)
    unknown = parse_deadlines("尽快", Y)
    assert [(d.kind, d.phrase) for d in unknown] == [("unknown", "尽快")]


# --- finding deadlines in a task's text --------------------------------------------------------

@pytest.mark.parametrize("text, found", [
    ("各县区、各部门要在2017年5月11日前完成政府信息公开工作年度报告的编制和发布", ["2017年5月11日前"]),
    ("每季度公开一次装机总容量30万千瓦及以上火电厂的监测信息", ["每季度"]),
    ("年底前将发放结果以村为单位进行公开", ["年底前"]),
    ("自收到申请之日起20个工作日内予以答复", ["20个工作日内"]),
    ("于每年2月底前公开上一年保障性住房建设任务完成情况,每年4月底前公开住房保障年度任务",
     ["每年2月底前", "每年4月底前"]),
    ("按月公开全市财政收支情况,每月更新,按月发布", ["按月", "每月"]),
    ("年内完成政务服务事项目录编制工作", ["年内"]),
    ("力争2017年底实现抽查事项清单全覆盖", ["2017年底"]),
    ("６月底前完成，１２月底前总结", ["６月底前", "１２月底前"]),
    ("二〇二四年六月三十日前 报送", ["二〇二四年六月三十日前"]),
    ("自2024年3月1日起20个工作日内完成", ["自2024年3月1日起20个工作日内"]),
    # Verbs and plain time words are not deadlines.
    ("持续推进反垄断和反不正当竞争执法信息公开,及时回应社会关切", []),
    ("各级政府在关闭煤矿前必须在《广西日报》进行公告", []),
    ("公开第三季度数据和上半年经济运行情况", []),
    ("三年内完成,一年内见效", []),
    ("去年底已经完成", []),
    ("每日发布区域空气质量预警预报信息", []),
])
def test_find_deadline_phrases(text, found):
    assert find_deadline_phrases(text) == found
    for phrase in found:
        assert phrase in text


def test_find_keeps_spaces_inside_a_phrase_and_drops_duplicates():
    assert find_deadline_phrases("6 月底前完成,再于6 月底前复核") == ["6 月底前"]
    assert find_deadline_phrases("") == []
    assert find_deadline_phrases(None) == []


# --- working days ------------------------------------------------------------------------------

def test_package_facts_for_2024():
    # The values the tests below rely on, as the installed chinese_calendar states them.
    assert chinese_calendar.is_workday(date(2024, 2, 4))      # Sunday, 调休 make-up day
    assert chinese_calendar.is_workday(date(2024, 2, 18))     # Sunday, 调休 make-up day
    assert not chinese_calendar.is_workday(date(2024, 2, 12))  # Monday, Spring Festival
    assert chinese_calendar.is_workday(date(2024, 9, 29))     # Sunday, make-up day
    assert chinese_calendar.is_workday(date(2024, 10, 12))    # Saturday, make-up day
    assert not any(chinese_calendar.is_workday(date(2024, 10, d)) for d in range(1, 8))


@pytest.mark.parametrize("start, n, expected", [
    (date(2024, 2, 3), 1, date(2024, 2, 4)),     # Saturday -> the make-up Sunday
    (date(2024, 2, 8), 1, date(2024, 2, 9)),
    (date(2024, 2, 8), 2, date(2024, 2, 18)),    # 10-17 February off, 18th a make-up Sunday
    (date(2024, 2, 8), 3, date(2024, 2, 19)),
    (date(2024, 9, 27), 1, date(2024, 9, 29)),   # Saturday off, make-up Sunday
    (date(2024, 9, 27), 2, date(2024, 9, 30)),
    (date(2024, 9, 27), 3, date(2024, 10, 8)),   # 1-7 October off
    (date(2024, 10, 8), 4, date(2024, 10, 12)),  # make-up Saturday
    (date(2024, 12, 31), 1, date(2025, 1, 2)),   # New Year's Day
    (date(2024, 6, 30), 0, date(2024, 6, 30)),
])
def test_add_working_days_holidays_and_make_up_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_add_working_days_outside_the_package_years():
    # No data for these years: Monday to Friday, no crash, and back on the calendar when it resumes.
    assert add_working_days(date(2040, 12, 28), 3) == date(2041, 1, 2)
    assert add_working_days(date(2003, 12, 30), 3) == date(2004, 1, 5)   # 2004-01-01 is a holiday
    last_known = max(chinese_calendar.holidays).year
    start = date(last_known, 12, 30)
    result = add_working_days(start, 30)
    assert result.year == last_known + 1 and result.weekday() < 5
    with pytest.raises(ValueError):
        add_working_days(start, -1)


@given(st.dates(date(2004, 1, 1), date(2025, 11, 1)), st.integers(1, 40))
def test_add_working_days_counts_package_workdays(start, n):
    result = add_working_days(start, n)
    assert chinese_calendar.is_workday(result)
    days = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(chinese_calendar.is_workday(d) for d in days) == n


# --- recurring periods -------------------------------------------------------------------------

def test_recurring_periods():
    quarters = recurring_periods(parse_deadline("每季度", Y), Y)
    assert quarters == [(date(Y, 1, 1), date(Y, 3, 31)), (date(Y, 4, 1), date(Y, 6, 30)),
                        (date(Y, 7, 1), date(Y, 9, 30)), (date(Y, 10, 1), date(Y, 12, 31))]
    months_ = recurring_periods(parse_deadline("按月", Y), Y)
    assert len(months_) == 12 and months_[1] == (date(Y, 2, 1), date(Y, 2, 29))
    assert recurring_periods(parse_deadline("每半年", Y), Y)[1] == (date(Y, 7, 1), date(Y, 12, 31))
    assert recurring_periods(parse_deadline("每年", Y), Y) == [(date(Y, 1, 1), date(Y, 12, 31))]
    assert recurring_periods(parse_deadline("每年2月底前", 2023), 2023) == [(date(2023, 1, 1), date(2023, 2, 28))]
    assert recurring_periods(parse_deadline("每年2月底前", Y), Y) == [(date(Y, 1, 1), date(Y, 2, 29))]
    assert recurring_periods(parse_deadline("每月10日前", Y), Y)[0] == (date(Y, 1, 1), date(Y, 1, 10))
    assert recurring_periods(parse_deadline("每月31日前", Y), Y)[3] == (date(Y, 4, 1), date(Y, 4, 30))
    assert recurring_periods(parse_deadline("6月底前", Y), Y) == []


# --- assessment --------------------------------------------------------------------------------

def judge(cells, as_of, progress=(), state="open", within=DEFAULT_WITHIN) -> Assessment:
    return assess(parse_deadlines(cells, Y), state=state, progress_dates=list(progress), as_of=as_of,
                  year=Y, within=within)


def test_dated_red_yellow_green():
    red = judge("6月底前", date(Y, 7, 12))
    assert (red.level, red.days_late, red.due, red.phrase) == ("red", 12, date(Y, 6, 30), "6月底前")
    assert red.reason == "已逾期12天(6月底前,2024-06-30)"
    # Progress alone does not meet a plain deadline: the task is still open.
    assert judge("6月底前", date(Y, 7, 12), [date(Y, 6, 1)]).level == "red"
    yellow = judge("6月底前", date(Y, 6, 23))
    assert (yellow.level, yellow.days_left, yellow.days_late) == ("yellow", 7, None)
    assert judge("6月底前", date(Y, 6, 30)).level == "yellow"
    assert judge("6月底前", date(Y, 6, 22)).level == "green"
    assert judge("6月底前", date(Y, 6, 22), within=10).level == "yellow"
    assert judge("6月底前", date(Y, 7, 12), state="done").level is None
    # a deadline written as the date itself is not said twice
    assert judge(f"{Y}-06-30", date(Y, 7, 12)).reason == "已逾期12天(2024-06-30)"


def test_as_of_in_the_past_ignores_later_progress():
    # On 5 February only January matters, and an entry dated June has not happened yet.
    cells = "每月"
    assert judge(cells, date(Y, 2, 5), [date(Y, 1, 20), date(Y, 6, 20)]).level == "green"
    early = judge(cells, date(Y, 2, 5), [date(Y, 6, 20)])
    assert early.level == "red" and "2024年1月" in early.reason


def test_milestone_then_ongoing():
    cells = ["6月底前", "持续推进"]
    met = judge(cells, date(Y, 8, 1), [date(Y, 6, 15)])
    assert met.level == "green" and met.due == date(Y, 12, 31)
    missed = judge(cells, date(Y, 8, 1), [date(Y, 7, 15)])
    assert (missed.level, missed.days_late, missed.due) == ("red", 32, date(Y, 6, 30))
    assert "6月底前" in missed.reason
    before = judge(cells, date(Y, 6, 25))
    assert (before.level, before.due) == ("yellow", date(Y, 6, 30))
    # the year over: the milestone was met and 持续推进 had its progress within the year
    after_year = judge(cells, date(Y + 1, 1, 10), [date(Y, 6, 15)])
    assert (after_year.level, after_year.category) == ("green", "ongoing")
    # no progress at all: late since June, and 未见进展 for the year
    idle = judge(cells, date(Y + 1, 1, 10))
    assert (idle.level, idle.days_late) == ("red", 194)


def test_ongoing_and_unanchored_relative_judged_at_year_end():
    for cells in ("持续推进", "20个工作日内", "根据项目完成时限"):
        assert judge(cells, date(Y, 6, 1)).level == "green"
        assert judge(cells, date(Y, 12, 28)).level == "yellow"
        late = judge(cells, date(Y + 1, 1, 5))
        assert (late.level, late.days_late, late.due) == ("red", 5, date(Y, 12, 31))
    assert judge([], date(Y + 1, 1, 5)).level == "red"


def test_recurring_quarterly():
    q1 = [date(Y, 2, 10)]
    red = judge("每季度", date(Y, 7, 15), q1)
    assert (red.level, red.days_late, red.due) == ("red", 15, date(Y, 6, 30))
    assert red.reason.startswith("2024年第二季度(2024-04-01至2024-06-30)无进展记录")
    assert judge("每季度", date(Y, 7, 15), q1 + [date(Y, 5, 5)]).level == "green"
    # The current quarter is ending with nothing recorded.
    soon = judge("每季度", date(Y, 9, 25), [date(Y, 2, 10), date(Y, 5, 5)])
    assert (soon.level, soon.due, soon.days_left) == ("yellow", date(Y, 9, 30), 5)
    assert judge("每季度", date(Y, 9, 25), [date(Y, 2, 10), date(Y, 5, 5), date(Y, 9, 1)]).level == "green"
    # Before the plan year nothing is due; long after it the last missing quarter decides.
    assert judge("每季度", date(Y - 1, 6, 1)).level == "green"
    future = judge("每季度", date(Y + 1, 3, 1), [date(Y, 2, 10), date(Y, 5, 5), date(Y, 8, 8)])
    assert (future.level, future.due) == ("red", date(Y, 12, 31))
    assert "2024年第四季度" in future.reason


def test_recurring_only_the_last_finished_period_decides():
    # Q1 has no entry, but Q2 (the last finished quarter) has: nothing is late on 15 July.
    caught_up = judge("每季度", date(Y, 7, 15), [date(Y, 5, 5)])
    assert caught_up.level == "green" and caught_up.due == date(Y, 9, 30)
    # After the plan year only its last period counts.
    after = judge("每季度", date(Y + 1, 3, 1), [date(Y, 11, 8)])
    assert after.level == "green" and "2024年第四季度" in after.reason and "有进展记录" in after.reason
    assert judge("按月", date(Y, 4, 3), [date(Y, 3, 30)]).level == "green"


def test_recurring_month_half_year_and_yearly_by_a_day():
    month = judge("按月", date(Y, 4, 3), [date(Y, 1, 5), date(Y, 2, 5)])
    assert (month.level, month.days_late) == ("red", 3) and "2024年3月" in month.reason
    half = judge("每半年", date(Y, 7, 2))
    assert half.level == "red" and "2024年上半年" in half.reason
    yearly = judge("每年2月底前", date(Y, 3, 5))
    assert (yearly.level, yearly.due, yearly.days_late) == ("red", date(Y, 2, 29), 5)
    assert judge("每年2月底前", date(Y, 3, 5), [date(Y, 2, 20)]).level == "green"
    assert judge("每年2月底前", date(Y, 2, 25)).level == "yellow"


def test_unknown_is_green_and_says_so():
    a = judge("尽快", date(Y, 7, 1))
    assert (a.level, a.due, a.phrase) == ("green", None, "尽快")
    assert a.reason == "期限无法识别:尽快"
    # Another deadline that is late still decides.
    assert judge(["尽快", "6月底前"], date(Y, 7, 1)).level == "red"


def test_worst_level_wins_and_ties():
    assert judge(["12月底前", "6月底前"], date(Y, 7, 1)).phrase == "6月底前"
    both_late = judge(["5月底前", "3月底前"], date(Y, 7, 1))
    assert (both_late.phrase, both_late.days_late) == ("3月底前", 92)
    both_soon = judge(["7月5日前", "7月3日前"], date(Y, 7, 1))
    assert (both_soon.level, both_soon.phrase) == ("yellow", "7月3日前")
    green = judge(["12月底前", "9月底前"], date(Y, 7, 1))
    assert (green.level, green.phrase) == ("green", "9月底前")


def test_assessment_json():
    assert judge("6月底前", date(Y, 7, 12)).to_json() == {
        "level": "red", "category": "overdue", "due": "2024-06-30", "days_late": 12, "days_left": -12,
        "phrase": "6月底前",
        "reason": "已逾期12天(6月底前,2024-06-30)"}


# --- the --due option --------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2024-06-30", "2024-06-30"),
    ("2024/6/30", "2024-06-30"),
    ("2024.6.30", "2024-06-30"),
    ("20240630", "2024-06-30"),
    ("June 30 2024", "2024-06-30"),
    ("30 June 2024", "2024-06-30"),
    ("２０２４－０６－３０", "2024-06-30"),
    ("June 30", "2024-06-30"),
    ("  6月底前 ", "6月底前"),
    ("每季度", "每季度"),
    ("持续推进", "持续推进"),
    ("2024年3月1日起20个工作日内", "2024年3月1日起20个工作日内"),
    ("6月底前,持续推进", "6月底前,持续推进"),
    ("6月底前 及时更新", "6月底前 及时更新"),
])
def test_parse_due_option_accepts(value, expected):
    assert parse_due_option(value, Y) == (expected, True)


@pytest.mark.parametrize("value", ["garbage", "June 2024", "尽快", "国庆节前", "6月底前,尽快"])
def test_parse_due_option_keeps_what_it_cannot_read(value):
    """Kept as written and flagged (not understood), never guessed."""
    assert parse_due_option(value, Y) == (value.strip(), False)


@pytest.mark.parametrize("value", ["2024-13-45", "2024-02-30", "6", "", "2月30日前", "2月30日前;持续推进"])
def test_parse_due_option_rejects(value):
    with pytest.raises(InputError) as caught:
        parse_due_option(value, Y)
    text = str(caught.value)
    assert text.startswith("无法识别的期限:") and text.endswith("(示例:6月底前、2024-06-30、每季度)")
    assert "\n" not in text and caught.value.exit_code == 2


# --- cost of importing -------------------------------------------------------------------------

def test_import_leaves_heavy_dependencies_alone():
    code = "import sys, gktrack.domain.deadlines; print('chinese_calendar' in sys.modules, 'dateutil' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# --- Chinese numerals: one reader for deadlines, typed dates and the importer's item numbers ----

_WRITTEN_DIGITS = "零一二三四五六七八九"


def _written(n: int) -> str:
    """n (1..9999) as it is written in Chinese: 十二, 一百零五, 两千零二十 (with 两 for a leading 2)."""
    parts, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, unit)
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(("两" if digit == 2 and unit >= 100 and not parts else _WRITTEN_DIGITS[digit]) + name)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


@given(st.integers(min_value=1, max_value=9999))
def test_a_number_written_in_chinese_reads_as_itself(n):
    assert number(_written(n)) == n
    assert number(str(n)) == n
    assert number("".join("〇一二三四五六七八九"[int(d)] for d in str(n)), digitwise=True) == n


@pytest.mark.parametrize("text", ["十十", "一二", "五百百", "", "二十十", "十二百", "3a", "²"])
def test_what_is_no_number_reads_as_none(text):
    assert number(text) is None


def test_a_year_written_with_circles_or_letter_o_reads_digit_by_digit():
    assert number("二○二四", digitwise=True) == 2024
    assert number("二Ｏ二四", digitwise=True) == 2024
    assert number("两〇二四", digitwise=True) is None


def test_typed_dates_and_deadlines_read_the_same_numerals():
    assert read_date("十二月三日", today=date(2024, 7, 1)).date == date(2024, 12, 3)
    assert parse_deadline("十二月底前", 2024).due == date(2024, 12, 31)
    with pytest.raises(InputError):
        read_date("十十月三日", today=date(2024, 7, 1))  # was read as October


def test_two_phrases_for_the_same_periods_list_each_missed_period_once():
    both = tuple(parse_deadlines("按月,每月", 2017))
    a = assess(both, state="open", progress_dates=[date(2017, 3, 5)], as_of=date(2017, 5, 2), year=2017)
    assert [m.label for m in a.missed_periods] == ["1月", "2月", "4月"]
