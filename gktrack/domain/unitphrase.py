"""Unit lists as documents write them, read into ``UnitRef`` lists and written back.

One parser serves ``add``, ``assign`` and the importer, so "X牵头,Y、Z配合,各有关单位按职责分工落实"
means the same thing wherever it is typed or found::

    >>> parse_unit_phrase("司法所牵头,党政综合办配合,各有关单位按职能分工落实")
    [UnitRef(name='司法所', role='lead'), UnitRef(name='党政综合办', role='support'),
     UnitRef(name='各有关单位', role='responsible')]

A role word (牵头 / 配合 / 按职责分工负责 …) applies to every name since the previous one, but after
a label ("责任科室:A、B,各科室配合") only to its own clause; names left without one are responsible.
Separators are 、,; and spaces outside brackets; 和/及 join words inside one name ("城管住建和农业农村局").
In "市发改委、科技局" the names after a level-prefixed name share its prefix (市科技局), along an
unbroken 、 run that writes the prefix nowhere else, unless a name names a place of its own. Neither
an adverb before the role word ("分别牵头"), a clause after it ("X牵头做好…工作") nor a topic before
由 ("A由X牵头") is part of a name. What is no unit's name, and no task's text either (a table's
empty cells or row number), is judged here once (``unit_name_problem``, ``text_problem``).
"""

from __future__ import annotations

import functools
import re

from gktrack.domain.deadlines import time_phrase
from gktrack.domain.text import BRACKET_FOLD, HALF_WIDTH, bracket_pairs, clip, outside_brackets, unbracketed
from gktrack.errors import InputError
from gktrack.domain.model import ROLE_LABELS, ROLES, UnitRef

__all__ = ["parse_unit_phrase", "parse_unit_phrase_or_none", "format_unit_phrase", "looks_like_unit_phrase",
           "half_width", "is_body_name", "close_label_gaps", "dedupe_units", "join_line_breaks",
           "split_cut_name", "text_problem", "unit_name_problem"]

_RANK = {role: rank for rank, role in enumerate(ROLES)}  # lead < support < responsible

# Full-width ASCII, ideographic space and no-break space -> one form (and with ``BRACKET_FOLD`` each
# bracket shape), so patterns need not care how the phrase was typed.
_WIDTH = HALF_WIDTH | {0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: None, 0xFEFF: None}


def half_width(text: str) -> str:
    """Full-width ASCII punctuation, digits and spaces as their half-width forms."""
    return text.translate(_WIDTH)


_SEPARATORS = {"、": 1, "/": 1, " ": 0, "\t": 0, ",": 2, ";": 3}  # strength: which one wins in ", "
# "牵头单位:", "责任股室:": a role word and a kind of body, before the units it names; the same words
# name a table's unit columns ("落实单位"). The one list of them: the importer's patterns use it.
LABEL_ROLE_WORDS = {"lead": "牵头|主办|主责", "support": "配合|协办|协助|参与|协同",
                    "responsible": "责任|承办|实施|负责|落实|主管"}
_LABEL_ROLE_WORDS = "|".join(LABEL_ROLE_WORDS.values())
UNIT_LABEL_KINDS = r"单位|部门|主体|科室|处室|股室|站所|办室|机构"
UNIT_LABEL_WORD = rf"(?:{_LABEL_ROLE_WORDS})(?:{UNIT_LABEL_KINDS})"
# in a phrase already known to name units, "牵头:" "配合:" label as "牵头单位:" does
_LABEL = re.compile(rf"^(?P<label>(?:{_LABEL_ROLE_WORDS})(?:{UNIT_LABEL_KINDS})?)\s*[::]\s*")
# PDF text spaces a label's characters ("(责任 单位: X)", "牵 头 部 门:"): closed up where a file is read
# and where 繁体 is read as 简体 (``close_label_gaps``), so no pattern here or in the importer has to allow for it.
_SPACED_LABEL = re.compile(
    r"(?:{roles})(?:\s*(?:{kinds}))?\s*[:：]".format(
        roles="|".join(r"\s*".join(word) for word in _LABEL_ROLE_WORDS.split("|")),
        kinds="|".join(r"\s*".join(word) for word in UNIT_LABEL_KINDS.split("|"))))


def close_label_gaps(text: str) -> str:
    """"(责任 单位 : X)" -> "(责任单位: X)": spaces inside a unit label and before its colon taken out."""
    if ":" not in text and "：" not in text:
        return text
    return _SPACED_LABEL.sub(lambda match: re.sub(r"\s+", "", match.group()), text)


_LABEL_ROLE = {word: role for role, words in LABEL_ROLE_WORDS.items() for word in words.split("|")}
# "…均为牵头单位": the role said as what the names are
_LEAD_END = re.compile(r"(?:共同|联合|负责)?牵头(?:负责|抓总|落实|实施)?$|(?<=.)(?:主办|主责|统筹|抓总)$"
                       r"|(?<=.)(?:均|都|同)?为牵头(?:单位|部门)$")
_SUPPORT_END = re.compile(r"(?:协助|协同|共同|积极)?配合(?:落实|实施|做好)?$|(?<=.)(?:协助|参与|协办)$"
                          r"|(?<=.)(?:均|都|同)?为配合(?:单位|部门)$")
_RESPONSIBLE_END = re.compile(
    r"(?:(?:按照?|根据|依据?)?(?:各自)?(?:职责|职能)?(?:职责|职能)?(?:分工)?(?:分别|共同|具体|抓好)?)"
    r"(?:负责|落实)(?:落实|实施)?$"
    r"|(?:按照?|根据|依据?)(?:各自)?(?:职责|职能)(?:分工)?$"
    r"|(?<=.)(?:均|都|同)?为责任(?:单位|部门)$"
)
# Between the names and the role word: "分别牵头", "共同负责", "按职责分工负责" — said of the names,
# never part of one. Those that could end a name are only taken before a role word.
_ADVERB_END = re.compile(r"(?:分别|共同|联合|协同|各自|一起|一同)$")
_ADVERB_BEFORE_ROLE = re.compile(r"(?:分别|共同|联合|协同|各自|一起|一同|具体|均|负责|"
                                 r"(?:按照?|根据|依据?)(?:各自)?(?:职责|职能)(?:分工)?)$")
# A role word with more after it: "X牵头做好…工作", "Y负责本单位…" — the unit is the noun phrase
# before it. Not when a kind of body follows ("牵头单位") or a person ("负责人").
_ROLE_INSIDE = re.compile(
    r"(?:负责牵头|共同牵头|牵头负责|牵头|主办|主责|协助配合|配合|协助|协办|具体负责|负责落实|负责|具体落实|落实)"
    rf"(?!{UNIT_LABEL_KINDS}|人|领导|[,;、]|$)")
_ROLE_IN_BRACKETS = re.compile(r"\((牵头|配合|负责|主责|协办|牵头单位|配合单位|责任单位)\)$")
_BRACKETED_ROLE = re.compile(r"\(([^()]+)\)$")
_ALIAS_AFTER = re.compile(r"\([^()]*\)$")  # "县卫健局(县疾控中心)": another name for the unit
# "…等部门", "…等公共企事业单位行政主管部门": a qualifier after the named units, not a unit.
_QUALIFIER = re.compile(
    r"等(?:其他|有关|相关|各)?[\u4e00-\u9fff()]{0,16}?(?:部门|单位|机构|机关|企业|组织|主体)$|等$"
    r"|等[\u4e00-\u9fff]{0,8}(?:各|有关|相关|其他)[\u4e00-\u9fff]{0,4}$")
# "由X负责", "请X牵头": the word that brings in the unit (a topic before it is no part of the name);
# 由 and 请 inside a word ("自由贸易试验区", "申请", "由于") bring in nothing.
_INTRODUCER = re.compile(r"(?<![自理缘经事因来原根申邀提聘恳呈报敬催])(?:均|统一)?(?:由|请)(?![于此衷示求假教柬])")
_LEVEL_CHARS = "省市区县镇乡"
# Words that start with a level character without being a level prefix: 市场监管局, 乡村振兴局.
_NOT_A_PREFIX = re.compile(r"^(?:市场|市政(?:工程|公用|设施|管理|园林|建设|养护)|区域|县域|乡村|镇村)")
# Names that may take a shared prefix: department short names, not collectives or bodies.
_TAKES_PREFIX = re.compile(r"(?:局|委|办|厅|处|室|科|所|站|队|院|中心|支行|分行)$")
_NO_PREFIX_START = re.compile(r"^(?:各|本|全|相关|有关|其他|其它|被|所属|驻|直属)")
_PLACE_INSIDE = re.compile(r"^[\u4e00-\u9fff]{1,4}[省市区县](?!场|域|级|政工|民)")
# A place named further in: "人民银行潍坊市中心支行" is that bank's branch there, not a 市 department
# ("城市", "社区" are words, not places).
_PLACE_FURTHER = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<![城超社])[省市州县区](?![场域级政民直属委容])")
_NAME_FORBIDDEN = re.compile(r"[。!?!?“”\"《》:]")
MAX_NAME = 40
# Words naming a group of units, not one unit: 各有关单位, 区直相关部门, 市直各单位, 全区经济运行各专班.
_GROUP_WORD = re.compile(
    r"^各|^(?:省|市|区|县|镇|乡|州)直|.各[\u4e00-\u9fff]{0,6}$"
    r"|(?:相关|有关|其他|其它|成员|所属|下属|属下|责任|牵头|配合|协办)(?:单位|部门|机构|科室|股室|处室|企业)$")
# "我局", "本单位": the issuing body, as the document calls itself.
SELF_REFERENCE = re.compile(r"^(?:我|本)(?:局|委|办|厅|镇|乡|区|县|市|州|省|中心|院|所|街道|单位|部门|机关|科|处|室)$")
# "各州、市人民政府", "各县、市、区政府": bare levels before one body, one collective.
_BARE_LEVEL = re.compile(r"^各?[省市州盟县区旗镇乡]{1,2}$")
_UNIT_SUFFIX = re.compile(r"(?:局|委|办|厅|司|处|室|科|股|所|站|队|院|中心|部|组|政府|单位|部门|公司|分局)$")


def is_group_word(name: str) -> bool:
    """Whether a name stands for a group of units (a collective), not one unit."""
    return bool(_GROUP_WORD.search(name or ""))


def is_body_name(name: str) -> bool:
    """Whether a name is an office or body by its ending (局, 科, 中心, 政府, 各乡镇…), stricter than
    ``looks_like_unit_phrase``, which also takes 平台 and 热线 as a 责任单位 cell may name them."""
    bare = _ALIAS_AFTER.sub("", name or "")
    if re.search(r"(?:网站|大厅|窗口|平台|专栏|专区)$", bare):  # places and channels, not bodies: "政府网站:"
        return False
    return bool(_UNIT_SUFFIX.search(bare) or _GROUP_WORD.search(bare)
                or re.search(r"(?:镇|乡|街道|社区|村|办事处|管委会|委员会)$", bare))


_NO_WORD = re.compile(r"^[\W_]*$")  # punctuation, pipes and spaces only: a table's empty cells
# a table's 序号 or an item's number alone: 3, 3., (3), 1.2, ③ (a title "一" may be a person's placeholder)
_BARE_NUMBER = re.compile(r"^[(]?(?:\d+(?:\.\d+)*|[\u2460-\u2473])[).、]?$")


def _no_words(text: str) -> str | None:
    """What ``text`` is instead of words, or None: a table's empty cells or its row number."""
    core = re.sub(r"\s+", "", half_width(text or ""))
    if _NO_WORD.match(core):
        return "只有标点或竖线"
    if _BARE_NUMBER.match(core):
        return "只是一个数字(表格的序号?)"
    return None


@functools.lru_cache(maxsize=4096)  # a registry's few hundred names come back on every task
def unit_name_problem(name: str) -> str | None:
    """Why ``name`` can be no unit's name, or None: only punctuation or "|", a bare number or a time
    (table cells read into the wrong column), a clause whose 由/请 brings in the unit after a topic
    ("规范性文件公开由制发司"), or whose verb acts on the units ("督促各部门")."""
    if what := _no_words(name):
        return f"单位名称“{name}”{what},不是单位"
    if time_phrase(half_width(name or "").strip()):
        return f"单位名称“{name}”是时限,不是单位"
    if introduced := _introduced((name or "").translate(BRACKET_FOLD)):
        return f"单位名称“{name}”含“{introduced.group()}”引出的单位,应只写“{_normalise_name(name)}”"
    if acted_on := _acted_on(half_width(name or "").strip()):
        return f"单位名称“{name}”以“{acted_on}”开头,是一句话(单位是它的对象),不是单位"
    return None


def _acted_on(name: str) -> str | None:
    """The verb of action before the collective it acts on ("督促各部门"): a sentence's tail, no unit.
    An office named for its task ("优化营商环境办公室") names no collective after its verb."""
    rest = name
    while (verb := _ACTION_START.match(rest)) and verb.end() < len(rest):
        rest = rest[verb.end():]
    return name[:len(name) - len(rest)] if rest != name and is_group_word(rest) else None


def text_problem(text: str, what: str = "任务内容") -> str | None:
    """Why ``text`` can be no task's text (``what``: or a heading's title), or None: only punctuation
    or "|", or a bare number (a table's row number). Empty text is the file format's business."""
    found = _no_words(text) if (text or "").strip() else None
    return f"{what}“{text}”{found}" if found else None


def is_self_reference(name: str) -> bool:
    """"我市", "本单位": the issuing body, whose name the document may not spell out."""
    return bool(SELF_REFERENCE.match(name or ""))


def _level_prefix(name: str) -> str | None:
    if name and name[0] in _LEVEL_CHARS and len(name) > 1 and not _NOT_A_PREFIX.match(name):
        return name[0]
    return None


def _can_take_prefix(name: str) -> bool:
    if _level_prefix(name) or _NO_PREFIX_START.match(name) or _PLACE_INSIDE.match(name) \
            or _PLACE_FURTHER.search(name):
        return False
    return bool(_TAKES_PREFIX.search(name))


def _normalise_name(name: str) -> str:
    name = name.translate(BRACKET_FOLD).strip(" \t\r\n.,;:、")
    if introduced := _introduced(name):
        name = name[introduced.end():]
    return _QUALIFIER.sub("", name).strip()


def _introduced(name: str) -> re.Match | None:
    """The 由/请 after which ``name`` (brackets folded) names its unit: at its start, or after a topic
    when what follows reads as a body ("执法事项清单由政策法规司")."""
    for match in _INTRODUCER.finditer(name):
        rest = _QUALIFIER.sub("", name[match.end():]).strip()
        if match.start() == 0 or rest and (is_body_name(rest) or _whole_name(rest)):
            return match
    return None


def _chunks(text: str) -> list[tuple[str, str]]:
    """Split at separators outside brackets: [(chunk, separator before it)]."""
    chunks: list[tuple[str, str]] = []
    separator, start = "", 0
    for cut in [index for index in outside_brackets(text) if text[index] in _SEPARATORS] + [len(text)]:
        char = text[cut:cut + 1]
        if chunk := text[start:cut].strip():
            chunks.append((chunk, separator))
            separator = char
        elif char and _SEPARATORS[char] > _SEPARATORS.get(separator, -1):
            separator = char
        start = cut + 1
    return chunks


def _join_collectives(chunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """"各州" "、" "市人民政府" -> "各州、市人民政府": one collective of bodies at several levels;
    "各有关处室" "、" "单位" -> "各有关处室、单位": a bare kind of body after a collective is its."""
    out: list[tuple[str, str]] = []
    index = 0
    while index < len(chunks):
        chunk, separator = chunks[index]
        if out and separator == "、" and is_group_word(out[-1][0]) \
                and re.fullmatch(UNIT_LABEL_KINDS, _role_suffix(chunk)[0]):
            out[-1] = (out[-1][0] + "、" + chunk, out[-1][1])
            index += 1
            continue
        if _BARE_LEVEL.match(chunk) and chunk.startswith("各"):
            end = index
            while end + 1 < len(chunks) and chunks[end + 1][1] == "、" and _BARE_LEVEL.match(chunks[end + 1][0]):
                end += 1
            # ... but one level before the bodies directly under a government is two groups ("各镇、县直各部门")
            if end + 1 < len(chunks) and chunks[end + 1][1] == "、" and chunks[end + 1][0][:1] in "省市州盟县区旗镇乡" \
                    and not (end == index and chunks[end + 1][0][1:2] == "直"):
                end += 1
                out.append(("、".join(c for c, _ in chunks[index:end + 1]), separator))
                index = end + 1
                continue
        out.append((chunk, separator))
        index += 1
    return out


_AND = re.compile(r"(?<=[\u4e00-\u9fff)])(?:和|及|以及|与)(?=[\u4e00-\u9fff])")
_WITH = re.compile(r"(?<=[\u4e00-\u9fff)])会(?!同|议|商|签|计|展|员|所)(?=[\u4e00-\u9fff])")


def _split_and(chunk: str) -> list[str]:
    """"区政数局和区直相关部门" -> two names; "城管住建和农业农村局" is one (its left part is no unit)."""
    for match in _AND.finditer(chunk):
        left, right = chunk[:match.start()], chunk[match.end():]
        bare = _role_suffix(right)[0]
        if re.fullmatch(r"(?:责任|牵头|配合|承办|主办|协办)(?:单位|部门)", bare):
            continue  # "…牵头单位和责任单位": one description of a group
        if _UNIT_SUFFIX.search(left) and (_UNIT_SUFFIX.search(bare) or is_group_word(right)):
            return [left] + _split_and(right)
    return [chunk]


def _split_with(chunk: str) -> tuple[str, str] | None:
    """"宣传处会办公室" -> (宣传处, 办公室): X leads, together with Y."""
    for match in _WITH.finditer(chunk):
        left, right = chunk[:match.start()], chunk[match.end():]
        if _UNIT_SUFFIX.search(left) and left[-1] != "委" and _UNIT_SUFFIX.search(_role_suffix(right)[0]):
            return left, right
    return None


def _role_suffix(chunk: str) -> tuple[str, str | None]:
    for role, pattern in (("lead", _LEAD_END), ("support", _SUPPORT_END), ("responsible", _RESPONSIBLE_END)):
        if match := pattern.search(chunk):
            return _without_adverbs(chunk[: match.start()].strip(), _ADVERB_BEFORE_ROLE), role
    return _without_adverbs(chunk, _ADVERB_END), None


def _without_adverbs(name: str, pattern: re.Pattern) -> str:
    """"潍坊银监分局分别" -> "潍坊银监分局"; a name that is only an adverb stays as it is."""
    while True:
        match = pattern.search(name)
        if match is None or match.start() == 0:
            return name
        name = name[:match.start()].strip()


def _role_inside(chunk: str) -> tuple[str, str] | None:
    """"区司法局牵头区级规范性文件集中公开工作" -> (区司法局, lead): a unit, its role word and what it
    does; None unless the words before the first role word end like a body ("…局", "…制定主体")."""
    match = _ROLE_INSIDE.search(chunk)  # only the first role word may end the name
    if match is None:
        return None
    head = _without_adverbs(chunk[:match.start()].strip(), _ADVERB_BEFORE_ROLE)
    bare = _normalise_name(head)
    if not bare or not (is_body_name(bare) or _UNIT_END.search(_ALIAS_AFTER.sub("", bare))):
        return None
    word = match.group()
    return head, "lead" if re.search("牵头|主办|主责", word) else "support" if re.search("配合|协助|协办", word) \
        else "responsible"


def _run_on(chunk: str) -> tuple[str, str, str] | None:
    """"办公室牵头各科室" before "配合" (the comma left out): the first unit, its role, and the body
    named after its role word ("各科室", "抓好相关工作各股室"); None when no body follows."""
    inside = _role_inside(chunk)
    if inside is None:
        return None
    rest = chunk[_ROLE_INSIDE.search(chunk).end():].strip()
    if _ACTION_START.match(rest):
        # "牵头做好相关工作各股室": the clause is the first unit's, the group word after it the next names
        at = rest.rfind("各")
        rest = rest[at:] if at > 0 and is_group_word(rest[at:]) else ""
    if not rest or not is_body_name(_normalise_name(rest)):
        return None
    return inside[0], inside[1], rest


def _labelled_role(word: str) -> str:
    """The role a label ("牵头单位:") or a bracketed word ("(配合)") gives: by its first two characters."""
    return _LABEL_ROLE.get(word[:2], "responsible")


def _fail(text: str) -> InputError:
    return InputError(f"无法识别的责任单位:{clip(text, 60) or '(空)'}")


def join_line_breaks(phrase: str) -> str:
    """A cell's line breaks: after a whole name or role word ("县政府办公室\n县直各部门") one more
    name follows; inside a name a PDF or a narrow column wrapped it ("市住房城乡建\n设局")."""
    lines = [line.strip() for line in phrase.split("\n")]
    out = lines[0]
    for line in lines[1:]:
        if not line:
            continue
        ends = out.rstrip(" )")
        whole = not line.startswith("(") and bool(_UNIT_END.search(ends) or out.endswith(("、", ",", ";"))
                                                  or _role_suffix(out)[1])
        out += ("," if whole and not out.endswith(("、", ",", ";")) else "") + line
    return out


def _read(text: str, default: str = "responsible", strict: bool = False) -> list[tuple[str, str, str, int]]:
    """Names in order as (name, role, separator before it, role group). ``strict`` keeps a clause
    after a role word ("X负责做好…") in the name, so that a sentence does not read as a unit list."""
    phrase = join_line_breaks(half_width(text or "").translate(BRACKET_FOLD).strip())
    phrase = unbracketed(phrase.strip(" .。;,、"))
    # name, separator, group, role (None until a role word or the end settles it)
    names: list[list] = []
    pending: list[int] = []
    group = 0
    # After a label ("责任科室:X、Y,Z配合") its names have their role: a role word then settles only
    # the names since the last "," or ";". Without one ("X牵头,Y,Z配合") it settles all names waiting.
    labelled, since_comma = False, 0

    def settle(role: str, own_clause: bool = False) -> None:
        nonlocal group, labelled, since_comma
        start = since_comma if own_clause and labelled and since_comma < len(pending) else 0
        for position, index in enumerate(pending):
            names[index][3] = default if position < start else role
        pending.clear()
        labelled, since_comma = False, 0
        group += 1

    chunks = []
    for chunk, separator in _join_collectives(_chunks(phrase)):
        label = _LABEL.match(chunk)
        head = chunk[:label.end()] if label else ""
        parts = _split_and(chunk[len(head):])
        chunks.append((head + parts[0], separator))
        chunks += [(part, "和") for part in parts[1:]]
    clause = False  # inside what a unit does ("X负责做好A、B工作"): its words are no names
    for chunk, separator in chunks:
        if clause:
            if separator in ("、", "和") or (_role_suffix(chunk)[1] is None and not _role_inside(chunk)
                                             and not _LABEL.match(chunk) and not is_body_name(_normalise_name(chunk))):
                continue
            clause = False
        if separator in (",", ";"):
            since_comma = len(pending)
        if label := _LABEL.match(chunk):
            if pending:
                settle(default)
            default, labelled = _labelled_role(label.group("label")), True
            chunk = chunk[label.end():].strip()
            if not chunk:
                continue
        single = _ROLE_IN_BRACKETS.search(chunk)
        group_role = None if single else _BRACKETED_ROLE.search(chunk)
        if group_role and _role_suffix(group_role.group(1))[0] == "":
            # "X、Y(按职责分工负责)": a role phrase in brackets is said of every name before it
            chunk = chunk[:group_role.start()] + group_role.group(1)
        if single:
            names.append([chunk[: single.start()].strip(), separator, group, _labelled_role(single.group(1))])
            continue
        chunk, role = _role_suffix(chunk)
        while role is not None and (run_on := _run_on(chunk)) is not None:
            head, head_role, chunk = run_on
            names.append([head, separator, group, None])
            pending.append(len(names) - 1)
            settle(head_role, own_clause=True)
            separator = ","
        if role is None and not strict and (inside := _role_inside(chunk)) is not None:
            (chunk, role), clause = inside, True
        together = _split_with(chunk)
        if together and "会同" not in chunk:
            chunk = together[0] + "会同" + together[1]
        if "会同" in chunk:  # "X会同Y负责": X leads, Y does its part
            left, _, chunk = chunk.partition("会同")
            if left.strip():
                names.append([left.strip(), separator, group, None])
                pending.append(len(names) - 1)
            settle("lead", own_clause=True)
            separator = ","
        if chunk:
            introduced = _introduced(chunk)
            while introduced and introduced.start() > 0 and separator in ("、", "和") and pending \
                    and pending[-1] == len(names) - 1:
                # "政策解读、回应关切由X负责": the names before the topic in its 、 run are the topic's too
                separator = names.pop()[1]
                pending.pop()
            names.append([chunk, separator, group, None])
            pending.append(len(names) - 1)
        if role:
            settle(role, own_clause=True)
    settle(default)
    return [(_normalise_name(name), role, separator, grp) for name, separator, grp, role in names]


def parse_unit_phrase(text: str, default: str = "responsible") -> list[UnitRef]:
    """Units named by a phrase, in order, each once with its strongest role; names without a role
    word take ``default``. InputError("无法识别的责任单位:…") when no unit name can be read."""
    read = _read(text, default)
    if not read:
        raise _fail(text)
    units: list[UnitRef] = []
    prefix: str | None = None
    shared_each = False  # "各乡(镇)、街道": the 各 of the first name is every name's
    last_group = -1
    for position, (name, role, separator, group) in enumerate(read):
        if not name or len(name) > MAX_NAME or _NAME_FORBIDDEN.search(name):
            raise _fail(text)
        if problem := unit_name_problem(name):
            raise InputError(problem)
        if separator == "、" and group == last_group and shared_each and _takes_each(name):
            name = "各" + name
        elif separator != "、" or group != last_group:
            shared_each = False
        if name.startswith("各") and not _GROUP_WORD.search(name[1:]) and "、" not in name:
            shared_each = True
        if own := _level_prefix(name):
            prefix = own
        elif prefix and separator == "、" and group == last_group and _can_take_prefix(name) \
                and not _writes_prefixes(read, position):
            name = prefix + name
        else:
            prefix = None
        last_group = group
        units.append(UnitRef(name, role))
    return dedupe_units(units)


def parse_unit_phrase_or_none(text: str, default: str = "responsible") -> list[UnitRef] | None:
    """``parse_unit_phrase``, or None where it reads no unit (for guesses about what a text is)."""
    try:
        return parse_unit_phrase(text, default)
    except InputError:
        return None


def _writes_prefixes(read: list[tuple[str, str, str, int]], position: int) -> bool:
    """Whether the 、 run going on after ``position`` writes a level prefix on a name of its own
    ("区发改委、X办、区商务委"): such a list spells each name out, so a bare one is as written, not short."""
    group = read[position][3]
    for name, _, separator, later in read[position + 1:]:
        if separator != "、" or later != group:
            return False
        if _level_prefix(name):
            return True
    return False


_NO_EACH = re.compile(r"^(?:各|本|全|我|相关|有关|其他|其它|所属|被)|^[省市州盟县区旗镇乡](?!镇|村|道)")


def _takes_each(name: str) -> bool:
    """Whether a name after "各X、" shares its 各: a kind of body (街道, 乡镇政府, 街办, 管理处), not one unit."""
    if _NO_EACH.match(name) or _GROUP_WORD.search(name):
        return False
    return bool(re.match(r"^(?:街道|街办|社区|村|乡|镇|县|区|市|州|园区|开发区|管委会|管理处|管理区|片区|景区|农场|林场"
                         r"|办事处|学校|医院|居委会|村委会)", name))


def dedupe_units(units: list[UnitRef]) -> list[UnitRef]:
    """One entry per name, where it first appears, with the strongest role it was given."""
    best: dict[str, str] = {}
    for unit in units:
        if unit.name not in best or _RANK[unit.role] < _RANK[best[unit.name]]:
            best[unit.name] = unit.role
    return [UnitRef(name, role) for name, role in best.items()]


def format_unit_phrase(units: list[UnitRef]) -> str:
    """The canonical phrase "X牵头,Y、Z配合,W负责"; ``parse_unit_phrase`` reads it back unchanged."""
    parts = []
    units = dedupe_units(list(units))
    for role in ROLES:
        names = [u.name for u in units if u.role == role]
        if not names:
            continue
        text, prefix = names[0], _level_prefix(names[0])
        for name in names[1:]:
            own = _level_prefix(name)
            # A "、" would lend this name the prefix before it; a "," keeps it as written.
            if not own and prefix and _can_take_prefix(name):
                text += "," + name
                prefix = None
            else:
                text += "、" + name
                prefix = own or (prefix if _can_take_prefix(name) else None)
        parts.append(text + ROLE_LABELS[role])
    return ",".join(parts)


_UNIT_END = re.compile(
    r"(?:局|委|办|厅|司|处|室|科|股|所|站|队|院|中心|支行|分行|公司|集团|政府|单位|部门|机关|办事处|街道|社区"
    r"|管委|管委会|委员会|指挥部|小组|工作组|专班|学校|馆|台|社|庭|署|部|组|团|协会|联合会|海关|机构|企业"
    r"|园区|开发区|大队|中队|支队|总队|主体|成员单位|[妇残侨文]联|工商联|科协|红十字会|小学|中学|医院|卫生院"
    r"|热线|平台|专区)$"
)
_SHORT_PLACE_END = re.compile(r"[省市区县镇乡村]$")
_ACTION_START = re.compile(
    r"^(?:加强|推进|深化|做好|强化|提升|优化|完善|持续|建立|健全|开展|落实|规范|扩大|推动|坚持|严格|积极"
    r"|围绕|聚焦|加快|着力|全面|进一步|切实|认真|统筹|创新|探索|发挥|提高|组织|确保|重点|依法|及时|主动"
    r"|督促|指导|引导|鼓励|动员|带动|抓好|抓实)")
_HEADER_WORDS = {"责任单位", "牵头单位", "配合单位", "责任部门", "主办单位", "协办单位", "承办单位", "实施单位",
                 "负责单位", "单位", "部门"}
_PHRASE_FORBIDDEN = re.compile(r"[。!?!?“”\"《》]|\d\s*[年月日号./:-]|^[\d\s]+$|\d{5,}(?!热线)")


def looks_like_unit_phrase(text: str) -> bool:
    """Whether a line on its own is a list of units (a 责任单位 cell), not a sentence or heading:
    stricter than ``parse_unit_phrase``, every name must end like a unit or be a collective."""
    phrase = half_width(text or "").strip()
    if not phrase or len(phrase) > 150 or _PHRASE_FORBIDDEN.search(phrase):
        return False
    if unbracketed(phrase) in _HEADER_WORDS:
        return False
    read = _read(phrase, strict=True)
    return bool(read) and all(name and len(name) <= 25 and name not in _HEADER_WORDS and not _ACTION_START.match(name)
                              and _ends_like_a_name(name) for name, _role, _separator, _group in read)


def _ends_like_a_name(name: str) -> bool:
    """A unit's name by its ending (局, 政府, 各乡镇), or a short collective ("各…")."""
    bare = _ALIAS_AFTER.sub("", name)
    return _whole_name(name) or bare.startswith("各") and len(bare) <= 12


# What may follow the names, for telling "市财政局分别牵" (a name, then a role word cut off) from a
# cut-off name.
_ROLE_TAILS = [adverb + verb
               for adverb in ("", "分别", "共同", "联合", "协同", "各自", "具体", "均", "负责", "按职责分工", "按照职责分工",
                              "按职能分工", "根据职责分工", "按各自职责")
               for verb in ("牵头", "牵头负责", "牵头落实", "负责", "负责落实", "落实", "配合", "配合落实", "协助",
                            "协助配合", "协办", "主办", "为牵头单位", "为责任单位", "为配合单位")]
_LONGEST_TAIL = max(map(len, _ROLE_TAILS))


def _whole_name(name: str) -> bool:
    """Whether a name reads whole by its ending ("…管委", "各乡镇"), without its alias in brackets:
    "各有关" and "人民银" do not."""
    bare = _ALIAS_AFTER.sub("", name)
    return bool(_UNIT_END.search(bare) or _SHORT_PLACE_END.search(bare) and (len(bare) <= 6 or bare.startswith("各")))


def split_cut_name(text: str) -> tuple[str, str]:
    """A unit phrase cut off where a document ends -> (the part that reads whole, the cut-off name):
    "国务院审改办、人力" -> ("国务院审改办", "人力"). A last name ending like a unit or a role is kept."""
    text = text.rstrip(" \t、,;，；")
    cut = max((index for index in outside_brackets(text) if text[index] in "、,;，；。 "), default=-1)
    last = text[cut + 1:].strip()
    if not bracket_pairs(text)[1] and last:
        folded = half_width(last).translate(BRACKET_FOLD)
        label = _LABEL.match(folded)
        opening = label.end() if label else 0
        name, role = _role_suffix(folded[opening:])
        # a level alone ("…办公室、市") is where the next name was cut, not a place named whole
        if role or _whole_name(_normalise_name(name)) and not re.fullmatch(f"[{_LEVEL_CHARS}州盟旗]", name):
            return text, ""
        if len(folded) == len(last):
            # no longer a cut-off part than the longest role word: a long unclosed text is no quadratic work
            for end in range(len(last) - 1, max(opening, len(last) - 1 - _LONGEST_TAIL), -1):
                # "…、市审计局按职", "市发改委牵头落": a whole name (and role word), and the start of
                # a role word after it
                before, said = _role_suffix(folded[opening:end])
                if any(tail.startswith(folded[end:]) for tail in _ROLE_TAILS) \
                        and (said or _whole_name(_normalise_name(before))):
                    return text[:len(text) - len(last) + end], last[end:]
    if cut < 0:
        return "", text
    return text[:cut].rstrip(" \t、,;，；。"), last
