"""From a parsed document (gktrack.features.importer) to a plan file, its units, and one commit."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from gktrack.digest import sha256_hex
from gktrack.domain.model import Plan, Progress, Section, Task, UnitRef
from gktrack.domain.unitphrase import is_self_reference
from gktrack.domain.units import normalize_name
from gktrack.errors import InputError
from gktrack.features.importer.parse import parse_document
from gktrack.features.importer.sources import read_document
from gktrack.features.limits import read_file
from gktrack.storage import git
from gktrack.storage.planfile import check_plan_id, new_plan_text
from gktrack.storage.registry import REGISTRY_FILE, add_units_to_file
from gktrack.storage.repo import Change, Repository, plan_rel

# The innermost place named in a title: 横栏镇, 新建区, 钦州市, 洋河镇…
_PLACE = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:特别行政区|自治州|自治县|街道|省|市|区|县|镇|乡)")
_GENERIC = ("人民政府", "政府", "办公室", "全区", "全市", "全县", "全镇", "本")


@dataclass
class ImportPreview:
    plan: Plan
    new_units: list[str]
    known_units: list[str]
    warnings: list[tuple[int, str]]
    source_hash: str
    path: str
    section_counts: list[tuple[str, int]] = field(default_factory=list)

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


def derive_plan_id(title: str | None, year: int | None, taken: set[str]) -> str:
    """Pinyin initials of the innermost place in the title, then the year: 横栏镇… 2022 → hl2022."""
    stem = "plan"
    places = [m.group(1) for m in _PLACE.finditer(title or "")]
    places = [p for p in places if not any(g in p for g in _GENERIC)]
    if places:
        from pypinyin import Style, lazy_pinyin

        place = re.sub(r"[\d年]", "", places[-1])
        letters = "".join(ch for ch in lazy_pinyin(place, style=Style.FIRST_LETTER) if ch.isalpha())
        if letters:
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
    imported = parse_document(read_document(path, raw))
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
        plan_id = derive_plan_id(final_title, final_year, taken)
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

    warnings = [w for w in imported.warnings if not (title and imported.title_from_file and "标题取自文件名" in w[1])]
    if plan.owner:
        plan.owner = canonical(plan.owner)
    unresolved: dict[str, int] = {}
    progress_date = imported.issued or dt.date.today()
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
    counts: dict[str, int] = {}
    by_key = plan.section_by_key()
    for task in plan.tasks:
        top = (task.section or "").split(".")[0]
        label = by_key[top].heading if top in by_key else "(无章节)"
        counts[label] = counts.get(label, 0) + 1
    return ImportPreview(plan, new_units, known_units, sorted(warnings, key=lambda w: w[0]), digest, str(path),
                         section_counts=list(counts.items()))


def import_plan(repo: Repository, path: str | Path, *, plan_id: str | None = None, year: int | None = None,
                title: str | None = None, by: str | None = None,
                owner: str | None = None) -> tuple[Change, ImportPreview]:
    preview = preview_import(repo, path, plan_id=plan_id, year=year, title=title, owner=owner)
    plan = preview.plan
    rel = plan_rel(plan.id)
    summary = f"导入计划 {plan.id}:{plan.title}({len(plan.tasks)} 项任务)"
    trailers = {git.TRAILER_ACTION: "import", git.TRAILER_PLAN: plan.id}
    with repo.change([rel], summary, trailers, by=by,
                     body=f"来源文件:{Path(path).name}({preview.source_hash})") as tx:
        if preview.new_units:
            tx.add_path(REGISTRY_FILE)
            add_units_to_file(repo.registry_path, preview.new_units, write=tx.write)
        repo.plans_dir.mkdir(exist_ok=True)
        # Through the change: its journal notes the bytes, and a plan no reader accepts is refused.
        tx.write(repo.plan_path(plan.id), new_plan_text(plan).encode("utf-8"))
    return Change(tx.commit, summary, files=tx.rels), preview
