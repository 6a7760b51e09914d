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
from gktrack.features.importer.table import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Cell, Grid, check_size


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
    """The document at ``path``: .docx/.xlsx/.html/.pdf with their tables, .doc/.wps/.et/.xls
    through LibreOffice, anything else as text (UTF-8, UTF-16, GB18030)."""
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

    check_zip(data, name, ".docx")
    try:
        word = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{name} 不是有效的 .docx 文件({exc.__class__.__name__})") from None
    numbering = _Numbering(word)
    texts: list[str] = []
    tables: list[Grid] = []
    _walk(word.element.body, texts, numbering, tables)
    return Document([Line(no, text) for no, text in enumerate(texts, start=1)], name, tables)


def _walk(container, texts: list[str], numbering: "_Numbering", tables: list[Grid] | None = None) -> None:
    """Paragraphs in order; tables row by row, cell by cell, a merged cell once (where it starts)."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            texts.append(numbering.label(child) + _paragraph_text(child))
        elif child.tag == _W + "tbl":
            _walk_table(child, texts, numbering, tables)
        elif child.tag == _W + "sdt":  # content controls wrap ordinary paragraphs
            content = child.find(_W + "sdtContent")
            if content is not None:
                _walk(content, texts, numbering, tables)


def _walk_table(table, texts: list[str], numbering: "_Numbering", tables: list[Grid] | None = None) -> None:
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
    first = len(texts) + 1
    lines: dict[int, tuple[int, int]] = {}  # id(cell) -> the lines of its text: [start, end)
    for r, cells in enumerate(grid):
        for col, cell, state in cells:
            if state == "continue":
                if (r, col) in later:
                    start = len(texts)
                    _walk(later[(r, col)], texts, numbering)
                    lines[id(later[(r, col)])] = (start, len(texts))
                continue
            if id(cell) not in skip:
                start = len(texts)
                _walk(cell, texts, numbering)
                lines[id(cell)] = (start, len(texts))
    if tables is None or len(texts) < first:
        return
    check_size(len(grid), max((len(c) for c in grid), default=0), "Word 文档")
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}
    for cells in grid:
        row: list[Cell] = []
        for col, cell, state in cells:
            props = cell.find(_W + "tcPr")
            span = max(1, min(_int(props.find(_W + "gridSpan") if props is not None else None, 1), 60))
            while len(row) < col:
                row.append(Cell("", first))
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


# ---- archives: a .docx or .xlsx is a zip ------------------------------------------------------

MAX_UNZIPPED = 200 * 1024 * 1024


def check_zip(data: bytes, name: str, kind: str) -> None:
    """A zip whose parts unpack to more than ``MAX_UNZIPPED`` (a zip bomb) is refused before any reading."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(f"{name} 不是有效的 {kind} 文件(文件已损坏或并非 {kind})") from None
    if len(infos) > 5000 or sum(info.file_size for info in infos) > MAX_UNZIPPED:
        raise InputError(f"{name} 解压后过大(超过 {MAX_UNZIPPED // 1024 // 1024} MB,可能是压缩炸弹),未读取")


_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell [^>]*ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _column_number(letters: bytes) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + (ch - 64)
    return value


def _check_merges(data: bytes, name: str) -> None:
    """A merged range larger than any plan table (A1:XFD1048576) would be spread cell by cell."""
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    for info in archive.infolist():
        if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
            continue
        for match in _MERGE_REF.finditer(archive.read(info)):
            rows = int(match.group(4)) - int(match.group(2)) + 1
            cols = _column_number(match.group(3)) - _column_number(match.group(1)) + 1
            if rows * cols > MAX_CELLS or rows > MAX_ROWS or cols > MAX_COLUMNS:
                raise InputError(f"{name} 中有过大的合并单元格({match.group(0).decode(errors='replace')[-30:]}),"
                                 "不像是分工表,请取消合并或只保留任务表后再导入")


# ---- .xlsx -------------------------------------------------------------------------------------

def _read_xlsx(data: bytes, name: str) -> Document:
    """Every visible sheet as a table (merged ranges spread over their cells) and as lines, row by row."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise InputError("读取 .xlsx 需要 openpyxl:请先运行 pip install openpyxl") from None
    import io
    import zipfile

    check_zip(data, name, ".xlsx")
    _check_merges(data, name)
    try:
        book = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InputError(f"{name} 不是有效的 .xlsx 文件({exc.__class__.__name__})") from None
    lines: list[Line] = []
    tables: list[Grid] = []
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        values: dict[tuple[int, int], str] = {}
        for (r, c), cell in list(getattr(ws, "_cells", {}).items()):
            value = cell.value
            if value is None:
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()[:10]
            text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
            if text:
                values[(r, c)] = text
        if not values:
            continue
        used_rows = sorted({r for r, _ in values})
        max_col = max(c for _, c in values)
        check_size(len(used_rows), max_col, name)
        merged: dict[tuple[int, int], tuple[int, int]] = {}  # covered cell -> its top-left
        for area in ws.merged_cells.ranges:
            for r in range(area.min_row, min(area.max_row, used_rows[-1]) + 1):
                for c in range(area.min_col, min(area.max_col, max_col) + 1):
                    if (r, c) != (area.min_row, area.min_col):
                        merged[(r, c)] = (area.min_row, area.min_col)
        rows: list[list[Cell]] = []
        first = len(lines) + 1
        line_of: dict[tuple[int, int], int] = {}
        for r in range(used_rows[0], used_rows[-1] + 1):
            if not any((r, c) in values or (r, c) in merged for c in range(1, max_col + 1)):
                continue
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
    return Document(lines, name, tables)


# ---- .html -------------------------------------------------------------------------------------

_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote",
          "pre", "dd", "dt", "ul", "ol", "center", "font"}
_CHROME_HINT = re.compile(r"nav|menu|head(?!line)|foot|breadcrumb|crumb|share|sidebar|side-|aside|banner|login|search"
                          r"|location|position|weizhi|copyright|related|xgxx|xgwz|fenxiang|dayin|print", re.I)
_ARTICLE_HINT = re.compile(r"content|article|zoom|trs_?editor|detail|main|text|zw|wenzhang|body_?text|con", re.I)
MAX_HTML = 20 * 1024 * 1024


def _read_html(data: bytes, name: str) -> Document:
    """The article of a government web page (its text and its tables), without the navigation."""
    try:
        import lxml.html
        from lxml import etree
    except ImportError:
        raise InputError("读取 .html 需要 lxml:请先运行 pip install lxml") from None
    if len(data) > MAX_HTML:
        raise InputError(f"{name} 过大(超过 {MAX_HTML // 1024 // 1024} MB),不像是一个网页")
    text = _decode_html(data, name)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{name} 不是可读的网页文件({exc.__class__.__name__})") from None
    for bad in root.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside|//form|//iframe|//select"):
        bad.drop_tree()
    for node in list(root.iter()):
        if not isinstance(node.tag, str) or node.getparent() is None:
            continue
        marks = " ".join(filter(None, [node.get("class"), node.get("id")]))
        if marks and _CHROME_HINT.search(marks) and not _ARTICLE_HINT.search(marks) and node.tag != "table":
            node.drop_tree()
    article = _article(root)
    lines: list[str] = []
    tables: list[Grid] = []
    titles = [t.text_content().strip() for t in root.xpath("//h1")] if not article.xpath(".//h1") else []
    lines += [t for t in titles[:1] if t]
    _html_walk(article, lines, tables)
    return _renumber(lines, tables, name)


def _renumber(lines: list[str], tables: list[Grid], name: str) -> Document:
    keep: dict[int, int] = {}
    out: list[Line] = []
    for index, line in enumerate(lines, start=1):
        text = re.sub(r"[ \t\u3000\xa0]+", " ", line).strip()
        if text:
            out.append(Line(len(out) + 1, text))
        keep[index] = max(1, len(out) + (0 if text else 1))
    for grid in tables:
        grid.first, grid.last = keep.get(grid.first, 1), keep.get(grid.last, len(out))
        for row in grid.rows:
            for cell in row:
                cell.line = keep.get(cell.line, grid.first)
    return Document(out, name, tables)


def _decode_html(data: bytes, name: str) -> str:
    head = data[:4096].lower()
    match = re.search(rb'charset=["\']?([a-z0-9_-]+)', head)
    if match:
        try:
            return data.decode(match.group(1).decode(), errors="replace")
        except LookupError:
            pass
    return decode_text(data, name)


def _article(root):
    """The element holding the page's text: the one with the most Chinese characters among those
    marked as content, else the body."""
    best, best_count = None, 0
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag not in ("div", "article", "section", "td", "main"):
            continue
        marks = " ".join(filter(None, [node.get("class"), node.get("id")]))
        if not marks or not _ARTICLE_HINT.search(marks):
            continue
        count = len(re.findall(r"[\u4e00-\u9fff]", node.text_content()))
        if count > best_count:
            best, best_count = node, count
    body = root.find("body")
    whole = len(re.findall(r"[\u4e00-\u9fff]", (body if body is not None else root).text_content()))
    if best is not None and best_count * 3 >= whole:
        return best
    return body if body is not None else root


def _html_walk(node, lines: list[str], tables: list[Grid]) -> None:
    if not isinstance(node.tag, str):
        return
    if node.tag == "table":
        _html_table(node, lines, tables)
        if node.tail and node.tail.strip():
            lines.append(node.tail)
        return
    if node.tag in _BLOCK:
        lines.append("")
    if node.text:
        lines[-1:] = [(lines[-1] if lines else "") + node.text]
    for child in node:
        _html_walk(child, lines, tables)
        if child.tail:
            if not lines:
                lines.append("")
            lines[-1] += child.tail
    if node.tag in _BLOCK:
        lines.append("")


def _html_table(table, lines: list[str], tables: list[Grid]) -> None:
    """A <table>: rows and cells with rowspan/colspan spread over the cells they cover."""
    rows_nodes = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
    check_size(len(rows_nodes), max((len(tr) for tr in rows_nodes), default=0), "网页")
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
            parts: list[str] = []
            _html_walk_cell(td, parts)
            text = "\n".join(p.strip() for p in parts if p.strip())
            line = len(lines) + 1
            lines.extend(p.strip() for p in parts if p.strip())
            cell = Cell(text, line)
            span = _span(td.get("colspan"))
            down = _span(td.get("rowspan"))
            for k in range(span):
                made = cell if k == 0 else Cell(text, line, merged=True)
                row.append(made)
                if down > 1:
                    pending[col] = (cell, down - 1)
                col += 1
        fill_pending()
        rows.append(row)
    if rows:
        tables.append(Grid(rows, first, max(first, len(lines))))


def _nearest_table(node):
    parent = node.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _html_walk_cell(td, parts: list[str]) -> None:
    collected: list[str] = [""]
    _html_walk(td, collected, [])
    parts.extend(collected)


def _span(value) -> int:
    try:
        return max(1, min(int(value), 60))
    except (TypeError, ValueError):
        return 1


# ---- .pdf --------------------------------------------------------------------------------------

MAX_PDF_PAGES = 300


def _read_pdf(data: bytes, name: str) -> Document:
    """The text of every page and its ruled tables (pdfplumber); a scan without text is refused."""
    try:
        import pdfplumber
    except ImportError:
        raise InputError("读取 .pdf 需要 pdfplumber:请先运行 pip install pdfplumber") from None
    import io

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfminer raises many kinds for a broken file
        raise InputError(f"{name} 不是可读的 PDF 文件({exc.__class__.__name__})") from None
    if len(pages) > MAX_PDF_PAGES:
        raise InputError(f"{name} 有 {len(pages)} 页,超过 {MAX_PDF_PAGES} 页,不像是一份工作要点")
    lines: list[str] = []
    tables: list[Grid] = []
    with pdf:
        for page in pages:
            try:
                found = page.find_tables()
                boxes = [t.bbox for t in found]

                def outside(obj, boxes=boxes) -> bool:
                    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
                    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
                    return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

                prose = page.filter(outside) if boxes else page
                words = prose.extract_text() or ""
                tops = [t.bbox[1] for t in found]
                # text above the first table, the tables, then the text below (reading order)
                above, below = _split_at(prose, min(tops)) if tops else (words, "")
                lines += above.split("\n")
                for table in sorted(found, key=lambda t: t.bbox[1]):
                    _pdf_table(table.extract(), lines, tables)
                lines += below.split("\n") if below else []
            except Exception as exc:  # a page pdfminer cannot lay out
                raise InputError(f"{name} 第 {page.page_number} 页无法读取({exc.__class__.__name__})") from None
    if not any(line.strip() for line in lines):
        raise InputError(f"{name} 中没有可提取的文字(可能是扫描件):请先做文字识别(OCR)或另存为 .docx 后再导入")
    return _renumber(lines, tables, name)


def _split_at(page, top: float) -> tuple[str, str]:
    above = page.filter(lambda obj: obj.get("bottom", 0) <= top).extract_text() or ""
    below = page.filter(lambda obj: obj.get("top", 0) > top).extract_text() or ""
    return above, below


def _pdf_table(rows: list[list[str | None]], lines: list[str], tables: list[Grid]) -> None:
    """pdfplumber gives None for the cells a merged cell covers: the one above (or to the left)."""
    check_size(len(rows), max((len(r) for r in rows), default=0), "PDF")
    first = len(lines) + 1
    grid: list[list[Cell]] = []
    for r, values in enumerate(rows):
        row: list[Cell] = []
        for c, value in enumerate(values):
            if value is None:
                above = grid[r - 1][c] if r and c < len(grid[r - 1]) else None
                left = row[c - 1] if c else None
                source = above if above is not None and not above.blank else left
                row.append(Cell(source.text if source else "", source.line if source else first, merged=True))
                continue
            text = "\n".join(part.strip() for part in value.split("\n") if part.strip())
            row.append(Cell(text.replace("\n", "") if _cjk_wrapped(text) else text, len(lines) + 1))
            lines.extend(part for part in text.split("\n") if part.strip())
        grid.append(row)
    if grid:
        tables.append(Grid(grid, first, max(first, len(lines))))


def _cjk_wrapped(text: str) -> bool:
    """A cell's text wrapped at the cell's width: its lines join without a space."""
    return "\n" in text and not re.search(r"\n\s*(?:\d+[.、]|[(（]?[一二三四五六七八九十]+[、)）])", text)


# ---- .doc / .wps / .et: through LibreOffice -------------------------------------------------------

_CONVERT = {".doc": "docx", ".wps": "docx", ".rtf": "docx", ".et": "xlsx", ".xls": "xlsx", ".odt": "docx",
            ".ods": "xlsx"}


def _read_office(suffix: str):
    target = _CONVERT[suffix]

    def read(data: bytes, name: str) -> Document:
        import shutil
        import subprocess
        import tempfile

        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office is None:
            raise InputError(f"读取 {suffix} 需要安装 LibreOffice(未找到 soffice):也可以用 WPS 或 Word 把 {name} "
                             f"另存为 .{target} 后再导入")
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / ("in" + suffix)
            source.write_bytes(data)
            try:
                subprocess.run([office, "--headless", "--convert-to", target, "--outdir", folder, str(source)],
                               capture_output=True, timeout=180, check=False)
            except (OSError, subprocess.TimeoutExpired):
                raise InputError(f"LibreOffice 未能转换 {name}:请用 WPS 或 Word 另存为 .{target} 后再导入") from None
            made = Path(folder) / f"in.{target}"
            if not made.is_file():
                raise InputError(f"LibreOffice 未能转换 {name}(文件可能已损坏):请另存为 .{target} 后再导入")
            converted = made.read_bytes()
        return READERS["." + target](converted, name)

    return read


READERS: dict[str, Callable[[bytes, str], Document]] = {
    ".xlsx": _read_xlsx,
    ".xlsm": _read_xlsx,
    ".html": _read_html,
    ".htm": _read_html,
    ".shtml": _read_html,
    ".pdf": _read_pdf,
    ".doc": _read_office(".doc"),
    ".wps": _read_office(".wps"),
    ".rtf": _read_office(".rtf"),
    ".odt": _read_office(".odt"),
    ".et": _read_office(".et"),
    ".xls": _read_office(".xls"),
    ".ods": _read_office(".ods"),
    ".docx": _read_docx,
    ".txt": _read_text,
    ".text": _read_text,
    ".md": _read_text,
}
