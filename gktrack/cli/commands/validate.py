"""`gktrack validate`: check plan files and the units registry, listing every problem."""

import sys
from typing import List

import typer

from gktrack.cli.commands.options import Json
from gktrack.cli.context import repository
from gktrack.cli.output import print_json
from gktrack.domain.text import visible


def register(app: typer.Typer, command) -> None:
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
