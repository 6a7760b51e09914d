"""``overdue``'s lines, plan by plan, kept from one run to the next: ``.git/gktrack/cache/rows/``.

After a change to one plan (a liaison's progress, pulled in), the next ``overdue`` would decode
and assess every open task of every plan again, though only one plan changed. What a plan adds
to that output is a pure function of its bytes, ``units.yaml`` (which names are one unit),
gktrack's code and the holiday calendar, the day asked about and the ``--within`` window. So one
file per (day, window, units.yaml's bytes, code) holds, for each plan, the SHA-1 of the bytes
its lines were made from, and the lines; a plan whose bytes hash otherwise now is made again,
the others are read back.

The hashes come from the read cache (``gktrack.plancache``): its entry's, when the file's stat
signature can be trusted (its racy rule), else the file is read and hashed. A hand edit, a
``git pull`` or a change by gktrack is therefore never answered from here. Plans with load
problems are not kept (they are reported on every run). The file is replaced whole, by a
rename; the newest KEEP files are kept. The folder can be deleted at any time, and
``GKTRACK_NO_CACHE=1`` turns it off with the rest of the cache.
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import sys
import zlib
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from gktrack import plancache
from gktrack.views import OverdueLine, overdue_lines, overdue_rows, rows_of

if TYPE_CHECKING:
    from gktrack.repo import LoadProblem, Repository

MAGIC = b"gktrack-rows 1 "  # then the length and CRC-32 of the marshal data that follows
ROWS_DIR = "rows"
KEEP = 4  # today's and yesterday's, a --within or two; a city's file is ≈ 2 MB
LEVELS = ("red", "yellow")


def overdue_view(repo: "Repository", *, as_of: dt.date, unit: str | None = None, plan: str | None = None,
                 within: int | None = None) -> "tuple[list[OverdueLine], list[LoadProblem]]":
    """``overdue``'s lines, most urgent first (``views.overdue_lines``), and the load problems.

    The whole repository's view is made from the kept lines of unchanged plans; a view of one
    unit or one plan decodes only what it needs anyway and is made afresh.
    """
    folder = plancache.cache_dir(repo)
    if unit is None and plan is None and folder is not None:
        kept = _Kept(repo, folder, as_of, within)
        if kept.path is not None:
            return kept.lines()
    rows, problems = overdue_rows(repo, as_of=as_of, unit=unit, plan=plan, within=within)
    return overdue_lines(repo, rows, unit), problems


class _Kept:
    def __init__(self, repo: "Repository", folder: Path, as_of: dt.date, within: int | None):
        from gktrack.viewcache import _code_version

        self.repo = repo
        self.as_of = as_of
        self.within = within
        self.cache = plancache._cache(repo)
        self.path: Path | None = None
        try:
            self.registry = self.cache.content_hash(plancache.REGISTRY_KEY, repo.registry_path)
        except OSError:
            return  # no units.yaml: made afresh, as the rest of gktrack sees it
        # marshal's format is Python's own: the version is part of the key
        key = json.dumps([MAGIC.decode(), sys.version, _code_version(), as_of.isoformat(), within, self.registry])
        self.path = folder / ROWS_DIR / f"overdue-{plancache._sha1_hex(key.encode('utf-8'))}"

    def _read(self) -> dict:
        try:
            with open(self.path, "rb") as handle:
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
        return {}

    def lines(self) -> "tuple[list[OverdueLine], list[LoadProblem]]":
        repo, cache = self.repo, self.cache
        kept = self._read()
        made: dict[str, list] = {}
        lines: list[OverdueLine] = []
        missing: list[str] = []
        make = OverdueLine._make
        for plan_id in repo.plan_ids():
            rel = plancache._plan_rel(plan_id)
            found = kept.get(rel)
            try:
                digest = cache.content_hash(rel, repo.plan_path(plan_id))
            except FileNotFoundError:
                continue  # removed since the folder was listed
            except OSError:
                digest = None  # unreadable: the load reports it
            if found is not None and found[0] == digest:
                lines.extend(map(make, found[1]))
                made[rel] = found
                continue
            missing.append(plan_id)
        problems: list = []
        if missing:
            plans, problems = plancache.load_plans_cached(repo, missing, state="open", every=False)
            rows = rows_of(repo, plans, state="open", as_of=self.as_of, within=self.within, levels=LEVELS)
            fresh = overdue_lines(repo, rows)
            lines.extend(fresh)
            by_plan: dict[str, list] = {plan.id: [] for plan in plans}
            for line in fresh:
                by_plan[line.plan_id].append(tuple(line))
            index = cache.index
            registry = index.get(plancache.REGISTRY_KEY)
            if registry is not None and registry[plancache._HASH] == self.registry:
                for plan_id, plan_lines in by_plan.items():
                    # the hash of the bytes these lines were made from (the file may have changed
                    # since it was hashed above)
                    entry = index.get(plancache._plan_rel(plan_id))
                    if entry is not None:
                        made[plancache._plan_rel(plan_id)] = (entry[plancache._HASH], tuple(plan_lines))
        cache.save()  # signatures seen again, plans parsed again
        if made != kept:
            self._write(made)
        lines.sort(key=_KEY)
        return lines, problems

    def _write(self, made: dict) -> None:
        folder = self.path.parent
        temporary = folder / f".{self.path.name}.{os.getpid()}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            body = marshal.dumps(made)
            with open(temporary, "wb") as handle:
                handle.write(MAGIC + b"%d %d\n" % (len(body), zlib.crc32(body)))
                handle.write(body)
            os.replace(temporary, self.path)  # a reader sees the old file or the new, never half
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return  # a read-only .git only costs speed
        _prune(folder)


def _prune(folder: Path) -> None:
    """The newest KEEP files (other days' and windows' lines go)."""
    try:
        with os.scandir(folder) as entries:
            found = sorted(((e.stat().st_mtime_ns, e.path) for e in entries if e.is_file()), reverse=True)
    except OSError:
        return
    for _, path in found[KEEP:]:
        try:
            os.unlink(path)
        except OSError:
            pass


_KEY = attrgetter("key")
