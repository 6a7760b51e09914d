"""The office's own tools: validate, spreadsheets out and back in, calendars, the schema, edit,
completion."""

import os
import sys
from typing import List, Optional

import typer

from gktrack.cli.commands.options import AsOf, By, Json, TaskArg, as_of_day
from gktrack.cli.completion import complete_plan, complete_unit
from gktrack.cli.context import repository
from gktrack.cli.output import done, print_json, warn
from gktrack.domain.text import visible
from gktrack.errors import InputError

COMPLETE_VAR = "_GKTRACK_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


def register(app: typer.Typer, command) -> None:
    if os.environ.get(COMPLETE_VAR):
        # add_completion=False keeps Typer's English options out of --help; its completion classes
        # (the "complete_bash" protocol the printed scripts speak) are registered here instead.
        from typer._completion_classes import completion_init

        completion_init()

    @command("validate")
    def validate(
        paths: List[str] = typer.Argument(None, metavar="[文件...]",
                                          help="要检查的计划文件或文件夹(默认:单位名册和全部计划)"),
        staged: bool = typer.Option(False, "--staged",
                                    help="检查暂存区(即将提交)的内容,供 git pre-commit 钩子使用"),
        strict: bool = typer.Option(False, "--strict", help="有警告也以非零状态退出"),
        json_out: Json = False,
    ) -> int:
        """检查计划文件和单位名册:YAML 语法、字段和类型、编号、单位名称、期限写法、合并冲突、重复任务、编码。

        每个问题一行(文件:行:列),全部列出;有错误时退出码为 1(加 --strict 时警告也算)。
        """
        from gktrack.features.validate import ERROR, check, summary

        repo = repository()
        problems, files = check(repo, paths or [], staged=staged)
        failed = any(p.severity == ERROR for p in problems) or (strict and bool(problems))
        if json_out:
            print_json({"ok": not failed, "files": files, "problems": [p.to_json() for p in problems]})
            return 1 if failed else 0
        for problem in problems:
            sys.stdout.write(visible(f"{problem}", one_line=True) + "\n")
        if problems:
            sys.stderr.write(f"gktrack: {summary(problems)}(已检查 {len(files)} 个文件)\n")
        elif not staged or files:
            sys.stdout.write(summary(problems, len(files)) + "\n")
        return 1 if failed else 0

    @command("export")
    def export(
        output: Optional[str] = typer.Option(None, "--output", "-o", metavar="文件",
                                             help="输出文件(.xlsx、.csv 或 .md,不带后缀时按格式补上);--format md 时可省略,输出到标准输出"),
        plan: Optional[str] = typer.Option(None, "--plan", "-p", metavar="计划编号", help="导出该计划",
                                           autocompletion=complete_plan),
        unit: Optional[str] = typer.Option(None, "--unit", "-u", metavar="单位", help="只导出该单位的任务",
                                           autocompletion=complete_unit),
        overdue: bool = typer.Option(False, "--overdue", help="只导出逾期和将到期的任务"),
        form: bool = typer.Option(False, "--form", help="导出该单位的进展填报表(需 --unit),填好后用 import-progress 导入"),
        all_tasks: bool = typer.Option(False, "--all", help="填报表也列出已完成的任务"),
        fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="xlsx|csv|md",
                                          help="文件格式(默认按扩展名);md 为 Markdown,每个章节一张表,适合在 git 服务器网页上查看"),
        as_of: AsOf = None,
    ) -> None:
        """导出分工表(序号/工作任务/具体要求/牵头单位/配合单位/时限要求/完成情况/进展)或单位的进展填报表;
        --format md 导出 Markdown 计划视图(每个章节一张表,可提交到仓库,在 git 服务器网页上查看)。"""
        from gktrack.features.exchange.export import (
            division_sheet, output_path, progress_form, write_markdown, write_sheet,
        )

        when = as_of_day(as_of)
        repo = repository()
        if form:
            if not unit:
                raise InputError("导出进展填报表需要用 --unit 指定单位")
            if overdue:
                raise InputError("--form 与 --overdue 不能同时使用")
            sheet, problems = progress_form(repo, unit=unit, plan=plan, as_of=when, include_done=all_tasks)
        else:
            sheet, problems = division_sheet(repo, plan=plan, unit=unit, overdue=overdue, as_of=when)
        warn(problems)
        if output is None:
            if (fmt or "").lower() not in ("md", "markdown"):
                raise InputError("请用 -o 指定输出文件(只有 --format md 可以输出到标准输出)")
            sys.stdout.write(write_markdown(sheet, as_of=when))
            return
        # the name as given may not be a file gktrack keeps, nor the name with its suffix added
        path, fmt = output_path(repo.check_output(output), fmt)
        write_sheet(sheet, repo.check_output(path), fmt, as_of=when)
        kind = "进展填报表" if sheet.form else "分工表"
        done(f"已导出{kind} {path}({len(sheet.rows)} 项任务,{fmt})")

    @command("import-progress")
    def import_progress(
        path: str = typer.Argument(..., metavar="文件", help="单位交回的进展填报表(.xlsx)"),
        dry_run: bool = typer.Option(False, "--dry-run", "-n", help="只检查并显示将记录的内容,不提交"),
        json_out: Json = False,
        by: By = None,
    ) -> int:
        """导入单位交回的进展填报表:每个填写的行记为该单位的进展或办结,每张表一次提交;有问题的行列出行号,不记录。
        有行未记录时退出码为 1。"""
        from gktrack.features.exchange.forms import import_progress as op

        results = op(repository(), path, by=by, dry_run=dry_run)
        refused = sum(len(r.problems) for r in results)
        if json_out:
            print_json([r.to_json() for r in results])
            return 1 if refused else 0
        for result in results:
            label = f"工作表“{result.sheet}”({result.unit or '单位不明'})"
            closes = sum(1 for a in result.actions if a.kind == "close")
            notes = len(result.actions) - closes
            verb = "将记录" if dry_run else "已记录"
            if result.actions:
                commit = f",提交 {result.commit[:8]}" if result.commit else ""
                done(f"{label}:{verb} {notes} 条进展、{closes} 项办结{commit}")
                if dry_run:
                    for action in result.actions:
                        kind = "办结" if action.kind == "close" else "进展"
                        print(visible(f"  第 {action.row} 行 {action.ref} {kind} {action.date}:{action.note}"))
            else:
                done(f"{label}:没有需要记录的行")
            for word, rows in (("提示", result.skipped), ("注意", result.doubts), ("未记录", result.problems)):
                for row in rows:
                    sys.stderr.write(visible(f"gktrack: {word}:{label} {row}") + "\n")
        return 1 if refused else 0

    @command("calendar")
    def calendar(
        output: str = typer.Option(..., "--output", "-o", metavar="文件", help="输出的 .ics 文件"),
        plan: Optional[str] = typer.Option(None, "--plan", "-p", metavar="计划编号", help="只含该计划",
                                           autocompletion=complete_plan),
        unit: Optional[str] = typer.Option(None, "--unit", "-u", metavar="单位", help="只含该单位的任务",
                                           autocompletion=complete_unit),
        remind: int = typer.Option(3, "--remind", metavar="天数", help="提前几天提醒(当天 9:00;默认 3 天)"),
    ) -> None:
        """导出日历(.ics):每个有日期的期限一个全天日程并提前提醒,周期性期限为重复日程;再次导入会更新而不重复。"""
        from gktrack.features.exchange.calendar import build_calendar, calendar_entries
        from gktrack.features.exchange.export import write_output

        if not 0 <= remind <= 60:
            raise InputError(f"--remind 应为 0 到 60 之间的天数,而不是 {remind}")
        repo = repository()
        target = repo.check_output(output)
        entries, problems, notes = calendar_entries(repo, plan=plan, unit=unit)
        warn(problems)
        for note in notes:
            sys.stderr.write(f"gktrack: 提示:{visible(note)}\n")
        name = "政务公开任务期限" + (f"({repo.units().canonical(unit) or unit})" if unit else "") + (f" {plan}" if plan else "")
        write_output(target, build_calendar(entries, name=name, remind_days=remind))
        done(f"已导出日历 {output}({len(entries)} 个日程)")

    @command("schema")
    def schema(kind: str = typer.Argument("plan", metavar="[plan|units]", help="plan 计划文件(默认)或 units 单位名册")) -> None:
        """输出计划文件或单位名册的 JSON Schema(供编辑器校验和补全)。"""
        from gktrack.storage.schema import KINDS, shipped_text

        if kind not in KINDS:
            raise InputError(f"没有“{kind}”的结构定义(可用 plan 或 units)")
        sys.stdout.write(shipped_text(kind))

    @command("edit")
    def edit(
        task: TaskArg,
        start_from: Optional[str] = typer.Option(None, "--from", metavar="文件", help="从上次未通过检查而保存的内容开始编辑"),
        by: By = None,
    ) -> None:
        """在编辑器($VISUAL/$EDITOR)中修改一项任务;保存后按计划文件规则检查,通过才提交,且只改这一项任务。"""
        from gktrack.features.edit import edit_task

        done(edit_task(repository(), task, start_from=start_from, by=by))

    @command("completion")
    def completion(shell: str = typer.Argument(..., metavar="SHELL类型", help="所用的 shell:bash、zsh 或 fish")) -> None:
        """输出 shell 补全脚本(补全命令、计划编号、任务编号和单位名称)。
        用法:bash 在 ~/.bashrc 中加 eval "$(gktrack completion bash)";zsh 同理;
        fish:gktrack completion fish > ~/.config/fish/completions/gktrack.fish"""
        from typer._completion_shared import get_completion_script

        if shell not in SHELLS:
            raise InputError(f"不支持的 shell“{shell}”(可用 {'、'.join(SHELLS)})")
        print(get_completion_script(prog_name="gktrack", complete_var=COMPLETE_VAR, shell=shell))
