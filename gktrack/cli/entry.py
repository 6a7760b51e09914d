"""The ``gktrack`` program: arguments in, an exit code out, and the one place errors become
exit codes (``guarded``).

Every command is defined in the Typer app (``gktrack.cli.app``), which reads the arguments. The
commands run many times a day (``status``, ``overdue``, ``progress``, ``close``:
``gktrack.cli.quickcommands``) are also run without it when their arguments are plain: their
arguments, and the option words of ``QUICK`` each followed by a value (``--unit 司法所`` or
``--unit=司法所``), and flags. Importing Typer and building the command costs ≈ 35 ms: about as
long as printing a kept ``overdue`` of a city's plans, a third of a ``close``. Anything else
(help, completion, an option given twice, a value that looks like an option, a mistake) goes
to Typer, which answers as always; tests/test_entry.py checks that both readings give the
same values.
"""

from __future__ import annotations

import os
import sys
from typing import Callable

from gktrack.errors import GktrackError

# Per command: option word -> (parameter, kind), as the Typer commands declare them
# (commands/core.py, commands/overdue.py); kind is "text", "int", "flag" or "list" (the option
# may be given again); and the command's arguments, in order, all required.
_UNIT, _PLAN, _AS_OF, _JSON = ("unit", "text"), ("plan", "text"), ("as_of", "text"), ("json_out", "flag")
_DATE, _BY = ("date", "text"), ("by", "text")
QUICK: dict[str, dict[str, tuple[str, str]]] = {
    "status": {"--unit": _UNIT, "-u": _UNIT, "--plan": _PLAN, "-p": _PLAN, "--year": ("year", "int"),
               "-y": ("year", "int"), "--state": ("state", "text"), "--as-of": _AS_OF, "--json": _JSON},
    "overdue": {"--as-of": _AS_OF, "--unit": _UNIT, "-u": _UNIT, "--plan": _PLAN, "-p": _PLAN,
                "--within": ("within", "int"), "-w": ("within", "int"), "--json": _JSON},
    "progress": {"--date": _DATE, "--unit": _UNIT, "-u": _UNIT, "--by": _BY},
    "close": {"--note": ("note", "text"), "-m": ("note", "text"), "--evidence": ("evidence", "list"),
              "-e": ("evidence", "list"), "--date": _DATE, "--unit": _UNIT, "-u": _UNIT, "--by": _BY},
}
ARGUMENTS: dict[str, tuple[str, ...]] = {"status": (), "overdue": (), "progress": ("task", "note"), "close": ("task",)}
_ROOT = ("--repo", "-C")


def quick_call(args: list[str]) -> tuple[str, str | None, dict] | None:
    """(command, --repo, parameters) when ``args`` are plain enough to be read here; else None."""
    root = None
    i = 0
    while i < len(args) and args[i] in _ROOT:  # the app's own option, before the command
        if i + 1 >= len(args) or root is not None or args[i + 1].startswith("-"):
            return None
        root = args[i + 1]
        i += 2
    if i >= len(args) or args[i] not in QUICK:
        return None
    name, options, wanted = args[i], QUICK[args[i]], ARGUMENTS[args[i]]
    values: dict = {}
    given: list[str] = []
    i += 1
    while i < len(args):
        token = args[i]
        i += 1
        if not token.startswith("-"):
            if len(given) == len(wanted):
                return None
            given.append(token)
            continue
        word, eq, value = token.partition("=")
        found = options.get(word) if word.startswith("--") or not eq else None
        if found is None:
            return None
        parameter, kind = found
        if kind == "flag":
            if eq or parameter in values:
                return None
            values[parameter] = True
            continue
        if not eq:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
        if value.startswith("-") or (kind == "int" and not (value.isascii() and value.isdigit())):
            return None
        if kind == "list":
            values.setdefault(parameter, []).append(value)
        elif parameter in values:
            return None
        else:
            values[parameter] = int(value) if kind == "int" else value
    if len(given) != len(wanted):
        return None
    values.update(zip(wanted, given))
    return name, root, values


def main(argv: list[str] | None = None) -> None:
    from gktrack.cli.streams import prepare

    prepare()  # UTF-8 into files and pipes, whatever the console's code page
    args = sys.argv[1:] if argv is None else list(argv)
    call = None if any(key.endswith("_COMPLETE") for key in os.environ) else quick_call(args)
    if call is None:
        from gktrack.cli.app import main as run_app

        run_app(args)  # raises SystemExit
    name, root, values = call

    def run() -> int:
        from gktrack.cli import quickcommands

        getattr(quickcommands, name)(root, **values)
        return 0

    code = guarded(run)
    sys.stdout.flush()
    raise SystemExit(code)


def guarded(run: Callable[[], int]) -> int:
    """``run()``'s exit code; gktrack's errors as one Chinese line (and theirs), Ctrl-C as 130,
    a closed pipe as success, anything unexpected as 3 with the traceback in a log file."""
    try:
        return run()
    except GktrackError as exc:
        sys.stderr.write(f"gktrack: 错误:{exc}\n")
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
    import traceback

    log = os.path.join(tempfile.gettempdir(), "gktrack-error.log")
    try:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(exc)))
        where = f";详细信息已写入 {log}"
    except OSError:
        where = ""
    sys.stderr.write(f"gktrack: 内部错误:{type(exc).__name__}: {exc}{where}。请把该文件发给维护人员。\n")
    return 3
