"""Every input format the importer reads, turned into numbered lines of text (a ``Document``).

A new format is one more reader in ``READERS``. Documents come from outside: every reader keeps
the limits of ``gktrack.features.limits`` and answers a file it cannot read with one line naming
it; ``read_document`` takes control characters out and mends unit labels (``mended_labels``).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gktrack.domain.text import code, control_in, stripped
from gktrack.errors import InputError
from gktrack.features.importer.item_units import mended_labels
from gktrack.features.importer.pdf import read_in_child
from gktrack.features.importer.table import Cell, Grid
from gktrack.features.importer.text import surface
from gktrack.features.limits import (
    MAX_LINES, TABLE_COLUMNS, TABLE_ROWS, check_package, check_table, check_text, merged_ranges,
    read_file, run_child, unreadable,
)


@dataclass(frozen=True)
class Line:
    no: int  # 1-based: the source line, or for .docx the paragraph / table cell in reading order
    text: str
    # the heading level a file gives the line itself (Word's 标题 1/2 styles, a workbook's sheet
    # names): 0 is the top; None for text whose structure is only in its wording
    outline: int | None = None


@dataclass
class Document:
    lines: list[Line] = field(default_factory=list)
    name: str | None = None  # the file it came from, for messages
    # tables as the file holds them (.docx, .xlsx, .html, .pdf), each covering lines first..last;
    # text files leave this empty and the parser finds the tables flattened into their lines
    tables: list[Grid] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, message): what reading changed

    @classmethod
    def from_text(cls, text: str, name: str | None = None) -> "Document":
        # Only \n, \r\n and \r end a line: the numbers must match what an editor shows.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return cls([Line(no, line) for no, line in enumerate(text.split("\n"), start=1)], name)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """The document at ``path`` (its bytes ``data`` when already read): .docx/.xlsx/.html/.pdf with
    their tables, .doc/.wps/.et/.xls through LibreOffice, anything else as text."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower(), _read_text)
    return _finished(reader(read_file(path) if data is None else data, path.name))


def text_document(text: str, name: str | None = None) -> Document:
    """Text already in hand, finished as ``read_document`` finishes a file's."""
    return _finished(Document.from_text(text, name))


def _finished(doc: Document) -> Document:
    """``doc`` within the text limits, without control characters (noted once), each line and cell in
    its plain surface form (``surface``), its unit labels mended."""
    name = doc.name or "文档"
    check_text(len(doc.lines), sum(len(line.text) for line in doc.lines), name)
    found: list[tuple[int, str]] = []

    def plain(text: str, line: int) -> str:
        if (char := control_in(text)) is not None:
            found.append((line, char))
            text = stripped(text)
        return mended_labels(surface(text))

    for index, line in enumerate(doc.lines):
        if (text := plain(line.text, line.no)) != line.text:
            doc.lines[index] = Line(line.no, text, line.outline)
    for grid in doc.tables:
        for row in grid.rows:
            for cell in row:
                cell.text = plain(cell.text, cell.line)
    if found:
        where = sorted({no for no, _ in found})
        doc.notes.append((where[0], f"去掉了 {len(where)} 行中的控制字符(如 {code(found[0][1])}):"
                                    "终端转义序列、回车等不能写入计划"))
    return doc


def _library(module: str, package: str, suffix: str):
    """``__import__(module)`` (as an import statement: its top package): a library only ``suffix``
    files need, optional; when it is missing, one line saying how to install it."""
    try:
        return __import__(module)
    except ImportError:
        raise InputError(f"读取 {suffix} 需要 {package}:请先运行 pip install {package}") from None


# ---- plain text -------------------------------------------------------------------------------

def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name} 不是可读的文本文件(UTF-16 编码有误)") from None
    if data.startswith(b"%PDF") or data.startswith(b"\xd0\xcf\x11\xe0") or b"\x00" in data[:4096]:
        raise InputError(f"{name} 不是文本文件(可能是 PDF 或旧版 .doc/.wps),请另存为 .docx 或 .txt 后再导入")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(f"{name} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本,请另存为 UTF-8 文本或 .docx") from None


def _read_text(data: bytes, name: str) -> Document:
    text = decode_text(data, name)
    # counted before the lines are made: twenty million empty lines would be two gigabytes of them
    check_text(text.count("\n") + text.count("\r") - text.count("\r\n") + 1, len(text), name)
    return Document.from_text(text, name)


# ---- .docx ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, name: str) -> Document:
    docx = _library("docx", "python-docx", ".docx")
    check_package(data, name)
    with unreadable(name, ".docx"):
        word = docx.Document(io.BytesIO(data))
        numbering = _Numbering(word)
        body = word.element.body
    texts: list[str] = []
    tables: list[Grid] = []
    _walk(body, texts, numbering, tables, name)
    outlines = numbering.found
    return Document([Line(no, text, outlines.get(no - 1)) for no, text in enumerate(texts, start=1)], name, tables)


def _walk(container, texts: list[str], numbering: "_Numbering", tables: list[Grid] | None, name: str) -> None:
    """Paragraphs in order; tables row by row, cell by cell, a merged cell once (where it starts)."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            if tables is not None:  # a heading style in the body, not inside a table's cell
                if (level := _outline(child, numbering.outlines)) is not None:
                    numbering.found[len(texts)] = level
            texts.append(numbering.label(child) + _paragraph_text(child))
        elif child.tag == _W + "tbl":
            _walk_table(child, texts, numbering, tables, name)
        elif child.tag == _W + "sdt":  # content controls wrap ordinary paragraphs
            if (content := child.find(_W + "sdtContent")) is not None:
                _walk(content, texts, numbering, tables, name)
        if len(texts) > MAX_LINES:  # before a table of a million empty cells is all made
            check_text(len(texts), sum(map(len, texts)), name)


def _walk_table(table, texts: list[str], numbering: "_Numbering", tables: list[Grid] | None,
                name: str) -> None:
    """Row by row, cell by cell. A cell merged down several rows is read once, as flattened tables
    write it: at its first row left of the main text column, after its last row right of it."""
    grid: list[list[tuple[int, object, str, int]]] = []  # per row: (column, cell, merge state, span)
    for row in table.iterchildren(_W + "tr"):
        # spans bounded before they are added up: a gridSpan of 10^8 is not a table
        cells, col = [], min(_int(row.find(f"{_W}trPr/{_W}gridBefore"), 0), TABLE_COLUMNS + 1)
        for cell in row.iterchildren(_W + "tc"):
            props = cell.find(_W + "tcPr")
            merge = props.find(_W + "vMerge") if props is not None else None
            state = "single" if merge is None else (
                "start" if merge.get(_W + "val") == "restart" else "continue")
            span = max(1, min(_int(props.find(_W + "gridSpan") if props is not None else None, 1), TABLE_COLUMNS + 1))
            cells.append((col, cell, state, span))
            col += span
        grid.append(cells)
        check_table(len(grid), max(len(cells), col if col > TABLE_COLUMNS else 0), name)
    weight: dict[int, int] = {}
    for cells in grid:
        for col, cell, _, _ in cells:
            weight[col] = weight.get(col, 0) + sum(len(t.text or "") for t in cell.iter(_W + "t"))
    main = max(weight, key=weight.get) if weight else 0
    # for each merged cell that is read after its last row: (last row, column) -> cell
    later: dict[tuple[int, int], object] = {}
    for r, cells in enumerate(grid):
        for col, cell, state, _ in cells:
            if state != "start" or col <= main:
                continue
            last = r
            while last + 1 < len(grid) and any(c == col and st == "continue" for c, _, st, _ in grid[last + 1]):
                last += 1
            if last > r:
                later[(last, col)] = cell
    skip = {id(cell) for cell in later.values()}
    first = len(texts) + 1
    lines: dict[int, tuple[int, int]] = {}  # id(cell) -> the lines of its text: [start, end)

    def read(cell) -> None:
        start = len(texts)
        _walk(cell, texts, numbering, None, name)
        lines[id(cell)] = (start, len(texts))

    for r, cells in enumerate(grid):
        for col, cell, state, _ in cells:
            if state == "continue":
                if (r, col) in later:
                    read(later[(r, col)])
            elif id(cell) not in skip:
                read(cell)
    if tables is None or len(texts) < first:
        return
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}
    for cells in grid:
        row: list[Cell] = []
        for col, cell, state, span in cells:
            row += [Cell("", first) for _ in range(col - len(row))]
            if state == "continue" and col in above:
                made = Cell(above[col].text, above[col].line, merged=True)
            else:
                start, end = lines.get(id(cell), (first - 1, first - 1))
                made = Cell("\n".join(t for t in texts[start:end] if t.strip()), start + 1)
                above[col] = made
            row.append(made)
            row += [Cell(made.text, made.line, merged=True) for _ in range(span - 1)]
        rows.append(row)
    tables.append(Grid(rows, first, len(texts)))


def _outline_styles(word) -> dict[str, int]:
    """styleId -> outline level of the heading styles: Word's 标题 1-9 ("heading 1", whatever the
    styleId) or a style with its own outline level, also through the styles it is based on."""
    try:
        nodes = {style.get(_W + "styleId"): style for style in word.styles.element.iterchildren(_W + "style")
                 if style.get(_W + "type") in (None, "paragraph")}
    except AttributeError:
        return {}

    def own(style) -> int | None:
        if (level := style.find(f"{_W}pPr/{_W}outlineLvl")) is not None:
            return _outline_level(level)
        name = style.find(_W + "name")
        match = re.fullmatch(r"heading\s*([1-9])", (name.get(_W + "val") or "") if name is not None else "", re.I)
        return int(match.group(1)) - 1 if match else None

    levels: dict[str, int] = {}
    for style_id, style in nodes.items():
        seen, node = set(), style
        while node is not None and id(node) not in seen:  # a loop of basedOn would never end
            seen.add(id(node))
            if (level := own(node)) is not None:
                levels[style_id] = level
                break
            based = node.find(_W + "basedOn")
            node = nodes.get(based.get(_W + "val")) if based is not None else None
    return levels


def _outline(paragraph, styles: dict[str, int]) -> int | None:
    """The outline level of a paragraph: its own ``outlineLvl``, else its style's."""
    props = paragraph.find(_W + "pPr")
    if props is None:
        return None
    if (level := props.find(_W + "outlineLvl")) is not None:
        return _outline_level(level)
    style = props.find(_W + "pStyle")
    return styles.get(style.get(_W + "val")) if style is not None else None


def _outline_level(node) -> int | None:
    """An ``outlineLvl`` element's level: 0-8 are headings, 9 ("body text") and anything else not."""
    value = _int(node, 9)
    return value if 0 <= value < 9 else None


def _int(node, default: int) -> int:
    try:
        return int(node.get(_W + "val")) if node is not None else default
    except (TypeError, ValueError):
        return default


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _paragraph_text(paragraph) -> str:
    parts = []
    stack = [paragraph]
    while stack:
        node = stack.pop()
        # a text box is written twice, for new and for old Word (mc:Choice / mc:Fallback): once
        stack.extend(reversed([child for child in node if child.tag != _FALLBACK]))
        if node.tag == _W + "t" and node.text:
            parts.append(node.text)
        elif node.tag == _W + "tab":
            parts.append("\t")
        elif node.tag in (_W + "br", _W + "cr"):
            parts.append(" ")
    return "".join(parts)


_CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """1..99 as 一..九十九, anything else in digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (_CHINESE_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") \
        + (_CHINESE_DIGITS[ones] if ones else "")


# A format not named here (decimal, decimalHalfWidth…) is written in Arabic digits.
_FORMATS: dict[str, Callable[[int], str]] = {
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    **dict.fromkeys(("decimalEnclosedCircle", "decimalEnclosedCircleChinese"),
                    lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    "decimalZero": lambda n: f"{n:02d}",
    # the others Word and WPS offer for Chinese lists (WPS writes 一、 as japaneseCounting or
    # taiwaneseCounting): read as written, so that levels keep their own styles
    **dict.fromkeys(("chineseCounting", "chineseCountingThousand", "japaneseCounting",
                     "japaneseDigitalTenThousand", "taiwaneseCounting", "taiwaneseCountingThousand"),
                    _chinese),
    **dict.fromkeys(("decimalFullWidth", "decimalFullWidth2"),
                    lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n))),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "chineseLegalSimplified": lambda n: "".join("零壹贰叁肆伍陆柒捌玖"[int(d)] for d in str(n)) if n < 10 else str(n),
}


_MAX_LABEL = 40


def _bounded(value, low: int, high: int) -> int:
    """An attribute's number kept within low..high (``low`` when it is none): a list level (Word has
    nine, 0-8), a cell's colspan or rowspan (sixty at most)."""
    try:
        return max(low, min(int(value), high))
    except (TypeError, ValueError):
        return low


class _Numbering:
    """Word's automatic list numbers ("一、" "(一)" "1."), which paragraph text leaves out."""

    def __init__(self, word) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.outlines = _outline_styles(word)  # heading styles
        self.lists: dict[str, str] = {}  # numId -> the list it counts in (its abstractNum)
        self.restarts: dict[str, dict[int, int]] = {}  # numId -> {level: start} where it restarts
        self.used: set[str] = set()
        self.found: dict[int, int] = {}  # index of a body paragraph -> its outline level
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, tuple[str, int]] = {}
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in root.iterchildren(_W + "abstractNum"):
            levels = {}
            for lvl in node.iterchildren(_W + "lvl"):
                fmt, text, start = lvl.find(_W + "numFmt"), lvl.find(_W + "lvlText"), lvl.find(_W + "start")
                label = text.get(_W + "val") or "" if text is not None else ""
                levels[_bounded(lvl.get(_W + "ilvl"), 0, 8)] = (
                    fmt.get(_W + "val") if fmt is not None else "decimal",
                    # Word's own are a few characters ("(%2)"): a long one would repeat on every item
                    label if len(label) <= _MAX_LABEL else "",
                    _int(start, 1),
                )
            abstract[node.get(_W + "abstractNumId")] = levels
        for node in root.iterchildren(_W + "num"):
            if (ref := node.find(_W + "abstractNumId")) is not None:
                num_id = node.get(_W + "numId")
                for ilvl, spec in abstract.get(ref.get(_W + "val"), {}).items():
                    self.levels[(num_id, ilvl)] = spec
                # Word counts on through every num of one definition; a startOverride restarts it
                self.lists[num_id] = "abstract:" + (ref.get(_W + "val") or "")
                for override in node.iterchildren(_W + "lvlOverride"):
                    if (start := override.find(_W + "startOverride")) is not None:
                        level = _bounded(override.get(_W + "ilvl"), 0, 8)
                        self.restarts.setdefault(num_id, {})[level] = _int(start, 1)
        try:
            for style in word.styles.element.iterchildren(_W + "style"):
                if (num := style.find(f"{_W}pPr/{_W}numPr")) is not None:
                    self.styles[style.get(_W + "styleId")] = self._num_pr(num)
        except AttributeError:
            pass

    @staticmethod
    def _num_pr(num) -> tuple[str, int]:
        num_id, ilvl = num.find(_W + "numId"), num.find(_W + "ilvl")
        return (num_id.get(_W + "val") if num_id is not None else "",
                _bounded(ilvl.get(_W + "val"), 0, 8) if ilvl is not None else 0)

    def label(self, paragraph) -> str:
        props = paragraph.find(_W + "pPr")
        if props is None:
            return ""
        if (num := props.find(_W + "numPr")) is not None:
            num_id, ilvl = self._num_pr(num)
        else:
            style = props.find(_W + "pStyle")
            num_id, ilvl = self.styles.get(style.get(_W + "val") if style is not None else "", ("", 0))
        spec = self.levels.get((num_id, ilvl))
        if not spec or num_id == "0":
            return ""
        counters = self.counters.setdefault(self.lists.get(num_id, num_id), [0] * 9)
        fmt, text, start = spec
        if num_id not in self.used:
            self.used.add(num_id)
            for level, value in self.restarts.get(num_id, {}).items():
                counters[level] = 0
                if level == ilvl:
                    start = value
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt in ("bullet", "none"):
            return ""

        def level_value(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_fmt = self.levels.get((num_id, level), ("decimal", "", 1))[0]
            return _FORMATS.get(level_fmt, str)(counters[level] or 1)

        return re.sub(r"%([1-9])", level_value, text)


# ---- .xlsx -------------------------------------------------------------------------------------

def _read_xlsx(data: bytes, name: str) -> Document:
    """Every visible sheet as a table (merged ranges spread over their cells) and as lines, row by row:
    read-only (no object per cell of a merged range), the merged ranges from the sheet's XML."""
    openpyxl = _library("openpyxl", "openpyxl", ".xlsx")
    check_package(data, name)
    lines: list[Line] = []
    tables: list[Grid] = []
    with unreadable(name, ".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    try:
        for ws in book.worksheets:
            if ws.sheet_state != "visible":
                continue
            with unreadable(name, ".xlsx"):
                values = _sheet_values(ws, name)
                merges = merged_ranges(book._archive.read(ws._worksheet_path)) if values else []
            if values:
                _sheet_table(values, merges, name, lines, tables)
                if tables and tables[-1].caption is None and not _DEFAULT_SHEET.match(ws.title or ""):
                    tables[-1].caption = ws.title.strip() or None
    finally:
        book.close()
    return Document(lines, name, tables)


def _read_csv(data: bytes, name: str) -> Document:
    """A sheet saved as CSV (UTF-8 with BOM or GBK): read as the sheet it was."""
    text = decode_text(data, name)
    check_text(text.count("\n") + 1, len(text), name)
    values: dict[tuple[int, int], str] = {}
    for r, row in enumerate(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"))), start=1):
        for c, cell in enumerate(row, start=1):
            if cell.strip():
                values[(r, c)] = cell.strip()
    lines: list[Line] = []
    tables: list[Grid] = []
    if values:
        _sheet_table(values, [], name, lines, tables)
    return Document(lines, name, tables)


# the names Excel and WPS give new sheets: they say nothing about what a sheet holds
_DEFAULT_SHEET = re.compile(r"^\s*(?:sheet|工作表|表)\s*\d*\s*$", re.I)


def _sheet_values(ws, name: str) -> dict[tuple[int, int], str]:
    """(row, column) -> text of every cell of the sheet with content, as openpyxl's read-only sheet
    parses them but without ``iter_rows``' padding to the sheet's dimension: a dimension of
    A1:XFD1048576 or a row numbered 10^12 costs nothing to write."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    values: dict[tuple[int, int], str] = {}
    used_rows = 0
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for r, cells in parser.parse():
            found = False
            for cell in cells:
                value, c = cell["value"], cell["column"]
                if value is None:
                    continue
                if hasattr(value, "isoformat"):
                    value = value.isoformat()[:10]
                if text := str(value).replace("\r\n", "\n").replace("\r", "\n").strip():
                    if c > TABLE_COLUMNS:
                        check_table(used_rows + 1, c, name)
                    values[(r, c)] = text
                    found = True
            if found:
                used_rows += 1
                if used_rows > TABLE_ROWS:
                    check_table(used_rows, TABLE_COLUMNS, name)
    return values


def _sheet_table(values: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]], name: str,
                 lines: list[Line], tables: list[Grid]) -> None:
    """One sheet's cells as lines and a table; a cell a merged range covers is its first cell."""
    last_row = max(r for r, _ in values)
    last_col = max(c for _, c in values)
    merged: dict[tuple[int, int], tuple[int, int]] = {}  # covered cell -> its top-left
    for top, left, bottom, right in merges:
        for r in range(top, min(bottom, last_row) + 1):
            for c in range(left, min(right, last_col) + 1):
                if (r, c) != (top, left):
                    merged[(r, c)] = (top, left)
    # a value the file keeps in a covered cell is not shown by Excel (nor was it read by openpyxl)
    values = {at: text for at, text in values.items() if at not in merged}
    if not values:
        return
    used_rows = sorted({r for r, _ in values})
    max_col = max(c for _, c in values)
    merged = {at: origin for at, origin in merged.items() if at[0] <= used_rows[-1] and at[1] <= max_col}
    rows_used = sorted({r for r, _ in values} | {r for r, _ in merged if r >= used_rows[0]})
    check_table(len(rows_used), max_col, name)
    rows: list[list[Cell]] = []
    first = len(lines) + 1
    line_of: dict[tuple[int, int], int] = {}
    for r in rows_used:
        row: list[Cell] = []
        for c in range(1, max_col + 1):
            if (r, c) in merged:
                origin = merged[(r, c)]
                row.append(Cell(values.get(origin, ""), line_of.get(origin, len(lines) + 1), merged=True))
                continue
            text = values.get((r, c), "")
            if text:
                line_of[(r, c)] = len(lines) + 1
                for part in text.split("\n"):
                    if part.strip():
                        lines.append(Line(len(lines) + 1, part.strip()))
            row.append(Cell(text, line_of.get((r, c), len(lines) + 1)))
        rows.append(row)
    if rows and len(lines) >= first:
        tables.append(Grid(rows, first, len(lines)))


# ---- .html -------------------------------------------------------------------------------------

_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote",
          "pre", "dd", "dt", "ul", "ol", "center"}
_CHROME_HINT = re.compile(r"nav|menu|head(?!line)|foot|breadcrumb|crumb|share|sidebar|side-|aside|banner|login|search"
                          r"|location|position|weizhi|copyright|related|xgxx|xgwz|fenxiang|dayin|print", re.I)
_ARTICLE_HINT = re.compile(r"content|article|zoom|trs_?editor|detail|main|text|zw|wenzhang|body_?text|con", re.I)
# A DTD that declares something: "<!DOCTYPE html>" is every page's, "[<!ENTITY …" no page's.
_DECLARATIONS = re.compile(r"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.I)


def _read_html(data: bytes, name: str) -> Document:
    """The article of a government web page (its text and its tables), without the navigation."""
    lxml = _library("lxml.html", "lxml", ".html")
    text = _decode_html(data, name)
    if _DECLARATIONS.search(text):
        raise InputError(f"“{name}”含有 DTD 实体声明(正常的网页没有),未读取")
    with unreadable(name, "网页", hint="可以把网页正文复制到 .txt 文件后再导入"):
        # lxml's HTML parser never fetches anything (no_network) nor expands a declared entity;
        # said here so that no later change of defaults can make it
        parser = lxml.html.HTMLParser(no_network=True, huge_tree=False)
        root = lxml.html.document_fromstring(text, parser=parser)
    _drop_chrome(root)
    article = _article(root)
    # a line to write into from the start (empty lines are left out when numbered)
    pieces: list[list[str]] = [[]]
    tables: list[Grid] = []
    titles = [t.text_content().strip() for t in root.xpath("//h1")] if not article.xpath(".//h1") else []
    pieces += [[t] for t in titles[:1] if t]
    page = _Page(name, *_rows_by_table(article), main=pieces)
    _html_walk(article, pieces, tables, page)
    return _renumber(["".join(line) for line in pieces], tables, name, outlines=page.outlines)


_NOT_TEXT = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "select"}


def _chrome(node) -> bool:
    """Whether ``node`` is no part of the article: a script, a form, the navigation, a 分享 bar…"""
    if not isinstance(node.tag, str):
        return False
    if node.tag in _NOT_TEXT:
        return True
    marks = " ".join(filter(None, [node.get("class"), node.get("id")]))
    return bool(marks and _CHROME_HINT.search(marks) and not _ARTICLE_HINT.search(marks) and node.tag != "table")


def _drop_chrome(root) -> None:
    """lxml's ``drop_tree`` for every ``_chrome`` element, all at once (its tail joins the text before
    it). Dropped one by one, every join copies a growing string: hours for a million small links."""
    stack = [root]
    while stack:
        parent = stack.pop()
        kept_before = None  # the last kept child: a dropped child's tail joins its tail
        joined: list[str] = []
        for child in list(parent):
            if _chrome(child):
                if child.tail:
                    joined.append(child.tail)
                parent.remove(child)  # its tail goes with it: kept in ``joined``
                continue
            _join(parent, kept_before, joined)
            kept_before, joined = child, []
            if isinstance(child.tag, str):
                stack.append(child)
        _join(parent, kept_before, joined)


def _join(parent, kept_before, joined: list[str]) -> None:
    if not joined:
        return
    if kept_before is None:
        parent.text = (parent.text or "") + "".join(joined)
    else:
        kept_before.tail = (kept_before.tail or "") + "".join(joined)


@dataclass
class _Page:
    name: str
    rows: dict  # <table> -> its own <tr>s (not those of tables inside it), in order
    layout: set = field(default_factory=set)  # the <table>s that hold tables: they lay the page out
    owner: dict = field(default_factory=dict)  # element -> the nearest <table> above it
    main: list | None = None  # the page's lines (not a table cell's)
    outlines: dict = field(default_factory=dict)  # index in ``main`` -> level of an <h2>…<h6> heading


def _rows_by_table(root) -> tuple[dict, set, dict]:
    """Each <table>'s own rows, the tables that hold tables, and each element's nearest table, in one
    pass (asking each row for its table would walk up the whole nesting)."""
    owner: dict = {}  # element -> the nearest <table> above it
    rows: dict = {}
    layout: set = set()
    for node in root.iter():
        parent = node.getparent()
        table = None if parent is None else parent if parent.tag == "table" else owner.get(parent)
        owner[node] = table
        if node.tag == "tr" and table is not None:
            rows.setdefault(table, []).append(node)
        if node.tag == "table" and table is not None:
            layout.add(table)
    return rows, layout, owner


def _renumber(lines: list[str], tables: list[Grid], name: str, notes: list[tuple[int, str]] = (),
              indent: bool = False, outlines: dict | None = None) -> Document:
    """Non-blank lines numbered anew, runs of spaces made one; ``indent``: leading spaces kept (a PDF
    line's indent tells a paragraph's first line); ``outlines``: index in ``lines`` -> heading level."""
    keep: dict[int, int] = {}
    out: list[Line] = []
    for index, line in enumerate(lines, start=1):
        text = re.sub(r"[ \t\u3000\xa0]+", " ", line).strip()
        if text:
            lead = len(line) - len(line.lstrip(" ")) if indent else 0
            out.append(Line(len(out) + 1, " " * lead + text, (outlines or {}).get(index - 1)))
        keep[index] = max(1, len(out) + (0 if text else 1))
    for grid in tables:
        grid.first, grid.last = keep.get(grid.first, 1), keep.get(grid.last, len(out))
        for row in grid.rows:
            for cell in row:
                cell.line = keep.get(cell.line, grid.first)
    return Document(out, name, tables, [(keep.get(line, 1), message) for line, message in notes])


def _decode_html(data: bytes, name: str) -> str:
    head = data[:4096].lower()
    if match := re.search(rb'charset=["\']?([a-z0-9_-]+)', head):
        charset = match.group(1).decode()
        # pages saying gb2312 are written in GBK (镕, 堃, 鄌郚…): GB18030 reads both, and more
        if charset.replace("_", "").replace("-", "") in ("gb2312", "gbk", "xgbk", "gb231280", "cp936"):
            charset = "gb18030"
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            pass
    return decode_text(data, name)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _article(root):
    """The element holding the page's text: the one with the most Chinese characters among those
    marked as content, else the body."""
    counts = _han_counts(root)
    best, best_count = None, 0
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag not in ("div", "article", "section", "td", "main"):
            continue
        marks = " ".join(filter(None, [node.get("class"), node.get("id")]))
        if not marks or not _ARTICLE_HINT.search(marks):
            continue
        count = counts[node]
        if count > best_count:
            best, best_count = node, count
    body = root.find("body")
    whole = counts[body if body is not None else root]
    if best is not None and best_count * 3 >= whole:
        return best
    return body if body is not None else root


def _han_counts(root) -> dict:
    """The Chinese characters of each element's ``text_content()``, counted in one pass from the
    leaves up (anew for each, a page nested a hundred deep is read a hundred times)."""
    counts: dict = {}
    for node in reversed(list(root.iter())):  # children before their parents
        if not isinstance(node.tag, str):
            counts[node] = 0  # a comment's own text is not the page's
            continue
        total = len(_HAN.findall(node.text or ""))
        for child in node:
            total += counts[child] + len(_HAN.findall(child.tail or ""))
        counts[node] = total
    return counts


def _html_walk(node, lines: list[list[str]], tables: list[Grid], page: _Page) -> None:
    """The text under ``node`` into ``lines`` (never empty), each line its pieces (joined once, at the end)."""
    if not isinstance(node.tag, str):
        return
    # an older site lays its page out in tables: a table holding tables is read as blocks (each
    # cell a paragraph), the tables inside it as tables
    if node.tag == "table" and node not in page.layout:
        _html_table(node, lines, tables, page)
        if node.tail and node.tail.strip():
            lines.append([node.tail])
        return
    block = node.tag in _BLOCK or (node.tag in ("td", "th") and page.owner.get(node) in page.layout)
    if block:
        lines.append([])
        if node.tag in _HEADINGS and lines is page.main:
            page.outlines[len(lines) - 1] = _HEADINGS[node.tag]  # as Word's 标题 styles: a heading by its tag
    if node.text:
        lines[-1].append(node.text)
    for child in node:
        _html_walk(child, lines, tables, page)
        if child.tail:
            lines[-1].append(child.tail)
    if block:
        lines.append([])


_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}


def _html_table(table, lines: list[list[str]], tables: list[Grid], page: _Page) -> None:
    """A <table>: rows and cells with rowspan/colspan spread over the cells they cover."""
    rows_nodes = page.rows.get(table, [])
    check_table(len(rows_nodes), max((len(tr) for tr in rows_nodes), default=0), page.name)
    # a <caption> names the table ("…任务分工表"): a line of its own above it
    for caption in table.iterchildren("caption"):
        lines.append([caption.text_content()])
    pending: dict[int, tuple[Cell, int]] = {}  # column -> (cell, rows still covered)
    rows: list[list[Cell]] = []
    first = len(lines) + 1
    for tr in rows_nodes:
        row: list[Cell] = []
        col = 0
        cells = [td for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]

        def fill_pending() -> None:
            nonlocal col
            while col in pending:
                above, left = pending[col]
                row.append(Cell(above.text, above.line, merged=True))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (above, left - 1)
                col += 1

        for td in cells:
            fill_pending()
            parts = _html_cell_parts(td, page)
            text = "\n".join(p.strip() for p in parts if p.strip())
            line = len(lines) + 1
            lines.extend([p.strip()] for p in parts if p.strip())
            cell = Cell(text, line)
            span = _bounded(td.get("colspan"), 1, 60)
            down = _bounded(td.get("rowspan"), 1, 60)
            for k in range(span):
                made = cell if k == 0 else Cell(text, line, merged=True)
                row.append(made)
                if down > 1:
                    pending[col] = (cell, down - 1)
                col += 1
            if col > TABLE_COLUMNS:  # sixty cells of colspan=60 are not a plan's table
                check_table(len(rows_nodes), col, page.name)
        fill_pending()
        rows.append(row)
    if rows:
        tables.append(Grid(rows, first, max(first, len(lines))))


def _html_cell_parts(td, page: _Page) -> list[str]:
    collected: list[list[str]] = [[]]
    _html_walk(td, collected, [], page)
    return ["".join(pieces) for pieces in collected]


# ---- .pdf --------------------------------------------------------------------------------------

def _read_pdf(data: bytes, name: str) -> Document:
    """The text and ruled tables of every page, read by pdfplumber in a child process (``pdf``)."""
    _library("pdfplumber", "pdfplumber", ".pdf")  # the child reads with it: a missing one is said here
    lines, tables, notes = read_in_child(data, name)
    if not any(line.strip() for line in lines):
        raise InputError(f"{name} 中没有可提取的文字(可能是扫描件):请先做文字识别(OCR)或另存为 .docx 后再导入")
    return _renumber(lines, tables, name, notes, indent=True)


# ---- .doc / .wps / .et: through LibreOffice -------------------------------------------------------

_CONVERT = {".doc": "docx", ".wps": "docx", ".rtf": "docx", ".et": "xlsx", ".xls": "xlsx", ".odt": "docx",
            ".ods": "xlsx"}


def _read_office(suffix: str):
    target = _CONVERT[suffix]

    def read(data: bytes, name: str) -> Document:
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office is None:
            raise InputError(f"读取 {suffix} 需要安装 LibreOffice(未找到 soffice):也可以用 WPS 或 Word 把 {name} "
                             f"另存为 .{target} 后再导入")
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / ("in" + suffix)
            source.write_bytes(data)
            # a profile of its own: a LibreOffice the user has open would take the job and return at once
            profile = (Path(folder) / "profile").as_uri()
            code = run_child([office, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                              "--convert-to", target, "--outdir", folder, str(source)],
                             what=f"LibreOffice 转换 {name}", cwd=folder)
            made = Path(folder) / f"in.{target}"
            if code != 0 or not made.is_file():
                raise InputError(f"LibreOffice 未能转换 {name}(文件可能已损坏):请用 WPS 或 Word 另存为 .{target} 后再导入")
            converted = read_file(made)
        # the converted file is read as one handed in: the same checks and limits
        return READERS["." + target](converted, name)

    return read


# Any other file is read as text (.txt, .md…).
READERS: dict[str, Callable[[bytes, str], Document]] = {
    ".docx": _read_docx,
    ".xlsx": _read_xlsx,
    ".xlsm": _read_xlsx,
    ".csv": _read_csv,
    **dict.fromkeys((".html", ".htm", ".shtml"), _read_html),
    ".pdf": _read_pdf,
    **{suffix: _read_office(suffix) for suffix in _CONVERT},
}
