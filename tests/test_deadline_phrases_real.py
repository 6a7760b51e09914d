"""Deadline phrases that real plans write and the parser once misread: each case below was
"期限无法识别" (a task that could never go red), or read as two phrases ("每年" and this year's
"年底前"), before its rule was added."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gktrack.domain.deadlines import find_deadline_phrases, parse_deadline, parse_deadlines

Y = 2024


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# phrase -> the date it names (kind "date"), read in a 2024 plan
DATED = [
    # a result verb after the date: the date is when the result is due
    ("年底前全面建成", date(Y, 12, 31)),
    ("年底前全面完成", date(Y, 12, 31)),
    ("年底前基本完成", date(Y, 12, 31)),
    ("2024年6月底前建成", date(Y, 6, 30)),
    ("6月底前上线", date(Y, 6, 30)),
    ("9月底前印发", date(Y, 9, 30)),
    ("10月底前出台", date(Y, 10, 31)),
    # two parts of a month: by the end of the later
    ("10月中下旬", date(Y, 10, 31)),
    ("6月上中旬", date(Y, 6, 20)),
    ("2024年11月中下旬前", date(Y, 11, 30)),
    # a year alone in a deadline cell: its end, as a month alone is the month's end
    ("2024年度", date(Y, 12, 31)),
    ("2024年", date(Y, 12, 31)),
    ("本年度", date(Y, 12, 31)),
    ("今年", date(Y, 12, 31)),
    ("2025年度完成", date(2025, 12, 31)),
]


@pytest.mark.parametrize("phrase, due", DATED)
def test_dated(phrase, due):
    d = parse_deadline(phrase, Y)
    assert (d.kind, d.due, d.phrase) == ("date", due, phrase)


# phrase -> (period, the day within it: (month, day), day 0 meaning the month's last)
RECURRING = [
    ("每年年底前", "yearly", (12, 0)),
    ("每年年末", "yearly", (12, 0)),
    ("每年的12月", "yearly", (12, 0)),
    ("每年6月", "yearly", (6, 0)),
    # each month's report due by a day of the next: the same monthly day
    ("次月10日前", "monthly", (0, 10)),
    ("次月5日前", "monthly", (0, 5)),
    ("每月月底前", "monthly", None),
    ("每月月末", "monthly", None),
]


@pytest.mark.parametrize("phrase, period, within", RECURRING)
def test_recurring(phrase, period, within):
    d = parse_deadline(phrase, Y)
    assert (d.kind, d.period, d.within_period, d.phrase) == ("recurring", period, within, phrase)


def test_every_year_end_in_running_text_is_one_phrase():
    assert find_deadline_phrases("每年年底前公开本年度工作情况") == ["每年年底前"]


# work that goes on, judged by progress within the plan year
ONGOING = [
    "2023年起持续推进", "2024年起", "自2024年起", "从2023年开始", "2024年6月起持续推进", "二〇二三年起长期坚持",
    "长期执行", "长期保持", "2024年全年",
]


@pytest.mark.parametrize("phrase", ONGOING)
def test_ongoing(phrase):
    d = parse_deadline(phrase, Y)
    assert (d.kind, d.due, d.phrase) == ("ongoing", None, phrase)


def test_a_start_and_ongoing_work_in_one_cell():
    assert [d.kind for d in parse_deadlines("2024年全年持续推进", Y)] == ["ongoing", "ongoing"]


# phrase -> (days, the date when the phrase gives its start)
WEEKS = [
    ("一周内", 7, None),
    ("两周内", 14, None),
    ("1个星期内", 7, None),
    ("更改内容后一周内", 7, None),
    ("2024年3月1日起两周内", 14, date(Y, 3, 15)),
]


@pytest.mark.parametrize("phrase, days, due", WEEKS)
def test_weeks_are_seven_days(phrase, days, due):
    d = parse_deadline(phrase, Y)
    assert (d.kind, d.days, d.workdays, d.due) == ("relative", days, None, due)


# what names no time, or only a start, stays unread: a wrong date is worse than none
@pytest.mark.parametrize("phrase", [
    "按上级要求", "按上级统一要求", "按规定时限", "按时完成", "6月前", "2024年12月前",
    "6月底前启动", "年底前开展", "年度", "年", "每年6月前",
    # a start after the plan year asks nothing of it; a month that does not exist is no start
    "2025年起", "2024年13月起",
    "0周内", "每周", "次月", "次月32日前", "活动结束后次月10日前",
])
def test_still_unknown(phrase):
    assert parse_deadline(phrase, Y).kind == "unknown"


@given(st.integers(1, 12), st.sampled_from(["", "完成", "前完成", "全面完成", "基本完成", "建成"]))
def test_month_end_with_a_result_verb(month, tail):
    phrase = f"{month}月底前{tail}" if not tail.startswith("前") else f"{month}月底{tail}"
    assert parse_deadline(phrase, Y).due == month_end(Y, month)


@given(st.dates(date(Y, 1, 1), date(Y, 12, 31)), st.sampled_from(["完成", "全面完成", "建成", "上线", "印发"]))
def test_a_result_verb_never_changes_the_reading(day, verb):
    phrase = f"{day.month}月{day.day}日前"
    plain, with_verb = parse_deadline(phrase, Y), parse_deadline(phrase + verb, Y)
    assert (plain.kind, plain.due) == ("date", day)
    assert (with_verb.kind, with_verb.due) == (plain.kind, plain.due)


def test_cells_holding_two_phrases():
    read = [(d.kind, d.due) for d in parse_deadlines("2024年3月底前启动,年底前全面建成", Y)]
    assert read == [("unknown", None), ("date", date(Y, 12, 31))]


def test_a_year_alone_is_no_deadline_in_running_text():
    assert find_deadline_phrases("做好2024年度政府信息公开工作年度报告编制工作") == []


@given(st.integers(1, 12), st.sampled_from([("上中旬", 20), ("中下旬", 0)]))
def test_two_parts_of_a_month(month, span):
    words, day = span
    d = parse_deadline(f"{month}月{words}", Y)
    assert d.due == (month_end(Y, month) if day == 0 else date(Y, month, day))
