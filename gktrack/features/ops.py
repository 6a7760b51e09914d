"""The operations behind the commands. Plain data in, plain data out, typed errors.

Each mutating operation is one ``Repository.change``: one commit holding only the files it
changed, a Chinese summary line and machine-readable trailers.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from gktrack.domain.dates import future_work, read_date, today
from gktrack.domain.model import ROLE_LABELS, ROLES, YEARS, Plan, Progress, Section, Task, UnitRef
from gktrack.domain.text import clip
from gktrack.domain.units import resolve_refs, typed_form
from gktrack.errors import DirtyError, GktrackError, InputError, NotFoundError, RepoError
from gktrack.storage import git
from gktrack.storage.files import read_bytes, refuse_link
from gktrack.storage.planfile import PlanEditor, check_plan_id, new_plan_text, read_plan
from gktrack.storage.registry import INITIAL_TEXT, REGISTRY_FILE, add_units_to_file, read_registry
from gktrack.storage.repo import PLANS_DIR, Change, Repository, plan_rel

# How much of a task's (or plan's, section's, note's) text a commit's summary line carries.
SUMMARY_TEXT_CHARS = 24


def summary_text(text: str) -> str:
    return clip(text, SUMMARY_TEXT_CHARS)


# --- init ---------------------------------------------------------------------------------


def init_repo(path: str | Path | None) -> Change:
    """Make a plans repository (idempotent): git work tree, plans/, units.yaml, first commit.

    On an existing repository it adds only what is missing (the merge attribute, the editor
    files) in one commit: that is what ``gktrack setup`` runs for repositories made before them.
    Only the office may commit them where people are listed (the server refuses a liaison's change
    to any other file than a plan): a liaison's clone gets its merge driver and is told.
    """
    root = Path(path or ".").expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise InputError(f"“{root}”已存在且不是文件夹")
    root.mkdir(parents=True, exist_ok=True)
    if git.toplevel(root) != root:
        git.run(root, "init", "-q")
        git.run(root, "symbolic-ref", "HEAD", "refs/heads/main")
    existed = git.head(root) is not None
    if not existed and git.identity(root) is None:
        # Found out before writing: files left uncommitted would stop the next command as hand edits,
        # and one that commits instead of init (new-plan) would leave .gitattributes out for good.
        raise RepoError(f"未设置 git 身份,尚未写入任何文件:请运行 {git.IDENTITY_COMMANDS},再重新运行 gktrack init")
    for rel in (PLANS_DIR, REGISTRY_FILE):
        refuse_link(root, rel)
    created = []
    plans = root / PLANS_DIR
    plans.mkdir(exist_ok=True)
    if not any(plans.iterdir()):
        (plans / ".gitkeep").write_text("", encoding="utf-8")
        created.append(f"{PLANS_DIR}/.gitkeep")
    registry = root / REGISTRY_FILE
    if not registry.exists():
        registry.write_text(INITIAL_TEXT, encoding="utf-8")
        created.append(REGISTRY_FILE)
    from gktrack.features.collab import mergedriver
    from gktrack.storage import schema

    write = not existed or _may_set_up(root)
    # Plan files merge task by task (see gktrack.features.collab.mergedriver): the attribute travels with the
    # repository, the driver command is local config that every clone sets up for itself.
    added = [".gitattributes"] if mergedriver.ensure_attributes_file(root / ".gitattributes", write=write) else []
    # The JSON Schemas and .vscode/settings.json: the YAML language server checks plans as people type.
    added += schema.write_editor_files(root, write=write)
    configured = mergedriver.install(root) + git.keep_history_fast(root)
    if not write:
        left = (f"{root} 缺少 {'、'.join(added)}:仓库文件只有政务公开办可以提交(服务器会拒绝联络人的这种提交),"
                "请政务公开办运行 gktrack setup 并同步;之后在此运行 gktrack sync 即可" if added
                else f"{root} 的仓库文件已齐全,无需提交")
        return Change(None, "\n".join([*configured, left]), [])
    created += added
    candidates = [REGISTRY_FILE, f"{PLANS_DIR}/.gitkeep", ".gitattributes", *schema.editor_files()]
    tracked = set(git.run(root, "ls-files", "-z", "--", *candidates).split("\0"))
    # Files an interrupted init left uncommitted; a tracked file's hand edits are never swept in.
    pending = [rel for rel in candidates if rel not in created and rel not in tracked and (root / rel).exists()]
    files = created + pending
    if not files:
        unchanged = f"{root} 的仓库文件已齐全,无需提交" if configured else f"{root} 已是 gktrack 计划仓库,未做任何修改"
        return Change(None, "\n".join([*configured, unchanged]), [])
    summary = f"补充 gktrack 仓库设置:{'、'.join(files)}" if existed else "初始化 gktrack 计划仓库"
    commit = _commit_as_is(Repository(root), files, summary, "init", None)
    if existed:
        return Change(commit, "\n".join([*configured, f"已为 {root} 补充 {'、'.join(files)}(提交 {commit[:8]})"]), files)
    return Change(commit, f"已在 {root} 建立 gktrack 计划仓库(提交 {commit[:8]})", files)


def _may_set_up(root: Path) -> bool:
    """Whether git's identity here may commit repository files: the office, or anyone while no
    people are listed (``permissions.is_office``)."""
    from gktrack.domain.permissions import is_office

    if not (root / REGISTRY_FILE).is_file():
        return True
    try:
        units = Repository(root).units()
    except GktrackError:
        return True  # as before people could be read: the commit shows what the server thinks
    identity = git.identity(root)
    return is_office(units, identity.email if identity else None)


# --- plans and sections -------------------------------------------------------------------


def new_plan(repo: Repository, plan_id: str, *, year: int, title: str, issuer: str | None = None,
             doc_number: str | None = None, issued: dt.date | None = None, source: str | None = None,
             owner: str | None = None, by: str | None = None) -> Change:
    check_plan_id(plan_id)
    if year not in YEARS:
        raise InputError(f"年份“{year}”不合理")
    if not title.strip():
        raise InputError("计划标题不能为空")
    path = repo.plan_path(plan_id)
    if path.exists():
        raise InputError(f"计划 {plan_id} 已存在({plan_rel(plan_id)})")
    require_office(repo, by, "new-plan")
    plan = Plan(id=plan_id, year=year, title=title.strip(), issuer=issuer, doc_number=doc_number,
                issued=issued, source=source, owner=owner)
    rel = plan_rel(plan_id)
    with repo.change([rel], f"新建计划 {plan_id}:{summary_text(plan.title)}",
                     git.trailers("new-plan", plan=plan_id), by=by, staged=True) as tx:
        repo.plans_dir.mkdir(exist_ok=True)
        tx.write(path, new_plan_text(plan).encode("utf-8"))
    return Change(tx.commit, f"已新建计划 {plan_id}:{plan.title}", files=tx.rels)


def add_section(repo: Repository, plan_id: str, title: str, *, number: str | None = None,
                parent: str | None = None, by: str | None = None) -> Change:
    plan = repo.load_plan(plan_id)
    require_office(repo, by, "add-section")
    if parent is not None:
        parent = resolve_section(plan, parent)
    siblings = [s.key for s in plan.sections if s.parent_key == parent]
    last = max((int(k.rsplit(".", 1)[-1]) for k in siblings if k.rsplit(".", 1)[-1].isdigit()), default=0)
    key = f"{parent}.{last + 1}" if parent else str(last + 1)
    rel = plan_rel(plan_id)
    with repo.change([rel], f"新增章节 {plan_id} {key}:{summary_text(title)}",
                     git.trailers("add-section", plan=plan_id), by=by, staged=True) as tx:
        editor = PlanEditor(repo.plan_path(plan_id), rel)
        editor.add_section(Section(key=key, title=title.strip(), number=number))
        editor.save(tx.write)
    return Change(tx.commit, f"已在计划 {plan_id} 新增章节 {key}:{(number or '')}{title}", files=tx.rels)


def resolve_section(plan: Plan, value: str) -> str:
    """A section given as its key (1.2), its number (一、 / (二)) or its title."""
    text = value.strip()
    if text in plan.section_by_key():
        return text
    matches = [s for s in plan.sections
               if text in (s.number, s.title, s.heading) or (s.number and s.number.strip("、.()()") == text.strip("、.()()"))]
    if len(matches) == 1:
        return matches[0].key
    known = ";".join(f"{s.key} {s.heading}" for s in plan.sections[:8])
    if matches:
        raise InputError(f"章节“{value}”不唯一,请用编号(key):{'、'.join(s.key for s in matches)}")
    raise NotFoundError(f"计划 {plan.id} 中没有章节“{value}”" + (f";现有:{known}" if known else ";可用 gktrack add-section 新增"))


# --- tasks --------------------------------------------------------------------------------


def _unit_refs(repo: Repository, lead: list[str], support: list[str], units: list[str],
               new_unit: bool) -> tuple[list[UnitRef], list[str]]:
    """The unit options as registered units, and the new ones to register (``new_unit``). Each
    value is a unit list as documents write it."""
    from gktrack.domain.unitphrase import parse_unit_phrase

    refs: list[UnitRef] = []
    for role, values in (("lead", lead), ("support", support)):
        for value in values:
            refs += [UnitRef(ref.name, role) for ref in parse_unit_phrase(value)]
    for value in units:
        refs += parse_unit_phrase(value)
    refs = list({ref.name: ref for ref in refs}.values())  # the last mention of a unit decides its role
    return resolve_refs(repo.units(), refs, register_new=new_unit)


def _register(repo: Repository, tx, new_units: list[str]) -> None:
    if new_units:
        require_office(repo, tx.by, "registry")
        tx.add_path(REGISTRY_FILE)
        add_units_to_file(repo.registry_path, new_units, write=tx.write)


def _deadline_phrases(values: list[str], year: int) -> tuple[list[str], list[str]]:
    """The ``--due`` values as kept, and a note for each the deadline grammar does not know."""
    from gktrack.domain.deadlines import parse_due_option, unread_note

    phrases, notes = [], []
    for value in values:
        if value.strip():
            phrase, known = parse_due_option(value, year)
            phrases.append(phrase)
            if not known:
                notes.append(unread_note(phrase, just_written=True))
    return phrases, notes


def add_task(repo: Repository, plan_id: str, text: str, *, lead: list[str] = (), support: list[str] = (),
             units: list[str] = (), due: list[str] = (), section: str | None = None,
             number: str | None = None, new_unit: bool = False, by: str | None = None) -> Change:
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not text:
        raise InputError("任务内容不能为空")
    from gktrack.domain.unitphrase import text_problem  # progress and close, which take no task text, never load it

    problem = text_problem(text)
    if problem:
        raise InputError(f"{problem},不是任务")
    plan = repo.load_plan(plan_id)
    require_office(repo, by, "add")
    section_key = resolve_section(plan, section) if section else None
    refs, new_units = _unit_refs(repo, lead, support, units, new_unit)
    phrases, notes = _deadline_phrases(due, plan.year)
    task = Task(plan=plan_id, id=plan.next_task_id(), text=text, number=number, section=section_key,
                deadline=phrases)
    task.set_units(refs)
    rel = plan_rel(plan_id)
    with repo.change([rel], f"新增 {task.full_id}:{summary_text(text)}",
                     git.trailers("add", task=task.full_id, units=[u.name for u in refs]), by=by, staged=True) as tx:
        _register(repo, tx, new_units)
        editor = PlanEditor(repo.plan_path(plan_id), rel)
        # The id is chosen again under the lock: another process may have added one meanwhile.
        task.id = editor.plan.next_task_id()
        tx.trailers[git.TRAILER_TASK] = task.full_id
        tx.summary = f"新增 {task.full_id}:{summary_text(text)}"
        saved = editor.insert_task(task)
        editor.save(tx.write)
    if not due:
        notes += _offered_deadlines(saved.full_id, text)
    # the summary is the id alone: scripts capture it
    return Change(tx.commit, saved.full_id, task=saved, files=tx.rels, notes=tuple(notes))


def _offered_deadlines(task_id: str, text: str) -> list[str]:
    """A deadline written in the task's own words is offered, never guessed into the file."""
    from gktrack.domain.deadlines import find_deadline_phrases

    found = find_deadline_phrases(text)
    if not found:
        return []
    phrases = "、".join(f"“{p}”" for p in found)
    dues = " ".join(f"--due {p}" for p in found)
    return [f"任务内容中写有期限 {phrases},未登记为期限;如需登记,可 gktrack undo 后加 {dues} 重新添加,"
            f"或用 gktrack edit {task_id} 填写 deadline"]


def _edit_task(repo: Repository, ref: str, summary: str, trailers: dict[str, str], *,
               changes=None, append=None, edit=None, by: str | None = None, new_units: list[str] = (),
               body: str | None = None) -> Change:
    """One task edit: lock, read the task again under the lock, edit its lines, commit.

    ``changes(current)`` gives the fields to set (an empty value removes one); ``append(current)``
    a progress entry to add; ``edit(current)`` a ``parts.Edit`` (the task's fields and part
    records). Each sees the task as it is under the lock."""
    plan_id, task_id = repo.task_ref(ref)
    rel = plan_rel(plan_id)
    with repo.change([rel], summary, trailers, by=by, body=body, staged=True) as tx:
        _register(repo, tx, new_units)
        editor = PlanEditor(repo.plan_path(plan_id), rel)
        current = editor.plan.task(task_id)
        if current is None:
            raise NotFoundError(f"计划 {plan_id} 中没有任务 {task_id}")
        saved = current
        if changes is not None:
            saved = editor.update_task(task_id, changes(current))
        if edit is not None:
            saved = editor.apply(task_id, edit(current))
        if append is not None:
            saved = editor.append(task_id, "progress", append(saved))
        editor.save(tx.write)
    return Change(tx.commit, summary, task=saved, files=tx.rels)


def _role_lists(refs: list[UnitRef]) -> dict[str, list[str]]:
    return {role: [r.name for r in refs if r.role == role] for role in ROLES}


def assign(repo: Repository, ref: str, *, lead: list[str] = (), support: list[str] = (),
           units: list[str] = (), new_unit: bool = False, by: str | None = None) -> Change:
    plan, task = repo.find_task(ref)
    refs, new_units = _unit_refs(repo, lead, support, units, new_unit)
    if not refs:
        raise InputError("请用 --lead、--support 或 --unit 指定单位")
    _check_permission(repo, by, plan, task, "assign")

    def changes(current: Task) -> dict:
        return _role_lists(list({u.name: u for u in [*current.units, *refs]}.values()))

    label = ",".join(f"{u.name}{ROLE_LABELS[u.role]}" for u in refs)
    return _edit_task(repo, ref, f"分派 {task.full_id}:{label}",
                      git.trailers("assign", task=task.full_id, units=[u.name for u in refs]),
                      changes=changes, by=by, new_units=new_units)


def unassign(repo: Repository, ref: str, names: list[str], *, by: str | None = None) -> Change:
    plan, task = repo.find_task(ref)
    units = repo.units()
    removing = []
    for name in names:
        canonical = units.canonical(name) or name.strip()
        if canonical not in [u.name for u in task.units]:
            raise NotFoundError(f"任务 {task.full_id} 没有分派给“{name}”;现有:{'、'.join(u.name for u in task.units) or '无'}")
        removing.append(canonical)
    if not removing:  # the library's own contract, whoever calls it
        raise InputError("请给出要取消的单位")
    _check_permission(repo, by, plan, task, "assign")

    def changes(current: Task) -> dict:
        return _role_lists([u for u in current.units if u.name not in removing])

    return _edit_task(repo, ref, f"取消分派 {task.full_id}:{'、'.join(removing)}",
                      git.trailers("unassign", task=task.full_id, units=removing), changes=changes, by=by)


def _acting_unit(repo: Repository, task: Task, unit: str | None, by: str | None) -> str | None:
    """The unit on whose behalf a change is recorded: --unit (a liaison's own unit), or the
    person's own unit (of a liaison of several units, the one that has to do with the task)."""
    units = repo.units()
    if unit:
        canonical = units.require(unit, registering=False)
        if units.registry.people:
            from gktrack.domain.permissions import check_acting_unit

            for email in acting_emails(repo, by):
                check_acting_unit(units, email, canonical)
        return canonical
    if not units.registry.people:
        return None  # nobody is listed, so nobody has a unit of their own (and git need not be asked)
    email = _actor_email(repo, by)
    person = units.person(email)
    if not person or not person.units or person.role == "office":
        return None
    mine = [units.canonical(u) or u for u in person.units]
    if len(mine) == 1:
        return mine[0]
    from gktrack.domain.parts import role_of

    plan = repo.load_plan(task.plan)
    concerned = [u for u in mine if role_of(plan, task, units, u) is not None]
    if len(concerned) > 1:
        raise InputError(f"你负责 {'、'.join(concerned)} 等几个单位,它们都与任务 {task.full_id} 有关;请用 --unit 指明为哪个单位记录")
    return concerned[0] if concerned else None


def _actor_email(repo: Repository, by: str | None) -> str | None:
    ident = (git.parse_identity(by) if by else None) or repo.git_identity()
    return ident.email if ident else None


def actor_name(repo: Repository, by: str | None) -> str | None:
    """The recorder (``by``) of a progress entry: a listed person as the registry names them (the
    server checks it so, not by a git name), else ``--by``'s name or git's."""
    units = repo.units()
    parsed = git.parse_identity(by) if by else repo.git_identity()
    if by and parsed is None:  # a bare name, in the committer's rights
        name = by.strip()
        if units.registry.people:
            from gktrack.domain.permissions import check_recorder

            check_recorder(units, acting_emails(repo, by), name)
        return name
    person = units.person(parsed.email) if parsed else None
    if person is not None:
        from gktrack.domain.permissions import recorder_name

        return recorder_name(person)
    return parsed.name if parsed else None


def acting_emails(repo: Repository, by: str | None) -> list[str | None]:
    """The e-mails a change must be allowed for: git's own identity (the committer) and, unless
    that is the office, ``--by``'s (the author) -- so ``--by`` never lends anyone more rights
    (``permissions.acting_people``)."""
    from gktrack.domain.permissions import acting_people

    committer = repo.git_identity()
    return acting_people(repo.units(), _actor_email(repo, by), committer.email if committer else None)


def _check_permission(repo: Repository, by: str | None, plan: Plan, task: Task, action: str, *,
                      part: str | None = None) -> None:
    units = repo.units()
    if units.registry.people:  # with nobody listed everyone may: no need to ask git who we are
        from gktrack.domain.permissions import check_task_change

        for email in acting_emails(repo, by):
            check_task_change(units, email, plan, task, action, part=part)


def require_office(repo: Repository, by: str | None, action: str) -> None:
    """Refuse ``action`` unless everyone acting (``acting_emails``) is the office."""
    units = repo.units()
    if units.registry.people:
        from gktrack.domain.permissions import check_office

        for email in acting_emails(repo, by):
            check_office(units, email, action)


def _record_date(value: str | None, plan: Plan, repo: Repository, task: Task) -> tuple[dt.date, list[str]]:
    """The work date of a progress, close or reopen (default today), and notes to say back: what
    a short date was taken to mean, a date outside the plan's year, a date before the task was added."""
    if value is None:
        return today(), []
    typed = read_date(value, "日期", today=today(), year=plan.year)
    date, notes = typed.date, [f"日期“{value}”{typed.assumed}"] if typed.assumed else []
    problem = future_work(date, "日期", latest=today())
    if problem:
        raise InputError(problem)
    return date, notes + date_doubts(repo, plan, task, date)


def date_doubts(repo: Repository, plan: Plan, task: Task, date: dt.date) -> list[str]:
    """What to say back about a work date someone typed (``--date``, a form's 工作日期): outside
    the plan's year, or before the task was added. Reads the task's history, so it is asked only
    for a typed date: today is never before the task was added."""
    notes = []
    if date.year != plan.year:
        notes.append(f"日期 {date} 不在计划 {plan.id} 的年度({plan.year} 年)内,请确认无误")
    from gktrack.storage.history import task_history

    commits = task_history(repo, task.full_id)
    added = commits[-1] if commits else None  # newest first: the oldest changed it first, adding it
    if added is not None and date < added.authored.date():
        notes.append(f"日期 {date} 早于任务 {task.full_id} 加入计划的日期({added.authored.date()},"
                     f"提交 {added.sha[:8]}),请确认无误")
    return notes


_BARE_SITE = r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:cn|com|net|org|gov|edu|mil|info)(?:[:/?#]\S*)?"


def _links(values: list[str]) -> tuple[list[str], list[str]]:
    """Evidence as links: a site written without its scheme (www.xinjian.gov.cn/…) gets https://,
    and the person is told; other text (a document's name) is kept as written."""
    links, notes = [], []
    for value in filter(None, map(str.strip, values)):
        if re.fullmatch(_BARE_SITE, value, re.I):
            notes.append(f"佐证“{value}”没有写 http:// 或 https://,已按 https://{value} 记录")
            value = f"https://{value}"
        links.append(value)
    return links, notes


def record_progress(repo: Repository, ref: str, note: str, *, date: str | None = None,
                    unit: str | None = None, by: str | None = None) -> Change:
    note = note.strip()
    if not note:
        raise InputError("进展内容不能为空")
    plan, task = repo.find_task(ref)
    when, notes = _record_date(date, plan, repo, task)
    acting = _acting_unit(repo, task, unit, by)
    _check_permission(repo, by, plan, task, "progress")
    entry = Progress(date=when, unit=acting, by=actor_name(repo, by), note=note)
    change = _edit_task(repo, ref, f"进展 {task.full_id}:{summary_text(note)}",
                        git.trailers("progress", task=task.full_id, units=[acting] if acting else None, date=when),
                        by=by, append=lambda current: entry)
    return change._replace(notes=tuple(notes))


def _part_for(repo: Repository, plan: Plan, task: Task, unit: str | None, by: str | None, action: str):
    """The part a close or reopen acts on (None: the whole task), its unit, and the unit acting."""
    from gktrack.domain.parts import role_of, whole_or_part

    units = repo.units()
    acting = _acting_unit(repo, task, unit, by)
    if acting is not None and role_of(plan, task, units, acting) is None:
        if unit is not None:
            raise InputError(f"{typed_form(acting)} 与任务 {task.full_id} 无关(不是它的牵头、负责或配合单位)")
        acting = None  # a liaison's own unit has no part in it: the permission check says who may
    part = whole_or_part(plan, task, units, acting)
    if part is not None and part.role == "support":
        raise InputError(f"{typed_form(acting)} 是任务 {task.full_id} 的配合单位,没有自己的一部分可以"
                         f"{'关闭' if action == 'close' else '重新打开'};配合单位可以记录进展,由牵头单位办结")
    return part, part.unit if part else None, acting


def _part_change(verb: str, action: str, task: Task, what: str | None, acting: str | None,
                 when: dt.date) -> tuple[str, dict[str, str]]:
    """The summary line and trailers of closing or reopening ``what``'s part (None: the whole task)."""
    unit = what or acting
    summary = f"{verb} {task.full_id}" + (f"({what}的部分)" if what else "") + f":{summary_text(task.text)}"
    return summary, git.trailers(action, task=task.full_id, units=[unit] if unit else None, date=when)


def close_task(repo: Repository, ref: str, *, note: str | None = None, evidence: list[str] = (),
               date: str | None = None, unit: str | None = None, by: str | None = None) -> Change:
    """Close (销号) a unit's part of a task (``--unit``, or a liaison's own unit), or, for the
    office, the task as a whole."""
    from gktrack.domain.parts import close_edit, standing

    plan, task = repo.find_task(ref)
    part, what, acting = _part_for(repo, plan, task, unit, by, "close")
    units = repo.units()
    where = standing(task, what, units) if what else task
    if where.state == "done":
        whose = f"{typed_form(what)} 的部分" if what else ""
        raise InputError(f"任务 {task.full_id} {whose}已于 {where.closed or '此前'} 关闭;如需重新打开请用 gktrack reopen")
    when, notes = _record_date(date, plan, repo, task)
    _check_permission(repo, by, plan, task, "close", part=what)
    links, link_notes = _links(evidence)
    text = note.strip() if note and note.strip() else None
    change = _edit_task(repo, ref, *_part_change("关闭", "close", task, what, acting, when), by=by,
                        edit=lambda current: close_edit(current, units, part, when, text, links))
    return change._replace(notes=tuple(notes + link_notes))


def reopen_task(repo: Repository, ref: str, *, note: str | None = None, date: str | None = None,
                unit: str | None = None, by: str | None = None) -> Change:
    """Reopen a unit's part (or the whole task). A reopening is recorded as what it is (this
    commit, its reason in the message), not as a progress entry; the part's close note and
    evidence leave it and stay in its history."""
    from gktrack.domain.parts import reopen_edit, standing

    plan, task = repo.find_task(ref)
    part, what, acting = _part_for(repo, plan, task, unit, by, "reopen")
    units = repo.units()
    if (standing(task, what, units) if what else task).state != "done" and not (what is None and any(
            p.state == "done" for p in task.parts)):
        whose = f"{typed_form(what)} 的部分" if what else ""
        raise InputError(f"任务 {task.full_id} {whose}尚未关闭,无需重新打开")
    when, _notes = _record_date(date, plan, repo, task)
    _check_permission(repo, by, plan, task, "reopen", part=what)
    reason = note.strip() if note and note.strip() else None
    return _edit_task(repo, ref, *_part_change("重新打开", "reopen", task, what, acting, when), by=by,
                      body=f"原因:{reason}" if reason else None,
                      edit=lambda current: reopen_edit(plan, current, units, part))


# --- undo and hand edits --------------------------------------------------------------------


def undo(repo: Repository, *, by: str | None = None) -> Change:
    """Undo the last change. One already pushed (or in a clone without a server) is reverted with
    a new commit, if it is a gktrack change and nothing came after it: history is the audit log.
    One not yet pushed is taken back (``_take_back``): it never reached the shared history.

    Only a change this clone made (git's reflog saw it committed or replayed here: not one
    pulled from someone). A revert must be a change the person may make: the rules of the
    original action (``hooks.check_change``, as for hand edits and on the server)."""
    repo.require_git()
    head = git.head(repo.root)
    if head is None:
        raise RepoError("仓库还没有任何提交,无可撤销")
    message = git.run(repo.root, "log", "-1", "--format=%B", head)
    trailers = git.read_trailers(message)
    action = trailers.get(git.TRAILER_ACTION)
    summary = message.strip().splitlines()[0]
    if git.pushed(repo.root, head) is False and git.made_here(repo.root, head):
        return _take_back(repo, head, summary, by)
    if action is None:
        raise InputError(f"最近一次提交 {head[:8]}“{summary}”不是 gktrack 的修改,不能撤销;请用 git revert")
    if action == "undo":
        raise InputError(f"最近一次提交 {head[:8]}“{summary}”本身是撤销,不能再撤销;"
                         "要恢复被撤销的修改,请重新执行原来的命令")
    if action == "init":
        raise InputError(f"最近一次提交 {head[:8]}“{summary}”是仓库的初始化,不能撤销")
    if not git.made_here(repo.root, head):
        author = git.run(repo.root, "log", "-1", "--format=%an", head).strip()
        raise InputError(f"最近一次提交 {head[:8]}“{summary}”({author})不是在本克隆中做的(是取回的别人的提交),"
                         "不能用 undo 撤销;如确需撤销,请由有权限的人用 git revert 并说明原因")
    repo.require_no_unfinished_sync()
    files = _files_of(repo.root, head)
    reverted = {rel: git.run_bytes(repo.root, "show", f"{head}^:{rel}") for rel in files}
    from gktrack.features.collab.hooks import FileChange, check_change
    changes = [FileChange(rel, "100644" if (repo.root / rel).exists() else None,
                          "100644" if reverted[rel] is not None else None,
                          read_bytes(repo.root / rel), reverted[rel]) for rel in files]
    check_change(repo.root, acting_emails(repo, by), changes, f"撤销 {head[:8]}", "撤销")
    # the task and units of the change it takes back: the audit log files the undo beside it
    new_trailers = git.trailers("undo", reverts=head, task=trailers.get(git.TRAILER_TASK),
                                units=git.trailer_units(trailers))
    with repo.change(files, f"撤销:{summary}", new_trailers, by=by) as tx:
        if git.head(repo.root) != head:
            raise InputError("撤销期间仓库有了新提交,已停止")
        for rel in files:
            if reverted[rel] is None:
                tx.remove(repo.root / rel)
            else:
                tx.write(repo.root / rel, reverted[rel])
    return Change(tx.commit, f"已撤销 {head[:8]}:{summary}", files=tx.rels)


def _files_of(root: Path, commit: str) -> list[str]:
    """The files ``commit`` changed."""
    return [f for f in git.run(root, "diff-tree", "--no-commit-id", "--name-only", "-r", "-z", commit).split("\0") if f]


def _take_back(repo: Repository, head: str, summary: str, by: str | None) -> Change:
    """Remove ``head``, which no server has, from this clone, its files as they were before it
    (git's own ``reset --keep``). It is how a clone whose commit the server refused gets going
    again: a revert on top would not help, as the server judges every commit it is sent. Only the
    commit's author or the office may (``permissions.check_take_back``); uncommitted edits of the
    files it changed stop it."""
    root = repo.root
    parents = git.run(root, "rev-list", "--parents", "-n", "1", head).split()[1:]
    if len(parents) != 1:
        kind = "仓库的第一个提交" if not parents else "合并提交"
        raise InputError(f"最近一次提交 {head[:8]}“{summary}”是{kind},不能撤回")
    repo.require_no_unfinished_sync()
    units = repo.units()
    if units.registry.people:
        from gktrack.domain.permissions import check_take_back

        email, _, name = git.run(root, "log", "-1", "--format=%ae%x00%an", head).strip().partition("\0")
        check_take_back(units, acting_emails(repo, by), email, name or email)
    files = _files_of(root, head)
    with repo.lock():
        if git.head(root) != head:
            raise InputError("撤回期间仓库有了新提交,已停止")
        dirty = git.dirty_paths(root, files)
        if dirty:
            raise DirtyError(f"{'、'.join(dirty)} 有未提交的修改,撤回会改动这些文件,未做任何改动;"
                             "请先用 gktrack commit-edits 提交或放弃这些修改")
        git.run(root, "reset", "-q", "--keep", parents[0])
    # git keeps the commit a while (its reflog): IT staff can bring it back if it was a mistake
    return Change(parents[0], f"已撤回尚未推送的提交 {head[:8]}:{summary}(已从本克隆删去,不会推送到服务器)",
                  files=files, notes=(f"如需找回这次提交,可运行 git reset --keep {head[:12]}",))


def commit_edits(repo: Repository, paths: list[str], message: str | None = None, *,
                 by: str | None = None) -> Change:
    """Check hand-edited plan files (and units.yaml) and commit them as their own change."""
    repo.require_no_unfinished_sync()
    rels = []
    for value in paths or []:
        path = Path(value)
        if not path.is_absolute():
            here = Path.cwd() / path
            # With --repo from outside the repository, a relative path is taken from its root.
            inside = here.resolve().is_relative_to(repo.root.resolve())
            path = here if inside else repo.root / path
        rels.append(repo.rel(path))
    rels = rels or git.dirty_paths(repo.root, [PLANS_DIR, REGISTRY_FILE])
    rels = [r for r in rels if r == REGISTRY_FILE or (r.startswith(f"{PLANS_DIR}/") and r.endswith(".yaml"))]
    dirty = git.dirty_paths(repo.root, rels) if rels else []
    if not dirty:
        raise InputError("没有需要提交的手工修改")
    for rel in dirty:
        if (repo.root / rel).exists():
            (read_registry if rel == REGISTRY_FILE else read_plan)(repo.root / rel, rel)
    from gktrack.features.collab.hooks import check_change, new_warnings, worktree_changes

    # The server's pre-receive rules, so a liaison learns now rather than when the push bounces.
    changes = worktree_changes(repo.root, dirty)
    check_change(repo.root, acting_emails(repo, by), changes, "提交这些手工修改")
    notes = tuple(new_warnings(repo.root, changes))
    summary = f"手工修改 {'、'.join(dirty)}" + (f":{message.strip()}" if message and message.strip() else "")
    commit = _commit_as_is(repo, dirty, summary, "edit", by)
    return Change(commit, f"已提交手工修改:{'、'.join(dirty)}", files=dirty, notes=notes)


def _commit_as_is(repo: Repository, files: list[str], summary: str, action: str, by: str | None) -> str:
    """Commit ``files`` as the work tree has them (what init wrote, a person's hand edits)."""
    author, committer = repo.identity(by)
    with repo.lock():
        repo.require_no_unfinished_sync()
        return git.commit(repo.root, files, git.format_message(summary, None, git.trailers(action)),
                          author=author, committer=committer)
