"""The command line: the Typer app, and the one place where errors become exit codes.

Commands live in ``gktrack/cli/commands/`` (one module per area, each with ``register(app,
command)``); they parse arguments, call the library and render. Nothing below this layer prints
or exits: the library raises ``GktrackError``s, and ``guarded`` turns each into one Chinese line
on stderr and its exit code; anything unexpected becomes exit code 3 with the traceback in a log
file.
"""

import copy
import difflib
import gc
import os
import sys
import traceback
from typing import Any, Callable

# Importing Typer and the commands builds some twenty thousand objects that live as long as the
# process; the cyclic collector would walk them again and again and free nothing. It is paused
# for these imports, and what they built is left out of later passes (see the end of the module;
# ``storage.index.collector_paused`` does the same while plans are decoded).
_collecting = gc.isenabled()
gc.disable()

import typer
from typer import _click as click  # typer 0.28 carries its own copy of click
from typer.core import TyperArgument as _Argument

from gktrack import __version__
from gktrack.cli.commands import ALL
from gktrack.cli.commands.office import COMPLETE_VAR
from gktrack.cli.context import STATE
from gktrack.cli.help import ZhCommand, ZhGroup
from gktrack.cli.streams import prepare
from gktrack.domain.text import typed, visible
from gktrack.errors import GktrackError

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


for module in ALL:
    module.register(app, command)

if _collecting:
    gc.freeze()
    gc.enable()


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
        return f"{hint or '参数'} 的值无效" + (f"(应为{expected})" if expected else "")
    if isinstance(exc, click.exceptions.BadOptionUsage):
        return f"选项 {exc.option_name} 用法有误(缺少值?)"
    message = str(getattr(exc, "message", exc))
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        commands = [c.name for c in app.registered_commands if c.name and not c.hidden]
        commands += [g.name for g in app.registered_groups if g.name]
        close = difflib.get_close_matches(name, commands, n=3, cutoff=0.6)
        return f"没有命令“{name}”" + (f",是否指:{'、'.join(close)}?" if close else "")
    if message.startswith("Got unexpected extra argument"):
        extra = message.partition("(")[2].rstrip(")")
        return f"多余的参数:{extra}(含空格的文字请加引号)"
    return f"用法有误:{message}"


def main(argv: list[str] | None = None) -> None:
    """The ``gktrack`` program: arguments in, an exit code out."""
    prepare()  # UTF-8 into files and pipes, whatever the console's code page
    code = guarded(lambda: _run_app(argv))
    sys.stdout.flush()
    raise SystemExit(code)


def _checked_arguments(argv: list[str] | None) -> list[str]:
    """The command line as gktrack takes it: Windows line ends become "\n"; an argument with any
    other control character (an escape sequence, a carriage return) is refused before a command
    runs, so none reaches a plan, the registry or a commit (``gktrack.domain.text``)."""
    return [typed(arg, "命令行参数") for arg in (sys.argv[1:] if argv is None else argv)]


_ROOT_VALUE_OPTIONS = ("--repo", "-C")


def _app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command the arguments name, when they name one.

    Typer turns every registered command into a click command on each call; a call runs one, so
    the others are left out (benchmarks/RESULTS.md). The same Typer app parses: only the list it
    builds from is shorter. Root help, unknown names and shell completion get them all.
    """
    if os.environ.get(COMPLETE_VAR):
        return app
    args = iter(argv)
    for arg in args:
        if arg in _ROOT_VALUE_OPTIONS:
            next(args, None)  # its value
        elif not arg.startswith("-"):
            break  # the command's name
        elif not arg.startswith(("--repo=", "-C")):
            return app  # --help, --version, a mistake: the whole app answers
    else:
        return app
    commands = [info for info in app.registered_commands if info.name == arg]
    groups = [info for info in app.registered_groups if info.name == arg]
    if not commands and not groups:
        return app
    narrow = copy.copy(app)
    narrow.registered_commands, narrow.registered_groups = commands, groups
    return narrow


def _run_app(argv: list[str] | None) -> int:
    """The app's own outcomes (help asked for, usage mistakes, abort) as exit codes."""
    STATE["repo"] = None
    argv = _checked_arguments(argv)
    try:
        result = _app_for(argv)(args=argv, prog_name="gktrack", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except click.exceptions.NoArgsIsHelpError as exc:
        # `gktrack` alone (or `gktrack hook`) is a request for help, as with git: not an error.
        print(exc.ctx.get_help())
        return 0
    except click.exceptions.UsageError as exc:
        command_path = exc.ctx.command_path if getattr(exc, "ctx", None) else "gktrack"
        sys.stderr.write(f"gktrack: 错误:{_usage_message(exc)}(查看帮助:{command_path} --help)\n")
        return 2
    except typer.Abort:
        sys.stderr.write("gktrack: 已取消\n")
        return 130


def guarded(run: Callable[[], int]) -> int:
    """``run()``'s exit code; gktrack's errors as one Chinese line (and theirs), Ctrl-C as 130,
    a closed pipe as success, anything unexpected as 3 with the traceback in a log file."""
    try:
        return run()
    except GktrackError as exc:
        # The message may quote a file, a note, a commit: never a control sequence on the terminal.
        sys.stderr.write(f"gktrack: 错误:{visible(str(exc), one_line=True)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("gktrack: 已取消\n")
        return 130
    except BrokenPipeError:
        # `gktrack status | head`: the reader went away; not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last resort must never show a traceback
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    import tempfile
    log = os.path.join(tempfile.gettempdir(), "gktrack-error.log")
    try:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(exc)))
        where = f";详细信息已写入 {log}"
    except OSError:
        where = ""
    sys.stderr.write(f"gktrack: 内部错误:{type(exc).__name__}: {exc}{where}。请把该文件发给维护人员。\n")
    return 3
