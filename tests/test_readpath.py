"""Read-path shortcuts give exactly what the plain computation gives."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain import deadlines
from gktrack.features import views
from gktrack.domain.model import Plan, Progress, Task

# Every kind the deadline grammar knows, alone and combined (milestones: a date then "长期").
PHRASES = ["6月底前", "2024-03-15", "年底前", "每季度", "每月10日前", "每半年", "长期坚持",
           "20个工作日内", "收到后5日内", "上半年", "看情况", "3月底前完成初稿", "持续推进", "每年2月底前"]

days = st.dates(dt.date(2023, 6, 1), dt.date(2026, 2, 1))


@settings(max_examples=300, deadline=None)
@given(phrases=st.lists(st.sampled_from(PHRASES), max_size=3), year=st.sampled_from([2023, 2024, 2025]),
       state=st.sampled_from(["open", "done"]), progress=st.lists(days, max_size=4), as_of=days,
       within=st.sampled_from([None, 0, 7, 30]))
def test_shared_assessment_equals_direct(phrases, year, state, progress, as_of, within):
    """assess_task shares assessments (progress dates only in the key where they matter)."""
    plan = Plan("p", year, "t")
    task = Task("p", 1, "x", deadline=phrases, state=state, progress=[Progress(d, "n") for d in progress])
    got = views.assess_task(plan, task, as_of, within)
    kwargs = {} if within is None else {"within": within}
    want = deadlines.assess(deadlines.parse_deadlines(phrases, year), state=state, progress_dates=progress,
                            as_of=as_of, year=year, **kwargs)
    assert got == want


def test_task_row_level_follows_assessment():
    plan = Plan("p", 2024, "t")
    task = Task("p", 1, "x", deadline=["6月底前"])
    row = views.TaskRow(plan, task, assessment=views.assess_task(plan, task, dt.date(2024, 12, 1)))
    assert row.level == "red"
    assert views.TaskRow(plan, task).level is None


def test_stored_deadlines_round_trip_and_follow_the_parser(plans_repo, monkeypatch):
    from gktrack.storage import plancache
    from gktrack.storage.repo import Repository

    phrases = PHRASES + ["每月", "每年", "2024年6月30日前", "次年1月15日前", "收到申请之日起20个工作日内",
                         "2月29日前", "国庆节前", "第三季度"]
    parsed = {((p,), y): tuple(deadlines.parse_deadlines([p], y)) for p in phrases for y in (2023, 2024)}
    parsed[tuple(phrases[:3]), 2024] = tuple(deadlines.parse_deadlines(phrases[:3], 2024))
    repo = Repository(plans_repo.root)
    store = plancache.DeadlineStore(repo)
    store.load({})
    store.save(dict(parsed))
    plancache._OPEN.clear()  # a new process
    loaded: dict = {}
    plancache.DeadlineStore(Repository(plans_repo.root)).load(loaded)
    assert loaded == parsed
    # another parser (a new gktrack or holiday calendar): nothing stored is used
    monkeypatch.setattr(plancache, "parser_version", lambda: "other")
    plancache._OPEN.clear()
    loaded = {}
    plancache.DeadlineStore(Repository(plans_repo.root)).load(loaded)
    assert loaded == {}


def test_status_uses_stored_deadlines_without_parsing(plans_repo, monkeypatch):
    first = plans_repo.json("status", "--json")
    views._PARSED.clear()
    views._ASSESSED.clear()

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")

    with monkeypatch.context() as patched:
        patched.setattr(deadlines, "parse_deadlines", no_parsing)
        assert plans_repo.json("overdue", "--as-of", "2022-12-20", "--json")
    assert plans_repo.json("status", "--json") == first


def test_only_the_invoked_command_is_built(plans_repo, monkeypatch):
    import typer.main

    from gktrack.cli import app as cli
    from tests.conftest import run_main

    built = []
    real = typer.main.get_command_from_info

    def spy(*args, **kwargs):
        info = args[0] if args else kwargs["command_info"]
        built.append(info.name)
        return real(*args, **kwargs)

    monkeypatch.setattr(typer.main, "get_command_from_info", spy)
    everything = len(cli.app.registered_commands)
    assert run_main(["--repo", str(plans_repo.root), "status", "--unit", "司法所"]).code == 0
    assert built == []  # plain arguments: read without Typer (gktrack.cli.entry)
    assert run_main(["--repo", str(plans_repo.root), "show", "hl2022/1"]).code == 0
    assert built == ["show"]
    assert len(cli.app.registered_commands) == everything  # restored for the next call
    built.clear()
    result = run_main(["--help"])
    assert result.code == 0 and "overdue" in result.out and len(built) >= everything
    built.clear()
    result = run_main(["statuz"])
    assert result.code == 2 and "没有命令“statuz”" in result.err
    assert cli._invoked_name(["-C", "x", "--repo=y", "-Cz", "show", "a"]) == "show"
    assert cli._invoked_name(["--version"]) is None and cli._invoked_name([]) is None


def test_json_lists_have_one_element_per_line(plans_repo):
    out = plans_repo.ok("status", "--json")
    lines = out.splitlines()
    data = json.loads(out)
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(data) + 2
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == data
    assert plans_repo.ok("status", "--json", "--plan", "hl2022", "--state", "done").strip() == "[]"


def test_group_by_unit_sorts_rows_given_in_any_order(plans_repo):
    """Rows come most urgent first from overdue_rows, and each group keeps that order; given
    in another order they are sorted the same way."""
    from gktrack.storage.repo import Repository

    repo = Repository(plans_repo.root)
    rows, _ = views.overdue_rows(repo, as_of=dt.date(2026, 1, 15))
    assert len(rows) > 3
    lines = views.overdue_lines(repo, rows)
    want = [(g.unit, [(r.plan_id, r.task_id) for r in g.rows]) for g in views.group_by_unit(lines)]
    for order in (lines[::-1], lines[1::2] + lines[::2]):
        got = [(g.unit, [(r.plan_id, r.task_id) for r in g.rows]) for g in views.group_by_unit(order)]
        assert got == want
    for _, ids in want:
        keys = [views._urgency(r) for r in rows if (r.plan.id, r.task.id) in ids]
        assert keys == sorted(keys)


def test_open_tasks_only_are_decoded_for_open_views(plans_repo, monkeypatch):
    """status/overdue (open tasks) build no objects for done tasks; the rows are the same as
    from whole plans, and --state all still sees every task."""
    from gktrack.storage import plancache
    from gktrack.storage.repo import Repository

    gk = plans_repo
    gk.ok("close", "hl2022/1")
    repo = Repository(gk.root)
    when = dt.date(2026, 1, 15)
    open_rows, _ = views.status_rows(repo, as_of=when)
    plans, _ = repo.load_plans()
    whole = [(p.id, t.id) for p in plans for t in p.tasks if t.state == "open"]
    assert [(r.plan.id, r.task.id) for r in open_rows] == whole
    assert all(t.state == "open" for r in open_rows for t in r.plan.tasks)
    all_rows, _ = views.status_rows(repo, as_of=when, state="all")
    assert ("hl2022", 1) in [(r.plan.id, r.task.id) for r in all_rows]
    cached = [gk.ok("overdue", "--as-of", "2026-01-15"), gk.ok("status"), gk.ok("status", "--state", "all")]
    monkeypatch.setenv("GKTRACK_NO_CACHE", "1")
    no_cache = [gk.ok("overdue", "--as-of", "2026-01-15"), gk.ok("status"), gk.ok("status", "--state", "all")]
    monkeypatch.delenv("GKTRACK_NO_CACHE")
    assert cached == no_cache
    assert "hl2022/1 " not in cached[1] and "hl2022/1 " in cached[2]
    plancache._OPEN.clear()
