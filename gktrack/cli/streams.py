"""Standard output and error on any system: UTF-8 into files and pipes, the console's own
characters on a console.

Python writes stdout in the console's code page. On a Chinese Windows that is GBK (cp936), also
when stdout is a file: ``gktrack report 2024 > annual.md`` would not be UTF-8, and a character
outside GBK (✓, a rare character in a task) could not be written at all. So ``prepare``, run
first thing by the program:

* a file or a pipe gets UTF-8 with "\\n" line ends, whatever the code page (or
  PYTHONIOENCODING) says: the same bytes on every system;
* a console keeps its own encoding, and a character it cannot show becomes "?" instead of an
  error.

The table marks (● before a state, ✓ before 已完成) are drawn only where they can be shown
well: on a UTF-8 console, or into a file or pipe. A console in a legacy code page (a Windows
console in cp936, a GBK locale) shows them badly or not at all (and draws these "ambiguous
width" characters two cells wide, which breaks the table's alignment), and with NO_COLOR (or
TERM=dumb) a mark has no colour to carry: there they become "*" (``plain_marks``).
"""

from __future__ import annotations

import codecs
import os
import sys

PLAIN_MARKS = {"●": "*", "✓": "*"}


def prepare() -> None:
    """Set up sys.stdout and sys.stderr as described above (safe to call more than once)."""
    for stream in (sys.stdout, sys.stderr):
        _prepare(stream)


def isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _prepare(stream) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:  # not a text file of the system's (a test's StringIO, a wrapper)
        return
    try:
        if isatty(stream):
            reconfigure(errors="replace")
        else:
            reconfigure(encoding="utf-8", newline="\n")
    except (ValueError, OSError):  # already written to, or closed: leave it as it is
        pass


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "utf-8").name == "utf-8"
    except LookupError:
        return False


def console_encoding(stream) -> str | None:
    """The encoding the console behind ``stream`` shows, or None when it is not a console.

    On Windows Python writes to a console in UTF-16 whatever its code page, so the stream says
    "utf-8"; what the console can show is its output code page (936 on a Chinese Windows)."""
    if not isatty(stream):
        return None
    if sys.platform == "win32":
        try:
            import ctypes

            page = ctypes.windll.kernel32.GetConsoleOutputCP()
        except (AttributeError, OSError):
            page = 0
        if page:
            return "utf-8" if page == 65001 else f"cp{page}"
    return getattr(stream, "encoding", None) or "utf-8"


def colourless() -> bool:
    """NO_COLOR is set, or the terminal is a dumb one: no colour, and marks without it."""
    return "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb"


def plain_marks(stream=None) -> bool:
    """True where the table marks become "*" (see the module's description)."""
    if colourless():
        return True
    encoding = console_encoding(stream if stream is not None else sys.stdout)
    return encoding is not None and not _is_utf8(encoding)


def plain(text: str) -> str:
    for mark, replacement in PLAIN_MARKS.items():
        text = text.replace(mark, replacement)
    return text
