"""Issue 18, case 14 for ``gktrack import``: documents too big or too strange are refused quickly,
with one Chinese line naming the file, a non-zero exit, no traceback and no commit — a zip bomb,
DTDs and entities, broken XML, a sheet whose dimension or merged range covers the whole grid, huge
text, a web page declaring entities, a FIFO, a PDF of too many pages, a LibreOffice that never
finishes. Control characters in a document are taken out, and said so. Every file is made here,
in tmp_path; nothing goes online. The limits are those of ``gktrack.features.limits``."""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from conftest import Gk, pdf_file, run_main
from gktrack.features import limits

# seconds: each refusal comes before the expensive part, whatever the file claims. The bound only
# has to tell linear from runaway work (the 20,000-line document below, read again for each line,
# would take hours); a tight one fails on a slow or busy machine.
QUICK = 30.0


def refused(gk: Gk, path: Path, *more: str) -> str:
    """``gktrack import path``: refused in one line naming the file, quickly, nothing committed."""
    started = time.monotonic()
    line = gk.fail("import", path, *more)
    assert time.monotonic() - started < QUICK, line
    assert path.name in line, line
    return line


def _docx(tmp_path: Path) -> Path:
    import docx

    word = docx.Document()
    word.add_paragraph("某镇2024年政务公开工作要点")
    word.add_paragraph("一、重点工作")
    word.add_paragraph("1.做好政务公开工作。(责任单位:司法所)")
    table = word.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "工作任务", (0, 1): "责任单位", (1, 0): "做好解读", (1, 1): "司法所"}.items():
        table.cell(r, c).text = text
    path = tmp_path / "要点.docx"
    word.save(path)
    return path


def _xlsx(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["序号", "工作任务", "责任单位", "时限要求"])
    book.active.append([1, "做好政务公开工作", "司法所", "6月底前"])
    path = tmp_path / "分工表.xlsx"
    book.save(path)
    return path


def _changed(source: Path, name: str, part: str, change) -> Path:
    """``source`` with the XML ``part`` changed by ``change`` (bytes -> bytes), saved as ``name``."""
    target = source.with_name(name)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, change(data) if item.filename == part else data)
    return target


# --- Word ------------------------------------------------------------------------------------------


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(plans_repo, tmp_path):
    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", b"<Types/>")
        package.writestr("word/document.xml", b"<w:document>" + b" " * (limits.MAX_PART + 1) + b"</w:document>")
    assert bomb.stat().st_size < 1_000_000
    line = refused(plans_repo, bomb)
    assert "解压后" in line and "压缩炸弹" in line


LAUGHS = (b'<!DOCTYPE w:document [<!ENTITY a "lollollollollollollol">'
          + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + n, b"&%c;" % (ord("a") + n) * 10) for n in range(8))
          + b"]>")


@pytest.mark.parametrize("declaration", [
    LAUGHS,                                                           # a billion laughs
    b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # an external entity
    b"<!-- " + b"x" * 5000 + b' --><!DOCTYPE w:document [<!ENTITY x "y">]>',  # after a long comment
])
def test_a_docx_declaring_entities_is_refused(plans_repo, tmp_path, declaration):
    def declare(data: bytes) -> bytes:
        head, _, rest = data.partition(b"?>")
        return head + b"?>" + declaration + rest.replace(b"<w:t>", b"<w:t>&i;" if declaration is LAUGHS else b"<w:t>&x;", 1)

    path = _changed(_docx(tmp_path), "实体.docx", "word/document.xml", declare)
    assert "DTD" in refused(plans_repo, path)


def test_a_docx_with_broken_xml_is_one_line(plans_repo, tmp_path):
    path = _changed(_docx(tmp_path), "损坏.docx", "word/document.xml", lambda data: data[:-60])
    line = refused(plans_repo, path)
    assert "不是有效的 .docx 文件" in line and "另存" in line


def test_a_docx_with_a_huge_cell_span_is_refused(plans_repo, tmp_path):
    span = b'<w:tcPr><w:gridSpan w:val="100000000"/>'
    path = _changed(_docx(tmp_path), "跨列.docx", "word/document.xml",
                    lambda data: data.replace(b"<w:tcPr>", span, 1))
    assert "表格过大" in refused(plans_repo, path)


# --- Excel ------------------------------------------------------------------------------------------


def test_an_xlsx_whose_dimension_reaches_the_last_cell_is_refused(plans_repo, tmp_path):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'

    def stretch(data: bytes) -> bytes:
        data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
        return data.replace(b"</sheetData>", far)

    path = _changed(_xlsx(tmp_path), "远处.xlsx", "xl/worksheets/sheet1.xml", stretch)
    assert path.stat().st_size < 20_000
    assert "表格过大" in refused(plans_repo, path)


def test_an_xlsx_whose_dimension_alone_is_huge_still_imports(plans_repo, tmp_path):
    """The dimension is what the file says; the cells are what it has."""
    path = _changed(_xlsx(tmp_path), "范围.xlsx", "xl/worksheets/sheet1.xml",
                    lambda data: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data))
    started = time.monotonic()
    plans_repo.ok("import", path, "--year", "2024", "--id", "fw2024", "--title", "范围")
    assert time.monotonic() - started < QUICK
    assert plans_repo.json("show", "fw2024/1", "--json")["text"] == "做好政务公开工作"


@pytest.mark.parametrize("ranges", [
    b'<mergeCell ref="A3:XFD1048576"/>',
    b"".join(b'<mergeCell ref="A%d:BL%d"/>' % (row, row) for row in range(3, 20_000)),  # many small ones
])
def test_an_xlsx_with_huge_merged_ranges_is_refused(plans_repo, tmp_path, ranges):
    path = _changed(_xlsx(tmp_path), "合并.xlsx", "xl/worksheets/sheet1.xml", lambda data: data.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1">' + ranges + b"</mergeCells>"))
    assert "合并的单元格过多" in refused(plans_repo, path)


def test_an_xlsx_with_broken_xml_is_one_line(plans_repo, tmp_path):
    path = _changed(_xlsx(tmp_path), "损坏.xlsx", "xl/worksheets/sheet1.xml", lambda data: data[:-40])
    assert "不是有效的 .xlsx 文件" in refused(plans_repo, path)


# --- text and web pages -----------------------------------------------------------------------------


def test_a_text_file_larger_than_the_limit_is_not_read(plans_repo, tmp_path):
    path = tmp_path / "巨大.txt"
    with open(path, "wb") as handle:
        handle.truncate(limits.MAX_FILE + 1)  # sparse: no time spent writing it
    line = refused(plans_repo, path)
    assert "超过上限 20 MB" in line


def test_a_text_longer_than_any_plan_is_refused(plans_repo, tmp_path):
    path = tmp_path / "长文.txt"
    path.write_text("某镇2024年政务公开工作要点\n" + "做好政务公开工作。\n" * (limits.MAX_TEXT // 10 + 1), encoding="utf-8")
    assert "正文过长" in refused(plans_repo, path)


def test_a_task_that_swallows_the_rest_of_the_document_is_refused(plans_repo, tmp_path):
    """Unnumbered paragraphs join the task above them; without a limit each would make the parser
    read the whole task again."""
    path = tmp_path / "无编号.txt"
    path.write_text("某镇2024年政务公开工作要点\n一、重点工作\n1.做好政务公开工作\n"
                    + "继续做好这一部分工作;\n" * 20_000, encoding="utf-8")
    line = refused(plans_repo, path, "--year", "2024")
    assert "第 3 行起的一项任务超过 5000 字" in line


def test_a_fifo_is_not_read(plans_repo, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "管道.txt"
    os.mkfifo(path)
    assert "不是普通文件" in plans_repo.fail("import", path)  # reading it would wait forever


def test_control_characters_in_a_document_are_taken_out_and_said(plans_repo, tmp_path):
    path = tmp_path / "控制字符.txt"
    path.write_text("某镇2024年政务公开工作要点\n一、重点工作\n"
                    "1.做好\x1b[2J政务\u202e公开\x0c工作。(责任单位:司法所)\n", encoding="utf-8")
    out = plans_repo.ok("import", path, "--year", "2024", "--id", "kz2024")
    assert "注意:第 3 行:去掉了 1 行中的控制字符(如 U+001B)" in out and "\x1b" not in out
    text = plans_repo.json("show", "kz2024/1", "--json")["text"]
    assert text == "做好[2J政务公开工作。"
    plans_repo.ok("validate")


def test_a_web_page_declaring_an_external_entity_is_refused(plans_repo, tmp_path):
    path = tmp_path / "网页.html"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    "<html><body><h1>某镇2024年政务公开工作要点</h1><p>&x;</p></body></html>", encoding="utf-8")
    assert "DTD 实体声明" in refused(plans_repo, path)


# --- PDF and LibreOffice: child processes with a time limit -----------------------------------------


def _pdf(pages: int) -> bytes:
    """A PDF of ``pages`` empty pages, with a correct cross-reference table."""
    kids = " ".join(f"{3 + n} 0 R" for n in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return pdf_file(objects)


def test_a_pdf_of_too_many_pages_and_a_broken_pdf_are_refused(plans_repo, tmp_path):
    pytest.importorskip("pdfplumber")
    many = tmp_path / "太多页.pdf"
    many.write_bytes(_pdf(limits.MAX_PDF_PAGES + 1))
    assert f"超过 {limits.MAX_PDF_PAGES} 页" in refused(plans_repo, many)
    broken = tmp_path / "损坏.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    assert "PDF" in refused(plans_repo, broken)
    empty = tmp_path / "扫描件.pdf"
    empty.write_bytes(_pdf(2))
    assert "没有可提取的文字" in refused(plans_repo, empty)


SLOW_OFFICE = """#!/bin/sh
# a LibreOffice that never finishes, with a process of its own holding the output open
sleep 600 &
echo $$ $! > "{pids}"
sleep 600
"""


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_a_libreoffice_that_never_finishes_is_stopped_with_all_it_started(plans_repo, tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    pids = tmp_path / "pids"
    office = folder / "soffice"
    office.write_text(SLOW_OFFICE.format(pids=pids), encoding="utf-8")
    office.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(limits, "CHILD_SECONDS", 1)
    path = tmp_path / "旧格式.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    line = refused(plans_repo, path)
    assert "LibreOffice" in line and "超过 1 秒" in line
    for pid in map(int, pids.read_text().split()):
        for _ in range(50):  # killed; gone once its parent (init) has reaped it
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, 9)
            pytest.fail(f"process {pid} outlived the command")


def test_the_converted_document_is_checked_like_one_handed_in(plans_repo, tmp_path, monkeypatch):
    """What LibreOffice makes is read with the same limits: here it makes a zip bomb."""
    folder = tmp_path / "bin"
    folder.mkdir()
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b" " * (limits.MAX_PART + 1))
    office = folder / "soffice"
    # soffice … --convert-to docx --outdir FOLDER FOLDER/in.doc: the last two arguments
    office.write_text(f'#!/bin/sh\nfor last; do :; done\ncp "{bomb}" "$(dirname "$last")/in.docx"\n', encoding="utf-8")
    office.chmod(0o755)
    if os.name != "posix":
        pytest.skip("a shell script stands in for LibreOffice")
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    path = tmp_path / "旧格式.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    assert "压缩炸弹" in refused(plans_repo, path)


def test_a_normal_pdf_still_imports_through_the_child(plans_repo):
    pytest.importorskip("pdfplumber")
    source = Path(__file__).parent / "fixtures" / "formats" / "分工表.pdf"
    result = run_main(["import", source, "--dry-run"])
    assert result.code == 0, result.err
    assert "将导入" in result.out
