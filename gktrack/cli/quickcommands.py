"""The commands run many times a day (``status`` and ``overdue`` by the office, ``progress``
and ``close`` by the units' liaisons), as plain functions of their options. The Typer commands
(``gktrack/commands``) call these, and so does the entry point when it reads plain arguments
itself (``gktrack.cli.entry``); both pass the same values.

``root`` is ``--repo`` (None: $GKTRACK_REPO, or the folder and its parents).
"""

from __future__ import annotations

from gktrack.errors import InputError
from gktrack.cli.output import done, print_json, warn


def status(root: str | None = None, *, unit: str | None = None, plan: str | None = None, year: int | None = None,
           state: str = "open", as_of: str | None = None, json_out: bool = False) -> None:
    from gktrack.features.ops import parse_date, today
    from gktrack.storage.repo import find_repository
    from gktrack.features.viewcache import View

    if state not in ("open", "done", "all"):
        raise InputError(f"--state 应为 open、done 或 all,而不是“{state}”")
    when = parse_date(as_of, "--as-of 日期") if as_of else today()
    repo = find_repository(root)
    view = View(repo, "status", [when.isoformat(), unit, plan, year, state, json_out])
    if view.replay():
        return
    from gktrack.features.views import status_rows

    with view.recording():
        rows, problems = status_rows(repo, unit=unit, plan=plan, year=year, state=state, as_of=when)
        view.keep = not problems
        if json_out:
            from gktrack.features.views import task_json

            warn(problems)
            headings: dict = {}
            print_json([task_json(r.plan, r.task, row=r, headings=headings) for r in rows])
            return
        from gktrack.cli.render import render_status

        render_status(rows, unit=repo.units().canonical(unit) if unit else None, problems=problems)


def overdue(root: str | None = None, *, as_of: str | None = None, unit: str | None = None, plan: str | None = None,
            within: int | None = None, json_out: bool = False) -> None:
    from gktrack.features.ops import parse_date, today
    from gktrack.storage.repo import find_repository
    from gktrack.features.viewcache import View

    if within is not None and not 0 <= within <= 366:
        raise InputError(f"--within 应为 0 到 366 之间的天数,而不是 {within}")
    when = parse_date(as_of, "--as-of 日期") if as_of else today()
    repo = find_repository(root)
    view = View(repo, "overdue", [when.isoformat(), unit, plan, within, json_out])
    if view.replay():
        return
    with view.recording():
        if json_out:
            from gktrack.features.views import overdue_json, overdue_rows

            rows, problems = overdue_rows(repo, as_of=when, unit=unit, plan=plan, within=within)
            view.keep = not problems
            warn(problems)
            headings: dict = {}
            print_json([overdue_json(r, headings) for r in rows])
            return
        from gktrack.cli.render import render_overdue
        from gktrack.features.rowcache import overdue_view
        from gktrack.features.views import group_by_unit

        lines, problems = overdue_view(repo, as_of=when, unit=unit, plan=plan, within=within)
        view.keep = not problems
        render_overdue(group_by_unit(lines), as_of=when, problems=problems)


def progress(root: str | None = None, *, task: str, note: str, date: str | None = None, unit: str | None = None,
             by: str | None = None) -> None:
    from gktrack.features.ops import record_progress
    from gktrack.storage.repo import find_repository

    done(record_progress(find_repository(root), task, note, date=date, unit=unit, by=by).summary)


def close(root: str | None = None, *, task: str, note: str | None = None, evidence: list[str] | None = None,
          date: str | None = None, unit: str | None = None, by: str | None = None) -> None:
    from gktrack.features.ops import close_task
    from gktrack.storage.repo import find_repository

    done(close_task(find_repository(root), task, note=note, evidence=list(evidence or []), date=date, unit=unit,
                    by=by).summary)
