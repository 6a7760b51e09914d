"""Standard output and error on any system: UTF-8 into files and pipes, the console's own
characters on a console.

Python writes stdout in the console's code page, GBK on a Chinese Windows, also into a file:
``gktrack report 2024 > annual.md`` would not be UTF-8, and ✓ could not be written at all. So
``prepare``, run first thing, gives a file or a pipe UTF-8 with "\\n" line ends whatever the code
page or PYTHONIOENCODING says, and lets a console show "?" for a character it cannot show.

The table marks ● and ✓ become "*" (``plain_marks``) on a console in a legacy code page, which
shows them badly, and with NO_COLOR or TERM=dumb, where a mark has no colour to carry.

A console in a CJK legacy encoding also draws the other East Asian Ambiguous characters of a
table (“ ” — … ─) two cells wide, where Unicode, Linux terminals in UTF-8, Windows Terminal and
VS Code's terminal give them one (github.com/microsoft/terminal/issues/4604) (``ambiguous_wide``): conhost measures each such glyph and its CJK fonts (新宋体)
draw them full width (github.com/microsoft/edit/issues/115, box drawing in
github.com/fdehau/tui-rs/issues/372, “ in code page 936 in github.com/ConEmu/ConEmu/issues/45);
a VTE terminal (GNOME, MATE, as on 麒麟) in a non-UTF-8 encoding takes their width from the
encoding (Vte.Terminal.cjk_ambiguous_width). There the tables measure them as two cells.
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


def _codec(encoding: str) -> str | None:
    """``codecs.lookup``'s name of ``encoding``; None for one Python does not know."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


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
    """NO_COLOR is set and not empty (no-color.org), or the terminal is a dumb one: no colour,
    and marks without it."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"


def plain_marks(stream) -> bool:
    """True where the table marks become "*" (see the module's description)."""
    if colourless():
        return True
    encoding = console_encoding(stream)
    return encoding is not None and _codec(encoding) != "utf-8"


# Encodings (``codecs.lookup`` names) of the CJK code pages and locales.
_CJK_LEGACY = {"gbk", "gb2312", "gb18030", "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp",
               "euc_kr", "cp949"}


def ambiguous_wide(stream) -> bool:
    """True on a console that draws ambiguous characters two cells wide (see the module's
    description): one in a CJK legacy encoding, but not Windows Terminal (WT_SESSION) nor VS Code's
    terminal (TERM_PROGRAM=vscode), which draw them one cell wide whatever the code page."""
    encoding = console_encoding(stream)
    if encoding is None or os.environ.get("TERM_PROGRAM") == "vscode" \
            or sys.platform == "win32" and os.environ.get("WT_SESSION"):
        return False
    return _codec(encoding) in _CJK_LEGACY


MARKS = "●✓"  # written "*" by ``plain``


def plain(text: str) -> str:
    return text.replace("●", "*").replace("✓", "*")
