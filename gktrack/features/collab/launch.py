"""How git's hooks and the merge driver find gktrack: a few lines of sh.

git runs a hook, and a merge driver's command, through ``sh`` (on Windows the sh that comes
with Git for Windows) with whatever PATH the program that runs git has: a git server's service,
a git GUI, an IDE. A bare ``gktrack`` is often not found there, and a bare absolute path to the
Python that installed the hook stops working when that environment is moved, rebuilt or
upgraded. So the script tries, in order:

1. the Python that installed the hook or driver (its absolute path, written in the script),
2. ``python3``, ``python`` and ``py -3`` on PATH, if they can import gktrack,
3. a ``gktrack`` command on PATH (pipx and other installs that keep gktrack to themselves),

and when none of these is there it says so in one Chinese line on stderr and exits non-zero:
the push or commit is refused, the merge is left with git's conflict markers. Nothing is ever
skipped silently. Running ``gktrack hook install`` or ``gktrack setup-merge`` again writes the
new location.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

CANDIDATES = ("python3", "python")


def interpreter() -> str:
    """The Python running gktrack now, as sh on this system spells it (C:/… on Windows)."""
    return Path(sys.executable).as_posix()


def script_lines(args: str, missing: list[str], *, before_failing: str | None = None) -> list[str]:
    """sh lines that run ``gktrack <args>`` (``args`` is sh text, e.g. ``"$@"``) with the first
    gktrack found, else print ``missing`` (one line each, to stderr), run ``before_failing`` and
    exit 1. Every line stands alone, so they can also be joined with "; " into one command."""
    recorded = shlex.quote(interpreter())
    probe = "-c 'import gktrack' </dev/null >/dev/null 2>&1"
    lines = [
        f"gk_py={recorded}",
        f'if [ -f "$gk_py" ] && "$gk_py" {probe}; then exec "$gk_py" -m gktrack {args}; fi',
        f'for gk_py in {" ".join(CANDIDATES)}; do if command -v "$gk_py" >/dev/null 2>&1 && "$gk_py" {probe}; '
        f'then exec "$gk_py" -m gktrack {args}; fi; done',
        f"if command -v py >/dev/null 2>&1 && py -3 {probe}; then exec py -3 -m gktrack {args}; fi",
        f"if command -v gktrack >/dev/null 2>&1; then exec gktrack {args}; fi",
    ]
    lines += [f"echo {shlex.quote(line)} >&2" for line in missing]
    if before_failing:
        lines.append(before_failing)
    lines.append("exit 1")
    return lines


def not_found(consequence: str, remedy: str) -> str:
    """The one-line message when gktrack cannot be found: what happened, and what to do."""
    return (f"gktrack:错误:找不到 gktrack(原来的 Python {interpreter()} 已不存在或未安装 gktrack,"
            f"PATH 中的 python3、python、py 和 gktrack 也都没有){consequence};{remedy}")
