"""Where the plan is in a document's segments, and what the pages around it say about it.

The plan starts below its title line (the one the cover notice announces, or as the page repeats
it where the notice ends). What stands before it (web-page chrome, field tables, the notice's
heading, signature and date) is read for metadata only: title, 文号, issuer, date, year, source
address; the tail (抄送, 印发, page chrome, a sharing site's banner) is cut off. A notice with
nothing of a plan after it is all front matter. Each part left out is reported as a warning.
"""

from __future__ import annotations

import datetime as dt
import re

from gktrack.domain import numerals
from gktrack.domain.deadlines import find_deadline_phrases
from gktrack.domain.text import BRACKET_FOLD, bracket_pairs, enclosed
from gktrack.domain.unitphrase import looks_like_unit_phrase, parse_unit_phrase_or_none
from gktrack.features.importer.lines import CHROME, NOTICE_WORD, PLAN_WORD, Run, Seg, plan_title
from gktrack.features.importer.result import ImportedPlan
from gktrack.features.importer.text import (
    CJK, DATE, DATE_LINE, DOC_NUMBER, STRIP, excerpt, fold, outranks, to_date,
)
from gktrack.features.importer.item_units import ROLE_END, UNIT_LABEL, trailing_units
from gktrack.features.importer.table import DEADLINE, UNIT_ROLES, header_role


# A document-sharing site's banner where the excerpt ends ("下载后继续阅读", "登录 | 注册"): a short line
# about the reader's account. Looked for only below the last task: a task may well say "下载".
SITE_BANNER = re.compile(r"^(?![(\d一二三四五六七八九十])(?=[^。]{0,40}$).*(?:下载|登录|注册|会员|VIP|配额|积分|付费|充值"
                          r"|阅读全文|继续阅读|查看全文|展开全文|无限次)")
# "抄送:…", "X办公室 2019年6月20日印发": a notice's distribution lines, ending the document or, with
# the plan after them, the notice
_DISTRIBUTION = re.compile(r"^(?:抄送|抄报|印送|报送)\s*:")
ISSUED_TRAILER = re.compile(r"(?P<date>" + DATE.pattern + r")\s*印发\s*$")
_TRAILER = re.compile(_DISTRIBUTION.pattern + r"|^\(此件|^扫一扫|^(?:【\s*)?(?:打印|关闭)(?:本页|窗口)")
# a title's year, and the looser words a plan's own title may end in when it opens the text
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年|[〇零一二三四五六七八九○]{4}年")
_OWN_WORD = re.compile(r"(?:任务|工作重点|重点工作|措施|举措|安排)$")
ADDRESSEE = re.compile(r"^各[^。]{1,80}:$")
# How a page repeats the plan's title under its notice: "附件1:X", "关于印发X的通知", "《X》的通知"
_DECORATION = re.compile(r"(?:附件\d{0,2}:?)?(?:关于印发|印发)?《?(?P<t>[^《》]+?)》?(?:的通知|通知)?")
# "(此件公开发布)", "(此件主动公开)": the last line of a cover notice
_NOTICE_CLOSE = re.compile(r"^\(此件[^()]{0,12}\)$")
_ATTACHMENT = re.compile(r"^附件\d{0,2}:?$")
# "关于印发X的通知": the name the cover notice gives the plan
# the plan's name may hold a document it carries out: "印发2023年《政府工作报告》重点任务分解方案的通知"
NOTICE_TITLE = re.compile(r"印发《?(?P<t>[^《》。]{0,12}《[^《》。]{2,30}》[^《》。]{2,40}?|[^《》。]{4,60}?)》?的\s*通\s*知")
# the sentence by which a cover notice issues the plan, and the notice's closing request
_ISSUING = re.compile(r"印发给你们|现印发|现将.{0,40}印发")
_NOTICE_BODY = re.compile(_ISSUING.pattern + r"|请.{0,10}(?:贯彻|遵照|认真)")
# The names a notice's line gives a plan: "关于印发X的通知", "《X》", and at a clause's start the plan
# it makes, named with its year ("结合实际,制定2024年某局政务公开工作要点")
_NAMED = re.compile(NOTICE_TITLE.pattern + r"|《(?P<q>[^《》]{4,60})》"
                    r"|(?:^|(?<=[,。;:]))[特现]?(?:制定|印发)(?P<u>(?:19|20)\d{2}\s*年[^《》,。;:]{2,40})(?=[,。;:]|$)")
# a line that makes or hands over a plan, not one only citing others ("某厅印发的《Y》")
_HANDING = re.compile(_ISSUING.pattern + r"|(?:制定|印发|发布)了?(?:《|(?:19|20)\d{2}\s*年)")
# what a clause says before naming another document it carries out or goes by ("根据《Y》",
# "按照某厅印发的《Y》")
_CITING = re.compile(r"贯彻|落实|按照|根据|依据|依照|参照|遵照|(?:印发|发布|出台)的")
# "并提出如下工作要求", "现就有关事项通知如下:": the notice announces numbered points of its own
_OWN_POINTS = re.compile(r"(?:如下|以下)(?!简称)")
# a notice's 文号 outside a field: opening a heading line ("X〔2019〕33号:关于印发…"), maybe after a
# page's mark of the document's status ("(失效)", "【已废止】"; not "(一)"), or after its title in brackets
_STATUS_MARK = rf"(?:[(【\[]\s*(?![一二三四五六七八九十])[{CJK}]{{1,6}}\s*[)】\]]\s*)?"
_NUMBER_OPENING = re.compile(_STATUS_MARK + DOC_NUMBER.pattern + r"(?=$|\s|:)")
# a title line closed by its 文号 in brackets: "…的通知(X〔2017〕2号)", "…实施意见(X〔2017〕101号)",
# maybe with the notice run on after it on the same line
_NUMBER_CLOSING = re.compile(r"(?:通\s*知|意见|方案|要点|计划|分工|安排|清单)\s*\(\s*(?P<n>" + DOC_NUMBER.pattern
                             + r")\s*\)(?=\s|$)")
# the notice's title with its 文号 after a space: "关于印发X的通知 常政发〔2023〕1号"
_NUMBER_AFTER_NOTICE = re.compile(r"通\s*知\s+(?P<n>" + DOC_NUMBER.pattern + r")\s*$")
_TITLE_NUMBER = re.compile(r"\(\s*" + DOC_NUMBER.pattern + r"\s*\)$")
# a page's fields run together, labels without their colons ("发文机构X发文字号X〔2018〕103号"):
# a 文号 is known by its shape right after its label
_NUMBER_LABEL_WORDS = r"发文字号|文件编号|发文编号|文\s*号"
_NUMBER_AFTER_LABEL = re.compile(rf"(?:{_NUMBER_LABEL_WORDS})\s*(?P<n>{DOC_NUMBER.pattern})")
_URL = re.compile(r"https?://[^\s<>\"'，。、）)]+")
_LABEL_WORDS = rf"发文机关|发文单位|制[发定]机关|发布(?:机构|单位|机关)|{_NUMBER_LABEL_WORDS}|成文日期|印发日期|公布日期|发布日期|标\s*题"
_LABEL = re.compile(rf"^(?P<label>{_LABEL_WORDS})\s*:\s*(?P<value>.*)$")
# a page's field table whose labels are bracketed cells: "[ 发文字号 ] | X", "【发文机关】X", a law
# database's bulleted "∙【制定机关】X"
_BRACKET_LABEL = re.compile(rf"^(?:[•·∙]\s*)?[\[【]\s*(?P<label>{_LABEL_WORDS})\s*[\]】]\s*:?\s*(?P<value>.*)$")
ORG_END = r"(?:办公室|办公厅|人民政府|政府|委员会|管委会|办事处|联合会|局|厅|委|办|部|中心)"
# the body a title names before its year, or after it or with none: "某市残疾人联合会2024年政务公开…",
# "2020年某市人力资源和社会保障局政务公开工作要点", "某市某局政务公开工作要点分工方案(2024年版)"
_TITLE_ORG = re.compile(rf"^(?P<org>[{CJK}()]{{2,40}}?{ORG_END})(?=(?:19|20)\d{{2}}\s*年)"
                        rf"|^(?:(?:19|20)\d{{2}}\s*年度?)?(?P<after>[{CJK}()]{{2,40}}?{ORG_END})(?=政务公开|政府信息公开)")
# a site's name line: "某县人民政府 www.… 发布时间:"
_SITE_ORG = re.compile(rf"^(?P<org>[{CJK}()]{{2,40}}?{ORG_END})\s+(?:https?://)?www\.")
_CRUMB = re.compile(r"\s*(?:>>|[>›»])\s*")
_ORG_BEFORE_ABOUT = re.compile(rf"^(?P<org>[{CJK}()]{{2,40}}?{ORG_END})(?:关于|印发)")
# the sentence that names the plan as its body published it, when no line is its title:
# "2022年5月5日,某部办公厅发布《X》。" (a 《》 cited inside a longer sentence is another document)
_PUBLISHED = re.compile(rf"(?:^|[,,])(?P<org>[{CJK}()]{{2,40}}?{ORG_END})(?:发布|印发|出台)了?《(?P<t>[^《》]{{4,60}})》[。.]?$")
# a national body's name holds no place: "某某部", "某某部办公厅"
_NATIONAL = re.compile(rf"[{CJK}]{{2,8}}部(?:办公厅)?")
# a field label written without its colon before a notice's title in a page's table ("标题 X关于…")
_BARE_TITLE_LABEL = re.compile(r"^(?:标\s*题|内容概述|(?:文件)?名\s*称)\s+")
# a sentence's opening words, where a body's name never starts ("为深入贯彻落实某省人民政府办公厅关于…")
VERB_OPENING = re.compile(r"^(?:为|根据|按照|依据|关于|印发|贯彻|落实|推进|全面|深化|加强|做好|进一步)")
# A "label:" where a page's field starts: the line's start, or after a space ("发布机构: X 生成日期: Y")
_FIELD_START = re.compile(rf"^(?:[•·\-]\s*)?[{CJK}]{{2,8}}\s*:")
_FIELD = re.compile(rf"(?:^|(?<=\s))(?:[•·\-]\s*)?(?P<label>[{CJK}][{CJK}\s]{{1,7}}?)\s*:")


def header_span(segs: list[Seg], index: int) -> tuple[int, int] | None:
    """The header written one cell a line that ``segs[index]`` is a cell of, as (first, end): three
    or more column names (as the table model knows them), one a unit or time column. Many column
    names are common words ("内容", "目标", "项目"): a few of them together are still text."""
    def named(at: int) -> bool:
        return header_role(segs[at].compact) is not None

    if not named(index):
        return None
    first, end = index, index + 1
    while first and named(first - 1):
        first -= 1
    while end < len(segs) and named(end):
        end += 1
    roles = {header_role(seg.compact) for seg in segs[first:end]}
    return (first, end) if end - first >= 3 and roles & {*UNIT_ROLES, DEADLINE} else None


def dedouble(text: str) -> str:
    """"X方案X方案" (a page header glued to the title) -> "X方案"."""
    half = len(text) // 2
    return text[:half] if len(text) % 2 == 0 and text[:half] == text[half:] else text


def _undecorated(text: str) -> str:
    """"附件:X", "关于印发X的通知", "《X》的通知": X, the plan's own title, as a page repeats it."""
    match = _DECORATION.fullmatch(text)
    return match.group("t") if match else text


def _title_text(segs: list[Seg], index: int, decorated: bool = False,
                opening: bool = False) -> tuple[str, int] | None:
    """The plan title starting at ``index`` (one line, or two when it is broken): (title, lines).

    ``decorated``: where the notice has just ended, the title may come as the page repeats it
    ("X的通知", "附件:X") and may be broken before "的通知". ``opening``: the first line of the
    text, where a title with its year may name the plan more loosely ("某局2024年政务公开重点任务")."""
    def plan_named(text: str) -> bool:
        return bool(PLAN_WORD.search(text) or opening and _YEAR.search(text) and _OWN_WORD.search(text))

    def plain(seg: Seg) -> bool:
        return seg.marker is None and "。" not in seg.norm and not CHROME.match(seg.norm) \
            and not _NAVIGATION.search(seg.norm) \
            and not re.match(r"\d{1,2}[.、]", seg.norm) and not enclosed(seg.norm)

    seg = segs[index]
    if not plain(seg):
        return None
    following = segs[index + 1].compact if index + 1 < len(segs) else ""
    if following.startswith(("的通知", "通知")):
        text = _undecorated(dedouble(seg.compact))
        return (text, 2) if decorated and following in ("的通知", "通知") and plan_title(text) else None
    candidates = [(seg.compact, 1)]
    # a title broken at a page's width: its first line may be long, its second is no title itself
    long_first = not re.search(r"[,,;;::]", seg.norm) and not (len(following) >= 5 and plan_named(following))
    if index + 1 < len(segs) and plain(segs[index + 1]) and (len(seg.compact) <= 30 or long_first) \
            and len(following) <= 20 and seg.norm[-1:] not in "。!?;!?;" and not _beside_title(seg) \
            and not _beside_title(segs[index + 1]):
        after = segs[index + 2].compact if index + 2 < len(segs) else ""
        if not after.startswith(("的通知", "通知")):
            candidates.append((seg.compact + following, 2))
    for text, count in candidates:
        # a file name's extension ("X细则.docx" on a document-sharing page), a column's tag ("【专栏】X")
        text = dedouble(_TITLE_TAG.sub("", _FILE_EXTENSION.sub("", _TITLE_NUMBER.sub("", text))))
        if decorated:
            text = _undecorated(text)
        # two short lines ("政策文件" "规划计划", a site's menu) are no broken title: a title broken
        # in two is a long one, and its first line stops mid-title, not on a word like "计划"; a
        # second line that opens with a place ("上海市…规定") starts a title of its own
        if count == 2 and (len(text) < 12 or (PLAN_WORD.search(seg.compact) and PLAN_WORD.search(following))
                           or _PLACE_OPENING.match(following)):
            continue
        if 5 <= len(text) <= 60 and plan_named(text) and not _notice_named(text):
            return text, count
    return None


def _notice_named(text: str) -> bool:
    """Whether a title line names a notice, not a plan: "(X)关于Y的实施意见" is a plan's own title unless
    Y itself is a notice's words (the 要点 it carries out, "贯彻落实《…》", are not)."""
    own = re.sub(r"^[^《》:]{0,40}?关于", "", text)
    return bool(NOTICE_WORD.search(_IMPLEMENTED.sub("", own)))


_FILE_EXTENSION = re.compile(r"\.(?:docx?|wps|pdf|xlsx?|txt)$", re.IGNORECASE)
# what a page or a collapsed notice puts before a title on its line: a column's tag ("【专栏】X",
# "政务服务丨X"), the notice's date ("2022年4月28日 X方案")
_COLUMN_TAG = re.compile(rf"^[{CJK}]{{2,8}}丨")
_TITLE_TAG = re.compile(rf"^【[^【】]{{1,12}}】|{_COLUMN_TAG.pattern}|^(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日(?=[{CJK}])")
_PLACE = re.compile(rf"[{CJK}]{{1,8}}?(?:自治区|自治州|自治县|省|市|区|县|州|盟|旗|镇|乡|街道)")
_PLACE_LONGEST = 8 + len("自治区")


def _places(text: str) -> bool:
    """Whether ``text`` is place names one after another ("重庆市梁平区"). Split here, not by one
    repeated pattern: that tries every way to split "市区市区…" before it fails (seconds for 40 characters)."""
    ends = {0}
    for start in range(len(text)):
        if start in ends:
            ends.update(end for end in range(start + 2, min(len(text), start + _PLACE_LONGEST) + 1)
                        if _PLACE.fullmatch(text, start, end))
    return bool(text) and len(text) in ends


_PLACE_OPENING = re.compile(rf"(?![全本各该])[{CJK}]{{1,6}}?(?:省|市|区|县|州|镇|乡|街道)")
# Where a plan's title may end when the text runs on after it on the same line.
_TITLE_END = re.compile(r"要点|方案|分工表?|任务表|分解表|一览表|清单|台账|计划|工作安排|重点任务")


def _opening(segs: list[Seg]) -> int:
    """Where the text starts below the page's chrome (``len(segs)`` when there is none)."""
    return next((i for i, seg in enumerate(segs) if not CHROME.match(seg.norm)), len(segs))


def opening_title(segs: list[Seg]) -> str | None:
    """The plan's title as the text's first line, read even where nothing numbered follows it (an
    excerpt cut before its tasks, headings run into the text)."""
    at = _opening(segs)
    found = _title_text(segs, at, opening=True) if at < len(segs) and segs[at].kind != "table" else None
    return found[0] if found else None


def split_opening_title(segs: list[Seg]) -> list[Seg]:
    """"某县2018年政务公开工作要点实施方案为深入贯彻…": a text whose line breaks were lost opens
    with the plan's title run into its first sentence; the title becomes a line of its own."""
    at = _opening(segs)
    if at == len(segs) or segs[at].marker is not None or _title_text(segs, at, opening=True) \
            or _NOTICE_BODY.search(segs[at].norm):  # "X要点已经县政府同意,现印发给你们": the notice
        return segs
    seg = segs[at]
    end = None
    for match in _TITLE_END.finditer(seg.norm[:60]):
        prefix, after = seg.norm[:match.end()], seg.norm[match.end():]
        if end is not None and match.start() - end > 4:
            break  # the sentence has begun: "…方案为贯彻落实…要点" is no longer the title
        if re.search(r"[,。;:、!?\s]", prefix) or NOTICE_WORD.search(prefix) or not _YEAR.search(prefix) \
                or len(prefix) < 5 or len(after) < 20 or not re.match(rf"[{CJK}]", after) or after[0] in "的之和与及等":
            if end is not None:
                break
            continue
        end = match.end()
    if end is None:
        return segs
    return segs[:at] + [seg.piece(0, end), seg.piece(end, len(seg.raw))] + segs[at + 1:]


# "某省人民政府办公厅 2021 年6 月 1 日": a notice's signature with its date on one line
_SIGNED = re.compile(r"^(?P<org>.+?)\s*(?P<date>" + DATE.pattern + r")\s*$")
# a page's navigation: a bulleted menu entry ("• 依申请公开"), a breadcrumb ("政务公开 > 年报")
_NAVIGATION = re.compile(r"^[•·‧∙>»›]|\S\s*(?:>>|[>›»])\s*\S")


def signed_line(seg: Seg) -> tuple[str, dt.date | None] | None:
    """(body, date) of a line that is a signature followed by its date."""
    match = _SIGNED.match(seg.norm)
    if match is None or not _is_signature(Seg(seg.no, seg.raw[:match.start("date")])):
        return None
    return seg.raw[:match.start("date")].strip(STRIP), to_date(match)


def _beside_title(seg: Seg) -> bool:
    """Whether ``seg`` is a line that never makes half of a title broken in two: a signature, a
    date, or both on one line. (An entry of the page's navigation is no part of a title at all.)"""
    return bool(DATE_LINE.match(seg.norm) or _is_signature(seg) or signed_line(seg))


def _is_signature(seg: Seg) -> bool:
    units = parse_unit_phrase_or_none(seg.raw)
    return units is not None and len(units) == 1 and looks_like_unit_phrase(seg.raw) \
        and not ROLE_END.search(seg.norm)


def locate(segs: list[Seg], run: Run) -> tuple[int, int, str | None, int]:
    """(first body segment, end, plan title, index of the title or -1)."""
    has_structure_after = [False] * (len(segs) + 1)
    for index in range(len(segs) - 1, -1, -1):
        has_structure_after[index] = has_structure_after[index + 1] or segs[index].marker is not None \
            or segs[index].kind == "table" or header_span(segs, index) is not None
    start, title, title_at = 0, None, -1
    closing = _notice_close(segs, has_structure_after)
    if closing is not None:
        # "(此件公开发布)" ends the notice: the plan follows, its title repeated or not
        start = closing + 1
        if found := _title_near(segs, start):
            title, title_at, start = found[0], found[2], found[2] + found[1]
    else:
        opening = _opening(segs)
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
                if better and not title_year(title) and title_year(better[0]) \
                        and has_structure_after[start + better[1]]:
                    title, title_at, start = better[0], start, start + better[1]
                # a page's heading, then the cover notice, then the title it announces: the plan's
                elif (again := _repeated_after_notice(segs, title, start)) is not None:
                    title_at, start = again, again + 1
                break
    if title is None and closing is None:
        start = _after_notice(segs, run)
        found = _title_near(segs, start)
        if found and has_structure_after[found[2] + found[1]]:
            title, title_at, start = found[0], found[2], found[2] + found[1]
    before = title_at if title_at >= 0 else start
    if before:
        substantive = [s for s in segs[:before] if not CHROME.match(s.norm)]
        if substantive:
            run.warn(segs[0].no, f"{line_span(segs[0].no, segs[before - 1].no)}是标题前的网页信息或印发通知,"
                                 f"只读取了文号、日期等信息,未作为任务")
        _notice_deadlines(substantive, run)
    notes = _numbered_notes(segs, start)
    if notes > start:
        run.warn(segs[start].no, f"{line_span(segs[start].no, segs[notes - 1].no)}是正文第一部分之前另行编号的条目"
                                 f"(网页或通知的说明),未作为任务")
        start = notes
    end = len(segs)
    second = _second_plan(segs, title, title_at, start)
    if second is not None:
        end = second
        run.warn(segs[second].no, f"第{segs[second].no}行起是同一通知印发的另一份计划“{segs[second].compact}”,"
                                  f"未导入:请把它另存为单独的文件再导入")
    elif title is not None and _plan_key(title) in (issued := _issued_together(segs, title_at)) \
            and (others := [name for key, name in issued.items() if key != _plan_key(title)]):
        # the notice issues two plans, the text stops inside the first: the one wanted may be the other
        run.warn(segs[title_at].no, f"通知同时印发了{'、'.join(f'《{n}》' for n in others)},文中没有它"
                                    f"(节选在它之前中断?),只导入了《{title}》,请核对是否是要导入的计划")
    seen_structure = False
    for index in range(start, end):
        seg = segs[index]
        seen_structure = seen_structure or seg.marker is not None or seg.kind == "table"
        if _TRAILER.match(seg.norm) or _distribution(seg):
            end = index
            break
        if seen_structure and (DATE_LINE.match(seg.norm) or signed_line(seg)) and not any(
                not CHROME.match(s.norm) and (s.marker is not None or looks_like_unit_phrase(s.raw))
                for s in _until_trailer(segs, index + 1)):
            end = index
            if index - 1 >= start and _is_signature(segs[index - 1]):
                end = index - 1
            break
    while end > start and (CHROME.match(segs[end - 1].norm) or SITE_BANNER.match(segs[end - 1].norm)):
        end -= 1
    if start and all(CHROME.match(seg.norm) for seg in segs[start:end]):
        # the notice and its date, then nothing of the plan: the excerpt stops before it
        notice = _notice_start(segs[:start])
        run.notice_only = run.notice_only or notice is not None and _issues_plan(segs, notice)
    if end < len(segs) and second is None and (tail := [s for s in segs[end:] if not CHROME.match(s.norm)]):
        run.warn(segs[end].no, f"{line_span(segs[end].no, segs[-1].no)}是文末的落款、抄送或网页信息,"
                               f"未导入:{excerpt(tail[0].raw)}")
    return start, end, title, title_at


def _numbered_notes(segs: list[Seg], start: int) -> int:
    """Where the plan's numbering starts when items "1、" "2、" ranked below its first part "一、"
    come before it (a sharing site's notes): nothing stands above a plan's first part."""
    index, style, count = start, None, 0
    while index < len(segs) and _page_field(segs[index]):
        index += 1  # the page's fields over its notes ("页数:3页", "温馨提示:"): left out with them
    while index < len(segs):
        seg = segs[index]
        if seg.marker is None and not re.search(r"\w", seg.norm):
            index += 1  # a list's dash split off its item ("- 2、…"): no words
            continue
        if seg.marker is None or seg.marker.style != (style or seg.marker.style) or seg.marker.value != count + 1:
            break
        style, count, index = seg.marker.style, count + 1, index + 1
    at = next((i for i in range(index, len(segs)) if segs[i].marker is not None or segs[i].kind == "table"), None)
    first = segs[at].marker if at is not None else None
    if count < 2 or first is None or first.value != 1 or not outranks(first.style, style):
        return start
    # the part numbering goes on ("二、"): the plan's own, not a list the run leads into
    if not any(seg.marker is not None and seg.marker.style == first.style and seg.marker.value == 2
               for seg in segs[at + 1:]):
        return start
    return index


def _page_field(seg: Seg) -> bool:
    """A short unnumbered line that says no sentence: a page's field or button, not a plan's lead."""
    return seg.marker is None and seg.kind != "table" and len(seg.compact) <= 20 and "。" not in seg.norm


def _until_trailer(segs: list[Seg], start: int):
    """The segments from ``start`` up to the next "(此件…)" or 抄送 line: past it is footer only."""
    for seg in segs[start:]:
        if _TRAILER.match(seg.norm):
            return
        yield seg


def _distribution(seg: Seg) -> bool:
    return bool(_DISTRIBUTION.match(seg.norm) or ISSUED_TRAILER.search(seg.norm) and len(seg.norm) < 60)


def _notice_close(segs: list[Seg], has_structure_after: list[bool]) -> int | None:
    """The "(此件公开发布)" or 抄送 line that closes a cover notice with the plan after it: more
    numbered headings or tables follow it than the notice's own "一、二、" before it (else it
    closes the document and what follows is footer)."""
    noticed = False
    for index, seg in enumerate(segs):
        noticed = noticed or bool(ADDRESSEE.match(seg.compact) or _NOTICE_BODY.search(seg.norm)
                                  or DATE_LINE.match(seg.norm))
        if not (_NOTICE_CLOSE.match(seg.compact) or _distribution(seg)):
            continue
        before = sum(1 for s in segs[:index] if s.marker is not None or s.kind == "table")
        after = sum(1 for s in segs[index + 1:] if s.marker is not None or s.kind == "table")
        return index if noticed and has_structure_after[index + 1] and after > before else None
    return None


def _title_near(segs: list[Seg], start: int) -> tuple[str, int, int] | None:
    """The title repeated where a notice ends, maybe decorated, maybe after a "附件" line or page
    chrome: (title, lines, index); None when the text or the numbering starts first."""
    for index in range(start, min(len(segs), start + 6)):
        seg = segs[index]
        if seg.marker is not None or seg.kind == "table":
            return None
        if found := _title_text(segs, index, decorated=True):
            return found[0], found[1], index
        if not (CHROME.match(seg.norm) or _ATTACHMENT.match(seg.compact)):
            return None
    return None


def _repeated_after_notice(segs: list[Seg], title: str, start: int) -> int | None:
    """Where a cover notice below the title line ends on that title again, before anything numbered."""
    noticed = False
    for index in range(start, min(len(segs), start + 40)):
        seg = segs[index]
        if seg.marker is not None or seg.kind == "table":
            return None
        noticed = noticed or bool(ADDRESSEE.match(seg.compact) or _NOTICE_BODY.search(seg.norm))
        if noticed and seg.compact == title:
            return index
    return None


def _plan_key(text: str) -> str:
    return re.sub(r"[\s《》]", "", fold(text))


def _announced_plans(segs: list[Seg], title_at: int) -> dict[str, str]:
    """The plans the cover notice above the title names (《A》和《B》): key -> name as written."""
    return {_plan_key(name): name for seg in segs[:max(title_at, 0)]
            for name in re.findall(r"《([^《》]{4,60})》", seg.norm) if PLAN_WORD.search(name)}


def _issued_together(segs: list[Seg], title_at: int) -> dict[str, str]:
    """Plans the cover notice issues together, named side by side ("印发《A》和《B》的通知"), unlike
    the documents it cites one by one: key -> name as written."""
    found: dict[str, str] = {}
    for seg in segs[:max(title_at, 0)]:
        for pair in re.finditer(r"《([^《》]{4,60})》(?:和|及|与|、)《([^《》]{4,60})》", seg.norm):
            if all(PLAN_WORD.search(name) for name in pair.groups()):
                found.update({_plan_key(name): name for name in pair.groups()})
    return found


def _second_plan(segs: list[Seg], title: str | None, title_at: int, start: int) -> int | None:
    """Where a second plan begins, when the cover notice announces two (《A》和《B》) and both follow."""
    if title is None or title_at <= 0:
        return None
    announced = _announced_plans(segs, title_at)
    if len(announced) < 2:
        return None
    for index in range(start, len(segs)):
        found = _title_text(segs, index)
        if found and _plan_key(found[0]) != _plan_key(title) and _plan_key(found[0]) in announced:
            return index
    return None


def line_span(first: int, last: int) -> str:
    return f"第{first}行" if first == last else f"第{first}–{last}行"


def _notice_deadlines(segs: list[Seg], run: Run) -> None:
    """The cover notice may set its own deadlines ("各县区要在5月11日前制定措施"): say so."""
    for seg in segs:
        if _LABEL.match(seg.norm) or DATE_LINE.match(seg.norm) or len(seg.norm) < 20:
            continue
        if found := find_deadline_phrases(seg.raw):
            run.warn(seg.no, f"印发通知中提到时限“{'、'.join(found)}”(不属于方案任务,未导入):{excerpt(seg.raw)}")


def _after_notice(segs: list[Seg], run: Run) -> int:
    """Without a repeated plan title: skip a cover notice (addressee, 印发 sentence, date). A notice
    issuing the plan that announces points of its own ("并提出如下要求") or goes on in "一、二、"
    paragraphs alone, with no date and nothing of a plan after them, is all the text holds (an
    excerpt cut inside it): all front matter."""
    notice = _notice_start(segs)
    if notice is None:
        return _opening(segs)
    # the notice ends at its date; its own 一、二、 paragraphs may come before it
    for index in range(notice + 1, min(len(segs), notice + 15)):
        if DATE_LINE.match(segs[index].norm):
            return index + 1
    if not _issues_plan(segs, notice):
        return 0
    first = next((i for i in range(notice, len(segs)) if segs[i].marker is not None), len(segs))
    if (any(_OWN_POINTS.search(seg.norm) for seg in segs[notice:first]) or _parts_only(segs[first:])) \
            and not _plan_body(segs, notice + 1):
        run.notice_only = True
        return len(segs)
    # no date, the plan right after the notice's sentence: that sentence ends the front matter
    lead = [i for i in range(notice, min(len(segs), notice + 5)) if _NOTICE_BODY.search(segs[i].norm)]
    if lead and not any(seg.marker is not None for seg in segs[:lead[-1] + 1]):
        return lead[-1] + 1
    return 0


def _parts_only(segs: list[Seg]) -> bool:
    """Whether the numbered paragraphs after a notice are "一、二、" and nothing else: a notice's own
    points ("一、高度重视,夯实责任。…"). A plan following the notice without its title opens in
    the same "一、", but its parts hold items, units or a table (see ``_plan_body``)."""
    return {seg.marker.style for seg in segs if seg.marker is not None} == {"cn"}


def _notice_start(segs: list[Seg]) -> int | None:
    """Where a cover notice's text begins: its addressee line or its 印发 sentence."""
    for index, seg in enumerate(segs[:40]):
        if ADDRESSEE.match(seg.compact) or _NOTICE_BODY.search(seg.norm):
            return index
    return None


def _issues_plan(segs: list[Seg], notice: int) -> bool:
    """Whether the notice beginning at ``notice`` issues a plan: its 印发 sentence, or its own title
    "关于印发X的通知" on a line above it (not one it cites)."""
    return any(_ISSUING.search(seg.norm) for seg in segs[notice:notice + 5]) \
        or any(_heads_notice(seg.compact) for seg in segs[:notice])


def _plan_body(segs: list[Seg], start: int) -> bool:
    """Whether the text from ``start`` holds a plan's body rather than only a notice's own flat
    "一、二、" paragraphs: a table, a unit phrase, a second level of numbering, the plan's title."""
    styles = {seg.marker.style for seg in segs[start:] if seg.marker is not None}
    if len(styles) > 1:
        return True
    for index in range(start, len(segs)):
        seg = segs[index]
        if seg.kind == "table" or header_span(segs, index) is not None \
                or UNIT_LABEL.match(seg.norm) or trailing_units(seg.raw) is not None \
                or seg.marker is None and looks_like_unit_phrase(seg.raw) and not _is_signature(seg) \
                or _title_text(segs, index):
            return True
    return False


def _label_pairs(seg: Seg) -> list[tuple[str, str]]:
    """The known "label: value" fields of a line, one or several ("发布机构: X 生成日期: Y")."""
    fields = list(_FIELD.finditer(seg.norm))
    pairs = []
    for field_, end in zip(fields, [later.start() for later in fields[1:]] + [len(seg.norm)]):
        if match := _LABEL.match(seg.norm[field_.start():end].lstrip("•·- ")):
            pairs.append((re.sub(r"\s", "", match.group("label")), seg.raw[field_.end():end].strip(STRIP)))
    if not pairs and (match := _BRACKET_LABEL.match(seg.norm)):
        pairs.append((re.sub(r"\s", "", match.group("label")), seg.raw[match.start("value"):].strip(STRIP)))
    return pairs


def _field_title(value: str) -> str | None:
    """The plan a page's 标题 field names: the one its notice issues, or the field itself when it is a
    plan's name ("某局2024年政务公开工作方案")."""
    compact = re.sub(r"\s", "", value.strip(STRIP + "|"))
    return named_plan(compact) or (compact if PLAN_WORD.search(compact) else None)


def _fits_label(label: str, seg: Seg) -> bool:
    """Whether a line can be the value of a field: a 文号 for 文号, a date for a date, a name for an issuer."""
    if "号" in label:
        return bool(DOC_NUMBER.search(seg.norm))
    if "日期" in label:
        return bool(DATE.search(seg.norm))
    if "标" in label:
        return True
    return "。" not in seg.norm and not PLAN_WORD.search(seg.compact) and len(seg.compact) <= 40


def _front(segs: list[Seg], start: int) -> list[Seg]:
    """The lines before the plan read for its metadata: those before the body, or where the body
    starts on a page's fields or a notice's heading, all up to its addressee or first numbered item."""
    for index, seg in enumerate(segs[:60]):
        if index >= start and (ADDRESSEE.match(seg.compact) or seg.marker is not None or seg.kind == "table"):
            return segs[:index]
    return segs[:start]


def _doc_number(text: str) -> str | None:
    """The 文号 in ``text`` as it is written by the standard: no spaces, 〔〕 round the year, no 第."""
    match = DOC_NUMBER.search(fold(text))
    if not match:
        return None
    number = re.sub(r"\s", "", match.group()).translate(BRACKET_FOLD)
    return number.replace("(", "〔").replace(")", "〕").replace("〕第", "〕")


def _fuller(long: str, short: str) -> bool:
    """Whether ``long`` is the full name of the body ``short`` names: the same name with its place
    written out ("衢州市人民政府办公室" of "市政府办公室", "重庆市梁平区…" of "梁平区…")."""
    a, b = long.replace("人民政府", "政府"), short.replace("人民政府", "政府")
    if len(long) <= len(short) or not a.endswith(b) or len(a) == len(b):
        return False
    place = a[:len(a) - len(b)]
    return any(_places(text) for text in (place, place + b[0]))


# what a clause does with another body's plan: in a title ("某省贯彻落实国务院办公厅2022年…分工方案")
# the words before the year are then no body's name
_CARRYING_OUT = re.compile(r"贯彻|落实|转发|印发")


def _named_body(org: str) -> bool:
    """Whether a name read outside a field (a title's, a site's, a breadcrumb's) is a body's: it
    opens with a place, not with a sentence's words, says nothing done, and ends as a body's name does."""
    return not VERB_OPENING.match(org) and not _CARRYING_OUT.search(org) \
        and (_PLACE_OPENING.match(org) is not None or bool(_NATIONAL.fullmatch(org))) and looks_like_unit_phrase(org)


def notice_heading(seg: Seg) -> str:
    """A line as a notice's heading reads, without spaces: past a 文号 opening it
    ("X〔2019〕33号 某市人民政府办公室 关于…") or a field's bare label ("标题 X关于…")."""
    opening = _NUMBER_OPENING.match(seg.norm)
    heading = seg.norm[opening.end():].lstrip(" :") if opening else _BARE_TITLE_LABEL.sub("", seg.norm)
    return _COLUMN_TAG.sub("", re.sub(r"\s+", "", heading))


def _org_before_about(seg: Seg) -> str | None:
    """"X关于…" / "X印发…": the body heading a notice's title line."""
    match = _ORG_BEFORE_ABOUT.match(notice_heading(seg))
    return match.group("org") if match and not VERB_OPENING.match(match.group("org")) else None


def metadata(plan: ImportedPlan, segs: list[Seg], start: int, end: int, title: str | None) -> list[Seg]:
    """Fill in the plan's metadata; return the lines above its first item read here (a page's field
    table, a value under its empty label, the notice's 文号 and addressee lines): not the body's."""
    head, tail = _front(segs, start), segs[end:]
    labels: dict[str, str] = {}
    pool = head + tail
    read: list[Seg] = []
    for index, seg in enumerate(pool):
        pairs = _label_pairs(seg)
        for label, value in pairs:
            # an empty value, its cell on the next line — unless that is the next label ("文号: | | 发文日期:")
            # or not such a value at all (the title after an empty "文号:")
            if not value and index + 1 < len(pool) and not _FIELD_START.match(pool[index + 1].norm) \
                    and _fits_label(label, pool[index + 1]):
                value = pool[index + 1].raw
                read.append(pool[index + 1])
            labels.setdefault(label, value)
        if pairs or CHROME.match(seg.norm) and _FIELD_START.match(seg.norm):  # a page field, or a site's (索引号:)
            read.append(seg)
            if not pairs and _empty_field(seg) and index + 1 < len(pool) \
                    and not _FIELD_START.match(pool[index + 1].norm) and _fits_label("", pool[index + 1]):
                read.append(pool[index + 1])
    rows = {seg.no for seg in read}
    fields = [seg for seg in head if seg.no in rows]
    if len(head) < len(segs) and ADDRESSEE.match(segs[len(head)].compact):
        fields.append(segs[len(head)])  # whom the notice goes to: no unit list of the plan's
    if title is None:
        # not repeated above the plan: the page's 标题 field, else the name the notice gives it ("关于印发X
        # 的通知", "现将《X》印发"); the field's before the lead's "特制定2024年X方案", which leaves out the body
        title = _field_title(labels.get("标题", "")) \
            or next((name for seg in segs[:start] if (name := named_plan(seg.compact))), None)
    published = None
    if title is None:
        for seg in head:
            match = _PUBLISHED.search(seg.norm)
            if match and PLAN_WORD.search(match.group("t")) and not VERB_OPENING.match(match.group("org")):
                title, published = dedouble(match.group("t")), (match.group("org"), DATE.search(seg.norm[:match.start()]))
                break
    plan.title = title
    # 文号: labelled, or alone on its line (cited numbers sit inside sentences)
    # or opening a heading line, or after the notice's title
    number_text = next((labels[label] for label in ("发文字号", "文号", "文件编号", "发文编号") if labels.get(label)), None)
    if number_text is None:
        for seg in head:
            if after_label := _NUMBER_AFTER_LABEL.search(seg.norm):
                number_text = after_label.group("n")
                break
            if DOC_NUMBER.fullmatch(seg.norm) or _NUMBER_OPENING.match(seg.norm):
                number_text = seg.raw
                fields.append(seg)
                break
            closing = _NUMBER_CLOSING.search(seg.norm) or _NUMBER_AFTER_NOTICE.search(seg.norm)
            if closing and not re.search(r"[,。;]", seg.norm[:closing.start()]):  # not cited in a sentence
                number_text = closing.group("n")
                break
    if number_text:
        plan.doc_number = _doc_number(number_text) or number_text.strip()
    # issuer: labelled, the notice title's "X关于印发", the notice's signature, the 印发 line
    issuer = labels.get("发文机关") or labels.get("发文单位") or labels.get("制发机关") or labels.get("制定机关")
    signature_date = signed = None
    for body, date in _dated(head):
        signature_date = signature_date or date
        if body is not None:  # the last one before the plan: the notice's, not a site's field block above it
            signed = body, date
    if signed:
        issuer = issuer or signed[0]
        signature_date = signed[1] or signature_date
    if issuer is None:
        for index, seg in enumerate(head):
            if org := _org_before_about(seg):
                issuer = org
                break
            if seg.compact.startswith("关于") and index and _is_signature(head[index - 1]):
                issuer = head[index - 1].raw
                break
    if published:
        issuer = issuer or published[0]
        signature_date = signature_date or (to_date(published[1]) if published[1] else None)
    trailer_date = None
    for body, date in _dated(tail):  # the plan's own signature: "某镇人民政府" over its date
        if body is not None:
            issuer, trailer_date = issuer or body, trailer_date or date
    for seg in tail:
        if match := ISSUED_TRAILER.search(seg.norm):
            trailer_date = trailer_date or to_date(DATE.search(match.group("date")))
            org = seg.raw[:match.start()].strip(STRIP)
            if issuer is None and org and looks_like_unit_phrase(org):
                issuer = org
    named = _TITLE_ORG.match(fold(title or ""))
    if named and _named_body(org := named.group("org") or named.group("after")):
        issuer = issuer or org
    # the publishing body a page names: often the site's office, so only when nothing else names one
    issuer = issuer or next((labels[k] for k in ("发布机构", "发布单位", "发布机关") if labels.get(k)), None) \
        or _site_owner(head)
    if issuer:
        # a site's short name ("市政府办公室") where the notice writes the body out in full
        fuller = [s.compact for s in head + tail if len(s.compact) <= 40 and _is_signature(s)]
        fuller += [org for s in head if (org := _org_before_about(s))]
        issuer = next((name for name in fuller if _fuller(name, issuer)), issuer)
    plan.issuer = issuer
    issued = labels.get("成文日期") or labels.get("印发日期") or labels.get("公布日期")
    if issued and (match := DATE.search(fold(issued))):
        plan.issued = to_date(match)
    plan.issued = plan.issued or signature_date or trailer_date
    if plan.issued is None and (posted := DATE.search(fold(labels.get("发布日期", "")))):
        plan.issued = to_date(posted)  # a page's posting date: later than the signature, a last resort
    # year: the title's, else the 文号's, else the date's
    if title:
        plan.year = title_year(title)
    if plan.year is None and plan.doc_number and (match := re.search(r"\d{4}", plan.doc_number)):
        plan.year = int(match.group())
    if plan.year is None and plan.issued:
        plan.year = plan.issued.year
    if plan.year is None and title:
        plan.year = carried_out_year(title)
    plan.source = next((match.group() for seg in segs if (match := _URL.search(seg.raw))), None)
    return fields


# the office line of a signature set on two lines ("某省某某厅" over "办公室")
_OFFICE_LINE = re.compile(r"^(?:办公室|办公厅)$")


def _dated(lines: list[Seg]):
    """(signature or None, date) of each date in ``lines``: a date line with the signature over it,
    a signature with its date on one line; not a field's value ("生效日期:" over "2019-08-26")."""
    for index, seg in enumerate(lines):
        if date := DATE_LINE.match(seg.norm):
            if not (index and _empty_field(lines[index - 1])):
                yield _signature_above(lines, index), to_date(date)
        elif (together := signed_line(seg)) is not None:
            yield together


def _signature_above(lines: list[Seg], index: int) -> str | None:
    """The signature over the date at ``index``, with the body's name on the line above an office
    line ("某省某某厅" / "办公室": that body's office), or None."""
    if not index or not _is_signature(lines[index - 1]):
        return None
    name = lines[index - 1].raw.strip(STRIP)
    if index > 1 and _OFFICE_LINE.match(lines[index - 1].compact) and _is_signature(lines[index - 2]) \
            and not _OFFICE_LINE.match(lines[index - 2].compact):
        return lines[index - 2].raw.strip(STRIP) + name
    return lines[index - 1].raw


def _empty_field(seg: Seg) -> bool:
    """Whether a line is a page field's label with its value left for the next line ("生效日期:")."""
    return bool(re.fullmatch(rf"(?:[•·\-]\s*)?[{CJK}][{CJK}\s]{{1,7}}\s*:\s*\|?", seg.norm))


def _site_owner(head: list[Seg]) -> str | None:
    """The body whose site the page is on: its name line ("某县人民政府 www.…"), or the body in the
    page's breadcrumb ("专栏 >> 某市人民政府办公室 >> 制度")."""
    for seg in head:
        match = _SITE_ORG.match(seg.norm)
        if match and _named_body(match.group("org")):
            return match.group("org")
    for seg in head:
        parts = _CRUMB.split(seg.norm)
        if len(parts) >= 3:
            bodies = [part for part in parts if re.fullmatch(rf"[{CJK}()]{{2,40}}?{ORG_END}", part)
                      and _named_body(part)]
            if bodies:
                return bodies[-1]
    return None


# Years that are not the plan's: another document's, quoted in its title
# ("贯彻〈五年行动计划(2021—2025年)〉实施方案"), and a span of years.
QUOTED = re.compile(r"〈[^〈〉]*〉|《[^《》]*》")
_YEAR_SPAN = re.compile(r"\d{4}\s*年?\s*[-—–~至到]+\s*\d{4}\s*年?")
# the document a plan carries out, quoted in its title ("关于贯彻落实《2017年…要点》的实施方案")
_IMPLEMENTED = re.compile(r"(?:贯彻落实|贯彻|落实)《[^《》]*》")
_CARRIED_OUT = re.compile(r"(?:贯彻落实|贯彻|落实)《(?P<t>[^《》]+)》(?P<rest>的?[^《》]{0,12})$")


def title_year(title: str) -> int | None:
    """The year a plan's title gives it, leaving out quoted titles and spans of years."""
    text = fold(title)
    while QUOTED.search(text):
        text = QUOTED.sub("", text)
    text = _YEAR_SPAN.sub("", text)
    match = re.search(r"(\d{4})\s*年", text) or re.search(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)", text)
    if match:
        return int(match.group(1))
    cn = re.search(r"([〇零一二三四五六七八九○]{4})年", text)
    return numerals.number(cn.group(1), digitwise=True) if cn else None


def carried_out_year(title: str) -> int | None:
    """The year of the 要点 a plan's title says it carries out ("X关于贯彻落实《2017年…要点》的实施
    方案", "…》的通知"): the plan's own, when neither its title, 文号 nor date gives one."""
    own = _CARRIED_OUT.search(fold(title))
    rest = own.group("rest").rstrip() if own else ""
    return title_year(own.group("t")) if own and (PLAN_WORD.search(rest) or rest.endswith("通知")) else None


def named_plan(compact: str, handed: bool = False) -> str | None:
    """The plan a notice's line names: the first one its clause does not cite ("根据《Y》…,现将《X》
    印发给你们": X). ``handed``: only in a line that makes or hands over a plan ("制定2024年X要点") or
    heads the notice doing so; a line handing nothing over names a plan first or not at all."""
    # what it says, not what it quotes
    handing = bool(_HANDING.search(QUOTED.sub("《》", compact)) or _heads_notice(compact))
    if handed and not handing:
        return None
    for match in _NAMED.finditer(compact):
        name = dedouble(match.group("t") or match.group("q") or match.group("u"))
        clause = re.split(r"[,。;:]", QUOTED.sub("", compact[:match.start()]))[-1]
        if PLAN_WORD.search(name) and not _CITING.search(clause):
            return name
        if not handing:
            break
    return None


def _heads_notice(compact: str) -> bool:
    """Whether a line is the heading of a notice issuing a plan ("某局关于印发X的通知"), not a
    sentence or a quotation citing one."""
    match = NOTICE_TITLE.search(compact)
    before = compact[:match.start()] if match else ""
    quoted = any(before[opened] == "《" for opened in bracket_pairs(before, quotes=True)[1])
    return bool(match and not quoted and not in_sentence(compact, match))


def in_sentence(compact: str, match: re.Match[str]) -> bool:
    """Whether a "关于印发X的通知" found in a line sits inside a sentence rather than being the line."""
    before = compact[:match.start()]
    after = re.sub(r"^\([^()]*\d{4}[^()]*\)", "", compact[match.end():])  # its 文号 after it
    return bool(re.search(r"[,。;]", before) or len(before) > 40 or re.search(r"[,。;]", after) or len(after) > 20)
