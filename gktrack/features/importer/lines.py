"""A document's text as segments (``Seg``): what every later step of the parse reads.

Page furniture ("- 3 -", a running head) taken out of the lines before anything reads them, blank
lines dropped, table rows written with | or tabs split into cells, hard-wrapped text (PDF copies)
rejoined, page markers ("2、" cutting a sentence) removed and the sentence they or a page break cut
rejoined, headings and items run into one line split apart. Also the ``Run`` that collects
one parse's warnings, and the patterns of page furniture and plan and part titles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable

from gktrack.domain.deadlines import is_known
from gktrack.domain.text import (
    BRACKET_FOLD, CLOSING_BRACKETS, CLOSING_QUOTES, bracket_pairs, display_width, last_bracket,
)
from gktrack.domain.unitphrase import looks_like_unit_phrase
from gktrack.features.importer.sources import Document
from gktrack.features.importer.text import (
    BARE_PAGE, CHROME, CJK, DATE_LINE, DOC_NUMBER, STRIP, TITLE_CHARS, Marker, fold,
    furniture_key, marker_at_start, markers_inside,
)
from gktrack.features.importer.item_units import trailing_units, unit_phrase


# a line ending so ends a sentence (folded text): its own stop, or the bracket or quotation closed
TERMINAL = "。!?;:…" + CLOSING_BRACKETS + CLOSING_QUOTES
PLAN_WORD = re.compile(
    r"(?:要点|方案|分工|分工表|任务表|分解表|任务分解|责任分解|一览表|清单|台账|计划|工作安排|意见|细则|规定)"
    r"(?:\((?:试行|征求意见稿|送审稿|草案|修订|\d{4}\s*年?[度版]?)\)|\s*(?:19|20)\d{2}\s*年?度?)?$")
NOTICE_WORD = re.compile(r"通知|印发|^关于|^附件|[:《》]")


# The parts that introduce a plan wherever they stand: what it is for, never what is to be done.
_INTRO_WORDS = r"总体要求|指导思想|工作目标|主要目标|总体目标|基本原则|工作原则|总体思路|工作思路|重要意义"
# "政务公开的基本原则", "本方案的总体要求", "总体指导思想": the same, said of the plan's own subject
INTRO_TITLE = re.compile(rf"^(?:[{CJK}]{{0,10}}?(?:公开|工作|方案|计划|要点)的)?(?:总体|主要)?(?:{_INTRO_WORDS}|编制依据|适用范围)$")
# A title of the same general kind ("工作要求", "指导思想和基本原则"): the introduction only where the
# plan's structure says so. A longer title says what to do ("坚持公开原则"): a task's.
_INTRO_WORD = rf"[{CJK}]{{0,2}}?(?:要求|目标|思想|原则|思路|依据)"
INTRO_KIND = re.compile(rf"^{_INTRO_WORD}(?:[和与及、]{_INTRO_WORD}){{0,2}}$")
# The titles of a plan's usual parts: one opening a heading's text that goes on as a sentence
# ("一、工作目标紧紧围绕…。", "一、总体要求 2022年是…。") is the whole title, its line break lost.
_PART_TITLE_WORDS = (
    rf"(?:{_INTRO_WORDS}|工作任务|主要任务|重点任务"
    r"|具体任务|工作措施|保障措施|工作要求|组织保障|组织领导|组织实施|实施步骤|工作步骤|进度安排|工作安排|有关要求)")
PART_TITLE = re.compile(r"^" + _PART_TITLE_WORDS + r"(?=[^,,、::;;。.!!和及与的])")


# ---- lines and segments -----------------------------------------------------------------------


@dataclass
class Seg:
    no: int
    raw: str
    norm: str = ""
    marker: Marker | None = None
    kind: str = "para"
    level: int = -1
    above: tuple[int, int] | None = None  # "以上第5-7项由…": the item numbers a unit line is for
    all_above: bool = False  # "以上工作由…": a unit line for the items above it, whatever their section
    whole_section: bool = False  # "本部分工作由…": a unit line for every item of its section
    detail: bool = False  # a "●" line under a whole task: part of that task's text
    indent: int = 0  # leading spaces of the source line: paragraph starts in wrapped text
    outline: int | None = None  # the heading level the file gives the line (``Line.outline``)
    table: tuple | None = None  # kind "table": the (Grid, Header) read as a table where it stands
    # where each source line starts inside ``raw`` once lines are joined: [(offset, line)]
    starts: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        lead = len(self.raw) - len(self.raw.lstrip(STRIP))
        self.raw = self.raw.strip(STRIP)
        self.norm = fold(self.raw)
        starts = [(max(0, offset - lead), no) for offset, no in self.starts] or [(0, self.no)]
        self.starts = [item for item in starts if item[0] < max(1, len(self.raw))]

    def piece(self, begin: int, end: int) -> "Seg":
        """raw[begin:end] as a segment that knows which line it starts on."""
        line = self.line_at(begin)
        inside = [(offset - begin, no) for offset, no in self.starts if begin < offset < end]
        return Seg(line, self.raw[begin:end], starts=[(0, line)] + inside)

    def line_at(self, offset: int) -> int:
        return max((item for item in self.starts if item[0] <= offset), default=(0, self.no))[1]

    @property
    def body(self) -> str:
        """The text after the numbering, as written."""
        return self.raw[self.marker.end:].strip(STRIP) if self.marker else self.raw

    @property
    def compact(self) -> str:
        return re.sub(r"\s+", "", self.norm)


@dataclass
class Run:
    """Everything one parse collects, and the warnings it owes the user."""
    warnings: list[tuple[int, str]] = field(default_factory=list)
    cut_units: bool = False  # the cut-off end was read as a unit list, and said so
    preamble: list[str] = field(default_factory=list)  # the parts skipped as the plan's introduction
    notice_only: bool = False  # the text is a cover notice and nothing of the plan it issues

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, " ".join(message.split())))


# What sets apart the cells of a table row written as text: "|" or tabs
_CELLS_APART = re.compile(r"\s*\|\s*|\t+")
# Spaces a page's encoding turned into "?": "??????  某区人民政府办公室", "2023年7月7日???????"
_PADDING = re.compile(r"^\?{2,}|\?{2,}$")


def segments(doc: Document) -> list[Seg]:
    """Non-blank lines; a table row written with | or tabs becomes one segment per cell."""
    segs = []
    for line in doc.lines:
        text = _PADDING.sub("", line.text.strip(STRIP)).strip(STRIP)
        if not text:
            continue
        folded = fold(text)
        # a table row: "| a | b |" or "a | b | c", or cells copied with tabs (not "网|图纸" in a banner)
        if re.search(r"^\||\|$|\s\|\s.*\|", folded) or "\t" in text:
            cells = _CELLS_APART.split(text)
            cells = [cell for cell in cells if cell.strip(STRIP) and not re.fullmatch(r"[-:\s|]+", cell)]
            if not cells:
                continue  # a markdown rule "---|---|"
            segs += [Seg(line.no, cell) for cell in cells]
        else:
            indent = len(line.text) - len(line.text.lstrip(STRIP))
            segs.append(Seg(line.no, text, indent=indent, outline=line.outline))
    return segs


def ends_sentence(norm: str) -> bool:
    return not norm or norm[-1] in TERMINAL


def _joined(groups: list[list[Seg]]) -> list[Seg]:
    """Each group of segments made one ``Seg``, once: joined one at a time, every join would copy
    (and fold) the text so far."""
    out = []
    for group in groups:
        if len(group) == 1:
            out.append(group[0])
            continue
        starts, length = [], 0
        for part in group:
            starts += [(length + offset, no) for offset, no in part.starts]
            length += len(part.raw)
        out.append(Seg(group[0].no, "".join(part.raw for part in group), starts=starts))
    return out


def rejoin_wrapped(segs: list[Seg], apart: frozenset[int] = frozenset()) -> list[Seg]:
    """Text copied from a PDF breaks every line at the page width: rejoin those paragraphs.

    Such text has many lines of one (maximal) length; a full line continues on the next one unless
    that one is numbered, indented, a date, a 文号, a page number or a web page's line, or the two
    are cells of a table (``_cell_apart``), or the paragraph has said all (``_said_all``).
    ``apart``: lines where a table read as a table stood: no paragraph runs across one.
    """
    def width_of(seg: Seg) -> int:
        return len(seg.raw) + seg.indent

    lengths = [width_of(s) for s in segs if len(s.raw) >= 6]
    if len(lengths) < 6:
        return segs
    width = max((n for n, count in Counter(lengths).items() if count >= 0.2 * len(lengths)), default=0)
    near = sum(1 for n in lengths if width - 2 <= n <= width)
    # the share of full lines among those a paragraph's lines could be: unit lines, headings and
    # dates are short however the text is written (a 责任单位 cell's unit list: a cell, however long)
    wide = sum(1 for s in segs if len(s.raw) >= 6 and width_of(s) >= width / 2
               and (width_of(s) >= width - 2 or not looks_like_unit_phrase(s.raw)))
    # a paragraph longer than the width says the text is not broken at it; a title, a date line or
    # a web page's banner above the document's text may be
    longer = sum(1 for s in segs if width_of(s) > width + 2 and re.search("[。;]", s.norm))
    full = [s for s in segs if width - 2 <= width_of(s) <= width and len(s.raw) >= 6]
    # Wrapped prose breaks mid-sentence; repeated full-width lines are table cells. A unit list
    # as wide as the page (a 责任单位 cell) says neither.
    units = [s for s in full if looks_like_unit_phrase(s.raw)]
    cut = sum(1 for s in full if not ends_sentence(s.norm)) - sum(1 for s in units if not ends_sentence(s.norm))
    # a short text shows few full lines, most of its items a line or two: enough where three break a
    # sentence at a page's width (or a label before its colon's value), all others but one too, and
    # no line is longer
    opened = sum(1 for s in full if s.norm.endswith(":") and s not in units)
    # a unit bracket its writer forgot to close ends an item, not a page: no evidence of a width
    after = {id(a): b for a, b in zip(segs, segs[1:])}
    in_text = cut - sum(1 for s in full if s not in units and _forgotten_bracket(s, after.get(id(s))))
    few = in_text + opened >= max(3, len(full) - len(units) - 1) and width >= 25 \
        and not any(width_of(s) > width + 2 for s in segs)
    if width < 10 or near < (0.25 if few else 0.4) * wide or near < (3 if few else 6) \
            or longer > 0.1 * len(lengths) \
            or len({s.compact for s in full}) < 0.8 * len(full) or cut < 0.5 * (len(full) - len(units)):
        # no page width to tell: a line that leaves a bracket open ("…。(牵头") still continues on
        # the next, unnumbered, line that closes it ("单位:县财政局)")
        return _rejoined(segs, apart, lambda groups, index: _closes(groups[-1], segs[index])
                         and marker_at_start(segs[index].raw, segs[index].norm) is None)
    indented = sum(1 for s in segs if s.indent) >= 3

    def is_full(seg: Seg) -> bool:
        """Counted in characters or as the page measures it (two half-width digits or letters take
        one character's place); a longer line (a web page's banner) is no wrapped paragraph's."""
        return width - 1 <= width_of(seg) <= width + 1 or abs(seg.indent + display_width(seg.raw) / 2 - width) <= 0.5

    def units_from(index: int) -> bool:
        """Whether the lines from ``index`` on make a whole unit list: up to one that is not full,
        or to a full one above a deadline."""
        text = ""
        for at in range(index, len(segs)):
            text += segs[at].raw
            if not is_full(segs[at]) or len(text) > 150:
                return looks_like_unit_phrase(text)
            if at + 1 < len(segs) and is_known(segs[at + 1].compact) and looks_like_unit_phrase(text):
                return True
        return False

    def continues(groups: list[list[Seg]], index: int) -> bool:
        """Whether line ``index`` goes on the paragraph ``groups[-1]``: only a full line continues."""
        seg = segs[index]
        return is_full(segs[index - 1]) and not (indented and seg.indent) \
            and marker_at_start(seg.raw, seg.norm) is None and not DATE_LINE.match(seg.norm) \
            and not DOC_NUMBER.fullmatch(seg.norm) and not BARE_PAGE.match(seg.norm) \
            and not CHROME.match(seg.norm) \
            and not _cell_apart(groups[-1][-1], seg, lambda: units_from(index)) \
            and not _said_all(groups[-1], seg, groups[-2][-1] if len(groups) > 1 else None)

    return _rejoined(segs, apart, continues)


def _rejoined(segs: list[Seg], apart: frozenset[int],
              continues: Callable[[list[list[Seg]], int], bool]) -> list[Seg]:
    """The paragraphs of ``segs``: a line goes on the one before it where it opens with a mark no
    sentence opens with (",市大数据局配合。": broken by its count of characters, not by the text) or
    where ``continues(paragraphs so far, its index)`` says so; never across a table read as a table."""
    groups: list[list[Seg]] = []
    for index, seg in enumerate(segs):
        if groups and not any(groups[-1][-1].no < no <= seg.no for no in apart) and (
                seg.norm[:1] in ",、;:。" or continues(groups, index)):
            groups[-1].append(seg.piece(0, len(seg.raw)))
        else:
            groups.append([seg])
    return _joined(groups)


def _forgotten_bracket(seg: Seg, following: Seg | None) -> bool:
    """"…。(牵头单位:县政府办": a finished sentence, then a unit bracket the next line does not close."""
    tail = seg.norm[seg.norm.rfind("。") + 1:].translate(BRACKET_FOLD)
    return tail.startswith("(") and ")" not in tail and looks_like_unit_phrase(tail[1:]) \
        and (following is None or not re.match(r"[^()]*\)", following.norm.translate(BRACKET_FOLD)))


def _closes(group: list[Seg], seg: Seg) -> bool:
    """Whether the short ``seg`` closes the brackets ``group`` left open, with no sentence's end
    inside them (two columns of a page read across are no wrap)."""
    if len(seg.raw) >= 60:
        return False
    text = "".join(part.norm for part in group) + seg.norm
    seam = len(text) - len(seg.norm)
    pairs, left_open = bracket_pairs(text)
    across = [(opened, closed) for opened, closed, _ in pairs if opened < seam <= closed]
    if left_open or not across:
        return False
    opened, closed = min(across)  # the outermost
    return "。" not in text[opened:closed]


def _cell_apart(last: Seg, seg: Seg, units_on: Callable[[], bool]) -> bool:
    """Whether the full line ``last`` and ``seg`` are cells of a table read one cell a line: a unit
    list (``units_on``) after a sentence's full stop, or a deadline under a whole unit list."""
    if last.norm[-1:] in "。!?":
        return units_on()
    # "…各乡镇街道," over "完成时限:长期坚持)": one cell broken after its comma
    return last.norm[-1:] not in ",、;:" and is_known(seg.compact) and looks_like_unit_phrase(last.raw)


def _said_all(group: list[Seg], seg: Seg, before: Seg | None) -> bool:
    """Whether the paragraph ``group``, its last line full, ends there whatever ``seg`` holds: a title
    on a line of its own, or an item's closing unit list (after ``before``'s full stop) or bracket."""
    last = group[-1]
    # a title: not numbered, nor indented as a paragraph's first line is
    if len(group) == 1 and not last.indent and marker_at_start(last.raw, last.norm) is None and _whole_title(last.norm) \
            and not _whole_title(last.norm + seg.norm):
        return True
    raw = "".join(part.raw for part in group)
    # a bracket after a full stop or with a label ("。(牵头部门:X)"), not a name's ("各村(社区)")
    ending = fold("".join(part.raw for part in group[-2:])).translate(BRACKET_FOLD)
    if last.norm[-1:] in CLOSING_BRACKETS and _UNIT_BRACKET_END.search(ending) and _closes_unit_bracket(raw):
        return True
    if len(group) > 5 or before is None or not ends_sentence(before.norm):
        return False  # a unit list closing an item is a few lines long at most, after its full stop
    return looks_like_unit_phrase(raw) and not looks_like_unit_phrase(raw + seg.raw)


_UNIT_BRACKET_END = re.compile(r"(?:[。;]\s*\([^(]*|\([^(:]*:[^(]*)$")  # (brackets folded)


def _whole_title(norm: str) -> bool:
    """A title as a line of its own ("关于印发…要点的通知", "…分工方案(2024年版)"): it names a plan
    or a notice and has no punctuation of a sentence."""
    core = norm.strip()
    return 5 <= len(core) <= 60 and not re.search(r"[,,、;;。::!?!?]", core) \
        and core.count("《") == core.count("》") and (PLAN_WORD.search(core) is not None or core.endswith("通知"))


def _cuts_sentence(prev: Seg | None) -> bool:
    """Whether a number after ``prev`` cuts a sentence: ``prev`` stops mid-sentence, not at a full
    stop, a closed bracket, a unit phrase or a heading (headings end without punctuation)."""
    if prev is None or ends_sentence(prev.norm):
        return False
    return not looks_like_unit_phrase(prev.raw) and not _heading_line(prev)


def _mid_sentence(prev: Seg | None) -> bool:
    """Whether the line before a marker stops in the middle of a sentence (a page of text does;
    a heading or a table cell without a full stop is short)."""
    if prev is None or len(prev.norm) < 50 or not _cuts_sentence(prev):
        return False
    marker = marker_at_start(prev.raw, prev.norm)
    if marker and len(prev.norm) - marker.end <= TITLE_CHARS:
        return False  # a heading: headings end without punctuation
    return True


def _heading_line(seg: Seg) -> bool:
    """A numbered heading ("三、保障措施"): whole without a full stop, so it cuts no sentence."""
    marker = marker_at_start(seg.raw, seg.norm)
    return marker is not None and marker.style != "n" and len(seg.norm) - marker.end <= 30 and "。" not in seg.norm


def _page_chain(segs: list[Seg], indexes: list[int], values: dict[int, int]) -> bool:
    """Whether the numbers at ``indexes`` number the pages of a document-sharing copy ("1、…重大行政",
    "2、决策法定程序…"): consecutive, mostly cutting sentences (never after a heading or a closed
    bracket), the pages between them of about one length (a site cuts its pages by size)."""
    ordered = [values[i] for i in indexes]
    if len(indexes) < 2 or any(b != a + 1 for a, b in zip(ordered, ordered[1:])):
        return False
    first = segs[indexes[0] - 1] if indexes[0] else None
    if first is not None and not CHROME.match(first.norm) and not _mid_sentence(first):
        return False
    rest = [segs[i - 1] for i in indexes[1:]]
    mid = sum(1 for prev in rest if _mid_sentence(prev))
    # an item may end with a bracket ("…公开。〔责任单位:X〕"), a page of a sharing site never does
    if mid < max(1, 0.6 * len(rest)) or any(_heading_line(prev) or prev.norm.rstrip()[-1:] in CLOSING_BRACKETS
                                            or len(prev.norm) < 50 for prev in rest):
        return False
    pages = [sum(len(seg.norm) for seg in segs[a:b]) for a, b in zip(indexes, indexes[1:])]
    return min(pages) >= 100 and min(pages) >= 0.6 * max(pages)


def _items_inside(seg: Seg, key: str) -> list[int]:
    """The numbers "N{key}" that open items inside ``seg``: after a sentence's end ("…要求。1. 完善…"),
    or two or more in order without a break ("1.压实责任2.完善目录")."""
    opening = marker_at_start(seg.raw, seg.norm)
    run = [opening.value] if opening and opening.style == "n" and fold(opening.text)[-1] == key else []
    items, taken = [], len(run)  # taken: the part of the run already counted (or the line's start)
    for position, found in sorted(markers_inside(seg.norm, seg.raw), key=lambda item: item[0]):
        if found.style != "n" or fold(found.text)[-1] != key or not _opens_item(seg.norm, position, found):
            continue
        if run and found.value == run[-1] + 1:
            run.append(found.value)
        else:
            run, taken = [found.value], 0
        if len(run) >= 2 or ends_sentence(seg.norm[:position].rstrip()):
            items, taken = items + run[taken:], len(run)
    return items


@dataclass
class PageBreaks:
    """What ``without_page_furniture`` took out: the page numbers, for the one message naming them,
    and for the first line after each break the last line before it (a sentence it cut goes on)."""
    numbers: list[tuple[int, str]] = field(default_factory=list)
    after: dict[int, int] = field(default_factory=dict)
    spaced: bool = False  # blank lines part every two lines of the text (a table's cells one a line)


def _section_number(norm: str, following: str | None) -> bool:
    """Whether "01" on a line of its own numbers the short title on the line after it (a WeChat
    article's section marker), not a page."""
    return re.fullmatch(r"0[1-9]", norm) is not None and following is not None and "。" not in following \
        and len(following) <= 30 and marker_at_start(following) is None


def without_page_furniture(doc: Document, run: Run) -> tuple[Document, PageBreaks]:
    """The document without its page furniture, before anything reads its structure (tables too):
    page numbers on lines of their own ("- 3 -", "第 3 页", a bare "3" unless the text numbers its
    rows so: a 序号 header, "|" between cells one a line) and a running head or foot, a short line
    that comes back beside them page after page ("某市人民政府公报 2024年第5期"). The lines of the
    file's own tables are its cells: left as they are."""
    in_table = {no for grid in doc.tables for no in range(grid.first, grid.last + 1)}
    lines = [line for line in doc.lines if line.text.strip(STRIP)]
    norms = [fold(line.text).strip(STRIP) if line.no not in in_table else "" for line in lines]
    row_numbers = any("序号" in _CELLS_APART.split(norm) for norm in norms)
    pages = set()
    for index, norm in enumerate(norms):
        beside = (norms[index - 1] if index else "") + (norms[index + 1] if index + 1 < len(norms) else "")
        cell = row_numbers or "|" in beside  # a bare number among cells one a line, "|" between them
        if norm and BARE_PAGE.match(norm) and not (cell and re.fullmatch(r"\d{1,3}", norm)):
            if not _section_number(norm, norms[index + 1] if index + 1 < len(norms) else None):
                pages.add(index)
    heads = _running_heads(norms, pages)
    breaks = PageBreaks(numbers=[(lines[i].no, lines[i].text.strip(STRIP)) for i in sorted(pages)])
    gone = pages | heads
    kept = None  # the last line kept: any between it and the next kept one were taken out
    for index in range(len(lines)):
        if index not in gone:
            if kept is not None and index - kept > 1:
                breaks.after[lines[index].no] = lines[kept].no
            kept = index
    apart = sum(1 for a, b in zip(lines, lines[1:]) if b.no - a.no > 1)
    breaks.spaced = apart >= 0.8 * (len(lines) - 1) > 0
    if heads:
        shown = lines[min(heads)].text.strip(STRIP)
        run.warn(lines[min(heads)].no, f"去掉了每页重复的页眉页脚“{shown}”({len(heads)} 处)")
    dropped = {lines[i].no for i in gone}
    return replace(doc, lines=[line for line in doc.lines if line.no not in dropped]), breaks


def _running_heads(norms: list[str], pages: set[int]) -> set[int]:
    """The lines beside page numbers that say the same each time (digits aside): a short line, no
    sentence, unit list or deadline, that stands beside one at least twice and as often as not."""
    seen: dict[str, list[int]] = {}
    for index, norm in enumerate(norms):
        if index not in pages and 4 <= len(norm) <= TITLE_CHARS:
            seen.setdefault(furniture_key(norm), []).append(index)
    heads: set[int] = set()
    for found in seen.values():
        beside = [i for i in found if i - 1 in pages or i + 1 in pages]
        norm = norms[found[0]]
        if len(beside) >= 2 and 2 * len(beside) >= len(found) and not re.search("[。!?;]", norm) \
                and marker_at_start(norm) is None and not is_known(re.sub(r"\s+", "", norm)) \
                and not looks_like_unit_phrase(norm):
            heads.update(beside)
    return heads


def remove_page_markers(segs: list[Seg], run: Run, breaks: PageBreaks) -> list[Seg]:
    """Page numbers cut into the text ("…重大行政\\n2、决策法定程序…") removed, sentences rejoined, also
    those a page break taken out before (``without_page_furniture``) cut."""
    removed: list[tuple[int, str]] = list(breaks.numbers)
    # Arabic "N、"/"N." at line starts: a chain of them that mostly interrupts sentences is pagination.
    candidates: dict[str, list[int]] = {}
    values: dict[int, int] = {}  # index -> its number
    for index, seg in enumerate(segs):
        marker = marker_at_start(seg.raw, seg.norm)
        if marker and marker.style == "n":
            candidates.setdefault(fold(marker.text)[-1], []).append(index)
            values[index] = marker.value
    page_lines: set[int] = set()
    for key, indexes in candidates.items():
        # the last item numbered inside the lines up to each number: "…如下要求。1. 完善…" then
        # "2. 推进…" continues a list, whatever the line before "2." ends with
        inside, seen = {}, 0
        for i in indexes:
            found = [value for seg in segs[seen:i] for value in _items_inside(seg, key)]
            inside[i], seen = found[-1] if found else None, i
        if inside[indexes[0]] != values[indexes[0]] - 1 and _page_chain(segs, indexes, values):
            page_lines.update(indexes)
            continue
        # One by one: a number that cuts a sentence and does not continue the item numbering.
        last = 0
        for i in indexes:
            last = last if inside[i] is None else inside[i]
            if _cuts_sentence(segs[i - 1] if i else None) and values[i] not in (1, last + 1):
                page_lines.add(i)
            else:
                last = values[i]
    groups: list[list[Seg]] = []
    join_heading = rejoined = False
    for index, seg in enumerate(segs):
        cut_off = bool(groups) and not ends_sentence(groups[-1][-1].norm)
        if index in page_lines:
            marker = marker_at_start(seg.raw)
            removed.append((seg.no, marker.text))
            if cut_off:
                groups[-1].append(seg.piece(marker.end, len(seg.raw)))
                rejoined = True
            else:
                groups.append([seg.piece(marker.end, len(seg.raw))])
            continue
        if _section_number(seg.norm, segs[index + 1].norm if index + 1 < len(segs) else None):
            # written "01 title", so that it reads as a heading, not a page number
            groups.append([seg])
            join_heading = True
            continue
        if join_heading:
            join_heading, number = False, groups[-1][0]
            groups[-1] = [Seg(number.no, number.raw + " " + seg.raw,
                              starts=[(0, number.no), (len(number.raw) + 1, seg.no)])]
            continue
        if cut_off and _cut_by_break(groups[-1][-1], seg, breaks):
            groups[-1].append(seg.piece(0, len(seg.raw)))
            rejoined = True
        else:
            groups.append([seg])
    if removed:
        removed.sort()
        shown = "、".join(f"“{text}”" for _, text in removed[:5]) + ("等" if len(removed) > 5 else "")
        run.warn(removed[0][0], f"删除页码标记 {len(removed)} 处({shown})" + (",被截断的句子已接合" if rejoined else ""))
    return _joined(groups)


def _cut_by_break(last: Seg, seg: Seg, breaks: PageBreaks) -> bool:
    """Whether ``seg`` goes on the sentence ``last`` leaves open, a page break between them: ``last``
    ends in a line of a paragraph's length, or is a numbered item's first words where blank lines do
    not set every line apart (a short line else is a table's cell: "责任单位", "1.推进财政信息公开"),
    and is no title; neither is a unit list or a deadline, nor ``seg`` numbered."""
    offset, line = max(last.starts)
    return breaks.after.get(seg.no) == line and not _whole_title(last.norm) \
        and (len(last.raw) - offset >= 20
             or not breaks.spaced and marker_at_start(last.raw, last.norm) is not None) \
        and marker_at_start(seg.raw, seg.norm) is None and not is_known(seg.compact) \
        and not looks_like_unit_phrase(seg.raw) and not looks_like_unit_phrase(last.raw)


class _Numbering:
    """Which numbering styles are live, to tell a real inline heading from a number in a sentence."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.last: dict[str, int] = {}
        self.before: dict[str, int] = {}  # a style's last number before a heading above it

    def fits(self, marker: Marker) -> bool:
        if marker.style in self.last:
            return marker.value == self.last[marker.style] + 1
        # "(二)…。5. …": items may number on across the parts above them (1–4 under (一), 5 under (二))
        return marker.value in (1, self.before.get(marker.style, 0) + 1)

    def deeper(self, marker: Marker, than: Marker) -> bool:
        """Whether ``marker`` numbers items below ``than``'s (a style not met yet counts as deeper)."""
        if marker.style == than.style or than.style not in self.order:
            return False
        return marker.style not in self.order or self.order.index(marker.style) > self.order.index(than.style)

    def take(self, marker: Marker) -> None:
        if marker.style not in self.order:
            self.order.append(marker.style)
        self.last[marker.style] = marker.value
        for deeper in self.order[self.order.index(marker.style) + 1:]:
            if deeper in self.last:
                self.before[deeper] = self.last.pop(deeper)


def bullet_details(segs: list[Seg]) -> None:
    """"●"/"■" lines are items under a heading, but under a numbered item that is already a whole
    task (a sentence, or its own unit bracket) they are that task's details, not numbered."""
    owner: Seg | None = None
    for seg in segs:
        marker = seg.marker
        if marker is None:
            continue
        if marker.style != "bullet":
            owner = seg
            continue
        if owner is not None and (
                "。" in owner.norm or len(owner.norm) - owner.marker.end > 30
                or trailing_units(owner.raw) is not None):
            seg.marker, seg.detail = None, True


# "4各镇政府…" after "3.": an item's number that lost its dot (not a count or a date: "4个", "12月")
_UNDOTTED = re.compile(rf"^(?P<v>\d{{1,2}})(?=[{CJK}])(?![年月日号个项次条家户人名元万亿时天周岁级批期类])")


def undotted_numbers(segs: list[Seg]) -> None:
    """A paragraph opening with the number that goes on the "1." "2." items above it, its dot lost in
    copying, is the next item: it takes the number as its marker."""
    last: Marker | None = None
    for seg in segs:
        if seg.marker is not None:
            last = seg.marker
            continue
        match = _UNDOTTED.match(seg.norm)
        if match and last is not None and last.style == "n" and int(match.group("v")) == last.value + 1 \
                and seg.kind == "para":
            seg.marker = last = Marker("n", last.value + 1, match.group("v"), match.end())


def _closes_unit_bracket(raw: str) -> bool:
    """Whether ``raw`` ends with a unit bracket ("…公开。(县编办牵头落实)"): it ends an item."""
    norm = fold(raw).rstrip(STRIP)
    opened = last_bracket(norm)
    return opened is not None and unit_phrase(raw[opened + 1:len(norm) - 1], bracketed=True) is not None


def _short_title(norm: str) -> bool:
    """A heading's title with nothing after it yet ("工作任务" in "二、工作任务(一)…"): a few
    Chinese characters, no punctuation, no digits."""
    core = norm.strip()
    return 2 <= len(core) <= 20 and re.fullmatch(rf"[{CJK}]+", core) is not None


def plan_title(norm: str) -> bool:
    """Whether a line's text before its first item is the plan's title ("某县2024年政务公开工作要点")."""
    core = norm.strip()
    return 5 <= len(core) <= 60 and "。" not in core and PLAN_WORD.search(core) is not None \
        and not NOTICE_WORD.search(core)


def _after_title(before: str, start: int, head: Marker | None, found: Marker, numbering: _Numbering) -> bool:
    """Whether the marker ``found`` follows a title that lost its line break: a heading's short title
    ("二、工作任务(一)…", its text from ``start``), the plan's title ("某县2024年政务公开工作要点一、…"),
    or a part's title after a sentence ("…。主要任务深化重点领域信息公开1.…")."""
    if head is not None and _short_title(before[start:]) and numbering.deeper(found, head):
        return True
    if head is None and start == 0 and plan_title(before):
        return True
    stop = max(before.rfind(mark) for mark in "。!?;")
    return stop >= 0 and _short_title(before[stop + 1:]) and PART_TITLE.match(before[stop + 1:].strip()) is not None


# What may open an item's text after an inline "2.": a character of a sentence, not a count's unit
# ("共2.个" is no item; "2.5倍" and "2.0版" never match as markers at all)
_ITEM_OPENING = re.compile(rf"[{CJK}“《]")
_COUNT_UNIT = "个项条款章节年月日号次倍人家户件名万亿元份批期"


def _enclosed(text: str) -> bool:
    """Whether the end of ``text`` sits inside brackets or quotes opened before it."""
    return bool(bracket_pairs(text, quotes=True)[1]) or text.count('"') % 2 == 1


def _runs_on(norm: str, position: int, found: Marker) -> bool:
    """Whether the "2." at ``position`` may start an item with no sentence end before it
    ("…抓好落实2.健全…"): right after the text, the item's text after it, outside brackets."""
    return found.style == "n" and re.match(rf"[{CJK}”》)]", norm[position - 1]) is not None \
        and norm[position - 1] != "第" and _opens_item(norm, position, found)


def _opens_item(norm: str, position: int, found: Marker) -> bool:
    """Whether the text after the inline marker ``found`` reads as an item's: a character of a
    sentence, not a count's unit ("2.个"), and the marker outside brackets and quotes."""
    after = norm[found.end:].lstrip()
    return bool(after) and _ITEM_OPENING.match(after) is not None and after[0] not in _COUNT_UNIT \
        and not _enclosed(norm[:position])


def split_items(line: int, text: str) -> list[Seg]:
    """One line's text cut into its numbered items (``split_inline``): a table cell's "3.… 4.…"."""
    return split_inline([Seg(line, text)])


def split_inline(segs: list[Seg]) -> list[Seg]:
    """"二、推动政务阳光透亮 (一)依据…。 (二)根据…" -> one segment per heading or item.

    A marker inside a line starts an item where a sentence, a unit bracket or a heading's short
    title ends before it, and only as the next number of its style, outside a bracket or quote the
    line closes ("(路径:1.网站;2.新媒体)"). "2." also starts one after "1." when "3." follows
    ("1.强化领导2.健全机制3.加强…"); the plan's first "一、" may follow the introduction's "如下:".
    """
    numbering = _Numbering()
    out: list[Seg] = []
    for number, seg in enumerate(segs):
        marker = marker_at_start(seg.raw, seg.norm)
        if marker:
            numbering.take(marker)
        following = marker_at_start(segs[number + 1].raw, segs[number + 1].norm) if number + 1 < len(segs) else None
        start = marker.end if marker else 0
        head = marker  # the marker of the piece being read
        cuts = []
        bodies = [start] if marker else []  # where each numbered piece's own text starts
        first = {marker.style: marker} if marker else {}  # the first item of each style on the line
        inside = sorted(markers_inside(seg.norm, seg.raw), key=lambda item: item[0])
        for index, (position, found) in enumerate(inside):
            if position < start or not seg.norm[position + len(found.text):].strip():
                continue
            before = seg.norm[:position]
            if not before.strip() or _enclosed(before) and not _enclosed(seg.norm):
                continue  # "(公开路径:1.网站;2.新媒体)": a list inside a bracket closed on the line is text
            if not (before[-1].isspace() or before[-1] in "。!?;" or before[-1] == ")"
                    and _closes_unit_bracket(seg.raw[:position]) or _after_title(before, start, head, found, numbering)
                    # "…制定本计划如下:一、…": the plan's first heading after the introduction
                    or before[-1] == ":" and found.style in ("cn", "chapter") and found.value == 1
                    and found.style not in numbering.order
                    # "1.强化组织领导2.健全…3.加强…": a run of items, each the next number, without a
                    # sentence end between them — the run must go on past a single pair
                    or head is not None and head.style == found.style and _runs_on(seg.norm, position, found)
                    and (head is not first.get(found.style) or any(
                        later.style == found.style and later.value == found.value + 1
                        and _opens_item(seg.norm, at, later) for at, later in inside[index + 1:])
                        or following is not None and following.style == found.style
                        and following.value == found.value + 1)):
                continue
            if not numbering.fits(found):
                continue
            first.setdefault(found.style, found)
            numbering.take(found)
            cuts.append(position)
            start = found.end
            head = found
            bodies.append(start)
        for body in bodies:
            # "二、回应关切一是…。二是…": the heading's title ends where its "一是…" list begins
            first = seg.norm.find("一是", body)
            if first > body and _short_title(seg.norm[body:first]) and seg.norm[first + 2:].strip():
                cuts.append(first)
        cuts.sort()
        if not cuts:
            out.append(seg)
            continue
        bounds = [0] + cuts + [len(seg.raw)]
        out += [seg.piece(a, b) for a, b in zip(bounds, bounds[1:]) if seg.raw[a:b].strip(STRIP)]
    for seg in out:
        seg.marker = marker_at_start(seg.raw, seg.norm)
    return out

