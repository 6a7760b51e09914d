"""The limits a file handed to gktrack from outside (a plan document for ``import``, a form for
``import-progress``) must keep: one Chinese line naming the file refuses it, before a library
opens it, when it would exhaust memory or time. A real plan is under 200 pages and 5 MB; every
limit is several times what one needs.

* Only a regular file of at most ``MAX_FILE`` bytes is read: a video renamed .txt, or a FIFO
  that never ends, is not a plan.
* An .xlsx or .docx is a zip of XML parts: a few kilobytes can unpack to gigabytes, an XML part
  can declare entities that expand a billion times, and openpyxl makes one object per cell of a
  merged range. ``check_package`` checks the package as it is stored: unpacked sizes, element
  counts, no DTD, merged ranges. The readers bound the rows and columns they read.
* ``check_text`` bounds the text a document yields (the parser's time grows with it), and
  ``MAX_TASK_TEXT`` one task's (the parser reads a task's end again with each paragraph added).
* pdfplumber's page layout and LibreOffice run in a child process (``run_child``) with a time
  limit, and on POSIX a memory limit; the child and all it started are killed when time is up.
* ``unreadable`` turns whatever a library raises on a malformed file into the one line.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import resource
import signal
import stat
import subprocess
import warnings
import zipfile
from pathlib import Path

from gktrack.errors import GktrackError, InputError

MAX_FILE = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_PART = 64 * 1024 * 1024   # one part: a 200-page plan's document.xml has a few megabytes
MAX_PARTS = 5000
MAX_ELEMENTS = 3_000_000     # tags in one XML part: a parsed element takes about 130 bytes
MAX_MERGED_CELLS = 1_000_000
MAX_TEXT = 2_000_000          # characters a document yields; a 200-page plan has about 300,000
MAX_LINES = 100_000           # paragraphs and table cells a document yields
MAX_TASK_TEXT = 5000          # characters of one task's text; the longest in the corpus has 519
MAX_PDF_PAGES = 300
# A table is read at most this large: a sheet with a cell at XFD1048576 is not a plan.
TABLE_ROWS, TABLE_COLUMNS, TABLE_CELLS = 5000, 64, 200_000  # Word's tables have at most 63 columns
CHILD_SECONDS = 120           # room for the slowest child job on a slow PC (benchmarks/RESULTS.md)
CHILD_MEMORY = 2 * 1024 * 1024 * 1024
# The returned forms: one unit's rows of every plan.
FORM_ROWS = 20_000
FORM_COLUMNS = 64

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell[^>]*\bref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
# A DTD in any of the encodings an XML parser accepts without a declaration.
_DTD = tuple(word.encode(codec) for word in ("<!DOCTYPE", "<!ENTITY") for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f}" if size < 10 * 1048576 else f"{size // 1048576}"


def read_file(path: Path) -> bytes:
    """The bytes of the file at ``path``; InputError when it is missing, not a regular file, or
    larger than ``MAX_FILE``."""
    path = Path(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"“{path}”是文件夹,不是文件")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"“{path}”不是普通文件,未读取")
        if info.st_size > MAX_FILE:
            raise InputError(f"“{path.name}”有 {_mb(info.st_size)} MB,超过上限 {MAX_FILE // 1048576} MB,"
                             "不像是一份计划或填报表,未读取")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE + 1)  # the file may grow after the stat
    except FileNotFoundError:
        raise InputError(f"找不到文件“{path}”") from None
    except OSError as exc:
        raise InputError(f"无法读取文件“{path}”:{exc.strerror or exc}") from None
    if len(data) > MAX_FILE:
        raise InputError(f"“{path.name}”超过上限 {MAX_FILE // 1048576} MB,未读取")
    return data


def _column(letters: bytes) -> int:
    number = 0
    for char in letters.decode("ascii"):
        number = number * 26 + ord(char) - 64
    return number


def check_package(data: bytes, name: str) -> None:
    """Raise InputError when the Office file ``name`` (its bytes) is too big or too strange to
    open safely."""
    kind = Path(name).suffix or "办公"
    if len(data) > MAX_FILE:
        raise InputError(f"“{name}”有 {_mb(len(data))} MB,超过上限 {MAX_FILE // 1048576} MB,未读取")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS:
                raise InputError(f"“{name}”中的部件过多({len(parts)} 个),不像正常的办公文件,未读取")
            total = sum(part.file_size for part in parts)
            largest = max(parts, key=lambda part: part.file_size, default=None)
            if total > MAX_UNPACKED:
                raise InputError(f"“{name}”解压后有 {_mb(total)} MB,超过上限 "
                                 f"{MAX_UNPACKED // 1048576} MB(可能是压缩炸弹),未读取")
            if largest is not None and largest.file_size > MAX_PART:
                raise InputError(f"“{name}”中的 {largest.filename} 解压后有 {_mb(largest.file_size)} MB,超过上限 "
                                 f"{MAX_PART // 1048576} MB(可能是压缩炸弹),未读取")
            for part in parts:
                # every part: [Content_Types].xml may declare any name an XML part. zipfile stops
                # at the declared size (a lie is a CRC error), so each read is bounded.
                content = package.read(part)
                if any(dtd in content for dtd in _DTD):
                    raise InputError(f"“{name}”的 {part.filename} 含有 DTD 或实体声明(正常的办公文件没有),未读取")
                if content.count(b"<") > MAX_ELEMENTS:  # 60 MB of "<w:p/>" would be 1.3 GB parsed
                    raise InputError(f"“{name}”的 {part.filename} 中的元素超过 {MAX_ELEMENTS} 个,不像是一份计划,未读取")
                if b"mergeCell" in content:
                    _check_merged(name, content)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError,
            RuntimeError, OSError) as exc:
        # a damaged archive, an encrypted part (RuntimeError), an unknown compression method
        raise InputError(f"“{name}”不是有效的 {kind} 文件(文件已损坏或并非 {kind}:{type(exc).__name__})") from None


def _check_merged(name: str, data: bytes) -> None:
    cells = 0
    for first_row, first_col, last_row, last_col in merged_ranges(data):
        cells += (last_row - first_row + 1) * (last_col - first_col + 1)
        if cells > MAX_MERGED_CELLS:
            raise InputError(f"“{name}”的工作表中合并的单元格过多(超过 {MAX_MERGED_CELLS} 个),未读取:"
                             "请取消合并单元格后再导入")


def merged_ranges(data: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet part, as (first row, first column, last row, last column)
    (``check_package`` bounds how many cells they cover)."""
    ranges = []
    for first_col, first_row, last_col, last_row in _MERGE.findall(data):
        rows = sorted((int(first_row), int(last_row)))
        cols = sorted((_column(first_col), _column(last_col)))
        ranges.append((rows[0], cols[0], rows[1], cols[1]))
    return ranges


def check_table(rows: int, columns: int, name: str) -> None:
    """Raise InputError when a table of the document ``name`` is larger than a plan's could be."""
    if rows > TABLE_ROWS or columns > TABLE_COLUMNS or rows * columns > TABLE_CELLS:
        raise InputError(f"“{name}”中的表格过大({rows} 行 × {columns} 列;最多 {TABLE_ROWS} 行、{TABLE_COLUMNS} 列),"
                         "不像是工作要点或分工表,请只保留任务表后再导入")


def check_text(lines: int, characters: int, name: str) -> None:
    """Raise InputError when a document yields more text than a plan could hold."""
    if lines > MAX_LINES or characters > MAX_TEXT:
        raise InputError(f"“{name}”的正文过长({lines} 段、{characters} 字;上限 {MAX_LINES} 段、{MAX_TEXT} 字),"
                         "不像是一份计划,未读取")


@contextlib.contextmanager
def unreadable(name: str, kind: str, hint: str = "请用 WPS 或 Word 打开后另存一份再导入"):
    """Any error a library raises while it reads ``name`` (a malformed file makes them raise
    anything) as one line naming the file; gktrack's own errors pass through. Their warnings
    about such a file ("invalid specification…") are not for the user's terminal."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except GktrackError:
        raise
    except RecursionError:
        raise InputError(f"“{name}”嵌套过深,不像正常的 {kind} 文件,未读取") from None
    except MemoryError:
        raise InputError(f"“{name}”过大,读取时内存不足,未读取") from None
    except Exception as exc:  # noqa: BLE001 - the library's own, for a file it cannot read
        raise InputError(f"“{name}”不是有效的 {kind} 文件,无法读取({type(exc).__name__}):{hint}") from None


def run_child(argv: list[str], *, what: str, memory: int | None = None, cwd: str | Path | None = None,
              env: dict | None = None) -> int:
    """Run ``argv`` to its end and return its exit code, killing it and everything it started
    when it takes more than ``CHILD_SECONDS`` (InputError naming ``what``). Its output goes
    nowhere: a pipe held open by a grandchild would keep us waiting after the child is gone."""
    seconds = CHILD_SECONDS  # read at each call: a test shortens it
    options: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
                     "cwd": cwd, "env": env}
    if os.name == "posix":
        options["start_new_session"] = True  # its own process group: one kill ends it all
        if memory:
            options["preexec_fn"] = lambda: _limit_memory(memory)
    else:
        options["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    try:
        child = subprocess.Popen(argv, **options)
    except OSError as exc:
        raise InputError(f"无法启动{what}:{exc.strerror or exc}") from None
    try:
        return child.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill_tree(child)
        raise InputError(f"{what}超过 {seconds:g} 秒仍未完成,已停止(文件可能过大或已损坏)") from None
    except BaseException:  # Ctrl-C: nothing may outlive the command
        _kill_tree(child)
        raise


def _limit_memory(size: int) -> None:
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


def _kill_tree(child: subprocess.Popen) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(child.pid, signal.SIGKILL)
    else:
        with contextlib.suppress(OSError):
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(child.pid)], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30, check=False)
    with contextlib.suppress(OSError):
        child.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=10)


def python_child_env() -> dict:
    """The environment for a child Python that imports this very gktrack."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    return env

