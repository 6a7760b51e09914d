"""The one cache: parsed files, in one SQLite file, ``.git/gktrack/index.sqlite``.

Every answer is computed from the plans each time; the index only saves parsing bytes parsed
before. ``parsed`` holds what a file's bytes parse to, keyed by their git blob id, so an entry is
never stale (the report reads plan versions from history by the same key). ``files`` holds which
blob each work-tree file held when last looked at, with its stat signature; the signature stands
for the bytes only when the file's mtime is clearly (RACY_NS) older than that look, git's rule
for "racily clean" entries, so a hand edit, a pull or a checkout is never read stale. ``memo``
holds other facts derived from blob or commit ids alone (the report's task-by-task diffs).

Delete the file at any time; the next read rebuilds what it needs. ``GKTRACK_NO_CACHE=1`` turns
it off; a read-only ``.git``, a damaged file or a locked database only cost speed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import marshal
import os
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from gktrack.digest import sha1_hex
from gktrack.domain.model import RECORDS, fields_of
from gktrack.environment import no_cache
from gktrack.errors import GktrackError

FORMAT = 1
RACY_NS = 3_000_000_000
FILE_NAME = "index.sqlite"
_SAVE_EVERY = 64  # parsed files written to the index at a time


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (``git hash-object``)."""
    return sha1_hex(b"blob %d\0" % len(data) + data)


def _schema_stamp() -> str:
    """The cache format and the shape of every record: a new field is a new index."""
    shape = repr([(name, [(f, s.kind, s.record) for f, s in fields_of(cls)]) for name, cls in sorted(RECORDS.items())])
    return f"{FORMAT}:{sha1_hex(shape.encode())[:16]}"


# --- records as plain tuples (marshal) ----------------------------------------------------------


def encode(record: Any, texts: dict[str, str] | None = None) -> tuple:
    """A record as a tuple of its fields (dates as day numbers). Equal texts become one object
    (``texts``), which marshal writes once: a plan repeats its id, unit names, states and
    deadline phrases on every task, so the stored record is smaller and reads faster."""
    if texts is None:
        texts = {}
    out = []
    for name, spec in _all_fields(type(record)):
        value = getattr(record, name)
        if value is None:
            pass
        elif spec.kind == "date":
            value = value.toordinal()
        elif spec.kind == "records":
            value = [encode(item, texts) for item in value]
        elif value.__class__ is str:
            value = texts.setdefault(value, value)
        elif value.__class__ is list:
            value = [texts.setdefault(item, item) if item.__class__ is str else item for item in value]
        out.append(value)
    return tuple(out)


def decode(cls: type, values: tuple) -> Any:
    """The record ``encode`` made ``values`` of."""
    found = _DECODERS.get(cls)
    if found is None:
        found = _DECODERS[cls] = _decoder(cls)
    return found(values)


_DECODERS: dict[type, Callable[[tuple], Any]] = {}


def _decoder(cls: type) -> Callable[[tuple], Any]:
    """A function building ``cls`` from its tuple in one call, written for the class (as
    dataclasses writes ``__init__``): a city's status decodes tens of thousands of records, and
    a generic loop over each record's fields took three times as long."""
    names: dict[str, Any] = {"C": cls, "D": dt.date.fromordinal}
    parts = []
    for i, (_name, spec) in enumerate(_all_fields(cls)):
        if spec.kind == "date":
            parts.append(f"None if v[{i}] is None else D(v[{i}])")
        elif spec.kind == "records":
            item = RECORDS[spec.record]
            names[f"R{i}"] = _DECODERS.setdefault(item, _decoder(item))
            parts.append(f"[R{i}(x) for x in v[{i}]] if v[{i}] else []")
        else:
            parts.append(f"v[{i}]")
    exec(f"def decode(v):\n    return C({', '.join(f'({part})' for part in parts)})\n", names)
    return names["decode"]


def _all_fields(cls: type) -> tuple:
    return tuple((f.name, f.metadata["spec"]) for f in dataclasses.fields(cls))


# --- the database ---------------------------------------------------------------------------------


class Index:
    """One repository's index. Every method works (more slowly) without a usable database."""

    def __init__(self, git_dir: Path | None):
        self.path = None
        if git_dir is not None and not no_cache():
            self.path = Path(git_dir) / "gktrack" / FILE_NAME
        self._db: Any = None
        self._broken = self.path is None

    def _connect(self) -> Any:
        if self._db is not None or self._broken:
            return self._db
        import sqlite3

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
            db.execute("PRAGMA synchronous=OFF")  # a cache: a torn write is found and rebuilt
            # The rollback journal stays between writes, emptied (PERSIST), instead of being
            # made and deleted for every transaction: a fresh clone's first report writes hundreds
            # of transactions (benchmarks/RESULTS.md); its size is capped once a large write is done.
            db.execute("PRAGMA journal_mode=PERSIST")
            db.execute("PRAGMA journal_size_limit=1048576")
            stamp = _schema_stamp()
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            found = db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if found is None or found[0] != stamp:
                db.executescript(
                    "DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS parsed; DROP TABLE IF EXISTS memo;"
                    "CREATE TABLE files (path TEXT PRIMARY KEY, sig TEXT, checked INTEGER, blob TEXT);"
                    "CREATE TABLE parsed (blob TEXT, kind TEXT, names TEXT, data BLOB, PRIMARY KEY (blob, kind));"
                    "CREATE TABLE memo (kind TEXT, key TEXT, data BLOB, PRIMARY KEY (kind, key));")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (stamp,))
            self._db = db
        except (sqlite3.Error, OSError):
            self._give_up()
        return self._db

    def _give_up(self) -> None:
        """A damaged or unwritable database: do without, and remove a damaged one for next time."""
        import sqlite3

        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._broken = True
        if self.path is not None:
            with contextlib.suppress(OSError):
                with open(self.path, "rb") as handle:
                    damaged = handle.read(16) != b"SQLite format 3\x00"
                if damaged:
                    self.path.unlink()

    def _run(self, work: Callable[[Any], Any], default: Any = None) -> Any:
        import sqlite3

        db = self._connect()
        if db is None:
            return default
        try:
            return work(db)
        except sqlite3.Error:
            self._give_up()
            return default

    # --- work-tree files ---

    def read_files(self, files: Iterable[tuple[str, Path]], kind: str, parse: Callable[[str, bytes], Any], *,
                   names_of: Callable[[Any], list[str]] | None = None,
                   keep: Callable[[list[str]], bool] | None = None) -> list[tuple[str, Any]]:
        """``(rel, record or the GktrackError that parsing raised)`` for each file, in order;
        ``parse(rel, data)`` reads a file the index has not seen. With ``keep``, a file whose
        names (``names_of(record)``, kept beside the record) fail it is left out unread."""
        files = list(files)
        now = time.time_ns()
        known = self._run(lambda db: {row[0]: row[1:] for row in db.execute("SELECT path, sig, checked, blob FROM files")},
                          {})
        blobs: dict[str, str] = {}
        data_of: dict[str, bytes] = {}
        seen: list[tuple[str, str, str]] = []
        for rel, path in files:
            try:
                st = os.stat(path)
                sig = f"{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_size}:{st.st_ino}"
                row = known.get(rel)
                if row is not None and row[0] == sig and st.st_mtime_ns < row[1] - RACY_NS:
                    blobs[rel] = row[2]
                    continue
                data_of[rel] = Path(path).read_bytes()
            except OSError:
                continue
            blobs[rel] = blob_id(data_of[rel])
            seen.append((rel, sig, blobs[rel]))
        stored = self._run(lambda db: _select_parsed(db, sorted(set(blobs.values())), kind), {})
        out: list[tuple[str, Any]] = []
        fresh: list[tuple] = []
        with collector_paused():
            for rel, path in files:
                # Each file's bytes and stored record are let go once used: a city's plans are
                # not held twice over (a copy of a file with the same bytes is parsed again).
                blob = blobs.get(rel)
                found = stored.pop(blob, None) if blob else None
                if found is not None:
                    names, data = found
                    if keep is None or names is None or keep(names):
                        out.append((rel, _from_row(kind, data)))
                    continue
                if blob is None:
                    continue
                try:
                    raw = data_of.pop(rel, None) or Path(path).read_bytes()
                    record = parse(rel, raw)
                except OSError:
                    continue
                except GktrackError as exc:
                    out.append((rel, exc))
                    continue
                names = names_of(record) if names_of else None
                fresh.append(_parsed_row(blob, kind, record, names))
                if keep is None or names is None or keep(names):
                    out.append((rel, record))
                if len(fresh) >= _SAVE_EVERY:  # a fresh clone's plans are not all held twice
                    self._save_parsed(fresh)
                    fresh = []
        self._save_parsed(fresh)
        self._write("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                    [(rel, sig, now, blob) for rel, sig, blob in seen])
        return out

    def _save_parsed(self, rows: list[tuple]) -> None:
        self._write("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)", rows)

    def _write(self, sql: str, rows: list[tuple]) -> None:
        """``sql`` for each of ``rows``, in one transaction (nothing when there are none)."""
        if rows:
            def save(db: Any) -> None:
                with db:
                    db.executemany(sql, rows)
            self._run(save)

    # --- content-addressed facts (history) ---

    def parsed_blob(self, blob: str, kind: str, parse: Callable[[], Any]) -> Any:
        """The record a git blob parses to (``parse()`` when the index has not seen it)."""
        found = self._run(lambda db: _select_parsed(db, [blob], kind), {}).get(blob)
        if found is not None:
            return _from_row(kind, found[1])
        record = parse()
        self._save_parsed([_parsed_row(blob, kind, record)])
        return record

    def learn(self, data: bytes, kind: str, record: Any, names: list[str] | None = None) -> None:
        """What ``data`` parses to, from a writer that has just parsed the bytes it writes (a
        plan edit checks its result by reading it back): the next read need not parse them."""
        self._save_parsed([_parsed_row(blob_id(data), kind, record, names)])

    def memo(self, kind: str, keys: list[str]) -> dict[str, Any]:
        """Stored facts of ``kind`` for ``keys`` (marshal data)."""
        def select(db: Any) -> dict[str, Any]:
            rows = _select(db, "SELECT key, data FROM memo WHERE kind=? AND key IN", kind, keys)
            return {key: marshal.loads(data) for key, data in rows}
        return self._run(select, {})

    def remember(self, kind: str, facts: dict[str, Any]) -> None:
        self._write("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)",
                    [(kind, key, marshal.dumps(value)) for key, value in facts.items()])


class collector_paused:
    """Building tens of thousands of records (all acyclic: plans, a report's history) would run
    the cyclic garbage collector dozens of times over everything already built, freeing nothing;
    it is paused meanwhile. What is still alive afterwards is left out of later passes
    (``gc.freeze``; it is still freed as usual)."""

    def __enter__(self) -> None:
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: Any) -> None:
        if self.was:
            gc.freeze()
            gc.enable()


def _parsed_row(blob: str, kind: str, record: Any, names: list[str] | None = None) -> tuple:
    """A row of ``parsed``: the record, with the names ``read_files`` may filter by."""
    return blob, kind, None if names is None else "\n".join(names), marshal.dumps(encode(record))


def _from_row(kind: str, data: bytes) -> Any:
    return decode(RECORDS[kind], marshal.loads(data))


def _select(db: Any, sql: str, kind: str, keys: list[str]) -> Iterable[tuple]:
    """The rows of ``sql`` (ending in ``IN``) for ``kind`` and ``keys``, 500 keys a query."""
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        yield from db.execute(f"{sql} ({','.join('?' * len(chunk))})", (kind, *chunk))


def _select_parsed(db: Any, blobs: list[str], kind: str) -> dict[str, tuple]:
    rows = _select(db, "SELECT blob, names, data FROM parsed WHERE kind=? AND blob IN", kind, blobs)
    return {blob: (None if names is None else names.split("\n") if names else [], data) for blob, names, data in rows}
