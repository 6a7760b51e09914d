"""YAML mechanics shared by plan files and the units registry.

Two paths, on purpose:

* Reading uses a *safe* loader (PyYAML's C parser when present), which cannot construct
  objects, refuses anchors/aliases (so no alias bomb can expand), refuses duplicate keys and
  records the line of every mapping so later errors can say ``file:line``.
* Writing never re-dumps a whole file. The file is cut into blocks of lines (one per top-level
  key, and one per list item below it); only the block that changes is loaded with ruamel.yaml's
  round-trip loader, edited and dumped back with the file's own indentation. Every other byte of
  the file stays as it was, which keeps hand formatting, comments and diffs small.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable, NamedTuple

from gktrack.errors import PlanFileError
LINE_KEY = "__line__"  # loaded mappings carry the line they start on under this key
# A real plan is well under 1 MB; parsing takes about a second per MB, and a file a user
# hands us must be refused "within a few seconds", not after a minute.
MAX_FILE_BYTES = 4 * 1024 * 1024
# libyaml's composer recurses in C once per nesting level and overflows the C stack (a
# segfault, no message) somewhere past ten thousand; no plan nests deeper than a dozen.
MAX_DEPTH = 200

# Patterns are compiled where they are used (``re`` keeps them): compiling all of them at import
# cost every command ≈ 0.7 ms, most of it for NOT_PRINTABLE, which only errors and validate use.
# What YAML does not allow anywhere in a file: everything outside its "printable" set.
NOT_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
_TOP_KEY = r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:(\s|$)"
_KEY_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_CONFLICT = r"^(<<<<<<<|=======$|>>>>>>>|\|\|\|\|\|\|\|)"

# libyaml's problem texts (and the pure-Python parser's wording of the same) in Chinese; the
# first entry whose key occurs in the problem wins. Nothing English ever reaches the user.
_YAML_PROBLEMS = (
    ("tab character", "含有制表符(Tab),YAML 只能用空格缩进"),
    ("found character '\\t'", "含有制表符(Tab),YAML 只能用空格缩进"),
    ("unexpected end of stream", "文件意外结束(引号或括号未闭合)"),
    ("expected ',' or ']'", "方括号“[”未闭合,或列表项之间缺少逗号"),
    ("expected ',' or '}'", "花括号“{”未闭合,或各项之间缺少逗号"),
    ("mapping values are not allowed", "此处不能出现“键: 值”(缩进或冒号有误;文字中含“: ”时请加引号)"),
    ("could not find expected ':'", "缺少冒号“:”,或缩进有误"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected key", "缩进不一致或缺少键(此行应为“键: 值”)"),
    ("did not find expected '-' indicator", "列表项缩进不一致(每项应以“- ”开头)"),
    ("block sequence entries are not allowed", "此处不能出现列表项“- ”(缩进有误)"),
    ("did not find expected node content", "此处缺少值,或有不成对的括号、多余的符号"),
    ("another document", "一个文件只能有一个 YAML 文档(请删除多余的“---”)"),
    ("document start", "文档结构有误(多余的“---”或“...”)"),
    ("document end", "文档结构有误(多余的“---”或“...”)"),
    ("unhashable key", "键不能是列表或映射"),
    ("escape", "双引号中的转义“\\”写法有误(可改用单引号)"),
    ("hexdecimal", "双引号中的转义“\\x/\\u”写法有误(可改用单引号)"),
    ("anchor", "不支持 YAML 锚点和别名(&/*)"),
    ("alias", "不支持 YAML 锚点和别名(&/*)"),
    ("tag", "不允许的 YAML 标签(! 开头)"),
    ("directive", "不支持 YAML 指令(% 开头的行)"),
    ("block scalar", "多行文字(| 或 >)的写法有误"),
    ("indentation indicator", "多行文字(| 或 >)的写法有误"),
    ("comment or line break", "值的后面有多余的内容"),
    ("whitespace or line break", "符号后面缺少空格"),
    ("cannot start any token", "此处的字符不能作为值的开头(请给该值加引号)"),
)


def decode(data: bytes, where: str) -> str:
    """UTF-8 text of a file we own, or a PlanFileError naming the place of the first bad byte."""
    if len(data) > MAX_FILE_BYTES:
        raise PlanFileError(f"文件过大({len(data) / 1048576:.1f} MB),上限 {MAX_FILE_BYTES // 1048576} MB", where=where)
    if b"\0" in data[:8192]:
        raise PlanFileError("是二进制文件,不是 YAML 文本", where=where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        raise PlanFileError(
            "不是 UTF-8 编码(可能是 GBK),请用 UTF-8 另存", where=f"{where}:{line}:{column}"
        ) from None
    return text.removeprefix("\ufeff")


def _loader_class() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        """Safe loader that refuses aliases and duplicate keys and remembers lines."""

        def construct_object(self, node, deep=False):
            if node in self.constructed_objects or node in self.recursive_objects:
                raise _Refused("不支持 YAML 锚点和别名(&/*)", node.start_mark)
            return super().construct_object(node, deep)

        def construct_mapping(self, node, deep=False):
            seen: set[Any] = set()
            for key_node, _value in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Refused("不支持合并键(<<)", key_node.start_mark)
                key = getattr(key_node, "value", None)
                if isinstance(key, str):
                    if key in seen:
                        raise _Refused(f"重复的键“{key}”", key_node.start_mark)
                    seen.add(key)
            mapping = super().construct_mapping(node, deep=deep)
            mapping[LINE_KEY] = node.start_mark.line + 1
            return mapping

    # Timestamps other than plain dates stay strings: a plan only ever holds dates.
    Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    # The safe loader would still build bytes, sets and ordered pairs; a plan holds none of them.
    for tag in ("binary", "set", "omap", "pairs"):
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", _refuse_tag)
    return Loader


def _refuse_tag(loader, node):
    raise _Refused(f"不允许的 YAML 标签 {node.tag.replace('tag:yaml.org,2002:', '!!')}", node.start_mark)


def _construct_timestamp(loader, node):
    import datetime as dt

    value = loader.construct_scalar(node)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Refused(f"无效的日期“{value}”", node.start_mark) from None


class _Refused(Exception):
    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message = message
        self.mark = mark


_LOADER: type | None = None


def loader_class() -> type:
    """The safe loader (see ``_loader_class``), built once."""
    global _LOADER
    if _LOADER is None:
        _LOADER = _loader_class()
    return _LOADER


def safe_load(text: str, where: str) -> Any:
    """Parse YAML text safely; every problem becomes a PlanFileError at file:line:column.

    A fast path (``_fast_load``) builds the data from libyaml's events; anything it does not
    expect of a plain gktrack file — an error, an anchor, a tag, a duplicate or non-scalar key,
    several documents — sends the text to the careful loader below, which gives the same data
    or the error with its file:line:column.
    """
    conflict = re.search(_CONFLICT, text, re.M)
    if conflict:
        line = text[: conflict.start()].count("\n") + 1
        raise PlanFileError("有未解决的合并冲突标记(<<<<<<< / >>>>>>>)", where=f"{where}:{line}")
    check_nesting(text, where)
    if not _FAST_OFF:
        try:
            return _fast_load(text)
        except Exception:  # noqa: BLE001 - whatever it is, the careful loader decides
            pass
    return _careful_load(text, where)


_FAST_OFF = False  # tests compare both paths


class _Unusual(Exception):
    """Something the fast path leaves to the careful loader."""


_SCALAR_TAGS = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
_STR_TAG = "tag:yaml.org,2002:str"
_FAST: dict[str, Any] = {}


def _fast_load(text: str) -> Any:
    """The data ``_careful_load`` gives, from the event stream: no nodes, no constructor
    dispatch, the collector paused (the data has no cycles). Raises _Unusual (or a YAML error)
    whenever the careful loader might answer differently."""
    import gc

    import yaml

    if not _FAST:
        helper = loader_class()("")  # its resolver and scalar constructors, exactly as careful
        _FAST.update(resolve=helper.resolve, constructors=helper.yaml_constructors, helper=helper,
                     kinds=(yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent,
                            yaml.SequenceStartEvent, yaml.SequenceEndEvent),
                     node=yaml.ScalarNode, parser=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else None,
                     typed=None if helper.yaml_path_resolvers or None in helper.yaml_implicit_resolvers
                     else frozenset(helper.yaml_implicit_resolvers))
    if _FAST["parser"] is None:
        raise _Unusual("no C parser")
    scalar_event, map_start, map_end, seq_start, seq_end = _FAST["kinds"]
    resolve, constructors, helper, node_class = _FAST["resolve"], _FAST["constructors"], _FAST["helper"], _FAST["node"]

    # First characters for which the resolver may find a type other than text ("1", "t", "~",
    # "" ...); a plain scalar starting otherwise, or a quoted one, is text (Resolver.resolve).
    typed = _FAST["typed"]

    def value_of(event) -> Any:
        """A scalar the loop could not take as text at sight: resolved as the careful loader would."""
        if event.anchor is not None or (event.tag is not None and event.tag != "!"):
            raise _Unusual("anchor or tag")
        value = event.value
        tag = resolve(node_class, value, event.implicit)
        if tag == _STR_TAG:
            return value
        if tag not in _SCALAR_TAGS:  # the merge key "<<", "=" and the like
            raise _Unusual(tag)
        return constructors[tag](helper, node_class(tag, event.value, event.start_mark, event.end_mark,
                                                    event.style))

    enabled = gc.isenabled()
    gc.disable()
    parser = _FAST["parser"](text)
    try:
        parser.get_event()  # StreamStart
        if parser.check_event(yaml.StreamEndEvent):
            parser.get_event()
            return None
        start = parser.get_event()
        if not isinstance(start, yaml.DocumentStartEvent) or start.tags or start.version:
            raise _Unusual("document")
        # the stack holds [container, line, raw keys seen, pending key] per open collection
        stack: list[list] = []
        root: Any = None
        while True:
            event = parser.get_event()
            kind = event.__class__
            if kind is scalar_event:
                if typed is not None and event.anchor is None and event.tag is None \
                        and (not event.implicit[0] or event.value[:1] not in typed):
                    value = event.value  # text, as value_of would find
                else:
                    value = value_of(event)
            elif kind is map_start or kind is seq_start:
                if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                    raise _Unusual("anchor or tag")
                if stack and stack[-1][2] is not None and stack[-1][3] is _NO_KEY:
                    raise _Unusual("collection as key")
                stack.append([{} if kind is map_start else [], event.start_mark.line + 1,
                              set() if kind is map_start else None, _NO_KEY])
                continue
            elif kind is map_end or kind is seq_end:
                frame = stack.pop()
                value = frame[0]
                if kind is map_end:
                    value[LINE_KEY] = frame[1]
            elif kind is yaml.DocumentEndEvent:
                break
            else:
                raise _Unusual(kind.__name__)  # an alias, or something unforeseen
            if not stack:
                root = value
                continue
            frame = stack[-1]
            if frame[2] is None:
                frame[0].append(value)
            elif frame[3] is _NO_KEY:
                raw = event.value  # the careful loader compares keys as written
                if raw in frame[2] or value.__class__ is not str:
                    raise _Unusual("duplicate or non-text key")
                frame[2].add(raw)
                frame[3] = value
            else:
                frame[0][frame[3]] = value
                frame[3] = _NO_KEY
        if not parser.check_event(yaml.StreamEndEvent):
            raise _Unusual("several documents")
        return root
    finally:
        parser.dispose()
        if enabled:
            gc.enable()


_NO_KEY = object()


def _careful_load(text: str, where: str) -> Any:
    import yaml

    loader = loader_class()(text)
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise PlanFileError(exc.message, where=_mark(where, exc.mark)) from None
    except yaml.YAMLError as exc:
        raise yaml_error(exc, text, where) from None
    except RecursionError:
        raise PlanFileError(f"嵌套层数过多(超过 {MAX_DEPTH} 层)", where=where) from None
    finally:
        loader.dispose()


def yaml_error(exc: Exception, text: str, where: str) -> PlanFileError:
    """A PyYAML error as one Chinese line at file:line:column."""
    import yaml

    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or exc.context or ""
        mark = exc.problem_mark or exc.context_mark
        # An unclosed quote or bracket is found at the end of the file; its opening is the place.
        if exc.context_mark is not None and any(k in problem for k in ("end of stream", "expected ','")):
            mark = exc.context_mark
        if problem.startswith("could not determine a constructor for the tag"):
            tag = problem.rsplit(" ", 1)[-1].strip("'")
            return PlanFileError(f"不允许的 YAML 标签 {tag.replace('tag:yaml.org,2002:', '!!')}",
                                 where=_mark(where, mark))
        message = next((zh for key, zh in _YAML_PROBLEMS if key in problem), "无法解析(格式有误)")
        if "exceeded maximum nesting depth" in problem:  # libyaml >= 0.2.5 (PyYAML 6.0.4) has its own limit
            return PlanFileError(f"嵌套层数过多(超过 {MAX_DEPTH} 层)", where=_mark(where, mark))
        if "cannot start any token" in problem and mark is not None:
            char = _char_at(text, mark)
            if char == "\t":
                message = "含有制表符(Tab),YAML 只能用空格缩进"
            elif char:
                message = f"字符“{char}”不能作为值的开头(请给该值加引号)"
        return PlanFileError("YAML 语法错误:" + message, where=_mark(where, mark))
    # ReaderError: a character YAML does not allow anywhere (control characters and the like).
    # libyaml counts its position in bytes; the place is found again in the text itself.
    found = re.search(NOT_PRINTABLE, text)
    if found is None:
        return PlanFileError("含有不允许的控制字符", where=where)
    index = found.start()
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return PlanFileError(f"含有不允许的控制字符(U+{ord(found.group()):04X})", where=f"{where}:{line}:{column}")


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


_NESTING_RUN = r"^[ ?:-]*"
_BRACKETS = r"[^\[\]{}]+"


def check_nesting(text: str, where: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before libyaml's recursive composer sees it.

    A cheap bound comes first (indentation and "- - -" runs at line starts, plus the running
    depth of brackets); only a file that could exceed it is walked event by event, which
    never recurses.
    """
    runs = max((m.end() - m.start() for m in re.finditer(_NESTING_RUN, text, re.M)), default=0)
    depth = worst = 0
    for char in re.sub(_BRACKETS, "", text):
        depth = depth + 1 if char in "[{" else max(depth - 1, 0)
        worst = max(worst, depth)
        if worst > MAX_DEPTH:
            break
    if 2 * runs + worst <= MAX_DEPTH:
        return
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader_class()):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise PlanFileError(f"嵌套层数过多(超过 {MAX_DEPTH} 层)", where=_mark(where, event.start_mark))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        raise yaml_error(exc, text, where) from None


def _mark(where: str, mark: Any) -> str:
    if mark is None:
        return where
    return f"{where}:{mark.line + 1}:{mark.column + 1}"


def strip_lines(value: Any) -> Any:
    """The loaded data without the ``__line__`` bookkeeping (for comparisons and JSON)."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


# --- writing -------------------------------------------------------------------------------


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write through a temporary file and a rename: readers see the old or the new file.

    The data is on disk before the rename, and the rename before we return (the folder is
    synced too), so a power cut leaves the old file or the new one, never a mix or nothing.
    """
    path = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    sync_dir(path.parent)


_temp_serial = 0


def _create_temp(path: Path) -> tuple[int, str]:
    """A new file ``.<name>.<pid>-<n>.tmp`` next to ``path`` (the name ``journal`` cleans up
    after a killed writer). Not ``tempfile.mkstemp``: importing tempfile (and random) cost a
    write command ≈ 1 ms of start-up; the process id keeps writers apart, O_EXCL does the rest."""
    global _temp_serial
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        _temp_serial += 1
        tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}-{_temp_serial}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue  # left by a killed process that had the same id


def sync_dir(folder: Path) -> None:
    """fsync a folder so a rename or unlink in it survives a power cut (POSIX; best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Style(NamedTuple):
    """Indentation of a file's block lists: dash column and content column of the items."""

    offset: int = 2
    sequence: int = 4
    mapping: int = 2
    newline: str = "\n"


def detect_style(lines: list[str], newline: str | None = None) -> Style:
    if newline is None:
        newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    for line in lines:
        match = re.match(r"^( *)- +(?=[^\s#])", line)
        if match and not line.startswith("-"):
            dash = len(match.group(1))
            content = len(match.group(0))
            return Style(offset=dash, sequence=content, mapping=2, newline=newline)
        if match:
            return Style(offset=0, sequence=len(match.group(0)), mapping=2, newline=newline)
    return Style(newline=newline)


_RESOLVER: Any = None


def plain_reads_as_other(value: str) -> bool:
    """True when ``value`` written unquoted would be read back as something else than this text.

    ruamel.yaml writes YAML 1.2, where ``yes``, ``No``, ``on`` or ``1:30`` are plain text, but the
    read path (PyYAML) speaks YAML 1.1 and reads them as true, false and 90.
    """
    global _RESOLVER
    import yaml

    if _RESOLVER is None:
        _RESOLVER = yaml.resolver.Resolver()
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"


_REPRESENTER: type | None = None


def _representer() -> type:
    """ruamel's round-trip representer, quoting text that YAML 1.1 would read as another type."""
    global _REPRESENTER
    if _REPRESENTER is None:
        from ruamel.yaml.representer import RoundTripRepresenter

        class Representer(RoundTripRepresenter):
            pass

        def represent_str(self, data):
            if plain_reads_as_other(data):
                return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
            return RoundTripRepresenter.represent_str(self, data)

        Representer.add_representer(str, represent_str)
        _REPRESENTER = Representer
    return _REPRESENTER


def _yaml(style: Style):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Representer = _representer()
    yaml.width = 1_000_000  # never re-wrap long Chinese text
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    return yaml


def load_rt(text: str, style: Style) -> Any:
    return _yaml(style).load(text)


def dump_rt(data: Any, style: Style) -> str:
    import io

    buf = io.StringIO()
    _yaml(style).dump(data, buf)
    return buf.getvalue()


def is_ignorable(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


class Region(NamedTuple):
    """A top-level key's lines."""

    key: str
    start: int  # index of the "key:" line
    end: int  # exclusive; trailing blank and comment lines are left outside


class BlockFile:
    """A YAML file seen as lines, edited one block at a time (see the module docstring)."""

    def __init__(self, text: str, where: str):
        self.where = where
        self.lines = text.splitlines(keepends=True)
        # A file without a final newline keeps it that way (untouched files stay byte-identical).
        self.final_newline = not text or text.endswith("\n")
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.style = detect_style(self.lines)

    def text(self) -> str:
        text = "".join(self.lines)
        if not self.final_newline and text.endswith("\n"):
            text = text[:-2] if text.endswith("\r\n") else text[:-1]
        return text

    def regions(self) -> dict[str, Region]:
        starts: list[tuple[str, int]] = []
        top_key = re.compile(_TOP_KEY).match
        for index, line in enumerate(self.lines):
            # most lines are indented: only a line starting like a key can be one
            match = top_key(line) if line[:1] in _KEY_START else None
            if match:
                starts.append((match.group(1), index))
        regions = {}
        for pos, (key, start) in enumerate(starts):
            end = starts[pos + 1][1] if pos + 1 < len(starts) else len(self.lines)
            while end > start + 1 and is_ignorable(self.lines[end - 1]):
                end -= 1
            regions[key] = Region(key, start, end)
        return regions

    def item_spans(self, key: str, item_lines: list[int]) -> list[tuple[int, int]]:
        """Line spans [start, end) of the items of the top-level list ``key``.

        ``item_lines`` are the 1-based lines where the safe loader saw each item's mapping start.
        """
        region = self.regions().get(key)
        if region is None:
            raise PlanFileError(f"找不到顶层键“{key}”", where=self.where)
        starts = []
        for line_no in item_lines:
            index = line_no - 1
            if not re.match(r"^ *- ", self.lines[index]):
                # "-" alone on the line before the mapping
                if index > 0 and re.match(r"^ *-\s*$", self.lines[index - 1]):
                    index -= 1
                else:
                    raise PlanFileError("无法定位列表项(请把“- ”与第一个键写在同一行)", where=f"{self.where}:{line_no}")
            starts.append(index)
        spans = []
        for pos, start in enumerate(starts):
            end = starts[pos + 1] if pos + 1 < len(starts) else region.end
            while end > start + 1 and is_ignorable(self.lines[end - 1]):
                end -= 1
            spans.append((start, end))
        return spans

    def load_item(self, key: str, start: int, end: int) -> Any:
        """Round-trip load of lines [start, end), one item of the top-level list ``key``."""
        return load_rt(f"{key}:\n" + "".join(self.lines[start:end]), self.style_for(key))[key][0]

    def style_for(self, key: str) -> Style:
        """The indentation of the list under top-level ``key``, read from its own first item.

        A hand-written file may indent its lists differently (``sections:`` with ``-   key:``,
        ``tasks:`` with ``- id:``); an edited item must keep the indentation of its own list.
        """
        region = self.regions().get(key)
        if region is not None:
            for line in self.lines[region.start + 1 : region.end]:
                if re.match(r"^ *- +(?=[^\s#])", line):
                    return detect_style([line], self.style.newline)
        return self.style

    def load_region(self, region: Region) -> Any:
        return load_rt("".join(self.lines[region.start : region.end]), self.style)[region.key]

    def dump_item(self, key: str, item: Any) -> list[str]:
        """The lines of one list item under ``key``, in this file's indentation."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        wrapper = CommentedMap()
        seq = CommentedSeq()
        seq.append(item)
        wrapper[key] = seq
        text = dump_rt(wrapper, self.style_for(key))
        lines = text.splitlines(keepends=True)[1:]
        return [line.rstrip("\r\n") + self.style.newline for line in lines]

    def dump_region(self, key: str, value: Any) -> list[str]:
        from ruamel.yaml.comments import CommentedMap

        wrapper = CommentedMap()
        wrapper[key] = value
        text = dump_rt(wrapper, self.style)
        return [line.rstrip("\r\n") + self.style.newline for line in text.splitlines(keepends=True)]

    def append_items(self, key: str, new_lines: list[str], has_entries: bool) -> None:
        """Add dumped items at the end of the top-level list ``key`` (made if missing); other lines untouched."""
        if not new_lines:
            return
        regions = self.regions()
        if key in regions and has_entries:
            end = regions[key].end  # just after the last entry
            self.replace(end, end, new_lines)
            return
        header = [f"{key}:" + self.style.newline]
        if key in regions:  # "key:" with an empty or null value
            self.replace(regions[key].start, regions[key].end, header + new_lines)
        else:
            self.replace(len(self.lines), len(self.lines), header + new_lines)

    def replace(self, start: int, end: int, new_lines: list[str]) -> None:
        self.lines[start:end] = new_lines

    def edit_item(self, key: str, span: tuple[int, int], change: Callable[[Any], None]) -> None:
        start, end = span
        item = self.load_item(key, start, end)
        change(item)
        self.replace(start, end, self.dump_item(key, item))
