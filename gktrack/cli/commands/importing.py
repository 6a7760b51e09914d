"""`gktrack import`: a published plan document (text, Word, Excel, PDF, web page) into a plan file, in one step."""

import sys
from pathlib import Path
from typing import List, Optional

import typer

from gktrack.cli.commands.options import By
from gktrack.cli.context import repository
from gktrack.cli.output import ProgressBar, done, print_json
from gktrack.domain.text import visible
from gktrack.errors import GktrackError, InputError


def register(app: typer.Typer, command) -> None:
    @command("import")
    def import_(
        paths: List[str] = typer.Argument(..., metavar="文件...", help="计划原文:文本(UTF-8 或 GBK)、.docx、.xlsx、.pdf、.html,装有 LibreOffice 时也可以是 .doc/.wps/.et/.xls;可一次给多个"),
        plan_id: Optional[str] = typer.Option(None, "--id", metavar="计划编号", help="计划编号(默认按标题中的地名和年度,如 hl2022)"),
        year: Optional[int] = typer.Option(None, "--year", "-y", metavar="年份", help="计划年度(默认取自原文)"),
        title: Optional[str] = typer.Option(None, "--title", "-t", metavar="标题", help="计划标题(默认取自原文,原文没有时取文件名)"),
        owner: Optional[str] = typer.Option(None, "--owner", metavar="单位", help="发文单位:承担未写责任单位的任务,也是文中“我局”“本单位”所指(默认取自原文)"),
        dry_run: bool = typer.Option(False, "--dry-run", "-n", help="只显示将导入的内容,不写文件、不提交"),
        json_out: bool = typer.Option(False, "--json", help="以 JSON 输出导入概况"),
        by: By = None,
    ) -> int:
        """导入计划原文:识别标题、年度、文号、章节层次、任务、责任单位和期限,生成计划文件并提交一次。
        一次给多个文件时逐个导入,每个文件一次提交。单位名册列出人员(people)后,只有政务公开办(office 角色)
        可以导入;--dry-run 谁都可以用。"""
        repo = repository()
        if not dry_run:
            # A new plan is the office's to publish (units.yaml people); anyone may look with --dry-run.
            from gktrack.features.ops import require_office

            require_office(repo, by, "import")
        if len(paths) > 1:
            if plan_id or title:
                raise InputError("--id 和 --title 只能用于单个文件")
            return _import_many(repo, paths, dry_run=dry_run, json_out=json_out, by=by, year=year, owner=owner)
        preview, commit = _import_one(repo, paths[0], dry_run=dry_run, by=by, plan_id=plan_id, year=year,
                                      title=title, owner=owner)
        if json_out:
            print_json(_json(preview, commit, dry_run))
            return 0
        from gktrack.cli.render import render_import

        render_import(preview, dry_run=dry_run, commit=commit)
        return 0


def _import_one(repo, path: str, *, dry_run: bool, by, **options):
    """The import's preview, and its commit (None with ``dry_run``)."""
    from gktrack.features.importer.plan import import_plan, preview_import

    if dry_run:
        return preview_import(repo, path, **options), None
    change, preview = import_plan(repo, path, by=by, **options)
    return preview, change.commit


def _json(preview, commit: str | None, dry_run: bool) -> dict:
    return {**preview.to_json(), "dry_run": dry_run, "commit": commit}


def _import_many(repo, paths: list[str], *, dry_run: bool, json_out: bool, by, **options) -> int:
    """Each file its own commit; a file that fails is reported and the rest still go in."""
    results, failed = [], 0
    with ProgressBar("导入") as bar:
        for count, path in enumerate(paths):
            bar(Path(path).name, count, len(paths))
            try:
                preview, commit = _import_one(repo, path, dry_run=dry_run, by=by, **options)
            except GktrackError as exc:
                failed += 1
                sys.stderr.write(visible(f"gktrack: 错误:{path}:{exc}", one_line=True) + "\n")
                results.append({"file": path, "error": str(exc)})
                continue
            results.append({"file": path, **_json(preview, commit, dry_run)})
            if not json_out:
                plan = preview.plan
                verb = "将导入" if dry_run else "已导入"
                shown = f",提交 {commit[:8]}" if commit else ""
                done(f"{verb} {path} → {plan.id}:{plan.title}({len(plan.tasks)} 项任务{shown})")
        bar("完成", len(paths), len(paths))
    if json_out:
        print_json(results)
    return 1 if failed else 0
