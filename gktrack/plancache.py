"""A cache of parsed plans under ``.git/gktrack/cache/``, keyed by the file's content hash.

Parsing YAML is the slow part of every read command; JSON of the same data loads ~50× faster.
The key is a hash of the file's bytes, so a changed or hand-edited file is never read stale
(mtime can lie; content cannot). Delete the folder at any time: it is rebuilt on the next read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from gktrack.model import Plan, Progress, Section, Task, UnitRef

if TYPE_CHECKING:
    from gktrack.repo import Repository

CACHE_VERSION = 2


def cache_dir(repo: "Repository") -> Path | None:
    git_dir = repo.root / ".git"
    if os.environ.get("GKTRACK_NO_CACHE") or not git_dir.is_dir():
        return None
    return git_dir / "gktrack" / "cache"


@contextlib.contextmanager
def _no_gc():
    """Loading builds many small containers and no cycles; the collector's passes over them
    cost about half the load time, so it waits until the load is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_plan_cached(repo: "Repository", plan_id: str) -> Plan:
    with _no_gc():
        return _load_plan_cached(repo, plan_id)


def _load_plan_cached(repo: "Repository", plan_id: str) -> Plan:
    path = repo.plan_path(plan_id)
    where = f"plans/{plan_id}.yaml"
    data = path.read_bytes()
    digest = hashlib.sha1(data).hexdigest()
    folder = cache_dir(repo)
    entry = folder / f"{plan_id}.json" if folder else None
    if entry is not None:
        try:
            cached = json.loads(entry.read_text(encoding="utf-8"))
            if cached.get("hash") == digest and cached.get("version") == CACHE_VERSION:
                return plan_from_json(cached["plan"], where)
        except (OSError, ValueError, KeyError, TypeError):
            pass
    # A miss: only now pay for the YAML machinery.
    from gktrack.planfile import plan_from_data
    from gktrack.yamlfile import decode, safe_load

    plan = plan_from_data(safe_load(decode(data, where), where), where, expected_id=plan_id)
    if entry is not None:
        _store(entry, {"version": CACHE_VERSION, "hash": digest, "plan": plan_to_json(plan)})
    return plan


def cached_plan(repo: "Repository", plan_id: str, data: bytes) -> Plan | None:
    """The cached parse of exactly these bytes of ``plans/<plan_id>.yaml``, or None (no YAML parsed)."""
    folder = cache_dir(repo)
    if folder is None:
        return None
    try:
        cached = json.loads((folder / f"{plan_id}.json").read_text(encoding="utf-8"))
        if cached.get("hash") == hashlib.sha1(data).hexdigest() and cached.get("version") == CACHE_VERSION:
            with _no_gc():
                return plan_from_json(cached["plan"], f"plans/{plan_id}.yaml")
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def remember_plan(repo: "Repository", plan_id: str, data: bytes, plan: Plan) -> None:
    """Cache ``plan`` as the parse of ``data`` (a writer that just parsed what it wrote), so the
    next command reads JSON instead of parsing the file again."""
    folder = cache_dir(repo)
    if folder is not None:
        _store(folder / f"{plan_id}.json",
               {"version": CACHE_VERSION, "hash": hashlib.sha1(data).hexdigest(), "plan": plan_to_json(plan)})


def _store(entry: Path, payload: dict) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        pass  # a read-only .git only costs speed


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def plan_to_json(plan: Plan) -> dict:
    return {
        "id": plan.id, "year": plan.year, "title": plan.title, "issuer": plan.issuer,
        "doc_number": plan.doc_number, "issued": _iso(plan.issued), "source": plan.source,
        "owner": plan.owner, "source_hash": plan.source_hash,
        "sections": [[s.key, s.title, s.number] for s in plan.sections],
        "tasks": [
            [t.id, t.text, t.number, t.section, [[u.name, u.role] for u in t.units], t.units_text,
             t.deadline, t.state, _iso(t.closed), t.note, t.evidence,
             [[p.date.isoformat(), p.note, p.unit, p.by] for p in t.progress], t.line]
            for t in plan.tasks
        ],
    }


def plan_from_json(data: dict, where: str) -> Plan:
    plan = Plan(
        id=data["id"], year=data["year"], title=data["title"], issuer=data["issuer"],
        doc_number=data["doc_number"], issued=_date(data["issued"]), source=data["source"],
        owner=data["owner"], source_hash=data.get("source_hash"), sections=[Section(k, t, n) for k, t, n in data["sections"]], path=where,
    )
    for (tid, text, number, section, units, units_text, deadline, state, closed, note, evidence,
         progress, line) in data["tasks"]:
        plan.tasks.append(Task(
            plan=plan.id, id=tid, text=text, number=number, section=section,
            units=[UnitRef(n, r) for n, r in units], units_text=units_text, deadline=deadline,
            state=state, closed=_date(closed), note=note, evidence=evidence,
            progress=[Progress(dt.date.fromisoformat(d), n, u, b) for d, n, u, b in progress],
            line=line,
        ))
    return plan


def load_registry_cached(repo: "Repository"):
    """units.yaml through the same content-hash cache (its data is plain JSON already)."""
    from gktrack.units import REGISTRY_FILE, registry_from_data

    path = repo.registry_path
    if not path.exists():
        from gktrack.units import read_registry

        return read_registry(path, REGISTRY_FILE)
    raw = path.read_bytes()
    digest = hashlib.sha1(raw).hexdigest()
    folder = cache_dir(repo)
    entry = folder / "units.json" if folder else None
    if entry is not None:
        try:
            cached = json.loads(entry.read_text(encoding="utf-8"))
            if cached.get("hash") == digest and cached.get("version") == CACHE_VERSION:
                return registry_from_data(cached["data"], REGISTRY_FILE)
        except (OSError, ValueError, KeyError, TypeError):
            pass
    from gktrack.yamlfile import decode, safe_load

    data = safe_load(decode(raw, REGISTRY_FILE), REGISTRY_FILE)
    registry = registry_from_data(data, REGISTRY_FILE)  # raises before anything is cached
    if entry is not None:
        _store(entry, {"version": CACHE_VERSION, "hash": digest, "data": data})
    return registry
