"""Deadlines as an iCalendar (.ics) file for Outlook, WPS, phone and web calendars.

One all-day event per dated deadline, with a reminder before it; a recurring deadline (每季度,
每月10日前) is one event with an RRULE. UIDs come from plan, task and the deadline's position on
the task, so importing the file again updates the events instead of adding copies; a task that
has been closed stays in the file marked CANCELLED, which removes it from calendars that already
hold it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gktrack.domain.dates import today
from gktrack.domain.deadlines import milestone_not_owed, owed_periods, parse_deadlines
from gktrack.domain.model import Plan, Task
from gktrack.domain.text import clip
from gktrack.features.exchange.export import progress_text
from gktrack.features.views import effective_units, status_rows
from gktrack.storage.repo import Repository

PRODID = "-//gktrack//政务公开任务期限//ZH"
UID_DOMAIN = "gktrack"
REMIND_HOUR = 9  # the reminder rings at 9:00, not at midnight


@dataclass
class CalendarEntry:
    uid: str
    plan: Plan
    task: Task
    phrase: str
    start: dt.date
    rrule: dict | None = None
    rdates: list[dt.date] = field(default_factory=list)


def _recurrence(deadline, year: int, issued: dt.date | None) -> tuple[dt.date, dict | None, list[dt.date]] | None:
    """(first date, RRULE, extra dates) of a recurring deadline over the periods of the plan year
    that it asks for."""
    ends = [end for _start, end in owed_periods(deadline, year, issued)]
    if not ends:
        return None
    if len(ends) == 1:
        return ends[0], None, []
    if deadline.period == "monthly":
        day = deadline.within_period[1] if deadline.within_period else 0
        if 0 <= day <= 28:  # 0: by the month's end
            return ends[0], {"FREQ": "MONTHLY", "BYMONTHDAY": day or -1, "COUNT": len(ends)}, []
        # "每月30日前" ends on 28 February: no RRULE says that, so the dates are listed.
        return ends[0], None, ends[1:]
    months = {"quarterly": 3, "half-yearly": 6}.get(deadline.period)
    if months and all((end + dt.timedelta(days=1)).day == 1 for end in ends):  # each at its month's end
        return ends[0], {"FREQ": "MONTHLY", "INTERVAL": months, "BYMONTHDAY": -1, "COUNT": len(ends)}, []
    return ends[0], None, ends[1:]


# An all-day event ends the day after it starts; iCalendar (and Python's dates) stop at 9999.
LAST_DAY = dt.date(9998, 12, 31)


def calendar_entries(repo: Repository, *, plan: str | None = None,
                     unit: str | None = None) -> tuple[list[CalendarEntry], list, list[str]]:
    """Every dated or recurring deadline of the selected tasks, open and closed; the plan files
    that could not be read; and, in Chinese, the deadlines no calendar can hold (left out)."""
    rows, problems = status_rows(repo, unit=unit, plan=plan, state="all", as_of=today())
    entries, notes = [], []
    for row in rows:
        deadlines = parse_deadlines(row.task.deadline, row.plan.year)
        for index, deadline in enumerate(deadlines, start=1):
            uid = f"{row.plan.id}-{row.task.id}-{index}@{UID_DOMAIN}"
            if deadline.kind == "recurring":
                found = _recurrence(deadline, row.plan.year, row.plan.issued)
                if found is None:
                    continue
                entry = CalendarEntry(uid, row.plan, row.task, deadline.phrase, *found)
            elif deadline.due is not None and not milestone_not_owed(deadlines, index - 1, row.plan.issued):
                entry = CalendarEntry(uid, row.plan, row.task, deadline.phrase, deadline.due)
            else:
                continue
            if max([entry.start, *entry.rdates]) > LAST_DAY:
                notes.append(f"任务 {row.task.full_id} 的期限“{deadline.phrase}”超出日历能表示的范围"
                             f"(最晚 {LAST_DAY.year} 年),未列入日历;请检查期限是否写错")
                continue
            entries.append(entry)
    return entries, problems, notes


def build_calendar(entries: list[CalendarEntry], *, name: str, remind_days: int) -> bytes:
    from icalendar import Alarm, Calendar, Event

    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    for key, value in (("prodid", PRODID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                       ("method", "PUBLISH"), ("x-wr-calname", name), ("x-wr-timezone", "Asia/Shanghai")):
        cal.add(key, value)
    for entry in entries:
        task = entry.task
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.start + dt.timedelta(days=1))
        if entry.rrule:
            event.add("rrule", entry.rrule)
        if entry.rdates:
            event.add("rdate", entry.rdates)
        text = " ".join(task.text.split())
        done = task.state == "done"
        event.add("summary", f"{'[已完成] ' if done else ''}{task.full_id} {clip(text)}(时限:{entry.phrase})")
        units = "、".join(u.name for u in effective_units(entry.plan, task)) or "(未分派)"
        lines = [text, "", f"计划:{entry.plan.title}", f"责任单位:{units}", f"时限要求:{task.deadline_text or ''}",
                 f"任务编号:{task.full_id}"]
        progress = progress_text(task, limit=3)
        if progress:
            lines += ["", "最近进展:", progress]
        event.add("description", "\n".join(lines))
        event.add("categories", [entry.plan.id])
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        event.add("status", "CANCELLED" if done else "CONFIRMED")
        if not done:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{task.full_id} 将于 {entry.phrase} 到期")
            alarm.add("trigger", dt.timedelta(days=-remind_days, hours=REMIND_HOUR))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
