"""Office files handed to gktrack (.xlsx, .docx): refused with one Chinese line, before a library
opens them, when they would exhaust memory or time.

An .xlsx or .docx is a zip of XML parts. A few kilobytes can unpack to gigabytes (a zip bomb), an
XML part can declare entities that expand a billion times, and openpyxl makes one object per cell
of a merged range (a merged A1:XFD1048576 is seventeen thousand million). So the package is
checked as it is stored: its size, its parts' unpacked sizes, no DTD in any part, and the
merged ranges of each sheet. What a sheet's rows hold is bounded by the reader itself
(``forms.read_forms`` reads at most ``MAX_ROWS`` rows of ``MAX_COLUMNS`` columns).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from gktrack.errors import InputError

MAX_FILE = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_PART = 100 * 1024 * 1024
MAX_PARTS = 5000
MAX_MERGED_CELLS = 1_000_000
MAX_ROWS = 20_000
MAX_COLUMNS = 64

_MERGE = re.compile(rb'<mergeCell[^>]*\bref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def _column(letters: bytes) -> int:
    number = 0
    for char in letters.decode("ascii"):
        number = number * 26 + ord(char) - 64
    return number


def check_package(path: Path) -> None:
    """Raise InputError when the Office file at ``path`` is too big to open safely."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE:
        raise InputError(f"“{path.name}”有 {size / 1048576:.1f} MB,超过上限 {MAX_FILE // 1048576} MB,未读取")
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS:
                raise InputError(f"“{path.name}”中的部件过多({len(parts)} 个),不像正常的办公文件,未读取")
            total = sum(part.file_size for part in parts)
            if total > MAX_UNPACKED or any(part.file_size > MAX_PART for part in parts):
                raise InputError(f"“{path.name}”解压后有 {total / 1048576:.0f} MB,超过上限 "
                                 f"{MAX_UNPACKED // 1048576} MB(可能是压缩炸弹),未读取")
            for part in parts:
                if not part.filename.endswith((".xml", ".rels")):
                    continue
                data = package.read(part)
                if _DTD.search(data[:4096]):
                    raise InputError(f"“{path.name}”的 {part.filename} 含有 DTD 或实体声明(正常的办公文件没有),未读取")
                if part.filename.startswith("xl/worksheets/"):
                    _check_merged(path.name, part.filename, data)
    except zipfile.BadZipFile:
        raise InputError(f"“{path.name}”不是有效的 {path.suffix or '办公'} 文件(不是 zip 格式)") from None


def _check_merged(name: str, part: str, data: bytes) -> None:
    cells = 0
    for first_col, first_row, last_col, last_row in _MERGE.findall(data):
        rows = int(last_row) - int(first_row) + 1
        columns = _column(last_col) - _column(first_col) + 1
        cells += max(rows, 1) * max(columns, 1)
        if cells > MAX_MERGED_CELLS:
            raise InputError(f"“{name}”的工作表中合并的单元格过多(超过 {MAX_MERGED_CELLS} 个),未读取")
