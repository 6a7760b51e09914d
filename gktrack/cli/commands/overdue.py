"""`gktrack overdue`: what is late, and whose is it."""

from typing import Optional

import typer

from gktrack.cli.commands.options import AsOf, Json, OnlyPlan, as_of_day
from gktrack.cli.completion import complete_unit
from gktrack.cli.context import repository
from gktrack.cli.output import print_json, warn
from gktrack.errors import InputError


def register(app: typer.Typer, command) -> None:
    @command("overdue")
    def overdue(
        as_of: AsOf = None,
        unit: Optional[str] = typer.Option(None, "--unit", "-u", metavar="单位", help="只看该单位(含其所属集体的任务)",
                                            autocompletion=complete_unit),
        plan: OnlyPlan = None,
        within: Optional[int] = typer.Option(None, "--within", "-w", metavar="天数",
                                             help="多少天内到期算“将到期”(默认 7 天,与 Taskwarrior 一致,也合每周调度)"),
        json_out: Json = False,
    ) -> None:
        """逾期(红)和将到期(黄)的任务,按责任单位分组,逾期最久的在前。无论有无逾期,退出码都是 0。"""
        from gktrack.features.views import overdue_rows

        if within is not None and not 0 <= within <= 366:
            raise InputError(f"--within 应为 0 到 366 之间的天数,而不是 {within}")
        when = as_of_day(as_of)
        repo = repository()
        rows, problems = overdue_rows(repo, as_of=when, unit=unit, plan=plan, within=within)
        if json_out:
            from gktrack.features.views import overdue_json

            warn(problems)
            print_json([overdue_json(r) for r in rows])
            return
        from gktrack.cli.render import render_overdue
        from gktrack.features.views import group_by_unit

        render_overdue(group_by_unit(repo, rows, unit), as_of=when, problems=problems)
