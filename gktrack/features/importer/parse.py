"""A published plan document turned into plain data: sections, tasks, their units and deadlines.

``parse_document`` runs the document through its steps, each in its own module: segments
(``lines``), the plan's extent and metadata (``front``), tables (``table``) and structure
(``structure``, ``item_units``). This module holds what concerns the whole document: 繁体 read
as 简体, the file's tables taken out of the text (a table split in two joined), the choice between
prose and a division-of-labour table (the better source when it restates the prose; an item it
leaves out is kept), what the document leaves open (title, year, who does tasks naming no one, a
cut-off end). Anything skipped or unsure becomes a warning ``(line, message)``: text is never
dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from gktrack.domain.deadlines import before_plan_year, is_known, parse_deadline
from gktrack.domain.text import BRACKET_FOLD, CLOSING_MARK, bracket_pairs, outermost_brackets
from gktrack.domain.unitphrase import (
    UNIT_LABEL_WORD, is_body_name, looks_like_unit_phrase, parse_unit_phrase_or_none, split_cut_name,
    text_problem,
)
from gktrack.domain.model import UnitRef
from gktrack.errors import InputError
from gktrack.features.importer.front import (
    ADDRESSEE, ISSUED_TRAILER, ORG_END, SITE_BANNER, VERB_OPENING, carried_out_year, in_sentence,
    line_span, locate, metadata, named_plan, notice_heading, opening_title, signed_line,
    split_opening_title, title_year,
)
from gktrack.features.importer.item_units import (
    ROLE_END, UNIT_LABEL, mended_labels, trailing_units, unit_phrase,
)
from gktrack.features.importer.lines import (
    CHROME, TERMINAL, Run, Seg, bullet_details, ends_sentence, rejoin_wrapped,
    remove_page_markers, segments, split_inline, split_items, undotted_numbers, without_page_furniture,
)
from gktrack.features.importer.result import ImportedPlan, ImportedTask
from gktrack.features.importer.sources import Document, Line, text_document
from gktrack.features.importer.structure import Builder, Table, TooLong, find_table, split_title
from gktrack.features.importer.table import (
    Cell, Grid, Header, TableTasks, build_tasks, deadline_cell, find_header, header_role,
    settle_roles, text_grids,
)
from gktrack.features.importer.text import (
    BARE_PAGE, CJK, DATE_LINE, STRIP, TITLE_CHARS, TRADITIONAL, excerpt, fold,
    glosses_systematically, marker_at_start, simplified, strip_pinyin_glosses,
)
from gktrack.features.limits import MAX_TASK_TEXT


# a notice's own title (not one that issues or forwards another document): "X关于Y的通知"
_OWN_NOTICE = re.compile(rf"^(?:[{CJK}()]{{2,40}}?{ORG_END})?关于(?!印发|转发)[^。,;:]{{2,80}}?的通知")
_SELF = re.compile(r"我(?P<body>局|委|办|厅|镇|乡|区|县|市|中心|院|所|街道|单位)")
_TABLE_TITLE = re.compile(r"(?:分工表|任务表|分解表|清单|台账|一览表)$")


# ---- the whole document -----------------------------------------------------------------------


def parse_document(doc: Document | str, year: int | None = None) -> ImportedPlan:
    """The plan a document describes: its sections, tasks, units, deadlines and metadata. ``year``:
    the plan year the user gives (``--year``), over the one the text gives."""
    if isinstance(doc, str):
        doc = text_document(doc)
    try:
        return _parse(doc, year)
    except TooLong as exc:
        raise InputError(f"“{doc.name or '文档'}”第 {exc.line} 行起的一项任务超过 {MAX_TASK_TEXT} 字(其后的段落都接在"
                         "这一项之后),不像是一项任务:请检查原文的编号或表格,或只保留任务部分后再导入") from None


def _parse(doc: Document, year: int | None) -> ImportedPlan:
    run = Run()
    for line, message in doc.notes:  # what reading the file changed (control characters taken out)
        run.warn(line, message)
    doc = _plain_script(doc, run)
    doc, breaks = without_page_furniture(doc, run)
    tables = _tables(doc, run)
    segs = segments(_outside(doc, tables))
    # wrapped lines first: a sharing site's page number ("2、") cuts a sentence, not a line of one
    segs = rejoin_wrapped(segs, frozenset(grid.first for grid, _ in tables))
    segs = remove_page_markers(segs, run, breaks)
    segs = split_inline(segs)
    undotted_numbers(segs)
    bullet_details(segs)
    segs = _with_table_marks(segs, tables)
    segs = split_opening_title(segs)
    start, end, title, title_at = locate(segs, run)
    plan = ImportedPlan()
    fields = metadata(plan, segs, start, end, title)
    read = {id(seg) for seg in fields}  # a field table: metadata only
    body = [seg for seg in segs[start:end] if id(seg) not in read]
    _cut_unit_list(body, doc, run)
    if tables:
        header_at, found = tables[0][0].first, _prose_and_table(plan, body, None, run)
    elif (table := find_table(body)) is not None:
        header_at, found = body[table.header_at].no, _prose_and_table(plan, body, table, run)
    else:
        header_at, found = None, Builder(body, run, None).build()
        if not found.any_units and not any(s.kind in ("num", "uhead") for s in found.segs):
            found.tasks = []  # plain paragraphs with neither numbering nor units: nothing says they are tasks
    plan.sections = found.sections
    plan.tasks = _glued_units(_cut_last_name(_cut_fragment(_with_words(found.tasks, run), doc, run), doc, run), run)
    _lead_convention(plan.tasks, segs, run)
    _settle(plan, doc, segs, found.any_units, run, header_at)
    _text_deadlines(plan.tasks, year or plan.year, run)
    plan.warnings = sorted(run.warnings, key=lambda item: item[0])
    return plan


def _with_words(tasks: list[ImportedTask], run: Run) -> list[ImportedTask]:
    """The tasks without those whose whole text is a number or punctuation (a table's row number
    or empty cells read as the task), each refused with a warning at its line."""
    kept = []
    for task in tasks:
        if problem := text_problem(task.text):
            run.warn(task.line, f"{problem},不是任务,未导入")
        else:
            kept.append(task)
    return kept


def _cut_fragment(tasks: list[ImportedTask], doc: Document, run: Run) -> list[ImportedTask]:
    """The tasks without the document's last line where it is cut off there: a few characters ("区发",
    "(一", "抄送") after a finished sentence, with no number, units or deadline, are as likely a heading
    or a footer broken off as a task's first words: no task, nor part of the one above."""
    last = _last_line(doc)
    final = tasks[-1] if tasks else None
    if final is None or last is None or final.units or final.deadline \
            or any(grid.first <= last.no <= grid.last for grid in doc.tables):
        return tasks
    fragment = fold(last.text).strip(STRIP)
    before, _, tail = final.text.rpartition("\n")
    alone = final.line == last.no and not final.number and not before
    if not fragment or len(fragment) >= 8 or fragment[-1] in TERMINAL or fold(tail).strip(STRIP) != fragment \
            or not (alone or final.line < last.no and ends_sentence(fold(before).strip())):
        return tasks
    run.warn(last.no, f"文档在此处中断,末尾残缺的“{tail.strip()}”看不出是任务还是标题、单位,未导入,请核对")
    return tasks[:-1] if alone else tasks[:-1] + [replace(final, text=before.rstrip())]


def _glued_units(tasks: list[ImportedTask], run: Run) -> list[ImportedTask]:
    """Tasks whose unit clause runs on from their text with neither bracket nor full stop ("…办事条件等
    信息审批处牵头,各有关处室配合", the brackets lost on a copy): the clause is split off where it starts
    with a unit the plan names for another task, ends with a role word and reads as units throughout."""
    named = sorted({unit.name for task in tasks for unit in task.units}, key=len, reverse=True)
    kept = []
    for task in tasks:
        found = None if task.units or "\n" in task.text else _glued_clause(task.text, named)
        if found is None:
            kept.append(task)
            continue
        at, units = found
        clause = task.text[at:].strip(STRIP)
        run.warn(task.line, f"任务末尾的“{excerpt(clause)}”与正文连写、没有括号,按责任单位读取,请核对")
        kept.append(replace(task, text=task.text[:at].rstrip(STRIP + ",,"), units=units, units_text=clause))
    return kept


def _glued_clause(text: str, named: list[str]):
    """(where the clause starts, its units) of a unit clause ending ``text`` after no sentence end."""
    norm = fold(text)
    start = max(norm.rfind(mark) for mark in "。;:") + 1
    if not ROLE_END.search(norm.rstrip(STRIP + "。")):
        return None
    for at in range(start + 4, len(text)):
        if not any(norm.startswith(name, at) for name in named):
            continue
        clause = text[at:].strip(STRIP + "。")
        if looks_like_unit_phrase(clause) and (units := parse_unit_phrase_or_none(clause)) is not None:
            return at, units
    return None


# How a plan says which of a task's listed units leads, once for all of them: "排名第一的责任单位为牵头
# 单位", "列第一位的为牵头单位", "逗号前为牵头单位" (in its notice, or in its first unit bracket "…,下同")
_FIRST_LEADS = re.compile(r"(?:列|排|排名|排在)?(?:第一位|第一个?|首位)的?(?:责任)?(?:单位|部门)?为牵头(?:单位|部门)")
_BEFORE_COMMA_LEADS = re.compile(r"逗号前的?(?:单位|部门)?为牵头(?:单位|部门)")


def _lead_convention(tasks: list[ImportedTask], segs: list[Seg], run: Run) -> None:
    """The units a plan's convention makes leads, in the tasks whose units carry no role word of their
    own: the first listed, or those before the list's first comma."""
    said = next((match for seg in segs for rule in (_FIRST_LEADS, _BEFORE_COMMA_LEADS)
                 if (match := rule.search(seg.norm))), None)
    if said is None:
        return
    changed = 0
    for task in tasks:
        if not task.units or any(unit.role != "responsible" for unit in task.units) \
                or re.search(r"牵头|配合|协助|协办|主办|主责", task.units_text or ""):
            continue
        if said.re is _FIRST_LEADS:
            leads = {task.units[0].name}
        else:
            first, comma, _ = fold(task.units_text or "").partition(",")
            if not comma:
                continue  # no comma: the list does not say which of them lead
            leads = {unit.name for unit in task.units if unit.name in first}
        task.units = [UnitRef(unit.name, "lead") if unit.name in leads else unit for unit in task.units]
        changed += 1
    if changed:
        run.warn(tasks[0].line, f"文中说明“{said.group()}”:{changed} 项任务按此记了牵头单位,请核对")


_LEVELS = "省市县区镇乡街村各"  # a name's first character that says its level, not yet what it is


def _cut_last_name(tasks: list[ImportedTask], doc: Document, run: Run) -> list[ImportedTask]:
    """The tasks without the last unit of the last one where the document stops right after it and it
    is a name's start named nowhere else: one character ("…、区政数局、区"), or a level and one that is
    no body's name ("市财"; "团委" stays). The user is told the list may be incomplete."""
    last = _last_line(doc)
    final = tasks[-1] if tasks else None
    if final is None or last is None or not final.units or run.cut_units:
        return tasks
    name = final.units[-1].name
    tail = fold(last.text).strip(STRIP + "|")
    named = {unit.name for task in tasks[:-1] for unit in task.units}
    broken = len(name) == 1 or len(name) == 2 and name[0] in _LEVELS and not is_body_name(name)
    if not broken or name in named or not re.search(rf"(?:^|[、,;:|\s]){re.escape(fold(name))}$", tail):
        return tasks
    written = (final.units_text or "").rstrip(STRIP)
    kept = written[:-len(name)].rstrip(STRIP + "、,;，；") if written.endswith(name) else written
    kept = re.sub(r"(?:^|[;；])[^;；]*[:：]$", "", kept)  # "…;责任单位:": a label left with no name
    run.cut_units = True
    read = f"的责任单位可能不完整:读取为“{excerpt(kept)}”," if final.units[:-1] else ""
    run.warn(last.no, f"文档在此处中断,最后一项任务{read}末尾残缺的“{name}”未作为单位,请核对")
    return tasks[:-1] + [replace(final, units=final.units[:-1], units_text=kept or None)]


# "对2018年底前制定的规范性文件": a 前 phrase that qualifies a noun says which things, not by when
_MODIFIER = re.compile(rf"[{CJK}]{{0,3}}的")


def _text_deadlines(tasks: list[ImportedTask], year: int | None, run: Run) -> None:
    """Of the deadlines found in a task's own sentence, keep those that can be its deadline: not a phrase
    qualifying a noun, nor a date before the plan year ("公开…2016年末政府债务余额" in a 2017 plan says
    what, not by when). A deadline the document states as such stays as written."""
    for task in tasks:
        if not task.deadline_from_text:
            continue
        kept = []
        for phrase in task.deadline:
            at = task.text.find(phrase)
            if phrase.endswith("前") and at >= 0 and _MODIFIER.match(task.text, at + len(phrase)):
                continue
            if year and before_plan_year(parse_deadline(phrase, year), year):
                run.warn(task.line, f"任务文字中的“{phrase}”早于计划年度 {year} 年,是所述事项的时间,未作为"
                                    "任务的完成时限(若是笔误,请在计划文件中补填期限)")
                continue
            kept.append(phrase)
        task.deadline = kept
        task.deadline_from_text = bool(kept)


def _settle(plan: ImportedPlan, doc: Document, segs: list[Seg], any_units: bool, run: Run,
            header_at: int | None = None) -> None:
    """What the document leaves open: its title, who does the tasks that name no one, a cut-off end.
    ``header_at``: the line of a task table's header, if the text has one."""
    if not plan.title:  # a notice that is itself the plan: its own title, "X关于贯彻落实《…》的通知"
        for seg in segs[:60]:
            if seg.marker is not None or seg.kind == "table" or ADDRESSEE.match(seg.compact):
                break
            heading = notice_heading(seg)
            match = _OWN_NOTICE.match(heading)
            if match and not VERB_OPENING.match(heading) and not in_sentence(heading, match):
                plan.title = match.group()
                break
    # the text's first line, or the notice's heading "关于印发X的通知", its lead "现将《X》印发给你们"
    numbered = (i for i, s in enumerate(segs) if s.marker is not None or s.kind == "table")
    front = segs[:next(numbered, len(segs))]
    plan.title = plan.title or opening_title(segs) \
        or next((name for seg in front[:60] if (name := named_plan(seg.compact, handed=True))), None)
    if not plan.title and doc.name and (stem := re.sub(r"\.[A-Za-z0-9]{1,5}$", "", doc.name).strip()):
        plan.title, plan.title_from_file = stem, True
        run.warn(1, f"文中没有计划标题,标题取自文件名“{stem}”")
    if plan.year is None and plan.title and not plan.title_from_file:  # the title's year, else the text's
        plan.year = title_year(plan.title)
    if plan.year is None:
        plan.year = _text_year(segs) or (carried_out_year(plan.title) if plan.title and not plan.title_from_file
                                         else None)
    if plan.year is None and plan.title_from_file and (year := title_year(plan.title)):
        # "附件1.docx", "通知.pdf": a file's name is the user's, not the document's; said so
        plan.year, plan.year_from_file = year, True
        run.warn(1, f"文中没有写明计划年度,年度 {year} 取自文件名“{plan.title}”,请核对")
    if not plan.tasks:
        first = next((s.no for s in segs if s.kind != "table"), 1)
        parts = "、".join(dict.fromkeys(run.preamble))
        read = "、".join(name for name, value in (("标题", plan.title and not plan.title_from_file), ("年度", plan.year),
                                                 ("发文单位", plan.issuer), ("文号", plan.doc_number),
                                                 ("日期", plan.issued)) if value)
        read = f"只读取了{read};" if read else ""
        if run.notice_only:
            own = "通知里的编号段落是对收文单位的要求,不是任务," if any(seg.marker is not None for seg in segs) else ""
            plan.no_tasks = "文中只有印发计划的通知,没有计划正文"
            run.warn(first, f"{plan.no_tasks}:{own}未导入任何任务;{read}"
                            "网页节选可能在通知之后就截断了,请取得计划全文后再导入")
        elif header_at is not None:
            # a page's table copied without its cells, or an excerpt cut at the header
            plan.no_tasks = "文中的分工表只有表头和空白格,没有任务内容"
            run.warn(header_at, f"{plan.no_tasks}(第{header_at}行起):未导入任何任务;{read}"
                                "网页复制时表格内容可能丢失,或节选在表头处截断,请取得计划全文后再导入")
        elif parts:
            plan.no_tasks = f"文中只有方案的总体说明({parts}),没有任务部分"
            run.warn(first, f"{plan.no_tasks},未导入任何任务;{read}"
                            "网页节选可能在任务部分之前就截断了,请取得计划全文后再导入")
        else:
            plan.no_tasks = "文中既没有编号条目,也没有责任单位"
            run.warn(first, f"没有找到任何任务:{plan.no_tasks},请检查文档是否为工作要点或分工方案")
        return
    if without := [t for t in plan.tasks if not t.units]:
        # Tasks that name no unit are the issuing body's own; a few gaps among named ones may be slips.
        plan.owner = plan.issuer
        if any_units and len(without) * 2 <= len(plan.tasks):
            for task in without:
                run.warn(task.line, f"任务未写明责任单位:{excerpt(task.text)}")
        elif plan.owner:
            run.warn(without[0].line, f"{len(without)} 项任务没有写责任单位,由发文单位“{plan.owner}”承担")
        if not plan.owner:
            said = f"(文中称“{self_name}”)" if (self_name := _self_reference(segs)) else ""
            run.warn(without[0].line, f"{len(without)} 项任务没有写责任单位,文中也没有写明发文单位{said}:"
                                      "请用 --owner 指定发文单位,或在计划文件中填写 owner")
    if run.cut_units:
        return  # the cut is already reported, with the units read from it
    last = _last_line(doc)
    # a file that ends in one of its tables (a 联络员名单 after the 分工表) ends in a cell, not mid-sentence
    if last is not None and not any(grid.first <= last.no <= grid.last for grid in doc.tables):
        tail = fold(last.text).strip(STRIP + "|")
        # "责任单位:X;完成时限:每季度", "…| 2024年9月底前": a line ending in a whole deadline is complete
        # (a unit phrase is not so telling: "…牵头,市住建局等政府各有关" reads as one)
        part = re.split(r"[;:|]|\s{2,}", fold(last.text.replace("\t", "|")).strip(STRIP + "|"))[-1].strip(STRIP)
        # a " | " row closed by its own "|" is a whole row, whatever its last cells (进展情况, 备注) say
        closed_row = fold(last.text).strip(STRIP).endswith("|") and fold(last.text).count("|") >= 3
        # "…。县司法局常态化开展": the last item's units and stated deadline, read from its end, close it
        final = plan.tasks[-1]
        closed_row |= bool(final.units) and not final.deadline_from_text \
            and any(tail.endswith(fold(due)) for due in final.deadline)
        # "…| 县数据局 | 年底前 | 李四": a last cell after the row's deadline and units is a remark
        # (联络人, 备注), read as such; the row the task needs is whole
        cells = [cell.strip(STRIP) for cell in fold(last.text).split("|")]
        closed_row |= bool(final.units) and not final.deadline_from_text and len(cells) >= 4 \
            and any(fold(due) in cells[:-1] for due in final.deadline) \
            and cells[-1] not in {fold(unit.name) for unit in final.units}
        # a short line is cut off only where it is the last item's own, its words broken off ("4.大力推进")
        short = len(tail) < 8 and not (final.number and final.line == last.no)
        # "…(责任单位:", "责任单位:": a bracket left open, or a label with nothing after it, was to go on
        left_open = tail.endswith(":") or bool(bracket_pairs(tail)[1])
        if tail and not short and (left_open or not _ends_whole(tail)) and not CHROME.match(tail) \
                and not closed_row \
                and last.no >= plan.tasks[-1].line and not looks_like_unit_phrase(tail) \
                and not deadline_cell(part) and not DATE_LINE.match(tail) \
                and signed_line(Seg(last.no, last.text)) is None \
                and not BARE_PAGE.match(tail) and not ISSUED_TRAILER.search(tail) \
                and not _ends_heading_list(plan.tasks, doc, last):
            run.warn(last.no, f"文档在此处中断(“…{tail[-12:]}”),最后一项任务可能不完整,请核对")


def _ends_heading_list(tasks: list[ImportedTask], doc: Document, last: Line) -> bool:
    """"1. 加强组织领导 / 2. 抓好队伍建设 / 3. 强化监督考核" closing a plan: the last task ends a run of
    one-line items numbered from 1 without punctuation, so it ends as they do. A cut text leaves its
    last item unlike those before it."""
    run = []
    for task in reversed(tasks):
        marker = marker_at_start(f"{task.number or ''}{task.text}")
        if task.section != tasks[-1].section or marker is None or not task.number \
                or run and (marker.style != run[-1][1].style or marker.value != run[-1][1].value - 1):
            break
        run.append((task, marker))
        if marker.value == 1:
            break
    if len(run) < 2 or run[-1][1].value != 1 or run[0][0].line != last.no:
        return False
    texts = {line.no: line.text for line in doc.lines}
    for (later, _), (earlier, _) in zip(run, run[1:]):
        if any(fold(texts.get(no, "")).strip(STRIP) for no in range(earlier.line + 1, later.line)):
            return False
    return not any(re.search(r"[。;,:!?]", fold(task.text)) for task, _ in run)


# A page's own time stamps: when it was uploaded, printed, visited, crawled, or a bare "时间:" field
_TIMESTAMP = re.compile(rf"(?:上传|下载|打印|访问|浏览|更新|采集|抓取|入库)(?:时间|日期)|(?<![{CJK}])时间\s*:"
                        r"|\d{1,4}[-./]\d{1,2}[-./]\d{1,4}\s+\d{1,2}:\d{2}")
# a lead opening with the plan's year and saying what is to be done in it ("2021年全省政务公开工作的
# 总体要求是…", "2020年,市统计局政务公开工作要…"); not a date, a span, "…以来" or a review of that year
_LEAD_YEAR = re.compile(r"^((?:19|20)\d{2})\s*年(?!\s*\d|度?\s*[-—–至到]|以来)[^。;]*?(?<![重主需纲概])要")


def _text_year(segs: list[Seg]) -> int | None:
    """The year the text itself gives the plan where no title does: a lead that opens with it, else a
    date's near the top (not a page's time stamp). A 文号 cited in a sentence is another plan's."""
    for seg in segs[:30]:
        if seg.marker is not None or seg.kind == "table":
            break
        if match := _LEAD_YEAR.match(seg.norm):
            return int(match.group(1))
    head = " ".join(s.norm for s in segs[:30] if s.kind != "table" and not _TIMESTAMP.search(s.norm))
    match = re.search(r"(?<!\d)(20\d{2})\s*[-年./]\s*\d{1,2}", head)
    return int(match.group(1)) if match else None


def _last_line(doc: Document, past_chrome: bool = False) -> Line | None:
    """Where the document's text stops: its last line, a sharing site's banner under it left out, and
    with ``past_chrome`` the page's chrome ("打印本页 关闭窗口", "分享到:") too."""
    return next((line for line in reversed(doc.lines) if (text := fold(line.text).strip(STRIP))
                 and not SITE_BANNER.match(text) and not (past_chrome and CHROME.match(text))), None)


def _cut_unit_list(body: list[Seg], doc: Document, run: Run) -> None:
    """Unit brackets damaged as written, mended and said. A document cut off inside its last unit list
    ("…框架。(市府办牵头,市政府各部门、各功") gives the last task the units before the cut (a cut-off
    name dropped); one cut right after its label ("(责任单位:") names no one. Elsewhere only a labelled
    bracket left open is read as closed at its line's end. Symbols no name has ("(执法局&&)") go."""
    last = _last_line(doc, past_chrome=True)  # a list cut off ("法规股、会") is so under the page's footer too
    final = body[-1] if body else None
    # "责任单位:" the last line, cut after its colon: it names no one, like "(责任单位:" cut off
    if final is not None and final.kind != "table" and final.marker is None and last is not None \
            and final.line_at(len(final.raw) - 1) == last.no and _BARE_LABEL_LINE.fullmatch(final.norm):
        _label_names_no_one(final.no, final.raw, run)
        del body[-1]
    for position, seg in enumerate(body):
        if seg.kind == "table" or not seg.raw:
            continue
        at_end = position == len(body) - 1 and last is not None and seg.line_at(len(seg.raw) - 1) == last.no
        _close_unit_bracket(seg, position > 0, at_end, run)
        _drop_junk(seg, run)


def _bracket_units(text: str) -> bool:
    """Whether the text of an unclosed bracket reads as its unit list."""
    found = unit_phrase(text, bracketed=True) if text else None
    return found is not None and bool(found[1]) and (
        looks_like_unit_phrase(text) or all(is_body_name(unit.name) for unit in found[1]))


_BARE_LABEL = re.compile(rf"\(\s*{UNIT_LABEL_WORD}\s*:?\s*$")
_BARE_LABEL_LINE = re.compile(rf"{UNIT_LABEL_WORD}\s*:")


def _label_names_no_one(line: int, written: str, run: Run) -> None:
    """A unit label the text stops right after ("(责任单位:", a last line "责任单位:"): said once."""
    run.cut_units = True
    run.warn(line, f"文档在此处中断,最后一项任务的“{written}”之后没有单位名称,未导入责任单位,请核对")


def _close_unit_bracket(seg: Seg, after_other: bool, at_end: bool, run: Run) -> None:
    opened = next(iter(bracket_pairs(seg.norm)[1]), None)  # the outermost bracket left open
    # "各县(市、区": a bracket inside a unit's name, on a unit line of its own; not the task's unit bracket
    if opened is not None and not (opened and looks_like_unit_phrase(seg.raw[:opened])):
        # its line's end: the segment's, or where the next line joined to it starts, unless the list
        # runs on there (a PDF's line broken inside it: "(牵头部门:办" over "公室")
        stop = min((offset for offset, _ in seg.starts if offset > opened), default=len(seg.raw))
        if stop < len(seg.raw) and _bracket_units(seg.raw[opened + 1:].rstrip(STRIP + "、,;,;。")):
            stop = len(seg.raw)
        # "…发布。(责任单位:": cut off after its label, the bracket names no one and is no part of the text
        if at_end and stop == len(seg.raw) and _BARE_LABEL.match(seg.norm.translate(BRACKET_FOLD)[opened:]):
            _label_names_no_one(seg.line_at(max(opened - 1, 0)), seg.raw[opened:].strip(STRIP), run)
            _replace(seg, opened, len(seg.raw), "")
            return
        if not at_end or stop < len(seg.raw):
            if not UNIT_LABEL.match(seg.norm[opened:]):
                return
            kept, dropped = seg.raw[opened + 1:stop].rstrip(STRIP + "、,;,;。"), ""
        else:
            kept, dropped = split_cut_name(seg.raw[opened + 1:])
        if not _bracket_units(kept):
            return
        forgotten = stop < len(seg.raw) or not at_end  # its ")", not the rest of the document
        if forgotten:
            run.warn(seg.line_at(opened), f"“{excerpt(seg.raw[opened:stop])}”到行尾没有右括号,按单位读取,请核对")
        _replace(seg, opened + 1, stop, kept + CLOSING_MARK.get(seg.raw[opened], ")"))
        if forgotten:
            return
    elif at_end and seg.marker is None and after_other and not ends_sentence(seg.norm):
        kept, dropped = split_cut_name(seg.raw)
        # "责任科室:党政办  完成时间:2024年11月底前" ends in a whole part, not a cut-off name
        # "区资源规划分局、各乡(镇)、": a list ending in its separator stops before its next name
        open_list = fold(seg.raw).rstrip()[-1:] in "、,"
        whole = not open_list and (not dropped or ":" in fold(dropped) or is_known(dropped.strip(STRIP))
                                   or deadline_cell(dropped.strip(STRIP)))
        if whole or not kept or not looks_like_unit_phrase(kept):
            return
        _replace(seg, 0, len(seg.raw), kept)
    else:
        return
    run.cut_units = True
    lost = f",末尾残缺的“{dropped}”未作为单位" if dropped else ""
    run.warn(seg.line_at(opened or 0), f"文档在此处中断,最后一项任务的责任单位可能不完整:读取为“{excerpt(kept)}”{lost},请核对")


# Symbols no unit's name has: a page's editing marks left in a unit bracket ("(执法局&&)")
_JUNK = re.compile(r"[&#*@$%^~_=+`]+")


def _drop_junk(seg: Seg, run: Run) -> None:
    if not _JUNK.search(seg.norm):
        return
    for opened, closed in reversed(list(outermost_brackets(seg.norm))):
        inside = seg.norm[opened + 1:closed]
        clean = _JUNK.sub("", inside)
        if clean == inside or not clean.strip(STRIP) or unit_phrase(seg.raw[opened + 1:closed], bracketed=True) \
                or not unit_phrase(clean, bracketed=True):
            continue
        run.warn(seg.line_at(opened), f"“{excerpt(seg.raw[opened:closed + 1])}”中的“{''.join(_JUNK.findall(inside))}”"
                                      "不是单位名称的一部分,去掉后按单位读取,请核对")
        for junk in reversed(list(_JUNK.finditer(inside))):
            _replace(seg, opened + 1 + junk.start(), opened + 1 + junk.end(), "")


def _replace(seg: Seg, begin: int, end: int, text: str) -> None:
    """Put ``text`` in place of ``seg.raw[begin:end]``, keeping where its lines start."""
    shift = len(text) - (end - begin)
    seg.raw = seg.raw[:begin] + text + seg.raw[end:]
    seg.norm = fold(seg.raw)
    seg.starts = [(offset + shift if offset >= end else offset, no) for offset, no in seg.starts
                  if not begin < offset < end and offset + (shift if offset >= end else 0) < len(seg.raw)] \
        or [(0, seg.no)]


def _ends_whole(tail: str) -> bool:
    """Whether the document's last line (folded) ends as a whole text does: a ")" only where its bracket
    holds the item's units or deadline or follows a finished sentence ("…与村(居)" is broken off)."""
    norm = tail.translate(BRACKET_FOLD)
    opening = {closed: opened for opened, closed, _ in bracket_pairs(norm)[0]}
    end = len(norm)
    # bracket by bracket back from the end, not by recursion: a line of "(一)(一)…" has thousands
    while norm[end - 1:end] == ")":
        opened = opening.get(end - 1)
        if opened is None:
            return True  # a ")" closing nothing: not a bracket of the sentence's words
        inside = norm[opened + 1:end - 1].strip(STRIP)
        if _bracket_units(inside) or deadline_cell(inside):
            return True
        end = len(norm[:opened].rstrip(STRIP))
    return norm[end - 1:end] in TERMINAL + ".;|"


def _plain_script(doc: Document, run: Run) -> Document:
    """繁体 read as 简体, pinyin glosses ("區(qū)") dropped, lines and table cells alike; unit labels are
    mended again once they read as 简体 ("責任 單位:" was no label)."""
    text = doc.text
    hits = len(TRADITIONAL.findall(text))
    toneless = glosses_systematically(text)
    glossed = strip_pinyin_glosses(text, toneless) != text
    if hits < 5 and not glossed:
        return doc

    def plain(value: str) -> str:
        value = strip_pinyin_glosses(value, toneless) if glossed else value
        return mended_labels(simplified(value, force=True) if hits >= 5 else value)

    lines = [Line(line.no, plain(line.text), line.outline) for line in doc.lines]
    tables = [replace(grid, rows=[[replace(cell, text=plain(cell.text)) for cell in row] for row in grid.rows],
                      caption=grid.caption and plain(grid.caption)) for grid in doc.tables]
    if hits >= 5:
        converted = any(a.text != b.text for a, b in zip(doc.lines, lines)) or glossed
        run.warn(1, "文档为繁体,已按简体读取(任务和单位以简体保存)" if converted and simplified("們", force=True) == "们"
                 else "文档为繁体,未安装 OpenCC(pip install opencc),按原文导入;单位名称可能与名册中的简体名称对不上")
    if glossed:
        run.warn(1, "删去了网页加在繁体字后的拼音注音,如“(qū)”")
    return Document(lines, doc.name, tables)


def _tables(doc: Document, run: Run) -> list[tuple[Grid, Header]]:
    """The document's tables with a header that says what their columns are, in reading order."""
    grids = list(doc.tables) or text_grids(doc.lines)
    found = []
    for grid in grids:
        header = find_header(grid) if not grid.stream else _stream_header(grid)
        last_grid, last_header = found[-1] if found else (None, None)
        # the same table on the next page (a PDF breaks it there, a Word table split there): without
        # its header again, or with it where only a page number stands between (not the next sheet)
        if last_grid is not None and not grid.stream and not last_grid.stream and (
                max(map(len, grid.rows), default=0) == len(last_header.roles) if header is None
                else header.names == last_header.names and _page_break(doc, last_grid.last, grid.first)
                and grid.caption == last_grid.caption):
            last_grid.rows += _rows_between(doc, last_grid, grid.first, run) + grid.rows
            # the table now ends where its continuation ends: so does a last row cut short
            last_grid.last, last_grid.cut = max(last_grid.last, grid.last), grid.cut
            continue
        if header is not None:
            if header.start and not grid.stream:  # a title row above the header is the document's title
                below = [c.line for row in grid.rows[header.start:] for c in row if not c.blank and not c.merged]
                grid.first = min(below, default=grid.first)
            found.append((grid, header))
    # sheet names are headings only when the rows are spread over sheets, one area each; a lone
    # task sheet's name ("分工表") beside a 说明 sheet is no heading
    captions = [grid.caption for grid, _ in found if grid.caption]
    if len(captions) < 2 or len(set(captions)) < len(captions):
        for grid, _ in found:
            grid.caption = None
    return sorted(found, key=lambda item: item[0].first)


def _rows_between(doc: Document, grid: Grid, first: int, run: Run) -> list[list[Cell]]:
    """The lines between ``grid`` and its continuation at line ``first`` (a heading "二、…", a one-cell
    row) as rows spanning the table, so none is lost. A paragraph of prose there would head the rows
    after it: it is left out, and said so."""
    width = max(map(len, grid.rows), default=1)
    rows = []
    for line in doc.lines:
        text = line.text.strip(STRIP)
        if not grid.last < line.no < first or not text or BARE_PAGE.match(fold(text)):
            continue
        if _prose(text):
            run.warn(line.no, f"表格两段之间的段落不是任务,未导入:{excerpt(text)}")
            continue
        spans = [] if grid.ragged else [Cell(text, line.no, merged=True)] * (width - 1)
        rows.append([Cell(text, line.no)] + spans)
    return rows


def _prose(text: str) -> bool:
    """Whether a line is a paragraph of prose, not a heading or an item: unnumbered, and ending as a
    sentence does or longer than a heading's title (headings are short and end without punctuation)."""
    norm = fold(text).strip()
    return marker_at_start(text, norm) is None and (ends_sentence(norm) or len(norm) > TITLE_CHARS)


def _page_break(doc: Document, last: int, first: int) -> bool:
    """Whether only a page number ("- 2 -") stands between two lines: a table goes on there, where a
    heading between two tables ("二、平台建设") starts another."""
    return all(not line.text.strip(STRIP) or BARE_PAGE.match(fold(line.text).strip(STRIP))
               for line in doc.lines if last < line.no < first)


def _stream_header(grid: Grid) -> Header | None:
    """One cell per line: the header is the first run of cells that name columns."""
    cells = grid.rows[0]
    for index in range(min(len(cells), 20)):
        run = index
        while run < len(cells) and header_role(cells[run].text):
            run += 1
        if run - index >= 2 and find_header(Grid([cells[index:run]], 0, 0)) is not None:
            grid.rows[0] = cells[index:]
            return Header(run - index - 1, settle_roles([header_role(c.text) for c in cells[index:run]]), 0,
                          [c.text for c in cells[index:run]])
    return None


def _outside(doc: Document, tables: list[tuple[Grid, Header]]) -> Document:
    """The document without the lines its tables cover (the tables are read as tables)."""
    if not tables:
        return doc
    covered = [(grid.first, grid.last) for grid, _ in tables]
    lines = [line for line in doc.lines if not any(a <= line.no <= b for a, b in covered)]
    return Document(lines, doc.name)


def _with_table_marks(segs: list[Seg], tables: list[tuple[Grid, Header]]) -> list[Seg]:
    """A placeholder segment where each table stood, so the plan's extent and title see it."""
    out: list[Seg] = []
    pending = list(tables)  # in reading order
    for seg in segs:
        while pending and pending[0][0].first <= seg.no:
            out.append(_table_mark(pending.pop(0)))
        out.append(seg)
    out += [_table_mark(item) for item in pending]
    return out


def _table_mark(item: tuple[Grid, Header]) -> Seg:
    return Seg(item[0].first, "工作任务", kind="table", table=item)


def _without_table_title(plan: ImportedPlan, segs: list[Seg]) -> list[Seg]:
    """The prose before a 分工表 without the table's own title line ("…任务分工表") at its end: that
    line names the plan when nothing else does."""
    if segs and segs[-1].marker is None and _TABLE_TITLE.search(segs[-1].compact):
        plan.title = plan.title or segs[-1].compact
        return segs[:-1]
    return segs


def _numbered_prose(segs: list[Seg]) -> Builder | None:
    """The prose before a 分工表 read by itself, when it is numbered."""
    return Builder(segs, Run(), None).build() if any(s.marker is not None for s in segs) else None


def _prose_and_table(plan: ImportedPlan, body: list[Seg], table: Table | None, run: Run) -> Builder | TableTasks:
    """A 分工表 (the document's own tables, or ``table`` found in its text), alone or after the prose
    要点 it restates (then the table is the better source) or adds to. What is not imported is said,
    in the document's order: the prose before the table, the table's own warnings, the text after it."""
    marks = [i for i, s in enumerate(body) if s.kind == "table"] if table is None else [table.header_at]
    if not marks:  # the tables lie outside the plan's extent (a notice's attachment list…)
        return Builder([s for s in body if s.kind != "table"], run, None).build()
    prose_segs = _without_table_title(plan, body[:marks[0]])
    after = [s for s in body[marks[0]:] if s.kind != "table"] if table is None else []
    if any(s.marker is not None for s in after):
        # numbered prose goes on after the table ("三、保障措施"): one walk through prose and
        # tables, each table's rows under the heading above it
        return Builder(body, run, None).build()
    prose = _numbered_prose(prose_segs)
    if table is None:
        def read_grids(into: TableTasks | None) -> tuple[TableTasks, Run]:
            result, own = into, Run()
            for index in marks:
                grid, header = body[index].table
                result = build_tasks(grid, header, own.warn, trailing=trailing_units, split=split_items, into=result)
            return result or TableTasks(), own

        alone, alone_run = read_grids(None)

        def join() -> tuple[TableTasks, Run]:
            # the rows go on from the prose's last heading, unless the tables have headings of their own
            stack = [] if alone.sections else [("prose", key) for _, key, _, _ in prose.final_stack]
            return read_grids(TableTasks(counts=dict(prose.final_counts), stack=stack))
    else:
        rows = body[table.body_at:]
        alone = Builder(rows, Run(), table).build()
        alone_run = alone.run

        def join() -> tuple[Builder, Run]:
            joined = Builder(rows, Run(), table, inherit=prose).build()
            return joined, joined.run
    if prose is None or not prose.tasks:
        for seg in prose_segs:
            if not CHROME.match(seg.norm):
                run.warn(seg.no, f"分工表前的文字未导入:{excerpt(seg.raw)}")
        run.warnings += alone_run.warnings
        found = alone
    else:
        found = _prose_or_table(prose, prose_segs, alone, alone_run, join, body[marks[0]].no, run)
    for seg in after:
        if not CHROME.match(seg.norm):
            run.warn(seg.no, f"表格后的文字未导入:{excerpt(seg.raw)}")
    return found


def _prose_or_table(prose: Builder, prose_segs: list[Seg], alone, alone_run: Run, join, empty_at: int,
                    run: Run) -> Builder | TableTasks:
    """Numbered prose before a 分工表 (``alone``: the table read by itself) gives the tasks when the
    table gives none; the table does when it restates the prose or alone names units. Else the table
    adds to the prose: ``join()`` reads its rows on from the prose's last heading."""
    if not alone.tasks:
        run.warnings += prose.run.warnings
        run.warn(empty_at, "分工表中没有读出任务,任务取自正文")
        return prose
    span = line_span(prose_segs[0].no, prose_segs[-1].no)
    restates = _restates(alone, prose)
    # prose that names no unit before a 分工表 that does: the 方案's body (总体要求, "任务见附件",
    # 工作要求) and its attached task table, whose rows are the tasks
    if restates or not prose.any_units and alone.any_units:
        run.warnings += alone_run.warnings
        run.warn(prose_segs[0].no, f"文档同时有正文要点({span})和重述它的分工表,任务取自分工表,正文未导入"
                 if restates else f"正文({span})没有写责任单位,任务取自其后的分工表,正文未导入")
        if restates:
            _borrow_numbers(alone, prose, run)
        return _with_missing(alone, prose, run)
    joined, joined_run = join()
    run.warnings += prose.run.warnings + joined_run.warnings
    return TableTasks(prose.sections + joined.sections, prose.tasks + joined.tasks,
                      prose.any_units or joined.any_units)


def _with_missing(table: Builder | TableTasks, prose: Builder, run: Run) -> Builder | TableTasks:
    """The table's reading, and the prose items it leaves out when it restates the others: a body
    list "1.–6." before a table of five of them keeps the sixth (the table has the units)."""
    by_title = {_title_key(s.title): s.key for s in table.sections}
    titles = {s.key: _title_key(s.title) for s in prose.sections}
    for task in _not_restated(table, prose):
        section = by_title.get(titles.get(task.section or "", ""))
        table.tasks.append(replace(task, section=section, units=list(task.units),
                                   deadline=list(task.deadline)))
        run.warn(task.line, f"正文第{task.line}行的条目在分工表中没有,已按正文导入:{excerpt(task.text)}")
    return table


def _bigrams(text: str) -> set[str]:
    key = _title_key(text)
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _not_restated(table: Builder | TableTasks, prose: Builder) -> list[ImportedTask]:
    """The prose's tasks that no table row repeats, when the rows repeat at least half of them (by
    their words: a row may leave out the item's title or its last full stop); else none."""
    rows = [_bigrams(task.text) for task in table.tasks]
    headings = {_title_key(s.title) for s in table.sections}
    missing = []
    for task in prose.tasks:
        own = _bigrams(task.text)
        if _title_key(split_title(task.text)[0]) in headings or any(
                own and row and len(own & row) >= 0.6 * min(len(own), len(row)) for row in rows):
            continue
        missing.append(task)
    return missing if len(missing) * 2 <= len(prose.tasks) else []


def _title_key(text: str) -> str:
    """A title as compared: without spaces and punctuation."""
    return re.sub(r"[\s,,。.、;;:]", "", fold(text))


def _restates(table: Builder | TableTasks, prose: Builder) -> bool:
    """Whether the table's headings are the prose's headings and items (by title)."""
    if not table.sections:
        return False
    known = {_title_key(s.title) for s in prose.sections}
    known |= {_title_key(split_title(t.text)[0]) for t in prose.tasks}
    return sum(_title_key(s.title) in known for s in table.sections) * 2 >= len(table.sections)


def _self_reference(segs: list[Seg]) -> str | None:
    """"结合我局实际": how the plan names its own body when it is not stated."""
    counts = Counter(match.group() for seg in segs for match in _SELF.finditer(seg.norm))
    return counts.most_common(1)[0][0] if counts else None


def _borrow_numbers(table: Builder | TableTasks, prose: Builder, run: Run) -> None:
    """Table headings written without numbers take the prose heading's number of the same title."""
    numbers = {_title_key(s.title): s.number for s in prose.sections if s.number}
    for section in table.sections:
        if section.number is None:
            section.number = numbers.get(_title_key(section.title))
    prose_tasks, items = len(prose.tasks), sum(1 for s in table.sections if "." in s.key)
    top = sum(1 for s in table.sections if "." not in s.key)
    if items and prose_tasks and items != prose_tasks and top != prose_tasks:
        run.warn(table.tasks[0].line if table.tasks else 0,
                 f"分工表的工作项({items} 项)与正文条目({prose_tasks} 条)数目不一致,请核对")
