"""Checks for plan files and the units registry: every problem, each at its place.

The commands stop at the first problem of a file (they need a plan they can trust); ``validate``
keeps going and reports everything it can find in one pass: the bytes (UTF-8, control
characters, tabs, merge-conflict markers), the YAML (syntax at line:column, duplicate keys,
anchors, tags, impossible dates), the schema (types, required fields, unique well-formed ids,
sections that exist), and the meaning (units the registry does not know, with suggestions;
deadline phrases that cannot be read; tasks written twice; unresolved merges).

YAML is composed into nodes (which never builds objects and never expands an alias) and the
values are built here from the nodes, so one duplicate key does not hide the next. A file that
passes is also run through the readers the commands use, so "validate says yes" always means
"the commands can read it".
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from gktrack.errors import GktrackError, PlanFileError
from gktrack.storage.repo import PLANS_DIR, Repository

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告"}
# Enough of one kind of problem to show the pattern; binary junk would otherwise give thousands.
MAX_SAME = 20

KEYLINES = "__keylines__"
LINE_KEY_NAME = "__line__"  # gktrack.storage.yamlfile.LINE_KEY, without importing it at start-up
INCOMPLETE = "__incomplete__"  # a key of this mapping was refused: "missing field" would mislead
_BAD = object()  # a value already reported as a problem: checks further down stay quiet about it

_CONFLICT_START = re.compile(r"^<<<<<<<( |$)", re.M)
_CONFLICT_OTHER = re.compile(r"^(=======|>>>>>>>( |$)|\|\|\|\|\|\|\|( |$))", re.M)
# Allowed by YAML but invisible line breaks or control codes inside text: worth a warning.
_INVISIBLE = re.compile("[\x85\u2028\u2029\u200b\ufeff]")
_TAB_INDENT = re.compile(r"^ *\t", re.M)
_SECTION_KEY = re.compile(r"^\d+(\.\d+)*$")

_CORE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
}


class _Seq(list):
    """A YAML sequence with the line of each item (scalars carry no line of their own)."""

    lines: list[int]


def _item_line(items: Any, index: int, fallback: int | None) -> int | None:
    lines = getattr(items, "lines", None)
    return lines[index] if lines and index < len(lines) else fallback


@dataclass(frozen=True)
class Problem:
    """One problem: where (``file[:line[:column]]``), a Chinese message and a severity."""

    where: str
    message: str
    severity: str = ERROR

    @property
    def file(self) -> str:
        return _split_where(self.where)[0]

    @property
    def line(self) -> int | None:
        return _split_where(self.where)[1]

    @property
    def column(self) -> int | None:
        return _split_where(self.where)[2]

    def to_json(self) -> dict[str, Any]:
        return {"where": self.where, "file": self.file, "line": self.line, "column": self.column,
                "severity": self.severity, "message": self.message}

    def __str__(self) -> str:
        return f"{self.where}: {SEVERITY_LABELS.get(self.severity, self.severity)}:{self.message}"


def _split_where(where: str) -> tuple[str, int | None, int | None]:
    match = re.match(r"^(.*?)(?::(\d+))?(?::(\d+))?$", where)
    if not match:
        return where, None, None
    file, line, column = match.groups()
    return file, int(line) if line else None, int(column) if column else None


class _Report:
    """The problems of one file, with its name put in front of every place."""

    def __init__(self, where: str):
        self.where = where
        self.problems: list[Problem] = []
        self._counts: dict[str, int] = {}

    def at(self, line: int | None = None, column: int | None = None) -> str:
        if line is None:
            return self.where
        return f"{self.where}:{line}" + (f":{column}" if column is not None else "")

    def add(self, message: str, line: int | None = None, column: int | None = None, *,
            severity: str = ERROR, kind: str | None = None) -> None:
        if kind is not None:
            count = self._counts[kind] = self._counts.get(kind, 0) + 1
            if count > MAX_SAME:
                return
        self.problems.append(Problem(self.at(line, column), message, severity))

    def warn(self, message: str, line: int | None = None, column: int | None = None, *,
             kind: str | None = None) -> None:
        self.add(message, line, column, severity=WARNING, kind=kind)

    def error_from(self, exc: GktrackError) -> None:
        self.problems.append(Problem(exc.where or self.where, exc.message + (f"({exc.hint})" if exc.hint else "")))

    def finish(self) -> list[Problem]:
        self.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        for kind, count in self._counts.items():
            if count > MAX_SAME:
                self.problems.append(Problem(self.where, f"同类问题另有 {count - MAX_SAME} 处未列出", WARNING))
        return self.problems

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


# --- entry point ---------------------------------------------------------------------------


@dataclass
class _Source:
    rel: str  # as shown: repository-relative when inside it
    data: bytes | None  # None: the file does not exist
    kind: str  # "plan" or "registry"


def validate(repo: Repository, paths: Iterable[str] | None = None, staged: bool = False) -> list[Problem]:
    """Every problem of the given files (default: the registry and every plan).

    ``staged``: check what ``git commit`` would commit (the index), as a pre-commit hook does.
    Paths are taken relative to the current directory, as on the command line.
    """
    return check(repo, paths, staged)[0]


def check(repo: Repository, paths: Iterable[str] | None = None, staged: bool = False) -> tuple[list[Problem], list[str]]:
    """``validate``, plus the files that were checked."""
    from gktrack.storage.registry import REGISTRY_FILE

    paths = list(paths or [])
    problems: list[Problem] = []
    if staged:
        sources = _staged_sources(repo, paths)
        registry_data = _index_blobs(repo, [REGISTRY_FILE]).get(REGISTRY_FILE)
    else:
        sources, problems = _worktree_sources(repo, paths)
        registry_data = _read_or_none(repo.registry_path)
        problems += _pending_change(repo)
    units = None
    registry_source = next((s for s in sources if s.kind == "registry"), None)
    if registry_source is not None:
        found, units = check_registry(registry_source.rel, registry_source.data)
        problems += found
    elif registry_data is not None:
        _, units = check_registry(REGISTRY_FILE, registry_data)
    else:
        from gktrack.domain.units import Units
        from gktrack.storage.registry import read_registry

        units = Units(read_registry(repo.registry_path, REGISTRY_FILE))  # the built-in defaults
    for source in sources:
        if source.kind == "plan":
            problems += check_plan(source.rel, source.data, units=units, file_id=_plan_stem(source.rel))
    return problems, [s.rel for s in sources]


def _read_or_none(path: Path) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None


def _plan_stem(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    return name[: -len(".yaml")] if name.endswith(".yaml") else name.rsplit(".", 1)[0]


def _kind(rel: str) -> str:
    from gktrack.storage.registry import REGISTRY_FILE

    return "registry" if rel.rsplit("/", 1)[-1] == REGISTRY_FILE else "plan"


def _shown(repo: Repository, path: Path, given: str) -> str:
    try:
        return path.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        return given


def _worktree_sources(repo: Repository, paths: list[str]) -> tuple[list[_Source], list[Problem]]:
    from gktrack.storage.registry import REGISTRY_FILE

    problems: list[Problem] = []
    files: list[tuple[Path, str]] = []
    if not paths:
        if repo.registry_path.exists():
            files.append((repo.registry_path, REGISTRY_FILE))
        else:
            problems.append(Problem(REGISTRY_FILE, "没有单位名册,单位名称无法核对(gktrack init 会建立它)", WARNING))
        files += _plan_files(repo, repo.plans_dir, problems)
    for given in paths:
        path = Path(given).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        shown = _shown(repo, path, given)
        if path.is_dir():
            if path.resolve() == repo.root.resolve():
                if repo.registry_path.exists():
                    files.append((repo.registry_path, REGISTRY_FILE))
                files += _plan_files(repo, repo.plans_dir, problems)
            else:
                files += _plan_files(repo, path, problems)
        elif path.exists():
            files.append((path, shown))
        else:
            problems.append(Problem(shown, "文件不存在"))
    sources, seen = [], set()
    for path, shown in files:
        key = str(path.resolve())
        if key in seen:
            continue
        seen.add(key)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(shown, f"无法读取:{exc.strerror}"))
            continue
        sources.append(_Source(shown, data, _kind(shown)))
    return sources, problems


def _plan_files(repo: Repository, folder: Path, problems: list[Problem]) -> list[tuple[Path, str]]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        shown = _shown(repo, path, str(path))
        if path.suffix == ".yaml":
            found.append((path, shown))
        elif path.suffix.lower() in (".yml", ".yaml"):
            problems.append(Problem(shown, f"扩展名应为 .yaml(小写),gktrack 不会读取此文件;请改名为 {path.stem}.yaml",
                                    WARNING))
    return found


def _staged_sources(repo: Repository, paths: list[str]) -> list[_Source]:
    from gktrack.storage import git
    from gktrack.storage.registry import REGISTRY_FILE

    repo.require_git()
    wanted = []
    for given in paths:
        path = Path(given)
        wanted.append(_shown(repo, path if path.is_absolute() else Path.cwd() / path, given))
    out = git.run(repo.root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--",
                  PLANS_DIR, REGISTRY_FILE)
    rels = [r for r in out.split("\0") if r and (r == REGISTRY_FILE or r.endswith(".yaml"))]
    if wanted:
        rels = [r for r in rels if any(r == w or r.startswith(w.rstrip("/") + "/") for w in wanted)]
    blobs = _index_blobs(repo, rels)
    return [_Source(rel, blobs.get(rel), _kind(rel)) for rel in rels]


def _index_blobs(repo: Repository, rels: list[str]) -> dict[str, bytes]:
    """The staged bytes of ``rels`` (one `git cat-file --batch`; the names go in on stdin)."""
    rels = [r for r in rels if "\n" not in r]
    if not rels:
        return {}
    proc = subprocess.run(
        ["git", "-C", str(repo.root), "cat-file", "--batch"],
        input="".join(f":{rel}\n" for rel in rels).encode("utf-8"),
        capture_output=True,
    )
    out, pos, blobs = proc.stdout, 0, {}
    for rel in rels:
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs[rel] = out[pos : pos + size]
            pos += size + 1
    return blobs


def _pending_change(repo: Repository) -> list[Problem]:
    from gktrack.storage import journal

    entry = journal.pending(repo.root)
    if entry is None:
        return []
    summary = entry.get("summary") or "上次修改"
    files = "、".join(entry.get("files") or {}) or "(未知文件)"
    return [Problem(files, f"上次修改“{summary}”被中断,尚未提交;下一次修改命令会自动完成或回滚它", WARNING)]


# --- bytes and YAML ------------------------------------------------------------------------


def _text_of(report: _Report, data: bytes | None, *, allow_empty: bool) -> str | None:
    """The file's text, or None after reporting why there is none (or it is empty and may be)."""
    from gktrack.storage.yamlfile import decode

    if data is None:
        report.add("文件不存在")
        return None
    try:
        text = decode(data, report.where)
    except PlanFileError as exc:
        report.error_from(exc)
        return None
    if not text.strip():
        if not allow_empty:
            report.add("文件是空的")
            return None
        return ""
    return text


def _scan_text(report: _Report, text: str) -> tuple[bool, set[int]]:
    """Problems visible in the raw text: (whether parsing is still worth it, lines with tabs)."""
    starts = list(_CONFLICT_START.finditer(text))
    for match in starts:
        report.add("有未解决的合并冲突(<<<<<<< 到 >>>>>>> 之间是两边的改动,请保留正确的一边并删除标记行)",
                   _line_of(text, match.start()), kind="conflict")
    others = [] if starts else list(_CONFLICT_OTHER.finditer(text))
    for match in others:
        report.add("有合并冲突留下的标记行(======= 或 >>>>>>>),请删除", _line_of(text, match.start()), kind="conflict")
    from gktrack.storage.yamlfile import NOT_PRINTABLE

    bad = list(re.finditer(NOT_PRINTABLE, text))
    for match in bad:
        line, column = _line_column(text, match.start())
        report.add(f"含有不允许的控制字符(U+{ord(match.group()):04X})", line, column, kind="control")
    tabs = set()
    for match in _TAB_INDENT.finditer(text):
        line = _line_of(text, match.start())
        tabs.add(line)
        report.add("含有制表符(Tab),YAML 只能用空格缩进", line, kind="tab")
    for match in _INVISIBLE.finditer(text):
        line, column = _line_column(text, match.start())
        report.warn(f"含有看不见的字符(U+{ord(match.group()):04X}),可能是从网页或文档复制来的,建议删除",
                    line, column, kind="invisible")
    return not (starts or others or bad), tabs


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _line_column(text: str, index: int) -> tuple[int, int]:
    return _line_of(text, index), index - (text.rfind("\n", 0, index) + 1) + 1


def _compose(report: _Report, text: str) -> tuple[bool, Any]:
    """(ok, the root node) of the YAML; composing builds no objects and expands no aliases."""
    import yaml

    from gktrack.storage.yamlfile import check_nesting, loader_class, yaml_error

    try:
        check_nesting(text, report.where)
    except PlanFileError as exc:
        report.error_from(exc)
        return False, None
    loader = loader_class()(text)
    try:
        return True, loader.get_single_node()
    except yaml.YAMLError as exc:
        report.error_from(yaml_error(exc, text, report.where))
        return False, None
    except RecursionError:
        report.add("嵌套层数过多")
        return False, None
    finally:
        loader.dispose()


class _Builder:
    """Plain values from YAML nodes, reporting every refusal the safe loader would make."""

    def __init__(self, report: _Report):
        from yaml.constructor import SafeConstructor

        self.report = report
        self.constructor = SafeConstructor()
        self.seen: set[int] = set()
        self.aliases: list[Any] = []

    def place(self, node: Any) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def build(self, node: Any) -> Any:
        import yaml

        from gktrack.storage.yamlfile import LINE_KEY

        if id(node) in self.seen:
            self.aliases.append(node)  # reported once, with a count: an alias bomb has thousands
            return _BAD
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                return self.bad_tag(node)
            items = _Seq(self.build(child) for child in node.value)
            items.lines = [child.start_mark.line + 1 for child in node.value]
            return items
        if node.tag != "tag:yaml.org,2002:map":
            return self.bad_tag(node)
        mapping: dict[Any, Any] = {}
        lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.report.add("不支持合并键(<<)", *self.place(key_node))
                mapping[INCOMPLETE] = True
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.report.add("键不能是列表或映射", *self.place(key_node))
                mapping[INCOMPLETE] = True
                continue
            key = self.build(key_node)
            if key is _BAD:
                mapping[INCOMPLETE] = True
                continue
            line = key_node.start_mark.line + 1
            if key in mapping or key in (LINE_KEY, KEYLINES, INCOMPLETE):
                self.report.add(f"重复的键“{key}”(另见第 {lines.get(key, line)} 行)", *self.place(key_node))
                self.build(value_node)  # still look inside it
                continue
            lines[key] = line
            mapping[key] = self.build(value_node)
        mapping[LINE_KEY] = node.start_mark.line + 1
        mapping[KEYLINES] = lines
        return mapping

    def scalar(self, node: Any) -> Any:
        if node.tag not in _CORE_TAGS:
            return self.bad_tag(node)
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                return dt.date.fromisoformat(node.value)
            except ValueError:
                self.report.add(f"无效的日期“{node.value}”", *self.place(node))
                return _BAD
        try:
            value = self.constructor.construct_object(node)
        except Exception:  # noqa: BLE001 - PyYAML raises several kinds for odd numbers
            self.report.add(f"无法读取的值“{node.value[:40]}”", *self.place(node))
            return _BAD
        if isinstance(value, str):
            for match in re.finditer("[\x00-\x08\x0b-\x1f\x7f]", value):
                self.report.add(f"文字中含有控制字符(U+{ord(match.group()):04X})", *self.place(node), kind="control")
                break
        return value

    def bad_tag(self, node: Any) -> Any:
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        self.report.add(f"不允许的 YAML 标签 {tag}", *self.place(node), kind="tag")
        return _BAD


def _load(report: _Report, data: bytes | None, *, allow_empty: bool = False) -> tuple[bool, Any]:
    """(ok, plain data) of a file, every byte- and YAML-level problem reported."""
    text = _text_of(report, data, allow_empty=allow_empty)
    if not text:
        return text == "", None
    worth_parsing, tab_lines = _scan_text(report, text)
    if not worth_parsing:
        return False, None
    before = len(report.problems)
    ok, node = _compose(report, text)
    if not ok:
        # The parser stops at the first tab, which is already on the list.
        report.problems[before:] = [p for p in report.problems[before:]
                                    if not ("制表符" in p.message and p.line in tab_lines)]
        return False, None
    if tab_lines:
        return False, None
    if node is None:
        if allow_empty:
            return True, None
        report.add("文件是空的")
        return False, None
    builder = _Builder(report)
    value = builder.build(node)
    if builder.aliases:
        first = builder.aliases[0]
        count = f"(共 {len(builder.aliases)} 处)" if len(builder.aliases) > 1 else ""
        report.add(f"不支持 YAML 锚点和别名(&/*){count}", *builder.place(first))
        return False, None  # the shape of such a file says nothing; its fields are not checked
    return True, value


# --- plan files ----------------------------------------------------------------------------


class _Fields:
    """Type checks of one mapping's fields, each problem at the line of its key."""

    def __init__(self, report: _Report, mapping: dict, line: int | None, label: str = ""):
        self.report = report
        self.mapping = mapping
        self.line = line
        self.label = label  # "任务 3 的" and the like, put before the field name

    def line_of(self, key: str) -> int | None:
        return (self.mapping.get(KEYLINES) or {}).get(key, self.line)

    def get(self, key: str) -> Any:
        return self.mapping.get(key)

    def fail(self, message: str, key: str | None = None, *, severity: str = ERROR) -> None:
        self.report.add(message, self.line_of(key) if key else self.line, severity=severity)

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.mapping.get(key)
        if value is _BAD:
            return None
        if value is None or value == "":
            if required and not self.mapping.get(INCOMPLETE):
                self.fail(f"{self.label}缺少“{key}”", key)
            return None
        if isinstance(value, (bool, dict, list)):
            self.fail(f"{self.label}“{key}”应为文字", key)
            return None
        if isinstance(value, float):
            self.fail(f"{self.label}“{key}”的值 {value} 被读成了小数,请加引号(如 '{value}')", key)
            return None
        return str(value)

    def date(self, key: str) -> dt.date | None:
        value = self.mapping.get(key)
        if value is _BAD or value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return value
        self.fail(f"{self.label}“{key}”应为日期(如 2024-06-30),而不是“{_short(value)}”", key)
        return None

    def texts(self, key: str) -> list[str]:
        value = self.mapping.get(key)
        if value is _BAD or value is None:
            return []
        if isinstance(value, dt.date) and key == "deadline":
            self.fail(f"{self.label}期限 {value} 被读成了日期,请加引号(如 '{value}')", key)
            return []
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
            return [str(v) for v in value]
        if isinstance(value, list) and any(v is _BAD for v in value):
            return [str(v) for v in value if isinstance(v, (str, int)) and not isinstance(v, bool)]
        self.fail(f"{self.label}“{key}”应为文字或文字列表", key)
        return []

    def unknown_keys(self, known: Iterable[str], where_label: str) -> None:
        from gktrack.storage.yamlfile import LINE_KEY

        known = set(known)
        for key in self.mapping:
            if key in known or key in (LINE_KEY, KEYLINES, INCOMPLETE):
                continue
            close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
            hint = f",是否指“{close[0]}”?" if close else ""
            self.fail(f"{where_label}有未知的字段“{key}”{hint}(会被保留,但 gktrack 不使用它)", key,
                      severity=WARNING)


def _short(value: Any, limit: int = 30) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def check_plan(where: str, data: bytes | None, *, units: Any = None, file_id: str | None = None) -> list[Problem]:
    """Every problem of one plan file's bytes. ``units``: a ``Units`` to check unit names against."""
    from gktrack.storage.planfile import PLAN_ID

    report = _Report(where)
    if file_id is not None and not PLAN_ID.match(file_id):
        report.add(f"文件名“{file_id}”不是可用的计划编号(只能用字母、数字、- 和 _,且不以 - 开头)")
    ok, value = _load(report, data)
    if ok:
        _check_plan_data(report, value, units, file_id if file_id and PLAN_ID.match(file_id) else None)
    if ok and not report.has_errors:
        _cross_check_plan(report, data, file_id)
    return report.finish()


def _cross_check_plan(report: _Report, data: bytes, file_id: str | None) -> None:
    """What the commands' own reader says: validate never passes a file they refuse."""
    from gktrack.storage.planfile import PLAN_ID, plan_from_data
    from gktrack.storage.yamlfile import decode, safe_load

    try:
        plan_from_data(safe_load(decode(data, report.where), report.where), report.where,
                       expected_id=file_id if file_id and PLAN_ID.match(file_id) else None)
    except GktrackError as exc:
        report.error_from(exc)


def _check_plan_data(report: _Report, data: Any, units: Any, file_id: str | None) -> None:
    from gktrack.domain.model import SCHEMA_VERSION
    from gktrack.storage.planfile import PLAN_ID, PLAN_KEYS

    if not isinstance(data, dict):
        report.add("计划文件的顶层应为“键: 值”映射", 1)
        return
    top = _Fields(report, data, None)
    top.unknown_keys((*PLAN_KEYS, "conflict"), "计划")
    if "conflict" in data:
        top.fail(_conflict_message("计划", data.get("conflict"), data), "conflict")
    schema = data.get("schema", SCHEMA_VERSION)
    if schema is not _BAD:
        if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
            top.fail(f"“schema”应为整数,而不是“{_short(schema)}”", "schema")
        elif schema > SCHEMA_VERSION:
            top.fail(f"文件格式版本 {schema} 比本程序支持的 {SCHEMA_VERSION} 新,请升级 gktrack", "schema")
    plan_id = top.text("id", required=True)
    if plan_id is not None:
        if not PLAN_ID.match(plan_id):
            top.fail(f"计划编号“{_short(plan_id)}”不可用:只能用字母、数字、- 和 _,且不以 - 开头", "id")
        elif file_id is not None and plan_id != file_id:
            top.fail(f"计划编号“{plan_id}”与文件名“{file_id}.yaml”不一致", "id")
    year = data.get("year")
    if year is not _BAD and (not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200):
        if year is None:
            if not data.get(INCOMPLETE):
                top.fail("缺少“year”(计划年度,如 2024)")
        else:
            top.fail(f"“year”应为年份(如 2024),而不是“{_short(year)}”", "year")
        year = None
    top.text("title", required=True)
    for key in PLAN_KEYS:
        if key not in ("schema", "id", "year", "title", "issued", "sections", "tasks"):
            top.text(key)
    top.date("issued")
    owner = top.text("owner")
    if owner and units is not None and units.canonical(owner) is None:
        top.fail(_unknown_unit_message(units, owner, "计划的 owner "), "owner", severity=WARNING)
    section_keys = _check_sections(report, top, data.get("sections"))
    _check_tasks(report, top, data.get("tasks"), section_keys, units, year if isinstance(year, int) else None)


def _check_sections(report: _Report, top: _Fields, sections: Any) -> set[str] | None:
    """The section keys, or None when they could not be read (then task sections go unchecked)."""
    from gktrack.storage.planfile import SECTION_KEYS

    if sections is None or sections is _BAD:
        return set() if sections is None else None
    if not isinstance(sections, list):
        top.fail("“sections”应为列表", "sections")
        return None
    keys: dict[str, int | None] = {}
    complete = True
    for index, raw in enumerate(sections):
        if raw is _BAD:
            complete = False
            continue
        if not isinstance(raw, dict):
            report.add("“sections”的每一项应为映射(key/number/title)", _item_line(sections, index, top.line_of("sections")))
            complete = False
            continue
        line = raw.get("__line__")
        fields = _Fields(report, raw, line, "章节")
        fields.unknown_keys(SECTION_KEYS, "章节")
        key = fields.text("key", required=True)
        fields.text("number")
        title = fields.text("title", required=True)
        if key is None:
            complete = False
            continue
        label = f"章节“{key}”"
        fields.label = label + "的"
        if key in keys:
            fields.fail(f"章节 key“{key}”重复(另见第 {keys[key]} 行)", "key")
            continue
        if not _SECTION_KEY.match(key):
            fields.fail(f"章节 key“{_short(key)}”应写成 1、1.2 这样的编号", "key", severity=WARNING)
        elif "." in key and key.rpartition(".")[0] not in keys:
            fields.fail(f"章节“{key}”的上级章节“{key.rpartition('.')[0]}”不存在(或排在它后面)", "key",
                        severity=WARNING)
        keys[key] = line
        del title
    return set(keys) if complete else None


def _check_tasks(report: _Report, top: _Fields, tasks: Any, section_keys: set[str] | None,
                 units: Any, year: int | None) -> None:
    from gktrack.domain.model import ROLES, STATES
    from gktrack.storage.planfile import TASK_KEYS

    if tasks is None or tasks is _BAD:
        return
    if not isinstance(tasks, list):
        top.fail("“tasks”应为列表", "tasks")
        return
    ids: dict[int, int | None] = {}
    texts: dict[str, tuple[Any, int | None]] = {}
    for index, raw in enumerate(tasks):
        if raw is _BAD:
            continue
        if not isinstance(raw, dict):
            report.add("“tasks”的每一项应为映射(id/text/…)", _item_line(tasks, index, top.line_of("tasks")))
            continue
        line = raw.get("__line__")
        fields = _Fields(report, raw, line, "任务")
        task_id = raw.get("id")
        if task_id is _BAD:
            name = "任务"
        elif not isinstance(task_id, int) or isinstance(task_id, bool) or task_id < 1:
            fields.fail(f"任务的“id”应为正整数,而不是“{_short(task_id)}”", "id" if "id" in raw else None)
            name = "任务"
        else:
            name = f"任务 {task_id}"
            if task_id in ids:
                fields.fail(f"任务编号 {task_id} 重复(另见第 {ids[task_id]} 行)", "id")
            else:
                ids[task_id] = line
        fields.label = f"{name} 的" if task_id is not _BAD and name != "任务" else "任务的"
        if "conflict" in raw:
            fields.fail(_conflict_message(name, raw.get("conflict"), raw), "conflict")
        fields.unknown_keys((*TASK_KEYS, "conflict"), f"{name} ")
        text = fields.text("text", required=True)
        for key in ("number", "units_text", "note"):
            fields.text(key)
        section = fields.text("section")
        if section is not None and section_keys is not None and section not in section_keys:
            fields.fail(f"{name} 的章节“{_short(section)}”不存在", "section")
        for role in ROLES:
            for unit in fields.texts(role):
                if units is not None and units.canonical(unit) is None:
                    fields.fail(_unknown_unit_message(units, unit, fields.label), role)
        phrases = fields.texts("deadline")
        if phrases and year is not None:
            from gktrack.domain.deadlines import parse_deadlines

            for deadline in parse_deadlines(phrases, year):
                if deadline.kind == "unknown":
                    fields.fail(f"{name} 的期限“{_short(deadline.phrase)}”无法识别,不会判断是否逾期"
                                "(可改写成 6月底前、2024-06-30、每季度 这样的说法)", "deadline", severity=WARNING)
        state = raw.get("state", "open")
        if state is not _BAD and state not in STATES:
            fields.fail(f"{name} 的“state”应为 open 或 done,而不是“{_short(state)}”", "state")
        closed = fields.date("closed")
        if state == "done" and closed is None and raw.get("closed") is None:
            fields.fail(f"{name} 已完成(state: done)但没有完成日期 closed", "state", severity=WARNING)
        if state == "open" and closed is not None:
            fields.fail(f"{name} 未完成(state: open)却有完成日期 closed", "closed", severity=WARNING)
        fields.texts("evidence")
        _check_progress(report, fields, raw.get("progress"), name, units)
        if text is not None and task_id is not _BAD:
            normal = " ".join(text.split())
            if normal in texts:
                other_id, other_line = texts[normal]
                fields.fail(f"{name} 与任务 {other_id}(第 {other_line} 行)内容相同,是否重复添加?", "text",
                            severity=WARNING)
            else:
                texts[normal] = (task_id, line)


def _check_progress(report: _Report, task: _Fields, progress: Any, name: str, units: Any) -> None:
    from gktrack.storage.planfile import PROGRESS_KEYS

    if progress is None or progress is _BAD:
        return
    if not isinstance(progress, list):
        task.fail(f"{name} 的“progress”应为列表", "progress")
        return
    for index, entry in enumerate(progress):
        if entry is _BAD:
            continue
        if not isinstance(entry, dict):
            report.add(f"{name} 的进展应为映射(date/note)", _item_line(progress, index, task.line_of("progress")))
            continue
        fields = _Fields(report, entry, entry.get("__line__"), f"{name} 的进展")
        fields.unknown_keys(PROGRESS_KEYS, f"{name} 的进展")
        if entry.get("date") is None:
            fields.fail(f"{name} 的进展缺少日期")
        fields.date("date")
        fields.text("note")
        fields.text("by")
        unit = fields.text("unit")
        if unit and units is not None and units.canonical(unit) is None:
            fields.fail(_unknown_unit_message(units, unit, f"{name} 的进展中的"), "unit", severity=WARNING)


def _conflict_message(name: str, record: Any, current: Any = None) -> str:
    """The merge driver keeps our value in each field and records theirs under ``conflict``."""
    fields = [str(k) for k in record if k not in (LINE_KEY_NAME, KEYLINES, INCOMPLETE)] if isinstance(record, dict) else []
    which = ""
    if fields:
        from gktrack.features.collab.mergedriver import FIELD_LABELS

        parts = []
        for key in fields:
            label = f"“{FIELD_LABELS[key]}”({key})" if key in FIELD_LABELS else key
            entry = record.get(key)
            if isinstance(entry, dict) and "theirs" in entry and isinstance(current, dict):
                # Show both values so the person resolving it need not dig through the file.
                ours = _plain(current.get(key))
                label += (f"本方“{_short(ours)}”,另一方“{_short(_plain(entry.get('theirs')))}”,"
                          f"原为“{_short(_plain(entry.get('base')))}”")
            parts.append(label)
        which = "(" + ";".join(parts) + ")" if any("本方" in p for p in parts) else f"({'、'.join(fields)})"
    return (f"{name}{'' if name == '计划' else ' '}有未解决的合并冲突{which}:文件中是本方的值,另一方的值记在 conflict 字段中;"
            "核对改好后删除 conflict 字段")


def _plain(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_plain(v)}" for k, v in value.items()
                               if k not in (LINE_KEY_NAME, KEYLINES, INCOMPLETE)) + "}"
    return str(value)


def _unknown_unit_message(units: Any, name: str, prefix: str) -> str:
    suggestions = units.suggest(name)
    hint = f",是否指:{'、'.join(suggestions)}?" if suggestions else ";如确是新单位,请在 units.yaml 中登记"
    return f"{prefix}单位“{_short(name)}”不在单位名册中{hint}"


# --- the units registry --------------------------------------------------------------------

REGISTRY_KEYS = ("schema", "units", "collectives", "people")
UNIT_KEYS = ("name", "aliases")
COLLECTIVE_KEYS = ("name", "aliases", "members")
PERSON_KEYS = ("email", "name", "units", "role")


def check_registry(where: str, data: bytes | None) -> tuple[list[Problem], Any]:
    """(problems, Units or None) of the units registry's bytes."""
    from gktrack.domain.units import Units
    from gktrack.storage.registry import registry_from_data

    report = _Report(where)
    ok, value = _load(report, data, allow_empty=True)
    if not ok:
        return report.finish(), None
    if value is None:
        value = {}
    _check_registry_data(report, value)
    units = None
    if not report.has_errors:
        try:
            from gktrack.storage.yamlfile import decode, safe_load

            units = Units(registry_from_data(safe_load(decode(data, where), where), where))
        except GktrackError as exc:
            report.error_from(exc)
    return report.finish(), units


def _check_registry_data(report: _Report, data: Any) -> None:
    if not isinstance(data, dict):
        report.add("单位名册的顶层应为“键: 值”映射", 1)
        return
    top = _Fields(report, data, None)
    top.unknown_keys(REGISTRY_KEYS, "单位名册")
    labels: dict[str, int | None] = {}
    names: list[str] = []
    memberships: list[tuple[_Fields, str]] = []
    for section, known in (("units", UNIT_KEYS), ("collectives", COLLECTIVE_KEYS)):
        entries = data.get(section)
        if entries is None or entries is _BAD:
            continue
        if not isinstance(entries, list):
            top.fail(f"“{section}”应为列表", section)
            continue
        for index, raw in enumerate(entries):
            if raw is _BAD:
                continue
            line = _item_line(entries, index, top.line_of(section))
            if isinstance(raw, str):
                raw = {"name": raw, "__line__": line}
            if not isinstance(raw, dict):
                report.add(f"“{section}”的每一项应有 name(单位名称)", line)
                continue
            fields = _Fields(report, raw, raw.get("__line__"))
            fields.unknown_keys(known, "单位")
            name = raw.get("name")
            if name is _BAD:
                continue
            if not isinstance(name, str) or not name.strip():
                fields.fail(f"“{section}”的每一项应有 name(单位名称)", "name" if "name" in raw else None)
                continue
            name = name.strip()
            names.append(name)
            for label in (name, *fields.texts("aliases")):
                if label in labels:
                    fields.fail(f"单位名称或别名“{label}”重复(另见第 {labels[label]} 行)",
                                "aliases" if label != name else "name")
                else:
                    labels[label] = fields.line
            if section == "collectives":
                members = raw.get("members", [])
                if members != "all" and members is not _BAD:
                    for member in fields.texts("members"):
                        memberships.append((fields, member))
    from gktrack.domain.units import normalize_name

    known_labels = {normalize_name(label) for label in labels}
    for fields, member in memberships:
        if normalize_name(member) not in known_labels:
            fields.fail(f"集体成员“{_short(member)}”不在单位名册中", "members", severity=WARNING)
    people = data.get("people")
    if people is None or people is _BAD:
        return
    if not isinstance(people, list):
        top.fail("“people”应为列表", "people")
        return
    emails: dict[str, int | None] = {}
    for index, raw in enumerate(people):
        if raw is _BAD:
            continue
        if not isinstance(raw, dict):
            report.add("“people”的每一项应有 email", _item_line(people, index, top.line_of("people")))
            continue
        fields = _Fields(report, raw, raw.get("__line__"), "人员的")
        fields.unknown_keys(PERSON_KEYS, "人员")
        email = raw.get("email")
        if email is _BAD:
            continue
        if not isinstance(email, str) or not email.strip():
            fields.fail("“people”的每一项应有 email", "email" if "email" in raw else None)
            continue
        if "@" not in email:
            fields.fail(f"邮箱“{_short(email)}”不像邮箱地址", "email", severity=WARNING)
        if email.lower() in emails:
            fields.fail(f"邮箱“{email}”重复(另见第 {emails[email.lower()]} 行)", "email")
        emails[email.lower()] = fields.line
        fields.text("name")
        role = raw.get("role")
        if role is not _BAD and role not in (None, "office", "unit"):
            fields.fail(f"人员角色应为 office 或 unit,而不是“{_short(role)}”", "role")
        for unit in fields.texts("units"):
            if normalize_name(unit) not in known_labels:
                fields.fail(f"人员 {email} 的单位“{_short(unit)}”不在单位名册中", "units", severity=WARNING)


def summary(problems: list[Problem], checked: int | None = None) -> str:
    """One Chinese line counting the problems."""
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = sum(1 for p in problems if p.severity == WARNING)
    if not errors and not warnings:
        return "未发现问题" if checked is None else f"已检查 {checked} 个文件,未发现问题"
    parts = []
    if errors:
        parts.append(f"{errors} 个错误")
    if warnings:
        parts.append(f"{warnings} 个警告")
    return "共 " + "、".join(parts)
