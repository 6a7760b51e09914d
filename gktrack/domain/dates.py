"""Calendar dates as people type them: 2024-06-30, 2024/6/30, 2024年6月30日, 20240630, and without
a year (6/30, 6月30日, 6.30), or in words (今天, 昨天, 前天, 上周五, 本周一, 3天前).

``read_date`` is pure: ``today`` and the year a yearless date belongs to are given by the caller
(a plan's year for work on that plan, else this year), and the caller says back what was assumed.
``today()`` is the one clock every command reads (``GKTRACK_TODAY`` pins it: ``gktrack.environment``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from gktrack.domain.numerals import number
from gktrack.domain.text import HALF_WIDTH
from gktrack.environment import pinned_today
from gktrack.errors import InputError

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "1": 0, "2": 1, "3": 2,
             "4": 3, "5": 4, "6": 5, "7": 6}
# Patterns, compiled by ``re`` on first use: every command imports this module for ``today``,
# few read a typed date.
_NUM = r"(\d{1,2}|[〇零一二两三四五六七八九十]{1,3})"
_FULL = r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*(?:日|号)?"
_COMPACT = r"(\d{4})(\d{2})(\d{2})"
_YEARLESS = rf"{_NUM}\s*(?:[-/.]|月)\s*{_NUM}\s*(?:日|号)?"
_DAYS_AGO = rf"{_NUM}\s*天(?:前|以前)"
_WEEKDAY = r"(上上|上|本|这|这个|上个)?\s*(?:周|星期|礼拜)([一二三四五六日天1-7])"
_WORDS = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3}


class TypedDate(NamedTuple):
    """A date read from what someone typed, and how: None when it was written out in full, else
    what was assumed, in Chinese, to say back ("按 2024 年", "昨天即 2024-06-29")."""

    date: dt.date
    assumed: str | None = None


def _number(text: str) -> int:
    value = number(text)
    if value is None:
        raise ValueError(text)
    return value


def read_date(value: str, what: str = "日期", *, today: dt.date, year: int | None = None) -> TypedDate:
    """The date ``value`` names. A date without a year is in ``year`` (else ``today``'s year)."""
    text = (value or "").translate(HALF_WIDTH).strip()
    try:
        found = re.fullmatch(_FULL, text) or re.fullmatch(_COMPACT, text)
        if found:
            return TypedDate(dt.date(*(int(g) for g in found.groups())))
        if text in _WORDS:
            day = today - dt.timedelta(days=_WORDS[text])
            return TypedDate(day, None if text in ("今天", "今日") else f"{text}即 {day.isoformat()}")
        found = re.fullmatch(_DAYS_AGO, text)
        if found:
            day = today - dt.timedelta(days=_number(found.group(1)))
            return TypedDate(day, f"{text}即 {day.isoformat()}")
        found = re.fullmatch(_WEEKDAY, text)
        if found:
            weeks = {"上上": 2, "上": 1, "上个": 1}.get(found.group(1) or "", 0)
            monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks)
            day = monday + dt.timedelta(days=_WEEKDAYS[found.group(2)])
            if not found.group(1) and day > today:  # "周五" alone: the last one
                day -= dt.timedelta(weeks=1)
            return TypedDate(day, f"{text}即 {day.isoformat()}")
        found = re.fullmatch(_YEARLESS, text)
        if found:
            in_year = year or today.year
            day = dt.date(in_year, _number(found.group(1)), _number(found.group(2)))
            return TypedDate(day, f"按 {in_year} 年,即 {day.isoformat()}")
    except (ValueError, KeyError, OverflowError):
        pass
    raise InputError(f"无法识别的{what}“{value}”",
                     hint="可写 2024-06-30、2024年6月30日、6/30、6月30日、昨天、上周五")


def today() -> dt.date:
    return pinned_today() or dt.date.today()


def future_work(date: dt.date, what: str, *, latest: dt.date) -> str | None:
    """The one rule on the date of work recorded (a progress entry, a completion): not after
    ``latest`` -- today for a command, a day more on the server (``hooks.check_push``). Why not,
    in Chinese, or None."""
    return f"{what} {date} 晚于今天,不能记录未来的工作" if date > latest else None


def parse_date(value: str, what: str = "日期", year: int | None = None) -> dt.date:
    """A date as people type it; without a year, in ``year`` or this one."""
    return read_date(value, what, today=today(), year=year).date
