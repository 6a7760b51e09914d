"""What commands print besides tables (``gktrack.cli.render``): JSON for scripts (``--json``), the
one-line confirmation of a change, the warning about a skipped file, and the progress bar of a
long command.
"""

from __future__ import annotations

import itertools
import sys
import time
from typing import Any, Iterable, Iterator

from gktrack.domain.text import CONTROL, visible


def print_json(data: Any) -> None:
    """A list (tasks, units, commits) one element per line; anything else indented. A list may
    be given as an iterator: its elements are then made as they are written, so a city's
    ``status --json`` never holds every task's object at once.

    ``json.dumps`` with ``indent`` runs Python's pure-Python encoder, most of a city's
    ``status --json``; without it the C encoder does each line. The data is the contract, not
    the whitespace.
    """
    import json

    stdout_write = sys.stdout.write

    def write(text: str) -> None:
        # json escapes C0 controls itself; the others of ``domain.text`` (DEL, C1, the bidi
        # overrides), which a terminal or an editor would act on, are written as \u escapes too
        # (the same JSON value).
        if not text.isascii() or "\x7f" in text:
            text = CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
        stdout_write(text)

    if isinstance(data, (list, Iterator)):
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        items = iter(data)
        first = True
        # Written a slice at a time: a city's whole list as one string would double the peak memory.
        while chunk := list(itertools.islice(items, 1024)):
            write(("[\n" if first else ",\n") + ",\n".join(map(encode, chunk)))
            first = False
        write("[]\n" if first else "\n]\n")
        return
    # Written as it is made: a city's report as one string (and the pieces it is joined from)
    # would double the command's peak memory.
    pieces: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
        pieces.append(piece)
        if len(pieces) >= 8192:
            write("".join(pieces))
            pieces.clear()
    write("".join(pieces) + "\n")


def skipped_file(problem) -> str:
    """The warning for a plan file a read command skipped, as every command words it."""
    return f"gktrack: 警告:{problem.where}: {problem.message}(已跳过该文件)"


def warn(problems: Iterable) -> None:
    """Plan files skipped by a JSON output (stdout stays valid JSON)."""
    for problem in problems:
        sys.stderr.write(visible(skipped_file(problem)) + "\n")


def done(result: Any) -> None:
    """The confirmation of a change: its summary line on stdout (scripts capture the task id),
    then its notes, if any, on stderr. ``result``: a ``Change`` or a line of text. Text from
    files is shown escaped (``gktrack.domain.text.visible``)."""
    print(visible(str(getattr(result, "summary", result))))
    for note in getattr(result, "notes", ()):
        sys.stderr.write(f"gktrack: 提示:{visible(note)}\n")


class ProgressBar:
    """A progress bar on stderr, ``bar(what, done, total)``: drawn only when stderr is a terminal
    (never into pipes or logs) and, with ``delay``, only once the work has taken that long, so a
    quick run shows nothing. Transient: closed, it leaves no trace on the screen."""

    def __init__(self, label: str, *, delay: float = 0.0, console=None, clock=None):
        self._label = label
        self._delay = delay
        self._console = console
        self._clock = clock or time.monotonic
        self._start = self._clock()
        self._quiet = console is None and not sys.stderr.isatty()
        self._progress = None
        self._task = None

    def __call__(self, what: str, done: int, total: int) -> None:
        if self._progress is None:
            if self._quiet or self._clock() - self._start < self._delay:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(TextColumn(f"{self._label}:{{task.description}}"), BarColumn(),
                                      MofNCompleteColumn(), console=self._console or Console(stderr=True),
                                      transient=True)
            self._progress.start()
            self._task = self._progress.add_task(what, total=total)
        self._progress.update(self._task, description=what, completed=done, total=total)

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()
