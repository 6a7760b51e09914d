"""`gktrack calendar`: the .ics file read back with icalendar."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr
from icalendar import Calendar


def _events(path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    assert str(cal["version"]) == "2.0" and "gktrack" in str(cal["prodid"])
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def _start(event) -> dt.date:
    return event.decoded("dtstart")


def test_dated_deadlines_with_reminders(plans_repo, tmp_path):
    out = tmp_path / "a.ics"
    said = plans_repo.ok("calendar", "-o", out)
    events = _events(out)
    assert "3 个日程" in said
    assert set(events) == {"hl2022-1-1@gktrack", "hl2022-3-1@gktrack", "qz2024-1-1@gktrack"}
    one = events["hl2022-1-1@gktrack"]
    assert _start(one) == dt.date(2022, 6, 30)
    assert one.decoded("dtend") == dt.date(2022, 7, 1)
    assert str(one["summary"]).startswith("hl2022/1 依托政府信息公开平台")
    assert "6月底前" in str(one["summary"])
    assert "责任单位:司法所" in str(one["description"])
    assert str(one["status"]) == "CONFIRMED" and str(one["transp"]) == "TRANSPARENT"
    (alarm,) = one.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    # three days before, at 9:00
    assert alarm.decoded("trigger") == dt.timedelta(days=-3, hours=9)
    assert _start(events["qz2024-1-1@gktrack"]) == dt.date(2024, 9, 30)


def test_recurring_deadlines_are_rrules(plans_repo, tmp_path):
    from gktrack.domain.deadlines import parse_deadline, recurring_periods

    plans_repo.ok("add", "qz2024", "每季度公开财政数据", "--lead", "区政数局", "--due", "每季度")
    plans_repo.ok("add", "qz2024", "每月10日前报送信息", "--lead", "区政数局", "--due", "每月10日前")
    plans_repo.ok("add", "qz2024", "每月底前更新专栏", "--lead", "区政数局", "--due", "每月底前")
    plans_repo.ok("add", "qz2024", "半年总结", "--lead", "区政数局", "--due", "每半年")
    out = tmp_path / "r.ics"
    plans_repo.ok("calendar", "--plan", "qz2024", "-o", out)
    events = _events(out)
    for task_id, phrase in ((3, "每季度"), (4, "每月10日前"), (5, "每月底前"), (6, "每半年")):
        event = events[f"qz2024-{task_id}-1@gktrack"]
        assert "rrule" in event, phrase
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=dt.datetime.combine(_start(event), dt.time()))
        got = [d.date() for d in rule]
        expected = [end for _s, end in recurring_periods(parse_deadline(phrase, 2024), 2024)]
        assert got == expected, phrase
    assert [d for d in got] == [dt.date(2024, 6, 30), dt.date(2024, 12, 31)]


def test_uids_stable_and_closed_tasks_cancelled(plans_repo, tmp_path):
    first, second = tmp_path / "1.ics", tmp_path / "2.ics"
    plans_repo.ok("calendar", "-o", first)
    plans_repo.ok("progress", "hl2022/3", "分类展示已上线", "--unit", "司法所")
    plans_repo.ok("close", "hl2022/1", "--unit", "司法所")
    plans_repo.ok("calendar", "-o", second)
    before, after = _events(first), _events(second)
    assert set(before) == set(after)
    assert all(_start(before[uid]) == _start(after[uid]) for uid in before)
    closed = after["hl2022-1-1@gktrack"]
    assert str(closed["status"]) == "CANCELLED" and "[已完成]" in str(closed["summary"])
    assert closed.walk("VALARM") == []
    assert "分类展示已上线" in str(after["hl2022-3-1@gktrack"]["description"])


def test_unit_filter_and_remind(plans_repo, tmp_path):
    out = tmp_path / "u.ics"
    plans_repo.ok("calendar", "--unit", "区政数局", "--remind", "7", "-o", out)
    cal = Calendar.from_ical(out.read_bytes())
    assert "区政数局" in str(cal["x-wr-calname"])
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"qz2024-1-1@gktrack"}
    (alarm,) = events["qz2024-1-1@gktrack"].walk("VALARM")
    assert alarm.decoded("trigger") == dt.timedelta(days=-7, hours=9)
    assert "--remind" in plans_repo.fail("calendar", "--remind", "99", "-o", out)
    assert "单位名册中没有" in plans_repo.fail("calendar", "--unit", "不存在的局", "-o", out)
