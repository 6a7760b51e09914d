"""The finished output of ``status`` and ``overdue``, kept for the next identical run.

An office asks the same questions many times a day ("what is late?") while the plans change a
few times a day. What these commands print is a pure function of the plan files, ``units.yaml``,
gktrack's own code (and the holiday calendar), the options, the day asked about, and how the
output is shown (width, colour). So the bytes printed last time are printed again when all of
those are the same: `.git/gktrack/cache/views/<key>`, where the key covers the options, the day,
width, colour and gktrack's code, and the file's first line lists the stat signature of every
input file (the plans folder listed afresh, so an added or removed plan is seen).

The signatures follow the read cache's rule (``gktrack.storage.plancache``): mtime, ctime, size and
inode, recorded only when every input is clearly (RACY_NS) older than the moment they were taken,
so an edit made afterwards always changes a signature; a hand edit, ``git pull`` or a change by
gktrack is never answered from here. An output with load warnings (a broken plan file) is not
kept. The newest KEEP outputs are kept; the folder can be deleted at any time, and
``GKTRACK_NO_CACHE=1`` turns this off with the rest of the cache.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gktrack.storage.plancache import RACY_NS, _sha1_hex, _signature, cache_dir, calendar_stamp

if TYPE_CHECKING:
    from gktrack.storage.repo import Repository

FORMAT = 1
VIEWS_DIR = "views"
KEEP = 16  # outputs kept (a few commands × options × the day); a city's overdue is ≈ 2 MB
KEEP_BYTES = 64 << 20  # and at most this much of them (a city's `status --json` is ≈ 7 MB)
MAX_CHARS = 32 << 20  # larger outputs are not kept


def _inputs(repo: "Repository") -> list[list] | None:
    """[rel, *signature] of every file the output is made from; None when one cannot be stat'ed."""
    found: list[list] = []
    try:
        with os.scandir(repo.plans_dir) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".yaml") and not e.name.startswith("."))
    except FileNotFoundError:
        names = []
    except OSError:
        return None
    try:
        for name in names:
            found.append([f"plans/{name}", *_signature(os.stat(repo.plans_dir / name))])
        found.append([repo.registry_path.name, *_signature(os.stat(repo.registry_path))])
    except OSError:
        return None
    return found


_code: str | None = None


def code_version() -> str:
    """gktrack's modules and data, and the holiday calendar, by stat: a new install or an edited
    module gives other keys."""
    global _code
    if _code is None:
        from gktrack import __version__

        package = Path(__file__).parent
        parts = [__version__]
        for folder in (package, package / "commands", package / "importer", package / "data"):
            try:
                with os.scandir(folder) as entries:
                    for entry in sorted(entries, key=lambda e: e.name):
                        if entry.is_file():
                            st = entry.stat()
                            parts.append(f"{folder.name}/{entry.name}:{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                pass
        parts.append(calendar_stamp())
        _code = _sha1_hex("\n".join(parts).encode("utf-8"))
    return _code


class _Tee:
    """stdout for the command: everything written goes through, and is kept."""

    def __init__(self, stream: Any):
        self.stream = stream
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        if self.size <= MAX_CHARS:
            self.parts.append(text)
            self.size += len(text)
        return self.stream.write(text)

    def __getattr__(self, name: str) -> Any:  # isatty, flush, encoding… as the real stream's
        return getattr(self.stream, name)


class View:
    """One command's output for these options.

        view = View(repo, "overdue", [day, unit, …])
        if not view.replay():
            with view.recording():
                …  # compute and print as usual; view.keep = False when warnings were printed
    """

    def __init__(self, repo: "Repository", command: str, options: list):
        self.keep = True
        self.folder: Path | None = None
        self.inputs: list[list] | None = None
        folder = cache_dir(repo)
        if folder is None:
            return
        self.started = time.time_ns()
        self.inputs = _inputs(repo)
        if self.inputs is None:
            return
        from gktrack.cli.render import terminal_width, use_colour
        from gktrack.cli.streams import plain_marks

        shown = [terminal_width(sys.stdout), use_colour(sys.stdout), plain_marks(sys.stdout)]
        key = json.dumps([FORMAT, code_version(), command, options, shown], ensure_ascii=False, default=str)
        self.folder = folder / VIEWS_DIR
        self.path = self.folder / _sha1_hex(key.encode("utf-8"))

    def replay(self) -> bool:
        """Print the kept output if its inputs are still the same files; True if it did."""
        if self.folder is None:
            return False
        try:
            with open(self.path, "rb") as handle:
                data = handle.read()
            end = data.index(b"\n")
            version, inputs, length, crc = json.loads(data[:end])
            body = memoryview(data)[end + 1:]
            if version != FORMAT or inputs != self.inputs or len(body) != length or zlib.crc32(body) != crc:
                return False
        except (OSError, ValueError, TypeError):
            return False  # none yet, another format, or torn: made afresh
        stream = sys.stdout
        if (getattr(stream, "encoding", "") or "").lower().replace("_", "-") in ("utf-8", "utf8") \
                and hasattr(stream, "buffer") and os.linesep == "\n":
            stream.flush()
            stream.buffer.write(body)
        else:
            stream.write(bytes(body).decode("utf-8"))
        return True

    def recording(self) -> "_Recording":
        return _Recording(self)

    def _store(self, text: str) -> None:
        # Kept only when every input is older than the racy window: an edit after this moment
        # then necessarily changes its signature.
        if any(entry[1] >= self.started - RACY_NS for entry in self.inputs):
            return
        body = text.encode("utf-8")
        head = json.dumps([FORMAT, self.inputs, len(body), zlib.crc32(body)], ensure_ascii=False)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                handle.write(head.encode("utf-8") + b"\n" + body)
            os.replace(temporary, self.path)  # a reader sees the old file or the new, never half
            self._prune()
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass

    def _prune(self) -> None:
        """The newest KEEP outputs, and no more than KEEP_BYTES in all (the newest always stays)."""
        with os.scandir(self.folder) as entries:
            found = sorted(((st.st_mtime_ns, st.st_size, e.path) for e in entries if e.is_file()
                            for st in (e.stat(),)), reverse=True)
        total = 0
        for rank, (_, size, path) in enumerate(found):
            total += size
            if rank >= KEEP or (rank and total > KEEP_BYTES):
                try:
                    os.unlink(path)
                except OSError:
                    pass


class _Recording:
    def __init__(self, view: View):
        self.view = view
        self.tee: _Tee | None = None

    def __enter__(self) -> View:
        if self.view.folder is not None:
            self.tee = _Tee(sys.stdout)
            sys.stdout = self.tee
        return self.view

    def __exit__(self, kind, value, trace) -> None:
        if self.tee is None:
            return
        sys.stdout = self.tee.stream
        if kind is None and self.view.keep and self.tee.size <= MAX_CHARS:
            self.view._store("".join(self.tee.parts))
