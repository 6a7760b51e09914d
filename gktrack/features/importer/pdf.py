"""A PDF's text and ruled tables (pdfplumber), read in a child process.

pdfplumber lays a page out in pure Python, with no limit of its own: a page of a million drawn
lines would take the command's time and memory. So ``read_in_child`` runs ``layout`` in a child
Python under ``limits.run_child``'s time and memory limits and takes its result back as JSON.
"""

from __future__ import annotations

import io
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from gktrack.errors import GktrackError, InputError
from gktrack.features.importer.table import Cell, Grid
from gktrack.features.importer.text import furniture_key, marker_at_start
from gktrack.features.limits import (
    CHILD_MEMORY, MAX_PDF_PAGES, check_table, python_child_env, run_child, unreadable,
)


def read_in_child(data: bytes, name: str) -> tuple[list[str], list[Grid], list[tuple[int, str]]]:
    """``layout(data, name)``, computed by a child process within the limits."""
    with tempfile.TemporaryDirectory() as folder:
        source, result = Path(folder) / "in.pdf", Path(folder) / "out.json"
        source.write_bytes(data)
        code = run_child([sys.executable, "-m", __name__, str(source), str(result), name],
                         what=f"读取 {name}", memory=CHILD_MEMORY, env=python_child_env(), cwd=folder)
        try:
            answer = json.loads(result.read_text("utf-8"))
        except (OSError, ValueError):
            answer = None
    if not isinstance(answer, dict):
        # killed, or out of memory before it could say so
        raise InputError(f"{name} 无法读取(读取 PDF 的进程异常退出,代码 {code}):文件可能过大或已损坏,"
                         "请另存为 .docx 后再导入")
    if "error" in answer:
        raise InputError(answer["error"])
    tables = [Grid([[Cell(text, line, merged) for text, line, merged in row] for row in grid["rows"]],
                   grid["first"], grid["last"]) for grid in answer["tables"]]
    return answer["lines"], tables, [(line, message) for line, message in answer.get("notes", [])]


class _Text:
    """A line of a page's text and where it starts: its left edge gives its indent."""

    def __init__(self, line: dict) -> None:
        chars = line.get("chars") or []
        self.text = line.get("text", "")
        self.x0 = float(line.get("x0", 0))
        self.x1 = float(line.get("x1", 0))
        self.size = _type_size(chars, 0.0)


def _type_size(chars: list[dict], default: float) -> float:
    """The type size most of a line's characters have (the median: a footnote mark is smaller)."""
    return sorted(c.get("size", 0) for c in chars)[len(chars) // 2] if chars else default


def _text_lines(page) -> list[_Text]:
    return [_Text(line) for line in page.extract_text_lines(return_chars=True)]


def layout(data: bytes, name: str) -> tuple[list[str], list[Grid], list[tuple[int, str]]]:
    """The text of every page and its ruled tables, in reading order (not yet numbered); and what
    reading left out: (line, message)."""
    import pdfplumber

    with unreadable(name, "PDF", hint="请另存为 .docx 后再导入"):
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    if len(pages) > MAX_PDF_PAGES:
        raise InputError(f"{name} 有 {len(pages)} 页,超过 {MAX_PDF_PAGES} 页,不像是一份工作要点")
    lines: list[str | _Text] = []
    tables: list[Grid] = []
    pages_text: list[list[int]] = []  # per page: the indexes in ``lines`` of its text lines
    with pdf:
        for page in pages:
            with unreadable(name, "PDF", hint=f"出错的是第 {page.page_number} 页;请另存为 .docx 后再导入"):
                found = page.find_tables()
                boxes = [t.bbox for t in found]

                def outside(obj, boxes=boxes) -> bool:
                    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
                    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
                    return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

                prose = page.filter(outside) if boxes else page
                tops = [t.bbox[1] for t in found]
                # text above the first table, the tables, then the text below (reading order)
                above, below = _split_at(prose, min(tops)) if tops else (_text_lines(prose), [])
                own = list(range(len(lines), len(lines) + len(above)))
                lines += above
                for table in sorted(found, key=lambda t: t.bbox[1]):
                    _pdf_table(_cell_values(page, table), lines, tables, name)
                own += range(len(lines), len(lines) + len(below))
                lines += below
                pages_text.append(own)
    notes = _running_heads(lines, pages_text)
    return _indented(lines), tables, notes


def _split_at(page, top: float) -> tuple[list[_Text], list[_Text]]:
    above = _text_lines(page.filter(lambda obj: obj.get("bottom", 0) <= top))
    below = _text_lines(page.filter(lambda obj: obj.get("top", 0) > top))
    return above, below


def _running_heads(lines: list, pages: list[list[int]]) -> list[tuple[int, str]]:
    """A page's first or last line that comes back on other pages ("第 2 页 共 5 页") is a running
    head: left out, and said so. Bare page numbers are left for the parser, which rejoins what they cut."""
    ends: dict[tuple[int, str], list[int]] = {}
    for own in pages:
        # the top lines of pages with the top lines, the feet with the feet
        for end, index in ((0, own[0]), (-1, own[-1])) if own else ():
            key = furniture_key(lines[index].text)
            if re.search(r"[\u4e00-\u9fff]", key):
                ends.setdefault((end, key), []).append(index)
    notes = []
    for found in ends.values():
        found = [index for index in found if lines[index] != ""]
        if len(found) >= 2:
            for index in found:
                shown = lines[index].text.strip()
                lines[index] = ""
            notes.append((min(found) + 1, f"去掉了每页重复的页眉页脚“{shown}”({len(found)} 处)"))
    # a two-page document shows its running head once: at the top of a later page, in type much
    # smaller than the text's
    sizes = Counter(round(lines[i].size) for own in pages for i in own if isinstance(lines[i], _Text))
    body = sizes.most_common(1)[0][0] if sizes else 0
    for own in pages[1:]:
        if own and isinstance(lines[own[0]], _Text) and 0 < lines[own[0]].size < 0.75 * body \
                and len(lines[own[0]].text.strip()) <= 40 and len(own) > 1:
            shown = lines[own[0]].text.strip()
            lines[own[0]] = ""
            notes.append((own[0] + 1, f"去掉了页眉“{shown}”(字号小于正文,位于页顶)"))
    return notes


def _indented(lines: list) -> list[str]:
    """The text lines with their indent as leading spaces (a paragraph's first line is indented).
    A line running to the text's right edge goes on in the next one when that one is not indented
    nor numbered: joined here, where the page shows where a line ends; the line joined on becomes
    blank, so the lines keep their places."""
    text = [line for line in lines if isinstance(line, _Text) and line.text.strip()]
    edges = Counter(round(line.x0) for line in text)
    left = edges.most_common(1)[0][0] if edges else 0  # none: every line is a table's or blank
    # the right edge: the furthest one that at least three lines reach (a centred title does not)
    reach = [line.x1 for line in text if sum(1 for other in text if abs(other.x1 - line.x1) <= 2) >= 3]
    right = max(reach) if reach else None

    def indent(line: _Text) -> int:
        return max(0, min(round((line.x0 - left) / line.size) if line.size > 0 else 0, 40))

    out: list[str] = []
    joining: int | None = None  # the index in ``out`` of the line the next one continues
    for line in lines:
        if isinstance(line, str) or not line.text.strip():
            out.append(line if isinstance(line, str) else "")
            joining = None
            continue
        if joining is not None and indent(line) == 0 and marker_at_start(line.text) is None:
            out[joining] += line.text
            out.append("")
        else:
            out.append(" " * indent(line) + line.text)
            joining = len(out) - 1
        full = right is not None and line.size > 0 and line.x1 >= right - line.size * 0.75
        if not full:
            joining = None
    return out


def _cell_values(page, table) -> list[list[str | None]]:
    """Each cell's text, its lines joined where they only wrapped at the cell's edge, kept apart where
    the writer broke them (one unit a line); None for a cell a merged one covers."""
    values = table.extract()  # the shape, and the text wherever the cell's lines cannot be had
    for r, row in enumerate(table.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is None or r >= len(values) or c >= len(values[r]) or values[r][c] is None:
                continue
            try:
                found = page.within_bbox(bbox).extract_text_lines(return_chars=True)
            except ValueError:
                continue
            parts: list[str] = []
            goes_on = False
            for line in found:
                text = line.get("text", "").strip()
                if not text:
                    continue
                if goes_on and marker_at_start(text) is None:
                    parts[-1] += text
                else:
                    parts.append(text)
                size = _type_size(line.get("chars") or [], 10.0)
                goes_on = float(line.get("x1", 0)) >= bbox[2] - 1.5 * size - 2
            if parts:
                values[r][c] = "\n".join(parts)
    return values


def _pdf_table(rows: list[list[str | None]], lines: list[str], tables: list[Grid], name: str) -> None:
    """pdfplumber gives None for the cells a merged cell covers: the one above (or to the left)."""
    check_table(len(rows), max((len(r) for r in rows), default=0), name)
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
            # the lines of a cell are already joined where they only wrapped (``_cell_values``)
            text = "\n".join(part.strip() for part in value.split("\n") if part.strip())
            row.append(Cell(text, len(lines) + 1))
            lines.extend(part for part in text.split("\n") if part.strip())
        grid.append(row)
    if grid:
        tables.append(Grid(grid, first, max(first, len(lines))))


def _main(argv: list[str]) -> int:
    """The child: read the PDF at argv[0], write the answer as JSON to argv[1]."""
    source, result, name = argv
    try:
        lines, tables, notes = layout(Path(source).read_bytes(), name)
        answer: dict = {"lines": lines, "notes": notes, "tables": [
            {"first": grid.first, "last": grid.last,
             "rows": [[(cell.text, cell.line, cell.merged) for cell in row] for row in grid.rows]}
            for grid in tables]}
    except GktrackError as exc:
        answer = {"error": exc.message}
    Path(result).write_text(json.dumps(answer), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
