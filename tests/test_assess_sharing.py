"""views.assess_task shares one assessment between tasks whose progress dates look the same to
deadlines.assess (the periods of a recurring deadline that have an entry, whether a milestone
has one on time): every task still gets exactly its own direct assessment."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain import deadlines
from gktrack.features import views
from gktrack.domain.model import Plan, Progress, Task

# Recurring deadlines of every period, milestones (a date, then "长期"/"持续推进"), and plain ones.
PHRASES = ["每季度", "每月10日前", "每半年", "每年2月底前", "每月", "6月底前", "2024-03-15", "年底前",
           "长期坚持", "持续推进", "收到后5日内", "上半年", "3月底前完成初稿"]

days = st.dates(dt.date(2023, 10, 1), dt.date(2025, 3, 1))
entries = st.lists(st.one_of(days, days.map(lambda d: dt.datetime(d.year, d.month, d.day, 9, 30))), max_size=5)


@settings(max_examples=200, deadline=None)
@given(phrases=st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3), year=st.sampled_from([2024, 2025]),
       as_of=days, within=st.sampled_from([None, 0, 7, 30]), tasks=st.lists(entries, min_size=2, max_size=8))
def test_tasks_sharing_an_assessment_each_get_their_own(phrases, year, as_of, within, tasks):
    plan = Plan("p", year, "t")
    kwargs = {} if within is None else {"within": within}
    parsed = deadlines.parse_deadlines(phrases, year)
    for n, dates in enumerate(tasks, 1):
        task = Task("p", n, "x", deadline=list(phrases), progress=[Progress(d, "n") for d in dates])
        want = deadlines.assess(parsed, state="open", progress_dates=dates, as_of=as_of, year=year, **kwargs)
        assert views.assess_task(plan, task, as_of, within) == want


def test_recurring_tasks_with_different_dates_share_one_assessment():
    """A city's quarterly tasks have entries on different days; what decides is the quarter."""
    plan = Plan("p", 2024, "t")
    as_of = dt.date(2024, 12, 20)
    views._ASSESSED.clear()
    found = set()
    for day in range(1, 29):
        task = Task("p", day, "x", deadline=["每季度"], progress=[Progress(dt.date(2024, 8, day), "n")])
        found.add(id(views.assess_task(plan, task, as_of)))
    assert len(found) == 1
