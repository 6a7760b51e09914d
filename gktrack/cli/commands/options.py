"""The arguments and options several commands share, each declared once (its flag, metavar and help).

A command writes ``by: By = None``; Typer reads the option from the annotation.
"""

from typing import Annotated, List, Optional

import typer

from gktrack.cli.completion import complete_plan, complete_task, complete_unit

By = Annotated[Optional[str], typer.Option(
    "--by", metavar="姓名 <邮箱>", help="以此人名义提交,写成“姓名 <邮箱>”(默认为 git 用户)")]
Json = Annotated[bool, typer.Option("--json", help="输出 JSON(供脚本使用)")]
TaskArg = Annotated[str, typer.Argument(metavar="任务", help="任务编号,如 hl2022/3", autocompletion=complete_task)]
PlanArg = Annotated[str, typer.Argument(metavar="计划编号", autocompletion=complete_plan)]
AsOf = Annotated[Optional[str], typer.Option("--as-of", metavar="日期", help="按该日期判断逾期(默认今天;按现在的计划文件中记录的日期:该日以后才办结的仍算未完成,该日以后的进展不计)")]
OnlyPlan = Annotated[Optional[str], typer.Option(
    "--plan", "-p", metavar="计划编号", help="只看该计划", autocompletion=complete_plan)]
# Recording for a unit: progress, close, reopen.
ForUnit = Annotated[Optional[str], typer.Option(
    "--unit", "-u", metavar="单位", help="代哪个单位记录", autocompletion=complete_unit)]
# Assigning units: add, assign.
Leads = Annotated[List[str], typer.Option(
    "--lead", "-l", metavar="单位", help="牵头单位(可多次)", autocompletion=complete_unit)]
Supports = Annotated[List[str], typer.Option(
    "--support", "-s", metavar="单位", help="配合单位(可多次)", autocompletion=complete_unit)]
NewUnit = Annotated[bool, typer.Option("--new-unit", help="把名册中没有的单位登记为新单位")]


def as_of_day(as_of: Optional[str]):
    """The ``--as-of`` date, or today."""
    from gktrack.domain.dates import parse_date, today

    return parse_date(as_of, "--as-of 日期") if as_of else today()
