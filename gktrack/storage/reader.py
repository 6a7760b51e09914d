"""Records from YAML nodes, by the schema declared in ``gktrack.domain.model``: one reader for
every file gktrack owns (plans, units.yaml), checking each value against its field's kind.

A problem is a Chinese line at file:line:column. Commands stop at the first error
(``problems=None``). ``validate`` passes a list and gets every problem once (the text's, the
YAML's, every field's, unknown keys as warnings), with the records read as far as they could be
(``Reader.lost`` names the fields that could not) and the merge driver's ``conflict:`` records
noted (``Reader.conflicts``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, NamedTuple

from gktrack.domain.dates import read_date
from gktrack.domain.model import PLAN_ID_PATTERN, RECORDS, STATE_LABELS, STATES, YEARS, fields_of
from gktrack.domain.text import clip
from gktrack.errors import InputError, PlanFileError
from gktrack.storage import yamldoc

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}
# Keys the merge driver writes into a record it could not merge: known, reported by validate.
CONFLICT_KEY = "conflict"
# Enough of one kind of problem in the text to show the pattern; binary junk would give thousands.
MAX_SAME = 20
MORE_OF_THE_SAME = "同类问题另有"
PLAN_ID = re.compile(PLAN_ID_PATTERN)
PLAN_ID_RULE = "只能用字母、数字、- 和 _,且不以 - 开头"
_BAD = object()  # a value already reported: nothing further is said about it
UNREADABLE = _BAD  # what ``Reader.compose`` gives for a text that is not YAML (collecting only)

_TAB_INDENT = re.compile(r"^ *\t", re.M)
# Allowed by YAML, but invisible line breaks or marks inside text: worth a warning.
_INVISIBLE = re.compile("[\x85\u2028\u2029\u200b\ufeff]")
# What a double-quoted escape ("\a", "\x1b") can put into a text that the file itself may not hold.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_WHERE = re.compile(r"^(.*?)(?::(\d+))?(?::(\d+))?$")


class Problem(NamedTuple):
    """One problem found in a file: where (file[:line[:column]]), what, how bad."""

    where: str
    message: str
    severity: str = ERROR

    @property
    def file(self) -> str:
        return _WHERE.match(self.where).group(1)

    @property
    def line(self) -> int | None:
        found = _WHERE.match(self.where).group(2)
        return int(found) if found else None

    @property
    def column(self) -> int | None:
        found = _WHERE.match(self.where).group(3)
        return int(found) if found else None

    def to_json(self) -> dict[str, Any]:
        return {"where": self.where, "file": self.file, "line": self.line, "column": self.column,
                "severity": self.severity, "message": self.message}

    def __str__(self) -> str:
        return f"{self.where}: {SEVERITY_LABELS.get(self.severity, self.severity)}:{self.message}"


class Conflict(NamedTuple):
    """A ``conflict:`` entry the merge driver left in a record (collecting mode)."""

    record: Any      # the plan or task it sits in, as read
    key: Any         # the ``conflict`` key's node: its place
    value: Any       # its value's node: per field, what the other side and the base had


class Reader:
    """Reads records out of one file's nodes. ``label`` prefixes say whose field is wrong."""

    def __init__(self, where: str, problems: list[Problem] | None = None):
        self.where = where
        self.problems = problems
        self.conflicts: list[Conflict] = []
        self._quiet: set[int] = set()        # nodes already reported: not read, nothing more said
        self._cut: set[int] = set()          # mappings that lost a key already reported
        self._lost: dict[int, set[str]] = {}  # id(record) -> its fields that could not be read
        self._nodes: dict[int, Any] = {}      # id(record) -> the node it was read from
        # Equal texts as one object: a plan names the same units, people and phrases on task
        # after task (the index stores them so too, see ``index.encode``).
        self._texts: dict[str, str] = {}

    def fail(self, message: str, node: Any, severity: str = ERROR) -> None:
        """``node``: where the problem is (a node, a line number, None for the whole file)."""
        if isinstance(node, int):
            where = f"{self.where}:{node}"
        else:
            where = yamldoc.place(self.where, node) if node is not None else self.where
        if self.problems is None:
            if severity == ERROR:
                raise PlanFileError(message, where=where)
            return
        self.problems.append(Problem(where, message, severity))

    def node_of(self, record: Any) -> Any:
        """The node ``record`` was read from (its place, and its fields' places)."""
        return self._nodes.get(id(record))

    def lost(self, record: Any) -> set[str]:
        """The fields of ``record`` that could not be read (collecting mode; reported already)."""
        return self._lost.get(id(record), set())

    # --- the text and its nodes ---

    def compose(self, text: str | bytes) -> Any:
        """The node tree of ``text`` (None: an empty file); bytes are decoded first (UTF-8, not
        binary, not too large). Commands get ``yamldoc.compose``, which raises the first problem;
        collecting, every problem of the text and of the nodes is listed, and ``UNREADABLE``
        returned when nothing can be read from it."""
        try:
            if isinstance(text, bytes):
                text = yamldoc.decode(text, self.where)
            if self.problems is None:
                return yamldoc.compose(text, self.where)
            if self._text_problems(text):
                return UNREADABLE
            root = yamldoc.parse(text, self.where)
        except PlanFileError as exc:
            if self.problems is None:
                raise
            self.problems.append(Problem(exc.where or self.where, exc.message))
            return UNREADABLE
        aliases = []
        for message, node in yamldoc.node_problems(root):
            if message == yamldoc.NO_ALIASES:
                aliases.append(node)
            else:
                self.fail(message, node)
                self._quiet.add(id(node))
        if aliases:  # the shape of such a file says nothing; one line, however many there are
            first = min(aliases, key=lambda node: node.start_mark.index)
            count = f"(共 {len(aliases)} 处)" if len(aliases) > 1 else ""
            self.fail(yamldoc.NO_ALIASES + count, first)
            return UNREADABLE
        if self._quiet:
            self._drop_keys(root)
        return root

    def _text_problems(self, text: str) -> bool:
        """List what the text holds that no reading can get past; whether there is any."""
        found: list[tuple[str, int, str, str]] = []  # (kind, index, message, severity)
        for index, message in yamldoc.conflict_markers(text):
            found.append(("conflict", index, message, ERROR))
        for match in re.finditer(yamldoc.NOT_PRINTABLE, text):
            found.append(("control", match.start(), f"含有不允许的控制字符(U+{ord(match.group()):04X})", ERROR))
        for match in _TAB_INDENT.finditer(text):
            found.append(("tab", match.end() - 1, yamldoc.TAB_INDENT, ERROR))
        for match in _INVISIBLE.finditer(text):
            found.append(("invisible", match.start(), f"含有看不见的字符(U+{ord(match.group()):04X}),"
                                                      "可能是从网页或文档复制来的,建议删除", WARNING))
        counts: dict[str, int] = {}
        for kind, index, message, severity in found:
            counts[kind] = counts.get(kind, 0) + 1
            if counts[kind] <= MAX_SAME:
                line, column = yamldoc.line_column(text, index)
                self.problems.append(Problem(f"{self.where}:{line}:{column}", message, severity))
        for kind, count in counts.items():
            if count > MAX_SAME:
                self.problems.append(Problem(self.where, f"{MORE_OF_THE_SAME} {count - MAX_SAME} 处未列出", WARNING))
        return any(severity == ERROR for *_, severity in found)

    def _drop_keys(self, root: Any) -> None:
        """Take the reported keys (merge keys, keys that are lists, a key's second time) out of
        their mappings, so the rest reads on; such a mapping does not also say a field is missing."""
        stack = [root]
        while stack:
            node = stack.pop()
            if yamldoc.is_map(node):
                kept = [(key, value) for key, value in node.value if id(key) not in self._quiet]
                if len(kept) != len(node.value):
                    node.value[:] = kept
                    self._cut.add(id(node))
                stack.extend(value for _, value in kept)
            elif yamldoc.is_seq(node):
                stack.extend(node.value)

    # --- records ---

    def record(self, cls: type, node: Any, label: str = "", *, what: str = "") -> Any:
        """An instance of ``cls`` from a mapping node. Commands: or the first error raised.
        Collecting: as far as it reads (``lost`` names the rest), or _BAD when it is no mapping."""
        if id(node) in self._quiet:
            return _BAD
        if not yamldoc.is_map(node):
            # "- 2024-06-20 已发布": a progress entry typed as one line of text
            keys = "、".join(name for name, _ in fields_of(cls))
            self.fail(f"{what or label}应写成每行一个“键: 值”(可用的键:{keys})", node)
            return _BAD
        found = yamldoc.entries(node)
        values: dict[str, Any] = {}
        lost: set[str] = set()
        top = cls.__name__ in _TOP_LABELS
        for name, spec in fields_of(cls):
            entry = found.get(name)
            if entry is None:
                if spec.required:
                    lost.add(name)
                    if id(node) not in self._cut:
                        message = f"{label}缺少日期" if name == "date" else f"{label}缺少“{name}”"
                        self.fail(message, None if top else node)
                continue
            key_node, value_node = entry
            value = self.value(spec, name, value_node, label)
            if value is _BAD:
                lost.add(name)
            elif value is not None:
                values[name] = value
            elif spec.required:
                self.fail(f"{label}缺少“{name}”", key_node)
                lost.add(name)
        if "line" in cls.__dataclass_fields__:
            values["line"] = yamldoc.line_of(node)
        record = cls(**values)
        self._nodes[id(record)] = node
        if self.problems is not None:
            self.unknown_keys(cls, found, label)
            if CONFLICT_KEY in found:
                self.conflicts.append(Conflict(record, *found[CONFLICT_KEY]))
            if lost:
                self._lost[id(record)] = lost
        return record

    def unknown_keys(self, cls: type, found: dict, label: str) -> None:
        known = [name for name, _ in fields_of(cls)]
        label = (label or _TOP_LABELS.get(cls.__name__, "")).removesuffix("的")
        for key, (key_node, _value) in found.items():
            if key in known or key == CONFLICT_KEY:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f",是否指“{close[0]}”?" if close else ""
            self.fail(f"{label}有未知的字段“{key}”{hint}(会被保留,但 gktrack 不使用它)", key_node, WARNING)

    def records(self, cls: type, node: Any, key: str, label_of) -> Any:
        """A list of records; ``label_of(record_node)`` names each one in messages."""
        if node is None or (yamldoc.is_scalar(node) and yamldoc.scalar(node) is None):
            return []
        if not yamldoc.is_seq(node):
            self.fail(f"“{key}”应为列表", node)
            return _BAD
        out = []
        named = "name" in cls.__dataclass_fields__
        for item in node.value:
            if named and yamldoc.is_scalar(item) and id(item) not in self._quiet:
                value = _scalar_or_none(item)  # "- 司法所": a unit by its name alone
                if isinstance(value, str) and value.strip():
                    out.append(cls(name=value.strip()))
                    self._nodes[id(out[-1])] = item
                else:
                    self.fail(f"“{key}”的每一项应有 name(单位名称)", item)
                continue
            record = self.record(cls, item, label_of(item), what=f"“{key}”的每一项")
            if record is not _BAD:
                out.append(record)
        return out

    # --- values ---

    def value(self, spec, name: str, node: Any, label: str) -> Any:
        if id(node) in self._quiet:
            return _BAD
        kind = spec.kind
        if kind == "records":
            cls = RECORDS[spec.record]
            return self.records(cls, node, name, lambda item: _record_label(cls, item, label))
        if not yamldoc.is_scalar(node):
            if kind in ("texts", "names", "members") and yamldoc.is_seq(node):
                return self.texts(name, node, label)
            self.fail(_wrong(kind, name, label), node)
            return _BAD
        try:
            value = yamldoc.scalar(node)
        except ValueError:
            self.fail(f"无效的日期“{clip(node.value)}”", node)
            return _BAD
        if value is None or value == "":
            return [] if kind in ("texts", "names", "members") else None
        if kind == "text":
            return self.text(value, name, node, label)
        if kind in ("texts", "names"):
            if isinstance(value, dt.date) and name == "deadline":
                self.fail(f"{label}期限 {value} 被读成了日期,请加引号(如 '{value}')", node)
                return _BAD
            text = self.text(value, name, node, label, many=True)
            return _BAD if text is _BAD else [text]
        if kind == "members":
            return "all" if value == "all" else [str(value)]
        if kind in ("int", "year"):
            if isinstance(value, int) and not isinstance(value, bool) and (kind != "year" or value in YEARS) \
                    and (name != "id" or value >= 1):
                return value
            self.fail(_wrong(kind, name, label, value), node)
            return _BAD
        if kind == "date":
            if isinstance(value, dt.date):
                return value
            self.fail(f"{label}“{name}”应为日期(如 2024-06-30),而不是“{clip(value)}”{_date_fix(value)}"
                      f"{comment_hint(value)}", node)
            return _BAD
        if kind == "state":
            if value in STATES:
                return STATES[STATES.index(value)]  # the constant, not one more copy
            self.fail(_state_message(label, name, value) + comment_hint(value), node)
            return _BAD
        if kind == "role":
            if value in ("office", "unit"):
                return value
            self.fail(f"人员角色应为 office 或 unit,而不是“{clip(value)}”", node)
            return _BAD
        if kind == "plan_id":
            text = str(value)
            if PLAN_ID.match(text):
                return text
            self.fail(f"计划编号“{clip(text)}”不可用:{PLAN_ID_RULE}", node)
            return _BAD
        raise AssertionError(kind)

    def text(self, value: Any, name: str, node: Any, label: str, *, many: bool = False) -> Any:
        if isinstance(value, bool):
            self.fail(f"{label}“{name}”应为文字" + ("或文字列表" if many else ""), node)
            return _BAD
        if isinstance(value, float):
            self.fail(f"{label}“{name}”的值 {node.value} 被读成了小数,请加引号(如 '{node.value}')", node)
            return _BAD
        text = str(value)
        if self.problems is not None and isinstance(value, str):
            control = _CONTROL.search(text)
            if control:
                self.fail(f"{label}“{name}”中含有控制字符(U+{ord(control.group()):04X})", node, WARNING)
        return self._texts.setdefault(text, text)

    def texts(self, name: str, node: Any, label: str) -> Any:
        out = []
        for item in node.value:
            if id(item) in self._quiet:
                return _BAD
            if not yamldoc.is_scalar(item):
                self.fail(f"{label}“{name}”应为文字或文字列表", item)
                return _BAD
            try:
                value = yamldoc.scalar(item) if item.tag != yamldoc.STR else item.value
            except ValueError:
                self.fail(f"无效的日期“{clip(item.value)}”", item)
                return _BAD
            if value is None or value == "":
                continue
            text = self.text(value, name, item, label, many=True)
            if text is _BAD:
                return _BAD
            out.append(text)
        return out


def _scalar_or_none(node: Any) -> Any:
    try:
        return yamldoc.scalar(node)
    except ValueError:
        return None


def comment_hint(value: Any) -> str:
    """A "#" right after a value is no comment but part of it: YAML needs a space before it."""
    return ";“#”前空一格才是注释" if re.search(r"\S#", str(value)) else ""


def _date_fix(value: Any) -> str:
    """What to write for a date typed the Chinese way (2024.6.30, 2024年6月30日): the file holds one
    spelling, the one YAML and the editors' schema read as a date."""
    try:
        typed = read_date(str(value), today=dt.date.min)
    except InputError:
        return ""
    return f";请写成 {typed.date.isoformat()}" if typed.assumed is None else ""


def _state_message(label: str, name: str, value: Any) -> str:
    """A state written in Chinese is told the English word that means it: the file holds one spelling."""
    message = f"{label}“{name}”应为 open 或 done,而不是“{clip(value)}”"
    meant = next((state for state, word in STATE_LABELS.items() if word == value), None)
    if meant:
        return f"{message};“{value}”请写成 {meant}"
    if not str(value).isascii():
        return message + "(" + ",".join(f"{state} 即{word}" for state, word in STATE_LABELS.items()) + ")"
    return message


def _wrong(kind: str, name: str, label: str, value: Any = None) -> str:
    if name == "id" and kind == "int":
        return f"任务的“id”应为正整数,而不是“{clip(value)}”"
    if kind == "year":
        return f"“{name}”应为年份(如 2024),而不是“{clip(value)}”"
    if kind == "int":
        return f"“{name}”应为整数,而不是“{clip(value)}”"
    if kind in ("texts", "names", "members"):
        return f"{label}“{name}”应为文字或文字列表"
    return f"{label}“{name}”应为文字"


_TOP_LABELS = {"Plan": "计划", "Registry": "单位名册"}


def _record_label(cls: type, item: Any, outer: str) -> str:
    """How messages name a record: 任务 3 的, 章节“1.2”的, 任务 3 的进展, 单位“司法所”的."""
    name = cls.__name__
    field = next((key for key, spec in fields_of(cls) if spec.merge == "key"), None)
    found = yamldoc.entries(item).get(field) if field and yamldoc.is_map(item) else None
    value = found[1].value if found and yamldoc.is_scalar(found[1]) else None
    if name == "Task":
        return f"任务 {value} 的" if value and str(value).isdigit() else "任务的"
    if name == "Section":
        return f"章节“{clip(value)}”的" if value else "章节"
    if name == "Progress":
        return f"{outer}进展"
    if name in ("Unit", "Collective"):
        return f"单位“{clip(value)}”的" if value else "单位"
    if name == "Person":
        return f"人员 {clip(value)} 的" if value else "人员"
    return outer
