"""`gktrack report YEAR`: the year's 落实情况 as Markdown, from the repository's history."""

import contextlib
import datetime
import sys
from typing import Optional

import typer

from gktrack.cli.commands.options import as_of_day
from gktrack.cli.context import repository
from gktrack.cli.output import ProgressBar, print_json
from gktrack.domain.model import YEARS
from gktrack.errors import InputError
from gktrack.storage.index import collector_paused


def register(app: typer.Typer, command) -> None:
    @command("report")
    def report(
        year: int = typer.Argument(..., metavar="年份", help="报告年度,如 2022"),
        plan: Optional[str] = typer.Option(None, "--plan", "-p", metavar="计划编号", help="只报告该计划"),
        unit: Optional[str] = typer.Option(None, "--unit", "-u", metavar="单位",
                                           help="只报告该单位承担的任务(含经“各有关单位”等集体分派的)"),
        at: Optional[str] = typer.Option(None, "--at", metavar="修订版本",
                                         help="从该提交、分支或标签的历史生成(默认 HEAD),用于核对已发布的报告"),
        as_of: Optional[str] = typer.Option(None, "--as-of", metavar="日期",
                                            help="统计截止日期,按北京时间当日 24 时(默认该年 12 月 31 日;当年未结束时为今天)"),
        json_out: bool = typer.Option(False, "--json", help="输出报告数据 JSON(供脚本使用)"),
        output: Optional[str] = typer.Option(None, "--output", "-o", metavar="文件",
                                             help="写入该文件(UTF-8),不经过命令行窗口的编码;Windows PowerShell 中请用它代替 >"),
    ) -> None:
        """年度报告:从 git 历史生成工作要点落实情况(Markdown),如 gktrack report 2022 > annual.md。

        任务状态取截止时点(默认该年 12 月 31 日 24 时)前最后一次提交中的计划文件,不是当前工作区;
        日期和人员取自提交本身,gktrack 之外的手工修改按文件内容核对并单独列出。同样的仓库和参数,输出逐字节相同。
        """
        from gktrack.domain.dates import today
        from gktrack.features.report import build_report, iter_markdown, misdated_warnings, report_json

        when = as_of_day(as_of) if as_of else None
        if when is None and year in YEARS:
            # A year not yet over is reported up to today (GKTRACK_TODAY pins it); a past year,
            # up to its 12-31, so its report does not change with the day it is made.
            when = min(datetime.date(year, 12, 31), today())
        repo = repository()
        # Refused before the work, as export and calendar do: never over units.yaml or a plan.
        target = repo.check_output(output, "报告文件") if output else None
        # A warm report of a city's year is done in well under a second and shows no bar; the
        # first one after a clone (every plan parsed) or one over years of history shows its stage.
        with collector_paused(), ProgressBar("生成报告", delay=1.0) as bar:
            data = build_report(repo, year, plan=plan, unit=unit, at=at, as_of=when, progress=bar)
        for warning in misdated_warnings(data):
            sys.stderr.write(f"gktrack: 警告:{warning}\n")
        with _destination(target):
            if json_out:
                print_json(report_json(data))
                return
            for piece in iter_markdown(data):
                sys.stdout.write(piece)


@contextlib.contextmanager
def _destination(output):
    """stdout, or the file ``-o`` names (UTF-8, "\n" line ends, as stdout into a file)."""
    if not output:
        yield
        return
    try:
        handle = open(output, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"无法写入“{output}”:{exc.strerror}") from None
    with handle, contextlib.redirect_stdout(handle):
        yield
