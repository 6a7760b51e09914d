"""The core commands: repository, plans, tasks, and the read commands over them (status, show,
units, log, overdue)."""

from typing import List, Optional

import typer

from gktrack.cli.commands.options import (
    AsOf, By, ForUnit, Json, Leads, NewUnit, OnlyPlan, PlanArg, Supports, TaskArg, as_of_day,
)
from gktrack.cli.completion import complete_task, complete_unit
from gktrack.cli.context import repository
from gktrack.cli.output import done, print_json, warn
from gktrack.errors import InputError


def register(app: typer.Typer, command) -> None:
    @command("init")
    def init(path: Optional[str] = typer.Argument(None, metavar="[路径]", help="仓库文件夹(默认当前目录,不存在则创建)")) -> None:
        """建立计划仓库:git 仓库、plans/ 文件夹、单位名册 units.yaml 和第一次提交。重复运行不做改动。"""
        from gktrack.features.ops import init_repo

        done(init_repo(path))

    @command("new-plan")
    def new_plan(
        plan_id: str = typer.Argument(..., metavar="计划编号", help="简短好输入的编号,如 hl2022(字母、数字、-、_)"),
        year: int = typer.Option(..., "--year", "-y", metavar="年份", help="计划年度"),
        title: str = typer.Option(..., "--title", "-t", metavar="标题", help="计划标题"),
        issuer: Optional[str] = typer.Option(None, "--issuer", metavar="单位", help="发文单位"),
        doc_number: Optional[str] = typer.Option(None, "--doc-number", metavar="文号", help="文号,如 新府办发〔2024〕30号"),
        issued: Optional[str] = typer.Option(None, "--issued", metavar="日期", help="印发日期"),
        source: Optional[str] = typer.Option(None, "--source", metavar="网址", help="原文地址"),
        owner: Optional[str] = typer.Option(None, "--owner", metavar="单位", help="未写明责任单位的任务由谁负责(通常为发文单位)"),
        by: By = None,
    ) -> None:
        """新建一个计划文件 plans/计划编号.yaml。"""
        from gktrack.domain.dates import parse_date
        from gktrack.features.ops import new_plan as op

        done(op(repository(), plan_id, year=year, title=title, issuer=issuer, doc_number=doc_number,
                issued=parse_date(issued, "印发日期") if issued else None, source=source, owner=owner, by=by))

    @command("add-section")
    def add_section(
        plan_id: PlanArg,
        title: str = typer.Argument(..., metavar="标题"),
        number: Optional[str] = typer.Option(None, "--number", metavar="序号", help="文中序号,如 一、 或 (二)"),
        parent: Optional[str] = typer.Option(None, "--parent", metavar="章节", help="上级章节(编号如 1,或序号、标题)"),
        by: By = None,
    ) -> None:
        """在计划中新增一个章节(一、/(一))。"""
        from gktrack.features.ops import add_section as op

        done(op(repository(), plan_id, title, number=number, parent=parent, by=by))

    @command("add")
    def add(
        plan_id: PlanArg,
        text: str = typer.Argument(..., metavar="任务内容"),
        lead: Leads = [],
        support: Supports = [],
        unit: List[str] = typer.Option([], "--unit", "-u", metavar="单位", help="责任单位;也可写原文,如“司法所牵头,党政综合办配合”", autocompletion=complete_unit),
        due: List[str] = typer.Option([], "--due", "-d", metavar="期限", help="期限,如 6月底前、2024-06-30、每季度(可多次)"),
        section: Optional[str] = typer.Option(None, "--section", metavar="章节", help="所属章节(编号如 1.2,或序号、标题)"),
        number: Optional[str] = typer.Option(None, "--number", metavar="序号", help="文中序号,如 3."),
        new_unit: NewUnit = False,
        by: By = None,
    ) -> None:
        """新增任务,输出其编号(如 hl2022/50)。"""
        from gktrack.features.ops import add_task

        done(add_task(repository(), plan_id, text, lead=lead, support=support, units=unit, due=due,
                      section=section, number=number, new_unit=new_unit, by=by))

    @command("assign")
    def assign(
        task: TaskArg,
        lead: Leads = [],
        support: Supports = [],
        unit: List[str] = typer.Option([], "--unit", "-u", metavar="单位", help="责任单位;也可写原文", autocompletion=complete_unit),
        new_unit: NewUnit = False,
        by: By = None,
    ) -> None:
        """为任务分派单位或改变单位的角色(牵头/配合/负责)。"""
        from gktrack.features.ops import assign as op

        done(op(repository(), task, lead=lead, support=support, units=unit, new_unit=new_unit, by=by))

    @command("unassign")
    def unassign(
        task: TaskArg,
        units: List[str] = typer.Argument(..., metavar="单位...", autocompletion=complete_unit),
        by: By = None,
    ) -> None:
        """取消任务的单位。"""
        from gktrack.features.ops import unassign as op

        done(op(repository(), task, units, by=by))

    @command("progress")
    def progress(
        task: TaskArg,
        note: str = typer.Argument(..., metavar="进展"),
        date: Optional[str] = typer.Option(None, "--date", metavar="日期", help="工作日期(默认今天),用于补记"),
        unit: ForUnit = None,
        by: By = None,
    ) -> None:
        """记录一条带日期的进展。"""
        from gktrack.features.ops import record_progress

        done(record_progress(repository(), task, note, date=date, unit=unit, by=by))

    @command("close")
    def close(
        task: TaskArg,
        note: Optional[str] = typer.Option(None, "--note", "-m", metavar="说明", help="完成情况说明"),
        evidence: List[str] = typer.Option([], "--evidence", "-e", metavar="网址", help="佐证,如信息公开的网址(可多次)"),
        date: Optional[str] = typer.Option(None, "--date", metavar="日期", help="完成日期(默认今天)"),
        unit: ForUnit = None,
        by: By = None,
    ) -> None:
        """关闭(办结)任务。"""
        from gktrack.features.ops import close_task

        done(close_task(repository(), task, note=note, evidence=evidence, date=date, unit=unit, by=by))

    @command("reopen")
    def reopen(
        task: TaskArg,
        note: Optional[str] = typer.Option(None, "--note", "-m", metavar="原因", help="重新打开的原因"),
        date: Optional[str] = typer.Option(None, "--date", metavar="日期", help="日期(默认今天)"),
        unit: ForUnit = None,
        by: By = None,
    ) -> None:
        """重新打开已关闭的任务。"""
        from gktrack.features.ops import reopen_task

        done(reopen_task(repository(), task, note=note, date=date, unit=unit, by=by))

    @command("undo")
    def undo(by: By = None) -> None:
        """撤销最近一次修改。已推送到服务器的(或没有服务器的仓库中的)gktrack 修改以一次新提交还原;
        尚未推送的提交直接从本克隆撤回(服务器拒绝推送时,用它逐个撤回出错的提交,改正后再同步)。"""
        from gktrack.features.ops import undo as op

        done(op(repository(), by=by))

    @command("commit-edits")
    def commit_edits(
        paths: List[str] = typer.Argument(None, metavar="[文件...]", help="手工修改过的计划文件(默认全部)"),
        message: Optional[str] = typer.Option(None, "--message", "-m", metavar="说明", help="修改说明"),
        by: By = None,
    ) -> None:
        """检查手工修改过的计划文件,无误后单独提交。单位名册列出人员(people)后,按服务器 pre-receive 钩子的
        同一规则检查:单位联络人只能改本单位任务的进展和办结字段,其余只有政务公开办可以提交。"""
        from gktrack.features.ops import commit_edits as op

        done(op(repository(), paths or [], message, by=by))

    @command("status")
    def status(
        unit: Optional[str] = typer.Option(None, "--unit", "-u", metavar="单位", help="只看该单位(牵头、配合、负责,或所属集体)的任务", autocompletion=complete_unit),
        plan: OnlyPlan = None,
        year: Optional[int] = typer.Option(None, "--year", "-y", metavar="年份", help="只看该年度的计划"),
        state: str = typer.Option("open", "--state", metavar="open|done|all", help="open 未完成(默认)、done 已完成、all 全部"),
        as_of: AsOf = None,
        json_out: Json = False,
    ) -> None:
        """按计划列出任务:编号、内容、角色、期限、状态(红/黄/绿)和最近进展。"""
        from gktrack.cli.render import render_status
        from gktrack.features.views import status_rows, task_json

        if state not in ("open", "done", "all"):
            raise InputError(f"--state 应为 open、done 或 all,而不是“{state}”")
        when = as_of_day(as_of)
        repo = repository()
        rows, problems = status_rows(repo, unit=unit, plan=plan, year=year, state=state, as_of=when)
        if json_out:
            warn(problems)
            headings: dict = {}
            print_json(task_json(r, headings) for r in rows)
            return
        render_status(rows, unit=repo.units().canonical(unit) if unit else None, problems=problems)

    @command("show")
    def show(
        task: TaskArg,
        as_of: AsOf = None,
        json_out: Json = False,
    ) -> None:
        """显示一项任务的全部信息、各单位的完成情况和变更记录。"""
        from gktrack.cli.render import render_task
        from gktrack.features.views import task_json, task_row
        from gktrack.storage.history import task_history

        repo = repository()
        plan, found = repo.find_task(task)
        row = task_row(repo, plan, found, as_of_day(as_of))
        history = task_history(repo, found.full_id) if (repo.root / ".git").exists() else []
        if json_out:
            data = task_json(row)
            data["history"] = [c.to_json() for c in history]
            print_json(data)
            return
        render_task(row, history)

    @command("units")
    def units(json_out: Json = False) -> None:
        """列出单位及其未完成、已完成任务数。"""
        from gktrack.cli.render import render_units
        from gktrack.features.views import unit_summaries

        summaries, problems = unit_summaries(repository())
        if json_out:
            warn(problems)
            print_json([s.to_json() for s in summaries])
            return
        render_units(summaries, problems)

    @command("log")
    def log(
        task: Optional[str] = typer.Argument(None, metavar="[任务]", help="只看该任务", autocompletion=complete_task),
        limit: int = typer.Option(50, "--limit", "-n", metavar="条数", help="最多显示多少条"),
        json_out: Json = False,
    ) -> None:
        """审计记录:谁、何时、改了什么、哪次提交。"""
        from gktrack.cli.render import render_log
        from gktrack.storage.history import read_log, task_history

        repo = repository()
        repo.require_git()
        # Only the commits shown are read and checked against their trailers.
        commits = task_history(repo, task) if task else read_log(repo, limit=max(limit, 0) or None)
        commits = commits[: max(limit, 0)] if limit else commits
        if json_out:
            print_json([c.to_json() for c in commits])
            return
        render_log(commits)

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
        from gktrack.cli.render import render_overdue
        from gktrack.features.views import group_by_unit, overdue_json, overdue_rows

        if within is not None and not 0 <= within <= 366:
            raise InputError(f"--within 应为 0 到 366 之间的天数,而不是 {within}")
        when = as_of_day(as_of)
        repo = repository()
        rows, problems = overdue_rows(repo, as_of=when, unit=unit, plan=plan, within=within)
        if json_out:
            warn(problems)
            print_json([overdue_json(r) for r in rows])
            return
        render_overdue(group_by_unit(repo, rows, unit), as_of=when, problems=problems)

