"""The plan's body, its segments classified, turned into sections and tasks.

Numbering styles take levels in the order they first appear. An item with deeper items below it
(or whose siblings have them), or a title over paragraphs that are several tasks, is a heading;
the rest are tasks, except the plan's introduction (总体要求, 工作目标 …). Unnumbered paragraphs
continue the open task or form one; unit phrases close tasks: at the end of an item "(责任单位:…)",
or on a line of their own for the tasks above ("以上…由X负责", "本部分工作由X牵头" say which). A
division-of-labour table written one cell a line is read here too; a table among the prose is
handed to the table reader where it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from gktrack.domain import numerals
from gktrack.domain.deadlines import find_deadline_phrases, is_known
from gktrack.domain.model import UnitRef
from gktrack.domain.text import OPENING_BRACKETS, bracket_pairs, unbracketed
from gktrack.domain.unitphrase import (
    looks_like_unit_phrase, parse_unit_phrase, parse_unit_phrase_or_none,
)
from gktrack.errors import InputError
from gktrack.features.importer.front import header_span
from gktrack.features.importer.lines import (
    CHROME, INTRO_KIND, INTRO_TITLE, PART_TITLE, Run, Seg, ends_sentence, split_items,
)
from gktrack.features.importer.result import ImportedSection, ImportedTask
from gktrack.features.importer.table import (
    DEADLINE, DEADLINE_LABEL_WORDS, GROUP, NUMBER, RESPONSIBLE, TEXT, UNIT_ROLES, TableTasks,
    build_tasks, cell_deadlines, header_role, next_section_key, units_text as column_units_text,
)
from gktrack.features.importer.text import (
    STRIP, TITLE_CHARS, excerpt, fold, marker_only, outranks, tidy, tidy_lines,
)
from gktrack.features.importer.item_units import (
    PERSON_WORDS, ROLE_END, UNIT_LABEL, Tail, labelled_parts, leading_units, shown_units,
    split_at_unit_brackets, title_units, trailing_units,
)
from gktrack.features.limits import MAX_TASK_TEXT


# "以上工作由X牵头,Y配合。", "以上第5-7项由X负责。": a unit line for the items above it — all of
# them since the previous unit line, or those numbered first..last.
_ABOVE = re.compile(r"^以上\s*(?:第?\s*(?P<first>\d{1,3})\s*[-—–~至到]\s*第?\s*(?P<last>\d{1,3})\s*(?:项|条)|各项|几项|\d{1,2}项)?"
                    r"\s*(?:工作|任务|事项|内容|措施)?\s*(?:均|统一|都|分别)?\s*由\s*")
# "本部分工作由X牵头,Y配合。" under a heading: the units of every item of that section (the items
# come after it, so it cannot wait for them like "以上…"); an item naming its own units keeps them.
_SECTION_WIDE = re.compile(r"^(?:本|该|此)(?:部分|章|节|方面|板块|领域|项)\s*(?:工作|任务|事项|内容|措施)?\s*"
                           r"(?:均|统一|都|总体)?\s*由\s*")
# "牵头负责领导:张三": a person, kept as a note on the task above, never a unit
_LEADER_LINE = re.compile(rf"^[{re.escape(OPENING_BRACKETS)}]?\s*{PERSON_WORDS}\s*:")
_DEADLINE_LABEL = re.compile(rf"^(?:{DEADLINE_LABEL_WORDS})\s*:\s*(?P<rest>.+)$")


class TooLong(Exception):
    """A task's text grew past ``MAX_TASK_TEXT``: the one that starts at ``line``."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _extend(task: ImportedTask, more: str, joint: str = "\n") -> None:
    """Add ``more`` to a task's text, refused past any task's length: every paragraph added makes the
    parser read the task's end again, and such a task means the numbering was not understood."""
    if len(task.text) + 1 + len(more) > MAX_TASK_TEXT:
        raise TooLong(task.line)
    task.text += joint + more


# ---- tables -----------------------------------------------------------------------------------


@dataclass
class Table:
    """A division-of-labour table written one cell a line: its header's column names."""
    columns: list[str]
    header_at: int      # index of the first header cell in the body
    body_at: int        # first row cell

    def __post_init__(self) -> None:
        roles = [header_role(c) for c in self.columns]
        units = [i for i, role in enumerate(roles) if role in UNIT_ROLES]
        texts = [i for i, role in enumerate(roles) if role in (TEXT, GROUP)]
        self.has_units, self.has_time = bool(units), DEADLINE in roles
        # the role its unit cells give: that of its one unit column ("牵头科室"), else responsible
        self.unit_role = roles[units[0]] if len(units) == 1 else RESPONSIBLE
        # several unit columns side by side ("牵头单位" "配合单位"): their roles, in order; none where
        # other columns stand between them (their cells are no one run)
        side_by_side = len(units) >= 2 and units[-1] - units[0] == len(units) - 1
        self.unit_columns = [roles[i] for i in units] if side_by_side else []
        self.units_first = bool(units) and bool(texts) and units[0] < texts[-1]  # before the task text
        self.numbered_rows = bool(roles) and roles[0] == NUMBER


def find_table(segs: list[Seg]) -> Table | None:
    for index in range(len(segs)):
        if (span := header_span(segs, index)) is not None:
            return Table([s.compact.rstrip(":") for s in segs[span[0]:span[1]]], *span)
    return None


# ---- structure --------------------------------------------------------------------------------


def _item_number(number: str | None) -> int | None:
    """The value of an item's number as printed: "5." -> 5, "(六)" -> 6, "第七条" -> 7."""
    digits = re.sub(r"^第|[条项]$", "", re.sub(r"[\s().、.:,]", "", fold(number or "")))
    return numerals.number(digits) if digits else None


# a heading's short title, and the least a sentence after it runs to its full stop
_SHORT_TITLE, _SENTENCE = 12, 15


def split_title(text: str) -> tuple[str, str]:
    """A heading's own title and any body written on the same line after it."""
    norm = fold(text)
    stop = norm.find("。")
    named = PART_TITLE.match(norm)
    # a part's title, then its text: after a space where the line break was, or as a sentence
    if named and norm[named.end():].strip() and (norm[named.end()].isspace()
                                                 or (stop if stop >= 0 else len(norm)) - named.end() >= 10):
        return text[:named.end()].strip(STRIP), text[named.end():].strip(STRIP)
    gap = re.search(r"\s+", norm)
    titled = gap and gap.start() <= TITLE_CHARS and not re.search(r"[,;:、。]", norm[:gap.start()])
    # "活动内容 围绕…,组织…活动。各乡镇…。": a short title, then sentences; a space in a sentence-long
    # title ("进一步深化 重点领域信息公开。") leaves less than a sentence (long, with a comma) before its 。
    if titled and gap.start() <= _SHORT_TITLE and stop - gap.end() >= _SENTENCE and "," in norm[gap.end():stop]:
        return text[:gap.start()].strip(STRIP), text[gap.end():].strip(STRIP)
    if 0 < stop < len(norm) - 1 and norm[stop + 1:].strip():
        return text[:stop].strip(STRIP), text[stop + 1:].strip(STRIP)
    if titled and len(norm) - gap.end() >= 10:
        return text[:gap.start()].strip(STRIP), text[gap.end():].strip(STRIP)
    return text.strip(STRIP).rstrip("。.;:;:"), ""


def _title_like(text: str) -> bool:
    norm = fold(text).strip()
    core = norm.rstrip("。.")
    # a line stopping at "," or "、" breaks off a sentence: its text goes on below, it heads nothing
    return 0 < len(core) <= TITLE_CHARS and "。" not in core and not core.endswith((",", "、")) and not trailing_units(text)


def _whole_item(text: str) -> bool:
    """Whether an item's own text is a task by itself: a sentence, ending as one or longer than a
    title, with no body after it ("五、完善民主恳谈制度。重大政务…" heads the task its body makes)."""
    title, body = split_title(text)
    return not body and (len(fold(title).strip()) > TITLE_CHARS or fold(text).rstrip().endswith(("。", ";", "!", "?")))


def _one_task(following: list[Seg]) -> bool:
    """Whether the lines under an item are its body and then its own unit lines ("公开…。" over
    "责任部门:X"): the item is that one task, not a heading over one."""
    closed = body = False
    for seg in following:
        if seg.kind == "para":
            if closed or trailing_units(seg.raw) is not None or len(split_at_unit_brackets(seg.raw)) > 1:
                return False
            body = True
        elif seg.kind == "units":
            if not body or seg.above is not None or seg.all_above or seg.whole_section:
                return False
            closed = True
        elif seg.kind not in ("deadline", "leader"):
            return False
    return closed


class Builder:
    def __init__(self, segs: list[Seg], run: Run, table: Table | None,
                 inherit: Builder | None = None) -> None:
        self.inherit = inherit
        self.segs = segs
        self.run = run
        self.table = table
        self.sections: list[ImportedSection] = []
        self.tasks: list[ImportedTask] = []
        self.cells: dict[int, list[str]] = {}  # id(task) -> deadline cells
        self.heading: set[int] = set()
        self.section_units: dict[str, tuple[str, list[UnitRef]]] = {}
        self.children: dict[int, bool] = {}  # structural segment -> has deeper numbered items
        self.intro: set[int] = set()  # top-level parts that are the plan's introduction by where they stand
        self.any_units = False
        self.final_stack: list = []
        self.final_counts: dict[str, int] = {}
        self.grid_tasks: set[int] = set()  # ids of the tasks read from a table among the prose: complete
        self.cell_roles: dict[int, str] = {}  # unit cell (segment index) -> the role of its column

    # -- classification --

    def classify(self) -> None:
        table = self.table
        previous = None
        # where the page's own lines begin: a site's footer ("主办单位:X人民政府办公室") stands
        # there, a task's unit label written the same way ("承办单位:县财政局") before more of the plan
        footer = len(self.segs)
        while footer and (self.segs[footer - 1].kind != "table" and CHROME.match(self.segs[footer - 1].norm)):
            footer -= 1
        for index, seg in enumerate(self.segs):
            if seg.kind == "table":
                continue  # a table among the prose, read as a table where it stands
            if CHROME.match(seg.norm) and not (index < footer and UNIT_LABEL.match(seg.norm)):
                seg.kind = "chrome"
            elif table and header_span(self.segs, index) is not None:
                seg.kind = "chrome"  # the header repeated on a new page
            elif seg.marker is not None:
                seg.kind = "num"
            elif seg.outline is not None and len(seg.norm) <= TITLE_CHARS and not ends_sentence(seg.norm) \
                    and not UNIT_LABEL.match(seg.norm):
                seg.kind = "uhead"  # a heading by its style (Word's 标题 1), written without a number
            elif _LEADER_LINE.match(seg.norm):
                seg.kind = "leader"
            elif _DEADLINE_LABEL.match(seg.norm):
                seg.kind = "deadline"
            elif self._above_units(seg) or UNIT_LABEL.match(seg.norm) or looks_like_unit_phrase(seg.raw):
                seg.kind = "units"  # "以上…由X负责" first: the whole line would look like one long name
            elif table and table.numbered_rows and re.fullmatch(r"\d{1,3}[、.]?", seg.norm):
                seg.kind = "rowno"
            elif table and previous in ("para", "num") and table.has_units and not table.units_first \
                    and self._relaxed_units(seg):
                seg.kind = "units"
            else:
                seg.kind = "para"
            if seg.kind != "chrome":
                previous = seg.kind
        if table and table.has_time:
            self._deadline_cells()
        if table:
            self._unnumbered_headings()
            self.cell_roles = self._unit_cell_roles()

    @staticmethod
    def _above_units(seg: Seg) -> bool:
        """"以上…由X负责", "本部分工作由X牵头": the segment becomes the unit phrase, and remembers
        the items it is for (a range of numbers, or its whole section)."""
        match = _ABOVE.match(seg.norm)
        if match is None:
            if (match := _SECTION_WIDE.match(seg.norm)) is None:
                return False
            seg.whole_section = True
        rest = seg.raw[match.end():].strip(STRIP).rstrip("。.;；")
        if not looks_like_unit_phrase(rest):
            seg.whole_section = False
            return False
        seg.raw, seg.norm = rest, fold(rest)
        if not seg.whole_section and match.group("first"):
            first, last = int(match.group("first")), int(match.group("last"))
            seg.above = (first, last) if first <= last else None
        seg.all_above = not seg.whole_section and seg.above is None
        return True

    def _numbered(self, first: int, last: int) -> list[ImportedTask]:
        """The latest tasks numbered first..last ("5." "(六)" "7、"), in document order: the items a
        "以上第5-7项" line names, however the document numbers them."""
        found: dict[int, ImportedTask] = {}
        for task in reversed(self.tasks):
            number = _item_number(task.number)
            if number is not None and first <= number <= last and number not in found:
                found[number] = task
            if len(found) == last - first + 1:
                break
        return [found[n] for n in sorted(found)]

    @staticmethod
    def _relaxed_units(seg: Seg) -> bool:
        """A 责任单位 cell that names something unusual ("民生实事项目牵头单位和责任单位负责")."""
        if "。" in seg.norm or len(seg.norm) > 80:
            return False
        units = parse_unit_phrase_or_none(seg.raw)
        return units is not None and all(len(u.name) <= 30 for u in units) and bool(ROLE_END.search(seg.norm))

    def _deadline_cells(self) -> None:
        """Short cells after a row's units (or its text) are its 时限要求 cells."""
        after = ("units", "deadline") if self.table.has_units and not self.table.units_first \
            else ("para", "num", "units", "deadline")
        previous = None
        for index, seg in enumerate(self.segs):
            if seg.kind == "chrome":
                continue
            if seg.kind == "para" and previous in after + ("para", "num") and len(seg.norm) <= 20 \
                    and "。" not in seg.norm:
                nxt = self._next(index)
                if is_known(seg.compact) or (nxt is not None and nxt.kind == "para"
                                                   and is_known(seg.compact + nxt.compact)):
                    seg.kind = "deadline"  # a row whose unit cell is merged with the rows below
                # the text's last cell is short because the text stops there ("围绕市场经济运行"):
                # only a known deadline tells it is one
                elif previous in after and not self._starts_row(index) and self._next(index) is not None and (
                        previous == "deadline" or len(seg.norm) <= 8):
                    seg.kind = "deadline"
            previous = seg.kind

    def _unit_cell_roles(self) -> dict[int, str]:
        """The role of each unit cell under several unit columns: a run of unit cells as long as the
        columns is one cell each; a shorter run left a cell out and cannot say which."""
        columns = self.table.unit_columns
        found: dict[int, str] = {}
        kept = [(index, seg) for index, seg in enumerate(self.segs) if seg.kind != "chrome"]
        for units, run in groupby(kept, key=lambda item: item[1].kind == "units"):
            indexes = [index for index, _ in run]
            if units and len(indexes) == len(columns):
                found.update(zip(indexes, columns))
        return found

    def _next(self, index: int) -> Seg | None:
        return next((seg for seg in self.segs[index + 1:] if seg.kind != "chrome"), None)

    def _starts_row(self, index: int) -> bool:
        """An unnumbered heading of the table: followed by a numbered work item."""
        nxt = self._next(index)
        return nxt is not None and nxt.kind == "num" and "。" not in self.segs[index].norm.rstrip("。")

    def _unnumbered_headings(self) -> None:
        for index, seg in enumerate(self.segs):
            if seg.kind == "para" and len(seg.norm) <= TITLE_CHARS and not ends_sentence(seg.norm) \
                    and self._starts_row(index) and _title_like(self._next(index).body):
                seg.kind = "uhead"

    # -- levels and headings --

    def structure(self) -> None:
        order: list[str] = []
        structural = [i for i, s in enumerate(self.segs) if s.kind in ("num", "uhead")]
        def style_of(seg: Seg) -> str:
            return seg.marker.style if seg.kind == "num" else "none" if seg.outline is None else f"outline{seg.outline}"

        first: dict[str, int] = {}  # each style's first number: above 1 where an excerpt cut the list's start
        for i in structural:
            seg = self.segs[i]
            style = style_of(seg)
            if style in order:
                continue
            first[style] = seg.marker.value if seg.kind == "num" else 1
            # a heading level met late (<h3> after items "1." under <h2>) goes right below the heading
            # level above it, not below the items
            above = [k for k, known in enumerate(order) if known.startswith("outline") and seg.outline is not None
                     and seg.kind != "num" and int(known[7:]) < seg.outline]
            # "三、" after items "(二)" "(三)" (an excerpt that starts inside a list) heads their level,
            # never an item below them; a text that starts both lists at 1 ranks them as it writes them
            below = [k for k, known in enumerate(order) if outranks(style, known) and max(first[style], first[known]) > 1]
            order.insert(above[-1] + 1 if above else below[0] if below else len(order), style)
        for i in structural:
            self.segs[i].level = order.index(style_of(self.segs[i]))
        parents: dict[int, int] = {}
        stack: list[int] = []
        children: dict[int, bool] = {}
        for position, i in enumerate(structural):
            level = self.segs[i].level
            while stack and self.segs[stack[-1]].level >= level:
                stack.pop()
            parents[i] = stack[-1] if stack else -1
            stack.append(i)
            nxt = structural[position + 1] if position + 1 < len(structural) else None
            children[i] = nxt is not None and self.segs[nxt].level > level
        top = min((self.segs[i].level for i in structural), default=0)
        orphans = [i for i in structural if parents[i] == -1 and self.segs[i].level > top and self.segs[i].kind == "num"]
        if orphans:
            self.run.warn(self.segs[orphans[0]].no, f"“{self.segs[orphans[0]].marker.text}”前面没有它的上一级标题"
                                                    "(节选从列表中间开始?),按上一级标题不在文中处理")
        siblings: dict[tuple[int, int], list[int]] = {}
        for i in structural:
            siblings.setdefault((parents[i], self.segs[i].level), []).append(i)
        ends = {i: (structural[p + 1] if p + 1 < len(structural) else len(self.segs)) for p, i in enumerate(structural)}
        for group in siblings.values():
            values = [self.segs[i].marker.value for i in group if self.segs[i].marker]
            for before, after, i in zip(values, values[1:], group[1:]):
                if after != before + 1 and self.segs[i].marker.style != "bullet":  # may run on, not jump
                    self.run.warn(self.segs[i].no, f"编号不连续:“{self.segs[i].marker.text}”前面是第 {before} 项,请核对是否漏项或重号")
            family_heads = any(children[i] for i in group)
            below = {i: [s for s in self.segs[i + 1:ends[i]] if s.kind != "chrome"] for i in group}
            own = {i: trailing_units(self.segs[i].raw) is not None for i in group}

            def titled(i: int) -> bool:  # a title over paragraphs that name units
                following = below[i]
                return any(s.kind in ("para", "table") for s in following) and not own[i] \
                    and _title_like(self.segs[i].body) and (self.table is not None or any(
                        s.kind == "units" or (s.kind == "para" and trailing_units(s.raw)) for s in following))

            # the items that are titles over paragraphs, each read once: are those several tasks (not
            # one body closed by its own unit line)?
            titles = {i: self.table is not None or not _one_task(below[i]) for i in group if titled(i)}
            # siblings read alike: where one's paragraphs are several tasks, each is a heading over its own
            several = any(titles.values())
            for i in group:
                seg = self.segs[i]
                if seg.kind == "uhead" or children[i]:
                    self.heading.add(i)
                    continue
                own_units = own[i]
                following = below[i]
                has_paras = any(s.kind in ("para", "table") for s in following)
                if family_heads and not own_units and not following and _whole_item(seg.body):
                    continue  # a sentence on its own among headings: a task, not an empty section
                if family_heads and not own_units and (has_paras or not following):
                    self.heading.add(i)
                elif not own_units and any(s.kind == "table" for s in following):
                    self.heading.add(i)  # a table under it: it heads the table's rows
                elif i in titles and several:
                    self.heading.add(i)
        self.children = children
        self._introduction(structural, ends)

    def _introduction(self, structural: list[int], ends: dict[int, int]) -> None:
        """The top-level parts titled by a general word ("工作要求") that open the plan before the first
        part holding its tasks, holding none themselves: the plan's introduction."""
        if self.table is not None or not structural:
            return
        top = min(self.segs[i].level for i in structural)
        leading: list[int] = []
        for i in structural:
            seg = self.segs[i]
            if seg.level != top:
                continue
            title = fold(tidy(split_title(seg.body)[0])).strip()
            if INTRO_TITLE.match(title):
                continue  # the introduction wherever it stands
            if not INTRO_KIND.match(title) or self.children.get(i) or self._holds_task(i, ends[i]):
                self.intro.update(leading)  # the first part of the plan proper
                return
            leading.append(i)

    def _holds_task(self, index: int, end: int) -> bool:
        """Whether a part says who does something or by when: a unit phrase or a deadline."""
        for seg in self.segs[index:end]:
            if seg.kind in ("units", "deadline", "leader", "table", "rowno"):
                return True
            if seg.kind in ("num", "para", "uhead"):
                text = seg.body
                if trailing_units(text) or len(split_at_unit_brackets(text)) > 1 or leading_units(text) \
                        or title_units(text) or find_deadline_phrases(text):
                    return True
        return False

    # -- the walk --

    def walk(self) -> None:
        run = self.run
        stack: list[tuple[int, str, str | None, int]] = []  # (level, key, preamble title, segment)
        counts: dict[str, int] = {}
        if self.inherit is not None:
            # rows after the prose: under its last heading until the table starts headings of its own
            stack = [(-1, key, None, -1) for _, key, _, _ in self.inherit.final_stack]
            counts = dict(self.inherit.final_counts)
        open_task: ImportedTask | None = None
        pending: list[ImportedTask] = []
        row_tasks: list[ImportedTask] = []
        targets: list[ImportedTask] = []
        previous_kind = None
        units_ahead: tuple[str, list[UnitRef]] | None = None
        row_number: str | None = None
        seen_child: set[int] = set()
        body_has_structure = any(s.kind in ("num", "uhead") for s in self.segs)

        def section_key() -> str | None:
            return stack[-1][1] if stack else None

        def preamble() -> str | None:
            return stack[-1][2] if stack else None

        def take_tail(task: ImportedTask, tail: Tail) -> None:
            task.text, task.units_text, task.units = tail.text, tail.units_text, tail.units
            self.any_units = True
            if tail.deadlines:
                self.cells.setdefault(id(task), []).extend(tail.deadlines)

        def new_task(number: str | None, text: str, seg: Seg) -> None:
            nonlocal open_task
            task = ImportedTask(number=number, section=section_key(), text=text, line=seg.no)
            self.tasks.append(task)
            if tail := trailing_units(text):
                take_tail(task, tail)
                open_task = None
                pending.clear()
            elif units_ahead is not None:
                task.units_text, task.units = units_ahead
                open_task = None
            elif self.table is None and (lead := leading_units(text)) is not None:
                task.units_text, task.units, task.text = lead
                self.any_units = True
                open_task = task  # its text may go on; a later unit line is not its own
            elif self.table is None and (titled := title_units(text)) is not None:
                take_tail(task, titled)
                open_task = task  # as above
            else:
                open_task = task
                pending.append(task)
            if self.table is not None:
                open_task = None  # one cell, one task
                if not task.units or self.table.units_first or not self.table.has_units:
                    row_tasks[:] = [task]

        def paragraph(seg: Seg, text: str) -> None:
            # "一是…。(X牵头)二是…。(Y牵头)": each unit bracket ends a task, as in a numbered item
            for piece in split_at_unit_brackets(text) if self.table is None else [text]:
                one_paragraph(seg, piece)

        def one_paragraph(seg: Seg, text: str) -> None:
            nonlocal open_task, row_number
            if preamble():
                run.warn(seg.no, f"“{preamble()}”部分不是任务,未导入:{excerpt(text)}")
                return
            if marker_only(text):
                run.warn(seg.no, f"只有编号“{tidy(text)}”而没有内容(网页节选在此截断?),未导入")
                return
            if self.table is None and seg.detail and open_task is None and self.tasks:
                # a bullet detail of the task just closed by its unit bracket: it stays with that task
                _extend(self.tasks[-1], text)
                return
            if self.table is None and open_task is not None:
                # a line ending in "，" or "、" breaks a sentence (a <br>, a hard wrap): it goes on
                _extend(open_task, text, "" if fold(open_task.text.rstrip(STRIP)[-1:]) in (",", "、") else "\n")
                if tail := trailing_units(open_task.text):
                    # a phrase at the end of an item is the item's own: earlier ones stay open
                    take_tail(open_task, tail)
                    pending[:] = [t for t in pending if t is not open_task]
                    open_task = None
                return
            # a paragraph naming no units is no task where it only leads in
            if self.table is None and trailing_units(text) is None:
                if not stack and body_has_structure:
                    why = "导语段落不是任务,未导入"
                elif fold(text).rstrip().endswith(":"):  # "具体任务见下表:", "主要包括:": what follows
                    why = "引出下文的段落未作为任务"
                elif stack and self.children.get(stack[-1][3]) and stack[-1][3] not in seen_child:
                    why = "小节开头的说明段落未作为任务"
                else:
                    why = None
                if why:
                    run.warn(seg.no, f"{why}:{excerpt(text)}")
                    return
            new_task(row_number, text, seg)
            row_number = None

        for index, seg in enumerate(self.segs):
            kind = seg.kind
            if kind == "chrome":
                continue
            after_deadline, after_units = previous_kind == "deadline", previous_kind == "units"
            previous_kind = kind
            if kind in ("num", "uhead"):
                level = seg.level
                if index in self.heading:
                    stack = [entry for entry in stack if entry[0] != -1]
                while stack and stack[-1][0] >= level:
                    stack.pop()
                if stack:
                    seen_child.add(stack[-1][3])
                if index in self.heading:
                    key = next_section_key(counts, stack[-1][1] if stack else "")
                    heading_text = seg.body
                    tail = trailing_units(heading_text)
                    if tail:  # "(一)X(牵头单位:…)" above its items: they share it unless they name their own
                        heading_text = tail.text
                        self.section_units[key] = (tail.units_text, tail.units)
                        self.any_units = True
                    title, body = split_title(heading_text)
                    is_preamble = tidy(title) if INTRO_TITLE.match(fold(title).strip()) or index in self.intro \
                        else preamble()
                    stack.append((level, key, is_preamble, index))
                    if not is_preamble:
                        self.sections.append(ImportedSection(key, seg.marker.text if seg.marker else None,
                                                             tidy(title), seg.no))
                    else:
                        run.warn(seg.no, f"“{tidy(title)}”是方案的总体说明,不作为任务")
                        run.preamble.append(is_preamble)
                    open_task = None
                    if body:
                        paragraph(seg, body)
                else:
                    if preamble():  # "(一)指导思想" under 总体要求: part of the plan's introduction
                        run.warn(seg.no, f"“{preamble()}”部分不是任务,未导入:{excerpt(seg.raw)}")
                        continue
                    own_title, own_body = split_title(seg.body)
                    own_title = tidy(own_title)
                    if INTRO_TITLE.match(fold(own_title)) or index in self.intro:
                        # "一、总体要求" with no items below it (an excerpt cut before the tasks): still
                        # the plan's introduction, and so is the text under it
                        stack.append((level, section_key() or "", own_title, index))
                        run.warn(seg.no, f"“{own_title}”是方案的总体说明,不作为任务")
                        run.preamble.append(own_title)
                        if own_body:  # "一、总体要求。以…为指导…" on one line: said, not dropped
                            run.warn(seg.no, f"“{own_title}”部分不是任务,未导入:{excerpt(own_body)}")
                        open_task = None
                        continue
                    pieces = split_at_unit_brackets(seg.body) if self.table is None else [seg.body]
                    new_task(seg.marker.text, pieces[0], seg)
                    for piece in pieces[1:]:
                        new_task(None, piece, seg)
                    units_ahead = None
                continue
            if kind == "table":
                # its rows sit under the prose's open heading; the prose's numbering goes on after it
                grid, header = seg.table
                into = TableTasks(counts=counts, stack=[("prose", key) for _, key, pre, _ in stack if not pre])
                result = build_tasks(grid, header, run.warn, trailing=trailing_units, split=split_items, into=into)
                self.sections += result.sections
                self.tasks += result.tasks
                self.grid_tasks.update(id(task) for task in result.tasks)
                self.any_units = self.any_units or result.any_units
                open_task, units_ahead = None, None
                pending.clear()
                continue
            if kind == "rowno":
                row_number = seg.raw
                continue
            if kind == "para":
                paragraph(seg, seg.raw)
                units_ahead = None
                continue
            if kind == "units":
                text, shown = seg.raw, shown_units(seg.raw)
                line_deadlines, line_notes = [], []
                # "责任单位:X;完成时限:Y" on one line: the same labelled parts a bracket may hold
                labelled = labelled_parts(unbracketed(seg.raw, STRIP))
                if labelled is not None and labelled[0]:
                    text, line_deadlines, line_notes = labelled
                    shown = shown_units(text)
                # a cell under one of several unit columns: its column's role, labelled as a table row shows it
                column = self.cell_roles.get(index)
                if column is not None:
                    shown = column_units_text({column: shown})
                try:
                    default = column or (self.table.unit_role if self.table else RESPONSIBLE)
                    units = parse_unit_phrase(text, default=default)
                except InputError as exc:
                    run.warn(seg.no, exc.message)
                    continue
                self.any_units = True

                def line_extras(tasks: list[ImportedTask]) -> None:
                    # the line's own 完成时限 and 牵头领导 parts go to the tasks it names units for
                    for task in tasks:
                        if line_deadlines:
                            self.cells.setdefault(id(task), []).extend(line_deadlines)
                        for note in line_notes:
                            _extend(task, note)

                if self.table is not None and self.table.units_first:
                    units_ahead = (shown, units)
                    continue
                if seg.whole_section and stack:
                    # the innermost open heading's items take these units unless they name their own
                    self.section_units[stack[-1][1]] = (shown, list(units))
                    continue
                if seg.above is not None:
                    named = self._numbered(*seg.above)
                    if not named:
                        run.warn(seg.no, f"这一行所说的第{seg.above[0]}至{seg.above[1]}项在前面找不到,"
                                         f"未使用:{excerpt(seg.raw)}")
                        continue
                    for task in named:
                        task.units, task.units_text = list(units), shown
                    line_extras(named)
                    pending[:] = [t for t in pending if all(t is not n for n in named)]
                    row_tasks[:] = named
                    open_task = None
                    continue
                if not pending and after_units and row_tasks:
                    # "牵头单位:X" then "配合单位:Y" on the next line: one phrase in two lines
                    line_extras(row_tasks)
                    for task in row_tasks:
                        merged = {u.name: u for u in task.units}
                        for unit in units:
                            merged.setdefault(unit.name, unit)
                        task.units = list(merged.values())
                        # the second line's 责任单位: label says its role beside the first's, as on one line
                        own = shown if column is not None else unbracketed(text, STRIP)
                        task.units_text = f"{task.units_text};{own}" if task.units_text else shown
                    continue
                if not pending:
                    run.warn(seg.no, f"这一行责任单位前面没有待分配的任务,未使用:{excerpt(text)}")
                    continue
                # a unit line closes the items of its own section: those of an earlier section, past a
                # heading, are not its own ("以上工作由…" says it reaches them)
                if not seg.all_above and (others := [t for t in pending if t.section != section_key()]):
                    if not self._merges_units():  # in a table they take the units of the row above
                        run.warn(seg.no, f"这一行责任单位只用于本小节的任务;前面其他小节的 {len(others)} 项任务"
                                         f"(自第{others[0].line}行起)没有写责任单位,未使用这一行")
                    pending[:] = [t for t in pending if t.section == section_key()]
                if not pending:
                    continue
                sections = {t.section for t in pending}
                if len(sections) > 1:
                    run.warn(seg.no, f"这一行责任单位适用于不同小节的 {len(pending)} 项任务(自第{pending[0].line}行起),请核对")
                for task in pending:
                    task.units, task.units_text = list(units), shown
                line_extras(pending)
                row_tasks[:] = pending
                pending.clear()
                open_task = None
                continue
            if kind == "leader":
                owner_task = open_task or (self.tasks[-1] if self.tasks else None)
                if owner_task is None:
                    run.warn(seg.no, f"这一行前面没有任务,未使用:{excerpt(seg.raw)}")
                else:
                    _extend(owner_task, shown_units(seg.raw))
                continue
            if kind == "deadline":
                label = _DEADLINE_LABEL.match(seg.norm)
                cell = seg.raw[label.start("rest"):] if label else seg.raw
                if not after_deadline:
                    # A time cell after a unit cell shared by several rows belongs to the rows
                    # that have none yet (a merged unit cell is written after its last row).
                    if self.table is not None:
                        targets = [t for t in row_tasks if id(t) not in self.cells] or list(row_tasks)
                    else:
                        targets = [open_task] if open_task else self.tasks[-1:]
                if not targets:
                    run.warn(seg.no, f"时限前面没有对应的任务,未使用:{excerpt(cell)}")
                    continue
                for task in targets:
                    self.cells.setdefault(id(task), []).append(cell.strip(STRIP))
        self.final_stack, self.final_counts = stack, counts

    def finish(self) -> None:
        for task in self.tasks:
            if id(task) in self.grid_tasks:
                continue
            task.text = tidy_lines(task.text)
            # a labelled unit bracket left in the text: the phrase in it could not be split
            norm = fold(task.text)
            for opened, closed, _ in sorted(bracket_pairs(norm)[0]):
                if UNIT_LABEL.match(norm[opened:closed + 1]):
                    self.run.warn(task.line, f"“{excerpt(task.text[opened:closed + 1])}”中的单位无法拆分,"
                                             "原样留在任务内容中,请核对")
            key = task.section
            while not task.units and key:
                if key in self.section_units:
                    task.units_text, units = self.section_units[key]
                    task.units = list(units)
                key = key.rpartition(".")[0]
            if cells := self.cells.get(id(task)):
                task.deadline = cell_deadlines("\n".join(cells), task.line, self.run.warn)
            else:
                task.deadline = find_deadline_phrases(task.text)
                task.deadline_from_text = bool(task.deadline)
        if self._merges_units():
            self._merged_unit_cells()

    def _merges_units(self) -> bool:
        return self.table is not None and self.table.has_units and not self.table.units_first

    def _merged_unit_cells(self) -> None:
        """Rows with no unit cell under a row with units, their section closed by the next heading,
        take that row's units: written one cell a line, a unit cell merged down over several rows
        stands once, after the first row's task (as a text table's empty unit cell takes the row
        above's). In the text's last section they may as well be one cell of several items whose
        unit cell the excerpt cut off: they are left without."""
        own = [task for task in self.tasks if id(task) not in self.grid_tasks]
        above: ImportedTask | None = None
        for task in own:
            if task.units:
                above = task
            elif above is not None and above.section == task.section != own[-1].section:
                task.units, task.units_text = list(above.units), above.units_text

    def build(self) -> Builder:
        self.classify()
        self.structure()
        self.walk()
        self.finish()
        return self
