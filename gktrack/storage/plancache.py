"""Parsed plans and the units registry, cached in one file: ``.git/gktrack/cache/plans.v3``.

Parsing YAML is the slow part of every read command; JSON of the same data loads ~50× faster,
and one file opens faster than two hundred. The file holds one entry per source file
(``plans/<id>.yaml``, ``units.yaml``), each keyed by

* the file's stat signature (st_mtime_ns, st_ctime_ns, st_size, st_ino), so a read command
  stats the files instead of reading them; and
* the SHA-1 of its bytes, checked whenever the signature differs or cannot be trusted.

The signature is trusted only when the file's mtime is clearly (RACY_NS) older than the moment
its entry was checked — git's rule for "racily clean" index entries: a file written in the same
clock tick as it was read may change again without its signature changing, so such a file is
hashed again until it is old enough. A changed or hand-edited file is therefore never read stale.

Layout: a magic line, one line of JSON index ``{rel: [mtime_ns, ctime_ns, size, ino, sha1,
checked_ns, offset, length, unit_names]}``, then the entries' JSON one after another (offsets into that
part), so ``show`` decodes one plan.

A save appends the entries it changed to a journal, ``plans.v3.log`` (records of a length line
with a CRC-32, the entry as JSON, and its data unless only the signature changed), read after
the file and applied in order; a whole new file, the journal merged into it, is written when the
journal grows past LOG_MAX or LOG_RECORDS records, or an entry is removed. A write command thus adds a few kB instead of
rewriting megabytes. Every entry, wherever it lies, states only "a file with this signature had
these bytes, checked at this time", so a lost or reordered record (two writers at once, a crash
mid-append: reading stops at a damaged record) costs speed, never correctness.
``unit_names`` are the names a plan's tasks give their units (and the plan's owner when a task
names none): ``status --unit`` and ``overdue --unit`` skip plans that cannot concern the unit
without decoding them.
Delete the folder at any time; it is rebuilt on the next read. ``GKTRACK_NO_CACHE=1`` turns
it off; a read-only ``.git`` only costs speed.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import time
import weakref
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gktrack.domain.model import Plan, Progress, Section, Task, UnitRef

if TYPE_CHECKING:
    from gktrack.storage.repo import LoadProblem, Repository

MAGIC = b"gktrack-cache 4\n"
CACHE_FILE = "plans.v3"
REGISTRY_KEY = "units.yaml"
# Coarse file systems stamp whole (or even two) seconds; a file modified less than this before
# its entry was checked is hashed again on the next read.
RACY_NS = 3_000_000_000
# The journal (plans.v3.log) next to the file: records appended by saves, merged into a new
# file once it holds more than this (or an eighth of the file).
LOG_VERSION = 4
LOG_MAX = 256 * 1024
# Every read replays the journal record by record: after a checkout or a copy that touched
# every plan (one signature record each), the next read merges it.
LOG_RECORDS = 64

_SIG, _HASH, _CHECKED, _OFFSET, _LENGTH, _NAMES = slice(0, 4), 4, 5, 6, 7, 8


_hashed = 0


def _sha1(data: bytes = b""):
    """SHA-1 by CPython's built-in module while little is hashed: importing hashlib loads
    OpenSSL (≈ 2 ms, a write command hashes two small files); past a megabyte (a fresh
    cache hashes every plan) OpenSSL's, several times faster per byte. Same digests."""
    global _hashed
    _hashed += len(data)
    if _hashed < 1 << 20:
        try:
            from _sha1 import sha1
        except ImportError:
            from hashlib import sha1
    else:
        from hashlib import sha1
    return sha1(data)


def _sha1_hex(data: bytes) -> str:
    return _sha1(data).hexdigest()


def cache_dir(repo: "Repository") -> Path | None:
    git_dir = repo.root / ".git"
    if os.environ.get("GKTRACK_NO_CACHE") or not git_dir.is_dir():
        return None
    return git_dir / "gktrack" / "cache"


def _well_formed(entry: Any, size: int) -> bool:
    if not isinstance(entry, list) or len(entry) != 9:
        return False
    # spelled out: every command checks every entry (≈ 200), and a generator per entry cost more
    mtime, ctime, length, ino, sha, checked, offset, blob_len, names = entry
    return (isinstance(sha, str) and isinstance(mtime, int) and isinstance(ctime, int)
            and isinstance(length, int) and isinstance(ino, int) and isinstance(checked, int)
            and isinstance(offset, int) and isinstance(blob_len, int)
            and (names is None or isinstance(names, list))
            and 0 <= offset and offset + blob_len <= size)


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]


def _trusted(entry: list | None, sig: list[int]) -> bool:
    """Whether the entry stands for the file of this signature without reading it: the same
    signature, and the file older than the entry's check by RACY_NS (git's racy-clean rule)."""
    return entry is not None and entry[_SIG] == sig and sig[0] < entry[_CHECKED] - RACY_NS


class CacheFile:
    """The cache of one repository, read once per Repository object; writes are whole-file renames."""

    def __init__(self, folder: Path | None):
        self.path = folder / CACHE_FILE if folder else None
        self.index: dict[str, list] = {}
        # The file stays open and each entry is read where it lies (pread): a command that needs
        # a few plans reads a few, and nothing is copied twice. A writer replaces the file by a
        # rename, so what this handle sees never changes under it.
        self.handle: Any = None
        self.base = 0
        self.fresh: dict[str, bytes] = {}  # entries (re)made in this process: their JSON
        self.logged: dict[str, bytes] = {}  # entries whose JSON lies in the journal
        self.log_size = 0
        self.log_records = 0
        # What save writes: rel -> whether the entry's JSON changed (else only its signature).
        self.changed: dict[str, bool] = {}
        self.full = False  # an entry was removed: only a whole new file says so
        self.dirty = False
        if self.path is not None:
            self._read()
            if self.handle is not None:
                self._read_log()

    def _read(self) -> None:
        try:
            handle = open(self.path, "rb", buffering=0)
        except OSError:
            return  # no cache yet
        try:
            fd = handle.fileno()
            size = os.fstat(fd).st_size
            head = os.pread(fd, 65536, 0)
            if not head.startswith(MAGIC):
                handle.close()
                return
            end = head.find(b"\n", len(MAGIC))
            while end < 0 and len(head) < size:
                # doubling: the index line is read with little more than its own length
                more = os.pread(fd, len(head), len(head))
                if not more:
                    break
                checked, head = len(head), head + more
                end = head.find(b"\n", checked)
            index = json.loads(head[len(MAGIC):end]) if end >= 0 else None
            if isinstance(index, dict):
                self.base = end + 1
                self.index = {rel: entry for rel, entry in index.items() if _well_formed(entry, size - self.base)}
                self.handle = handle
                return
        except (OSError, ValueError):
            pass  # another version's, or damaged: rebuilt as files are read
        handle.close()

    def _read_log(self) -> None:
        """Apply the journal's records in order; reading stops at the first one that is torn or
        damaged (a crash mid-append), and what follows it is only lost speed."""
        try:
            with open(self.log_path, "rb") as handle:
                data = handle.read()
        except OSError:
            return
        self.log_size = len(data)
        at, size, records = 0, len(data), 0
        while at < size:
            end = data.find(b"\n", at, at + 64)
            if end < 0:
                break
            try:
                version, head_len, blob_len, crc = map(int, data[at:end].split(b" "))
                if version != LOG_VERSION or head_len < 0:
                    break
                head_end = end + 1 + head_len
                stop = head_end + max(blob_len, 0)
                if stop > size or zlib.crc32(data[end + 1:stop]) != crc:
                    break
                rel, *entry = json.loads(data[end + 1:head_end])
            except ValueError:
                break
            at = stop
            records += 1
            if blob_len >= 0:
                self.logged[rel] = data[head_end:stop]
                self.index[rel] = [*entry[:_OFFSET], 0, blob_len, entry[-1]]
                continue
            # a signature record: the same bytes seen again (only for an entry of that hash)
            known = self.index.get(rel)
            if known is not None and known[_HASH] == entry[_HASH]:
                known[:_OFFSET] = entry[:_OFFSET]
        self.log_records = records
        if records > LOG_RECORDS:
            self.full = self.dirty = True  # merged by the next save

    def __del__(self) -> None:
        if self.handle is not None:
            self.handle.close()

    def _blob(self, entry: list) -> bytes:
        blob = os.pread(self.handle.fileno(), entry[_LENGTH], self.base + entry[_OFFSET])
        if len(blob) != entry[_LENGTH]:
            raise ValueError("short read")
        return blob

    def payload(self, rel: str) -> Any:
        blob = self.fresh.get(rel) or self.logged.get(rel)
        if blob is None:
            blob = self._blob(self.index[rel])
        return json.loads(blob)

    def lookup(self, rel: str, path: Path) -> tuple[Any, bytes | None, list[int]]:
        """(cached payload or None, the file's bytes when they had to be read, its signature).

        OSError (a missing file) goes to the caller.
        """
        checked = time.time_ns()
        sig = _signature(os.stat(path))
        entry = self.index.get(rel)
        if _trusted(entry, sig):
            try:
                return self.payload(rel), None, sig
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                pass
        with open(path, "rb") as handle:
            data = handle.read()
        if entry is None or entry[_HASH] != _sha1_hex(data):
            return None, data, sig
        try:
            payload = self.payload(rel)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None, data, sig
        self._seen_again(rel, entry, sig, checked)
        return payload, data, sig

    def _seen_again(self, rel: str, entry: list, sig: list[int], checked: int) -> None:
        """The entry's bytes, read again: record the new signature, and the check time once it
        makes the entry trusted."""
        if entry[_SIG] != sig or sig[0] < checked - RACY_NS:
            entry[_SIG] = sig
            entry[_CHECKED] = checked
            self.changed.setdefault(rel, False)
            self.dirty = True

    def content_hash(self, rel: str, path: Path) -> str:
        """The SHA-1 of the file's bytes as they are now: the entry's when its signature can be
        trusted (``lookup``'s rule), else read and hashed. OSError goes to the caller."""
        checked = time.time_ns()
        sig = _signature(os.stat(path))
        entry = self.index.get(rel)
        if _trusted(entry, sig):
            return entry[_HASH]
        with open(path, "rb") as handle:
            digest = _sha1_hex(handle.read())
        if entry is not None and entry[_HASH] == digest:
            self._seen_again(rel, entry, sig, checked)
        return digest

    def put(self, rel: str, sig: list[int] | None, data: bytes, payload: Any, checked: int,
            names: list[str] | None = None) -> None:
        blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.put_blob(rel, [*(sig or [0, 0, -1, 0]), _sha1_hex(data), checked, 0, len(blob), names], blob)

    def put_blob(self, rel: str, entry: list, blob: bytes) -> None:
        self.fresh[rel] = blob
        self.index[rel] = entry
        self.changed[rel] = True
        self.dirty = True

    def trusted_names(self, rel: str, path: Path) -> list[str] | None:
        """The entry's unit names when its signature can be trusted without reading the file
        (the same rule as ``lookup``); None otherwise."""
        entry = self.index.get(rel)
        if entry is None or entry[_NAMES] is None:
            return None
        try:
            sig = _signature(os.stat(path))
        except OSError:
            return None
        if _trusted(entry, sig):
            return entry[_NAMES]
        return None

    def prune_one(self, rel: str) -> None:
        if self.index.pop(rel, None) is not None:
            self.fresh.pop(rel, None)
            self.full = self.dirty = True

    def prune(self, keep: set[str]) -> None:
        for rel in [rel for rel in self.index if rel not in keep]:
            del self.index[rel]
            self.fresh.pop(rel, None)
            self.full = self.dirty = True

    @property
    def log_path(self) -> Path:
        return self.path.with_name(CACHE_FILE + ".log")

    def save(self) -> None:
        """Append the changed entries to the journal (a write changes one plan: a few kB, not
        the whole file twice); write a whole new file, merging the journal, when entries were
        removed, there is no good file to add to, or the journal has grown past LOG_MAX."""
        if not self.dirty or self.path is None:
            return
        if not self.full and self.handle is not None and self._append():
            self.dirty = False
            self.changed.clear()
            return
        self._rewrite()

    def _append(self) -> bool:
        records = []
        for rel, new_blob in self.changed.items():
            entry = self.index.get(rel)
            if entry is None:
                continue
            blob = self.fresh.get(rel) if new_blob else None
            if new_blob and blob is None:
                return False
            head = json.dumps([rel, *entry[:_OFFSET], entry[_NAMES]], ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
            body = head + (blob or b"")
            records.append(b"%d %d %d %d\n" % (LOG_VERSION, len(head), -1 if blob is None else len(blob),
                                                zlib.crc32(body)))
            records.append(body)
        data = b"".join(records)
        if self.log_size + len(data) > max(LOG_MAX, os.fstat(self.handle.fileno()).st_size // 8) \
                or self.log_records + len(records) // 2 > LOG_RECORDS:
            return False
        try:
            # O_APPEND: concurrent writers' records land one after the other, never inside each other
            fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError:
            return True  # a read-only .git only costs speed
        _remove_old_entries(self.path.parent)  # as a whole new file does (a folder of 2 names)
        self.log_size += len(data)
        self.log_records += len(records) // 2
        return True

    def _rewrite(self) -> None:
        parts, offset, index = [], 0, {}
        for rel, entry in self.index.items():
            blob = self.fresh.get(rel) or self.logged.get(rel)
            if blob is None:
                try:
                    blob = self._blob(entry)
                except (OSError, ValueError):
                    continue
            index[rel] = [*entry[:_OFFSET], offset, len(blob), entry[_NAMES]]
            parts.append(blob)
            offset += len(blob)
        head = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{CACHE_FILE}.{os.getpid()}.tmp")
            with open(tmp, "wb") as handle:
                handle.write(MAGIC + head + b"\n")
                handle.writelines(parts)
            os.replace(tmp, self.path)
        except OSError:
            return  # a read-only .git only costs speed
        try:
            # merged into the new file (a record appended meanwhile is lost: only speed)
            os.unlink(self.log_path)
        except OSError:
            pass
        self.dirty = self.full = False
        self.changed.clear()
        self.log_size = self.log_records = 0
        _remove_old_entries(self.path.parent)


def _remove_old_entries(folder: Path) -> None:
    """Caches before version 3 kept one ``<plan>.json`` per plan in the same folder."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".json"):
                    os.unlink(entry.path)
    except OSError:
        pass


_OPEN: "weakref.WeakKeyDictionary[Repository, CacheFile]" = weakref.WeakKeyDictionary()


def _cache(repo: "Repository") -> CacheFile:
    cache = _OPEN.get(repo)
    if cache is None:
        cache = _OPEN[repo] = CacheFile(cache_dir(repo))
    return cache


class _Paused:
    """Loading builds hundreds of thousands of small containers and no cycles. The collector
    waits until the load is done, and what was loaded is then frozen (``gc.freeze``) so later
    collections do not walk it again; without this the collector took half the load time."""

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc) -> None:
        if self.enabled:
            gc.freeze()
            gc.enable()


# --- plans --------------------------------------------------------------------------------------


def _plan_rel(plan_id: str) -> str:
    return f"plans/{plan_id}.yaml"


def _parse_plan(data: bytes, where: str, plan_id: str) -> Plan:
    # A miss: only now pay for the YAML machinery.
    from gktrack.storage.planfile import plan_from_data
    from gktrack.storage.yamlfile import decode, safe_load

    return plan_from_data(safe_load(decode(data, where), where), where, expected_id=plan_id)


def _load_plan(cache: CacheFile, repo: "Repository", plan_id: str, keep=None, state=None) -> Plan:
    rel = _plan_rel(plan_id)
    checked = time.time_ns()
    payload, data, sig = cache.lookup(rel, repo.plan_path(plan_id))
    if payload is not None:
        try:
            return plan_from_json(payload, rel, keep, state)
        except (ValueError, KeyError, TypeError):
            pass
    if data is None:
        data = repo.plan_path(plan_id).read_bytes()
    plan = _parse_plan(data, rel, plan_id)  # raises before anything is cached
    if cache.path is not None:
        cache.put(rel, sig, data, plan_to_json(plan), checked, unit_names(plan))
    return plan


def unit_names(plan: Plan) -> list[str]:
    """The unit names as the plan's tasks write them (the owner for a task naming none)."""
    names = {ref.name for task in plan.tasks for ref in task.units}
    if plan.owner and any(not task.units for task in plan.tasks):
        names.add(plan.owner)
    return sorted(names)


def load_plan_cached(repo: "Repository", plan_id: str) -> Plan:
    cache = _cache(repo)
    with _Paused():
        plan = _load_plan(cache, repo, plan_id)
    cache.save()
    return plan


def load_plans_cached(repo: "Repository", plan_ids: list[str], *, skip_broken: bool = True,
                      concerns=None, state: str | None = None,
                      every: bool = True) -> "tuple[list[Plan], list[LoadProblem]]":
    """All the plans named, the cache written once at the end; a broken file is reported
    (or raised, without ``skip_broken``) and the others still load. ``plan_ids`` are all the
    repository's plans (the cache forgets others) unless ``every`` is false.

    ``concerns(unit_names) -> bool`` may leave out plans whose (trusted) cache entry shows that
    none of their tasks names a unit it wants, and tasks of the others that it does not keep
    (see ``plan_from_json``): such plans are partial, for a unit's view only. So are plans
    loaded with ``state``: a cached plan then holds only the tasks in that state (a plan parsed
    from its file still holds them all).
    """
    from gktrack.errors import GktrackError
    from gktrack.storage.repo import LoadProblem

    cache = _cache(repo)
    plans, problems = [], []
    with _Paused():
        for plan_id in plan_ids:
            if concerns is not None:
                names = cache.trusted_names(_plan_rel(plan_id), repo.plan_path(plan_id))
                if names is not None and not concerns(names):
                    continue
            try:
                plans.append(_load_plan(cache, repo, plan_id, concerns, state))
            except GktrackError as exc:
                cache.prune_one(_plan_rel(plan_id))
                if not skip_broken:
                    raise
                problems.append(LoadProblem(exc.where or _plan_rel(plan_id), exc.message))
            except FileNotFoundError:
                pass  # removed since the folder was listed (a checkout running meanwhile)
    if every:
        cache.prune({REGISTRY_KEY, DEADLINES_KEY, *map(_plan_rel, plan_ids)})
    cache.save()
    return plans, problems


def cached_plan(repo: "Repository", plan_id: str, data: bytes) -> Plan | None:
    """The cached parse of exactly these bytes of ``plans/<plan_id>.yaml``, or None (no YAML parsed)."""
    cache = _cache(repo)
    rel = _plan_rel(plan_id)
    entry = cache.index.get(rel)
    if cache.path is None or entry is None or entry[_HASH] != _sha1_hex(data):
        return None
    try:
        with _Paused():
            return plan_from_json(cache.payload(rel), rel)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def remember_plan(repo: "Repository", plan_id: str, data: bytes, plan: Plan) -> None:
    """Cache ``plan`` as the parse of ``data`` (a writer that just parsed what it wrote), so the
    next command reads JSON instead of parsing the file again."""
    cache = _cache(repo)
    if cache.path is None:
        return
    checked = time.time_ns()
    try:
        sig = _signature(os.stat(repo.plan_path(plan_id)))
    except OSError:
        sig = None
    # The file was written a moment ago: its entry is racy, so the next read hashes it once.
    cache.put(_plan_rel(plan_id), sig, data, plan_to_json(plan), checked, unit_names(plan))
    cache.save()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


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


def plan_from_json(data: dict, where: str, keep=None, state: str | None = None) -> Plan:
    """The plan of a cache entry; with ``keep(unit_names) -> bool``, only the tasks whose units
    (or, naming none, the plan's owner) it keeps: a unit's view of a city's plans builds a few
    hundred Task objects, not ten thousand. With ``state``, only the tasks in that state."""
    date = dt.date.fromisoformat
    plan = Plan(
        data["id"], data["year"], data["title"], data["issuer"], data["doc_number"],
        date(data["issued"]) if data["issued"] else None, data["source"], data["owner"],
        data.get("source_hash"), [Section(k, t, n) for k, t, n in data["sections"]], [], where,
    )
    plan_id = plan.id
    # Shared UnitRef objects: they are frozen, and a city's tasks name a few hundred units.
    refs: dict[tuple, UnitRef] = {}
    tasks = plan.tasks
    owner = [plan.owner] if plan.owner else []
    only = state
    for (tid, text, number, section, units, units_text, deadline, state, closed, note, evidence,
         progress, line) in data["tasks"]:
        if only is not None and state != only:
            continue
        if keep is not None and not keep([name for name, _ in units] if units else owner):
            continue
        unit_refs = []
        for name, role in units:
            ref = refs.get((name, role))
            if ref is None:
                ref = refs[name, role] = UnitRef(name, role)
            unit_refs.append(ref)
        tasks.append(Task(
            plan_id, tid, text, number, section, unit_refs, units_text, deadline, state,
            date(closed) if closed else None, note, evidence,
            [Progress(date(d), n, u, b) for d, n, u, b in progress] if progress else [], line,
        ))
    return plan


# --- the units registry ------------------------------------------------------------------------


def load_registry_cached(repo: "Repository"):
    """units.yaml through the same cache (its data is plain JSON already)."""
    from gktrack.storage.registry import REGISTRY_FILE, read_registry, registry_from_data

    path = repo.registry_path
    cache = _cache(repo)
    checked = time.time_ns()
    try:
        payload, raw, sig = cache.lookup(REGISTRY_KEY, path)
    except FileNotFoundError:
        return read_registry(path, REGISTRY_FILE)
    if payload is not None:
        try:
            return registry_from_data(payload, REGISTRY_FILE)
        except (ValueError, KeyError, TypeError):
            pass
    from gktrack.storage.yamlfile import decode, safe_load

    if raw is None:
        raw = path.read_bytes()
    data = safe_load(decode(raw, REGISTRY_FILE), REGISTRY_FILE)
    registry = registry_from_data(data, REGISTRY_FILE)  # raises before anything is cached
    if cache.path is not None:
        cache.put(REGISTRY_KEY, sig, raw, data, checked)
        cache.save()
    return registry


# --- parsed deadlines ---------------------------------------------------------------------------
#
# Parsing a phrase first compiles the deadline grammar (≈ 10 ms) and then matches it; a city's
# plans repeat a few hundred phrases. The cache file's entry DEADLINES_KEY keeps what each
# (phrases, plan year) parsed to, keyed also by the parser: its hash slot holds the SHA-1 of
# gktrack/deadlines.py and the stat of the holiday calendar's data (working-day deadlines move
# with it). Parsing is a pure function of these, so an entry is never stale; a new gktrack or
# calendar replaces it.

DEADLINES_KEY = "deadlines"
_STORED_MAX = 20_000  # phrase combinations kept; beyond that the entry is not grown


def parser_version() -> str:
    from gktrack.domain import deadlines

    digest = _sha1(Path(deadlines.__file__).read_bytes())
    digest.update(f"|{calendar_stamp()}".encode())
    return digest.hexdigest()


def calendar_stamp() -> str:
    """The holiday calendar's data file by stat (working-day deadlines move with it)."""
    try:
        from importlib.util import find_spec

        spec = find_spec("chinese_calendar")
        if spec is not None and spec.origin:
            st = os.stat(Path(spec.origin).with_name("constants.py"))
            return f"calendar:{st.st_size}:{st.st_mtime_ns}"
    except (ImportError, OSError, ValueError):
        pass
    return "no-calendar"


def _deadline_to_json(d) -> list:
    return [d.phrase, d.kind, _iso(d.due), d.period, list(d.within_period) if d.within_period else None,
            d.workdays, d.days, _iso(d.anchor)]


def _deadline_from_json(item: list):
    from gktrack.domain.deadlines import Deadline

    phrase, kind, due, period, within_period, workdays, days, anchor = item
    date = dt.date.fromisoformat
    return Deadline(phrase, kind, date(due) if due else None, period,
                    tuple(within_period) if within_period else None, workdays, days,
                    date(anchor) if anchor else None)


class DeadlineStore:
    """The stored parses of one repository: ``load`` into a dict keyed (tuple(phrases), year),
    ``save`` what that dict holds once it grew."""

    def __init__(self, repo: "Repository"):
        self.cache = _cache(repo)
        self.version = ""
        self.stored: set | None = None  # the keys the entry holds

    def load(self, into: dict) -> None:
        cache = self.cache
        if cache.path is None:
            return
        self.version = parser_version()
        self.stored = set()
        entry = cache.index.get(DEADLINES_KEY)
        if entry is not None and entry[_HASH] == self.version:
            try:
                for phrases, year, items in cache.payload(DEADLINES_KEY):
                    key = (tuple(phrases), year)
                    if key not in into:
                        into[key] = tuple(_deadline_from_json(item) for item in items)
                    self.stored.add(key)
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                self.stored = set()  # damaged: parsed again and rewritten

    def save(self, parsed: dict) -> None:
        cache = self.cache
        if cache.path is None or self.stored is None or len(parsed) > _STORED_MAX \
                or not parsed.keys() - self.stored:
            return
        entries = [[list(phrases), year, [_deadline_to_json(d) for d in items]]
                   for (phrases, year), items in parsed.items()]
        blob = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        cache.put_blob(DEADLINES_KEY, [0, 0, -1, 0, self.version, 0, 0, len(blob), None], blob)
        cache.save()
        self.stored = set(parsed)
