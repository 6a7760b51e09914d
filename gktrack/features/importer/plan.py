"""From a parsed document (gktrack.features.importer) to a plan file, its units, and one commit."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from gktrack.digest import sha256_hex
from gktrack.domain.dates import today
from gktrack.domain.model import Plan, Progress, Section, Task, UnitRef
from gktrack.domain.unitphrase import is_self_reference
from gktrack.domain.units import normalize_name
from gktrack.errors import InputError
from gktrack.features.importer.front import QUOTED
from gktrack.features.importer.parse import parse_document
from gktrack.features.importer.sources import read_document
from gktrack.features.limits import read_file
from gktrack.storage import git
from gktrack.storage.planfile import check_plan_id, new_plan_text
from gktrack.storage.registry import REGISTRY_FILE, add_units_to_file
from gktrack.storage.repo import Change, Repository, plan_rel

# A place named in a title or an issuer: 横栏镇, 新建区, 钦州市, 洋河镇… (and how deep it lies)
_PLACE = re.compile(r"([\u4e00-\u9fff]{2,6}?)(特别行政区|自治州|自治县|街道|省|市|区|县|镇|乡)")
_LEVEL = {"特别行政区": 0, "省": 0, "自治州": 1, "市": 1, "自治县": 2, "区": 2, "县": 2, "街道": 3, "镇": 3, "乡": 3}
# a county named with one character: "冠县", "沛县" (where a name starts, never "全县", "本县")
_ONE_CHAR_COUNTY = re.compile(r"^([\u4e00-\u9fff])县")
_GENERIC = ("人民政府", "政府", "办公室", "全区", "全市", "全县", "全镇", "本", "自治")
_NOT_A_NAME = "全本各该我此每两"
# words a title opens with before the place it is about: "全面推进新乡市…", "关于…"
_TITLE_VERB = re.compile(r"^(?:关于|印发|贯彻落实|贯彻|落实|全面推进|推进|深化|加强|做好)+")
# where a name cannot run on: the year, digits, punctuation
_NOT_NAME = re.compile(r"\d{4}\s*年度?|[^\u4e00-\u9fff]+")


@dataclass
class ImportPreview:
    plan: Plan
    new_units: list[str]
    known_units: list[str]
    warnings: list[tuple[int, str]]
    source_hash: str
    path: str
    section_counts: list[tuple[str, int]] = field(default_factory=list)
    no_tasks: str | None = None   # why the document gave no task (``ImportedPlan.no_tasks``)

    def to_json(self) -> dict:
        return {
            "id": self.plan.id, "year": self.plan.year, "title": self.plan.title,
            "issuer": self.plan.issuer, "doc_number": self.plan.doc_number,
            "issued": self.plan.issued.isoformat() if self.plan.issued else None,
            "owner": self.plan.owner, "tasks": len(self.plan.tasks), "sections": len(self.plan.sections),
            "by_section": [{"section": s, "tasks": n} for s, n in self.section_counts],
            "new_units": self.new_units, "known_units": self.known_units,
            "warnings": [{"line": line, "message": message} for line, message in self.warnings],
        }


def _innermost_place(text: str | None) -> tuple[str, int] | None:
    """The deepest place ``text`` names, and its level (省 0 … 镇 3); the later one of a level."""
    found: list[tuple[str, int]] = []
    text = text or ""
    while QUOTED.search(text):  # another document's title, inside out (《…〈…〉…》): not this plan's places
        text = QUOTED.sub("|", text)
    for piece in _NOT_NAME.sub("|", text).split("|"):
        piece = _TITLE_VERB.sub("", piece)
        one = _ONE_CHAR_COUNTY.match(piece)
        if one and one.group(1) not in _NOT_A_NAME:
            found.append((piece[:2], _LEVEL["县"]))
            continue
        for match in _PLACE.finditer(piece):
            name = _TITLE_VERB.sub("", match.group(1))
            if len(name) >= 2 and not any(g in name for g in _GENERIC):
                found.append((name, _LEVEL[match.group(2)]))
    return max(reversed(found), key=lambda item: item[1]) if found else None


def derive_plan_id(title: str | None, year: int | None, taken: set[str], issuer: str | None = None) -> str:
    """Pinyin initials of the plan's place, then the year: 横栏镇… 2022 → hl2022.

    The place is the issuer's ("新乡市人民政府办公室" → xx), unless the title names a deeper one
    (the 横栏镇 plan of "中山市横栏党政综合办公室"); without an issuer, the title's."""
    stem = "plan"
    own, named = _innermost_place(issuer), _innermost_place(title)
    place = named if named and (own is None or named[1] > own[1]) else own
    if place:
        from pypinyin import Style, lazy_pinyin

        if letters := "".join(ch for ch in lazy_pinyin(place[0], style=Style.FIRST_LETTER) if ch.isalpha()):
            stem = letters.lower()[:6]
    base = f"{stem}{year or ''}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def source_hash(data: bytes) -> str:
    return "sha256:" + sha256_hex(data)[:32]


def preview_import(repo: Repository, path: str | Path, *, plan_id: str | None = None,
                   year: int | None = None, title: str | None = None, owner: str | None = None) -> ImportPreview:
    path = Path(path)
    raw = read_file(path)  # once, within the limits: the hash and the reading are of the same bytes
    digest = source_hash(raw)
    plans, _problems = repo.load_plans()
    for existing in plans:
        if existing.source_hash == digest:
            raise InputError(f"“{path.name}”已导入为计划 {existing.id}(同一文件不会重复导入)")
    imported = parse_document(read_document(path, raw), year)
    final_title = (title or imported.title or "").strip()
    if not final_title:
        raise InputError(f"“{path.name}”中找不到计划标题,请用 --title 指定")
    final_year = year or imported.year
    if final_year is None:
        raise InputError(f"“{path.name}”中找不到计划年度,请用 --year 指定")
    taken = set(repo.plan_ids())
    if plan_id:
        check_plan_id(plan_id)
        if plan_id in taken:
            raise InputError(f"计划 {plan_id} 已存在;换一个 --id,或先删除 {plan_rel(plan_id)}")
    else:
        plan_id = derive_plan_id(final_title, final_year, taken, issuer=imported.issuer)
    units = repo.units()
    plan = Plan(id=plan_id, year=final_year, title=final_title, issuer=imported.issuer,
                doc_number=imported.doc_number, issued=imported.issued, source=imported.source,
                owner=(owner or "").strip() or imported.owner, source_hash=digest)
    plan.sections = [Section(key=s.key, title=s.title, number=s.number) for s in imported.sections]
    new_units: list[str] = []
    known_units: list[str] = []

    def canonical(name: str) -> str:
        found = units.canonical(name)
        if found is None:
            found = normalize_name(name)
            if found not in new_units:
                new_units.append(found)
        elif found not in known_units:
            known_units.append(found)
        return found

    warnings = [w for w in imported.warnings if not (title and imported.title_from_file and "标题取自文件名" in w[1]
                                                     or year and imported.year_from_file and "年度" in w[1]
                                                     and "取自文件名" in w[1])]
    if plan.owner:
        plan.owner = canonical(plan.owner)
    unresolved: dict[str, int] = {}
    progress_date = imported.issued or today()
    for number, item in enumerate(imported.tasks, start=1):
        names = []
        for unit in item.units:
            if is_self_reference(unit.name):  # "我局": the issuing body, never a unit of that name
                if not plan.owner:
                    unresolved.setdefault(unit.name, item.line)
                    continue
                unit = UnitRef(plan.owner, unit.role)
            names.append(UnitRef(canonical(unit.name), unit.role))
        refs = list(dict.fromkeys(names))
        progress = [Progress(date=progress_date, note=item.status)] if item.status else []
        task = Task(plan=plan_id, id=number, text=item.text, number=item.number, section=item.section,
                    units_text=item.units_text, deadline=list(item.deadline), progress=progress)
        task.set_units(refs)
        plan.tasks.append(task)
    for name, line in unresolved.items():
        warnings.append((line, f"文中用“{name}”指发文单位,但没有写明它的名称,这些任务暂未登记该单位:"
                               "请用 --owner 指定发文单位后重新导入"))
    by_key = plan.section_by_key()
    tops = ((task.section or "").split(".")[0] for task in plan.tasks)
    counts = Counter(by_key[top].heading if top in by_key else "(无章节)" for top in tops)
    return ImportPreview(plan, new_units, known_units, sorted(warnings, key=lambda w: w[0]), digest, str(path),
                         section_counts=list(counts.items()), no_tasks=imported.no_tasks)


def import_plan(repo: Repository, path: str | Path, *, plan_id: str | None = None, year: int | None = None,
                title: str | None = None, by: str | None = None,
                owner: str | None = None) -> tuple[Change, ImportPreview]:
    preview = preview_import(repo, path, plan_id=plan_id, year=year, title=title, owner=owner)
    plan = preview.plan
    if not plan.tasks:
        # an excerpt holding only the notice or the introduction: an empty plan under this id would
        # stand in the way of importing the whole document later
        reason = f":{preview.no_tasks}" if preview.no_tasks else ""
        raise InputError(f"“{Path(path).name}”中没有找到任何任务,未导入{reason}(用 --dry-run 查看详情;"
                         f"只想先建立计划可用 gktrack new-plan)")
    rel = plan_rel(plan.id)
    summary = f"导入计划 {plan.id}:{plan.title}({len(plan.tasks)} 项任务)"
    trailers = git.trailers("import", plan=plan.id)
    with repo.change([rel], summary, trailers, by=by,
                     body=f"来源文件:{Path(path).name}({preview.source_hash})") as tx:
        if preview.new_units:
            tx.add_path(REGISTRY_FILE)
            add_units_to_file(repo.registry_path, preview.new_units, write=tx.write)
        repo.plans_dir.mkdir(exist_ok=True)
        # Through the change: its journal notes the bytes, and a plan no reader accepts is refused.
        tx.write(repo.plan_path(plan.id), new_plan_text(plan).encode("utf-8"))
    return Change(tx.commit, summary, files=tx.rels), preview
