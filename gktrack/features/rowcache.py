"""What ``overdue`` made of each plan, kept from one run to the next: ``.git/gktrack/cache/rows/``.

Any change to a plan (a liaison's progress, pulled in; a hand edit), or a new day, makes the kept
output (``gktrack.features.viewcache``) useless, and ``overdue`` would decode and assess every open task of
every plan again, though at most a plan or two changed. Two kinds of file spare that work, each
holding, for every plan, the SHA-1 of the bytes its items were made from, and the items:

* ``lines-…``, per day and ``--within`` window: the plan's lines (``views.OverdueLine``). After a
  change only the changed plans are read and assessed again.
* ``candidates-…``: what ``overdue`` reads of the plan's open tasks whatever the day
  (``views.OverdueCandidate``: deadline phrases, progress dates, units, the printed text). The
  first run of a day (or window) assesses these instead of decoding every plan.

Both are pure functions of the plan's bytes, ``units.yaml`` (which names are one unit), gktrack's
code and the Python version (the files are marshal data), which are in each file's name with the
day and window of a lines file. The hashes come from the read cache (``gktrack.storage.plancache``): its
entry's, when the file's stat signature can be trusted (its racy rule), else the file is read and
hashed. A hand edit, a ``git pull`` or a change by gktrack is therefore never answered from here.
Plans with load problems are not kept (they are reported on every run). A file (with its length and
CRC-32) is replaced whole, by a rename; the newest KEEP of each kind are kept. The folder can be
deleted at any time, and ``GKTRACK_NO_CACHE=1`` turns it off with the rest of the cache.
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from gktrack.storage import plancache
from gktrack.features.views import (LINE_ORDER, OverdueLine, overdue_candidates, overdue_from_candidates, overdue_lines,
                           overdue_rows)

if TYPE_CHECKING:
    from gktrack.storage.repo import LoadProblem, Repository

MAGIC = b"gktrack-rows 2 "  # then the length and CRC-32 of the marshal data that follows
ROWS_DIR = "rows"
KEEP = {"lines": 4, "candidates": 2}  # days and windows; this units.yaml's and the one before


def overdue_view(repo: "Repository", *, as_of: dt.date, unit: str | None = None, plan: str | None = None,
                 within: int | None = None) -> "tuple[list[OverdueLine], list[LoadProblem]]":
    """``overdue``'s lines, most urgent first (``views.overdue_lines``), and the load problems.

    The whole repository's view is made from what was kept of unchanged plans; a view of one unit
    or one plan decodes only what it needs anyway and is made afresh.
    """
    folder = plancache.cache_dir(repo)
    if unit is None and plan is None and folder is not None:
        kept = _Kept(repo, folder)
        if kept.key is not None:
            return kept.lines(as_of, within)
    rows, problems = overdue_rows(repo, as_of=as_of, unit=unit, plan=plan, within=within)
    return overdue_lines(repo, rows, unit), problems


class _Kept:
    def __init__(self, repo: "Repository", folder: Path):
        from gktrack.features.viewcache import code_version

        self.repo = repo
        self.folder = folder / ROWS_DIR
        self.cache = plancache._cache(repo)
        self.key: list | None = None
        try:
            self.registry = self.cache.content_hash(plancache.REGISTRY_KEY, repo.registry_path)
        except OSError:
            return  # no units.yaml: made afresh, as the rest of gktrack sees it
        self.key = [MAGIC.decode(), sys.version, code_version(), self.registry]

    def _path(self, kind: str, *more) -> Path:
        key = json.dumps([*self.key, kind, *more])
        return self.folder / f"{kind}-{plancache._sha1_hex(key.encode('utf-8'))}"

    def lines(self, as_of: dt.date, within: int | None) -> "tuple[list[OverdueLine], list[LoadProblem]]":
        repo, cache = self.repo, self.cache
        lines_path = self._path("lines", as_of.isoformat(), within)
        kept = _read(lines_path)
        digests: dict[str, tuple[str, str | None]] = {}  # rel -> (plan id, digest) of the plans to make
        lines: list[OverdueLine] = []
        made: dict[str, tuple] = {}
        make = OverdueLine._make
        for plan_id in repo.plan_ids():
            rel = plancache._plan_rel(plan_id)
            try:
                digest = cache.content_hash(rel, repo.plan_path(plan_id))
            except FileNotFoundError:
                continue  # removed since the folder was listed
            except OSError:
                digest = None  # unreadable: the load reports it
            entry = kept.get(rel) if kept else None
            if entry is not None and entry[0] == digest:
                lines.extend(map(make, entry[1]))
                made[rel] = entry
            else:
                digests[rel] = (plan_id, digest)
        problems: list = []
        if digests:
            # the day's first run reads the candidates; later ones only the plans that changed
            candidates, problems = self._candidates(digests, use_kept=kept is None)
            fresh = overdue_from_candidates(repo, [c for _, items in candidates.values() for c in items],
                                            as_of, within)
            lines.extend(fresh)
            by_plan: dict[str, list] = {rel: [] for rel in candidates}
            for line in fresh:
                by_plan[plancache._plan_rel(line.plan_id)].append(tuple(line))
            for rel, (digest, _) in candidates.items():
                made[rel] = (digest, tuple(by_plan[rel]))
        lines.sort(key=LINE_ORDER)
        cache.save()  # signatures seen again, plans parsed again
        if made != kept:
            _write(lines_path, made)
        return lines, problems

    def _candidates(self, digests: dict[str, tuple[str, str | None]],
                    use_kept: bool) -> "tuple[dict, list[LoadProblem]]":
        """{rel: (digest, candidates)} of these plans, from the candidates file when ``use_kept``
        (then brought up to date) and from the plans otherwise; and the load problems."""
        path = self._path("candidates")
        kept = _read(path) if use_kept else None
        found: dict[str, tuple] = {}
        missing = []
        for rel, (plan_id, digest) in digests.items():
            entry = kept.get(rel) if kept else None
            if entry is not None and entry[0] == digest:
                found[rel] = entry
            else:
                missing.append(plan_id)
        problems: list = []
        if missing:
            plans, problems = plancache.load_plans_cached(self.repo, missing, state="open", every=False)
            by_plan: dict[str, list] = {plancache._plan_rel(plan.id): [] for plan in plans}
            for candidate in overdue_candidates(self.repo, plans):
                by_plan[plancache._plan_rel(candidate.plan_id)].append(tuple(candidate))
            index = self.cache.index
            registry = index.get(plancache.REGISTRY_KEY)
            keep = registry is not None and registry[plancache._HASH] == self.registry
            for rel, items in by_plan.items():
                # the hash of the bytes these were made from (the file may have changed since it
                # was hashed); none when units.yaml changed meanwhile: used now, never kept
                entry = index.get(rel)
                found[rel] = (entry[plancache._HASH] if keep and entry is not None else None, tuple(items))
        if use_kept:  # the day's first run: ``digests`` are all the plans
            made = {rel: entry for rel, entry in found.items() if entry[0] is not None}
            if made != kept:
                _write(path, made)
        return found, problems


def _read(path: Path) -> dict | None:
    """The file's {rel: (digest, items)}; None when there is none (or it is torn or damaged)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        end = data.index(b"\n", len(MAGIC))
        length, crc = map(int, data[len(MAGIC):end].split())
        body = memoryview(data)[end + 1:]
        if data.startswith(MAGIC) and len(body) == length and zlib.crc32(body) == crc:
            kept = marshal.loads(body)
            if kept.__class__ is dict:
                return kept
    except (OSError, ValueError, EOFError, TypeError):
        pass  # none yet, or torn or damaged: made again
    return None


def _write(path: Path, made: dict) -> None:
    made = {rel: entry for rel, entry in made.items() if entry[0] is not None}
    folder = path.parent
    temporary = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        body = marshal.dumps(made)
        with open(temporary, "wb") as handle:
            handle.write(MAGIC + b"%d %d\n" % (len(body), zlib.crc32(body)))
            handle.write(body)
        os.replace(temporary, path)  # a reader sees the old file or the new, never half
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return  # a read-only .git only costs speed
    _prune(folder, path.name.partition("-")[0])


def _prune(folder: Path, kind: str) -> None:
    """The newest KEEP files of this kind (other days', windows' and units.yaml's go)."""
    try:
        with os.scandir(folder) as entries:
            found = sorted(((e.stat().st_mtime_ns, e.path) for e in entries
                            if e.is_file() and e.name.startswith(kind + "-")), reverse=True)
    except OSError:
        return
    for _, path in found[KEEP.get(kind, 1):]:
        try:
            os.unlink(path)
        except OSError:
            pass

