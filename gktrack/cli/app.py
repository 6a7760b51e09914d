"""The command line: the Typer app and its Chinese help (run by ``gktrack.cli.entry``, where errors
become exit codes).

Commands live in ``gktrack/commands/`` (one module per area, each with ``register(app)``); they
parse arguments, call the library and render. Nothing below this layer prints or exits.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
import typer.core

from typer import _click as click  # typer 0.28 carries its own copy of click
from typer.core import TyperArgument as _Argument

from gktrack import __version__
from gktrack.cli.entry import guarded
from gktrack.cli.output import done, print_json  # noqa: F401 - the commands' cli.done, cli.print_json

# Typer/click print their own help words; gktrack's users read Chinese.
_ZH = {
    "Commands": "命令",
    "Options": "选项",
    "Arguments": "参数",
    "required": "必填",
    "default: {default}": "默认:{default}",
    "Show this message and exit.": "显示本帮助并退出",
}


def _zh(message: str) -> str:
    return _ZH.get(message, message)


typer.core._ = _zh  # typer's gettext hook for "Commands", "default: …", "required"


class _ChineseHelp:
    """Mixed into Typer's command and group classes: Chinese usage line and help option."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法: ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _zh("Show this message and exit.")
        return option

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            (arguments if isinstance(param, _Argument) else options).append(record)
        if arguments:
            with formatter.section("参数"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("选项"):
                formatter.write_dl(options)
        if isinstance(self, typer.core.TyperGroup):
            self.format_commands(ctx, formatter)


class ZhCommand(_ChineseHelp, typer.core.TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs["options_metavar"] = "[选项]"
        super().__init__(*args, **kwargs)


class ZhGroup(_ChineseHelp, typer.core.TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs["options_metavar"] = "[选项]"
        kwargs["subcommand_metavar"] = "命令 [参数]..."
        super().__init__(*args, **kwargs)


app = typer.Typer(
    cls=ZhGroup,
    name="gktrack",
    help=(
        "gktrack:政务公开工作要点任务跟踪。计划以 YAML 文件保存在 git 仓库中,"
        "每次修改都是一次提交,git 历史就是审计记录。\n\n"
        "常用:gktrack status --unit 司法所 ; gktrack overdue ; gktrack report 2024 > annual.md"
    ),
    add_completion=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

STATE: dict[str, Any] = {"repo": None}


def command(*args: Any, **kwargs: Any):
    """``app.command`` with the Chinese help classes."""
    kwargs.setdefault("cls", ZhCommand)
    return app.command(*args, **kwargs)


def _version(value: bool) -> None:
    if value:
        print(f"gktrack {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    repo: str = typer.Option(None, "--repo", "-C", metavar="路径",
                             help="计划仓库所在文件夹(默认从当前目录向上查找,或环境变量 GKTRACK_REPO)"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本并退出"),
) -> None:
    STATE["repo"] = repo


def repository():
    from gktrack.storage.repo import find_repository

    return find_repository(STATE["repo"])


_registered = 0  # how many of gktrack.cli.commands.ALL are registered, in that order


def _register_commands(name: str | None = None) -> None:
    """Register the command modules, in --help order, until one of them defines ``name`` (all of
    them without a name, or when none does): the command that runs is then known without paying
    for the definitions of the modules after its own (≈ 1 ms for `close`, whose module is first).

    Typer appends on every registration, and in-process callers (tests, scripts) call main()
    often: each module is registered once."""
    global _registered
    from gktrack.cli.commands import ALL

    while _registered < len(ALL):
        if name is not None and any(_find(name)):
            return
        ALL[_registered].register(app, command)
        _registered += 1


def _find(name: str) -> tuple[list, list]:
    """The registered commands and groups called ``name``."""
    import typer.main

    commands = [c for c in app.registered_commands
                if (c.name or typer.main.get_command_name(c.callback.__name__)) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    return commands, groups


def _invoked_name(argv: list[str] | None) -> str | None:
    """The command word of ``argv`` (after the root options), or None when there is none or the
    arguments are anything but plain."""
    args = sys.argv[1:] if argv is None else argv
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--repo", "-C"):
            i += 2
        elif arg.startswith("--repo=") or (arg.startswith("-C") and len(arg) > 2):
            i += 1
        elif arg.startswith("-"):
            return None  # --help, --version, "--" or a mistake: the whole app answers
        else:
            return arg
    return None


class _Only:
    """Typer builds a click command (parameters, converters, help) for every registered command on
    each run, ≈ 10 ms for gktrack's thirty; when argv names one, only that one is registered while
    the app runs. Help, completion, no command or an unknown word get the whole app."""

    def __init__(self, name: str | None):
        self.saved: tuple | None = None
        if name is None:
            return
        commands, groups = _find(name)
        if commands or groups:
            self.saved = (app.registered_commands, app.registered_groups)
            app.registered_commands, app.registered_groups = commands, groups

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        if self.saved is not None:
            app.registered_commands, app.registered_groups = self.saved


def _resolve_annotations(typer_app: Any) -> None:
    """Evaluate, once, the annotations of the callbacks Typer is about to build commands from.

    The command modules use ``from __future__ import annotations``, so each annotation is a string,
    and Typer evaluates every one of them again each of the three times it reads a callback's
    parameters (≈ 800 evaluations, a tenth of ``--help``). Done here, it finds them evaluated:
    the same values (``inspect.get_annotations``, as Typer's own ``inspect.signature`` call)."""
    import inspect

    infos = [typer_app.registered_callback, *typer_app.registered_commands, *typer_app.registered_groups]
    for info in infos:
        func = getattr(info, "callback", None)
        if inspect.isfunction(func) and any(isinstance(v, str) for v in func.__annotations__.values()):
            func.__annotations__ = inspect.get_annotations(func, eval_str=True)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _resolve_annotations(group.typer_instance)


def _usage_message(exc: Any) -> str:
    """Click's usage errors, said in Chinese."""
    param = getattr(exc, "param", None)
    hint = None
    if param is not None:
        hint = "/".join(getattr(param, "opts", []) or []) or getattr(param, "human_readable_name", None)
    if isinstance(exc, click.exceptions.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f",是否指:{'、'.join(sorted(exc.possibilities))}?"
        return text
    if isinstance(exc, click.exceptions.MissingParameter):
        name = hint or "参数"
        if isinstance(param, _Argument):
            name = (param.metavar or param.name or "").upper()
        return f"缺少{'参数' if isinstance(param, _Argument) else '选项'} {name}"
    if isinstance(exc, click.exceptions.BadParameter):
        kind = getattr(getattr(param, "type", None), "name", "")
        # type names: click's, and those of the copy typer 0.28 carries (int, float, bool)
        expected = {"integer": "整数", "int": "整数", "float": "数字", "boolean": "是/否", "bool": "是/否"}.get(kind)
        if type(getattr(param, "type", None)).__name__ == "Choice":
            expected = "以下之一:" + "、".join(map(str, param.type.choices))
        return f"{hint or '参数'} 的值无效" + (f"(应为{expected})" if expected else "")
    if isinstance(exc, click.exceptions.BadOptionUsage):
        return f"选项 {exc.option_name} 用法有误(缺少值?)"
    message = str(getattr(exc, "message", exc))
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        return f"没有命令“{name}”;可用 gktrack --help 查看全部命令"
    if message.startswith("Got unexpected extra argument"):
        extra = message.partition("(")[2].rstrip(")")
        return f"多余的参数:{extra}(含空格的文字请加引号)"
    return f"用法有误:{message}"


def main(argv: list[str] | None = None) -> None:
    """Run the app (``gktrack.cli.entry.main`` decides when); every expected error becomes one
    Chinese line and an exit code."""
    from gktrack.cli.streams import prepare

    prepare()  # UTF-8 into files and pipes, whatever the console's code page
    name = _invoked_name(argv)
    if any(key.endswith("_COMPLETE") for key in os.environ):
        name = None  # shell completion: the whole app answers
    _register_commands(name)
    code = guarded(lambda: _run_app(argv, name))
    sys.stdout.flush()
    raise SystemExit(code)


def _run_app(argv: list[str] | None, name: str | None) -> int:
    """The app's own outcomes (help asked for, usage mistakes, abort) as exit codes."""
    try:
        with _Only(name):
            _resolve_annotations(app)
            result = app(args=argv, prog_name="gktrack", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.NoArgsIsHelpError as exc:
        # `gktrack` alone (or `gktrack hook`) is a request for help, as with git: not an error.
        try:
            print(exc.ctx.get_help())
        except BrokenPipeError:  # `gktrack | head`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except click.exceptions.UsageError as exc:
        command_path = exc.ctx.command_path if getattr(exc, "ctx", None) else "gktrack"
        sys.stderr.write(f"gktrack: 错误:{_usage_message(exc)}(查看帮助:{command_path} --help)\n")
        return 2
    except typer.Abort:
        sys.stderr.write("gktrack: 已取消\n")
        return 130
