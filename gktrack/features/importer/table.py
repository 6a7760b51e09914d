"""One table model for every source: cells → rows → columns → tasks.

The .docx/.xlsx/.html/.pdf readers hand over ``Grid``s (merged ranges spread over the cells they
cover, flagged ``merged``); tables flattened into text (" | " rows, tab rows, one cell per line)
are rebuilt into ``Grid``s by ``text_grids``. For all of them the header row is found by what its
cells mean (``header_role``), rows of a flattened table that lost merged cells are placed in the
columns by their content, and each data row becomes a task: group columns and rows holding one
heading give sections, unit columns units with their roles, the time column deadlines, 完成情况
the first progress entry. A header cell is never a task nor a unit; a row that cannot be placed
is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from gktrack.domain.deadlines import find_deadline_phrases, is_known, split_phrases, time_phrase
from gktrack.domain.text import display_width
from gktrack.domain.unitphrase import (LABEL_ROLE_WORDS, UNIT_LABEL_KINDS, dedupe_units, join_line_breaks,
                                      looks_like_unit_phrase, parse_unit_phrase)
from gktrack.errors import InputError
from gktrack.features.importer.result import ImportedSection, ImportedTask
from gktrack.features.importer.text import (
    BARE_PAGE, CHROME, TITLE_CHARS, Marker, excerpt, fold, marker_at_start, simplified, tidy,
    tidy_lines,
)

NUMBER, GROUP, TEXT, LEAD, SUPPORT, RESPONSIBLE, DEADLINE, STATUS, REMARKS, PERSON = (
    "number", "group", "text", "lead", "support", "responsible", "deadline", "status", "remarks", "person")
DETAIL = "detail"  # 细化分工: more of the task's text, often left blank
UNIT_ROLES = (LEAD, SUPPORT, RESPONSIBLE)

_ORG = rf"(?:{UNIT_LABEL_KINDS})?"
# The labels a deadline goes by, in a column's header and before a colon in prose ("进度安排:").
# A bare "时间" or "日期" labels a column only: in prose it is as often a page's field.
_TIME_HEAD, _TIME_TAIL = r"(?:完成|办结|截止|办理|责任|推进)", r"(?:要求|节点|安排|进度)"
DEADLINE_LABEL_WORDS = (rf"{_TIME_HEAD}?(?:时限|期限){_TIME_TAIL}?|{_TIME_HEAD}时间{_TIME_TAIL}?|时间{_TIME_TAIL}"
                        r"|进度(?:安排|要求)")
_ROLE_PATTERNS = [
    (NUMBER, r"序号|编号|序|No\.?|NO\.?|号"),
    # a person (牵头负责领导, 责任人, 联系人): a note on the task, never a unit
    (PERSON, r".{0,6}(?:领导|责任人|负责人|联系人|联络员|经办人)(?:及电话|姓名)?|联系(?:电话|方式)"),
    # the unit columns: a role word a label ("牵头单位:") goes by too, then a kind of body or nothing
    (LEAD, rf"(?:{LABEL_ROLE_WORDS[LEAD]}){_ORG}"),
    (SUPPORT, rf"(?:{LABEL_ROLE_WORDS[SUPPORT]}){_ORG}"),
    # "任务分工": who does the task ("学生处,各高等学校"), unlike "具体分工" (more of its text)
    (RESPONSIBLE, rf"(?:{LABEL_ROLE_WORDS[RESPONSIBLE]}){_ORG}|单位|部门|科室|处室|股室|(?:任务|责任)分工"),
    (DEADLINE, rf"{DEADLINE_LABEL_WORDS}|时间|{_TIME_HEAD}?日期{_TIME_TAIL}?|进度"),
    (STATUS, r"完成情况|进展情况|落实情况|工作进展|进展|完成进度|推进情况|工作完成情况|目前进展"),
    (REMARKS, r"备注|说明"),
    (DETAIL, r"细化(?:分工|任务|措施|内容|要求)|具体分工|(?:分工|任务)细化"),
    (TEXT, r"具体(?:工作)?(?:要求|内容|措施|任务|工作|事项)|工作(?:要求|措施|目标|事项|举措)|主要(?:内容|措施)"
           r"|任务(?:要求|内容|描述|事项)|(?:推进|落实|保障|贯彻)(?:措施|举措)|举措"
           r"|目标(?:任务|要求|清单)?|内容|措施|事项|要求|工作任务及要求|任务及要求|重点工作内容|三级要点|二级指标"),
    (GROUP, r"(?:重点|主要|工作)?任务(?:名称|类别)?|工作(?:内容|项目|重点)|重点工作|(?:工作|任务|事项|项目)?(?:类别|类型|分类)"
            r"|项目|领域|板块"
            r"|一级要点|二级要点|一级指标|(?:工作)?要点|栏目|方面"),
]
_ROLE_RX = [(role, re.compile(rf"(?:{source})")) for role, source in _ROLE_PATTERNS]


def header_key(text: str) -> str:
    """A header cell as compared: simplified, width-folded, without spaces, colons, notes in brackets."""
    key = re.sub(r"\s+", "", simplified(fold(text or "")))
    key = re.sub(r"[((][^()()]*[))]", "", key)
    return key.strip(":*※#")


# "市级牵头单位", "县级责任单位": a unit column of one level of government, in a table dividing work over several
_LEVEL = re.compile(r"^(?:省|市|县|区|乡镇|乡|镇|街道|村|社区)级")
_JOINED = re.compile(r"和|及|与")


def header_role(text: str) -> str | None:
    """What a header cell means: number, group, text, lead, support, responsible, deadline, status, remarks."""
    key = header_key(text)
    if not key or len(key) > 12:
        return None
    for role, pattern in _ROLE_RX:
        if pattern.fullmatch(key):
            return role
    if level := _LEVEL.match(key):
        role = header_role(key[level.end():])
        return role if role in UNIT_ROLES else None
    # "目标和要求", "内容及措施": two names of one kind of column joined; "牵头及责任单位": one unit
    # column for two roles, each cell saying who leads ("X牵头,Y负责")
    parts = _JOINED.split(key)
    if len(parts) == 2 and all(parts):
        roles = {header_role(part) for part in parts}
        if len(roles) == 1:
            return roles.pop()
        if roles <= set(UNIT_ROLES):
            return RESPONSIBLE
    return None


def level_column(text: str) -> bool:
    """Whether a header cell names the units of one level of government ("市级牵头单位")."""
    return bool(_LEVEL.match(header_key(text))) and header_role(text) in UNIT_ROLES


@dataclass
class Cell:
    text: str
    line: int
    merged: bool = False   # covered by a merged range: the same cell as the one it continues

    @property
    def blank(self) -> bool:
        return not _clean(self.text)


@dataclass
class Grid:
    rows: list[list[Cell]]
    first: int          # the Document lines the table covers
    last: int
    ragged: bool = False  # a text table: short rows lost their merged cells, place them by content
    stream: bool = False  # one cell per line: rows are rebuilt from the cell sequence
    cut: bool = False     # the document stops inside its last row: that row's missing cells are unknown
    caption: str | None = None  # a workbook's sheet name: the heading of its rows when each sheet is one area
    whole: bool = False   # every row has every cell (none left out for a merge): a repeated group is the same


# ---- the header ------------------------------------------------------------------------------

@dataclass
class Header:
    at: int                     # index of the (last) header row
    roles: list[str | None]     # one per column
    start: int                  # index of its first row: rows above it are a title, read as text
    names: list[str]            # the header cells as written, one per column

    def column(self, role: str) -> int | None:
        return next((i for i, r in enumerate(self.roles) if r == role), None)

    def columns(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]


def _cell_roles(row: list[Cell]) -> list[str | None]:
    return [None if c.blank else header_role(c.text) for c in row]


def _row_roles(row: list[Cell]) -> list[str | None] | None:
    """The roles a row's cells name, when the row is a header."""
    roles = _cell_roles(row)
    filled = [c for c in row if not c.blank]
    named = [r for r in roles if r]
    distinct = {header_key(c.text) for c in filled}
    if len(named) < 2 or len(distinct) < 2 or len(named) * 3 < len(filled) * 2:
        return None
    if not ({TEXT, GROUP} & set(named)) or not (set(named) - {TEXT, GROUP}):
        return None
    return roles


def settle_roles(roles: list[str | None]) -> list[str | None]:
    """No text column: the last group column is it; several: all but the last are groups."""
    roles = list(roles)
    texts = [i for i, r in enumerate(roles) if r == TEXT]
    if not texts:
        if groups := [i for i, r in enumerate(roles) if r == GROUP]:
            roles[groups[-1]] = TEXT
    for i in texts[:-1]:
        roles[i] = GROUP
    # A second unit column of the same role ("责任单位" over "牵头|配合" split badly) stays as it is.
    return roles


def find_header(grid: Grid) -> Header | None:
    for index, row in enumerate(grid.rows[:12]):  # a header sits near the top
        roles = _row_roles(row)
        if roles is None:
            continue
        # a two-row header: "责任单位" over "牵头单位 | 配合单位"
        if index + 1 < len(grid.rows):
            below = _cell_roles(grid.rows[index + 1])
            if sum(1 for r in below if r) >= 2 and all(r or c.blank for r, c in zip(below, grid.rows[index + 1])):
                merged = [b or a for a, b in zip(roles + [None] * len(below), below)]
                merged += roles[len(below):]
                names = [b.text if not b.blank else a.text
                         for a, b in zip(row + [Cell("", 0)] * len(below), grid.rows[index + 1])]
                return Header(index + 1, settle_roles(merged), index, names + [c.text for c in row[len(below):]])
        return Header(index, _by_content(settle_roles(roles), grid.rows[index + 1:]), index, [c.text for c in row])
    return None


def _by_content(roles: list[str | None], rows: list[list[Cell]]) -> list[str | None]:
    """A task's text is never merged over rows, a group's cell often is: when the text column has
    merged or blank cells and a group column has none, the two swap ("工作事项 | 工作内容")."""
    full = [row for row in rows if len(row) == len(roles)]
    if len(full) < 2:
        return roles

    def gaps(col: int) -> int:
        return sum(1 for row in full if row[col].blank or row[col].merged)

    texts = [i for i, r in enumerate(roles) if r == TEXT]
    groups = [i for i, r in enumerate(roles) if r == GROUP]
    if len(texts) == 1 and gaps(texts[0]) and groups:
        if filled := [i for i in groups if not gaps(i)]:
            roles = list(roles)
            roles[texts[0]], roles[filled[-1]] = GROUP, TEXT
    return roles


# ---- flattened text tables -------------------------------------------------------------------

_DASH = re.compile(r"^[-—–_/\\~·.。、]*$|^(?:无|空)$")
_BARE_INT = re.compile(r"^\d{1,3}[.、]?$")
_CN_ORDINAL = re.compile(r"^[一二三四五六七八九十]{1,3}[、.]?$")  # a 序号 cell numbering a group of rows
_SECTION_STYLES = ("chapter", "cn", "pcn")


def _clean(text: str) -> str:
    return (text or "").strip(" \t\r\n\u3000\xa0\ufeff\u200b")


def is_dash(text: str) -> bool:
    """"——", "/", "无": a cell written to say it is empty."""
    core = re.sub(r"\s+", "", _clean(text))
    return not core or bool(_DASH.match(core))


def _split_pipes(text: str) -> list[str]:
    cells = re.split(r"[|｜]", text)
    return [_clean(c) for c in (cells if cells[0].strip() else cells[1:])]


def _trim(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


_RULE = re.compile(r"^[\s|:\-—=+]+$")
PIPES_ONLY = re.compile(r"^[\s|｜]*[|｜][\s|｜]*$")  # empty cells of a flattened table: no heading, no text


@dataclass(frozen=True)
class _Joined:
    """Physical lines no..last read as one row: a quoted tab-separated cell spans them."""
    no: int
    text: str
    last: int


# A quoted cell as Excel writes it: "" for a quote inside; it closes at a quote before a tab or the end
_QUOTED = re.compile(r'"((?:""|"(?![\t"]|\Z)|[^"])*)"(?=\t|\Z)')


def _quoted_fields(text: str) -> tuple[list[str], bool]:
    """Tab-separated fields as Excel writes them ("…" round a cell with a line break, "" for a
    quote), and whether the last one is still open. A quote anywhere else is text."""
    fields, i = [], 0
    while True:
        if text.startswith('"', i):
            if (quoted := _QUOTED.match(text, i)) is None:
                return fields + [text[i:]], True
            fields.append(quoted.group(1).replace('""', '"'))
            end = quoted.end()
        else:
            end = text.find("\t", i)
            end = len(text) if end == -1 else end
            fields.append(text[i:end])
        if end >= len(text):
            return fields, False
        i = end + 1


def _join_quoted_rows(lines) -> list:
    """Rows of a tab-separated text whose quoted cells run over several lines, each as one line."""
    out, i = [], 0
    while i < len(lines):
        text, j = lines[i].text, i
        if "\t" in text and '"' in text:
            fields, opened = _quoted_fields(text)
            if opened and fields[-1].count('"') == 1:  # the open quote is the line's last: read on
                while opened and j + 1 < len(lines) and j - i < 30:
                    j += 1
                    text += "\n" + lines[j].text
                    fields, opened = _quoted_fields(text)
            if not opened:  # quoted cells, on one line or several: unwrapped
                out.append(_Joined(lines[i].no, "\t".join(fields), lines[j].no))
                i = j + 1
                continue
        out.append(lines[i])
        i += 1
    return out


_CELL_RUN = re.compile(r"(?:(?![ \u3000\xa0]{2,})\S|[ \u3000\xa0](?=\S))+")


def _spaced_cells(text: str) -> list[tuple[str, int, int]]:
    """Cells of a line laid out with runs of spaces: (text, start, start in display columns)."""
    if "\t" in text or "|" in fold(text):
        return []
    found, width, counted = [], 0, 0
    for match in _CELL_RUN.finditer(text):
        width += display_width(text[counted:match.start()])
        counted = match.start()
        found.append((match.group().strip(), match.start(), width))
    return found


def _place(cells: list[tuple[str, int, int]], header: list[tuple[str, int, int]]) -> list[str]:
    """A row's cells under the header's columns, by where they start (in characters or in display
    columns, whichever lines up better): a blank merged cell leaves its column empty."""
    def placed(measure: int) -> tuple[int, list[int]]:
        columns, cost = [], 0
        for index, cell in enumerate(cells):
            choices = range(columns[-1] + 1 if columns else 0, len(header) - (len(cells) - index) + 1)
            columns.append(min(choices, key=lambda c: abs(header[c][measure] - cell[measure])))
            cost += abs(header[columns[-1]][measure] - cell[measure])
        return cost, columns

    row = [""] * len(header)
    for cell, column in zip(cells, min(placed(1), placed(2), key=lambda found: found[0])[1]):
        row[column] = cell[0]
    return row


def _space_aligned(lines) -> list:
    """A table laid out with runs of spaces (a PDF's text in layout mode, a plain-text e-mail): from a
    header row naming columns on, each line of two or more such cells as a tab row."""
    out, header = [], None
    for line in lines:
        found = _spaced_cells(line.text)
        names = [c[0] for c in found]
        if header is None and len(found) >= 3 and sum(1 for n in names if header_role(n)) * 3 >= len(names) * 2:
            header = found
        elif header is not None and line.text.strip() and (len(found) < 2 or len(found) > len(header)):
            header = None
        if header is not None and len(found) >= 2:
            out.append(_Joined(line.no, "\t".join(_place(found, header)), getattr(line, "last", line.no)))
        else:
            out.append(line)
    return out


_ONE_CELL_ROWS = 3  # rows written without "|" in a row between two rows of a text table, at most


def text_grids(lines) -> list[Grid]:
    """Tables flattened into text: " | " rows, tab rows, one cell per line ending in "|"."""
    lines = _space_aligned(_join_quoted_rows(lines))
    kinds = []
    for line in lines:
        stripped = fold(line.text).strip()
        if not stripped:
            kinds.append("blank")
        elif _RULE.match(stripped) and "|" in stripped and "-" in stripped:
            kinds.append("rule")
        elif "\t" in line.text.strip() and len([c for c in line.text.split("\t") if c.strip()]) >= 2:
            kinds.append("tabrow")
        elif "\t" in line.text.strip(" \r\n") and kinds and next(
                (k for k in reversed(kinds) if k != "blank"), None) == "tabrow":
            kinds.append("tabrow")  # "一、政策公开\t\t\t" among tab rows: a row with one cell filled
        elif "|" in stripped and len([c for c in _split_pipes(stripped) if c]) >= 2:
            kinds.append("row")
        elif stripped.endswith("|"):
            kinds.append("cell")
        else:
            kinds.append("other")

    # where the text ends: a web page's furniture after the last row ("打印本页") does not count
    end_of_text = len(lines)
    while end_of_text and (kinds[end_of_text - 1] == "blank" or CHROME.match(fold(lines[end_of_text - 1].text).strip())):
        end_of_text -= 1

    def cell_runs_on(j: int) -> bool:
        """Whether text line j goes on a cell of a one-cell-per-line table: up to the "|" closing it;
        the last cell, with no "|", to the text's end when that is one line or a text wrapped at a width."""
        k = j
        while k < end_of_text and kinds[k] == "other":
            k += 1
        if k < end_of_text:
            return kinds[k] == "cell"
        widths = [len(fold(lines[m].text).strip()) for m in range(j, k)]
        return len(widths) == 1 or min(widths[:-1]) >= 10 and max(widths[:-1]) - min(widths[:-1]) <= 2 \
            and widths[-1] <= max(widths[:-1])

    def one_cell_row(j: int, kind: str, rows: list[list[Cell]]) -> bool:
        """Whether text line j, among " | " rows, is a row whose other cells merge with the rows above:
        the text's last line, or one of a few lines the table goes on after (its next row no wider
        and no header of its own; prose before a page's "|" footer is no row). A page number is none."""
        if BARE_PAGE.match(fold(lines[j].text).strip()):
            return False
        if j == end_of_text - 1:
            return True
        after = next((k for k in range(j + 1, end_of_text) if kinds[k] not in ("blank", "other")), None)
        if kind != "row" or after is None or kinds[after] != "row" \
                or sum(1 for k in range(j, after) if kinds[k] == "other") > _ONE_CELL_ROWS:
            return False
        cells = [Cell(c, 0) for c in _trim(_split_pipes(lines[after].text))]
        return _row_roles(cells) is None and len(cells) <= max(map(len, rows), default=0)

    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        kind = kinds[i]
        if kind in ("row", "tabrow"):
            j = i
            rows: list[list[Cell]] = []
            accepted = (kind, "rule", "blank") + (("cell",) if kind == "row" else ())
            while j < len(lines) and (kinds[j] in accepted or (kinds[j] == "other" and one_cell_row(j, kind, rows))):
                if kinds[j] in (kind, "cell", "other"):
                    # the cells as written (not width-folded); a browser's tab copy keeps empty
                    # cells, " | " text trails empty ones as noise
                    text = lines[j].text
                    kept = [_clean(c) for c in text.split("\t")] if kind == "tabrow" \
                        else _trim(_split_pipes(text))
                    rows.append([Cell(r, lines[j].no) for r in kept])
                j += 1
            end = j
            while end > i and kinds[end - 1] in ("blank", "rule"):
                end -= 1
            if rows:
                ended = [fold(lines[k].text).rstrip().endswith("|") for k in range(i, end) if kinds[k] != "blank"]
                # a last line without "|" is a row cut short, unless the table writes rows so anyway
                cut = kinds[end - 1] == "other" and "other" not in kinds[i:end - 1] or (
                    end >= end_of_text - 1 and not ended[-1] and sum(ended) * 2 > len(ended)) \
                    or end >= end_of_text and _broken_off(rows)
                grids.append(Grid(rows, lines[i].no, getattr(lines[end - 1], "last", lines[end - 1].no),
                                  ragged=True, cut=cut))
            i = j
            continue
        if kind == "cell":
            at, above = i, i - 1
            while above > 0 and kinds[above] == "blank":
                above -= 1
            below = next((k for k in range(i + 1, len(lines)) if kinds[k] != "blank"), len(lines))
            if i and kinds[above] == "other" and PIPES_ONLY.match(fold(lines[i].text)) \
                    and i - above in (1, below - i):
                # "工作任务" over a line "|": the cell is the line above, its "|" on a line of its own
                # (as many blank lines between them as between the "|" and the next cell)
                i = above
            j, cells, buffer, start = i, [], [], None
            while j < end_of_text and kinds[j] in ("cell", "other", "blank"):
                if kinds[j] == "other" and "cell" not in kinds[j + 1:j + 4] and not cell_runs_on(j):
                    break
                text = lines[j].text
                if kinds[j] == "cell":
                    # a "cell" line ends in "|"; "||", "|||" are empty cells of the row, never text,
                    # and so are those after the last one written ("责任单位 | ||")
                    folded = fold(text).rstrip()
                    body = re.sub(r"[\s|｜]+$", "", text.rstrip()[:len(folded) - 1])
                    buffer.append("" if PIPES_ONLY.match(folded) else body)
                    joined = _clean("\n".join(b for b in buffer if _clean(b)))
                    cells.append(Cell(joined, start if start is not None else lines[j].no))
                    buffer, start = [], None
                elif kinds[j] == "other":
                    buffer.append(text)
                    start = lines[j].no if start is None else start
                j += 1
            if buffer and _clean("\n".join(buffer)):
                cells.append(Cell(_clean("\n".join(buffer)), start or lines[j - 1].no))
            if len(cells) >= 4:
                grids.append(Grid([cells], lines[i].no, lines[j - 1].no, ragged=True, stream=True,
                                  cut=bool(buffer) and j >= end_of_text))
            # past the "|" line at least: the line above it may be no cell after all (the next "|"
            # too far below it), and a "|" in the page's furniture at the end starts no cells
            i = max(j, at + 1)
            continue
        if kind == "other" and header_role(lines[i].text):
            if (grid := _line_stream(lines, kinds, i)) is not None:
                grids.append(grid)
                i = next(k for k, line in enumerate(lines) if line.no > grid.last) if grid.last < lines[-1].no \
                    else len(lines)
                continue
            while i < len(lines) and (kinds[i] == "blank" or (kinds[i] == "other" and header_role(lines[i].text))):
                i += 1  # the rest of a header that is not read this way
            continue
        i += 1
    return grids


def _broken_off(rows: list[list[Cell]]) -> bool:
    """Whether the text stops inside the last row of a " | " or tab table: a short row whose last cell
    is a sentence not ended ("4 | 公开城乡低保、特困"), or any short row where no other is short. Its
    missing cells are the ones the cut took, not merged ones to take from the row above."""
    last = [cell for cell in rows[-1] if _clean(cell.text)]
    widest = max(map(len, rows))
    if not last or len(rows[-1]) >= widest:
        return False
    text = fold(last[-1].text).strip()
    if all(len(row) >= widest for row in rows[1:-1]):
        return True
    return text[-1:] not in "。;)!?" and not deadline_cell(text) and not looks_like_unit_phrase(text)


_STREAM_END = re.compile(r"^(?:抄送|抄报|印发|附件\s*\d*\s*[::]|\(此件)")


def _line_stream(lines, kinds, i: int) -> Grid | None:
    """One cell per line, no "|": a header of three or more column names, then the cells. Only
    without a group column (``_whole_rows`` aside): work items over several rows are the prose's."""

    def run(j: int, stop) -> tuple[list[Cell], int]:
        """The cells of lines j… up to one that is no cell or ``stop``s them."""
        found = []
        while j < len(lines) and (kinds[j] == "blank" or kinds[j] == "other" and not stop(lines[j].text)):
            if kinds[j] == "other":
                found.append(Cell(_clean(lines[j].text), lines[j].no))
            j += 1
        return found, j

    names, j = run(i, lambda text: not header_role(text))
    if len(names) < 3 or (roles := _row_roles(names)) is None:
        return None
    roles = settle_roles(roles)
    body, end = run(j, lambda text: _STREAM_END.match(fold(text).strip()))
    whole = GROUP in roles
    if whole and not _whole_rows(body, roles):
        return None
    cells = names + body
    grid = Grid([cells], lines[i].no, body[-1].line if body else lines[j - 1].no, ragged=True, stream=True,
                whole=whole, cut=end >= len(lines) and fold(cells[-1].text).strip()[-1:] not in "。;)")
    return grid if _clean_stream(grid, Header(len(roles) - 1, roles, 0, [c.text for c in names])) else None


def _whole_rows(body: list[Cell], roles: list[str]) -> bool:
    """A group column makes rows of one cell per line ambiguous (a merged group cell is left out),
    unless every row is whole: 序号 first, one cell per column, the numbers running 1, 2, 3…"""
    width = len(roles)
    if roles[0] != NUMBER or not body or len(body) % width:
        return False
    return all(fold(body[k].text).strip() == str(k // width + 1) for k in range(0, len(body), width))


def _clean_stream(grid: Grid, header: Header) -> bool:
    """Whether every row of a one-cell-per-line table starts where a row can start."""
    width = len(header.roles)
    cells = grid.rows[0][header.at + 1:]
    rows = _unstream(grid, header)
    placed = sum(1 for row in rows for c in row if c is not None)
    if placed != len([c for c in cells if not c.blank]):
        return False
    for row in rows:
        first = next((i for i, c in enumerate(row) if c is not None), None)
        if first is None or _kind(row[first].text) in ("int", "item", "section"):
            continue
        if first or width > 1 and all(c is None for c in row[1:]):
            return False
    return True


# ---- rebuilding rows -------------------------------------------------------------------------

def _kind(text: str) -> str:
    core = _clean(text)
    if _BARE_INT.match(core):
        return "int"
    if (marker := marker_at_start(core)) is not None:
        if marker.style in _SECTION_STYLES:
            return "section"
        if marker.style in ("n", "nn", "n)", "pn"):
            return "item"
    return "plain"


# "区司法局牵头…工作,…": a unit cell written as a sentence starts with a body and its role word
_UNITS_FIRST = re.compile(r"^[\u4e00-\u9fff()()]{1,20}?(?:局|委|办|室|科|处|股|中心|政府|单位|部门)"
                          r"(?:牵头|负责|配合|主责|主办)")
_SENTENCE = re.compile(r"[。;;,,]")


def _content(text: str) -> str:
    """What a cell holds, which tells its column where a flattened row lost cells: blank, int (a row
    number, "一" too), section, item, time, units, sentence (a task's text), short (a category)."""
    core = _clean(text)
    if not core:
        return "blank"
    if _CN_ORDINAL.match(core):
        return "int"
    kind = _kind(core)
    if kind != "plain":
        return kind
    if time_phrase(core):
        return "time"
    if looks_like_unit_phrase(core) or _UNITS_FIRST.match(core):
        return "units"
    if len(core) > 25 or _SENTENCE.search(core):
        return "sentence"
    return "short"


# How well a content fits a column: ({role: score}, score of any other role). A row number, a time
# and empty cells never fit a unit column.
_NEVER = -8
_FIT: dict[str, tuple[dict, int]] = {
    "blank": ({}, 0),
    "int": ({NUMBER: 4, GROUP: 0, None: 0, REMARKS: 0, **dict.fromkeys(UNIT_ROLES + (DEADLINE,), _NEVER)}, -3),
    "section": ({GROUP: 3, TEXT: 1, NUMBER: 0, None: 0, **dict.fromkeys(UNIT_ROLES + (DEADLINE,), -5)}, -3),
    "item": ({TEXT: 2, GROUP: 1, DETAIL: 1, None: 0, **dict.fromkeys(UNIT_ROLES + (DEADLINE, NUMBER), -5)}, -3),
    "time": ({DEADLINE: 4, STATUS: 0, REMARKS: 0, None: 0, **dict.fromkeys(UNIT_ROLES + (NUMBER,), _NEVER)}, -3),
    "units": ({LEAD: 3, SUPPORT: 3, RESPONSIBLE: 3, PERSON: 0, REMARKS: 0, None: 0, NUMBER: _NEVER}, -3),
    "sentence": ({TEXT: 3, DETAIL: 2, STATUS: 1, REMARKS: 1, None: 1, GROUP: -1, NUMBER: _NEVER}, -4),
    "short": ({TEXT: 1, GROUP: 1, DETAIL: 1, NUMBER: -6, **dict.fromkeys(UNIT_ROLES, -1)}, 0),
}


_SHIFT_MARGIN = 4  # a row is read one column on only when that fits its cells clearly better


def _fitting(content: str, role: str | None) -> int:
    scores, other = _FIT[content]
    return scores.get(role, other)


def _fits(cells: list[Cell], roles: list[str | None]) -> float:
    """How well a row's cells fit the columns ``roles``, cell by cell."""
    return sum(_fitting(_content(cell.text), role) for cell, role in zip(cells, roles))


def _fit(cells: list[Cell], roles: list[str | None], default: list[int], item_col: int | None) -> list[int]:
    """The columns of a short row's cells: where what they hold fits best, else by position (``default``)."""
    width, count = len(roles), len(cells)
    contents = [_content(c.text) for c in cells]

    def score(index: int, col: int) -> float:
        value = _fitting(contents[index], roles[col]) + (contents[index] == "item" and col == item_col)
        if index >= len(default):
            return value
        # where content ties, the place by position wins: a short row lost its merged cells on the left
        return value + (1.5 if default[index] == col else 0) - 0.01 * abs(default[index] - col)

    # best[i][c]: the best score of cells 0..i with cell i in column c
    best = [[float("-inf")] * width for _ in range(count)]
    back = [[-1] * width for _ in range(count)]
    for col in range(width - count + 1):
        best[0][col] = score(0, col)
    for index in range(1, count):
        # the best column of the cell before, left of col: a running maximum as col moves right
        # (searched afresh for each col, a line of thousands of "|" took seconds)
        before = None
        for col in range(index, width - (count - 1 - index)):
            if before is None or best[index - 1][col - 1] > best[index - 1][before]:
                before = col - 1
            best[index][col] = best[index - 1][before] + score(index, col)
            back[index][col] = before
    columns = [max(range(width), key=lambda c: best[count - 1][c])]
    for index in range(count - 1, 0, -1):
        columns.append(back[index][columns[-1]])
    return columns[::-1]


def _unstream(grid: Grid, header: Header) -> list[list[Cell | None]]:
    """One cell per line → rows: a row number, an item or a section starts a row at its column;
    other cells fill the next column."""
    cells = grid.rows[0][header.at + 1:]
    roles = header.roles
    width = len(roles)
    number = header.column(NUMBER)
    groups = header.columns(GROUP)
    text = header.column(TEXT)
    item_col: int | None = None
    rows: list[list[Cell | None]] = []
    row: list[Cell | None] | None = None
    pos = 0
    names = [header_key(name) for name in header.names if name]
    deadline = header.column(DEADLINE)
    unit_cols = [col for col, role in enumerate(roles) if role in UNIT_ROLES]
    skip = 0
    for index, cell in enumerate(cells):
        if skip:
            skip -= 1
            continue
        if [header_key(c.text) for c in cells[index:index + len(names)]] == names:
            skip = len(names) - 1  # the header again, on a new page
            row, pos = None, 0
            continue
        kind = _kind(cell.text)
        content = _content(cell.text)
        col = None
        body = _body_column(row, pos, cell, roles) if row is not None else None
        if body is not None:
            if row[body] is not None:  # no text column after the name's: the body goes on in its cell
                cell = Cell(row[body].text + "\n" + cell.text, row[body].line)
            row[body] = cell
            pos = body + 1
            continue
        # a time or a unit list goes to its own column, past any the row left out
        elif row is not None and content == "time" and deadline is not None and deadline >= pos:
            col = deadline
        elif row is not None and content == "units" and text is not None and pos >= text:
            col = next((c for c in unit_cols if c >= pos), None)
            last_group = groups[-1] if groups and groups[-1] < text else None
            if col is not None and row[text] is None and last_group is not None and row[last_group] is not None \
                    and _content(row[last_group].text) in ("short", "sentence"):
                # a unit list right after it: the cell taken for a group is the task (its group merged above)
                row[text], row[last_group] = row[last_group], None
        elif row is not None and content in ("sentence", "short") and text is not None and text < pos < width \
                and roles[pos] in UNIT_ROLES + (DEADLINE, NUMBER) and not any(row[c] for c in unit_cols):
            if groups and groups[-1] < text and row[text] is not None and _content(row[text].text) == "short":
                # "主动公开 | 基础信息公开 | 做好…。": the short cell was a deeper category, merged and written once
                above = row[groups[-1]]
                row[groups[-1]] = Cell(row[text].text if above is None else above.text + "\n" + row[text].text,
                                       (above or row[text]).line)
                row[text] = None
                col = text
            elif content == "sentence":
                col = text  # a sentence is no unit and no time: the next task's text
        if col is None and kind == "int" and number is not None:
            col = number
        elif col is None and kind == "section":
            if groups:
                col = groups[0]
            else:  # a heading row of a table without group columns
                rows.append([cell] + [None] * (width - 1))
                row, pos = None, 0
                continue
        elif col is None and kind == "item":
            if item_col is None:
                if row is not None and pos < width and roles[pos] in (GROUP, TEXT):
                    item_col = pos
                else:
                    item_col = text if text is not None else pos
            col = item_col
        if col is not None:
            if row is None or col < pos or row[col] is not None:
                row = [None] * width
                rows.append(row)
            row[col] = cell
            pos = col + 1
            continue
        if row is None or pos >= width:
            if cell.blank:
                continue
            row = [None] * width
            rows.append(row)
            pos = 0
        core = fold(cell.text).strip().rstrip("。")
        while pos + 1 < width and (roles[pos] == NUMBER or roles[pos] == GROUP and text is not None
                                   and text > pos and (len(core) > 25 or "。" in core or "," in core)):
            # a sentence is no group heading (the group cell was merged and written once), and no
            # cell but a number is a row number
            pos += 1
        row[pos] = cell
        pos += 1
    return rows


_TITLE_STOP = re.compile(r"[。;;,,::]")


def _body_column(row: list[Cell | None], pos: int, cell: Cell, roles: list[str | None]) -> int | None:
    """"1.行政规范性文件集中公开 | 1.开展…。2.…": text (or an item not numbered on from the name) right
    after a short numbered name is that row's body: its column (the name's own when no text column
    follows)."""
    at = pos - 1
    if at < 0 or row[at] is None or roles[at] not in (GROUP, TEXT) or any(row[c] for c in range(pos, len(row))):
        return None
    title = marker_at_start(_clean(row[at].text))
    if title is None or title.style not in ("n", "nn", "n)", "pn", "circ"):
        return None
    name = _clean(row[at].text)[title.end:].strip()
    content = _content(cell.text)
    if (len(name) > 25 or _TITLE_STOP.search(name)) and not (
            content == "sentence" and pos < len(roles) and roles[pos] in UNIT_ROLES + (DEADLINE,)):
        # a whole task written out: only a sentence where its units come next is more of it (what
        # the task asks for, "工作任务 | 工作要求 | 牵头单位"), else the sentence is the next row's
        return None
    if content == "item":
        marker = marker_at_start(_clean(cell.text))
        if marker.style == title.style and marker.value == title.value + 1:
            return None  # the next row's name
    elif content not in ("sentence", "short"):
        return None
    after = next((c for c in range(pos, len(roles)) if roles[c] in (TEXT, DETAIL)), None)
    if after is not None and all(roles[c] in (TEXT, DETAIL, GROUP) for c in range(pos, after)):
        return after
    return at if roles[at] == TEXT else None


def _text_of_task_row(row: list[Cell | None], roles: list[str | None]) -> None:
    """A row with units or a time but no text: a group's cell just left of the text column is the
    task, its group merged above ("4 | 做好年报 | 办公室 | 年底前")."""
    text = roles.index(TEXT) if TEXT in roles else None
    if text is None or _filled(row[text]) or not any(
            _filled(cell) for cell, role in zip(row, roles) if role in UNIT_ROLES + (DEADLINE,)):
        return
    left = next((col for col in range(text - 1, -1, -1) if _filled(row[col])), None)
    if left is not None and roles[left] == GROUP and _content(row[left].text) in ("short", "sentence"):
        row[text], row[left] = row[left], None


def _align(grid: Grid, header: Header) -> tuple[list[list[Cell | None]], Header]:
    """Text rows → columns. A header narrower than its rows (cells merged across) is spread by
    content; a short row (its merged cells left out) is placed by its row number or item."""
    data = grid.rows[header.at + 1:]
    for row in data:
        while len(row) > len(header.roles) and row[-1].blank:
            row.pop()
        if len(row) == len(header.roles) and row and \
                _fits(row, [None] + header.roles[:-1]) > _fits(row, header.roles) + _SHIFT_MARGIN:
            # "类别 | 任务 | 要求 | 单位" under "工作任务 | 目标和要求 | 责任单位 | 备注": the blank last
            # cell was dropped, and the first is a category the header's first name spans too
            row.append(Cell("", row[-1].line))
    width = max([len(header.roles)] + [len(r) for r in data])
    roles = list(header.roles)
    full = [r for r in data if len(r) == width]
    if len(roles) < width:
        roles = [None] * (width - len(roles)) + roles
        for col in range(width):
            if _mostly_numbers([r[col] for r in full]):
                free = next((left for left in range(col - 1, -1, -1) if roles[left] is None), None)
                if roles[col] not in (None, NUMBER) and free is not None:
                    roles[free] = roles[col]  # its name moves to the nearest unnamed column left of it
                roles[col] = NUMBER
        for col in range(width):
            if roles[col] is None:
                values = [r[col].text for r in full if not r[col].blank]
                roles[col] = GROUP if not values or any(_kind(v) == "section" for v in values) \
                    or col + 1 < width and roles[col + 1] == GROUP and all(_content(v) == "short" for v in values) else REMARKS
        roles = settle_roles(roles)
    header = replace(header, roles=roles, names=[""] * (width - len(header.names)) + header.names)
    at = next((col for col in range(width) if roles[col] in (GROUP, TEXT)
               and _mostly_numbers([r[col] for r in full])), None) if NUMBER not in roles else None
    if at is not None:
        # "1 | 做好… | 办公室 | 年底前" under "工作任务 | 具体要求 | 责任科室 | 时限要求", the categories on
        # lines of their own: the rows start with a 序号 the header lacks, a column of its own
        header = _number_at(header, at)
        width += 1
    number, text = header.column(NUMBER), header.column(TEXT)
    item_cols = [c for r in data if len(r) == width for c, cell in enumerate(r) if _kind(cell.text) == "item"]
    item_col = max(set(item_cols), key=item_cols.count) if item_cols else text
    section_cols: dict[str, int] = {}
    for row in data:
        if len(row) == width:
            for col, cell in enumerate(row):
                if _kind(cell.text) == "section":
                    section_cols.setdefault(marker_at_start(_clean(cell.text)).style, col)

    def anchor(row: list[Cell]) -> tuple[int, int]:
        """Where a short row is placed: one of its cells, and that cell's column."""
        if number is not None and row and _kind(row[0].text) == "int":
            return 0, number
        item = next((index for index, cell in enumerate(row) if _kind(cell.text) == "item"), None)
        if item_col is not None and item is not None:
            return item, item_col
        section = row and _kind(row[0].text) == "section"
        style = marker_at_start(_clean(row[0].text)).style if section else None
        if style in section_cols:
            # "(二)… | 做好…" under "一、… | (一)… | 做好…": a heading goes where its level's headings stand
            return 0, section_cols[style]
        if style is not None or row and _CN_ORDINAL.match(_clean(row[0].text)):
            # "一 | 政策公开" (its blank cells trimmed): a heading row, written from the left
            return 0, number if number is not None else 0
        if len(row) == 1 and GROUP in header.roles and _content(row[0].text) == "short":
            # "政策解读 |": a category on a line of its own, the rest of its row merged or left out
            return 0, header.column(GROUP)
        return 0, width - len(row)

    out: list[list[Cell | None]] = []
    for row in data:
        if len(row) == width:  # no row is wider: ``width`` is the widest
            out.append(list(row))
            continue
        placed: list[Cell | None] = [None] * width
        at, col = anchor(row)
        start = max(0, col - at)
        default = [start + index for index in range(len(row)) if start + index < width]
        for index, col in enumerate(_fit(row, header.roles, default, item_col) if row else []):
            placed[col] = row[index]
        _text_of_task_row(placed, header.roles)
        out.append(placed)
    headings = [row[text] for row in out if _filled(row[text])] if text is not None else []
    if headings and all(_kind(cell.text) == "section" for cell in headings) and GROUP in header.roles[text + 1:]:
        # "一、… | (一)… | 1.… | 单位" under "工作要求 | 一级要点 | 二级要点 | 责任科室": a column of
        # headings before a group column is a group's whatever the header calls it
        roles = list(header.roles)
        roles[text] = GROUP
        header = replace(header, roles=settle_roles(roles))
    return out, header


def _number_column(grid: Grid, header: Header) -> Header:
    """A 序号 column for the numbered rows of a one-cell-per-line table whose header has none: before
    the text when a category mostly comes before the numbers, else first."""
    if header.column(NUMBER) is not None:
        return header
    cells = [c for c in grid.rows[0][header.at + 1:] if not c.blank]
    at = [i for i, c in enumerate(cells) if _BARE_INT.match(_clean(c.text))]
    numbers = [int(re.sub(r"\D", "", _clean(cells[i].text))) for i in at]
    if not at or not _row_numbers(numbers) or len(at) == 1 and numbers != [1]:
        return header
    text = header.column(TEXT)

    def category(i: int) -> bool:
        return 0 <= i < len(cells) and _content(cells[i].text) in ("short", "section")

    after_category = sum(1 for i in at if category(i - 1))
    before_category = sum(1 for i in at if category(i + 1))  # "1 | 政策解读 | 做好…": the number comes first
    col = text if text is not None and after_category * 2 > len(at) and after_category > before_category else 0
    return _number_at(header, col)


def _number_at(header: Header, col: int) -> Header:
    """``header`` with a 序号 column it lacks at ``col``."""
    return replace(header, roles=header.roles[:col] + [NUMBER] + header.roles[col:],
                   names=header.names[:col] + [""] + header.names[col:])


def _mostly_numbers(cells: list[Cell]) -> bool:
    """Whether a column's filled cells are mostly bare numbers: row numbers."""
    values = [c.text for c in cells if not c.blank]
    return bool(values) and sum(bool(_BARE_INT.match(v)) for v in values) * 10 >= len(values) * 7


def _row_numbers(numbers: list[int]) -> bool:
    """Whether bare numbers are a table's row numbers: rising, maybe again from 1 under each category,
    at most one in three missing (a row the copy lost)."""
    missing, start = 0, 0
    for index in range(1, len(numbers) + 1):
        if index == len(numbers) or numbers[index] <= numbers[index - 1]:
            if start and numbers[start] != 1:
                return False
            missing += numbers[index - 1] - numbers[start] + 1 - (index - start)
            start = index
    return bool(numbers) and missing * 3 <= len(numbers)


_REQUIREMENT = re.compile(r"要求$")


def _requirement_detail(grid: Grid, header: Header) -> Header:
    """"贯彻举措 | 工作要求": a requirements column right after the task's text column goes on with that
    text (``settle_roles`` took the first for a group), unless the first's cells are merged or blank."""
    names = [header_key(name) for name in header.names]
    roles = list(header.roles)
    data = [] if grid.ragged else grid.rows[header.at + 1:]
    for col in range(1, len(roles)):
        if roles[col] == TEXT and roles[col - 1] == GROUP and _REQUIREMENT.search(names[col]) \
                and header_role(names[col - 1]) == TEXT \
                and not any(len(row) > col and (row[col - 1].blank or row[col - 1].merged) for row in data):
            roles[col - 1], roles[col] = TEXT, DETAIL
    return replace(header, roles=roles)


def rows_of(grid: Grid, header: Header) -> tuple[list[list[Cell | None]], Header]:
    """The data rows of a grid under ``header``: None for a cell a flattened row left out."""
    header = _requirement_detail(grid, header)
    if grid.stream:
        header = _number_column(grid, header)
        return _unstream(grid, header), header
    if grid.ragged:
        return _align(grid, header)
    rows = [list(row) + [None] * (len(header.roles) - len(row)) for row in grid.rows[header.at + 1:]]
    return rows, header


# ---- rows to tasks ---------------------------------------------------------------------------

@dataclass
class Row:
    """One data row, read by role."""
    line: int
    number: str | None = None
    groups: list[tuple[int, str, bool]] = field(default_factory=list)  # (column, text, carried)
    text: str = ""
    text_carried: bool = False
    detail: str = ""   # a 细化分工 cell: the text goes on with it
    units: dict[str, str] = field(default_factory=dict)    # role -> cell text
    deadline: str = ""
    status: str = ""
    state: str = ""   # a 完成情况 cell that only names a state ("已完成"): not an account of work
    remarks: str = ""
    people: list[str] = field(default_factory=list)   # "牵头负责领导:张三": notes, not units
    section: str | None = None   # a row holding one heading only


def read_rows(rows: list[list[Cell | None]], header: Header, ragged: bool, cut: bool) -> list[Row]:
    roles = header.roles
    width = len(roles)
    previous: list[Cell | None] = [None] * width
    out: list[Row] = []
    # "1" heads the rows numbered "1.1", "1.2": the numbers that have such rows under them
    number_cols = [col for col, role in enumerate(roles) if role == NUMBER]
    parents = {match.group(1) for cells in rows for col in number_cols[:1]
               if col < len(cells) and cells[col] is not None
               and (match := re.match(r"^(\d{1,3})\.\d", _clean(cells[col].text)))}
    # "市级牵头单位 | 责任单位": the units of another level of government beside the plan's own are a
    # note on the task; when every unit column names its level, all of them are the plan's
    unit_cols = [col for col, role in enumerate(roles) if role in UNIT_ROLES]
    other_level = {col for col in unit_cols if level_column(header.names[col])}
    if len(other_level) == len(unit_cols):
        other_level = set()
    for index, cells in enumerate(rows):
        if cut and index == len(rows) - 1:
            previous = [None] * width  # a row the document stops inside takes nothing from above
        cells = cells[:width] + [None] * (width - len(cells))
        present = [c for c in cells if _filled(c)]
        if not present:
            continue
        if sum(1 for c in present if header_role(c.text)) * 2 > len(present) and len(present) >= 2:
            continue  # the header repeated on a new page
        line = min(c.line for c in present)
        if (section := _heading_row(cells, roles, present, parents)) is not None:
            out.append(Row(line, section=section))
            previous = [None] * width
            continue
        row = Row(line)
        group_changed = own = False
        # A text copy writes a merged cell once, on its first row, and leaves it blank below: in a row
        # that stays in the group above, a blank unit or time cell is that merged cell.
        in_group = ragged and any(roles[col] == GROUP for col in range(width)) and all(
            previous[col] is not None and (cells[col] is None or cells[col].blank)
            for col in range(width) if roles[col] == GROUP)
        # a 配合单位 cell may well be empty: unit cells are merged ones only when the main one is blank too
        main = [col for col in range(width) if roles[col] in (LEAD, RESPONSIBLE) and col not in other_level]
        units_merged = in_group and bool(main) and all(cells[col] is None or cells[col].blank for col in main)
        for col, role in enumerate(roles):
            cell = cells[col]
            value = _clean(cell.text) if cell is not None else ""
            carried = False
            if (units_merged if role in UNIT_ROLES else in_group and role == DEADLINE) \
                    and not value and previous[col] is not None:
                value, carried = _clean(previous[col].text), True
            elif cell is None or (cell.merged and not ragged) or (not value and role == GROUP):
                # a merged cell, or one a flattened row left out: the one above (a group's only
                # while no group cell of this row has started a new one)
                if role == GROUP and not group_changed or role in UNIT_ROLES + (DEADLINE,):
                    above = previous[col]
                    value, carried = (_clean(above.text) if above is not None else ""), True
                elif role == TEXT and cell is not None:
                    row.text_carried = True
            if role in (GROUP, TEXT) and _BARE_INT.match(value):
                # a row number in a column it was not placed in: the row's number, never a heading or a task
                row.number = row.number or (None if carried else value)
                continue
            if role == GROUP and value and not carried:
                group_changed = True
            own = own or role in UNIT_ROLES + (DEADLINE,) and bool(value) and not carried
            if role == NUMBER:
                row.number = value or row.number
            elif role == GROUP:
                if value:
                    row.groups.append((col, value, carried))
            elif role == TEXT:
                row.text = value
            elif role == DETAIL:
                row.detail = "" if is_dash(value) else value
            elif role == REMARKS:
                row.remarks = "" if is_dash(value) else value
            elif is_dash(value):  # empty, or "——", "/", "无"
                continue
            elif col in other_level or role == PERSON:
                row.people.append(f"{header_key(header.names[col])}:{value}")
            elif role in UNIT_ROLES:
                row.units[role] = (row.units[role] + ";" + value) if role in row.units else value
            elif role == DEADLINE:
                row.deadline = (row.deadline + "\n" + value) if row.deadline else value
            elif role == STATUS and (state := state_only(value)) is not None:
                row.state = state
            elif role == STATUS:
                row.status = (row.status + "\n" + value) if row.status else value
        for col, cell in enumerate(cells):
            if cell is None:
                continue
            if not cell.blank:
                previous[col] = cell
            elif roles[col] != GROUP and not ragged and not cell.merged:
                previous[col] = None
            elif roles[col] in UNIT_ROLES and main and not units_merged:
                previous[col] = None  # a row with units of its own: its empty 配合单位 is empty
        if not row.text and not row.text_carried and not own:
            row.units, row.deadline = {}, ""  # only what it took from above: nothing of a task of its own
        if row.detail:
            row.text = "\n".join(part for part in (row.text, row.detail) if part)
        out.append(row)
    return out


def _filled(cell: Cell | None) -> bool:
    return cell is not None and not cell.blank


def _heading_row(cells: list[Cell | None], roles: list[str | None], present: list[Cell],
                 parents: set[str]) -> str | None:
    """The heading a row holds when it holds nothing else: one text (maybe over merged cells), or a
    number and a title without unit or time ("一 | 政策公开 | |", "1 | 决策公开" over rows 1.1, 1.2)."""
    distinct = {_clean(c.text) for c in present}
    if len(distinct) == 1:
        only = next(iter(distinct))
        col = next(i for i, c in enumerate(cells) if _filled(c))
        core = fold(only).rstrip("。.")  # a title spread over merged cells, or a section's heading
        spans = len(present) > 1 and len(core) <= TITLE_CHARS and "。" not in core and _kind(only) != "int"
        if roles[col] in (GROUP, TEXT, NUMBER, None) and (_kind(only) == "section" or spans):
            return only
    numbered = [_clean(c.text) for c, r in zip(cells, roles) if r == NUMBER and _filled(c)]
    words = [_clean(c.text) for c, r in zip(cells, roles) if r in (TEXT, GROUP) and _filled(c)]
    if not numbered or len(words) != 1 \
            or any(_filled(c) for c, r in zip(cells, roles) if r in UNIT_ROLES + (DEADLINE,)):
        return None
    number = numbered[0].rstrip("、.")
    if _CN_ORDINAL.match(numbered[0]):
        return number + "、" + words[0]
    return number + "." + words[0] if number in parents else None


# A state, not an account of work done: what a tracking sheet's 完成情况 column says of a task.
_STATE_WORD = re.compile(r"^(?:已?完成|未完成|进行中|推进中|正常推进|未开始|未到期|已办结|已销号|逾期\s*\d*\s*天?|已逾期"
                         r"|按期|滞后|持续推进中?|√|×|是|否)$")
_DONE_WORD = re.compile(r"^(?:已?完成|已办结|已销号|√)$")
# "已完成(2024-06-28)", "司法所:未完成": a state with its date, or a unit's (gktrack's own 分工表)
_STATE_NOTE = re.compile(r"\s*\([^()]*\)$")
_UNIT_PREFIX = re.compile(r"^[^::]{1,30}[::]\s*")


def state_only(cell: str) -> str | None:
    """The state a 完成情况 cell names when it says nothing more, its first line's (a sheet's
    "已完成", or the 分工表 gktrack exports: "未完成(已完成 0/2)" over one line per unit's
    "司法所:未完成"); None when it gives an account of work done."""
    lines = [line.strip() for line in fold(cell).splitlines() if line.strip()]
    states = [_STATE_NOTE.sub("", line) for line in lines]
    states = [states[0], *(_UNIT_PREFIX.sub("", state) for state in states[1:])]
    return states[0] if states and all(_STATE_WORD.match(state) for state in states) else None


def units_text(units: dict[str, str]) -> str | None:
    def shown(text: str) -> str:  # a cell's line breaks as the unit parser reads them
        return tidy(join_line_breaks(text))

    if not units:
        return None
    if list(units) == [RESPONSIBLE]:
        return shown(units[RESPONSIBLE])
    labels = {LEAD: "牵头单位", SUPPORT: "配合单位", RESPONSIBLE: "责任单位"}
    return ";".join(f"{labels[role]}:{shown(units[role])}" for role in UNIT_ROLES if role in units)


# ---- the tasks -------------------------------------------------------------------------------

def next_section_key(counts: dict[str, int], parent: str) -> str:
    """The key of the next section under ``parent`` ("" at the top): "2", "2.3"; ``counts`` counts them."""
    counts[parent] = counts.get(parent, 0) + 1
    return f"{parent}.{counts[parent]}" if parent else str(counts[parent])


@dataclass
class TableTasks:
    sections: list[ImportedSection] = field(default_factory=list)
    tasks: list[ImportedTask] = field(default_factory=list)
    any_units: bool = False
    stack: list[tuple[str, str]] = field(default_factory=list)   # open headings: (style, key)
    counts: dict[str, int] = field(default_factory=dict)          # headings under each key so far


def build_tasks(grid: Grid, header: Header, warn, *, trailing, split,
                into: TableTasks | None = None) -> TableTasks:
    """The sections and tasks of one table. ``trailing`` (``item_units.trailing_units``) and ``split``
    (``lines.split_items``) are the prose reader's, which imports this module; ``into`` continues
    the headings of what came before."""
    rows, header = rows_of(grid, header)
    result = into or TableTasks()
    read = read_rows(rows, header, grid.ragged, grid.cut)
    said_done: list[int] = []  # the lines of rows whose 完成情况 only says done
    merge_col = _title_column(read)
    if merge_col is not None and _CATEGORY.search(header_key(header.names[merge_col])):
        merge_col = None  # a 类别 column heads its rows whatever it says
    if merge_col is None:
        read = _split_items(read, split)
    has_units = any(r in UNIT_ROLES for r in header.roles)
    has_time = DEADLINE in header.roles
    open_values: dict[int, str] = {}

    def open_heading(text: str, style: str, line: int) -> None:
        marker = marker_at_start(text)
        body = text[marker.end:].strip() if marker else text
        style = marker.style if marker and style == "row" else style
        styles = [s for s, _ in result.stack]
        if style in styles:
            del result.stack[styles.index(style):]
        key = next_section_key(result.counts, result.stack[-1][1] if result.stack else "")
        result.stack.append((style, key))
        title = tidy(body).rstrip("。.;;:: ")
        result.sections.append(ImportedSection(key, marker.text if marker else None, title, line))

    if grid.caption:
        open_heading(grid.caption, "sheet", grid.first)
    for row in read:
        if row.section:
            open_heading(row.section, "row", row.line)
            open_values.clear()
            continue
        for col, value, carried in row.groups:
            if col == merge_col or open_values.get(col) == value and (carried or grid.whole or not grid.ragged):
                continue  # carried down, or the same group written again (a blank-free sheet)
            open_heading(value, f"col{col}", row.line)
            open_values[col] = value
            for deeper in [c for c in open_values if c > col]:
                del open_values[deeper]
        text, number = row.text, row.number
        if merge_col is not None:
            title = next((v for c, v, _ in row.groups if c == merge_col), "")
            marker = marker_at_start(title)
            if marker and number is None:
                number, title = marker.text, title[marker.end:].strip()
            text = "\n".join(part for part in (title, text) if part)
        if not text:
            if row.text_carried and result.tasks:
                _add_units(result.tasks[-1], row, warn)
                continue
            if row.units or row.deadline or row.status:
                warn(row.line, "表格这一行没有任务内容,未导入:" + excerpt(
                    "|".join(filter(None, [*row.units.values(), row.deadline, row.status]))))
            continue
        marker = marker_at_start(text)
        if marker is not None and marker.style in ("n", "nn", "n)", "pn", "circ"):
            if number is None:
                number = marker.text
            text = text[marker.end:].strip()
        number = (number or "").strip() or None
        task = ImportedTask(number=number, section=result.stack[-1][1] if result.stack else None,
                            text=text, line=row.line)
        if row.units:
            _add_units(task, row, warn)
            result.any_units = result.any_units or bool(task.units)
        elif not has_units and (tail := trailing(text)) is not None:
            task.text, task.units_text, task.units = tail.text, tail.units_text, tail.units
            task.deadline = list(tail.deadlines)
            result.any_units = True
        if row.remarks:
            task.text += "\n备注:" + row.remarks
        for note in row.people:
            task.text += "\n" + note
        task.text = tidy_lines(task.text)
        if row.deadline:
            task.deadline = cell_deadlines(row.deadline, row.line, warn)
        elif not task.deadline and not has_time:
            task.deadline = find_deadline_phrases(task.text)
            task.deadline_from_text = bool(task.deadline)
        if row.status:
            task.status = row.status
        if _DONE_WORD.match(row.state):
            said_done.append(row.line)
        result.tasks.append(task)
    if said_done:
        # the sheet's word is no record of when or how: the office closes them, each with its date
        warn(said_done[0], f"表中完成情况只写了“已完成”等状态的 {len(said_done)} 项任务导入后仍是未完成"
                           "(状态词不作为进展记录);确已办结的请用 gktrack close 记录办结日期")
    return result


_ITEM_STYLES = ("n", "nn", "n)", "pn", "circ")


def _split_items(rows: list[Row], split) -> list[Row]:
    """"3.… 4.…" in one task cell, numbered on from the rows around it: one task each, sharing the
    row's units and deadline. Requirements "1.… 2.…" starting again in every row stay one task."""
    def lead(row: Row) -> Marker | None:
        marker = marker_at_start(row.text) if row.text and not row.section else None
        return marker if marker is not None and marker.style in _ITEM_STYLES else None

    out: list[Row] = []
    last = None  # the item number the task rows above ended with
    for index, row in enumerate(rows):
        first = lead(row)
        if first is None:
            last = None if row.text else last
            out.append(row)
            continue
        after = next((lead(r) for r in rows[index + 1:] if r.text and not r.section), None)
        after = after.value if after is not None and after.style == first.style else None
        pieces = [] if row.number or row.detail else split(row.line, row.text)
        values = [p.marker.value if p.marker and p.marker.style == first.style else None for p in pieces]
        if len(pieces) > 1 and values == list(range(first.value, first.value + len(pieces))) \
                and (last is not None and first.value == last + 1 or first.value == 1 and after is not None) \
                and (after is None or after == values[-1] + 1):
            carried = [(col, value, True) for col, value, _ in row.groups]
            out += [replace(row, text=piece.raw, groups=row.groups if at == 0 else carried)
                    for at, piece in enumerate(pieces)]
            last = values[-1]
        else:
            out.append(row)
            last = first.value
    return out


def deadline_cell(text: str) -> bool:
    """A whole deadline cell, maybe of several phrases ("每月5日前,遇重大事项即时发布"): every one known."""
    phrases = split_phrases(text)
    return bool(phrases) and all(is_known(phrase) for phrase in phrases)


def cell_deadlines(text: str, line: int, warn) -> list[str]:
    """The phrases of a deadline cell without spaces; one not understood is kept as written, and said."""
    phrases = [re.sub(r"\s+", "", phrase) for phrase in split_phrases(text)]
    for phrase in phrases:
        if not is_known(phrase):
            warn(line, f"无法识别的时限“{phrase}”,已原样保留")
    return phrases


def _add_units(task: ImportedTask, row: Row, warn) -> None:
    found = list(task.units)
    for role in UNIT_ROLES:
        if role not in row.units:
            continue
        try:
            found += parse_unit_phrase(row.units[role], default=role)
        except InputError as exc:
            warn(row.line, f"{exc.message},原样保留在责任单位文字中")
    task.units = dedupe_units(found)
    shown = units_text(row.units)
    if task.units_text and shown and shown not in task.units_text:
        task.units_text = task.units_text + ";" + shown
    else:
        task.units_text = task.units_text or shown


_CATEGORY = re.compile(r"类别|类型|分类|领域|板块|栏目|方面")


def _title_column(rows: list[Row]) -> int | None:
    """A group column with a new item ("1.做好…") on every row is each row's own title, not a group."""
    rows = [r for r in rows if not r.section and r.text]
    columns = {c for r in rows for c, _, _ in r.groups}
    if not columns:
        return None
    col = max(columns)
    values = []
    for r in rows:
        own = [(v, carried) for c, v, carried in r.groups if c == col]
        if not own or own[0][1]:
            return None
        values.append(own[0][0])
    if len(set(values)) != len(values):
        return None
    # "政策解读", "依申请公开": a word or two naming each row's category heads it, titles are phrases
    if all(len(re.sub(r"\s", "", v)) <= 5 and _kind(v) != "item" for v in values):
        return None
    if not all(_kind(v) == "item" for v in values) and (len(values) < 2 or any(_kind(v) == "section" for v in values)):
        return None
    return col
