"""A published plan document turned into plain data: sections, tasks, their units and deadlines.

The parser reads the structure such documents share, not their wording:

1. lines: blank lines dropped, table rows written with | or tabs split into cells, hard-wrapped
   text (PDF copies) rejoined, page markers ("2、" cut into a sentence where it does not continue
   the numbering, a document-sharing copy's run of page numbers, "- 3 -") removed and the sentence
   they cut rejoined, headings run into one line ("二、X (一)Y…") split apart;
   a document that lost its line breaks split at its numbering where a sentence, a unit bracket
   or a heading's short title ends before the next number of its style;
2. the plan itself: its title line (the one the cover notice announces; where "(此件公开发布)" ends
   the notice, the title as the page repeats it there, or none; a notice that is itself the plan
   keeps its own title), everything before it (web-page chrome, field tables, the notice's heading,
   its signature and date) read for metadata only, and the tail (抄送, 印发, page chrome, a sharing
   site's banner under the text) cut off; a notice with nothing of a plan after it (an excerpt cut
   inside it: its own "一、二、" are requests to its recipients) is all front matter;
3. a division-of-labour table (header cells 工作任务 / 具体要求 / 责任单位 / 时限要求 …) is the better
   source when there is one: prose before it is reported, not imported (but an item left out of
   a table that restates the others is kept);
4. structure: numbering styles take levels in the order they first appear; an item with deeper
   items below it (or whose siblings have them, unless it is a sentence by itself) is a heading,
   the rest are tasks — except the plan's introduction (总体要求, 工作目标 …), never a task even
   when nothing follows it; unnumbered paragraphs continue the open task or form one; unit phrases
   close tasks — at the end of an item "(责任单位:…)" (a bracket followed by more text ends one
   task and starts the next), or on a line of their own for every task since the previous unit
   line; one cut off where a web-page excerpt ends still names what it can, with a warning.

Anything it skips or is unsure of becomes a warning ``(line, message)``; text is never dropped
silently.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from gktrack.domain.deadlines import find_deadline_phrases
from gktrack.domain import numerals
from gktrack.errors import InputError
from gktrack.features.importer.sources import Document, Line
from gktrack.features.limits import MAX_TASK_TEXT
from gktrack.features.importer.table import (
    Grid,
    Header,
    DEADLINE,
    UNIT_ROLES,
    TableTasks,
    build_tasks,
    cell_deadlines,
    deadline_cell,
    find_header,
    header_role,
    known_deadline,
    settle_roles,
    text_grids,
)
from gktrack.features.importer.text import (
    CJK,
    DATE,
    DATE_LINE,
    TRADITIONAL,
    Marker,
    excerpt,
    fold,
    marker_at_start,
    markers_inside,
    simplified,
    strip_pinyin_glosses,
    tidy,
    tidy_lines,
    to_date,
)
from gktrack.domain.model import UnitRef
from gktrack.features.importer.result import ImportedPlan, ImportedSection, ImportedTask
from gktrack.domain.unitphrase import (
    UNIT_LABEL_KINDS,
    UNIT_LABEL_WORD,
    is_body_name,
    looks_like_unit_phrase,
    parse_unit_phrase,
    split_cut_name,
    text_problem,
)


# ---- patterns ---------------------------------------------------------------------------------

_STRIP = " \t\r\n\u3000\xa0\ufeff\u200b\u2002\u2003\x0b\x0c"
_TERMINAL = "。!?;:)〕」』”’》】…"   # a line ending so ends a sentence (folded text)
# Web-page furniture: labelled fields anywhere, short widgets only when the line is just that.
_CHROME = re.compile(
    r"^(?:•\s*)?(?:索引号|主题分类|公开方式|公开范围|公开时限|有效性|发布机构|信息来源|来源|作者|发布(?:时间|日期)"
    r"|浏览(?:量|次数)|阅读(?:量|次数)|点击(?:量|数)|字\s*体|字号|责任编辑|分享到?"
    r"|编辑|审核|校对|[初复终]审|排版|美编)\s*[:【]"
    r"|^(?:无障碍|长者(?:模式|助手)|适老化?|分享到?|微信|微博|QQ空间|扫一扫|【?\s*(?:打印|关闭)(?:本页|窗口)?\s*】?"
    r"|收藏|返回顶部|您当前的位置|当前位置|首页\s*[>›]|上一篇|下一篇|相关(?:链接|文章|阅读|附件)|网站地图|Baidu|map"
    r"|附件下载|【\s*(?:大|中|小)\s*】"
    # a WeChat article's furniture: its call to follow, its end mark, its footer links
    r"|点击(?:上方)?蓝字|关注我们|END|阅读原文|点个?在看|分享收藏)(?=.{0,20}$)"
    # a site's footer: who runs it, its licence numbers, how to reach it
    r"|^(?:主办单位|承办单位|版权所有|技术支持|网站标识码|地址|邮编|联系人|联系电话|联系方式|网站监督|建议使用|日期)[^:]{0,6}:"
    r"|.*(?:ICP备|公网安备|网站标识码|版权所有|分辨率)"
    # document-sharing sites: "《X.docx》由会员分享,可在线阅读,更多相关…请在…上搜索。"
    r"|.*(?:由会员分享|可在线阅读|免费下载|原创力文档|道客巴巴|豆丁网|百度文库|taowenge|book118|docin|doc88)"
)
# A document-sharing site's banner where the excerpt ends ("消耗 1 篇素材配额,会员有效期内无限次查看",
# "下载后继续阅读", "登录 | 注册"): a short unnumbered line, no sentence, about the reader's account
# or the download. Looked for only below the last task: a table cell or a task may well say "下载".
_SITE_BANNER = re.compile(r"^(?![(\d一二三四五六七八九十])(?=[^。]{0,40}$).*(?:下载|登录|注册|会员|VIP|配额|积分|付费|充值"
                          r"|阅读全文|继续阅读|查看全文|展开全文|无限次)")
_TRAILER = re.compile(r"^(?:抄送|抄报|印送|报送)\s*:|^\(此件|^扫一扫|^(?:【\s*)?(?:打印|关闭)(?:本页|窗口)")
_ISSUED_TRAILER = re.compile(r"(?P<date>" + DATE.pattern + r")\s*印发\s*$")
_PLAN_WORD = re.compile(
    r"(?:要点|方案|分工|分工表|任务表|分解表|任务分解|一览表|清单|台账|计划|工作安排|意见|细则|规定)"
    r"(?:\((?:试行|征求意见稿|送审稿|草案|修订|\d{4}\s*年?度?)\))?$")
_NOTICE_WORD = re.compile(r"通知|印发|^关于|^附件|[:《》]")
# a title's year, and the looser words a plan's own title may end in when it opens the text
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年|[〇零一二三四五六七八九○]{4}年")
_OWN_WORD = re.compile(r"(?:任务|工作重点|重点工作|措施|举措|安排)$")
_ADDRESSEE = re.compile(r"^各[^。]{1,80}:$")
# How a page repeats the plan's title under its notice: "附件1:X", "关于印发X的通知", "《X》的通知"
_DECORATION = re.compile(r"(?:附件\d{0,2}:?)?(?:关于印发|印发)?《?(?P<t>[^《》]+?)》?(?:的通知|通知)?")
# "(此件公开发布)", "(此件主动公开)": the last line of a cover notice
_NOTICE_CLOSE = re.compile(r"^\(此件[^()]{0,12}\)$")
_ATTACHMENT = re.compile(r"^附件\d{0,2}:?$")
# "关于印发X的通知": the name the cover notice gives the plan
_NOTICE_TITLE = re.compile(r"印发(?P<t>[^《》。]{4,60}?)的\s*通\s*知")
# the sentence by which a cover notice issues the plan, and the notice's closing request
_ISSUING = re.compile(r"印发给你们|现印发|现将.{0,40}印发")
_NOTICE_BODY = re.compile(_ISSUING.pattern + r"|请.{0,10}(?:贯彻|遵照|认真)")
# "并提出如下工作要求", "现就有关事项通知如下:": the notice announces numbered points of its own
_OWN_POINTS = re.compile(r"(?:如下|以下)(?!简称)")
_DOC_NUMBER = re.compile(rf"[{CJK}A-Za-z]{{1,12}}\s*[〔\[(【﹝]\s*\d{{4}}\s*[〕\])】﹞]\s*第?\s*\d{{1,4}}\s*号")
# where a notice's heading block gives its 文号 outside a field: opening the line ("X〔2019〕33号:关于印发…",
# "X〔2019〕33 号 某市人民政府办公室 关于…"), or in brackets after the notice's title ("…的通知(X〔2017〕2号)")
_NUMBER_OPENING = re.compile(_DOC_NUMBER.pattern + r"(?=$|\s|:)")
_NUMBER_CLOSING = re.compile(r"通\s*知\s*\(\s*(?P<n>" + _DOC_NUMBER.pattern + r")\s*\)$")
_URL = re.compile(r"https?://[^\s<>\"'，。、）)]+")
_LABEL_WORDS = r"发文机关|发文单位|制发机关|发布机构|发文字号|文件编号|发文编号|文\s*号|成文日期|印发日期|标\s*题"
_LABEL = re.compile(rf"^(?P<label>{_LABEL_WORDS})\s*:\s*(?P<value>.*)$")
# a page's field table whose labels are bracketed cells: "[ 发文字号 ] | X", "【发文机关】X"
_BRACKET_LABEL = re.compile(rf"^[\[【]\s*(?P<label>{_LABEL_WORDS})\s*[\]】]\s*:?\s*(?P<value>.*)$")
_ORG_END = r"(?:办公室|办公厅|人民政府|政府|委员会|管委会|办事处|联合会|局|厅|委|办|中心)"
# the body a title names before its year: "某市残疾人联合会2024年政务公开…"
_TITLE_ORG = re.compile(rf"^(?P<org>[{CJK}()]{{2,40}}?{_ORG_END})(?=(?:19|20)\d{{2}}\s*年)")
# a site's name line: "某县人民政府 www.… 发布时间:"
_SITE_ORG = re.compile(rf"^(?P<org>[{CJK}()]{{2,40}}?{_ORG_END})\s+(?:https?://)?www\.")
_CRUMB = re.compile(r"\s*(?:>>|[>›»])\s*")
_ORG_BEFORE_ABOUT = re.compile(
    rf"^(?P<org>[{CJK}()]{{2,40}}?(?:办公室|人民政府|政府|委员会|管委会|办事处|局|厅|委|办|中心))(?:关于|印发)")
# a field label written without its colon before a notice's title in a page's table ("标题 X关于…")
# a notice's own title (not one that issues or forwards another document): "X关于Y的通知"
_OWN_NOTICE = re.compile(rf"^(?:[{CJK}()]{{2,40}}?(?:办公室|人民政府|政府|委员会|管委会|办事处|局|厅|委|办|中心))?"
                         r"关于(?!印发|转发)[^。,;:]{2,80}?的通知")
_BARE_TITLE_LABEL = re.compile(r"^(?:标\s*题|内容概述|(?:文件)?名\s*称)\s+")
# a sentence's opening words, where a body's name never starts ("为深入贯彻落实某省人民政府办公厅关于…")
_VERB_OPENING = re.compile(r"^(?:为|根据|按照|依据|关于|印发|贯彻|落实|推进|全面|深化|加强|做好|进一步)")
# A "label:" where a page's field starts: the line's start, or after a space ("发布机构: X 生成日期: Y")
_FIELD_START = re.compile(rf"^(?:[•·\-]\s*)?[{CJK}]{{2,8}}\s*:")
_FIELD = re.compile(rf"(?:^|(?<=\s))(?:[•·\-]\s*)?(?P<label>[{CJK}][{CJK}\s]{{1,7}}?)\s*:")
_SELF = re.compile(r"我(?P<body>局|委|办|厅|镇|乡|区|县|市|中心|院|所|街道|单位)")

_UNIT_LABEL = re.compile(rf"^[(]?\s*{UNIT_LABEL_WORD}\s*:")
_ROLE_NEUTRAL_LABEL = re.compile(rf"^\s*责任(?:{UNIT_LABEL_KINDS})\s*:\s*")
_ROLE_END = re.compile(r"(?:牵头(?:负责)?|配合(?:落实)?|负责|落实|协助)$")
# A labelled unit bracket left inside a task's text: the phrase in it could not be split.
_LEFT_UNIT_BRACKET = re.compile(rf"\(\s*{UNIT_LABEL_WORD}\s*:[^()]*\)")
# "牵头负责领导:张三": a person, kept as a note on the task above, never a unit
# "以上工作由X牵头,Y配合。", "以上第5-7项由X负责。": a unit line for the items above it — all of
# them since the previous unit line, or those numbered first..last.
_ABOVE = re.compile(r"^以上\s*(?:第?\s*(?P<first>\d{1,3})\s*[-—–~至到]\s*第?\s*(?P<last>\d{1,3})\s*(?:项|条)|各项|几项|\d{1,2}项)?"
                    r"\s*(?:工作|任务|事项|内容|措施)?\s*(?:均|统一|都|分别)?\s*由\s*")
# "本部分工作由X牵头,Y配合。" under a heading: the units of every item of that section (the items
# come after it, so it cannot wait for them like "以上…"); an item naming its own units keeps them.
_SECTION_WIDE = re.compile(r"^(?:本|该|此)(?:部分|章|节|方面|板块|领域|项)\s*(?:工作|任务|事项|内容|措施)?\s*"
                           r"(?:均|统一|都|总体)?\s*由\s*")
_LEADER_LINE = re.compile(r"^[(]?\s*(?:牵头|分管|联系|责任)?(?:负责)?(?:领导|责任人|联系人)\s*:")
# The labels a deadline goes by, on a line of its own or among an item's labelled parts.
_TIME_WORDS = r"(?:责任|完成)?时限(?:要求)?|时间要求|完成时间|完成期限|时间节点"
_DEADLINE_LABEL = re.compile(rf"^(?:{_TIME_WORDS})\s*:\s*(?P<rest>.+)$")
_HEADER_WORDS = {
    "序号", "编号", "工作任务", "重点任务", "主要任务", "任务", "工作内容", "任务内容", "具体要求", "工作要求",
    "主要内容", "具体内容", "具体措施", "工作措施", "具体任务", "责任单位", "牵头单位", "配合单位", "责任部门",
    "牵头部门", "配合部门", "协办单位", "时限要求", "完成时限", "完成时间", "时间节点", "时间要求", "进度安排",
    "备注", "一级要点", "二级要点", "三级要点", "类别", "项目", "工作项目", "事项",
}
# the column names among them as the table model reads them
_UNIT_COLUMNS = {word for word in _HEADER_WORDS if header_role(word) in UNIT_ROLES}
_TIME_COLUMNS = {word for word in _HEADER_WORDS if header_role(word) == DEADLINE}
_TEXT_COLUMNS = {"具体要求", "工作要求", "主要内容", "具体内容", "具体措施", "工作措施", "具体任务", "工作内容",
                 "任务内容", "工作任务", "重点任务", "主要任务", "任务", "事项"}
_BARE_PAGE = re.compile(
    r"^(?:[-—–_~]+\s*\d{1,3}\s*[-—–_~]+|第\s*\d{1,3}\s*页(?:\s*[,/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|\d{1,3}\s*[、.]?)$")
_PREAMBLE_TITLES = re.compile(
    r"^(?:总体要求|指导思想|工作目标|主要目标|总体目标|基本原则|工作原则|总体思路|工作思路|编制依据|适用范围)$")
_TABLE_TITLE = re.compile(r"(?:分工表|任务表|分解表|清单|台账|一览表)$")


# ---- lines and segments -----------------------------------------------------------------------

@dataclass
class _Seg:
    no: int
    raw: str
    norm: str = ""
    marker: Marker | None = None
    kind: str = "para"
    level: int = -1
    above: tuple[int, int] | None = None  # "以上第5-7项由…": the item numbers a unit line is for
    whole_section: bool = False  # "本部分工作由…": a unit line for every item of its section
    detail: bool = False  # a "●" line under a whole task: part of that task's text
    indent: int = 0  # leading spaces of the source line: paragraph starts in wrapped text
    outline: int | None = None  # the heading level the file gives the line (``Line.outline``)
    # where each source line starts inside ``raw`` once lines are joined: [(offset, line)]
    starts: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        lead = len(self.raw) - len(self.raw.lstrip(_STRIP))
        self.raw = self.raw.strip(_STRIP)
        self.norm = fold(self.raw)
        starts = [(max(0, offset - lead), no) for offset, no in self.starts] or [(0, self.no)]
        self.starts = [item for item in starts if item[0] < max(1, len(self.raw))]

    def piece(self, begin: int, end: int) -> "_Seg":
        """raw[begin:end] as a segment that knows which line it starts on."""
        line = self.line_at(begin)
        inside = [(offset - begin, no) for offset, no in self.starts if begin < offset < end]
        return _Seg(line, self.raw[begin:end], starts=[(0, line)] + inside)

    def line_at(self, offset: int) -> int:
        return max((item for item in self.starts if item[0] <= offset), default=(0, self.no))[1]

    @property
    def body(self) -> str:
        """The text after the numbering, as written."""
        return self.raw[self.marker.end:].strip(_STRIP) if self.marker else self.raw

    @property
    def compact(self) -> str:
        return re.sub(r"\s+", "", self.norm)


class _TooLong(Exception):
    """A task's text grew past ``MAX_TASK_TEXT``: the one that starts at ``line``."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _check_length(task: ImportedTask, more: str) -> None:
    """Refuse to add ``more`` to a task that would then be longer than any task is: every
    paragraph added makes the parser read the task's end again (the time would grow with the
    square of its length), and such a task means the document's numbering was not understood."""
    if len(task.text) + 1 + len(more) > MAX_TASK_TEXT:
        raise _TooLong(task.line)


class _Run:
    """Everything one parse collects, and the warnings it owes the user."""

    def __init__(self) -> None:
        self.warnings: list[tuple[int, str]] = []
        self.cut_units = False  # the cut-off end was read as a unit list, and said so
        self.preamble: list[str] = []  # the parts skipped as the plan's introduction ("总体要求")
        self.notice_only = False  # the text is a cover notice and nothing of the plan it issues

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, " ".join(message.split())))


# Spaces a page's encoding turned into "?": "??????  某区人民政府办公室", "2023年7月7日???????"
_PADDING = re.compile(r"^\?{2,}|\?{2,}$")


def _segments(doc: Document) -> list[_Seg]:
    """Non-blank lines; a table row written with | or tabs becomes one segment per cell."""
    segs = []
    for line in doc.lines:
        text = _PADDING.sub("", line.text.strip(_STRIP)).strip(_STRIP)
        if not text:
            continue
        folded = fold(text)
        # a table row: "| a | b |" or "a | b | c", or cells copied with tabs (not "网|图纸" in a banner)
        if re.search(r"^\||\|$|\s\|\s.*\|", folded) or "\t" in text:
            cells = re.split(r"\s*\|\s*|\t+", text)
            cells = [cell for cell in cells if cell.strip(_STRIP) and not re.fullmatch(r"[-:\s|]+", cell)]
            if not cells:
                continue  # a markdown rule "---|---|"
            segs += [_Seg(line.no, cell) for cell in cells]
        else:
            seg = _Seg(line.no, text)
            seg.indent = len(line.text) - len(line.text.lstrip(_STRIP))
            seg.outline = line.outline
            segs.append(seg)
    return segs


def _ends_sentence(norm: str) -> bool:
    return not norm or norm[-1] in _TERMINAL


class _Joined:
    """A segment and the ones joined after it, each from an offset (past a page marker), made one
    ``_Seg`` once all are known: joined one at a time, every join would copy (and fold) the text so
    far, and a document of a thousand wrapped lines would take minutes."""

    def __init__(self, first: _Seg) -> None:
        self.no = first.no
        self.parts = [first.raw]
        self.starts = list(first.starts)
        self.length = len(first.raw)

    def add(self, second: _Seg, skip: int = 0) -> None:
        rest = second.piece(skip, len(second.raw))
        length = self.length + len(rest.raw)
        # as each join's _Seg would keep them: the starts inside its text
        self.starts += [(self.length + offset, no) for offset, no in rest.starts
                        if self.length + offset < max(1, length)]
        self.parts.append(rest.raw)
        self.length = length

    def ends_sentence(self) -> bool:
        """``_ends_sentence`` of the joined text's ``norm``."""
        last = next((part for part in reversed(self.parts) if part), "")
        return _ends_sentence(fold(last[-1:]))

    def seg(self) -> _Seg:
        return _Seg(self.no, "".join(self.parts), starts=self.starts)


class _Out(list):
    """The segments a pass keeps; the last may be a ``_Joined`` still growing."""

    joining: _Joined | None = None

    def join_last(self, seg: _Seg, skip: int = 0) -> None:
        if self.joining is None:
            self.joining = _Joined(self[-1])
        self.joining.add(seg, skip)

    def last_ends_sentence(self) -> bool:
        return self.joining.ends_sentence() if self.joining else _ends_sentence(self[-1].norm)

    def last_width(self, width_of) -> int:
        return self.joining.length if self.joining else width_of(self[-1])  # a joined one has no indent

    def append(self, seg: _Seg) -> None:
        self.done()
        super().append(seg)

    def done(self) -> "_Out":
        if self.joining is not None:
            self[-1] = self.joining.seg()
            self.joining = None
        return self


def _rejoin_wrapped(segs: list[_Seg]) -> list[_Seg]:
    """Text copied from a PDF breaks every line at the page width: rejoin those paragraphs.

    Such text has many lines of one (maximal) length; a full line continues on the next one
    unless that one starts with numbering or is indented as a new paragraph.
    """
    def width_of(seg: _Seg) -> int:
        return len(seg.raw) + seg.indent

    lengths = [width_of(s) for s in segs if len(s.raw) >= 6]
    if len(lengths) < 6:
        return segs
    width = max((n for n, count in Counter(lengths).items() if count >= 0.2 * len(lengths)), default=0)
    near = sum(1 for n in lengths if width - 2 <= n <= width)
    longer = sum(1 for n in lengths if n > width + 2)
    full = [s for s in segs if width - 2 <= width_of(s) <= width and len(s.raw) >= 6]
    # Wrapped prose breaks mid-sentence; repeated full-width lines are table cells.
    cut = sum(1 for s in full if not _ends_sentence(s.norm) and not looks_like_unit_phrase(s.raw))
    if width < 10 or near < 0.4 * len(lengths) or near < 6 or longer > 0.1 * len(lengths) \
            or len({s.compact for s in full}) < 0.8 * len(full) or cut < 0.5 * len(full):
        return segs
    indented = sum(1 for s in segs if s.indent) >= 3
    out = _Out()
    for seg in segs:
        if (out and out.last_width(width_of) >= width - 1 and not (indented and seg.indent)
                and marker_at_start(seg.raw, seg.norm) is None and not DATE_LINE.match(seg.norm)):
            out.join_last(seg)
        else:
            out.append(seg)
    return list(out.done())


# the brackets an item may end with: "…公开。〔责任单位:县财政局〕", "【牵头单位:X】", "(X负责)"
_CLOSING = ")〕】"


def _cuts_sentence(prev: _Seg | None) -> bool:
    """Whether a number after ``prev`` cuts a sentence: ``prev`` stops mid-sentence, not at a full
    stop, a closed bracket, a unit phrase or a heading (headings end without punctuation)."""
    if prev is None or _ends_sentence(prev.norm):
        return False
    return not looks_like_unit_phrase(prev.raw) and not _heading_line(prev)


def _mid_sentence(prev: _Seg | None) -> bool:
    """Whether the line before a marker stops in the middle of a sentence (a page of text does;
    a heading or a table cell without a full stop is short)."""
    if prev is None or len(prev.norm) < 50 or not _cuts_sentence(prev):
        return False
    marker = marker_at_start(prev.raw, prev.norm)
    if marker and len(prev.norm) - marker.end <= 40:
        return False  # a heading: headings end without punctuation
    return True


def _heading_line(seg: _Seg) -> bool:
    """A numbered heading ("三、保障措施"): whole without a full stop, so it cuts no sentence."""
    marker = marker_at_start(seg.raw, seg.norm)
    return marker is not None and marker.style != "n" and len(seg.norm) - marker.end <= 30 and "。" not in seg.norm


def _page_chain(segs: list[_Seg], indexes: list[int], values: dict[int, int]) -> bool:
    """Whether the numbers at ``indexes`` number the pages of a document-sharing copy ("1、…重大行政",
    "2、决策法定程序…"): consecutive, the first at the page's start (after nothing, the site's
    banner or a cut sentence), the others cutting sentences — mostly; a page may end at a full
    stop, never at a heading or a closed bracket — and the pages between them of about one length
    (a site cuts its pages by size; items are as long as what they say)."""
    ordered = [values[i] for i in indexes]
    if len(indexes) < 2 or any(b != a + 1 for a, b in zip(ordered, ordered[1:])):
        return False
    first = segs[indexes[0] - 1] if indexes[0] else None
    if first is not None and not _CHROME.match(first.norm) and not _mid_sentence(first):
        return False
    rest = [segs[i - 1] for i in indexes[1:]]
    mid = sum(1 for prev in rest if _mid_sentence(prev))
    if mid < max(1, 0.6 * len(rest)) or any(
            _heading_line(prev) or prev.norm.rstrip()[-1:] in _CLOSING or len(prev.norm) < 50 for prev in rest):
        return False
    pages = [sum(len(seg.norm) for seg in segs[a:b]) for a, b in zip(indexes, indexes[1:])]
    return min(pages) >= 100 and min(pages) >= 0.6 * max(pages)


def _remove_page_markers(segs: list[_Seg], run: _Run, table_numbers: bool) -> list[_Seg]:
    """Page numbers cut into the text ("…重大行政\\n2、决策法定程序…", "- 3 -") removed, sentences rejoined."""
    removed: list[tuple[int, str]] = []
    # Arabic "N、"/"N." at line starts: a chain of them that mostly interrupts sentences is pagination.
    candidates: dict[str, list[int]] = {}
    for index, seg in enumerate(segs):
        marker = marker_at_start(seg.raw, seg.norm)
        if marker and marker.style == "n":
            candidates.setdefault(fold(marker.text)[-1], []).append(index)
    page_lines: set[int] = set()
    for indexes in candidates.values():
        values = {i: marker_at_start(segs[i].raw).value for i in indexes}
        if _page_chain(segs, indexes, values):
            page_lines.update(indexes)
            continue
        # One by one: a number that cuts a sentence and does not continue the item numbering.
        last = 0
        for i in indexes:
            if _cuts_sentence(segs[i - 1] if i else None) and values[i] not in (1, last + 1):
                page_lines.add(i)
            else:
                last = values[i]
    out = _Out()
    join_next = join_heading = False
    for index, seg in enumerate(segs):
        if index in page_lines:
            marker = marker_at_start(seg.raw)
            removed.append((seg.no, marker.text))
            if out and not out.last_ends_sentence():
                out.join_last(seg, marker.end)
            else:
                out.append(seg.piece(marker.end, len(seg.raw)))
            continue
        following = segs[index + 1] if index + 1 < len(segs) else None
        if re.fullmatch(r"0[1-9]", seg.norm) and following is not None \
                and "。" not in following.norm and len(following.norm) <= 30 \
                and marker_at_start(following.raw, following.norm) is None:
            # "01" on a line of its own above a short title (a WeChat article's section marker): it
            # numbers that title, written "01 title" so it reads as a heading, not a page number
            out.append(seg)
            join_heading = True
            continue
        if join_heading:
            join_heading = False
            last = out.pop()
            joined = _Seg(last.no, last.raw + " " + seg.raw.strip(_STRIP),
                          starts=[(0, last.no), (len(last.raw) + 1, seg.no)])
            out.append(joined)
            continue
        if _BARE_PAGE.match(seg.norm) and not (table_numbers and re.fullmatch(r"\d{1,3}", seg.norm)):
            removed.append((seg.no, seg.raw))
            join_next = bool(out) and not out.last_ends_sentence()
            continue
        if join_next and marker_at_start(seg.raw, seg.norm) is None and not looks_like_unit_phrase(seg.raw):
            out.join_last(seg)
        else:
            out.append(seg)
        join_next = False
    out.done()
    if removed:
        shown = "、".join(f"“{text}”" for _, text in removed[:5]) + ("等" if len(removed) > 5 else "")
        run.warn(removed[0][0], f"删除页码标记 {len(removed)} 处({shown}),被截断的句子已接合")
    return list(out)


class _Numbering:
    """Which numbering styles are live, to tell a real inline heading from a number in a sentence."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.last: dict[str, int] = {}

    def fits(self, marker: Marker) -> bool:
        if marker.style in self.last:
            return marker.value == self.last[marker.style] + 1
        return marker.value == 1

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
            self.last.pop(deeper, None)


def _bullet_details(segs: list[_Seg]) -> None:
    """"●"/"■" lines are items under a heading ("01 标题", "二、平台建设"), but under a numbered item
    that is already a whole task — a sentence, or its own unit bracket — they are that task's details:
    their bullet is then no numbering."""
    owner: _Seg | None = None
    for seg in segs:
        marker = seg.marker
        if marker is None:
            continue
        if marker.style != "bullet":
            owner = seg
            continue
        if owner is not None and owner.marker is not None and (
                "。" in owner.norm or len(owner.norm) - owner.marker.end > 30
                or _trailing_units(owner.raw) is not None):
            seg.marker, seg.detail = None, True


def _closes_unit_bracket(raw: str) -> bool:
    """Whether ``raw`` ends with a unit bracket ("…公开。(县编办牵头落实)"): it ends an item."""
    norm = fold(raw).rstrip(_STRIP).translate(_BRACKET_FOLD)
    last = max(_top_brackets(norm), default=None) if norm.endswith(")") else None
    if last is None or last[1] != len(norm) - 1:
        return False
    return _unit_phrase(raw[last[0] + 1:last[1]], bracketed=True) is not None


def _short_title(norm: str) -> bool:
    """A heading's title with nothing after it yet ("工作任务" in "二、工作任务(一)…"): a few
    Chinese characters, no punctuation, no digits."""
    core = norm.strip()
    return 2 <= len(core) <= 20 and re.fullmatch(rf"[{CJK}]+", core) is not None


def _plan_title(norm: str) -> bool:
    """Whether a line's text before its first item is the plan's title ("某县2024年政务公开工作要点")."""
    core = norm.strip()
    return 5 <= len(core) <= 60 and "。" not in core and _PLAN_WORD.search(core) is not None \
        and not _NOTICE_WORD.search(core)


def _after_title(before: str, start: int, head: Marker | None, found: Marker, numbering: _Numbering) -> bool:
    """Whether the marker ``found`` follows a title that lost its line break: a heading's short
    title ("二、工作任务(一)…", ``start`` is where the heading's text starts), the plan's title opening
    the line ("某县2024年政务公开工作要点一、…"), or an unnumbered part's title after a sentence
    ("…。主要任务深化重点领域信息公开1.…")."""
    if head is not None and _short_title(before[start:]) and numbering.deeper(found, head):
        return True
    if head is None and start == 0 and _plan_title(before):
        return True
    stop = max(before.rfind(mark) for mark in "。!?;")
    return stop >= 0 and _short_title(before[stop + 1:]) and _PART_TITLE.match(before[stop + 1:].strip()) is not None


def _split_inline(segs: list[_Seg]) -> list[_Seg]:
    """"二、推动政务阳光透亮 (一)依据…。 (二)根据…" -> one segment per heading or item.

    A marker inside a line starts an item where a sentence ends before it ("。", "!", ";", a space,
    a unit bracket "(X牵头)") or right after a heading's short title ("二、工作任务(一)…"), and only
    when it is the next number of its style: "第3条", "(1)" in a sentence or "2024.1." are not.
    """
    numbering = _Numbering()
    out: list[_Seg] = []
    for seg in segs:
        marker = marker_at_start(seg.raw, seg.norm)
        if marker:
            numbering.take(marker)
        start = marker.end if marker else 0
        head = marker  # the marker of the piece being read
        cuts = []
        bodies = [start] if marker else []  # where each numbered piece's own text starts
        for position, found in sorted(markers_inside(seg.norm, seg.raw), key=lambda item: item[0]):
            if position < start or not seg.norm[position + len(found.text):].strip():
                continue
            before = seg.norm[:position]
            if not before.strip():
                continue
            if not (before[-1].isspace() or before[-1] in "。!?;" or before[-1] == ")"
                    and _closes_unit_bracket(seg.raw[:position]) or _after_title(before, start, head, found, numbering)):
                continue
            if not numbering.fits(found):
                continue
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
        out += [seg.piece(a, b) for a, b in zip(bounds, bounds[1:]) if seg.raw[a:b].strip(_STRIP)]
    for seg in out:
        seg.marker = marker_at_start(seg.raw, seg.norm)
    return out


# ---- where the plan is, and what the pages say about it ---------------------------------------

def _dedouble(text: str) -> str:
    """"X方案X方案" (a page header glued to the title) -> "X方案"."""
    half = len(text) // 2
    if len(text) % 2 == 0 and text[:half] == text[half:]:
        return text[:half]
    return text


def _undecorated(text: str) -> str:
    """"附件:X", "关于印发X的通知", "《X》的通知": X, the plan's own title, as a page repeats it."""
    match = _DECORATION.fullmatch(text)
    return match.group("t") if match else text


def _title_text(segs: list[_Seg], index: int, decorated: bool = False,
                opening: bool = False) -> tuple[str, int] | None:
    """The plan title starting at ``index`` (one line, or two when it is broken): (title, lines).

    ``decorated``: where the notice has just ended, the title may come as the page repeats it
    ("X的通知", "附件:X") and may be broken before "的通知". ``opening``: the first line of the
    text, where a title with its year may name the plan more loosely ("某局2024年政务公开重点任务")."""
    def plan_named(text: str) -> bool:
        return bool(_PLAN_WORD.search(text) or opening and _YEAR.search(text) and _OWN_WORD.search(text))

    def plain(seg: _Seg) -> bool:
        return seg.marker is None and "。" not in seg.norm and not _CHROME.match(seg.norm) \
            and not re.match(r"\d{1,2}[.、]", seg.norm) and not re.match(r"^[(〔【].*[)〕】]$", seg.norm)

    seg = segs[index]
    if not plain(seg):
        return None
    following = segs[index + 1].compact if index + 1 < len(segs) else ""
    if following.startswith(("的通知", "通知")):
        if decorated and following in ("的通知", "通知"):
            text = _undecorated(_dedouble(seg.compact))
            if 5 <= len(text) <= 60 and _PLAN_WORD.search(text) and not _NOTICE_WORD.search(text):
                return text, 2
        return None
    candidates = [(seg.compact, 1)]
    if index + 1 < len(segs) and plain(segs[index + 1]) and len(seg.compact) <= 30 and len(following) <= 20 \
            and not DATE_LINE.match(seg.norm) and not _is_signature(seg):
        after = segs[index + 2].compact if index + 2 < len(segs) else ""
        if not after.startswith(("的通知", "通知")):
            candidates.append((seg.compact + following, 2))
    for text, count in candidates:
        # a file name's extension ("X细则.docx" on a document-sharing page), a column's tag ("【专栏】X")
        text = _dedouble(_TITLE_TAG.sub("", _FILE_EXTENSION.sub("", text)))
        if decorated:
            text = _undecorated(text)
        # two short lines ("政策文件" "规划计划", a site's menu) are no broken title: a title broken
        # in two is a long one, and its first line stops mid-title, not on a word like "计划"
        if count == 2 and (len(text) < 12 or (_PLAN_WORD.search(seg.compact) and _PLAN_WORD.search(following))):
            continue
        # a second line that opens with a place ("上海市…规定") starts a title of its own: the line
        # above it is page furniture, not the title's first half
        if count == 2 and _PLACE_OPENING.match(following):
            continue
        if 5 <= len(text) <= 60 and plan_named(text) and not _notice_named(text):
            return text, count
    return None


def _notice_named(text: str) -> bool:
    """Whether a title line names a notice, not a plan: "关于X的实施意见" is a plan's own title
    unless X itself is a notice's words."""
    return bool(_NOTICE_WORD.search(text[2:] if text.startswith("关于") else text))


_FILE_EXTENSION = re.compile(r"\.(?:docx?|wps|pdf|xlsx?|txt)$", re.IGNORECASE)
_TITLE_TAG = re.compile(r"^【[^【】]{1,12}】")
_PLACES = re.compile(rf"(?:[{CJK}]{{1,8}}?(?:自治区|自治州|自治县|省|市|区|县|州|盟|旗|镇|乡|街道))+")
_PLACE_OPENING = re.compile(rf"(?![全本各该])[{CJK}]{{1,6}}?(?:省|市|区|县|镇|乡|街道)")
# Where a plan's title may end when the text runs on after it on the same line.
_TITLE_END = re.compile(r"要点|方案|分工表?|任务表|分解表|一览表|清单|台账|计划|工作安排|重点任务")


def _split_opening_title(segs: list[_Seg]) -> list[_Seg]:
    """"某县2018年政务公开工作要点实施方案为深入贯彻…": a text whose line breaks were lost opens
    with the plan's title run into its first sentence; the title becomes a line of its own."""
    at = next((i for i, seg in enumerate(segs) if not _CHROME.match(seg.norm)), None)
    if at is None or segs[at].marker is not None or _title_text(segs, at, opening=True) \
            or _NOTICE_BODY.search(segs[at].norm):  # "X要点已经县政府同意,现印发给你们": the notice
        return segs
    seg = segs[at]
    end = None
    for match in _TITLE_END.finditer(seg.norm[:60]):
        prefix, after = seg.norm[:match.end()], seg.norm[match.end():]
        if end is not None and match.start() - end > 4:
            break  # the sentence has begun: "…方案为贯彻落实…要点" is no longer the title
        if re.search(r"[,。;:、!?\s]", prefix) or _NOTICE_WORD.search(prefix) or not _YEAR.search(prefix) \
                or len(prefix) < 5 or len(after) < 20 or not re.match(rf"[{CJK}]", after) or after[0] in "的之和与及等":
            if end is not None:
                break
            continue
        end = match.end()
    if end is None:
        return segs
    return segs[:at] + [seg.piece(0, end), seg.piece(end, len(seg.raw))] + segs[at + 1:]


def _is_signature(seg: _Seg) -> bool:
    try:
        units = parse_unit_phrase(seg.raw)
    except InputError:
        return False
    return len(units) == 1 and looks_like_unit_phrase(seg.raw) and not _ROLE_END.search(seg.norm)


def _locate(segs: list[_Seg], run: _Run) -> tuple[int, int, str | None, int]:
    """(first body segment, end, plan title, index of the title or -1)."""
    has_structure_after = [False] * (len(segs) + 1)
    for index in range(len(segs) - 1, -1, -1):
        has_structure_after[index] = has_structure_after[index + 1] or segs[index].marker is not None \
            or segs[index].compact in _HEADER_WORDS
    start, title, title_at = 0, None, -1
    closing = _notice_close(segs, has_structure_after)
    if closing is not None:
        # "(此件公开发布)" ends the notice: the plan follows, its title repeated or not
        start = closing + 1
        found = _title_near(segs, start)
        if found:
            title, title_at, start = found[0], found[2], found[2] + found[1]
    else:
        opening = next((i for i, seg in enumerate(segs) if not _CHROME.match(seg.norm)), -1)
        for index in range(len(segs)):
            found = _title_text(segs, index, opening=index == opening)
            if found and index and (label := _LABEL.match(segs[index - 1].norm)) \
                    and not label.group("value").strip() and label.group("label").startswith("标"):
                continue  # the value of a "标题:" cell in a page's 索引号/文号 table: metadata, the text comes later
            if found and has_structure_after[index + found[1]]:
                title, title_at = found[0], index
                start = index + found[1]
                if _FILE_EXTENSION.search(segs[index].compact):
                    # a document-sharing page's file name ("X.docx"): the document's own title may
                    # follow it, after the page's notes and before the text's numbering
                    for later in range(start, min(len(segs), start + 15)):
                        if segs[later].marker is not None or segs[later].kind == "table":
                            break
                        own = _title_text(segs, later)
                        if own and not _FILE_EXTENSION.search(segs[later].compact) \
                                and has_structure_after[later + own[1]]:
                            title, title_at, start = own[0], later, later + own[1]
                            break
                # a document-sharing page's file name, then the document's own title with its year
                better = _title_text(segs, start)
                if better and not _title_year(title) and _title_year(better[0]) \
                        and has_structure_after[start + better[1]]:
                    title, title_at, start = better[0], start, start + better[1]
                break
    if title is None and closing is None:
        start = _after_notice(segs, run)
        found = _title_near(segs, start)
        if found and has_structure_after[found[2] + found[1]]:
            title, title_at, start = found[0], found[2], found[2] + found[1]
    before = title_at if title_at >= 0 else start
    if before:
        substantive = [s for s in segs[:before] if not _CHROME.match(s.norm)]
        if substantive:
            run.warn(segs[0].no, f"{_lines(segs[0].no, segs[before - 1].no)}是标题前的网页信息或印发通知,"
                                 f"只读取了文号、日期等信息,未作为任务")
        _notice_deadlines(substantive, run)
    end = len(segs)
    second = _second_plan(segs, title, title_at, start)
    if second is not None:
        end = second
        run.warn(segs[second].no, f"第{segs[second].no}行起是同一通知印发的另一份计划“{segs[second].compact}”,"
                                  f"未导入:请把它另存为单独的文件再导入")
    seen_structure = False
    for index in range(start, end):
        seg = segs[index]
        seen_structure = seen_structure or seg.marker is not None or seg.kind == "table"
        if _TRAILER.match(seg.norm) or (_ISSUED_TRAILER.search(seg.norm) and len(seg.norm) < 60):
            end = index
            break
        if seen_structure and DATE_LINE.match(seg.norm) and not any(
                not _CHROME.match(s.norm) and (s.marker is not None or looks_like_unit_phrase(s.raw))
                for s in _until_trailer(segs, index + 1)):
            end = index
            if index - 1 >= start and _is_signature(segs[index - 1]):
                end = index - 1
            break
    while end > start and (_CHROME.match(segs[end - 1].norm) or _SITE_BANNER.match(segs[end - 1].norm)):
        end -= 1
    if start and all(_CHROME.match(seg.norm) for seg in segs[start:end]):
        # the notice and its date, then nothing of the plan: the excerpt stops before it
        notice = _notice_start(segs[:start])
        run.notice_only = run.notice_only or notice is not None and _issues_plan(segs, notice)
    if end < len(segs) and second is None:
        tail = [s for s in segs[end:] if not _CHROME.match(s.norm)]
        if tail:
            run.warn(segs[end].no, f"{_lines(segs[end].no, segs[-1].no)}是文末的落款、抄送或网页信息,"
                                   f"未导入:{excerpt(tail[0].raw)}")
    return start, end, title, title_at


def _until_trailer(segs: list[_Seg], start: int):
    """The segments from ``start`` up to the next "(此件…)" or 抄送 line: past it is footer only."""
    for seg in segs[start:]:
        if _TRAILER.match(seg.norm):
            return
        yield seg


def _notice_close(segs: list[_Seg], has_structure_after: list[bool]) -> int | None:
    """The "(此件公开发布)" line that closes a cover notice with the plan after it: numbered headings
    or a table follow it (else it closes the document and what follows is footer), and more of
    them than the notice's own "一、二、" paragraphs before it."""
    noticed = False
    for index, seg in enumerate(segs):
        noticed = noticed or bool(_ADDRESSEE.match(seg.compact) or _NOTICE_BODY.search(seg.norm)
                                  or DATE_LINE.match(seg.norm))
        if not _NOTICE_CLOSE.match(seg.compact):
            continue
        before = sum(1 for s in segs[:index] if s.marker is not None or s.kind == "table")
        after = sum(1 for s in segs[index + 1:] if s.marker is not None or s.kind == "table")
        if noticed and has_structure_after[index + 1] and after > before:
            return index
        return None
    return None


def _title_near(segs: list[_Seg], start: int) -> tuple[str, int, int] | None:
    """The title repeated where a notice ends, maybe decorated, maybe after a "附件" line or page
    chrome: (title, lines, index); None when the text or the numbering starts first."""
    for index in range(start, min(len(segs), start + 6)):
        seg = segs[index]
        if seg.marker is not None or seg.kind == "table":
            return None
        found = _title_text(segs, index, decorated=True)
        if found:
            return found[0], found[1], index
        if not (_CHROME.match(seg.norm) or _ATTACHMENT.match(seg.compact)):
            return None
    return None


def _second_plan(segs: list[_Seg], title: str | None, title_at: int, start: int) -> int | None:
    """Where a second plan begins, when the cover notice announces two (《A》和《B》) and both follow."""
    if title is None or title_at <= 0:
        return None
    def key(text: str) -> str:
        return re.sub(r"[\s《》]", "", fold(text))

    announced = {key(name) for seg in segs[:title_at] for name in re.findall(r"《([^《》]{4,60})》", seg.norm)
                 if _PLAN_WORD.search(name)}
    if len(announced) < 2:
        return None
    for index in range(start, len(segs)):
        found = _title_text(segs, index)
        if found and key(found[0]) != key(title) and key(found[0]) in announced:
            return index
    return None


def _lines(first: int, last: int) -> str:
    return f"第{first}行" if first == last else f"第{first}–{last}行"


def _notice_deadlines(segs: list[_Seg], run: _Run) -> None:
    """The cover notice may set its own deadlines ("各县区要在5月11日前制定措施"): say so."""
    for seg in segs:
        if _LABEL.match(seg.norm) or DATE_LINE.match(seg.norm) or len(seg.norm) < 20:
            continue
        found = find_deadline_phrases(seg.raw)
        if found:
            run.warn(seg.no, f"印发通知中提到时限“{'、'.join(found)}”(不属于方案任务,未导入):{excerpt(seg.raw)}")


def _after_notice(segs: list[_Seg], run: _Run) -> int:
    """Without a repeated plan title: skip a cover notice (addressee, 印发 sentence, date).

    A notice that issues the plan ("现将…印发给你们") and announces points of its own ("并提出如下
    要求"), with no date after them and nothing of a plan after it, is all the text holds (a web
    page's excerpt cut inside it): its "一、二、" are requests to the units it is sent to, and the
    whole text is its front matter."""
    notice = _notice_start(segs)
    if notice is None:
        start = 0
        while start < len(segs) and _CHROME.match(segs[start].norm):
            start += 1
        return start
    # the notice ends at its date; its own 一、二、 paragraphs may come before it
    for index in range(notice + 1, min(len(segs), notice + 15)):
        if DATE_LINE.match(segs[index].norm):
            return index + 1
    if not _issues_plan(segs, notice):
        return 0
    first = next((i for i in range(notice, len(segs)) if segs[i].marker is not None), len(segs))
    if any(_OWN_POINTS.search(seg.norm) for seg in segs[notice:first]) and not _plan_body(segs, notice + 1):
        run.notice_only = True
        return len(segs)
    # no date, the plan right after the notice's sentence: that sentence ends the front matter
    lead = [i for i in range(notice, min(len(segs), notice + 5)) if _NOTICE_BODY.search(segs[i].norm)]
    if lead and not any(seg.marker is not None for seg in segs[:lead[-1] + 1]):
        return lead[-1] + 1
    return 0


def _notice_start(segs: list[_Seg]) -> int | None:
    """Where a cover notice's text begins: its addressee line or its 印发 sentence."""
    for index, seg in enumerate(segs[:40]):
        if _ADDRESSEE.match(seg.compact) or _NOTICE_BODY.search(seg.norm):
            return index
    return None


def _issues_plan(segs: list[_Seg], notice: int) -> bool:
    """Whether the notice beginning at ``notice`` issues a plan: its 印发 sentence, or its own title
    "关于印发X的通知" on a line above it (not one it cites)."""
    if any(_ISSUING.search(seg.norm) for seg in segs[notice:notice + 5]):
        return True
    for seg in segs[:notice]:
        match = _NOTICE_TITLE.search(seg.compact)
        if match and not _in_sentence(seg.compact, match) and "《" not in seg.compact[:match.start()]:
            return True
    return False


def _plan_body(segs: list[_Seg], start: int) -> bool:
    """Whether the text from ``start`` holds a plan's body rather than only a notice's own flat
    "一、二、" paragraphs: a table or its header, a unit phrase, a second level of numbering, the
    plan's title (a date proves nothing: the notice's own may come after its paragraphs)."""
    styles = {seg.marker.style for seg in segs[start:] if seg.marker is not None}
    if len(styles) > 1:
        return True
    for index in range(start, len(segs)):
        seg = segs[index]
        if seg.kind == "table" or seg.compact in _HEADER_WORDS \
                or _UNIT_LABEL.match(seg.norm) or _trailing_units(seg.raw) is not None \
                or seg.marker is None and looks_like_unit_phrase(seg.raw) and not _is_signature(seg) \
                or _title_text(segs, index):
            return True
    return False


def _label_pairs(seg: _Seg) -> list[tuple[str, str]]:
    """The known "label: value" fields of a line, one or several ("发布机构: X 生成日期: Y")."""
    fields = list(_FIELD.finditer(seg.norm))
    pairs = []
    for index, field_ in enumerate(fields):
        end = fields[index + 1].start() if index + 1 < len(fields) else len(seg.norm)
        match = _LABEL.match(seg.norm[field_.start():end].lstrip("•·- "))
        if match:
            pairs.append((re.sub(r"\s", "", match.group("label")), seg.raw[field_.end():end].strip(_STRIP)))
    if not pairs and (match := _BRACKET_LABEL.match(seg.norm)):
        pairs.append((re.sub(r"\s", "", match.group("label")), seg.raw[match.start("value"):].strip(_STRIP)))
    return pairs


def _fits_label(label: str, seg: _Seg) -> bool:
    """Whether a line can be the value of a field: a 文号 for 文号, a date for a date, a name for an issuer."""
    if "号" in label:
        return bool(_DOC_NUMBER.search(seg.norm))
    if "日期" in label:
        return bool(DATE.search(seg.norm))
    if "标" in label:
        return True
    return "。" not in seg.norm and not _PLAN_WORD.search(seg.compact) and len(seg.compact) <= 40


def _front(segs: list[_Seg], start: int) -> list[_Seg]:
    """The lines before the plan read for its metadata: those before the body, and when the body
    starts on a page's fields or a notice's heading (a notice that is itself the plan, or that
    only is visible), all up to its addressee line or its first numbered item."""
    for index, seg in enumerate(segs[:60]):
        if index >= start and (_ADDRESSEE.match(seg.compact) or seg.marker is not None or seg.kind == "table"):
            return segs[:index]
    return segs[:start]


def _doc_number(text: str) -> str | None:
    """The 文号 in ``text`` as it is written by the standard: no spaces, 〔〕 round the year, no 第."""
    match = _DOC_NUMBER.search(fold(text))
    if not match:
        return None
    number = re.sub(r"\s", "", match.group())
    number = re.sub(r"[\[(【﹝]", "〔", number)
    number = re.sub(r"[\])】﹞]", "〕", number)
    return number.replace("〕第", "〕")


def _fuller(long: str, short: str) -> bool:
    """Whether ``long`` is the full name of the body ``short`` names: the same name with its place
    written out ("衢州市人民政府办公室" of "市政府办公室", "重庆市梁平区…" of "梁平区…")."""
    a, b = long.replace("人民政府", "政府"), short.replace("人民政府", "政府")
    if len(long) <= len(short) or not a.endswith(b) or len(a) == len(b):
        return False
    place = a[:len(a) - len(b)]
    return any(_PLACES.fullmatch(text) for text in (place, place + b[0]))


def _named_body(org: str) -> bool:
    """Whether a name read outside a field (a title's, a site's, a breadcrumb's) is a body's: it
    opens with a place, not with a sentence's words, and ends as a body's name does."""
    return not _VERB_OPENING.match(org) and _PLACE_OPENING.match(org) is not None and looks_like_unit_phrase(org)


def _heading(seg: _Seg) -> str:
    """A line as a notice's heading reads, without spaces: past a 文号 opening it
    ("X〔2019〕33号 某市人民政府办公室 关于…") or a field's bare label ("标题 X关于…")."""
    opening = _NUMBER_OPENING.match(seg.norm)
    heading = seg.norm[opening.end():].lstrip(" :") if opening else _BARE_TITLE_LABEL.sub("", seg.norm)
    return re.sub(r"\s+", "", heading)


def _org_before_about(seg: _Seg) -> str | None:
    """"X关于…" / "X印发…": the body heading a notice's title line."""
    match = _ORG_BEFORE_ABOUT.match(_heading(seg))
    return match.group("org") if match and not _VERB_OPENING.match(match.group("org")) else None


def _metadata(plan: ImportedPlan, segs: list[_Seg], start: int, end: int, title: str | None) -> None:
    head, tail = _front(segs, start), segs[end:]
    labels: dict[str, str] = {}
    pool = head + tail
    for index, seg in enumerate(pool):
        for label, value in _label_pairs(seg):
            # an empty value, its cell on the next line — unless that is the next label ("文号: | | 发文日期:")
            # or not such a value at all (the title after an empty "文号:")
            if not value and index + 1 < len(pool) and not _FIELD_START.match(pool[index + 1].norm) \
                    and _fits_label(label, pool[index + 1]):
                value = pool[index + 1].raw
            labels.setdefault(label, value)
    if title is None:
        # not repeated above the plan: the name the notice gives it ("关于印发X的通知", "现将《X》印发")
        for seg in segs[:start]:
            match = re.search(_NOTICE_TITLE.pattern + r"|《(?P<q>[^《》]{4,60})》", seg.compact)
            name = match and _dedouble(match.group("t") or match.group("q"))
            if name and _PLAN_WORD.search(name):
                title = name
                break
    plan.title = title
    # 文号: labelled, or alone on its line (cited numbers sit inside sentences)
    # or opening a heading line, or after the notice's title
    number_text = labels.get("发文字号") or labels.get("文号") or labels.get("文件编号") or labels.get("发文编号")
    if number_text is None:
        for seg in head:
            closing = _NUMBER_CLOSING.search(seg.norm) if not re.search(r"[,。;]", seg.norm) else None
            if _DOC_NUMBER.fullmatch(seg.norm) or _NUMBER_OPENING.match(seg.norm):
                number_text = seg.raw
                break
            if closing:
                number_text = closing.group("n")
                break
    if number_text:
        plan.doc_number = _doc_number(number_text) or number_text.strip()
    # issuer: labelled, the notice title's "X关于印发", the notice's signature, the 印发 line
    issuer = labels.get("发文机关") or labels.get("发文单位") or labels.get("制发机关")
    signature_date = signed = None
    for index, seg in enumerate(head):
        date = DATE_LINE.match(seg.norm)
        if date:
            signature_date = signature_date or to_date(date)
            # the last signature before the plan: the notice's, not a site's field block above it
            if index and _is_signature(head[index - 1]):
                signed = head[index - 1].raw, to_date(date)
    if signed:
        issuer = issuer or signed[0]
        signature_date = signed[1] or signature_date
    if issuer is None:
        for index, seg in enumerate(head):
            org = _org_before_about(seg)
            if org:
                issuer = org
                break
            if seg.compact.startswith("关于") and index and _is_signature(head[index - 1]):
                issuer = head[index - 1].raw
                break
    trailer_date = None
    for index, seg in enumerate(tail):  # the plan's own signature: "某镇人民政府" over its date
        date = DATE_LINE.match(seg.norm)
        if date and index and _is_signature(tail[index - 1]):
            issuer = issuer or tail[index - 1].raw
            trailer_date = trailer_date or to_date(date)
    for seg in tail:
        match = _ISSUED_TRAILER.search(seg.norm)
        if match:
            trailer_date = trailer_date or to_date(DATE.search(match.group("date")))
            org = seg.raw[:match.start()].strip(_STRIP)
            if issuer is None and org and looks_like_unit_phrase(org):
                issuer = org
    named = _TITLE_ORG.match(fold(title or ""))
    if named and _named_body(named.group("org")):
        issuer = issuer or named.group("org")
    issuer = issuer or labels.get("发布机构") or _site_owner(head)
    if issuer:
        # a site's short name ("市政府办公室") where the notice writes the body out in full
        fuller = [s.compact for s in head + tail if len(s.compact) <= 40 and _is_signature(s)]
        fuller += [org for s in head if (org := _org_before_about(s))]
        issuer = next((name for name in fuller if _fuller(name, issuer)), issuer)
    plan.issuer = issuer
    issued = labels.get("成文日期") or labels.get("印发日期")
    if issued:
        match = DATE.search(fold(issued))
        plan.issued = to_date(match) if match else None
    plan.issued = plan.issued or signature_date or trailer_date
    # year: the title's, else the 文号's, else the date's
    if title:
        plan.year = _title_year(title)
    if plan.year is None and plan.doc_number:
        match = re.search(r"\d{4}", plan.doc_number)
        plan.year = int(match.group()) if match else None
    if plan.year is None and plan.issued:
        plan.year = plan.issued.year
    for seg in segs:
        match = _URL.search(seg.raw)
        if match:
            plan.source = match.group()
            break


def _site_owner(head: list[_Seg]) -> str | None:
    """The body whose site the page is on: its name line ("某县人民政府 www.…"), or the body in the
    page's breadcrumb ("专栏 >> 某市人民政府办公室 >> 制度")."""
    for seg in head:
        match = _SITE_ORG.match(seg.norm)
        if match and _named_body(match.group("org")):
            return match.group("org")
    for seg in head:
        parts = _CRUMB.split(seg.norm)
        if len(parts) >= 3:
            bodies = [part for part in parts if re.fullmatch(rf"[{CJK}()]{{2,40}}?{_ORG_END}", part)
                      and _named_body(part)]
            if bodies:
                return bodies[-1]
    return None


# Years that are not the plan's: another document's, quoted in its title
# ("贯彻〈五年行动计划(2021—2025年)〉实施方案"), and a span of years.
_QUOTED = re.compile(r"〈[^〈〉]*〉|《[^《》]*》")
_YEAR_SPAN = re.compile(r"\d{4}\s*年?\s*[-—–~至到]+\s*\d{4}\s*年?")


def _title_year(title: str) -> int | None:
    """The year a plan's title gives it, leaving out quoted titles and spans of years."""
    text = fold(title)
    while _QUOTED.search(text):
        text = _QUOTED.sub("", text)
    text = _YEAR_SPAN.sub("", text)
    match = re.search(r"(\d{4})\s*年", text) or re.search(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)", text)
    if match:
        return int(match.group(1))
    cn = re.search(r"([〇零一二三四五六七八九○]{4})年", text)
    return numerals.number(cn.group(1), digitwise=True) if cn else None


# ---- tables -----------------------------------------------------------------------------------

@dataclass
class _Table:
    columns: list[str]
    header_at: int      # index of the first header cell in the body
    body_at: int        # first row cell

    @property
    def has_units(self) -> bool:
        return any(c in _UNIT_COLUMNS for c in self.columns)

    @property
    def has_time(self) -> bool:
        return any(c in _TIME_COLUMNS for c in self.columns)

    @property
    def units_first(self) -> bool:
        """The unit column comes before the task text."""
        unit = next((i for i, c in enumerate(self.columns) if c in _UNIT_COLUMNS), None)
        text = [i for i, c in enumerate(self.columns) if c in _TEXT_COLUMNS]
        return unit is not None and bool(text) and unit < text[-1]

    @property
    def numbered_rows(self) -> bool:
        return bool(self.columns) and self.columns[0] in ("序号", "编号")


def _find_table(segs: list[_Seg]) -> _Table | None:
    index = 0
    while index < len(segs):
        run = index
        while run < len(segs) and segs[run].compact.rstrip(":") in _HEADER_WORDS:
            run += 1
        columns = [s.compact.rstrip(":") for s in segs[index:run]]
        if run - index >= 3 and (set(columns) & (_UNIT_COLUMNS | _TIME_COLUMNS)):
            return _Table(columns, index, run)
        index = max(run, index + 1)
    return None


# ---- structure --------------------------------------------------------------------------------

@dataclass
class _Tail:
    """The unit phrase that ends an item, and what is left of the item."""
    text: str
    units_text: str
    units: list[UnitRef]
    deadlines: list[str]


# "(责任单位:X)(2018年9月底前完成)": a bracket holding only a deadline, after the unit bracket —
# the item's 完成时限 written apart, never an item of its own.
_DEADLINE_BRACKET = re.compile(r"\(([^()]{2,30})\)[。.;]?$")


def _deadline_bracket(norm: str) -> str | None:
    """The deadline phrase when ``norm`` (folded, brackets folded) is just "(2018年底前完成)"."""
    match = _DEADLINE_BRACKET.fullmatch(norm.strip(" "))
    if match is None or not deadline_cell(match.group(1).strip()):
        return None
    return match.group(1).strip()


def _trailing_units(seg_raw: str) -> _Tail | None:
    """"…公开。(责任单位:市统计局)" -> text "…公开。", units 市统计局; None when it has none."""
    raw = seg_raw.rstrip(_STRIP)
    norm = fold(raw).translate(_BRACKET_FOLD)
    cut = norm.rstrip("。.;,、 ")
    opened = cut.rfind("(")
    if opened > 0 and cut.endswith(")") and norm[:opened].rstrip(" ").endswith(")"):
        phrase = _deadline_bracket(cut[opened:])
        if phrase is not None:
            tail = _trailing_units(raw[:opened])
            if tail is not None:
                tail.deadlines = tail.deadlines + [raw[opened + 1:len(cut) - 1].strip(_STRIP)]
                return tail
    norm = fold(raw).translate(_BRACKET_FOLD)
    trimmed = len(norm.rstrip("。.;,、 "))
    # "…。责任人:李明;责任单位:党政办" without brackets: labelled parts after the last full stop
    labelled = _TAIL_LABELLED.search(norm[:trimmed])
    if trimmed and norm[trimmed - 1] == ")":
        depth = 0
        for index in range(trimmed - 1, -1, -1):
            depth += norm[index] == ")"
            depth -= norm[index] == "("
            if depth == 0:
                if labelled and index > labelled.start("phrase"):
                    break  # "责任单位:X、各村(社区)": the bracket is part of a labelled name
                found = _unit_phrase(raw[index + 1:trimmed - 1], bracketed=True)
                if found:
                    return _tail(raw[:index], found)
                break
    if labelled:
        found = _unit_phrase(raw[labelled.start("phrase"):trimmed], bracketed=False)
        if found:
            return _tail(raw[:labelled.start("phrase")], found)
    # "…建设。市政府办公室负责,市大数据局配合。": a last sentence that only says who does it
    stop = norm.rfind("。", 0, trimmed)
    if stop > 0 and _ROLE_END.search(norm[:trimmed]):
        phrase = raw[stop + 1:trimmed].strip(_STRIP)
        found = _unit_phrase(phrase, bracketed=True) if 0 < len(phrase) <= 80 else None
        if found and found[1] and all(is_body_name(unit.name) and not _MODAL.search(unit.name) for unit in found[1]):
            return _tail(raw[:stop + 1], found)
    return None


# "各部门要密切配合", "各单位要抓好落实": a sentence asking units to act, not one naming who does it.
_MODAL = re.compile(r"要|应(?!急)|须|按照|抓好|密切|认真|切实|积极|进一步|加强")


def _title_units(text: str) -> _Tail | None:
    """"加强组织领导(县政府办负责)。各部门要…": an item whose only unit bracket closes its first
    sentence (its title), with more text after it, belongs to those units; the bracket is taken out."""
    norm = fold(text).translate(_BRACKET_FOLD)
    found = []
    for opened, index in _top_brackets(norm):
        if norm[index + 1:index + 2] in ("。", ";") and norm[index + 2:].strip(" 。;"):
            phrase = _unit_phrase(text[opened + 1:index], bracketed=True)
            if phrase:
                found.append((opened, index, phrase))
    if len(found) != 1:
        return None
    opened, closed, phrase = found[0]
    tail = _tail(text[:opened], phrase)
    tail.text = (tail.text + text[closed + 1:]).strip(_STRIP)
    return tail


def _leading_units(text: str) -> tuple[str, list[UnitRef], str] | None:
    """"区发改局、区统计局:负责公开…": an item that opens with its units and a colon -> (the units as
    written, units, the rest); None for a label ("工作目标:"), a 责任单位: line or a sentence."""
    norm = fold(text)
    match = re.match(r"([^:。;!?“”《》]{2,60}?)\s*:\s*(?=\S)", norm)
    if not match or _UNIT_LABEL.match(norm) or _PART_LABEL.match(norm):
        return None
    phrase = text[:match.end(1)].strip(_STRIP)
    if not looks_like_unit_phrase(phrase):
        return None
    try:
        units = parse_unit_phrase(phrase)
    except InputError:
        return None
    if not all(is_body_name(unit.name) for unit in units):  # "政务服务平台:…" is a topic
        return None
    return phrase, units, text[match.end():].strip(_STRIP)


def _tail(before: str, found) -> _Tail:
    shown, units, deadlines, notes = found
    text = before.rstrip(_STRIP) + "".join("\n" + note for note in notes)
    return _Tail(text, shown, units, deadlines)


def _split_at_unit_brackets(text: str) -> list[str]:
    """"A。(市规划国土委负责落实)B。(市交通委负责落实)C…" -> one task each: a unit bracket after a
    full stop, followed by more text, ends a task inside one paragraph. So does one before a full stop
    or semicolon ("A(X负责);B(Y负责)。") when the text after it closes with a unit bracket too: a
    title's own bracket ("加强组织领导(X负责)。各部门要…") does not split its item."""
    norm = fold(text).translate(_BRACKET_FOLD)
    pieces, start = [], 0
    for opened, index in _top_brackets(norm):
        at_break = opened > start and (norm[opened - 1] in "。;" or (
            norm[index + 1:index + 2] in ("。", ";") and _trailing_units(text[index + 2:]) is not None))
        if at_break and norm[index + 1:].strip(" 。;") and _deadline_bracket(norm[index + 1:]) is None:
            if _unit_phrase(text[opened + 1:index], bracketed=True):
                end = index + 1
                while end < len(norm) and norm[end] in " 。;":
                    end += 1
                pieces.append(text[start:end].strip(_STRIP))
                start = end
    pieces.append(text[start:].strip(_STRIP))
    return [piece for piece in pieces if piece] or [text]


_BRACKET_FOLD = str.maketrans("〔〕【】", "()()")


def _top_brackets(norm: str):
    """(opening, closing) index of each outermost pair of brackets in ``norm`` (folded, "(" ")")."""
    depth, opened = 0, -1
    for index, char in enumerate(norm):
        if char == "(":
            if depth == 0:
                opened = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                yield opened, index


_PART_WORDS = (rf"{_TIME_WORDS}"
               r"|(?:牵头|分管|联系)?(?:负责)?领导|责任领导|责任人|联系人"
               rf"|{UNIT_LABEL_WORD}")
_PART_LABEL = re.compile(rf"(?:^|(?<=[;,\s。]))\s*(?P<label>{_PART_WORDS})\s*:")
# A run of labelled parts closing an item, after its last full stop (used when it names units).
# "…公开。责任单位:X。完成时限:Y。": the labelled parts may be sentences of their own
_TAIL_LABELLED = re.compile(rf"(?:^|[。;])\s*(?P<phrase>(?:{_PART_WORDS})\s*:[^。]+(?:。\s*(?:{_PART_WORDS})\s*:[^。]+)*)$")
_TIME_LABEL = re.compile(r"时限|时间|期限")
_PERSON_LABEL = re.compile(r"领导|责任人|联系人")


def _labelled_parts(text: str) -> tuple[str, list[str], list[str]] | None:
    """"责任时限:6月底前,牵头单位:X,配合单位:Y" -> ("牵头单位:X;配合单位:Y", ["6月底前"], []);
    a person ("牵头负责领导:张三") is a note, never a unit. None when the text is not so labelled."""
    norm = fold(text)
    found = list(_PART_LABEL.finditer(norm))
    time_or_person = _TIME_LABEL.pattern + "|" + _PERSON_LABEL.pattern
    units, deadlines, notes = [], [], []
    if found and found[0].start() != 0 \
            and all(re.search(time_or_person, match.group("label")) for match in found):
        # "X负责;完成时限:每月": the units unlabelled, only what follows them labelled
        units.append(text[:found[0].start()].strip(_STRIP + ";,;,。"))
    elif not found or found[0].start() != 0 or (len(found) == 1 and not re.search(
            time_or_person, found[0].group("label"))):
        return None
    for index, match in enumerate(found):
        end = found[index + 1].start() - 1 if index + 1 < len(found) else len(text)
        label, value = match.group("label"), text[match.end():end].strip(_STRIP + ";,;,。")
        if not value:
            continue
        if _PERSON_LABEL.search(label):
            notes.append(f"{label}:{value}")
        elif _TIME_LABEL.search(label):
            deadlines.append(value)
        else:
            units.append(text[match.start():end].strip(_STRIP + ";,;,。"))
    return ";".join(units), deadlines, notes


_QUALIFIER = re.compile(r"^(?:包括|不含|不包括|除|含(?=[各乡镇村县市区街社省州]))")


def _unit_phrase(text: str, *, bracketed: bool) -> tuple[str, list[UnitRef], list[str], list[str]] | None:
    """A unit phrase ending an item: (as written without a 责任单位: label, units, deadlines, notes).

    "(牵头单位:县发改局;配合单位:县财政局;2023年6月底前完成)" also carries the item's deadline;
    "(责任时限:…,牵头单位:…)" labels it; a 牵头负责领导 named in it is a note.
    """
    deadlines: list[str] = []
    notes: list[str] = []
    written = text
    sentences = [part for part in text.split("。") if part.strip(_STRIP)]
    if bracketed and len(sentences) > 1 and all(_unit_phrase(part, bracketed=True) for part in sentences):
        # "(X牵头,Y按职责分工负责。Z均为责任单位)": each sentence names units
        text = ";".join(sentences)
    labelled = _labelled_parts(text)
    if labelled is not None:
        text, deadlines, notes = labelled
        if not text:
            return None
    norm = fold(text)
    while True:  # deadline parts at the end, after ; or ,
        cut = max(norm.rfind(mark) for mark in ";,")
        if cut <= 0 or not known_deadline(text[cut + 1:].strip(_STRIP)):
            break
        deadlines.insert(0, text[cut + 1:].strip(_STRIP))
        text, norm = text[:cut], norm[:cut]
    leading = 0
    while True:  # and at the start: "(2024年6月底前,县司法局负责)"
        cut = min((i for i in (norm.find(";"), norm.find(",")) if i > 0), default=-1)
        if cut <= 0 or not known_deadline(text[:cut].strip(_STRIP)):
            break
        deadlines.insert(leading, text[:cut].strip(_STRIP))
        leading += 1
        text, norm = text[cut + 1:], norm[cut + 1:]
    norm = norm.strip()
    if _QUALIFIER.match(norm):  # "(含乡镇)", "(包括各村)": what a word covers, not who does it
        return None
    if not (_UNIT_LABEL.match(norm)
            or bracketed and (_ROLE_END.search(norm) or looks_like_unit_phrase(norm))):
        # unlabelled brackets must read "(…按职责分工负责)", "(办公室牵头)", or a plain list of units
        return None
    try:
        units = parse_unit_phrase(text)
    except InputError:
        return None
    if any(len(u.name) > 30 or re.search(r"\d", u.name) for u in units):
        return None
    if len(sentences) > 1 and text == ";".join(sentences):
        text = written  # shown as written, with its full stops
    return _unlabelled(text), units, deadlines, notes


def _unbracketed(raw: str) -> str:
    """A line without the brackets enclosing all of it: "(责任单位:X)" -> "责任单位:X"."""
    text = raw.strip(_STRIP)
    norm = fold(text)
    if next(_top_brackets(norm), None) == (0, len(norm) - 1):
        text = text[1:-1].strip(_STRIP)
    return text


def _item_number(number: str | None) -> int | None:
    """The value of an item's number as printed: "5." -> 5, "(六)" -> 6, "第七条" -> 7."""
    digits = re.sub(r"^第|[条项]$", "", re.sub(r"[\s().、.:,]", "", fold(number or "")))
    return numerals.number(digits) if digits else None


def _unlabelled(text: str) -> str:
    """A unit phrase without a role-neutral 责任单位: label."""
    text = text.strip(_STRIP)
    label = _ROLE_NEUTRAL_LABEL.match(fold(text))
    return text[label.end():].strip(_STRIP) if label else text


def _shown_units(raw: str) -> str:
    """A unit line as written, without enclosing brackets or a role-neutral 责任单位: label."""
    return _unlabelled(_unbracketed(raw))


# The titles of a plan's usual parts: one opening a heading's text that goes on as a sentence
# ("一、工作目标紧紧围绕…。", "一、总体要求 2022年是…。") is the whole title, its line break lost.
_PART_TITLE_WORDS = (
    r"(?:总体要求|指导思想|工作目标|主要目标|总体目标|基本原则|工作原则|总体思路|工作思路|工作任务|主要任务|重点任务"
    r"|具体任务|工作措施|保障措施|工作要求|组织保障|组织领导|组织实施|实施步骤|工作步骤|进度安排|工作安排|有关要求)")
_PART_TITLE = re.compile(r"^" + _PART_TITLE_WORDS + r"(?=[^,,、::;;。.!!和及与的])")


def _split_title(text: str) -> tuple[str, str]:
    """A heading's own title and any body written on the same line after it."""
    norm = fold(text)
    stop = norm.find("。")
    named = _PART_TITLE.match(norm)
    # a part's title, then its text: after a space where the line break was, or as a sentence
    if named and norm[named.end():].strip() and (norm[named.end()].isspace()
                                                 or (stop if stop >= 0 else len(norm)) - named.end() >= 10):
        return text[:named.end()].strip(_STRIP), text[named.end():].strip(_STRIP)
    if 0 < stop < len(norm) - 1 and norm[stop + 1:].strip():
        return text[:stop].strip(_STRIP), text[stop + 1:].strip(_STRIP)
    gap = re.search(r"\s+", norm)
    if gap and gap.start() <= 40 and len(norm) - gap.end() >= 10 \
            and not re.search(r"[,;:、。]", norm[:gap.start()]):
        return text[:gap.start()].strip(_STRIP), text[gap.end():].strip(_STRIP)
    return text.strip(_STRIP).rstrip("。.;:;:"), ""


def _title_like(text: str) -> bool:
    norm = fold(text).strip()
    core = norm.rstrip("。.")
    # a line stopping at "," or "、" breaks off a sentence: its text goes on below, it heads nothing
    return 0 < len(core) <= 40 and "。" not in core and not core.endswith((",", "、")) and not _trailing_units(text)


def _whole_item(text: str) -> bool:
    """Whether an item's own text is a task by itself: a sentence ("疏理…资料,编制…目录。"), not a
    heading's title ("保障措施", "深化决策公开") — with or without a body after it ("五、完善民主恳谈
    制度。重大政务…" heads the task its body makes)."""
    title, body = _split_title(text)
    core = fold(title).strip()
    return not body and (len(core) > 40 or re.search(r"[,;:。]", core) is not None)


class _Builder:
    def __init__(self, segs: list[_Seg], run: _Run, table: _Table | None,
                 inherit: "_Builder | None" = None) -> None:
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
        self.any_units = False
        self.final_stack: list = []
        self.final_counts: dict[str, int] = {}
        self.grid_tasks: set[int] = set()  # ids of the tasks read from a table among the prose: complete

    # -- classification --

    def classify(self) -> None:
        table = self.table
        previous = None
        for index, seg in enumerate(self.segs):
            if seg.kind == "table":
                continue  # a table among the prose, read as a table where it stands
            if _CHROME.match(seg.norm):
                seg.kind = "chrome"
            elif table and self._header_run(index):
                seg.kind = "chrome"  # the header repeated on a new page
            elif seg.marker is not None:
                seg.kind = "num"
            elif seg.outline is not None and len(seg.norm) <= 40 and not _ends_sentence(seg.norm) \
                    and not _UNIT_LABEL.match(seg.norm):
                seg.kind = "uhead"  # a heading by its style (Word's 标题 1), written without a number
            elif _LEADER_LINE.match(seg.norm):
                seg.kind = "leader"
            elif _DEADLINE_LABEL.match(seg.norm):
                seg.kind = "deadline"
            elif self._above_units(seg) or _UNIT_LABEL.match(seg.norm) or looks_like_unit_phrase(seg.raw):
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

    @staticmethod
    def _above_units(seg: _Seg) -> bool:
        """"以上…由X负责", "本部分工作由X牵头": the segment becomes the unit phrase, and remembers
        the items it is for (a range of numbers, or its whole section)."""
        match = _ABOVE.match(seg.norm)
        if match is None:
            match = _SECTION_WIDE.match(seg.norm)
            if match is None:
                return False
            seg.whole_section = True
        rest = seg.raw[match.end():].strip(_STRIP).rstrip("。.;；")
        if not looks_like_unit_phrase(rest):
            seg.whole_section = False
            return False
        seg.raw, seg.norm = rest, fold(rest)
        if not seg.whole_section and match.group("first"):
            first, last = int(match.group("first")), int(match.group("last"))
            seg.above = (first, last) if first <= last else None
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

    def _header_run(self, index: int) -> bool:
        def header(i: int) -> bool:
            return 0 <= i < len(self.segs) and self.segs[i].compact.rstrip(":") in _HEADER_WORDS

        return header(index) and any(all(header(i) for i in range(first, first + 3))
                                     for first in range(index - 2, index + 1))

    @staticmethod
    def _relaxed_units(seg: _Seg) -> bool:
        """A 责任单位 cell that names something unusual ("民生实事项目牵头单位和责任单位负责")."""
        if "。" in seg.norm or len(seg.norm) > 80:
            return False
        try:
            units = parse_unit_phrase(seg.raw)
        except InputError:
            return False
        return all(len(u.name) <= 30 for u in units) and bool(_ROLE_END.search(seg.norm))

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
                if known_deadline(seg.compact) or (nxt is not None and nxt.kind == "para"
                                                   and known_deadline(seg.compact + nxt.compact)):
                    seg.kind = "deadline"  # a row whose unit cell is merged with the rows below
                elif previous in after and not self._starts_row(index) and (
                        previous == "deadline" or len(seg.norm) <= 8):
                    seg.kind = "deadline"
            previous = seg.kind

    def _next(self, index: int) -> _Seg | None:
        for seg in self.segs[index + 1:]:
            if seg.kind != "chrome":
                return seg
        return None

    def _starts_row(self, index: int) -> bool:
        """An unnumbered heading of the table: followed by a numbered work item."""
        nxt = self._next(index)
        return nxt is not None and nxt.kind == "num" and "。" not in self.segs[index].norm.rstrip("。")

    def _unnumbered_headings(self) -> None:
        for index, seg in enumerate(self.segs):
            if seg.kind == "para" and len(seg.norm) <= 40 and not _ends_sentence(seg.norm) \
                    and self._starts_row(index):
                nxt = self._next(index)
                if _title_like(nxt.body):
                    seg.kind = "uhead"

    # -- levels and headings --

    def structure(self) -> None:
        order: list[str] = []
        structural = [i for i, s in enumerate(self.segs) if s.kind in ("num", "uhead")]
        def style_of(seg: _Seg) -> str:
            return seg.marker.style if seg.kind == "num" else "none" if seg.outline is None else f"outline{seg.outline}"

        for i in structural:
            seg = self.segs[i]
            style = style_of(seg)
            if style in order:
                continue
            # a heading level met late (<h3> after items "1." under <h2>) goes right below the heading
            # level above it, not below the items
            above = [k for k, known in enumerate(order) if known.startswith("outline") and seg.outline is not None
                     and seg.kind != "num" and int(known[7:]) < seg.outline]
            order.insert(above[-1] + 1 if above else len(order), style)
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
            for i in group:
                seg = self.segs[i]
                if seg.kind == "uhead" or children[i]:
                    self.heading.add(i)
                    continue
                own_units = _trailing_units(seg.raw) is not None
                following = [s for s in self.segs[i + 1:ends[i]] if s.kind != "chrome"]
                has_paras = any(s.kind in ("para", "table") for s in following)
                if family_heads and not own_units and not following and _whole_item(seg.body):
                    continue  # a sentence on its own among headings: a task, not an empty section
                if family_heads and not own_units and (has_paras or not following):
                    self.heading.add(i)
                elif not own_units and any(s.kind == "table" for s in following):
                    self.heading.add(i)  # a table under it: it heads the table's rows
                elif has_paras and not own_units and _title_like(seg.body) and (
                        self.table is not None
                        or any(s.kind == "units" or (s.kind == "para" and _trailing_units(s.raw)) for s in following)):
                    self.heading.add(i)
        self.children = children

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
        any_units = False

        def section_key() -> str | None:
            return stack[-1][1] if stack else None

        def preamble() -> str | None:
            return stack[-1][2] if stack else None

        def take_tail(task: ImportedTask, tail: _Tail) -> None:
            task.text, task.units_text, task.units = tail.text, tail.units_text, tail.units
            if tail.deadlines:
                self.cells.setdefault(id(task), []).extend(tail.deadlines)

        def new_task(number: str | None, text: str, seg: _Seg) -> ImportedTask:
            nonlocal open_task, any_units
            task = ImportedTask(number=number, section=section_key(), text=text, line=seg.no)
            self.tasks.append(task)
            tail = _trailing_units(text)
            if tail:
                take_tail(task, tail)
                any_units = True
                open_task = None
                pending.clear()
            elif units_ahead is not None:
                task.units_text, task.units = units_ahead
                open_task = None
            elif self.table is None and (lead := _leading_units(text)) is not None:
                task.units_text, task.units, task.text = lead
                any_units = True
                open_task = task  # its text may go on; a later unit line is not its own
            elif self.table is None and (titled := _title_units(text)) is not None:
                take_tail(task, titled)
                any_units = True
                open_task = task  # as above
            else:
                open_task = task
                pending.append(task)
            if self.table is not None:
                open_task = None  # one cell, one task
                if not task.units or self.table.units_first or not self.table.has_units:
                    row_tasks[:] = [task]
            return task

        def paragraph(seg: _Seg, text: str) -> None:
            # "一是…。(X牵头)二是…。(Y牵头)": each unit bracket ends a task, as in a numbered item
            for piece in _split_at_unit_brackets(text) if self.table is None else [text]:
                one_paragraph(seg, piece)

        def one_paragraph(seg: _Seg, text: str) -> None:
            nonlocal open_task, row_number, any_units
            if preamble():
                run.warn(seg.no, f"“{preamble()}”部分不是任务,未导入:{excerpt(text)}")
                return
            if self.table is None and seg.detail and open_task is None and self.tasks:
                # a bullet detail of the task just closed by its unit bracket: it stays with that task
                _check_length(self.tasks[-1], text)
                self.tasks[-1].text += "\n" + text
                return
            if self.table is None and open_task is not None:
                _check_length(open_task, text)
                # a line ending in "，" or "、" breaks a sentence (a <br>, a hard wrap): it goes on
                open_task.text += ("" if fold(open_task.text.rstrip(_STRIP)[-1:]) in (",", "、") else "\n") + text
                tail = _trailing_units(open_task.text)
                if tail:
                    # a phrase at the end of an item is the item's own: earlier ones stay open
                    take_tail(open_task, tail)
                    any_units = True
                    pending[:] = [t for t in pending if t is not open_task]
                    open_task = None
                return
            # a paragraph naming no units is no task where it only leads in
            if self.table is None and _trailing_units(text) is None:
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
                    parent = stack[-1][1] if stack else ""
                    counts[parent] = counts.get(parent, 0) + 1
                    key = f"{parent}.{counts[parent]}" if parent else str(counts[parent])
                    heading_text = seg.body
                    tail = _trailing_units(heading_text)
                    if tail:  # "(一)X(牵头单位:…)" above its items: they share it unless they name their own
                        heading_text = tail.text
                        self.section_units[key] = (tail.units_text, tail.units)
                        any_units = True
                    title, body = _split_title(heading_text)
                    is_preamble = tidy(title) if _PREAMBLE_TITLES.match(fold(title).strip()) else preamble()
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
                    own_title = tidy(_split_title(seg.body)[0])
                    if _PREAMBLE_TITLES.match(fold(own_title)):
                        # "一、总体要求" with no items below it (an excerpt cut before the tasks): still
                        # the plan's introduction, and so is the text under it
                        stack.append((level, section_key() or "", own_title, index))
                        run.warn(seg.no, f"“{own_title}”是方案的总体说明,不作为任务")
                        run.preamble.append(own_title)
                        open_task = None
                        continue
                    pieces = _split_at_unit_brackets(seg.body) if self.table is None else [seg.body]
                    new_task(seg.marker.text, pieces[0], seg)
                    for piece in pieces[1:]:
                        new_task(None, piece, seg)
                    units_ahead = None
                continue
            if kind == "table":
                # its rows sit under the prose's open heading; the prose's numbering goes on after it
                grid, header = seg.table  # type: ignore[attr-defined]
                into = TableTasks(counts=counts, stack=[("prose", key) for _, key, pre, _ in stack if not pre])
                result = build_tasks(grid, header, run.warn, trailing=_trailing_units, into=into)
                self.sections += result.sections
                self.tasks += result.tasks
                self.grid_tasks.update(id(task) for task in result.tasks)
                any_units = any_units or result.any_units
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
                text, shown = seg.raw, _shown_units(seg.raw)
                line_deadlines: list[str] = []
                line_notes: list[str] = []
                # "责任单位:X;完成时限:Y" on one line: the same labelled parts a bracket may hold
                labelled = _labelled_parts(_unbracketed(seg.raw))
                if labelled is not None and labelled[0]:
                    text, line_deadlines, line_notes = labelled
                    shown = _shown_units(text)
                try:
                    units = parse_unit_phrase(text)
                except InputError as exc:
                    run.warn(seg.no, exc.message)
                    continue
                any_units = True

                def line_extras(tasks: list[ImportedTask]) -> None:
                    # the line's own 完成时限 and 牵头领导 parts go to the tasks it names units for
                    for task in tasks:
                        if line_deadlines:
                            self.cells.setdefault(id(task), []).extend(line_deadlines)
                        for note in line_notes:
                            _check_length(task, note)
                            task.text += "\n" + note

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
                        task.units_text = f"{task.units_text};{shown}" if task.units_text else shown
                    continue
                if not pending:
                    run.warn(seg.no, f"这一行责任单位前面没有待分配的任务,未使用:{excerpt(text)}")
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
                    _check_length(owner_task, seg.raw)
                    owner_task.text += "\n" + _shown_units(seg.raw)
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
                    self.cells.setdefault(id(task), []).append(cell.strip(_STRIP))
        self.any_units = any_units
        self.final_stack, self.final_counts = stack, counts

    def finish(self) -> None:
        for task in self.tasks:
            if id(task) in self.grid_tasks:
                continue
            task.text = tidy_lines(task.text)
            for left in _LEFT_UNIT_BRACKET.finditer(fold(task.text)):
                self.run.warn(task.line, f"“{excerpt(task.text[left.start():left.end()])}”中的单位无法拆分,"
                                         "原样留在任务内容中,请核对")
            key = task.section
            while not task.units and key:
                if key in self.section_units:
                    task.units_text, units = self.section_units[key]
                    task.units = list(units)
                key = key.rpartition(".")[0]
            cells = self.cells.get(id(task))
            if cells:
                task.deadline = cell_deadlines("\n".join(cells), task.line, self.run.warn)
            else:
                task.deadline = find_deadline_phrases(task.text)

    def build(self) -> "_Builder":
        self.classify()
        self.structure()
        self.walk()
        self.finish()
        return self


# ---- the whole document -----------------------------------------------------------------------

def parse_document(doc: Document | str) -> ImportedPlan:
    """The plan a document describes: its sections, tasks, units, deadlines and metadata."""
    if isinstance(doc, str):
        doc = Document.from_text(doc)
    try:
        return _parse(doc)
    except _TooLong as exc:
        raise InputError(f"“{doc.name or '文档'}”第 {exc.line} 行起的一项任务超过 {MAX_TASK_TEXT} 字(其后的段落都接在"
                         "这一项之后),不像是一项任务:请检查原文的编号或表格,或只保留任务部分后再导入") from None


def _parse(doc: Document) -> ImportedPlan:
    run = _Run()
    for line, message in doc.notes:  # what reading the file changed (control characters taken out)
        run.warn(line, message)
    doc = _plain_script(doc, run)
    tables = _tables(doc)
    segs = _segments(_outside(doc, tables))
    table_numbers = any(s.compact == "序号" for s in segs)
    segs = _remove_page_markers(segs, run, table_numbers)
    segs = _rejoin_wrapped(segs)
    segs = _split_inline(segs)
    _bullet_details(segs)
    segs = _with_table_marks(segs, tables)
    segs = _split_opening_title(segs)
    start, end, title, title_at = _locate(segs, run)
    plan = ImportedPlan()
    _metadata(plan, segs, start, end, title)
    body = segs[start:end]
    _cut_unit_list(body, doc, run)

    if tables:
        sections, tasks, any_units = _prose_and_grids(plan, body, run)
    else:
        table = _find_table(body)
        if table is None:
            chosen = _Builder(body, run, None).build()
            sections, tasks, any_units = _parts(chosen)
            if not any_units and not any(s.kind in ("num", "uhead") for s in chosen.segs):
                tasks = []  # plain paragraphs with neither numbering nor units: nothing says they are tasks
        else:
            sections, tasks, any_units = _prose_and_table(plan, body, table, run)
    plan.sections, plan.tasks = sections, _with_words(tasks, run)
    _settle(plan, doc, segs, any_units, run)
    plan.warnings = sorted(run.warnings, key=lambda item: item[0])
    return plan


def _with_words(tasks: list[ImportedTask], run: _Run) -> list[ImportedTask]:
    """The tasks without those whose whole text is a number or punctuation (a table's row number
    or empty cells read as the task), each refused with a warning at its line."""
    kept = []
    for task in tasks:
        problem = text_problem(task.text)
        if problem:
            run.warn(task.line, f"{problem},不是任务,未导入")
        else:
            kept.append(task)
    return kept


def _settle(plan: ImportedPlan, doc: Document, segs: list[_Seg], any_units: bool, run: _Run) -> None:
    """What the document leaves open: its title, who does the tasks that name no one, a cut-off end."""
    if not plan.title:  # the name a notice gives the plan: "关于印发X的通知", "名称:…印发X的通知"
        for seg in segs[:60]:
            match = _NOTICE_TITLE.search(seg.compact)
            cited = match and seg.compact[:match.start()].count("《") > seg.compact[:match.start()].count("》")
            if match and not cited and _in_sentence(seg.compact, match):
                continue  # "为贯彻落实…关于印发X的通知(…号)精神,…": a document the text refers to
            if match and not cited and _PLAN_WORD.search(match.group("t")):
                plan.title = _dedouble(match.group("t"))
                break
    if not plan.title:  # a notice that is itself the plan: its own title, "X关于贯彻落实《…》的通知"
        for seg in segs[:60]:
            if seg.marker is not None or seg.kind == "table" or _ADDRESSEE.match(seg.compact):
                break
            heading = _heading(seg)
            match = _OWN_NOTICE.match(heading)
            if match and not _VERB_OPENING.match(heading) and not _in_sentence(heading, match):
                plan.title = match.group()
                break
    if not plan.title and doc.name:
        stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", doc.name).strip()
        if stem:
            plan.title, plan.title_from_file = stem, True
            run.warn(1, f"文中没有计划标题,标题取自文件名“{stem}”")
    if plan.year is None and plan.title:  # the title's year, else the 文号's, else the first date near the top
        plan.year = _title_year(plan.title)
    if plan.year is None:
        # (not a page's upload, print or visit time: when the copy was made says nothing of the plan)
        head = " ".join(s.norm for s in segs[:30] if s.kind != "table" and not _TIMESTAMP.search(s.norm))
        for text, pattern in ((head, r"[〔\[(【](20\d{2})[〕\])】]"), (head, r"(?<!\d)(20\d{2})\s*[-年./]\s*\d{1,2}")):
            match = re.search(pattern, text)
            if match:
                plan.year = int(match.group(1))
                break
    if not plan.tasks:
        first = next((s.no for s in segs if s.kind != "table"), 1)
        parts = "、".join(dict.fromkeys(run.preamble))
        read = "、".join(name for name, value in (("标题", plan.title and not plan.title_from_file), ("年度", plan.year),
                                                 ("发文单位", plan.issuer), ("文号", plan.doc_number),
                                                 ("日期", plan.issued)) if value)
        read = f"只读取了{read};" if read else ""
        if run.notice_only:
            own = "通知里的编号段落是对收文单位的要求,不是任务," if any(seg.marker is not None for seg in segs) else ""
            run.warn(first, f"文中只有印发计划的通知,没有计划正文:{own}未导入任何任务;{read}"
                            "网页节选可能在通知之后就截断了,请取得计划全文后再导入")
        elif parts:
            run.warn(first, f"文中只有方案的总体说明({parts}),没有任务部分,未导入任何任务;{read}"
                            "网页节选可能在任务部分之前就截断了,请取得计划全文后再导入")
        else:
            run.warn(first, "没有找到任何任务:文中既没有编号条目,也没有责任单位,请检查文档是否为工作要点或分工方案")
        return
    without = [t for t in plan.tasks if not t.units]
    if without:
        # Tasks that name no unit are the issuing body's own; a few gaps among named ones may be slips.
        plan.owner = plan.issuer
        self_name = _self_reference(segs)
        if any_units and len(without) * 2 <= len(plan.tasks):
            for task in without:
                run.warn(task.line, f"任务未写明责任单位:{excerpt(task.text)}")
        elif plan.owner:
            run.warn(without[0].line, f"{len(without)} 项任务没有写责任单位,由发文单位“{plan.owner}”承担")
        if not plan.owner:
            plan.owner_needed = True
            said = f"(文中称“{self_name}”)" if self_name else ""
            run.warn(without[0].line, f"{len(without)} 项任务没有写责任单位,文中也没有写明发文单位{said}:"
                                      "请用 --owner 指定发文单位,或在计划文件中填写 owner")
    if run.cut_units:
        return  # the cut is already reported, with the units read from it
    last = _last_line(doc)
    # a file that ends in one of its tables (a 联络员名单 after the 分工表) ends in a cell, not mid-sentence
    if last is not None and not any(grid.first <= last.no <= grid.last for grid in doc.tables):
        tail = fold(last.text).strip(_STRIP + "|")
        # "责任单位:X;完成时限:每季度", "…| 2024年9月底前": a line ending in a whole deadline is complete
        # (a unit phrase is not so telling: "…牵头,市住建局等政府各有关" reads as one)
        part = re.split(r"[;:|]|\s{2,}", fold(last.text.replace("\t", "|")).strip(_STRIP + "|"))[-1].strip(_STRIP)
        # a " | " row closed by its own "|" is a whole row, whatever its last cells (进展情况, 备注) say
        closed_row = fold(last.text).strip(_STRIP).endswith("|") and fold(last.text).count("|") >= 3
        if len(tail) >= 8 and tail[-1] not in _TERMINAL + ".;)|" and not _CHROME.match(tail) and not closed_row \
                and last.no >= plan.tasks[-1].line and not looks_like_unit_phrase(tail) \
                and not deadline_cell(part) and not DATE_LINE.match(tail) \
                and not _BARE_PAGE.match(tail) and not _ISSUED_TRAILER.search(tail):
            run.warn(last.no, f"文档在此处中断(“…{tail[-12:]}”),最后一项任务可能不完整,请核对")




# A page's own time stamps: when it was uploaded, printed, visited, crawled
_TIMESTAMP = re.compile(r"(?:上传|下载|打印|访问|浏览|更新|采集|抓取|入库)(?:时间|日期)|\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}")


def _last_line(doc: Document) -> Line | None:
    """Where the document's text stops: its last line, a sharing site's banner under it left out."""
    return next((line for line in reversed(doc.lines) if line.text.strip(_STRIP)
                 and not _SITE_BANNER.match(fold(line.text).strip(_STRIP))), None)


def _in_sentence(compact: str, match: re.Match[str]) -> bool:
    """Whether a "关于印发X的通知" found in a line sits inside a sentence rather than being the line."""
    before = compact[:match.start()]
    after = re.sub(r"^\([^()]*\d{4}[^()]*\)", "", compact[match.end():])  # its 文号 after it
    return bool(re.search(r"[,。;]", before) or len(before) > 40 or re.search(r"[,。;]", after) or len(after) > 20)


_CLOSING = {"(": ")", "（": "）", "〔": "〕", "【": "】"}


def _cut_unit_list(body: list[_Seg], doc: Document, run: _Run) -> None:
    """A web-page excerpt cut off inside its last unit list: "…框架。(市府办牵头,市政府各部门、各功"
    or a unit line "市发改委、市财政局、人民银". The part before the cut gives the last task its units
    (a cut-off last name is dropped unless it reads as a name), and the user is told the list may
    be incomplete. Only at the document's end: an unclosed bracket anywhere else is text."""
    last = _last_line(doc)
    if not body or last is None:
        return
    seg = body[-1]
    if seg.kind == "table" or not seg.raw or seg.line_at(len(seg.raw) - 1) != last.no:
        return
    opened = _unclosed(seg.norm.translate(_BRACKET_FOLD))
    # "各县(市、区": a bracket inside a unit's name, on a unit line of its own; not the task's unit bracket
    if opened is not None and not (opened and looks_like_unit_phrase(seg.raw[:opened])):
        kept, dropped = split_cut_name(seg.raw[opened + 1:])
        found = _unit_phrase(kept, bracketed=True) if kept else None
        if found is None or not found[1] or not (looks_like_unit_phrase(kept)
                                                 or all(is_body_name(unit.name) for unit in found[1])):
            return
        raw = seg.raw[:opened + 1] + kept + _CLOSING.get(seg.raw[opened], ")")
    elif seg.marker is None and len(body) > 1 and not _ends_sentence(seg.norm):
        kept, dropped = split_cut_name(seg.raw)
        # "责任科室:党政办  完成时间:2024年11月底前" ends in a whole part, not a cut-off name
        whole = not dropped or ":" in fold(dropped) or known_deadline(dropped.strip(_STRIP)) \
            or deadline_cell(dropped.strip(_STRIP))
        if whole or not kept or not looks_like_unit_phrase(kept):
            return
        raw = kept
    else:
        return
    at = seg.line_at(opened or 0)
    seg.raw, seg.norm = raw, fold(raw)
    seg.starts = [item for item in seg.starts if item[0] < len(raw)] or [(0, seg.no)]
    run.cut_units = True
    lost = f",末尾残缺的“{dropped}”未作为单位" if dropped else ""
    run.warn(at, f"文档在此处中断,最后一项任务的责任单位可能不完整:读取为“{excerpt(kept)}”{lost},请核对")


def _unclosed(norm: str) -> int | None:
    """Where the outermost bracket left open at the end of ``norm`` (folded, "(" ")") opens."""
    opened: list[int] = []
    for index, char in enumerate(norm):
        if char == "(":
            opened.append(index)
        elif char == ")" and opened:
            opened.pop()
    return opened[0] if opened else None


def _plain_script(doc: Document, run: _Run) -> Document:
    """繁体 (a mirror site's conversion) read as 简体; pinyin glosses ("區(qū)") dropped."""
    text = doc.text
    hits = len(TRADITIONAL.findall(text))
    glossed = strip_pinyin_glosses(text) != text
    if hits < 5 and not glossed:
        return doc
    lines = []
    for line in doc.lines:
        value = strip_pinyin_glosses(line.text) if glossed else line.text
        lines.append(Line(line.no, simplified(value, force=True) if hits >= 5 else value, line.outline))
    if hits >= 5:
        converted = any(a.text != b.text for a, b in zip(doc.lines, lines)) or glossed
        run.warn(1, "文档为繁体,已按简体读取(任务和单位以简体保存)" if converted and simplified("們", force=True) == "们"
                 else "文档为繁体,未安装 OpenCC(pip install opencc),按原文导入;单位名称可能与名册中的简体名称对不上")
    if glossed:
        run.warn(1, "删去了网页加在繁体字后的拼音注音,如“(qū)”")
    return Document(lines, doc.name, list(doc.tables))


def _tables(doc: Document) -> list[tuple[Grid, Header]]:
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
            last_grid.rows += grid.rows
            last_grid.last = max(last_grid.last, grid.last)
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


def _page_break(doc: Document, last: int, first: int) -> bool:
    """Whether only a page number ("- 2 -") stands between two lines: a table goes on there, where a
    heading between two tables ("二、平台建设") starts another."""
    return all(not line.text.strip(_STRIP) or _BARE_PAGE.match(fold(line.text).strip(_STRIP))
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


def _with_table_marks(segs: list[_Seg], tables: list[tuple[Grid, Header]]) -> list[_Seg]:
    """A placeholder segment where each table stood, so the plan's extent and title see it."""
    if not tables:
        return segs
    out: list[_Seg] = []
    pending = sorted(tables, key=lambda item: item[0].first)
    for seg in segs:
        while pending and pending[0][0].first <= seg.no:
            out.append(_table_mark(pending.pop(0)))
        out.append(seg)
    out += [_table_mark(item) for item in pending]
    return out


def _table_mark(item) -> _Seg:
    seg = _Seg(item[0].first, "工作任务")
    seg.kind = "table"
    seg.table = item  # type: ignore[attr-defined]
    return seg


def _parts(found) -> tuple[list[ImportedSection], list[ImportedTask], bool]:
    """What a reading (a ``_Builder``, a ``TableTasks``) found: sections, tasks, whether any names units."""
    return found.sections, found.tasks, found.any_units


def _without_table_title(plan: ImportedPlan, segs: list[_Seg]) -> list[_Seg]:
    """The prose before a 分工表 without the table's own title line ("…任务分工表") at its end: that
    line names the plan when nothing else does."""
    if segs and segs[-1].marker is None and _TABLE_TITLE.search(segs[-1].compact):
        plan.title = plan.title or segs[-1].compact
        return segs[:-1]
    return segs


def _numbered_prose(segs: list[_Seg]) -> "_Builder | None":
    """The prose before a 分工表 read by itself, when it is numbered."""
    return _Builder(segs, _Run(), None).build() if any(s.marker is not None for s in segs) else None


def _prose_and_grids(plan: ImportedPlan, body: list[_Seg], run: _Run):
    """Tables read as tables; prose before the first one as in ``_prose_and_table``."""
    marks = [i for i, s in enumerate(body) if s.kind == "table"]
    if not marks:  # the tables lie outside the plan's extent (a notice's attachment list…)
        return _parts(_Builder([s for s in body if s.kind != "table"], run, None).build())
    prose_segs = _without_table_title(plan, body[:marks[0]])
    after = [s for s in body[marks[0]:] if s.kind != "table"]
    if any(s.marker is not None for s in after):
        # numbered prose goes on after the table ("三、保障措施"): one walk through prose and
        # tables, each table's rows under the heading above it
        return _parts(_Builder(body, run, None).build())
    prose = _numbered_prose(prose_segs)

    def read_tables(into: TableTasks | None) -> tuple[TableTasks, _Run]:
        result, own = into, _Run()
        for index in marks:
            grid, header = body[index].table
            result = build_tasks(grid, header, own.warn, trailing=_trailing_units, into=result)
        return result or TableTasks(), own

    for seg in after:
        if not _CHROME.match(seg.norm):
            run.warn(seg.no, f"表格后的文字未导入:{excerpt(seg.raw)}")
    alone, alone_run = read_tables(None)
    if prose is None or not prose.tasks:
        for seg in prose_segs:
            if not _CHROME.match(seg.norm):
                run.warn(seg.no, f"分工表前的文字未导入:{excerpt(seg.raw)}")
        run.warnings += alone_run.warnings
        return _parts(alone)

    def join() -> tuple[TableTasks, _Run]:
        # the rows go on from the prose's last heading, unless the tables have headings of their own
        stack = [] if alone.sections else [("prose", key) for _, key, _, _ in prose.final_stack]
        return read_tables(TableTasks(counts=dict(prose.final_counts), stack=stack))

    return _prose_or_table(prose, prose_segs, (alone, alone_run), join, body[marks[0]].no, run)


def _prose_and_table(plan: ImportedPlan, body: list[_Seg], table: _Table, run: _Run):
    """A 分工表, alone or after the prose 要点 it restates (then the table is the better source)."""
    prose_segs, rows = _without_table_title(plan, body[:table.header_at]), body[table.body_at:]
    prose = _numbered_prose(prose_segs)
    alone = _Builder(rows, _Run(), table).build()
    if prose is None or not prose.tasks:
        run.warnings += alone.run.warnings
        for seg in prose_segs:
            if not _CHROME.match(seg.norm) and seg.marker is None:
                run.warn(seg.no, f"分工表前的文字未导入:{excerpt(seg.raw)}")
        return _parts(alone)

    def join() -> tuple[_Builder, _Run]:
        joined = _Builder(rows, _Run(), table, inherit=prose).build()
        return joined, joined.run

    empty_at = rows[0].no if rows else prose_segs[-1].no
    return _prose_or_table(prose, prose_segs, (alone, alone.run), join, empty_at, run)


def _prose_or_table(prose: "_Builder", prose_segs: list[_Seg], table, join, empty_at: int, run: _Run):
    """Numbered prose with tasks before a 分工表 (``table``: the table read by itself, and its
    warnings) gives the tasks when the table gives none; the table does when it restates the prose
    or alone names units. Else the table adds to the prose: ``join()`` reads its rows on from the
    prose's last heading (the reading, and its warnings)."""
    alone, alone_run = table
    if not alone.tasks:
        run.warnings += prose.run.warnings
        run.warn(empty_at, "分工表中没有读出任务,任务取自正文")
        return _parts(prose)
    span = _lines(prose_segs[0].no, prose_segs[-1].no)
    if _restates(alone, prose):
        run.warnings += alone_run.warnings
        run.warn(prose_segs[0].no, f"文档同时有正文要点({span})和重述它的分工表,任务取自分工表,正文未导入")
        _borrow_numbers(alone, prose, run)
        return _with_missing(alone, prose, run)
    if not prose.any_units and alone.any_units:
        # prose that names no unit before a 分工表 that does: the 方案's body (总体要求, "任务见附件",
        # 工作要求) and its attached task table, whose rows are the tasks
        run.warnings += alone_run.warnings
        run.warn(prose_segs[0].no, f"正文({span})没有写责任单位,任务取自其后的分工表,正文未导入")
        return _with_missing(alone, prose, run)
    joined, joined_run = join()
    run.warnings += prose.run.warnings + joined_run.warnings
    return prose.sections + joined.sections, prose.tasks + joined.tasks, prose.any_units or joined.any_units


def _with_missing(table: "_Builder | TableTasks", prose: "_Builder", run: _Run):
    """The table's reading, and the prose items it leaves out when it restates the others: a body
    list "1.–6." before a table of five of them keeps the sixth (the table has the units)."""
    sections, tasks, any_units = _parts(table)
    missing = _not_restated(table, prose)
    if missing:
        by_title = {_title_key(s.title): s.key for s in table.sections}
        titles = {s.key: _title_key(s.title) for s in prose.sections}
        for task in missing:
            section = by_title.get(titles.get(task.section or "", ""))
            tasks.append(ImportedTask(number=task.number, section=section, text=task.text, units=list(task.units),
                                      units_text=task.units_text, deadline=list(task.deadline), line=task.line))
            run.warn(task.line, f"正文第{task.line}行的条目在分工表中没有,已按正文导入:{excerpt(task.text)}")
    return sections, tasks, any_units


def _bigrams(text: str) -> set[str]:
    key = _title_key(text)
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _not_restated(table: "_Builder | TableTasks", prose: "_Builder") -> list[ImportedTask]:
    """The prose's tasks that no table row repeats, when the rows repeat at least half of them (by
    their words: a row may leave out the item's title or its last full stop); else none."""
    rows = [_bigrams(task.text) for task in table.tasks]
    headings = {_title_key(s.title) for s in table.sections}
    missing = []
    for task in prose.tasks:
        own = _bigrams(task.text)
        if _title_key(_split_title(task.text)[0]) in headings or any(
                own and row and len(own & row) >= 0.6 * min(len(own), len(row)) for row in rows):
            continue
        missing.append(task)
    return missing if len(missing) * 2 <= len(prose.tasks) else []


def _title_key(text: str) -> str:
    """A title as compared: without spaces and punctuation."""
    return re.sub(r"[\s,,。.、;;:]", "", fold(text))


def _restates(table: "_Builder | TableTasks", prose: "_Builder") -> bool:
    """Whether the table's headings are the prose's headings and items (by title)."""
    known = {_title_key(s.title) for s in prose.sections}
    known |= {_title_key(_split_title(t.text)[0]) for t in prose.tasks}
    if not table.sections:
        return False
    return sum(_title_key(s.title) in known for s in table.sections) * 2 >= len(table.sections)


def _self_reference(segs: list[_Seg]) -> str | None:
    """"结合我局实际": how the plan names its own body when it is not stated."""
    counts = Counter(match.group() for seg in segs for match in _SELF.finditer(seg.norm))
    return counts.most_common(1)[0][0] if counts else None


def _borrow_numbers(table: "_Builder | TableTasks", prose: _Builder, run: _Run) -> None:
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
