"""Records from YAML nodes, by the schema declared in ``gktrack.domain.model``.

One reader for every file gktrack owns (plans, units.yaml): it walks the nodes the record
classes describe, checks each value against its field's kind and converts it. A problem is a
Chinese line at file:line:column. Commands stop at the first error (``problems=None``);
``validate`` passes a list and gets every problem, warnings about unknown keys included, with
the records read as far as they could be.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, NamedTuple

from gktrack.domain.model import PLAN_ID_PATTERN, RECORDS, ROLES, STATES, fields_of
from gktrack.errors import PlanFileError
from gktrack.storage import yamldoc

ERROR = "error"
WARNING = "warning"
# Keys the merge driver writes into a record it could not merge: known, reported by validate.
CONFLICT_KEY = "conflict"
_PLAN_ID = re.compile(PLAN_ID_PATTERN)
_BAD = object()  # a value already reported: nothing further is said about it


class Problem(NamedTuple):
    """One problem found in a file: where (file:line:column), what, how bad."""

    where: str
    message: str
    severity: str = ERROR


def short(value: Any, limit: int = 30) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


class Reader:
    """Reads records out of one file's nodes. ``label`` prefixes say whose field is wrong."""

    def __init__(self, where: str, problems: list[Problem] | None = None):
        self.where = where
        self.problems = problems

    def fail(self, message: str, node: Any, severity: str = ERROR) -> None:
        where = yamldoc.place(self.where, node) if node is not None else self.where
        if self.problems is None:
            if severity == ERROR:
                raise PlanFileError(message, where=where)
            return
        self.problems.append(Problem(where, message, severity))

    # --- records ---

    def record(self, cls: type, node: Any, label: str = "", *, what: str = "") -> Any:
        """An instance of ``cls`` from a mapping node, or _BAD after reporting why not."""
        if not yamldoc.is_map(node):
            self.fail(f"{what or label}应为“键: 值”映射", node)
            return _BAD
        found = yamldoc.entries(node)
        values: dict[str, Any] = {}
        incomplete = False
        for name, spec in fields_of(cls):
            entry = found.get(name)
            if entry is None:
                if spec.required:
                    self.fail(f"{label}缺少日期" if name == "date" else f"{label}缺少“{name}”", node)
                    incomplete = True
                continue
            key_node, value_node = entry
            value = self.value(spec, name, value_node, label)
            if value is _BAD:
                incomplete = True
            elif value is not None:
                values[name] = value
            elif spec.required:
                self.fail(f"{label}缺少“{name}”", key_node)
                incomplete = True
        if self.problems is not None:
            self.unknown_keys(cls, found, label)
        if incomplete:
            return _BAD
        if "line" in cls.__dataclass_fields__:
            values["line"] = yamldoc.line_of(node)
        return cls(**values)

    def unknown_keys(self, cls: type, found: dict, label: str) -> None:
        known = [name for name, _ in fields_of(cls)]
        label = label or _TOP_LABELS.get(cls.__name__, "")
        for key, (key_node, _value) in found.items():
            if key in known or key == CONFLICT_KEY:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f",是否指“{close[0]}”?" if close else ""
            self.fail(f"{label}有未知的字段“{key}”{hint}(会被保留,但 gktrack 不使用它)", key_node, WARNING)

    def records(self, cls: type, node: Any, key: str, label_of) -> list:
        """A list of records; ``label_of(record_node)`` names each one in messages."""
        if node is None or (yamldoc.is_scalar(node) and yamldoc.scalar(node) is None):
            return []
        if not yamldoc.is_seq(node):
            self.fail(f"“{key}”应为列表", node)
            return []
        out = []
        for item in node.value:
            if yamldoc.is_scalar(item) and "name" in cls.__dataclass_fields__ and isinstance(item.value, str) \
                    and item.value.strip():
                out.append(cls(name=item.value.strip()))  # "- 司法所": a unit by its name alone
                continue
            record = self.record(cls, item, label_of(item), what=f"“{key}”的每一项")
            if record is not _BAD:
                out.append(record)
        return out

    # --- values ---

    def value(self, spec, name: str, node: Any, label: str) -> Any:
        kind = spec.kind
        if kind == "records":
            cls = RECORDS[spec.record]
            return self.records(cls, node, name, lambda item: _record_label(cls, item, label))
        if not yamldoc.is_scalar(node):
            if kind in ("texts", "names", "members") and yamldoc.is_seq(node):
                return self.texts(spec, name, node, label)
            self.fail(_wrong(kind, name, label), node)
            return _BAD
        try:
            value = yamldoc.scalar(node)
        except ValueError:
            self.fail(f"{label}“{name}”中的日期“{short(node.value)}”无效", node)
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
            if isinstance(value, int) and not isinstance(value, bool):
                if kind == "year" and not 1949 <= value <= 2200:
                    self.fail(f"“{name}”应为年份(如 2024),而不是“{value}”", node)
                    return _BAD
                if name == "id" and value < 1:
                    self.fail(f"任务的“id”应为正整数,而不是“{value}”", node)
                    return _BAD
                return value
            self.fail(_wrong(kind, name, label, value), node)
            return _BAD
        if kind == "date":
            if isinstance(value, dt.date):
                return value
            self.fail(f"{label}“{name}”应为日期(如 2024-06-30),而不是“{short(value)}”", node)
            return _BAD
        if kind == "state":
            if value in STATES:
                return value
            self.fail(f"{label}“{name}”应为 open 或 done,而不是“{short(value)}”", node)
            return _BAD
        if kind == "role":
            if value in ("office", "unit"):
                return value
            self.fail(f"人员角色应为 office 或 unit,而不是“{short(value)}”", node)
            return _BAD
        if kind == "plan_id":
            text = str(value)
            if _PLAN_ID.match(text):
                return text
            self.fail(f"计划编号“{short(text)}”不可用:只能用字母、数字、- 和 _,且不以 - 开头", node)
            return _BAD
        raise AssertionError(kind)

    def text(self, value: Any, name: str, node: Any, label: str, *, many: bool = False) -> Any:
        if isinstance(value, bool):
            self.fail(f"{label}“{name}”应为文字" + ("或文字列表" if many else ""), node)
            return _BAD
        if isinstance(value, float):
            self.fail(f"{label}“{name}”的值 {node.value} 被读成了小数,请加引号(如 '{node.value}')", node)
            return _BAD
        return str(value)

    def texts(self, spec, name: str, node: Any, label: str) -> Any:
        out = []
        for item in node.value:
            if not yamldoc.is_scalar(item):
                self.fail(f"{label}“{name}”应为文字或文字列表", item)
                return _BAD
            value = yamldoc.scalar(item) if str(item.tag) != yamldoc.STR else item.value
            if value is None or value == "":
                continue
            text = self.text(value, name, item, label, many=True)
            if text is _BAD:
                return _BAD
            out.append(text)
        return out


def _wrong(kind: str, name: str, label: str, value: Any = None) -> str:
    if name == "id" and kind == "int":
        return f"任务的“id”应为正整数,而不是“{short(value)}”"
    if kind == "year":
        return f"“{name}”应为年份(如 2024),而不是“{short(value)}”"
    if kind == "int":
        return f"“{name}”应为整数,而不是“{short(value)}”"
    if kind in ("texts", "names", "members"):
        return f"{label}“{name}”应为文字或文字列表"
    if kind == "records":
        return f"“{name}”应为列表"
    return f"{label}“{name}”应为文字"


_TOP_LABELS = {"Plan": "计划", "Registry": "单位名册"}


def _record_label(cls: type, item: Any, outer: str) -> str:
    """How messages name a record: 任务 3 的, 章节“1.2”的, 任务 3 的进展."""
    name = cls.__name__
    if name == "Task":
        found = yamldoc.entries(item).get("id") if yamldoc.is_map(item) else None
        task_id = found[1].value if found else None
        return f"任务 {task_id} 的" if task_id and str(task_id).isdigit() else "任务的"
    if name == "Section":
        found = yamldoc.entries(item).get("key") if yamldoc.is_map(item) else None
        return f"章节“{found[1].value}”的" if found else "章节"
    if name == "Progress":
        return f"{outer}进展"
    return outer


__all__ = ["ERROR", "WARNING", "CONFLICT_KEY", "Problem", "Reader", "ROLES", "short"]
