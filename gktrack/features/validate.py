"""`gktrack validate`: every problem of the plan files and the units registry, each at its place.

What a file must be (YAML, fields, types, ids, sections, the plan id that is its name) is said by
the one reader, which collects every problem (``storage.reader``, ``planfile.plan_from_nodes``,
``registry.registry_from_nodes``). This module adds what is no fact of the file format: unit
names the registry does not know, names and texts that are no words (a row number, a time:
``unitphrase``), deadlines that cannot be read or fall before the plan year, unresolved
``conflict:`` entries, tasks written twice, a state at odds with its closing date, file names that
are not plan ids, a change a crash left half done. It checks the work tree, or with ``staged``
what ``git commit`` would commit (the pre-commit hook).

A plan file whose bytes once read without a problem is not read again: its plan comes from the
index (``storage.index``); this module's checks run on every plan, every time.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from gktrack import __version__
from gktrack.domain.dates import today
from gktrack.domain.deadlines import before_plan_year, parsed, unread_note
from gktrack.domain.model import ROLES, Plan, Task, fields_of, to_data
from gktrack.domain.parts import owed_parts
from gktrack.domain.text import clip
from gktrack.domain.unitphrase import parse_unit_phrase, text_problem, unit_name_problem
from gktrack.domain.units import Units, likely_same
from gktrack.errors import InputError
from gktrack.storage import git, yamldoc
from gktrack.storage.files import read_bytes
from gktrack.storage.index import blob_id
from gktrack.storage.planfile import PLAN_ID, parse_plan, plan_from_nodes
from gktrack.storage.reader import ERROR, MORE_OF_THE_SAME, UNREADABLE, WARNING, Problem, Reader, comment_hint
from gktrack.storage.registry import REGISTRY_FILE, default_registry, registry_from_nodes
from gktrack.storage.repo import PLANS_DIR, Repository, unit_names

__all__ = ["ERROR", "WARNING", "Problem", "check", "check_plan", "check_registry", "summary"]

_SECTION_KEY = re.compile(r"^\d+(\.\d+)*$")
# The index's note that a plan file's bytes, under that name, read without a problem. The version:
# a newer gktrack may find more.
_CLEAN = f"validated:{__version__}"


@dataclass
class _Source:
    rel: str             # as shown: repository-relative when inside it
    data: bytes | None   # None: the file does not exist
    kind: str            # "plan" or "registry"
    path: Path | None = None  # in the work tree (None: a staged blob)


def check(repo: Repository, paths: Iterable[str] | None = None,
          staged: bool = False) -> tuple[list[Problem], list[str]]:
    """Every problem of the given files (default: the registry and every plan), and the files
    that were checked. ``staged``: check what ``git commit`` would commit (the index), as a
    pre-commit hook does. Paths are taken relative to the current directory, as on the command
    line."""
    paths = list(paths or [])
    if staged:
        sources, registry_data = _staged_sources(repo, paths)
        problems: list[Problem] = []
    else:
        sources, problems = _worktree_sources(repo, paths)
        # a folder named units.yaml is said by _worktree_sources when it checks the registry
        registry_data = read_bytes(repo.registry_path) if repo.registry_path.is_file() else None
        problems += _pending_change(repo)
    registry_source = next((s for s in sources if s.kind == "registry"), None)
    if registry_source is not None:
        found, units = check_registry(registry_source.rel, registry_source.data)
        problems += found
    elif registry_data is not None:
        units = check_registry(REGISTRY_FILE, registry_data)[1]
    else:
        units = Units(default_registry())
    problems += _check_plans(repo, [s for s in sources if s.kind == "plan"], units)
    return problems, [s.rel for s in sources]


def summary(problems: list[Problem], checked: int | None = None) -> str:
    """One Chinese line counting the problems."""
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = sum(1 for p in problems if p.severity == WARNING)
    if not errors and not warnings:
        return "未发现问题" if checked is None else f"已检查 {checked} 个文件,未发现问题"
    return "共 " + "、".join(part for count, part in ((errors, f"{errors} 个错误"), (warnings, f"{warnings} 个警告"))
                            if count)


# --- plans ---------------------------------------------------------------------------------


def check_plan(where: str, data: bytes | None, *, units: Units | None = None,
               file_id: str | None = None) -> list[Problem]:
    """Every problem of one plan file's bytes. ``units``: to check unit names against;
    ``file_id``: the file's name, without ``.yaml``."""
    return _check_plan(where, data, units, file_id)[0]


def _check_plan(where: str, data: bytes | None, units: Units | None,
                file_id: str | None) -> tuple[list[Problem], Plan | None]:
    """``check_plan``, and the plan when its file read without a problem of the reader's."""
    problems: list[Problem] = []
    plan, reader = _read_plan(where, data, file_id, problems)
    if plan is None:
        return _in_order(problems), None
    clean = not problems and not reader.conflicts
    problems += _placed(reader, _plan_findings(plan, reader, units))
    return _in_order(problems), plan if clean else None


def _check_plans(repo: Repository, sources: list[_Source], units: Units | None) -> list[Problem]:
    """``check_plan`` of each source. A work-tree file whose bytes (under its name) the index
    knows to read cleanly is not read again: its plan comes from the index, as the commands read
    it, and only this module's checks run on it (the file is read when they find something, for
    the places)."""
    index = repo.index
    keys = {s.rel: f"{blob_id(s.data)}:{_file_id(s.rel)}" for s in sources if s.data is not None}
    known = index.memo(_CLEAN, sorted(set(keys.values())))
    found: dict[str, list[Problem]] = {}
    clean: dict[str, Plan] = {}  # read cleanly just now
    for source in sources:
        if keys.get(source.rel) not in known or source.path is None:
            found[source.rel], plan = _check_plan(source.rel, source.data, units, _file_id(source.rel))
            if plan is not None:
                clean[source.rel] = plan

    read = {s.rel: s.data for s in sources}

    def parse(rel: str, data: bytes) -> Plan:
        if rel in clean and data == read[rel]:  # (not changed since: the index keeps it by these bytes)
            return clean[rel]
        return parse_plan(data, rel, expected_id=_file_id(rel))

    files = [(s.rel, s.path) for s in sources if s.path is not None and (s.rel in clean or s.rel not in found)]
    from_index = dict(index.read_files(files, "Plan", parse, names_of=unit_names))
    for source in sources:
        plan = from_index.get(source.rel)
        if source.rel not in found and (not isinstance(plan, Plan) or _plan_findings(plan, None, units)):
            found[source.rel] = _check_plan(source.rel, source.data, units, _file_id(source.rel))[0]
    index.remember(_CLEAN, {keys[rel]: 1 for rel in clean})
    return [problem for source in sources for problem in found.get(source.rel, ())]


def _file_id(rel: str) -> str:
    """The file's name without its extension (``.yaml``)."""
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _read_plan(where: str, data: bytes | None, file_id: str | None,
               problems: list[Problem]) -> tuple[Plan | None, Reader | None]:
    """The plan in ``data`` as far as it reads, and its reader; every problem into ``problems``."""
    expected = file_id if file_id is not None and PLAN_ID.match(file_id) else None
    if file_id is not None and expected is None:
        problems.append(Problem(where, f"文件名“{file_id}”不是可用的计划编号(只能用字母、数字、- 和 _,且不以 - 开头)"))
    reader = Reader(where, problems)
    root = _compose(reader, data)
    if root is UNREADABLE:
        return None, reader
    return plan_from_nodes(reader, root, expected), reader


def _compose(reader: Reader, data: bytes | None) -> Any:
    """The file's nodes, or UNREADABLE after saying why there are none."""
    if data is None:
        reader.fail("文件不存在", None)
        return UNREADABLE
    return reader.compose(data)


class Finding(NamedTuple):
    """What to say about which field of which record; its place is looked up when it is said."""

    record: Any
    field: str | None
    item: int | None   # which item of a list field
    message: str
    severity: str


def _plan_findings(plan: Plan, reader: Reader | None, units: Units | None) -> list[Finding]:
    """What validate adds to the reader's word on one plan. ``reader``: the one that read it
    (None: a plan from the index, which read cleanly)."""
    lost: Callable[[Any], set] = reader.lost if reader is not None else (lambda record: set())
    found = _conflict_findings(reader, lost) if reader is not None else []
    if plan.owner and units is not None and units.canonical(plan.owner) is None:
        found.append(Finding(plan, "owner", None, _unknown_unit(units, plan.owner, "计划的 owner "), WARNING))
    found += _section_findings(plan, lost)
    year = None if "year" in lost(plan) else plan.year
    texts: dict[str, Task] = {}
    now = today()
    for task in plan.tasks:
        missing = lost(task)
        name = _name(task, missing)
        label = f"{name} 的" if "id" not in missing else "任务的"
        problem = text_problem(task.text, "内容") if "text" not in missing else None
        if problem:
            found.append(Finding(task, "text", None, f"{label}{problem},不是任务(导入时读错了表格的列?)", ERROR))
        for role in ROLES:
            for i, unit in enumerate(getattr(task, role)):
                problem = unit_name_problem(unit)
                if problem:
                    found.append(Finding(task, role, i, f"{name} 的{problem}", ERROR))
                elif units is not None and units.canonical(unit) is None:
                    found.append(Finding(task, role, i, _unknown_unit(units, unit, label, listed=True), ERROR))
        if task.deadline and year:
            for deadline in parsed(tuple(task.deadline), year):
                if deadline.kind == "unknown":
                    found.append(Finding(task, "deadline", None, f"{name} 的{unread_note(clip(deadline.phrase))}"
                                         f"{comment_hint(deadline.phrase)}", WARNING))
                elif before_plan_year(deadline, year):
                    item = next((i for i, cell in enumerate(task.deadline) if deadline.phrase in str(cell)), None)
                    found.append(Finding(task, "deadline", item, f"{name} 的期限早于计划年度:{clip(deadline.phrase)}"
                                         f"(计划年度 {year}),从计划第一天起即为逾期;是笔误,"
                                         "还是任务文字中所述事项的时间?", WARNING))
        if not missing & {"state", "closed"}:
            if task.state == "done" and task.closed is None:
                found.append(Finding(task, "state", None, f"{name} 已完成(state: done)但没有完成日期 closed", WARNING))
            elif task.state == "open" and task.closed is not None:
                found.append(Finding(task, "closed", None, f"{name} 未完成(state: open)却有完成日期 closed", WARNING))
        # dated after today (by hand: the commands refuse it): judged, until that day, as not yet done
        for record, what in ((task, "完成日期"), *((part, f"{part.unit}的部分的完成日期") for part in task.parts)):
            if record.closed is not None and record.closed > now:
                found.append(Finding(record, "closed", None, f"{name} 的{what} {record.closed} 晚于今天,"
                                     "在那天以前都按未完成判断", WARNING))
        for entry in task.progress:
            if entry.date is not None and entry.date > now:
                found.append(Finding(entry, "date", None, f"{name} 的进展日期 {entry.date} 晚于今天,在那天以前不计",
                                     WARNING))
            # the commands refuse an empty note (ops.record_progress); by hand it still counts as progress
            if isinstance(entry.note, str) and not entry.note.strip():
                found.append(Finding(entry, "note", None, f"{name} 的一条进展({entry.date})没有写内容 note,"
                                     "仍算作一条进展;请写明做了什么", WARNING))
            if entry.unit and units is not None and units.canonical(entry.unit) is None:
                found.append(Finding(entry, "unit", None, _unknown_unit(units, entry.unit, f"{name} 的进展中的"), WARNING))
        if units is not None and task.parts and not missing:
            owing = {p.unit for p in owed_parts(plan, task, units)}
            for part in task.parts:
                if units.canonical(part.unit) not in owing and part.unit not in owing:
                    found.append(Finding(part, "unit", None, f"{name} 的 parts 中有“{clip(part.unit)}”的记录,"
                                         "但它不承担这项任务的一部分(责任单位改过了?);该记录不计入", WARNING))
        if task.text and not missing & {"id", "text"}:
            normal = " ".join(task.text.split())
            other = texts.setdefault(normal, task)
            if other is not task:
                found.append(Finding(task, "text", None, f"{name} 与任务 {other.id}(第 {other.line} 行)内容相同,是否重复添加?",
                              WARNING))
    return found


def _section_findings(plan: Plan, lost: Callable[[Any], set]) -> list[Finding]:
    """Section keys written as the document numbers its headings: 1, 1.2, each under its parent."""
    found: list[Finding] = []
    keys: set[str] = set()
    for section in plan.sections:
        key = section.key
        if "key" in lost(section) or key in keys:
            continue
        if not _SECTION_KEY.match(key):
            found.append(Finding(section, "key", None, f"章节 key“{clip(key)}”应写成 1、1.2 这样的编号", WARNING))
        elif "." in key and key.rpartition(".")[0] not in keys:
            found.append(Finding(section, "key", None, f"章节“{key}”的上级章节“{key.rpartition('.')[0]}”不存在(或排在它后面)",
                          WARNING))
        keys.add(key)
        problem = text_problem(section.title, "标题") if "title" not in lost(section) else None
        if problem:
            found.append(Finding(section, "title", None, f"章节“{key}”的{problem},不是标题(导入时读错了表格的列?)",
                                 WARNING))
    return found


def _placed(reader: Reader, findings: list[Finding]) -> list[Problem]:
    """Findings as problems, each at the node of its field (of its item in a list)."""
    out = []
    for record, field, item, message, severity in findings:
        node = reader.node_of(record)
        if field == "conflict":
            node = next(c.key for c in reader.conflicts if c.record is record)
        elif field is not None and yamldoc.is_map(node) and field in (entries := yamldoc.entries(node)):
            node = entries[field][1]
            if item is not None and yamldoc.is_seq(node) and item < len(node.value):
                node = node.value[item]
        out.append(Problem(yamldoc.place(reader.where, node) if node is not None else reader.where, message, severity))
    return out


def _in_order(problems: list[Problem]) -> list[Problem]:
    """One file's problems from its top down; what concerns the whole file first."""
    return sorted(problems, key=lambda p: (p.message.startswith(MORE_OF_THE_SAME), p.line or 0, p.column or 0))


# Hand-typed unit names: quotes around a name.
_QUOTES = "“”‘’\"'「」『』"


def _unknown_unit(units: Units, name: str, prefix: str, *, listed: bool = False) -> str:
    """``listed``: the name is an item of a unit list (lead, support, responsible)."""
    bare = name.strip(_QUOTES)
    if bare != name and units.canonical(bare) is not None:
        return f"{prefix}单位名称不加引号:“{clip(name)}”请写成 {bare}"
    several = _separate_names(name)
    if listed and len(several) > 1 and all(units.canonical(part) is not None for part in several):
        return f"{prefix}单位“{clip(name)}”是几个单位写在了一起:请写成 [{', '.join(several)}](用半角逗号“,”分开)"
    suggestions = units.suggest(name)
    hint = f",是否指:{'、'.join(suggestions)}?" if suggestions else ";如确是新单位,请在 units.yaml 中登记"
    return f"{prefix}单位“{clip(name)}”不在单位名册中{hint}"


def _separate_names(text: str) -> list[str]:
    """The names in ``text`` as a document lists them (A、B,C), read as the importer reads a unit
    list (``parse_unit_phrase``): 各县(市、区) is one name."""
    try:
        return [unit.name for unit in parse_unit_phrase(text)]
    except InputError:
        return [text]


def _name(record: Any, lost: set) -> str:
    """How messages name a record."""
    kind = type(record).__name__
    if kind == "Task":
        return "任务" if "id" in lost else f"任务 {record.id}"
    if kind in ("Unit", "Collective"):
        return f"单位“{record.name}”"
    return {"Plan": "计划", "Section": f"章节“{getattr(record, 'key', '')}”", "Registry": "单位名册",
            "Person": f"人员 {getattr(record, 'email', '')}"}.get(kind, "此项")


def _conflict_findings(reader: Reader, lost: Callable[[Any], set]) -> list[Finding]:
    return [Finding(c.record, "conflict", None, _conflict_message(c, _name(c.record, lost(c.record))), ERROR)
            for c in reader.conflicts]


def _conflict_message(conflict: Any, name: str) -> str:
    """The merge driver keeps our value in each field and records theirs under ``conflict``:
    both are shown, so the person resolving it need not dig through the file."""
    record = conflict.record
    cls = type(record)
    data = yamldoc.to_data(conflict.value)
    fields = [str(key) for key in data] if isinstance(data, dict) else []
    labels = dict(fields_of(cls))
    parts, shown = [], False
    for key in fields:
        part = f"“{labels[key].label}”({key})" if key in labels else key
        entry = data[key]
        if isinstance(entry, dict) and "theirs" in entry and key in labels:
            shown = True
            part += (f"本方“{clip(_plain(getattr(record, key)))}”,另一方“{clip(_plain(entry.get('theirs')))}”,"
                     f"原为“{clip(_plain(entry.get('base')))}”")
        parts.append(part)
    which = f"({';'.join(parts)})" if shown else (f"({'、'.join(fields)})" if fields else "")
    return (f"{name}{'' if name == '计划' else ' '}有未解决的合并冲突{which}:文件中是本方的值,另一方的值记在 conflict 字段中;"
            "核对改好后删除 conflict 字段")


def _plain(value: Any) -> str:
    if value is None or value == []:
        return "空"
    if dataclasses.is_dataclass(value):
        value = to_data(value)
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_plain(v)}" for k, v in value.items() if v not in (None, "", [])) + "}"
    return str(value)


# --- the units registry --------------------------------------------------------------------


def check_registry(where: str, data: bytes | None) -> tuple[list[Problem], Units | None]:
    """(problems, the registry's Units, or None when it has errors) of the registry's bytes."""
    problems: list[Problem] = []
    reader = Reader(where, problems)
    root = _compose(reader, data)
    if root is UNREADABLE:
        return _in_order(problems), None
    registry = registry_from_nodes(reader, root)
    units = Units(registry)
    findings = _conflict_findings(reader, reader.lost)
    for collective in registry.collectives:
        if isinstance(collective.members, list):
            for i, member in enumerate(collective.members):
                if units.canonical(member) is None:
                    findings.append(Finding(collective, "members", i, f"集体成员“{clip(member)}”不在单位名册中", WARNING))
    for unit in registry.all_units:
        for field, i, name in [("name", None, unit.name)] + [("aliases", i, a) for i, a in enumerate(unit.aliases)]:
            problem = unit_name_problem(name)
            if problem:
                findings.append(Finding(unit, field, i, f"单位名册中的{problem}(导入时读错了表格的列?)", WARNING))
            elif field == "aliases" and len(several := _separate_names(name)) > 1:
                findings.append(Finding(unit, field, i, f"别名“{clip(name)}”会被当作一个名称;如是几个别名,"
                                        f"请写成 [{', '.join(several)}](用半角逗号“,”分开)", WARNING))
    by_name = {unit.name: unit for unit in registry.units}
    for first, second in likely_same(registry):
        findings.append(Finding(by_name[second], "name", None, f"单位“{second}”与“{first}”名称相近,可能是同一个单位;"
                                "如是,请只留一个,另一个写成它的别名(aliases)", WARNING))
    for person in registry.people:
        if "email" not in reader.lost(person):
            findings += _email_findings(person)
        for i, unit in enumerate(person.units):
            if units.canonical(unit) is None:
                findings.append(Finding(person, "units", i, f"人员 {person.email} 的单位“{clip(unit)}”不在单位名册中", WARNING))
    problems += _placed(reader, findings)
    has_errors = any(p.severity == ERROR for p in problems)
    return _in_order(problems), None if has_errors else units


def _email_findings(person: Any) -> list[Finding]:
    """A person is found by the email of their commits, which never holds a space or a full-width
    "＠": an email typed so would silently leave them with no rights at all."""
    email = person.email
    if "".join(email.split()) != email:
        return [Finding(person, "email", None, f"邮箱“{clip(email)}”中有空格(含全角空格),请删去:"
                        "否则与此人提交所用的邮箱对不上,他没有任何权限", ERROR)]
    if "＠" in email:
        return [Finding(person, "email", None, f"邮箱“{clip(email)}”中的“＠”是全角,请改为半角“@”", ERROR)]
    if "@" not in email:
        return [Finding(person, "email", None, f"邮箱“{clip(email)}”不像邮箱地址", WARNING)]
    return []


# --- which files ---------------------------------------------------------------------------


def _kind(rel: str) -> str:
    return "registry" if rel.rsplit("/", 1)[-1] == REGISTRY_FILE else "plan"


def _shown(repo: Repository, path: Path, given: str) -> str:
    try:
        return path.resolve().relative_to(repo.root.resolve()).as_posix()
    except ValueError:
        return given


def _worktree_sources(repo: Repository, paths: list[str]) -> tuple[list[_Source], list[Problem]]:
    problems: list[Problem] = []
    files: list[tuple[Path, str]] = []
    if not paths:
        if repo.registry_path.exists():
            files.append((repo.registry_path, REGISTRY_FILE))
        else:
            problems.append(Problem(REGISTRY_FILE, "没有单位名册,单位名称无法核对(gktrack init 会建立它)", WARNING))
        files += _plan_files(repo, repo.plans_dir, problems)
    for given in paths:
        path = Path.cwd() / Path(given).expanduser()  # an absolute path stays as it is
        shown = _shown(repo, path, given)
        if path.is_dir():
            if path.resolve() == repo.root.resolve() and repo.registry_path.exists():
                files.append((repo.registry_path, REGISTRY_FILE))
            files += _plan_files(repo, repo.plans_dir if path.resolve() == repo.root.resolve() else path, problems)
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
        sources.append(_Source(shown, data, _kind(shown), path))
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


def _staged_sources(repo: Repository, paths: list[str]) -> tuple[list[_Source], bytes | None]:
    """The staged plan files and registry that differ from HEAD, and the staged registry's bytes
    (the units to check names against, changed or not)."""
    from gktrack.storage.history import BlobReader

    repo.require_git()
    wanted = [_shown(repo, Path.cwd() / given, given) for given in paths]
    out = git.run(repo.root, "diff", "--cached", "--raw", "-z", "--no-renames", "--diff-filter=ACM", "--",
                  PLANS_DIR, REGISTRY_FILE).split("\0")
    staged = {rel: meta.split()[3] for meta, rel in zip(out[::2], out[1::2])
              if rel == REGISTRY_FILE or (rel.endswith(".yaml") and "\n" not in rel)}
    registry_blob = staged.get(REGISTRY_FILE)
    if wanted:
        staged = {rel: blob for rel, blob in staged.items()
                  if any(rel == w or rel.startswith(w.rstrip("/") + "/") for w in wanted)}
    if registry_blob is None:
        entry = git.run(repo.root, "ls-files", "-s", "-z", "--", REGISTRY_FILE).split("\t")[0].split()
        registry_blob = entry[1] if len(entry) == 3 else None
    with BlobReader(repo) as blobs:
        blobs.expect([*staged.values(), *([registry_blob] if registry_blob else [])])
        sources = [_Source(rel, blobs.read(blob), _kind(rel)) for rel, blob in staged.items()]
        registry_data = blobs.read(registry_blob) if registry_blob else None
    return sources, registry_data


def _pending_change(repo: Repository) -> list[Problem]:
    from gktrack.storage import journal

    entry = journal.pending(repo.root)
    if entry is None:
        return []
    summary_ = entry.get("summary") or "上次修改"
    files = "、".join(entry.get("files") or {}) or "(未知文件)"
    return [Problem(files, f"上次修改“{summary_}”被中断,尚未提交;下一次修改命令会自动完成或回滚它", WARNING)]
