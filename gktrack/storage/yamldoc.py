"""YAML for gktrack's files: one library (PyYAML), one way to read, one way to write.

Reading composes the text into PyYAML's nodes and checks what a plan file may hold: no anchors
or aliases (so no alias bomb), no tags beyond the plain types, no merge keys, no duplicate keys,
no control characters, no nesting deeper than MAX_DEPTH. Every problem is one Chinese line at
file:line:column. Each node keeps its place in the text, which is what the writer needs.

Writing never re-dumps a file: an edit splices new text into the old at the places the nodes
give (as pre-commit's ``yaml_rewrite``), so comments, key order, quoting and hand layout survive
and a diff shows only what changed; the caller reads the result again to check it. Values are
quoted wherever YAML 1.1 or 1.2 would read them as something else than the text.

Why not ruamel.yaml (the design card's round-trip library): its pure-Python parser is far outside
the fresh-clone budget (benchmarks/RESULTS.md), and both of its C parsers refuse plain links in
flow lists (``evidence: [https://…]``) that plan files hold. Never re-dumping a file, gktrack
needs a parser with places, not a round-trip dumper.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from gktrack.errors import PlanFileError

# A real plan is well under 1 MB; a file a user hands us must be refused within seconds.
MAX_FILE_BYTES = 4 * 1024 * 1024
# libyaml's composer recurses once per nesting level; no plan nests deeper than a dozen.
MAX_DEPTH = 200

# What YAML does not allow anywhere in a file: everything outside its "printable" set.
NOT_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
_CONFLICT_MARKER = re.compile(r"^(<<<<<<<|=======$|>>>>>>>|\|\|\|\|\|\|\|)", re.M)
_CONFLICT_START = re.compile(r"^<<<<<<<( |$)", re.M)
_UNRESOLVED_CONFLICT = "有未解决的合并冲突(<<<<<<< 到 >>>>>>> 之间是两边的改动,请保留正确的一边并删除标记行)"
_CONFLICT_LEFTOVER = "有合并冲突留下的标记行(======= 或 >>>>>>>),请删除"

STR = "tag:yaml.org,2002:str"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
_NULL, _BOOL, _INT = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"
_FLOAT, _TIMESTAMP = "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"
_PLAIN_TAGS = {STR, MAP, SEQ, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP}

TAB_INDENT = "含有制表符(Tab),YAML 只能用空格缩进"
NO_ALIASES = "不支持 YAML 锚点和别名(&/*)"
# Windows Notepad calls GBK "ANSI"; its "另存为" dialog has the encoding list.
NOT_UTF8 = "不是 UTF-8 编码(可能是记事本存成了“ANSI”,即 GBK):请用“另存为”保存,编码选 UTF-8"
_TOO_DEEP = f"嵌套层数过多(超过 {MAX_DEPTH} 层)"
# PyYAML's problem texts in Chinese; the first entry whose key occurs in the problem wins.
_YAML_PROBLEMS = (
    # libyaml's own limit (1,000), met while scanning ahead of the events _check_nesting counts
    ("maximum nesting depth", _TOO_DEEP),
    ("found character '\\t'", TAB_INDENT),
    ("tab character", TAB_INDENT),
    ("end of stream", "文件意外结束(引号或括号未闭合)"),
    ("expected ',' or ']'", "方括号“[”未闭合,或列表项之间缺少逗号"),
    ("expected ',' or '}'", "花括号“{”未闭合,或各项之间缺少逗号"),
    ("mapping values are not allowed", "此处不能出现“键: 值”(缩进或冒号有误;文字中含“: ”时请加引号)"),
    ("could not find expected ':'", "缺少冒号“:”,或缩进有误"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected key", "缩进不一致或缺少键(此行应为“键: 值”)"),
    ("did not find expected '-' indicator", "列表项缩进不一致(每项应以“- ”开头)"),
    ("block sequence entries are not allowed", "此处不能出现列表项“- ”(缩进有误)"),
    ("did not find expected node content", "此处缺少值,或有不成对的括号、多余的符号"),
    ("expected the node content", "此处缺少值,或有不成对的括号、多余的符号"),
    ("another document", "一个文件只能有一个 YAML 文档(请删除多余的“---”)"),
    ("document start", "文档结构有误(多余的“---”或“...”)"),
    ("document end", "文档结构有误(多余的“---”或“...”)"),
    ("escape", "双引号中的转义“\\”写法有误(可改用单引号)"),
    ("hexdecimal", "双引号中的转义“\\x/\\u”写法有误(可改用单引号)"),
    ("anchor", NO_ALIASES),
    ("alias", NO_ALIASES),
    ("tag", "不允许的 YAML 标签(! 开头)"),
    ("directive", "不支持 YAML 指令(% 开头的行)"),
    ("block scalar", "多行文字(| 或 >)的写法有误"),
    ("indentation indicator", "多行文字(| 或 >)的写法有误"),
    ("comment or line break", "值的后面有多余的内容"),
    ("whitespace or line break", "符号后面缺少空格"),
    ("cannot start any token", "此处的字符不能作为值的开头(请给该值加引号)"),
)


# --- text ---------------------------------------------------------------------------------------


def decode(data: bytes, where: str) -> str:
    """UTF-8 text of one of our files, or a PlanFileError at the place of the first bad byte."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileError(f"文件过大({len(data) / 1048576:.1f} MB),上限 {MAX_FILE_BYTES // 1048576} MB", where=where)
    if b"\0" in data[:8192]:
        raise PlanFileError("是二进制文件,不是 YAML 文本", where=where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        raise PlanFileError(NOT_UTF8, where=f"{where}:{line}:{column}") from None
    return text.removeprefix("\ufeff")


def place(where: str, node_or_mark: Any) -> str:
    """``file:line:column`` of a node (its start) or a mark."""
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    if mark is None:
        return where
    return f"{where}:{mark.line + 1}:{mark.column + 1}"


def line_of(node: Any) -> int:
    return node.start_mark.line + 1


def line_column(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - line_start(text, index) + 1


# --- reading ------------------------------------------------------------------------------------


def compose(text: str, where: str) -> Any:
    """The node tree of ``text`` (None for an empty file), checked as the module says; the first
    problem is raised."""
    conflicts = conflict_markers(text)
    if conflicts:
        index, message = conflicts[0]
        raise PlanFileError(message, where=f"{where}:{line_column(text, index)[0]}")
    bad = re.search(NOT_PRINTABLE, text)
    if bad:
        line, column = line_column(text, bad.start())
        raise PlanFileError(f"含有不允许的控制字符(U+{ord(bad.group()):04X})", where=f"{where}:{line}:{column}")
    root = parse(text, where)
    for message, node in node_problems(root):
        raise PlanFileError(message, where=place(where, node))
    return root


def conflict_markers(text: str) -> list[tuple[int, str]]:
    """(index, message) of each merge conflict a line merge left: the start of each unresolved
    one; with none, each marker line left behind."""
    if _CONFLICT_MARKER.search(text) is None:
        return []
    starts = [(m.start(), _UNRESOLVED_CONFLICT) for m in _CONFLICT_START.finditer(text)]
    return starts or [(m.start(), _CONFLICT_LEFTOVER) for m in _CONFLICT_MARKER.finditer(text)]


def parse(text: str, where: str) -> Any:
    """The node tree of ``text`` as YAML reads it, before the checks of ``node_problems`` (a
    syntax error or too deep a nesting is raised). ``compose`` is what a reader wants."""
    _check_nesting(text, where)
    from yaml import YAMLError

    try:
        return _composer(text)
    except YAMLError as exc:
        raise _yaml_error(exc, text, where) from None
    except RecursionError:
        raise PlanFileError(_TOO_DEEP, where=where) from None


def _composer(text: str) -> Any:
    loader = _loader()(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def node_problems(root: Any):
    """``(message, node)`` for every alias, unusual tag, merge key, duplicate or non-text key
    under ``root`` (None: an empty file), in no particular order; iterative, and each node is
    looked at once, so an alias bomb costs no more than its text."""
    seen: set[int] = set()
    items: set[int] = set()  # mappings that are list items: a key twice there is often a lost "- "
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            yield NO_ALIASES, node
            continue
        seen.add(id(node))
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            yield f"不允许的 YAML 标签 {tag.replace('tag:yaml.org,2002:', '!!')}", node
        elif tag == MAP:
            keys: dict[str, int] = {}
            for key, value in node.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    yield "不支持合并键(<<)", key
                elif not isinstance(key.value, str):
                    yield "键不能是列表或映射", key
                elif key.value in keys:
                    hint = _NEW_ITEM_HINT if id(node) in items else ""
                    yield f"重复的键“{key.value}”(另见第 {keys[key.value]} 行){hint}", key
                else:
                    keys[key.value] = line_of(key)
                stack.append(value)
                if id(key) in seen:
                    yield NO_ALIASES, key
                seen.add(id(key))
        elif tag == SEQ:
            stack.extend(node.value)
            items.update(id(item) for item in node.value)


# A block copied from the item above with its "- " left out joins that item: its keys come twice.
_NEW_ITEM_HINT = ";若这是新的一项(如新的一条进展),请在它的第一行前加“- ”,与上一项对齐"


_NESTING_RUN = r"^[ ?:-]*"


def _check_nesting(text: str, where: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before the recursive composer sees it: a cheap bound
    first (indentation runs and bracket depth); only a file that could exceed it is walked
    event by event, which does not recurse."""
    runs = max((m.end() - m.start() for m in re.finditer(_NESTING_RUN, text, re.M)), default=0)
    depth = worst = 0
    for char in re.sub(r"[^\[\]{}]+", "", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        worst = max(worst, depth)
        if worst > MAX_DEPTH:
            break
    if 2 * runs + worst <= MAX_DEPTH:
        return
    import yaml
    from yaml import CollectionEndEvent, CollectionStartEvent, YAMLError

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_loader()):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise PlanFileError(_TOO_DEEP, where=place(where, event.start_mark))
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError as exc:
        raise _yaml_error(exc, text, where) from None


# Slips of typing in Chinese that YAML finds a line or two later, at a place that says nothing of
# them: a key's full-width colon or missing space ("deadline：6月底前", "deadline:6月底前"),
# an indent of full-width spaces. (pattern, what to say; {key} is the key typed).
_TYPING_SLIPS = (
    (re.compile(r"^ *(?:- +)?([A-Za-z_][A-Za-z0-9_]*)[ \u3000]*(：)"),
     "冒号应为半角“:”,其后空一格:把“{key}：”改为“{key}: ”"),
    (re.compile(r"^ *(?:- +)?([A-Za-z_][A-Za-z0-9_]*)(:)(?=[^ \r\n/])"),  # not a link: https://…
     "冒号后要空一格:把“{key}:”改为“{key}: ”(冒号为半角)"),
    (re.compile(r"^ *(?:- +)?()(\u3000)"), "行首有全角空格“　”,缩进只能用半角空格"),
)
# How far above the place YAML gives a slip may be: its own line, or the key line before it.
_SLIP_LINES = 3


def _typing_slip(text: str, line: int) -> tuple[int, int, str] | None:
    """(line, column, message), 0-based, of a typing slip on ``line`` or the few lines with text
    above it, the nearest first."""
    lines = text.split("\n")
    seen = 0
    for number in range(min(line, len(lines) - 1), -1, -1):
        content = lines[number]
        if not content.strip() or content.lstrip().startswith("#"):
            continue
        for pattern, message in _TYPING_SLIPS:
            found = pattern.match(content)
            if found:
                return number, found.start(2), message.format(key=found.group(1))
        seen += 1
        if seen == _SLIP_LINES:
            return None
    return None


def _misaligned_item(text: str, line: int) -> str | None:
    """A list item ("- ") on ``line`` whose dash stands in none of the columns the items above it
    use (a block copied or typed a space off): the nearest of those columns, where it belongs."""
    lines = text.split("\n")
    found = re.match(r" *- ", lines[line]) if 0 <= line < len(lines) else None
    if found is None:
        return None
    mine = found.end() - 2
    items: dict[int, int] = {}  # dash column -> the nearest line above with an item there
    for number in range(line - 1, -1, -1):
        above = re.match(r"( *)(- )?\S", lines[number])
        if above is None:
            continue
        if above.group(2):
            items.setdefault(len(above.group(1)), number)
        elif not above.group(1):
            break  # a top-level key: the list began below it
    if not items or mine in items:
        return None
    column = min(items, key=lambda c: (abs(c - mine), c))
    return (f"列表项的“- ”没有与上一项(第 {items[column] + 1} 行)对齐:应写在第 {column + 1} 列,"
            f"即前面空 {column} 格")


def _yaml_error(exc: Exception, text: str, where: str) -> PlanFileError:
    problem = str(getattr(exc, "problem", None) or getattr(exc, "context", None) or exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    slip = _typing_slip(text, mark.line) if mark is not None else None
    if slip is not None:
        return PlanFileError(slip[2], where=f"{where}:{slip[0] + 1}:{slip[1] + 1}")
    context_mark = getattr(exc, "context_mark", None)
    # An unclosed quote or bracket is found at the end of the file; its opening is the place.
    if context_mark is not None and any(k in problem for k in ("end of stream", "expected ','")):
        mark = context_mark
    message = next((zh for key, zh in _YAML_PROBLEMS if key in problem), "无法解析(格式有误)")
    if mark is not None and any(k in problem for k in ("expected key", "'-' indicator", "block end")):
        message = _misaligned_item(text, mark.line) or message
    if "cannot start any token" in problem and mark is not None:
        lines = text.split("\n")
        char = lines[mark.line][mark.column] if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]) else ""
        if char == "\t":
            message = TAB_INDENT
        elif char:
            message = f"字符“{char}”不能作为值的开头(请给该值加引号)"
    return PlanFileError("YAML 语法错误:" + message, where=place(where, mark))


def scalar(node: Any) -> Any:
    """The value of a scalar node as YAML 1.2 reads it (text, number, true/false, null, date).

    Raises ValueError for a timestamp that is not a plain date (a plan holds dates only)."""
    tag, value = node.tag, node.value
    if tag == STR:
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag in (_INT, _FLOAT):  # YAML 1.1's forms too: 0x1f, 017 (octal), 1_000, 1:30 (base 60), .inf
        numbers = _constructor()
        return (numbers.construct_yaml_int if tag == _INT else numbers.construct_yaml_float)(node)
    if tag == _TIMESTAMP:
        return dt.date.fromisoformat(value)
    return value


@functools.cache
def _constructor() -> Any:
    from yaml.constructor import SafeConstructor

    return SafeConstructor()


@functools.cache
def _loader() -> Any:
    """PyYAML's loader: libyaml's C parser where the installed PyYAML has it, the same grammar
    in Python otherwise."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def is_map(node: Any) -> bool:
    return node is not None and node.tag == MAP


def is_seq(node: Any) -> bool:
    return node is not None and node.tag == SEQ


def is_scalar(node: Any) -> bool:
    return node is not None and node.tag not in (MAP, SEQ)


def entries(node: Any) -> dict[str, tuple[Any, Any]]:
    """A mapping node's entries: key text -> (key node, value node)."""
    return {key.value: (key, value) for key, value in node.value}


def to_data(node: Any) -> Any:
    """The plain data of a checked node tree (dicts, lists, scalars)."""
    if node is None:
        return None
    if is_map(node):
        return {key.value: to_data(value) for key, value in node.value}
    if is_seq(node):
        return [to_data(item) for item in node.value]
    try:
        return scalar(node)
    except ValueError:
        return node.value


# --- writing ------------------------------------------------------------------------------------

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = set(",[]{}")


# YAML 1.2's core schema (editors' language servers read 1.2): what is not text there.
_CORE_1_2 = (r"null|Null|NULL|~|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
             r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN")


def _reads_as_other(text: str) -> bool:
    """Whether ``text`` unquoted reads as something else than text: in YAML 1.1, which this
    reader speaks (``yes``, ``1:30``), or in 1.2, which editors speak."""
    from yaml import ScalarNode

    return _resolver().resolve(ScalarNode, text, (True, False)) != STR or re.fullmatch(_CORE_1_2, text) is not None


@functools.cache
def _resolver() -> Any:
    from yaml.resolver import Resolver

    return Resolver()


def _printable(ch: str) -> bool:
    code = ord(ch)
    if code < 0x7F:
        return code >= 0x20
    return (0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000) \
        and ch not in "\u2028\u2029\ufeff"


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip(" ") or text.startswith(("---", "...")):
        return False
    first = text[0]
    if first in _INDICATORS:
        # "-x", "?x", ":x" are plain in block context; in a flow list they would confuse readers
        if first not in "-?:" or flow or len(text) == 1 or text[1] == " ":
            return False
    if text.endswith(":") or ": " in text or " #" in text:
        return False
    if flow and (any(ch in _FLOW_INDICATORS for ch in text) or re.search(r":(?=[,\[\]{}])", text)):
        return False
    if not all(_printable(ch) for ch in text):
        return False
    if _reads_as_other(text):
        return False
    # ":" and "?" inside a flow list: libyaml's rules there are narrower than the spec's (links
    # such as https://a.cn/x?y=1 pass, "0:?" does not), so the reader itself is asked
    return not (flow and (":" in text or "?" in text)) or _reads_back_in_flow(text)


def _reads_back_in_flow(text: str) -> bool:
    from yaml import YAMLError

    try:
        return to_data(_composer(f"[{text}]")) == [text]
    except YAMLError:
        return False


_ESCAPES = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
            "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N", "\xa0": "\\_",
            "\u2028": "\\L", "\u2029": "\\P"}


def _escaped(ch: str) -> str:
    """One character inside double quotes."""
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if _printable(ch) or ch == " ":
        return ch
    code = ord(ch)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def scalar_text(value: Any, *, flow: bool = False) -> str:
    """``value`` as one YAML scalar on one line: plain where that reads back as the same value,
    single-quoted otherwise, double-quoted when it needs escapes (line breaks, control characters).
    ``flow``: inside a flow list ``[a, b]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    if _plain_ok(text, flow):
        return text
    if all(_printable(ch) for ch in text):
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(map(_escaped, text)) + '"'


def flow_list(items: list) -> str:
    return "[" + ", ".join(scalar_text(item, flow=True) for item in items) + "]"


def _last_value(text: str, node: Any) -> Any:
    """The node ``node``'s text ends with: for a block collection, its last item's, down."""
    while (is_map(node) or is_seq(node)) and node.value and not is_flow(text, node):
        node = node.value[-1][1] if is_map(node) else node.value[-1]
    return node


def keeps_trailing_lines(text: str, node: Any) -> bool:
    """Whether ``node`` ends in a block scalar that keeps its trailing line breaks ("|+", ">+"): the
    blank lines after it are part of its value, and so would be one put after it."""
    node = _last_value(text, node)
    return (getattr(node, "style", None) in ("|", ">") and "+" in text[node.start_mark.index:node.start_mark.index + 4]
            and node.end_mark.index > node.start_mark.index)


def content_end(text: str, node: Any) -> int:
    """The index just after the last character of ``node``'s own content: for a collection, of
    its last item; never the blank lines or comments a block's end mark runs on to."""
    node = _last_value(text, node)
    end = node.end_mark.index
    if keeps_trailing_lines(text, node):
        return end - 1
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    # a trailing comment on the value's last line belongs to it
    rest = text[end:next_line(text, end)].removesuffix("\n")
    if rest.strip().startswith("#"):
        end = end + len(rest.rstrip(" \t\r"))
    return end


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def lines_of(text: str, node: Any) -> tuple[int, int]:
    """The whole lines of ``node``: [start, end) from the start of its first line to just after
    the line its content ends on."""
    return line_start(text, node.start_mark.index), lines_end(text, node)


def lines_end(text: str, node: Any) -> int:
    """Just after the line ``node``'s content ends on (``content_end``)."""
    return next_line(text, content_end(text, node))


def next_line(text: str, index: int) -> int:
    """The start of the line after the one ``index`` is on (the end of the text at the last)."""
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


# --- splicing: every write of a plan or the registry (an edit, a merge) ------------------------

# (start, end, new text): a replacement of text[start:end].
Splice = tuple[int, int, str]


def apply_splices(text: str, splices: list[Splice], offset: int = 0) -> str:
    """``text`` with the splices made (their places shifted by ``offset``), last place first."""
    for start, end, new in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start - offset] + new + text[end - offset:]
    return text


def line_break_before(text: str, at: int, newline: str) -> str:
    """What text inserted at ``at`` needs first: a line break when the file's last line lacks one."""
    return "" if text[at - 1:at] in ("\n", "") else newline


def is_flow(text: str, node: Any) -> bool:
    """Whether a mapping or list is written in flow style ("{…}", "[…]")."""
    return (is_map(node) or is_seq(node)) and text[node.start_mark.index:node.start_mark.index + 1] in ("[", "{")


def trailing_comment(text: str, node: Any) -> str:
    """The comment after ``node`` on the line it ends on, with the spaces before it ("" if none)."""
    rest = text[node.end_mark.index:lines_end(text, node)].rstrip("\r\n")
    return rest if rest.strip().startswith("#") else ""


def item_columns(text: str, item: Any) -> tuple[int, int]:
    """A block list item's columns: its dash's and its content's."""
    start = line_start(text, item.start_mark.index)
    return text.rfind("-", start, item.start_mark.index) - start, item.start_mark.column


def _value_on_key_line(text: str, key: Any, value: Any) -> bool:
    """Whether ``value`` is a scalar or a flow collection on its key's line (not a block scalar)."""
    return value.start_mark.line == key.start_mark.line and value.end_mark.index > value.start_mark.index \
        and getattr(value, "style", None) not in ("|", ">") \
        and (is_scalar(value) or is_flow(text, value))


def entry_splices(text: str, node: Any, changes: dict[str, str | None], order: list[str], newline: str,
                  values: dict[str, str] | None = None) -> list[Splice]:
    """Splices setting entries of the mapping ``node``. ``changes[name]``: the entry's new text from
    its key on (``name: value`` and any lines below, indented for the mapping), or None to remove it.
    A new entry goes after the last entry of the file that ``order`` puts before it. ``values``: for
    entries that fit on their key's line, the value alone; where the file's value is on its key's
    line too, only the value is replaced, so a comment after it stays."""
    found = entries(node) if is_map(node) else {}  # an empty file: new entries go at its end
    keys = list(found)
    splices: list[Splice] = []
    for index, (name, (key, value)) in enumerate(found.items()):
        if name not in changes:
            continue
        new = changes[name]
        if new is None:
            start = line_start(text, key.start_mark.index)
            if text[start:key.start_mark.index].strip() and index + 1 < len(keys):
                # the first entry of a list item shares the dash's line: the next one moves up
                splices.append((key.start_mark.index, found[keys[index + 1]][0].start_mark.index, ""))
            else:
                splices.append((start, lines_end(text, value), ""))
        elif values and name in values and _value_on_key_line(text, key, value):
            splices.append((value.start_mark.index, value.end_mark.index, values[name]))
        else:
            splices.append((key.start_mark.index, lines_end(text, value), new))
    rank = {name: position for position, name in enumerate(order)}
    indent = " " * node.start_mark.column if keys else ""
    inserts: dict[int, str] = {}
    for name in order:
        new = changes.get(name)
        if name in found or new is None:
            continue
        before = [k for k in keys if rank.get(k, len(order)) < rank[name]] or keys[:1]
        at = lines_end(text, found[before[-1]][1]) if before else len(text)
        inserts[at] = inserts.get(at, line_break_before(text, at, newline)) + indent + new
    return splices + [(at, at, new) for at, new in inserts.items()]


def list_splices(text: str, parent: Any, name: str, old: dict, order: list, items: dict, newline: str, *,
                 gap: bool, parent_order: list[str], dash: int) -> list[Splice]:
    """Splices turning the list ``name`` of the mapping ``parent``, whose items are ``old`` (key:
    node, in the file's order), into the items of ``order``. An old item missing from ``order`` is
    cut (with the blank line before it); one in ``items`` (key: its new text) is replaced; a new one
    is inserted after the item before it in ``order``, or before the first. ``gap``: items are
    separated by a blank line. A list that is empty or missing is written as an entry of ``parent``
    (``entry_splices``, by ``parent_order``), and so is a list written "[…]": a block list whose old
    items keep their text, one a line with the dash at column ``dash`` (the comment after the "]"
    goes on the key's line)."""
    sep = newline if gap else ""
    value = entries(parent).get(name, (None, None))[1] if is_map(parent) else None
    if not old or not order or is_flow(text, value):
        if not old and not order:
            return []
        def as_written(node: Any) -> str:
            return f"{' ' * dash}- {text[node.start_mark.index:node.end_mark.index]}{newline}"

        texts = [items[key] if key in items else as_written(old[key]) for key in order]
        comment = trailing_comment(text, value) if old else ""
        body = f"{name}:{comment}{newline}" + "".join(sep + item for item in texts) if order else f"{name}: []{newline}"
        return entry_splices(text, parent, {name: body}, parent_order, newline)
    keys, kept = list(old), set(order)
    splices: list[Splice] = []
    for index, key in enumerate(keys):
        if key in kept and key not in items:
            continue  # left as it is
        start, end = lines_of(text, old[key])
        if key not in kept:
            previous = lines_of(text, old[keys[index - 1]])[1] if index else None
            if previous is not None and not text[previous:start].strip():
                start = previous  # the blank line before it goes with it
            elif index + 1 < len(keys):
                end = lines_of(text, old[keys[index + 1]])[0]
            splices.append((start, end, ""))
        else:
            splices.append((start, end, items[key]))
    anchor, pending = None, []
    for key in [*order, None]:
        if key is not None and key not in old:
            pending.append(key)
            continue
        if pending:
            if anchor is None:
                at = lines_of(text, old[keys[0]])[0]
                splices.append((at, at, "".join(items[k] + sep for k in pending)))
            else:
                at = lines_of(text, old[anchor])[1]
                # no blank line after a "|+" block: it would become part of that value
                first = "" if keeps_trailing_lines(text, old[anchor]) else sep
                added = first + sep.join(items[k] for k in pending)
                splices.append((at, at, line_break_before(text, at, newline) + added))
            pending = []
        anchor = key
    return splices
