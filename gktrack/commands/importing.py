"""`gktrack import`: a published plan document (text, .docx) into a plan file, in one step."""

from __future__ import annotations

from typing import Optional

import typer

from gktrack import cli


def register(app: typer.Typer, command) -> None:
    @command("import")
    def import_(
        path: str = typer.Argument(..., metavar="文件", help="计划原文:网页复制的文本(UTF-8 或 GBK)或 .docx"),
        plan_id: Optional[str] = typer.Option(None, "--id", metavar="计划编号", help="计划编号(默认按标题中的地名和年度,如 hl2022)"),
        year: Optional[int] = typer.Option(None, "--year", "-y", metavar="年份", help="计划年度(默认取自原文)"),
        title: Optional[str] = typer.Option(None, "--title", "-t", metavar="标题", help="计划标题(默认取自原文)"),
        dry_run: bool = typer.Option(False, "--dry-run", "-n", help="只显示将导入的内容,不写文件、不提交"),
        json_out: bool = typer.Option(False, "--json", help="以 JSON 输出导入概况"),
        by: Optional[str] = typer.Option(None, "--by", metavar="姓名 <邮箱>", help="以此人名义提交"),
    ) -> None:
        """导入计划原文:识别标题、年度、文号、章节层次、任务、责任单位和期限,生成计划文件并提交一次。"""
        from gktrack.plan_import import import_plan, preview_import

        repo = cli.repository()
        if dry_run:
            preview = preview_import(repo, path, plan_id=plan_id, year=year, title=title)
            change = None
        else:
            change, preview = import_plan(repo, path, plan_id=plan_id, year=year, title=title, by=by)
        if json_out:
            data = preview.to_json()
            data["dry_run"] = dry_run
            data["commit"] = change.commit if change else None
            cli.print_json(data)
            return
        from gktrack.render import render_import

        render_import(preview, dry_run=dry_run, commit=change.commit if change else None)
