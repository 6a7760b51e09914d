"""Characters that are not text: refused when a person hands them to gktrack, escaped when gktrack
shows text, and the spreadsheet cells that would be formulas.

A note, a task or a unit name is text people read. Control characters in it are not: an escape
sequence (ESC …) printed raw recolours, retitles or rewrites a terminal; a carriage return
hides what came before it on the line; the bidirectional overrides show text in another order
than it is stored. So they are refused on input (the command line, returned forms), taken out
of the documents a plan is imported from (``stripped``: there a stray form feed or escape is
the document's noise, not something a person typed here), and, for what is already in a file
(a hand edit, a pull), shown escaped (``visible``). Line feeds and tabs are text.

A spreadsheet reads a cell that starts with ``= + - @`` (or a tab or carriage return) as a
formula: task text comes from outside documents, so exported cells that start so are written
as text (``formula_like``; the CSV writer prefixes an apostrophe, the .xlsx writer marks the
cell as a string).

Brackets and quotation marks are matched one way for every reader of a document's text
(``bracket_pairs``): which bracket a unit list closes, which separators stand outside a name's
brackets, what a shortened quotation leaves open (``excerpt``).
"""

from __future__ import annotations

import re
from typing import Any

from gktrack.errors import InputError

# C0 but tab and line feed, DEL, C1; the bidirectional embeddings, overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Full-width ASCII (！ to ～) and the ideographic space as their half-width forms (``str.translate``):
# a date, a deadline or a unit phrase reads the same whichever way it was typed.
HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def control_in(text: str) -> str | None:
    """The first control character of ``text`` (see the module's description), or None."""
    found = CONTROL.search(text)
    return found.group() if found else None


def code(char: str) -> str:
    return f"U+{ord(char):04X}"


def typed(text: str, what: str) -> str:
    """Text a person typed, as kept: Windows line ends ("\\r\\n") become "\\n"; any other control
    character is refused with one Chinese line naming ``what`` and the character."""
    text = text.replace("\r\n", "\n")
    char = control_in(text)
    if char is not None:
        raise InputError(f"{what}中含有控制字符({code(char)}),已拒绝:终端转义序列、回车等不能写入计划")
    return text


def _space_or_nothing(match: re.Match) -> str:
    return " " if match.group().isspace() else ""


def stripped(text: str) -> str:
    """``text`` without its control characters: one that breaks a line or a page (carriage
    return, form feed, vertical tab…) becomes a space, any other is dropped."""
    if text.isprintable():
        return text
    return CONTROL.sub(_space_or_nothing, text)


def _escape(match: re.Match) -> str:
    value = ord(match.group())
    return f"\\x{value:02x}" if value < 0x100 else f"\\u{value:04x}"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\x1b``), so a terminal shows
    it instead of obeying it; ``one_line``: line feeds too."""
    if text.isprintable():
        return text
    text = CONTROL.sub(_escape, text)
    if one_line:
        text = text.replace("\n", "\\n")
    return text


def formula_like(value: str) -> bool:
    """Whether a spreadsheet would take this cell for a formula (or a command)."""
    return value.startswith(FORMULA_START)


def display_width(text: str) -> int:
    """The columns ``text`` takes in a fixed-width layout: a wide (Chinese) character counts two.
    For lining up a Markdown table or reading a table laid out with spaces; the terminal's own
    measure, with zero-width characters, is ``cli.cells.cell_len``."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def one_line(text: str) -> str:
    """``text`` on one line: each run of whitespace one space."""
    return " ".join(text.split())


def clip(text: Any, limit: int = 30, mark: str = "…") -> str:
    """``text`` on one line, cut after ``limit`` characters: a value quoted in a message, a
    commit's summary line."""
    text = one_line(str(text))
    return text if len(text) <= limit else text[:limit] + mark


# Brackets hold words of the sentence: a unit list "(X牵头)", part of a name "各县(市、区)", a 文号's
# year "〔2024〕", a page's mark "【已废止】", a note "[1]". A document mixes their shapes
# ("（责任单位:X)", "〔2024)"), so any of them closes any other, and ``BRACKET_FOLD`` writes them all
# "(" ")", one for one, for patterns to match.
OPENING_BRACKETS, CLOSING_BRACKETS = "(（〔【[［﹝", ")）〕】]］﹞"
BRACKET_FOLD = str.maketrans(OPENING_BRACKETS + CLOSING_BRACKETS,
                             "(" * len(OPENING_BRACKETS) + ")" * len(CLOSING_BRACKETS))
# Quotation and title marks quote: a slogan, a document's title 《…》. They hold no unit list and part
# no name, so unit phrases are read through them; each closes only its own opening mark.
OPENING_QUOTES, CLOSING_QUOTES = "“‘《〈「『", "”’》〉」』"
CLOSING_MARK = dict(zip(OPENING_BRACKETS + OPENING_QUOTES, CLOSING_BRACKETS + CLOSING_QUOTES))
# which marks close which: every bracket any other, each quotation mark its own
_KIND = dict.fromkeys(OPENING_BRACKETS + CLOSING_BRACKETS, "(") \
    | {mark: open_ for open_, close in zip(OPENING_QUOTES, CLOSING_QUOTES) for mark in (open_, close)}
_MARK = re.compile(f"[{re.escape(OPENING_BRACKETS + CLOSING_BRACKETS)}]")
_MARK_OR_QUOTE = re.compile(f"[{re.escape(''.join(_KIND))}]")


def bracket_pairs(text: str, *, quotes: bool = False) -> tuple[list[tuple[int, int, int]], list[int]]:
    """The brackets of ``text`` (with ``quotes``, its quotation marks too) matched up, each closing
    mark with the nearest one it may close: each pair as (opening, closing, how many pairs enclose it)
    in the order they close, and the openings left open at the end, outermost first. A closing mark
    that closes nothing is text. The one reading of nesting for every reader of units and items."""
    pairs: list[tuple[int, int, int]] = []
    open_: list[int] = []
    for found in (_MARK_OR_QUOTE if quotes else _MARK).finditer(text):  # the marks, not every character
        index, char = found.start(), found.group()
        if char in CLOSING_MARK:
            open_.append(index)
        elif open_ and _KIND[text[open_[-1]]] == _KIND[char]:
            pairs.append((open_.pop(), index, len(open_)))
    return pairs, open_


def outermost_brackets(text: str) -> list[tuple[int, int]]:
    """(opening, closing) index of each pair of brackets in ``text`` that no other encloses."""
    return [(opened, closed) for opened, closed, around in bracket_pairs(text)[0] if not around]


def outside_brackets(text: str) -> list[int]:
    """The indexes of the characters of ``text`` outside every bracket (the brackets not among them)."""
    pairs, left_open = bracket_pairs(text)
    spans = [(opened, closed) for opened, closed, around in pairs if not around]
    spans += [(left_open[0], len(text))] if left_open else []
    outside, start = [], 0
    for opened, closed in spans:
        outside += range(start, opened)
        start = closed + 1
    return outside + list(range(start, len(text)))


def last_bracket(text: str) -> int | None:
    """Where the bracket that ends ``text`` opens ("…公开(县编办牵头)" -> 3), or None: the nearest
    bracket it may close, so that one left open earlier does not hide it."""
    pairs = bracket_pairs(text)[0] if text.endswith(tuple(CLOSING_BRACKETS)) else []
    return pairs[-1][0] if pairs and pairs[-1][1] == len(text) - 1 else None


def unbracketed(text: str, blank: str | None = None) -> str:
    """``text`` without the brackets enclosing all of it, pair after pair, and without the ``blank``
    around it: "(办公室牵头)" -> "办公室牵头"; "(一)X(社区)" and "各村(社区)" stay."""
    text = text.strip(blank)
    while enclosed(text):
        text = text[1:-1].strip(blank)
    return text


def enclosed(text: str) -> bool:
    """Whether one pair of brackets encloses all of ``text``: "(办公室牵头)", not "(一)X(社区)"."""
    return text.endswith(tuple(CLOSING_BRACKETS)) and outermost_brackets(text)[:1] == [(0, len(text) - 1)]


def excerpt(text: Any, limit: int, mark: str = "……") -> str:
    """``clip`` for a quotation in running text (a report's sentence): the marks the cut leaves
    open are closed after ``mark``, as a shortened quotation is written (“……传达‘促……’”), so
    that they do not swallow the sentence that follows."""
    cut = clip(text, limit, mark)
    if len(cut) <= limit:  # not cut
        return cut
    return cut + "".join(CLOSING_MARK[cut[index]] for index in reversed(bracket_pairs(cut, quotes=True)[1]))
