"""Standard output and error on any system: UTF-8 into files and pipes, the console's own
characters on a console.

Python writes stdout in the console's code page, GBK on a Chinese Windows, also into a file:
``gktrack report 2024 > annual.md`` would not be UTF-8, and ✓ could not be written at all. So
``prepare``, run first thing, gives a file or a pipe UTF-8 with "\\n" line ends whatever the code
page or PYTHONIOENCODING says, and lets a console show "?" for a character it cannot show.

The table marks ● and ✓ become "*" (``plain_marks``) on a console in a legacy code page, which
shows them badly and draws these "ambiguous width" characters two cells wide (breaking the
table's alignment), and with NO_COLOR or TERM=dumb, where a mark has no colour to carry.
"""

from __future__ import annotations

import codecs
import os
import sys

def prepare() -> None:
    """Set up sys.stdout and sys.stderr as described above (safe to call more than once)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # not a text file of the system's (a test's StringIO, a wrapper)
            continue
        try:
            if isatty(stream):
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8", newline="\n")
        except (ValueError, OSError):  # already written to, or closed: leave it as it is
            pass


def isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


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


def plain_marks(stream) -> bool:
    """True where the table marks become "*" (see the module's description)."""
    if colourless():
        return True
    encoding = console_encoding(stream)
    return encoding is not None and not _is_utf8(encoding)


def plain(text: str) -> str:
    return text.replace("●", "*").replace("✓", "*")
