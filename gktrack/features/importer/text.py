"""Text helpers shared by the importer: width folding, numbering markers, dates, web-page furniture."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from gktrack.domain import numerals
from gktrack.domain.text import CLOSING_BRACKETS, HALF_WIDTH, OPENING_BRACKETS, clip

# One character for one character, so a match on the folded text slices the original at the
# same place: full-width ASCII -> half-width, odd spaces -> " ". 〔〕 stay: 文号 are written so.
_FOLD = HALF_WIDTH | {code: 0x20 for code in (0xA0, 0x2002, 0x2003, 0x2009, 0x200B, 0xFEFF, 0x0C, 0x0B, 0x09)}
_FOLD[ord("︰")] = ord(":")  # the vertical-text colon

# What a line's ends are stripped of: whitespace, odd spaces, the BOM.
STRIP = " \t\r\n\u3000\xa0\ufeff\u200b\u2002\u2003\x0b\x0c"


def fold(text: str) -> str:
    return text.translate(_FOLD)


# Characters a web page leaves in its text that no reader sees: zero-width space and joiners, the
# word joiner, a soft hyphen, a BOM inside the text. Inside a unit's name they would make it another.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")


# A heading a PDF's text spaces out letter by letter ("一 、 工 作 目 标", "（ 一 ） 工 作 目 标"): one
# space between single characters, most of them not letters or digits (two or more spaces part a
# table's columns)
_SPACED_OUT = re.compile(r"\S{1,3}(?:[ \u3000\xa0]\S){3,}")


def surface(line: str) -> str:
    """One line of a document as the importer reads it, whichever program it was copied from:
    without invisible characters; a heading spaced out letter by letter closed up; Word's tab
    between an item's number and its text a space."""
    line = _INVISIBLE.sub("", line)
    bare = line.strip(" \u3000\xa0")
    if _SPACED_OUT.fullmatch(bare) and 2 * len(re.findall(r"[A-Za-z0-9]", bare)) < len(bare.split()) \
            and not BARE_PAGE.match(bare):  # a page number stays as written, for the message naming it
        line = line[:line.index(bare[0])] + "".join(bare.split())
    # "1.\t加强…": a tab elsewhere separates a table's cells, this one would make the number a cell
    if "\t" in line and (marker := marker_at_start(line)) is not None and "\t" not in line[marker.end:]:
        line = line[:marker.end].replace("\t", " ") + line[marker.end:]
    return line


# Mirror sites gloss text with pinyin: "區(qū)", "政(zheng)(zheng)府(fu)": one syllable in brackets after
# a hanzi, maybe cut where a line ends ("區(q"). A toned syllable is always a gloss, a toneless one only
# where the document glosses systematically ("(ai)" may be a word); "(PPP)", "(app)" are text.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_UNTONE = str.maketrans(_TONED, "aaaaeeeeiiiioooouuuuüüüünnnm")
_LETTERS = rf"[a-zü{_TONED}]{{1,6}}"
_PINYIN_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]{_LETTERS}(?:[)）][(（]{_LETTERS})*"
                           r"(?:[)）]|(?=[^\S\n]*\|?[^\S\n]*$))", re.M)
# A syllable: initial + final, or a final alone where pinyin writes one without (a, ou, er); loose at
# the edges (it takes "iai"), exact enough to tell "zheng" from "word", "pdf" or "ok".
_OPEN = r"a(?:[io]|ng?)?|o(?:u|ng)?|e(?:[ir]|ng?)?"
_SYLLABLE = re.compile(rf"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])(?:[iuü]?(?:{_OPEN})|i(?:ng?|u)?|u[in]?|ün?)|{_OPEN}")
# Glossing is systematic with this many bracketed syllables after hanzi, and hardly any other words
_SYSTEMATIC = 6
# Characters only 繁体 text has, common in plans: a document with several of them is 繁体.
TRADITIONAL = re.compile("[們為與這來說對時從國會區縣鄉鎮書開門關發務單條責項經濟辦廳處號織標規範質級構體機數據見醫療應當將]")


def simplified(text: str, force: bool = False) -> str:
    """简体 for 繁体 text (OpenCC t2s); without OpenCC installed, the text as it is."""
    if not text or not (force or TRADITIONAL.search(text)):
        return text
    return _t2s()(text)


@functools.cache
def _t2s():
    try:
        import opencc

        return opencc.OpenCC("t2s").convert
    except Exception:  # not installed, or its data missing: keep the text as written
        return str


def strip_pinyin_glosses(text: str, toneless: bool | None = None) -> str:
    """"各鄉(xiāng)鎮(zhèn)政府" -> "各鄉鎮政府"; a gloss cut off where a line ends ("區(q") goes too.
    ``toneless``: whether toneless syllables ("重(zhong)") are glosses too (by default as the text does)."""
    if toneless is None:
        toneless = glosses_systematically(text)
    return _PINYIN_GLOSS.sub(lambda found: _unglossed(found.group(), toneless), text)


def glosses_systematically(text: str) -> bool:
    """Whether ``text`` glosses its characters with pinyin throughout: many bracketed syllables after
    hanzi and few other bracketed lowercase words there."""
    runs = [match.group() for match in _PINYIN_GLOSS.finditer(text)]
    glossed = sum(_unglossed(run, True) != run for run in runs)
    return glossed >= _SYSTEMATIC and glossed > 3 * (len(runs) - glossed)


def _unglossed(run: str, toneless: bool) -> str:
    """A run of brackets after a hanzi without its glosses: they come first, a word after them stays."""
    for part in re.finditer(r"[(（]([^()（）]+)([)）]?)", run):
        plain = part.group(1).translate(_UNTONE)
        if part.group(2):
            gloss = _SYLLABLE.fullmatch(plain) and (toneless or plain != part.group(1))
        else:  # cut inside a syllable: what is left must start one
            gloss = any(_SYLLABLE.fullmatch(plain + rest) for rest in ("", "a", "e", "i", "n", "g", "ng"))
        if not gloss:
            return run[part.start():]
    return ""


@dataclass(frozen=True)
class Marker:
    style: str   # "chapter" 第一部分, "cn" 一、, "pcn" (一), "n" 1. / 1、, "nn" 1.1, "pn" (1), "n)" 1), "circ" ①,
    #              "bullet" ■, "zn" 01
    value: int
    text: str    # as written, without surrounding spaces: "（一）", "1."
    end: int     # where the item's own text starts


# The levels an official document numbers in, top down (一、 above (一) above 1. above (1)): a style
# met later in a text still stands above the styles it ranks above.
_RANKED = ("chapter", "cn", "pcn", "n", "nn", "pn", "n)", "circ")


def outranks(style: str, other: str) -> bool:
    """Whether numbering ``style`` heads items of ``other`` in an official document."""
    return style in _RANKED and other in _RANKED and _RANKED.index(style) < _RANKED.index(other)


_CN = "一二三四五六七八九十"
_MARKERS = [
    ("chapter", rf"第(?P<v>[{_CN}]{{1,3}})(?:部分|章|篇)\s*[、.:,]?"),
    ("cn", rf"(?P<v>[{_CN}]{{1,3}})\s*[、.](?![{_CN}]{{1,2}}[、.])"),
    # "(一)、": the mark of a bracketed number written after it too, the title's own text after that
    ("pcn", rf"[(]\s*(?P<v>[{_CN}]{{1,3}})\s*[)](?:\s*[、.])?"),
    ("pcn", rf"〔(?P<v>[{_CN}]{{1,3}})〕"),
    ("n", r"(?P<v>\d{1,3})\s*[、.](?!\.)(?!\d(?!\d{3}\s*年))"),
    ("pn", r"[(]\s*(?P<v>\d{1,3})\s*[)](?:\s*[、.])?"),
    ("n)", r"(?P<v>\d{1,2})[)](?!\d)"),
    ("circ", r"(?P<c>[\u2460-\u2473])"),
]
# "1.1" "2.3" under "1." "2." (a 分工方案 numbered by chapter and item): only where a line starts,
# never inside one ("增长3.5%")
_DOTTED = ("nn", r"\d{1,2}\.(?P<v>\d{1,2})(?![\d.%])\s*[、.]?(?=\s*[\u4e00-\u9fff“(])")
# Only where a line starts, as a WeChat article writes them: "■"/"●" bullets (unnumbered items) and
# "01" "02" before a section's title (no page number, no item "1.").
_BULLET = ("bullet", r"(?P<b>[■□▲△●◆◇★☆►▶▪◼])")
_PADDED = ("zn", r"0(?P<v>[1-9])(?=\s+[\u4e00-\u9fff“])")
MARKER_AT_START = [(style, re.compile(r"^\s*" + source + r"\s*"))
                   for style, source in [_DOTTED] + _MARKERS + [_BULLET, _PADDED]]
MARKER_ANYWHERE = [(style, re.compile(source)) for style, source in _MARKERS]


def _marker_from(style: str, match: re.Match[str], raw: str) -> Marker | None:
    if style == "bullet":
        value = 1  # unnumbered: never checked for sequence
    elif style == "circ":
        value = ord(match.group("c")) - 0x2460 + 1
    else:
        value = numerals.number(match.group("v"))
    if value is None or value <= 0:
        return None
    return Marker(style, value, raw[match.start():match.end()].strip(), match.end())


def marker_at_start(raw: str, norm: str | None = None) -> Marker | None:
    """The numbering that opens a line, if any (the text after it must not be empty)."""
    norm = fold(raw) if norm is None else norm
    for style, pattern in MARKER_AT_START:
        match = pattern.match(norm)
        if match and norm[match.end():].strip():
            if style == "bullet":
                # "★1.…", "▲(三)…": a symbol marking an item (新增, 重点) before its number; the number
                # is the item's, the symbol is left out
                inner = marker_at_start(raw[match.end():], norm[match.end():])
                if inner is not None and inner.style != "bullet":
                    return Marker(inner.style, inner.value, inner.text, match.end() + inner.end)
            return _marker_from(style, match, raw)
    return None


def marker_only(text: str) -> bool:
    """Whether ``text`` is a numbering and nothing else ("(三)" where a web-page excerpt stops)."""
    norm = fold(text).strip()
    return bool(norm) and any((m := pattern.match(norm)) and not norm[m.end():].strip()
                              for _, pattern in MARKER_AT_START)


def markers_inside(norm: str, raw: str):
    """Every place a marker could start inside a line: (position, Marker relative to it)."""
    for style, pattern in MARKER_ANYWHERE:
        for match in pattern.finditer(norm):
            if match.start() == 0:
                continue
            if (marker := _marker_from(style, match, raw)) is not None:
                yield match.start(), marker


# ---- dates ------------------------------------------------------------------------------------

DATE = re.compile(
    r"(?P<y>\d{4})\s*(?:年|[-./])\s*(?P<m>\d{1,2})\s*(?:月|[-./])\s*(?P<d>\d{1,2})\s*日?"
    r"|(?P<cy>[〇零○Ｏ一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,2})月(?P<cd>[一二三四五六七八九十]{1,3})日"
)
DATE_LINE = re.compile(r"^\s*(?:" + DATE.pattern + r"|(?P<compact>\d{7,8}))\s*(?:印发|发布)?\s*$")


def to_date(match: re.Match[str]) -> dt.date | None:
    try:
        if match.group("y"):
            return dt.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        if match.group("cy"):
            month, day = numerals.number(match.group("cm")) or 0, numerals.number(match.group("cd")) or 0
            return dt.date(numerals.number(match.group("cy"), digitwise=True), month, day)
    except (ValueError, TypeError, KeyError):
        return None
    compact = match.groupdict().get("compact")
    return compact_date(compact) if compact else None


def compact_date(digits: str) -> dt.date | None:
    """"20220728", or "2022728" when only one reading of the month/day split is a real date."""
    year, rest = int(digits[:4]), digits[4:]
    readings = set()
    for cut in range(1, len(rest)):
        month, day = rest[:cut], rest[cut:]
        if len(month) > 2 or len(day) > 2:
            continue
        try:
            readings.add(dt.date(year, int(month), int(day)))
        except ValueError:
            continue
    return readings.pop() if len(readings) == 1 else None


CJK = "\u3400-\u9fff\uf900-\ufaff"
# A document number (文号): "某政办发〔2021〕65号", its year in brackets of any shape
DOC_NUMBER = re.compile(rf"[{CJK}A-Za-z]{{1,12}}\s*[{re.escape(OPENING_BRACKETS)}]\s*\d{{4}}\s*"
                        rf"[{re.escape(CLOSING_BRACKETS)}]\s*第?\s*\d{{1,4}}\s*号")
# Spaces between two Chinese characters or Chinese punctuation are copy-paste or OCR leftovers.
_GAP = re.compile(rf"(?<=[{CJK}“”‘’、,。;:!?()《》〔〕])\s+(?=[{CJK}“”‘’、,。;:!?()《》〔〕])")


def excerpt(text: str) -> str:
    """The start of ``text`` on one line, for a message."""
    return clip(text, 24)


def tidy(text: str) -> str:
    """The text stripped, without stray spaces between Chinese characters (matched width-blind)."""
    text = text.strip()
    folded = fold(text)
    pieces, last = [], 0
    for gap in _GAP.finditer(folded):
        pieces.append(text[last:gap.start()])
        last = gap.end()
    pieces.append(text[last:])
    return "".join(pieces)


def tidy_lines(text: str) -> str:
    """Each line ``tidy``, blank lines left out."""
    return "\n".join(tidy(part) for part in text.split("\n") if part.strip())


def furniture_key(text: str) -> str:
    """A line as compared with those at other pages' breaks: without spaces, any number the same
    ("第 2 页" is "第 3 页")."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


# The longest a heading's title runs: a longer line without a number is a sentence, not a title.
TITLE_CHARS = 40

# A page number on a line of its own: "- 2 -", "第 2 页 共 5 页", "2/5", a bare "2".
BARE_PAGE = re.compile(
    r"^(?:[-—–_~]+\s*\d{1,3}\s*[-—–_~]+|第\s*\d{1,3}\s*页(?:\s*[,/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|\d{1,3}\s*[、.]?)$")


# Web-page furniture: labelled fields anywhere, short widgets only when the line is just that.
CHROME = re.compile(
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
