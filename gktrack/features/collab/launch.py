"""How git's hooks and the merge driver find gktrack: a few lines of sh.

git runs them through ``sh`` (on Windows, Git for Windows' sh) with whatever PATH the program
running git has (a server's service, a GUI, an IDE): a bare ``gktrack`` is often not found, and
the absolute path of the installing Python breaks when that environment is moved or rebuilt. So
the script tries that Python first, then ``python3``, ``python`` and ``py -3`` on PATH if they
can import gktrack, then a ``gktrack`` command on PATH (pipx). When none is there it says so in
one Chinese line and exits non-zero: the push or commit is refused, the merge keeps git's
conflict markers; nothing is skipped silently. ``gktrack hook install`` or ``setup-merge`` again
writes the new location.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

def interpreter() -> str:
    """The Python running gktrack now, as sh on this system spells it (C:/… on Windows)."""
    return Path(sys.executable).as_posix()


def script_lines(args: str, missing: str, *, before_failing: str | None = None) -> list[str]:
    """sh lines that run ``gktrack <args>`` (``args`` is sh text, e.g. ``"$@"``) with the first
    gktrack found, else print ``missing`` to stderr, run ``before_failing`` and exit 1. Every
    line stands alone, so they can also be joined with "; " into one command."""
    probe = "-c 'import gktrack' </dev/null >/dev/null 2>&1"
    lines = [
        f"gk_py={shlex.quote(interpreter())}",
        f'if [ -f "$gk_py" ] && "$gk_py" {probe}; then exec "$gk_py" -m gktrack {args}; fi',
        f'for gk_py in python3 python; do if command -v "$gk_py" >/dev/null 2>&1 && "$gk_py" {probe}; '
        f'then exec "$gk_py" -m gktrack {args}; fi; done',
        f"if command -v py >/dev/null 2>&1 && py -3 {probe}; then exec py -3 -m gktrack {args}; fi",
        f"if command -v gktrack >/dev/null 2>&1; then exec gktrack {args}; fi",
        f"echo {shlex.quote(missing)} >&2",
    ]
    if before_failing:
        lines.append(before_failing)
    return lines + ["exit 1"]


def not_found(consequence: str, remedy: str) -> str:
    """The one-line message when gktrack cannot be found: what happened, and what to do."""
    return (f"gktrack:错误:找不到 gktrack(原来的 Python {interpreter()} 已不存在或未安装 gktrack,"
            f"PATH 中的 python3、python、py 和 gktrack 也都没有){consequence};{remedy}")
