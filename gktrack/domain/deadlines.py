"""Deadline phrases of a plan ("6月底前", "每季度", "20个工作日内"), resolved against the plan year.

Pure functions: no I/O, no printing. A phrase is always kept exactly as written; when it cannot
be read with certainty it becomes kind "unknown" rather than a guessed date.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from gktrack.digest import sha1_hex
from gktrack.domain import numerals
from gktrack.domain.numerals import number
from gktrack.domain.text import HALF_WIDTH, clip, one_line
from gktrack.errors import InputError

# Taskwarrior's rc.due default calls a task "due soon" 7 days ahead, and the office reviews
# (调度) the plan weekly: a week's notice is the smallest warning someone can still act on.
DEFAULT_WITHIN = 7

_ONE_DAY = _dt.timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    phrase: str
    kind: str
    due: _dt.date | None = None
    period: str | None = None
    # Recurring: (month, day) inside each period; day 0 means the month's last day.
    # Yearly "每年2月底前" -> (2, 0); monthly "每月10日前" -> (0, 10), month 0 meaning every month.
    within_period: tuple[int, int] | None = None
    workdays: int | None = None
    days: int | None = None
    anchor: _dt.date | None = None

    def __hash__(self) -> int:
        # Deadlines key the caches every judgement looks up, a city's tasks sharing a few hundred of
        # them: their fields are hashed once, not at each lookup.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.phrase, self.kind, self.due, self.period, self.within_period, self.workdays,
                           self.days, self.anchor))
            object.__setattr__(self, "_hash", cached)
        return cached

    def to_json(self) -> dict:
        return {
            "phrase": self.phrase,
            "kind": self.kind,
            "due": _iso(self.due),
            "period": self.period,
            "workdays": self.workdays,
            "days": self.days,
            "anchor": _iso(self.anchor),
        }

    def to_plain(self) -> tuple:
        """The fields as plain values (dates as day numbers), for storing between runs."""
        return (self.phrase, self.kind, self.due and self.due.toordinal(), self.period, self.within_period,
                self.workdays, self.days, self.anchor and self.anchor.toordinal())

    @classmethod
    def from_plain(cls, values: tuple) -> "Deadline":
        phrase, kind, due, period, within, workdays, days, anchor = values
        return cls(phrase, kind, due and _dt.date.fromordinal(due), period, tuple(within) if within else None,
                   workdays, days, anchor and _dt.date.fromordinal(anchor))

    def display(self) -> str:
        phrase = one_line(self.phrase)
        if self.kind == "unknown":
            return f"无法识别:{phrase}"
        if self.kind == "ongoing":
            return f"{phrase}(长期)"
        if self.kind == "recurring":
            return phrase
        if self.due is not None:
            iso = self.due.isoformat()
            return phrase if phrase == iso else f"{phrase}({iso})"
        return f"{phrase}(未给起算日)"


# ---------------------------------------------------------------------------------------------
# Normalising text


def _fold(text: str) -> tuple[str, list[int]]:
    """Half-width text without whitespace, and for each of its characters the original index."""
    index = [i for i, ch in enumerate(text) if not ch.isspace() and ch not in "\u200b\u200c\u200d\ufeff"]
    return "".join([text[i] for i in index]).translate(HALF_WIDTH), index


@functools.lru_cache(maxsize=1)
def parser_stamp() -> str:
    """What the parse of a phrase depends on besides the phrase and year: this module's code, the
    numerals' and the holiday calendar's data (working days). Results kept between runs are keyed
    by it."""
    from importlib.util import find_spec

    spec = find_spec("chinese_calendar")  # found, not imported: its import costs more than this
    calendar = "?"
    if spec is not None and spec.origin:
        st = os.stat(os.path.join(os.path.dirname(spec.origin), "constants.py"))
        calendar = f"{st.st_size}:{st.st_mtime_ns}"
    code = b"".join(Path(source).read_bytes() for source in (__file__, numerals.__file__))
    return sha1_hex(code + calendar.encode())[:16]


def _iso(value: _dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _month_end(year: int, month: int) -> _dt.date:
    if month == 12:
        return _dt.date(year, 12, 31)
    return _dt.date(year, month + 1, 1) - _ONE_DAY


def _safe_date(year: int, month: int, day: int) -> _dt.date | None:
    """The date, or None when it does not exist (2月30日, month 13, year 0)."""
    try:
        return _dt.date(year, month, day)
    except (ValueError, OverflowError, TypeError):
        return None


def _day_in_month(year: int, month: int, day: int) -> _dt.date:
    """Day ``day`` of the month, 0 meaning its last day; "31日" or "29日" falls back to the last day."""
    end = _month_end(year, month)
    return end if day == 0 or day > end.day else end.replace(day=day)


# ---------------------------------------------------------------------------------------------
# The phrase grammar, written for folded text (half-width, no whitespace)

_CN = "〇零一二两三四五六七八九十百千"
_NUM = rf"(?:[0-9]{{1,4}}|[{_CN}]{{1,6}})"
_MON = rf"(?:[0-9]{{1,2}}|[{_CN}]{{1,3}})"
_DAY = rf"(?:[0-9]{{1,2}}|[{_CN}]{{1,4}})"
_YEAR = r"(?:[0-9]{4}|[〇零一二三四五六七八九]{4})"
_NOT_AFTER_NUMBER = rf"(?<![0-9{_CN}])"
# "前后" means "around", not "by".
_BEFORE = r"(?:以前|之前|前|为止|止)(?!后)"
_YP = rf"(?:(?P<y>{_YEAR})年|(?P<yw>今年|本年|当年|明年|次年))"
# "一周内" is seven days: a week names no working days
_RELATIVE_UNIT = r"(?P<n>{num})个?(?P<u>工作日|自然日|日|天|周|星期)(?:内|以内|之内)"

# In a deadline cell "9月中旬" or "第三季度" is a deadline; in running text it may just name a
# time ("第三季度数据"), so there the forms that are not deadlines by themselves need 前/底/内.
# A month alone ("2024年6月", "6月份") is that month's end in a deadline cell; "6月前" stays
# unknown (before June, or by its end?).
_TAILS = {
    "cell": {"day": rf"(?:{_BEFORE})?", "span": rf"(?:底|末|内)?(?:{_BEFORE})?",
             "month": rf"(?:(?:底|末|内)(?:{_BEFORE})?)?"},
    # ... or "完成" right after ("2024年第一季度完成", "6月完成"): naming when a thing is done is a deadline
    "prose": {"day": _BEFORE, "span": rf"(?:(?:底|末|内)(?:{_BEFORE})?|{_BEFORE}|(?=完成|办结|完毕))",
              "month": rf"(?:(?:底|末)(?:{_BEFORE})?|(?=完成|办结|完毕))"},
}

_ANCHOR = (
    rf"(?:(?P<ay>[0-9]{{4}})(?P<asep>[-/.])(?P<am>[0-9]{{1,2}})(?P=asep)(?P<ad>[0-9]{{1,2}})"
    rf"|(?:(?P<ay2>{_YEAR})年|(?P<ayw>今年|本年|当年|明年|次年))?(?P<am2>{_MON})月(?P<ad2>{_DAY})[日号])"
)

_VERBS = r"(?:更新|公开|发布|通报|报送|调度|统计|开展|召开|听取|报告)"


def _grammar(mode: str) -> list[tuple[str, str]]:
    day, span, month = _TAILS[mode]["day"], _TAILS[mode]["span"], _TAILS[mode]["month"]
    every_year_month = rf"|(?P<mo>{_MON})月份?" if mode == "cell" else ""
    next_month = "|次月" if mode == "cell" else ""
    rules = [
        ("iso", rf"(?<![0-9])(?P<y>[0-9]{{4}})(?P<sep>[-/.])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<d>[0-9]{{1,2}})"
                rf"(?![0-9]){day}"),
        ("ymd", rf"{_NOT_AFTER_NUMBER}{_YP}?(?P<m>{_MON})月(?P<d>{_DAY})[日号]{day}"),
        # "2024.6", "2024-06": a month written as numbers, its end (a cell only: see "month" above)
        ("ym", rf"(?<![0-9])(?P<y>[0-9]{{4}})[-/.](?P<m>[0-9]{{1,2}})(?![0-9]){month}"),
        ("month_end", rf"{_NOT_AFTER_NUMBER}{_YP}?(?P<m>{_MON})月份?{month}"),
        # "2024年3-6月", "4月至6月", "2024年4月—12月": a span of months, done by the end of the last
        ("month_range", rf"{_NOT_AFTER_NUMBER}{_YP}?{_MON}月?份?(?:[-—–~]|至|到)(?:(?P<y2>{_YEAR})年)?"
                        rf"(?P<m>{_MON})月份?{month}"),
        # "10月中下旬": two parts of the month, done by the end of the later
        ("xun", rf"{_NOT_AFTER_NUMBER}{_YP}?(?P<m>{_MON})月份?(?:上(?=中)|中(?=下))?(?P<x>上|中|下)旬末?{day}"),
        ("year_end", rf"(?:{_YP}(?:年度?|度)?|(?<![0-9{_CN}近多半每去明前后来数几整跨历往上下])年度?)"
                     rf"(?:底|末|内)(?:{_BEFORE})?"),
        ("half", rf"{_YP}?(?P<h>上|下)半年度?{span}"),
        ("quarter", rf"{_YP}?(?:第(?P<q>[一二三四1-4])|{_NOT_AFTER_NUMBER}(?P<q2>[一二三四1-4]))季度?{span}"),
        # "每年2月底前", "每年年底前"; in a cell also a month alone ("每年的12月"), its end
        ("every_year_by", rf"每年度?的?(?:(?:(?P<m>{_MON})月份?(?:(?P<end>底|末)|(?P<d>{_DAY})[日号])|年(?P<yend>底|末))"
                          rf"(?:{_BEFORE})?{every_year_month})"),
        # in a cell "次月10日前" is the same monthly day: the report on each month is due the next
        ("every_month_by", rf"(?:每个?月{next_month})的?(?P<d>{_DAY})[日号](?:{_BEFORE})?"),
        ("relative_anchored", rf"(?:自|从|于)?{_ANCHOR}(?:之日)?(?:起|开始|后)的?"
                              + _RELATIVE_UNIT.format(num=_NUM)),
        ("relative", rf"(?<![0-9{_CN}月])" + _RELATIVE_UNIT.format(num=_NUM)),
    ]
    if mode == "prose":
        # "按年度计划" and "逐年" read as manner, not schedule, in running text.
        rules.append(("recurring", r"(?:每个?|按|逐)(?P<p>月|季度?|半年)(?:底|末)?|每年度?"))
    else:
        rules += [
            # A year alone ("2024年度", "本年度") is that year's end, as a month alone is the month's.
            ("year", rf"{_YP}度?"),
            ("recurring", rf"(?:每个?|按|逐)(?P<p>月|季度?|半年度?|年度?)(?:(?<=月)月)?(?:底|末)?(?:{_BEFORE})?"
                          rf"(?:至少)?{_VERBS}?(?:一次|1次)?"),
            ("ongoing", r"(?:持续|长期|常态化?|及时|即时|动态|实时|定期|随时|适时)"
                        r"(?:推进|开展|坚持|更新|公开|发布|做好|落实|进行|实施|推动|执行|保持)?"
                        r"|(?:根据|按照?|依据|视)(?:项目|工作)?(?:完成|建设|实施|推进)?(?:时限|进度|进展|需要)"
                        r"(?:完成|推进|更新)?"
                        rf"|(?:{_YEAR}年)?(?:贯穿)?全年(?:推进|开展)?"
                        # "遇重大事项即时发布": as things happen — ongoing, with no date of its own
                        r"|(?:如|若)?遇(?:有|到)?[^,;。]{1,12}?时?(?:即时|及时|随时|第一时间)"
                        r"(?:发布|公开|更新|报送|报告|处置)?"
                        # "2023年起持续推进": from a start on, with no end (one after the plan year asks nothing)
                        rf"|(?:自|从)?(?P<sy>{_YEAR})年(?:(?P<sm>{_MON})月份?)?(?:起|开始)"
                        r"(?:持续|长期|常态化)?(?:推进|开展|实施|坚持|执行|落实)?"),
            # An event instead of a date ("收到申请之日起"): relative, but not datable.
            ("relative_event", r".+?(?:之日起|日起|起|以后|之后|后)" + _RELATIVE_UNIT.format(num=_NUM)),
        ]
    return rules


_MAX_PHRASE = 80

@functools.cache
def _rules(mode: str) -> list[tuple[str, re.Pattern[str]]]:
    # Compiled on first use: `status` imports this module and may never parse a phrase.
    return [(name, re.compile(src)) for name, src in _grammar(mode)]


_EDGE_PUNCT = "()[]{}<>【】「」『』“”‘’\"'《》〈〉:;,.!?。、·"
# Words joining two phrases in one cell ("…完成并长期坚持"); the first three may also open one.
_JOINING = r"并且?|同时|此后"
_JOINER = re.compile(rf"{_JOINING}|且|之后")
_LEAD = (rf"^(?:{_JOINING})?(?:(?:完成)?(?:时限|期限|时间)(?:要求)?:?)?"
         r"(?:(?:应|须|需|要|务必|必须|并|均)?(?:于|在|到|至|截至|截止到?|不晚于|最迟于?|力争(?:在|于)?|争取(?:在|于)?))?")
# A result due by the date ("年底前全面建成", "9月底前印发"); a start ("启动", "开展") is no
# deadline for the task, so it stays unread.
_TRAIL = r"(?:全面|基本|全部|如期)?(?:完成|建成|办结|完毕|到位|结束|上线|印发|出台|公开|公布|发布|报送)$"


def _core(folded: str) -> str:
    text = folded.strip(_EDGE_PUNCT)
    # re caches compiled patterns; compiling here keeps the import cheap.
    text = re.sub(_LEAD, "", text, count=1)
    text = re.sub(_TRAIL, "", text)
    return text.strip(_EDGE_PUNCT)


# ---------------------------------------------------------------------------------------------
# Parsing

def parse_deadline(phrase: str, year: int) -> Deadline:
    """One phrase, resolved against the plan year. Never raises; "unknown" when unsure."""
    if not isinstance(phrase, str):
        phrase = "" if phrase is None else str(phrase)
    core = _core(_fold(phrase)[0])
    # The longest real phrase ("自二〇二四年十二月三十一日起二十个工作日内") is far shorter; a
    # paragraph pasted into a deadline cell is not one, and is not worth a regex pass.
    if core and len(core) <= _MAX_PHRASE:
        for name, rx in _rules("cell"):
            match = rx.fullmatch(core)
            if match:
                try:
                    found = _resolve(name, match, phrase, year)
                except (ValueError, OverflowError, TypeError):
                    found = None
                # A phrase that fits the grammar but names no real date is not re-read another way.
                return found or Deadline(phrase, "unknown")
    return Deadline(phrase, "unknown")


def is_known(text: str, year: int = 2000) -> bool:
    """Whether ``text`` is one deadline phrase this module understands."""
    return parse_deadline(text, year).kind != "unknown"


def before_plan_year(d: Deadline, year: int) -> bool:
    """Whether a deadline falls before the plan year ("2016年末" in a 2017 plan): usually the time
    of what a task's sentence speaks of, or a typo; as a deadline it is late from the plan's
    first day. The importer leaves such a date of a task's text out, validate flags one kept."""
    return d.due is not None and d.due.year < year


def _year_of(match: re.Match[str], plan_year: int, y: str = "y", yw: str = "yw") -> int | None:
    groups = match.groupdict()
    if groups.get(y):
        return number(groups[y], digitwise=True)
    if groups.get(yw):
        return plan_year + 1 if groups[yw] in ("明年", "次年") else plan_year
    return plan_year


def _resolve(name: str, m: re.Match[str], phrase: str, year: int) -> Deadline | None:
    """The Deadline a rule's match names. A date that does not exist (2月30日, year 0) or a numeral
    that reads as none raises ValueError or TypeError, which ``parse_deadline`` takes as unknown."""
    g = m.groupdict()
    if name in ("iso", "ymd", "ym", "month_end", "month_range", "xun", "year", "year_end", "half", "quarter"):
        due = _date_of(name, g, _year_of(m, year))
        return Deadline(phrase, "date", due=due) if due else None
    if name == "every_year_by":
        month = 12 if g["yend"] else number(g["m"] or g.get("mo"))
        day = number(g["d"]) if g["d"] else 0
        # Checked against a leap year (raises for a day no year has): "每年2月29日前" exists; it
        # falls back to 2月28日 in other years.
        _dt.date(2000, month, day or 1)
        return Deadline(phrase, "recurring", period="yearly", within_period=(month, day))
    if name == "every_month_by":
        day = number(g["d"])
        if day is None or not 1 <= day <= 31:
            return None
        return Deadline(phrase, "recurring", period="monthly", within_period=(0, day))
    if name == "recurring":
        unit = g["p"] or "年"
        period = ("monthly" if unit == "月" else "quarterly" if unit.startswith("季")
                  else "half-yearly" if unit.startswith("半") else "yearly")
        return Deadline(phrase, "recurring", period=period)
    if name == "ongoing":
        if g.get("sy") and (number(g["sy"], digitwise=True) > year
                            or (g["sm"] and not 1 <= (number(g["sm"]) or 0) <= 12)):
            return None
        return Deadline(phrase, "ongoing")
    # the relative rules: "20个工作日内", "收到申请之日起5日内", "自2024年3月1日起30日内"
    n = number(g["n"])
    if not n:
        return None
    anchor = None
    if g.get("ay"):
        anchor = _dt.date(int(g["ay"]), int(g["am"]), int(g["ad"]))
    elif name == "relative_anchored":
        anchor = _dt.date(_year_of(m, year, "ay2", "ayw"), number(g["am2"]), number(g["ad2"]))
    if g["u"] == "工作日":
        due = add_working_days(anchor, n) if anchor else None
        return Deadline(phrase, "relative", due=due, workdays=n, anchor=anchor)
    if g["u"] in ("周", "星期"):
        n *= 7
    due = anchor + _dt.timedelta(days=n) if anchor else None
    return Deadline(phrase, "relative", due=due, days=n, anchor=anchor)


def _date_of(name: str, g: dict, y: int | None) -> _dt.date | None:
    """The date a dated rule's groups name, in year ``y`` unless they give their own."""
    if name == "iso":
        return _dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
    if name in ("year", "year_end"):
        return _dt.date(y, 12, 31)
    if name == "half":
        month = 6 if g["h"] == "上" else 12
    elif name == "quarter":
        quarter = g["q"] or g["q2"]
        month = 3 * (_QUARTER_NAMES.find(quarter) + 1 or int(quarter))
    else:
        month = number(g["m"])
        if month is None or not 1 <= month <= 12:
            return None
        if g.get("y2"):  # "2023年11月至2024年2月": the last month's own year
            y = number(g["y2"], digitwise=True)
    if name == "ymd":
        return _dt.date(y, month, number(g["d"]))
    if name == "xun" and g["x"] != "下":
        return _dt.date(y, month, 10 if g["x"] == "上" else 20)
    return _month_end(y, month)


_HARD_SEPARATORS = r"[;；,，、。|｜]+|(?<![0-9０-９])[/／]|[/／](?![0-9０-９])"
# Longest folded piece tried when a cell runs two phrases together ("6月底前持续推进").
_MAX_JOINED = 40
# Most words one phrase spans when spaces cut it ("2024 年 6 月 30 日 前").
_MAX_TOKENS = 8


def split_phrases(text: str) -> list[str]:
    """The phrases of one deadline cell, each an exact substring of it, in order.

    Splits at ; , 、 and at spaces or line breaks between phrases, but keeps a phrase that a
    space or a line break only cuts ("6 月底前", "根据项目\\n完成时限") in one piece.
    """
    if not isinstance(text, str):
        return []
    return [phrase for chunk in re.split(_HARD_SEPARATORS, text) for phrase in _split_chunk(chunk)]


def _split_chunk(chunk: str) -> list[str]:
    chunk = chunk.strip()
    if not chunk:
        return []
    if is_known(chunk):
        return [chunk]
    folded, index = _fold(chunk)
    pieces = _cover(folded)
    if pieces and len(pieces) > 1:
        # "10月底前完成并长期坚持": the word joining two phrases belongs to neither
        pieces = [(a + len(m.group()) if k and (m := _JOINER.match(folded, a)) and a + len(m.group()) < b else a, b)
                  for k, (a, b) in enumerate(pieces)]
        return [chunk[index[a]:index[b - 1] + 1] for a, b in pieces]
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", chunk)]
    if len(tokens) == 1:
        return [chunk]
    out: list[str] = []
    pending: tuple[int, int] | None = None  # unknown tokens run together stay one phrase
    i = 0
    while i < len(tokens):
        for j in range(min(len(tokens), i + _MAX_TOKENS), i, -1):
            piece = chunk[tokens[i][0]:tokens[j - 1][1]]
            if is_known(piece):
                if pending:
                    out.append(chunk[pending[0]:pending[1]])
                    pending = None
                out.append(piece)
                i = j
                break
        else:
            pending = (pending[0] if pending else tokens[i][0], tokens[i][1])
            i += 1
    if pending:
        out.append(chunk[pending[0]:pending[1]])
    return out


def _cover(folded: str) -> list[tuple[int, int]] | None:
    """Fewest known phrases that together make up ``folded`` exactly, or None."""
    size = len(folded)
    if size > _MAX_JOINED:
        return None
    best: list[list[tuple[int, int]] | None] = [None] * (size + 1)
    best[0] = []
    for end in range(1, size + 1):
        for begin in range(end):
            prev = best[begin]
            if prev is None or (best[end] is not None and len(best[end]) <= len(prev) + 1):
                continue
            if is_known(folded[begin:end]):
                best[end] = prev + [(begin, end)]
    return best[size]


def parse_deadlines(cells: str | list[str] | None, year: int) -> list[Deadline]:
    """A task's deadline field (one phrase, several, or one string holding two) as Deadlines."""
    if cells is None:
        return []
    if isinstance(cells, str):
        return [parse_deadline(p, year) for p in split_phrases(cells)]
    items = cells if isinstance(cells, (list, tuple)) else [cells]
    phrases: list[str] = []
    for item in items:
        if item is None:
            continue
        # YAML reads an unquoted 2024-06-30 as a date.
        if isinstance(item, _dt.datetime):
            item = item.date()
        text = item.isoformat() if isinstance(item, _dt.date) else str(item)
        for phrase in split_phrases(text):
            # A table cell cut in two across list items ("根据项目", "完成时限") is one phrase.
            if phrases and not is_known(phrases[-1]) and not is_known(phrase) \
                    and is_known(phrases[-1] + phrase):
                phrases[-1] += phrase
            else:
                phrases.append(phrase)
    return [parse_deadline(p, year) for p in phrases]


# "2021年8月前", "2021年2月公布预算信息": a date the parser leaves unread ("8月前" could mean
# either side of August), still a time and nothing else
_DATED_START = rf"(?:{_YEAR}年(?:{_MON}月)?|{_MON}月(?:{_DAY}[日号])?)"  # compiled on first use (re's cache)
_MAX_DATED = 24


def time_phrase(text: str) -> bool:
    """Whether ``text`` says only when: every phrase of it a deadline the parser reads (年底前,
    长期推进, 每季度), or a short one starting with a date it does not read (2021年8月前)."""
    phrases = split_phrases(text) if isinstance(text, str) else []
    return bool(phrases) and all(
        is_known(phrase) or (len(phrase) <= _MAX_DATED and re.match(_DATED_START, _fold(phrase)[0].strip()))
        for phrase in phrases)


def find_deadline_phrases(text: str) -> list[str]:
    """Deadlines written inside a task's text: exact substrings, in order, without duplicates.

    Words like 持续推进 and 及时 are left out: in running text they are verbs, not deadlines.
    """
    if not isinstance(text, str) or not text:
        return []
    folded, index = _fold(text)
    spans: list[tuple[int, int, str]] = []
    for name, rx in _rules("prose"):
        spans += [(m.start(), m.end(), name) for m in rx.finditer(folded) if m.end() > m.start()]
    spans.sort(key=lambda s: (s[0], s[0] - s[1]))
    names: dict[str, str] = {}  # each phrase found, in order, and the rule that found it first
    last_end = 0
    for begin, end, name in spans:
        if begin < last_end:
            continue
        last_end = end
        names.setdefault(text[index[begin]:index[end - 1] + 1], name)
    # "按月公开…,每月10日前更新": the bare period says less than the day within it; keep the day only
    bare = "|".join(pattern for rule, pattern in _BARE.items() if rule in names.values())
    return [p for p in names if not (bare and names[p] == "recurring" and re.fullmatch(bare, _fold(p)[0]))]


_BARE = {"every_month_by": r"(?:每个?|按|逐)月", "every_year_by": r"每年度?"}  # compiled on first use


def unread_note(phrase: str, *, just_written: bool = False) -> str:
    """What a person is told of a deadline phrase the grammar does not know: it is kept, never
    judged (``add --due``, ``edit``, ``validate``)."""
    kept = "已照原文保存," if just_written else ""
    return f"期限“{phrase}”无法识别,{kept}不会判断是否逾期(可改写成 6月底前、2024-06-30、每季度 这样的说法)"


def parse_due_option(value: str, year: int) -> tuple[str, bool]:
    """A ``--due`` value: (the phrase to keep, whether it is understood). A Chinese phrase is kept
    as typed (stripped), a calendar date as ISO. A phrase the grammar does not know ("国庆节前") is
    kept as written and flagged, never guessed; only a date that cannot exist is refused."""
    text = (value or "").strip()
    folded = _fold(text)[0]
    has_chinese = any("\u4e00" <= ch <= "\u9fff" or ch == "〇" for ch in folded)
    if text and has_chinese and is_known(text, year):
        return text, True
    # One cell holding two phrases, as a 分工表 writes it ("6月底前,持续推进"): kept as typed.
    pieces = split_phrases(text) if has_chinese else []
    if len(pieces) > 1 and all(is_known(p, year) for p in pieces):
        return text, True
    if text and not has_chinese:
        iso = _calendar_date(text.translate(HALF_WIDTH), year)
        if iso:
            return iso, True
        if is_known(text, year):
            return text, True
    shown = clip(text, 40)
    if not text or re.fullmatch(r"[0-9\s./-]+", folded):
        raise InputError(f"无法识别的期限:{shown}", hint="示例:6月底前、2024-06-30、每季度")
    for m in re.finditer(rf"(?:(?P<y>[0-9]{{4}})年)?(?P<m>{_MON})月(?P<d>{_DAY})[日号]", folded):
        month, day = number(m.group("m")), number(m.group("d"))
        if month is None or day is None or _safe_date(int(m.group("y") or year), month, day) is None:
            raise InputError(f"无法识别的期限:{shown},其中的日期不存在", hint="示例:6月底前、2024-06-30、每季度")
    return text, False


def _calendar_date(text: str, year: int) -> str | None:
    from dateutil import parser

    # Parsed twice with different defaults: a part missing from the text (a bare "6" or
    # "June 2024") shows up as a difference instead of being filled in silently.
    safe_year = min(max(year, 1), 9999) if isinstance(year, int) else 2000
    results = []
    for default in (_dt.datetime(safe_year, 1, 1), _dt.datetime(safe_year, 2, 2)):
        try:
            results.append(parser.parse(text, default=default).date())
        except (ValueError, OverflowError, TypeError, ArithmeticError):
            return None
    return results[0].isoformat() if results[0] == results[1] else None


# ---------------------------------------------------------------------------------------------
# Working days

_CALENDAR_GAPS: set[int] = set()  # years chinese_calendar has no data for


def add_working_days(start: _dt.date, n: int) -> _dt.date:
    """The n-th Chinese working day after ``start`` (holidays off, 调休 make-up days on).

    Years the chinese_calendar package does not cover count Monday to Friday.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    from chinese_calendar import is_workday

    day = start
    while n > 0:
        day += _ONE_DAY
        if _is_working_day(day, is_workday):
            n -= 1
    return day


def _is_working_day(day: _dt.date, is_workday) -> bool:
    if day.year not in _CALENDAR_GAPS:
        try:
            return bool(is_workday(day))
        except NotImplementedError:
            _CALENDAR_GAPS.add(day.year)
    return day.weekday() < 5


# ---------------------------------------------------------------------------------------------
# Recurring periods

_QUARTER_NAMES = "一二三四"


def recurring_periods(d: Deadline, year: int) -> list[tuple[_dt.date, _dt.date]]:
    """The periods of the plan year for a recurring deadline (first day, last day), in order.

    With a day inside the period ("每年2月底前", "每月10日前") a period ends on that day.
    """
    if d.kind != "recurring":
        return []
    if d.period == "monthly":
        day = d.within_period[1] if d.within_period else 0
        return [(_dt.date(year, m, 1), _day_in_month(year, m, day)) for m in range(1, 13)]
    if d.period == "quarterly":
        return [(_dt.date(year, q * 3 - 2, 1), _month_end(year, q * 3)) for q in range(1, 5)]
    if d.period == "half-yearly":
        return [(_dt.date(year, 1, 1), _dt.date(year, 6, 30)), (_dt.date(year, 7, 1), _dt.date(year, 12, 31))]
    if d.within_period:
        month, day = d.within_period
        return [(_dt.date(year, 1, 1), _day_in_month(year, month, day))]
    return [(_dt.date(year, 1, 1), _dt.date(year, 12, 31))]


def owed_periods(d: Deadline, year: int, issued: _dt.date | None = None) -> list[tuple[_dt.date, _dt.date]]:
    """The periods a recurring deadline asks for: those of the plan year that end after the plan
    was issued (a plan cannot ask for work done before it existed)."""
    periods = recurring_periods(d, year)
    return periods if issued is None else [(s, e) for s, e in periods if e > issued]


def _period_name(d: Deadline, start: _dt.date, *, year: bool = True) -> str:
    """A period of a recurring deadline: 2024年第二季度 (``year=False``: 第二季度; 2024年度 either way)."""
    prefix = f"{start.year}年" if year else ""
    if d.period == "monthly":
        return f"{prefix}{start.month}月"
    if d.period == "quarterly":
        return f"{prefix}第{_QUARTER_NAMES[(start.month - 1) // 3]}季度"
    if d.period == "half-yearly":
        return f"{prefix}{'上' if start.month <= 6 else '下'}半年"
    return f"{start.year}年度"


# ---------------------------------------------------------------------------------------------
# Assessment: the one rule for "is this task late", used by status, overdue, the exports and
# the annual report alike.

_LEVEL_RANK = {"green": 0, "yellow": 1, "red": 2}
CATEGORY_LABELS = {
    "on_time": "按期完成",
    "late": "逾期完成",
    "overdue": "逾期未完成",
    "no_progress": "未见进展",
    "ongoing": "持续推进",
    "open": "未到期",
}
CATEGORIES = tuple(CATEGORY_LABELS)


class MissedPeriod(NamedTuple):
    """A period of a recurring deadline (or the plan year, for 持续推进) with no progress."""

    label: str
    start: _dt.date
    end: _dt.date

    def said(self, aside: str = "") -> str:
        """"第四季度(2024-10-01至2024-12-31)", with ``aside`` inside the brackets after the dates."""
        return f"{self.label}({self.start.isoformat()}至{self.end.isoformat()}{aside})"

    def to_json(self) -> dict:
        return {"period": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


_DETAIL = r",?已?逾期\d+天|(\d{4}-\d\d-\d\d至\d{4}-\d\d-\d\d)|\d{4}-\d\d-\d\d"  # compiled on first use


@dataclass(frozen=True)
class Assessment:
    """A task's standing on a day. ``level``: red (late), yellow (due within the window), green,
    or None for a done task. ``category`` says the same in the annual report's words
    (``CATEGORIES``)."""

    level: str | None
    category: str
    due: _dt.date | None
    days_late: int | None  # > 0 when late
    days_left: int | None  # due minus as_of: negative when late
    phrase: str | None
    reason: str
    missed_periods: tuple = ()

    @property
    def brief(self) -> str:
        """``reason`` without the days late (a level says so) and the dates (a period's name or
        the deadline phrase stays): "已逾期647天(未写期限,按年底2022-12-31评估)" is
        "未写期限,按年底评估". Read back here, beside the code that writes the reasons."""
        short = re.sub(_DETAIL, "", self.reason)
        short = short.replace("(,", "(").replace(",)", ")").replace("()", "").strip(",")
        short = re.sub(r"^\((.*?)\)", r"\1", short)  # what was in brackets after the days late
        if not short and self.due:  # a deadline written as its date: the date is all it says
            short = self.due.isoformat()
        return short

    def to_json(self) -> dict:
        return {
            "level": self.level,
            "category": self.category,
            "due": _iso(self.due),
            "days_late": self.days_late,
            "days_left": self.days_left,
            "phrase": self.phrase,
            "reason": self.reason,
        }


def continuing(d: Deadline) -> bool:
    """持续推进 and the like: work that goes on, judged by progress within the plan year."""
    return d.kind == "ongoing" or (d.kind == "relative" and d.due is None)


@functools.lru_cache(maxsize=4096)
def parsed(phrases: tuple, year: int) -> tuple:
    """``parse_deadlines`` of a task's phrases, shared: a city's ten thousand tasks are written
    with a few hundred phrases, and Deadlines are frozen."""
    return tuple(parse_deadlines(list(phrases), year))


def standing(deadlines: tuple, year: int, state: str, closed: _dt.date | None, progress: tuple, as_of: _dt.date,
             within: int = DEFAULT_WITHIN, issued: _dt.date | None = None) -> Assessment:
    """``assess`` with hashable arguments, kept for the process: most of a city's tasks share
    their deadlines, state and day, and an assessment depends on nothing else. Progress only
    counts for recurring and continuing deadlines (and the milestones before them), so for the
    others it is left out of the key; of the issue date only which periods it cuts off counts
    (plans issued within the same period share their answers)."""
    if progress and not uses_progress(deadlines):
        progress = ()
    if issued is not None:
        # judged with the last period end on or before the issue date in its place, every period
        # falls on the same side (None when the issue date cuts none)
        ends = _period_ends(deadlines, year)
        cut = bisect.bisect_right(ends, issued)
        issued = ends[cut - 1] if cut else None
    return _standing(deadlines, year, state, closed, progress, as_of, within, issued)


@functools.lru_cache(maxsize=4096)
def _period_ends(deadlines: tuple, year: int) -> tuple:
    """The days an issue date is compared with, in order: the ends of the recurring deadlines'
    periods in the plan year, the year's own end where a continuing deadline asks for progress in
    the year, and the milestones' dates (none for the others)."""
    ends = [e for d in deadlines for _, e in recurring_periods(d, year)]
    ends += [_dt.date(year, 12, 31)] * any(continuing(d) for d in deadlines)
    ends += [d.due for i, d in enumerate(deadlines) if _milestone(deadlines, i)]
    return tuple(sorted(ends))


def _milestone(deadlines, i: int) -> bool:
    """Whether deadline ``i`` is a checkpoint ("6月底前" before "持续推进"): a date, with work
    going on after it."""
    return deadlines[i].due is not None and any(continuing(later) for later in deadlines[i + 1:])


def milestone_not_owed(deadlines, i: int, issued: _dt.date | None) -> bool:
    """Deadline ``i`` is a checkpoint that passed on or before the plan's issue date: like a
    period that ended by then, a plan cannot ask for it."""
    return issued is not None and _milestone(deadlines, i) and deadlines[i].due <= issued


@functools.lru_cache(maxsize=4096)
def uses_progress(deadlines: tuple) -> bool:
    """Whether the deadlines ask for progress entries: a recurring or a continuing one."""
    return any(d.kind == "recurring" or continuing(d) for d in deadlines)


@functools.lru_cache(maxsize=1 << 16)
def _standing(deadlines: tuple, year: int, state: str, closed: _dt.date | None, progress: tuple, as_of: _dt.date,
              within: int, issued: _dt.date | None) -> Assessment:
    return assess(deadlines, state=state, progress_dates=progress, as_of=as_of, year=year, within=within,
                  closed=closed, issued=issued)


def assess(deadlines, *, state: str, progress_dates, as_of: _dt.date, year: int,
           within: int = DEFAULT_WITHIN, closed: _dt.date | None = None,
           issued: _dt.date | None = None) -> Assessment:
    """A task's standing on ``as_of`` (a deadline day itself is not late yet). ``issued``: the
    plan's issue date (印发日期), when known.

    * A dated deadline is met by closing on or before it; "6月底前" followed by "持续推进" is a
      milestone, also met by any progress entry on or before it. An open task whose date has
      passed is late (red).
    * 持续推进 (and an undated "N个工作日内") asks for progress within the plan year: without any,
      the task is 未见进展, and late once the year is over; a plan issued on its last day or later asks none.
    * A recurring deadline asks for progress in each period: the last finished period without an
      entry makes the task late. A period that ends on or before the plan's issue date is not
      owed (a plan cannot ask for work done before it existed), nor listed as missed; nor is a
      milestone that falls by then.
    * No deadline at all: due with the plan, at the end of its year. An unreadable phrase is not
      judged.
    Several deadlines: the worst result wins (among reds the most days late, among yellows the
    soonest due).
    """
    deadlines = list(deadlines or [])
    done = state == "done"
    moment = closed if done and closed is not None else as_of
    progress = sorted(p.date() if isinstance(p, _dt.datetime) else p for p in progress_dates or [])
    progress = [p for p in progress if p <= moment]
    if not deadlines:
        deadlines = [Deadline(phrase="", kind="dated", due=_dt.date(year, 12, 31))]
    year_start, year_end = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    in_year = any(year_start <= p <= year_end for p in progress)
    year_owed = issued is None or issued < year_end  # the year, as a period, ends before the issue date
    results: list[Assessment] = []
    missed_periods: list[MissedPeriod] = []
    for i, d in enumerate(deadlines):
        if d.kind == "recurring":
            result, missed = _assess_recurring(d, year, progress, moment, within, done, issued)
            results.append(result)
            # "按月" beside "每月" names the same months once
            missed_periods += [m for m in missed if m not in missed_periods]
        elif milestone_not_owed(deadlines, i, issued):
            # a checkpoint passed before the plan existed, like a period that ended by then: not owed
            results.append(Assessment("green" if not done else None, "open", None, None, None, d.phrase,
                                      f"{one_line(d.phrase)}:节点在计划印发前已过"))
        elif d.due is not None:
            results.append(_assess_dated(d, _milestone(deadlines, i), progress, as_of, within, done, closed))
        elif continuing(d) and not year_owed:
            # issued as its year ended: like a period ending by the issue date, the year is not owed
            results.append(Assessment("green", "open", None, None, None, d.phrase,
                                      f"{one_line(d.phrase)}:计划在{year}年末或以后才印发"))
        elif continuing(d):
            result = _assess_dated(Deadline(d.phrase, "ongoing", year_end), True, progress, as_of, within, done,
                                   closed, year_start=year_start)
            if not in_year and not done and (as_of > year_end):
                missed_periods.append(MissedPeriod(f"{year}年度", year_start, year_end))
            results.append(result)
        else:
            results.append(Assessment("green" if not done else None, "open", None, None, None, d.phrase,
                                      f"期限无法识别:{one_line(d.phrase)}"))
    worst = min(results, key=urgency_of)
    if done:
        late = [r for r in results if r.category == "late"]
        pick = max(late, key=lambda r: r.days_late or 0) if late else worst
        due = pick.due or next((r.due for r in results if r.due), None)
        return Assessment(None, "late" if late else "on_time", due, pick.days_late if late else None, None,
                          pick.phrase or None, pick.reason if late else "已完成", tuple(missed_periods))
    category = worst.category
    if category != "overdue":
        # A recurring deadline whose periods all ended before the plan was issued asks nothing.
        asks = any((continuing(d) and year_owed) or (d.kind == "recurring" and r.category != "open")
                   for d, r in zip(deadlines, results))
        if asks:
            category = "ongoing" if in_year else "no_progress"
        else:
            category = "open"
    return Assessment(worst.level, category, worst.due, worst.days_late, worst.days_left, worst.phrase or None,
                      worst.reason, tuple(missed_periods))


def urgency_of(a: Assessment) -> tuple:
    """The sort key of the most urgent first: red (most days late first), then yellow (soonest due
    first), then green (a done one counts as green). Among greens an unreadable phrase first (it
    needs fixing), then the next date coming up, nearest first: a date already passed (a milestone
    met) asks nothing more, so it comes after them."""
    rank = -_LEVEL_RANK.get(a.level or "green", 0)
    if a.level == "red":
        return (rank, -(a.days_late or 0))
    if a.level == "yellow":
        return (rank, a.days_left)
    unknown = a.reason.startswith("期限无法识别")
    upcoming = a.days_left is not None and a.days_left >= 0
    return (rank, not unknown, not upcoming, a.days_left is None, abs(a.days_left or 0))


def _assess_dated(d: Deadline, milestone: bool, progress: list[_dt.date], as_of: _dt.date, within: int,
                  done: bool, closed: _dt.date | None, year_start: _dt.date | None = None) -> Assessment:
    due = d.due
    left = (due - as_of).days
    label = one_line(d.phrase) if d.phrase else "未写期限"
    ongoing = d.kind == "ongoing"
    where = (f"{label},按年底{due.isoformat()}评估" if ongoing or not d.phrase
             else label if label == due.isoformat() else f"{label},{due.isoformat()}")
    phrase = d.phrase or None
    first = year_start or _dt.date.min
    if milestone and any(first <= p <= due for p in progress):
        text = "本年度已有进展记录" if ongoing else "节点已按期推进"
        if done:
            return Assessment(None, "on_time", due, None, None, phrase, f"{text}({where})")
        return Assessment("green", "ongoing" if ongoing else "open", due, None, left, phrase, f"{text}({where})")
    if done:
        late = (closed - due).days if closed is not None else 0
        if late > 0:
            return Assessment(None, "late", due, late, None, phrase, f"逾期{late}天完成({where})")
        return Assessment(None, "on_time", due, None, None, phrase, f"按期完成({where})")
    if left < 0:
        if ongoing:
            return Assessment("red", "no_progress", due, -left, left, phrase, f"全年未见进展记录({where})")
        note = ",节点前无进展记录" if milestone else ""
        return Assessment("red", "overdue", due, -left, left, phrase, f"已逾期{-left}天({where}){note}")
    if left <= within:
        if ongoing or not d.phrase:
            text = "今天到年底" if left == 0 else f"{left}天后到年底"
            text += ",本年度尚无进展记录" if ongoing else ""
        else:
            text = "今天到期" if left == 0 else f"{left}天后到期"
        return Assessment("yellow", "open", due, None, left, phrase, f"{text}({where})")
    if ongoing or not d.phrase:
        return Assessment("green", "open", due, None, left, phrase, f"长期任务({where})")
    return Assessment("green", "open", due, None, left, phrase, f"距期限还有{left}天({where})")


def _assess_recurring(d: Deadline, year: int, progress: list[_dt.date], as_of: _dt.date, within: int,
                      done: bool, issued: _dt.date | None = None) -> tuple[Assessment, list[MissedPeriod]]:
    periods = owed_periods(d, year, issued)
    if not periods and recurring_periods(d, year) and not done:
        return (Assessment("green", "open", None, None, None, d.phrase,
                           f"{one_line(d.phrase)}:{year}年各期均在计划印发前结束"), [])

    def reported(start: _dt.date, end: _dt.date) -> bool:
        i = bisect.bisect_left(progress, start)
        return i < len(progress) and progress[i] <= end

    def span(start: _dt.date, end: _dt.date) -> str:
        return f"{_period_name(d, start)}({start.isoformat()}至{end.isoformat()})"

    finished = [(s, e) for s, e in periods if e < as_of]
    missed = [MissedPeriod(_period_name(d, s, year=False), s, e) for s, e in finished if not reported(s, e)]
    if done:
        return Assessment(None, "on_time", periods[-1][1] if periods else None, None, None, d.phrase, "已完成"), missed
    # Only the last finished period decides: a quarter missed earlier and followed by an entry in
    # the next one is history for the annual report, not something late today.
    if finished and not reported(*finished[-1]):
        start, end = finished[-1]
        late = (as_of - end).days
        return (Assessment("red", "overdue", end, late, -late, d.phrase, f"{span(start, end)}无进展记录,已逾期{late}天"),
                missed)
    current = next(((s, e) for s, e in periods if s <= as_of <= e), None)
    if current:
        start, end = current
        left = (end - as_of).days
        if left <= within and not reported(start, end):
            text = "今天截止" if left == 0 else f"{left}天后截止"
            return (Assessment("yellow", "ongoing", end, None, left, d.phrase,
                               f"{span(start, end)}尚无进展记录,{text}"), missed)
        return (Assessment("green", "ongoing", end, None, left, d.phrase,
                           f"{one_line(d.phrase)}:本期{span(start, end)}"), missed)
    if periods and periods[-1][1] < as_of:
        end = periods[-1][1]
        return (Assessment("green", "ongoing", end, None, (end - as_of).days, d.phrase,
                           f"{one_line(d.phrase)}:{year}年最后一期{span(*periods[-1])}有进展记录"), missed)
    upcoming = next((p for p in periods if p[0] > as_of), None)
    end = upcoming[1] if upcoming else None
    return (Assessment("green", "ongoing", end, None, (end - as_of).days if end else None, d.phrase,
                       f"{one_line(d.phrase)}:" + (f"下一期{span(*upcoming)}" if upcoming else "未开始")), missed)
