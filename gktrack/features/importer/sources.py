"""Every input format the importer reads, turned into numbered lines of text.

The parser only ever sees a ``Document``: a list of ``Line(no, text)``. A new format is one more
reader in ``READERS``; nothing else changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gktrack.errors import InputError
from gktrack.features.importer.table import Cell, Grid, check_size


@dataclass(frozen=True)
class Line:
    no: int  # 1-based: the source line, or for .docx the paragraph / table cell in reading order
    text: str


@dataclass
class Document:
    lines: list[Line] = field(default_factory=list)
    name: str | None = None  # the file it came from, for messages
    # tables as the file holds them (.docx, .xlsx, .html, .pdf), each covering lines first..last;
    # text files leave this empty and the parser finds the tables flattened into their lines
    tables: list[Grid] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, name: str | None = None) -> "Document":
        # Only \n, \r\n and \r end a line: the numbers must match what an editor shows.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return cls([Line(no, line) for no, line in enumerate(text.split("\n"), start=1)], name)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_document(path: str | Path) -> Document:
    """The document at ``path``; .docx by its paragraphs and table cells, .xlsx by its cells,
    anything else as text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件:{path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} 是目录,不是文件") from None
    except OSError as exc:
        raise InputError(f"无法读取文件 {path}:{exc.strerror or exc}") from None
    reader = READERS.get(path.suffix.lower(), _read_text)
    return reader(data, path.name)


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
    return Document.from_text(decode_text(data, name), name)


# ---- .docx ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, name: str) -> Document:
    try:
        import docx  # python-docx: optional, only .docx needs it
    except ImportError:
        raise InputError("读取 .docx 需要 python-docx:请先运行 pip install python-docx") from None
    import io
    import zipfile

    try:
        word = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{name} 不是有效的 .docx 文件({exc.__class__.__name__})") from None
    numbering = _Numbering(word)
    texts: list[str] = []
    _walk(word.element.body, texts, numbering)
    return Document([Line(no, text) for no, text in enumerate(texts, start=1)], name)


def _walk(container, texts: list[str], numbering: "_Numbering") -> None:
    """Paragraphs in order; tables row by row, cell by cell, a merged cell once (where it starts)."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            texts.append(numbering.label(child) + _paragraph_text(child))
        elif child.tag == _W + "tbl":
            _walk_table(child, texts, numbering)
        elif child.tag == _W + "sdt":  # content controls wrap ordinary paragraphs
            content = child.find(_W + "sdtContent")
            if content is not None:
                _walk(content, texts, numbering)


def _walk_table(table, texts: list[str], numbering: "_Numbering") -> None:
    """Row by row, cell by cell. A cell merged down several rows is read once: at its first row
    when it lies left of the main text column (a heading, a work item), after its last row when
    it lies right of it (the 责任单位 / 时限 shared by those rows), as flattened tables write it."""
    grid: list[list[tuple[int, object, str]]] = []
    for row in table.iterchildren(_W + "tr"):
        cells, col = [], _int(row.find(f"{_W}trPr/{_W}gridBefore"), 0)
        for cell in row.iterchildren(_W + "tc"):
            props = cell.find(_W + "tcPr")
            merge = props.find(_W + "vMerge") if props is not None else None
            state = "single" if merge is None else (
                "start" if merge.get(_W + "val") == "restart" else "continue")
            cells.append((col, cell, state))
            col += _int(props.find(_W + "gridSpan") if props is not None else None, 1)
        grid.append(cells)
    weight: dict[int, int] = {}
    for cells in grid:
        for col, cell, _ in cells:
            weight[col] = weight.get(col, 0) + sum(len(t.text or "") for t in cell.iter(_W + "t"))
    main = max(weight, key=weight.get) if weight else 0
    # for each merged cell that is read after its last row: (last row, column) -> cell
    later: dict[tuple[int, int], object] = {}
    skip: set[int] = set()
    for r, cells in enumerate(grid):
        for col, cell, state in cells:
            if state != "start" or col <= main:
                continue
            last = r
            while last + 1 < len(grid) and any(c == col and st == "continue" for c, _, st in grid[last + 1]):
                last += 1
            if last > r:
                later[(last, col)] = cell
                skip.add(id(cell))
    for r, cells in enumerate(grid):
        for col, cell, state in cells:
            if state == "continue":
                if (r, col) in later:
                    _walk(later[(r, col)], texts, numbering)
                continue
            if id(cell) not in skip:
                _walk(cell, texts, numbering)


def _int(node, default: int) -> int:
    try:
        return int(node.get(_W + "val")) if node is not None else default
    except (TypeError, ValueError):
        return default


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == _W + "t" and node.text:
            parts.append(node.text)
        elif node.tag == _W + "tab":
            parts.append("\t")
        elif node.tag in (_W + "br", _W + "cr"):
            parts.append(" ")
    return "".join(parts)


_CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (_CHINESE_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CHINESE_DIGITS[n // 10] + "十" + (_CHINESE_DIGITS[n % 10] if n % 10 else "")
    return str(n)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    "decimalZero": lambda n: f"{n:02d}",
}


class _Numbering:
    """Word's automatic list numbers ("一、" "(一)" "1."), which paragraph text leaves out."""

    def __init__(self, word) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
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
                levels[int(lvl.get(_W + "ilvl", "0"))] = (
                    fmt.get(_W + "val") if fmt is not None else "decimal",
                    text.get(_W + "val") if text is not None else "",
                    int(start.get(_W + "val")) if start is not None else 1,
                )
            abstract[node.get(_W + "abstractNumId")] = levels
        for node in root.iterchildren(_W + "num"):
            ref = node.find(_W + "abstractNumId")
            if ref is not None:
                for ilvl, spec in abstract.get(ref.get(_W + "val"), {}).items():
                    self.levels[(node.get(_W + "numId"), ilvl)] = spec
        try:
            for style in word.styles.element.iterchildren(_W + "style"):
                num = style.find(f"{_W}pPr/{_W}numPr")
                if num is not None:
                    self.styles[style.get(_W + "styleId")] = self._num_pr(num)
        except AttributeError:
            pass

    @staticmethod
    def _num_pr(num) -> tuple[str, int]:
        num_id, ilvl = num.find(_W + "numId"), num.find(_W + "ilvl")
        return (num_id.get(_W + "val") if num_id is not None else "",
                int(ilvl.get(_W + "val")) if ilvl is not None else 0)

    def label(self, paragraph) -> str:
        if not self.levels:
            return ""
        props = paragraph.find(_W + "pPr")
        if props is None:
            return ""
        num = props.find(_W + "numPr")
        if num is not None:
            num_id, ilvl = self._num_pr(num)
        else:
            style = props.find(_W + "pStyle")
            num_id, ilvl = self.styles.get(style.get(_W + "val") if style is not None else "", ("", 0))
        spec = self.levels.get((num_id, ilvl))
        if not spec or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = spec
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

_STATUS_COLUMNS = {"完成情况", "进展", "进展情况", "工作进展", "落实情况", "完成进度", "备注"}
_PLAN_COLUMNS = {"工作任务", "具体要求", "工作要求", "主要内容", "具体内容", "责任单位", "牵头单位", "时限要求", "完成时限"}


def _read_xlsx(data: bytes, name: str) -> Document:
    """Every sheet, row by row, in the order ``_walk_table`` reads a Word table: a merged cell once,
    at its first row left of the main text column, after its last row right of it."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise InputError("读取 .xlsx 需要 openpyxl:请先运行 pip install openpyxl") from None
    import io
    import zipfile

    try:
        book = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{name} 不是有效的 .xlsx 文件({exc.__class__.__name__})") from None
    texts: list[str] = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        spans: dict[tuple[int, int], tuple[int, int]] = {}  # top-left -> (last row, last column)
        covered: set[tuple[int, int]] = set()
        for merged in ws.merged_cells.ranges:
            spans[(merged.min_row, merged.min_col)] = (merged.max_row, merged.max_col)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered.add((r, c))
        grid: dict[tuple[int, int], str] = {}
        weight: dict[int, int] = {}
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or (cell.row, cell.column) in covered:
                    continue
                if hasattr(value, "isoformat"):
                    value = value.isoformat()[:10]
                text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
                if text:
                    grid[(cell.row, cell.column)] = text
                    weight[cell.column] = weight.get(cell.column, 0) + len(text)
        # A tracking sheet (gktrack's own 分工表, an office's 台账) carries status columns after
        # the plan's: what was done is not part of the plan being imported.
        dropped = set()
        for (r, c), text in grid.items():
            if text in _STATUS_COLUMNS and any(grid.get((r, k)) in _PLAN_COLUMNS for k in weight):
                dropped.add(c)
        for key in [k for k in grid if k[1] in dropped]:
            weight[key[1]] = 0
            del grid[key]
        main = max(weight, key=weight.get) if weight else 0
        later: dict[int, list[tuple[int, str]]] = {}
        rows: dict[int, list[tuple[int, str]]] = {}
        for (r, c), text in grid.items():
            last_row = spans.get((r, c), (r, c))[0]
            if c > main and last_row > r:
                later.setdefault(last_row, []).append((c, text))
            else:
                rows.setdefault(r, []).append((c, text))
        for r in sorted(set(rows) | set(later)):
            for _c, text in sorted(rows.get(r, [])) + sorted(later.get(r, [])):
                texts += [line.strip() for line in text.split("\n") if line.strip()]
    return Document([Line(no, text) for no, text in enumerate(texts, start=1)], name)


READERS: dict[str, Callable[[bytes, str], Document]] = {
    ".xlsx": _read_xlsx,
    ".docx": _read_docx,
    ".txt": _read_text,
    ".text": _read_text,
    ".md": _read_text,
}
