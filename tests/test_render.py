"""The hand-drawn tables of status, overdue, show, log and units: content, alignment, width."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.cli.cells import _fit_measured, _simple_len, cell_len, char_width, fit, fold, simple_pattern
from tests.conftest import HL2022, HL2022_TASKS

# --- cell widths ------------------------------------------------------------------------------------


def test_char_width_agrees_with_rich_for_every_code_point_in_use():
    """Same widths as rich (and wcwidth): CJK, fullwidth punctuation, combining marks, controls."""
    from rich.cells import get_character_cell_size

    planes = [*range(0, 0x3_0000), *range(0xE_0000, 0xE_0200), 0x10_FFFF]
    wrong = [hex(cp) for cp in planes
             if not 0xD800 <= cp <= 0xDFFF and char_width(chr(cp)) != get_character_cell_size(chr(cp))]
    assert wrong == []


def test_cell_len_of_typical_text():
    assert cell_len("hl2022/1") == 8
    assert cell_len("司法所牵头\uff0c党政综合办配合") == 26  # fullwidth comma: two cells
    assert cell_len("司法所牵头,党政综合办配合") == 25
    assert cell_len("● 逾期3天") == 1 + 1 + 4 + 1 + 2  # "●" and "3" take one cell each
    assert cell_len("年底前(2022-12-31)") == 3 * 2 + 2 + 10 + 2 - 2


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60), st.integers(0, 50))
def test_fit_cuts_to_the_width_and_keeps_a_prefix(text, width):
    cut, size = fit(text, width)
    assert size == cell_len(cut) and size <= width
    if cell_len(text) <= width:
        assert cut == text
    elif width == 0:
        assert cut == ""
    else:
        assert cut.endswith("…") and text.startswith(cut[:-1])
        # nothing more would have fitted
        rest = text[len(cut) - 1:]
        assert not rest or size - 1 + char_width(rest[0]) > width - 1


def test_simple_characters_are_one_byte_one_cell_or_three_bytes_two_cells():
    """The measuring shortcut of cells._simple_len holds for every character it accepts."""
    simple_pattern()  # as after a long output's first few thousand characters
    accepted = 0
    for cp in range(0x11000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        if _simple_len(char) is not None:
            accepted += 1
            assert (len(char.encode()), char_width(char)) in ((1, 1), (3, 2)), hex(cp)
    assert accepted > 27_000  # printable ASCII and the CJK blocks


# Chinese text with the characters around the shortcut's edges: ASCII, controls, “” and —
# (one cell), combining and CJK zero-width marks, emoji and CJK outside the BMP.
_EDGES = "\x00\x1f\x7f\x80\xa0·é\u0300\u200b\u2014\u201c\u201d\u2026\u2e80\u2fff\u3000\u3029\u302a\u302f" \
         "\u3030\u303e\u303f\u3040\u33ff\u3400\u9fff\ua000\ufe0f\uff00\uff01\uff60\uff61\uffe0\uffe6\uffe7" \
         "\U0001f600\U00020000"
_mixed_text = st.text(st.one_of(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                                st.sampled_from("加强政务公开,确保按期完成。(一)、《条例》:abc 123"),
                                st.sampled_from(_EDGES)), max_size=80)


@settings(max_examples=1000, deadline=None)
@given(_mixed_text, st.integers(-2, 90))
def test_fit_shortcut_is_exactly_the_measured_fit(text, width):
    simple_pattern()
    assert fit(text, width) == _fit_measured(text, width)
    assert cell_len(text) == sum(map(char_width, text))


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("政务公开年底前,。、()《》:;!?abc XYZ019-/"), max_size=120), st.integers(-2, 130))
def test_fit_shortcut_on_chinese_text_is_exactly_the_measured_fit(text, width):
    simple_pattern()
    assert fit(text, width) == _fit_measured(text, width)


@pytest.fixture
def ambiguous_wide():
    """Cells measured as a console in a CJK legacy encoding draws them (streams.ambiguous_wide)."""
    from gktrack.cli.cells import set_ambiguous_wide

    set_ambiguous_wide(True, narrow="●")
    yield
    set_ambiguous_wide(False)


def test_ambiguous_characters_two_cells_on_a_cjk_legacy_console(ambiguous_wide):
    assert cell_len("“公开”") == 8 and cell_len("—") == 2 and cell_len("─" * 3) == 6
    assert cell_len("● 逾期3天") == 9  # the mark is written "*" there: one cell
    assert fit("依托政府信息公开平台", 9) == ("依托政…", 8)  # "…" takes two cells too
    assert fit("abcdefghij", 5) == ("abc…", 5) and fit("abcdefghij", 1) == ("", 0)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_mixed_text, width=st.integers(0, 90))
def test_fit_on_a_cjk_legacy_console_cuts_to_the_width(ambiguous_wide, text, width):  # the same mode throughout
    simple_pattern()
    cut, size = fit(text, width)
    assert size == cell_len(cut) and size <= width and fit(text, width) == _fit_measured(text, width)
    if cut not in (text, ""):  # "" where not even "…" fits
        assert cut.endswith("…") and text.startswith(cut[:-1])


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\n"), max_size=80),
       st.integers(2, 30))
def test_fold_keeps_every_character_and_the_width(text, width):
    lines = fold(text, width)
    assert "".join(lines) == text
    assert all(cell_len(line) <= width for line in lines if len(line) > 1)


# --- tables ---------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _coloured_out(monkeypatch, width: int):
    from gktrack.cli.render import Out

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", str(width))
    return Out(_Terminal())


def test_table_cells_coloured_inside_their_padding_on_a_terminal(monkeypatch):
    """Styled cells, cut ones included, are coloured and then padded, the same cell finished
    once for every row it appears in; an unstyled or empty cell gets no codes."""
    from gktrack.cli.render import Column, Table

    out = _coloured_out(monkeypatch, 40)
    assert out.colour
    late = ("● 逾期3天", "bold red")
    rows = [("a/1", "加强政务公开工作确保按期完成", "12", late), ("a/2", "短", "3", late),
            ("a/3", "text", "", ("很长很长的状态说明", "yellow")), ("a/4", "x", "4", ("", "dim"))]
    table = Table([Column("编号"), Column("任务", flex=True), Column("数", right=True), Column("状态", cap=8)],
                  rows, out.width)
    assert table.widths == [4, 20, 2, 8]
    table.draw(out, table.lines(rows, out), title="标题")
    out.flush()
    red = "\x1b[1;31m● 逾期3…\x1b[0m"
    assert out.stream.getvalue().split("\n") == [
        "\x1b[1m标题\x1b[0m",
        "编号  任务                  数  状态    ",
        "─" * 40,
        f"a/1   加强政务公开工作确…   12  {red}",
        f"a/2   短                     3  {red}",
        "a/3   text                      \x1b[33m很长很…\x1b[0m ",
        "a/4   x                      4          ",
        "",
        "",
    ]


def test_table_fold_column_coloured_first_line_only(monkeypatch):
    from gktrack.cli.render import Column, Table

    out = _coloured_out(monkeypatch, 20)
    rows = [[("撤销", "yellow"), "一二三四五六七八九十"]]
    table = Table([Column("操作"), Column("摘要", flex=True, fold=True)], rows, out.width)
    table.draw(out, table.lines(rows, out))
    out.flush()
    assert out.stream.getvalue().split("\n")[2:] == ["\x1b[33m撤销\x1b[0m  一二三四五六七", "      八九十        ",
                                                    "", ""]


# --- status ---------------------------------------------------------------------------------------


def _table(out: str, header_word: str) -> list[list[str]]:
    """The tables of an output, each from its header line up to the blank line after it."""
    lines = out.splitlines()
    tables, current = [], None
    for index, line in enumerate(lines):
        if current is None and index + 1 < len(lines) and header_word in line and lines[index + 1].startswith("──"):
            current = [line]
        elif current is not None:
            if not line.strip():
                tables.append(current)
                current = None
            else:
                current.append(line)
    return tables


def test_status_one_line_per_task_aligned_within_the_terminal(plans_repo, monkeypatch):
    gk = plans_repo
    gk.ok("progress", "hl2022/1", "已发布", "--date", "2024-06-28")
    monkeypatch.setenv("COLUMNS", "120")
    out = gk.ok("status")
    tables = _table(out, "编号")
    assert len(tables) == 2  # one per plan, each under its plan's title
    assert f"hl2022 {HL2022}(2022年)" in out and "qz2024 钦州市2024年政务公开工作实施方案(2024年)" in out
    hl = tables[0]
    assert hl[0].split() == ["编号", "序号", "任务", "责任单位", "期限", "应完成", "状态", "最近进展"]
    rows = hl[2:]
    assert [row.split()[0] for row in rows] == [f"hl2022/{n}" for n in range(1, 7)]
    for table in tables:  # a Chinese character is two cells: every line equally wide, within COLUMNS
        assert len({cell_len(line) for line in table}) == 1 and cell_len(table[0]) <= 120
    # each column starts at the same cell on every line
    first = rows[0]
    assert "6月底前" in first and "2022-06-30" in first and "2024-06-28" in first and "司法所" in first
    starts = {cell_len(row[: row.index("hl2022/")]) for row in rows}
    assert starts == {0}
    deadline_col = cell_len(first[: first.index("6月底前")])
    assert cell_len(hl[0][: hl[0].index("期限")]) == deadline_col
    # the long task text is shortened with "…", never wrapped onto a second line
    assert HL2022_TASKS[1][:8] in first and HL2022_TASKS[1] not in out and "…" in first
    assert "党政综合办" in rows[5]  # a task naming no unit belongs to the plan's owner
    red = sum(1 for t in gk.json("status", "--json") if t["level"] == "red")
    assert red > 0
    assert out.rstrip().splitlines()[-1] == f"共 8 项任务,其中未完成 8 项(逾期 {red} 项,将到期 0 项)"


def test_status_text_column_follows_the_terminal_width(plans_repo, monkeypatch):
    gk = plans_repo
    widths = {}
    for columns in ("70", "120", "200"):
        monkeypatch.setenv("COLUMNS", columns)
        table = _table(gk.ok("status", "--plan", "hl2022"), "编号")[0]
        widths[columns] = cell_len(table[0])
        assert len(table) == 8  # header, rule, six tasks: one line each at any width
    assert widths["70"] <= 70 < widths["120"] <= 120 < widths["200"] or widths["200"] <= 200
    monkeypatch.setenv("COLUMNS", "200")
    wide = gk.ok("status", "--plan", "hl2022")
    assert HL2022_TASKS[2] in wide  # room enough: the whole text


def test_status_for_a_unit_shows_roles_and_collectives(plans_repo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = plans_repo.ok("status", "--unit", "司法所")
    tables = _table(out, "编号")
    assert tables[0][0].split() == ["编号", "序号", "任务", "角色", "期限", "应完成", "状态", "最近进展"]
    roles = {row.split()[0]: row for t in tables for row in t[2:]}
    assert set(roles) == {"hl2022/1", "hl2022/2", "hl2022/3", "qz2024/1"}
    assert "负责(经各有关单位)" in roles["hl2022/2"] and "牵头" in roles["hl2022/3"]
    assert "配合" in roles["qz2024/1"]
    # qz2024/1 it only supports: listed with the task's state, not counted as its own
    assert out.rstrip().endswith("共 4 项任务:本单位承担 3 项,其中未完成 3 项(逾期 3 项,将到期 0 项);"
                                 "配合 1 项(显示整项任务的状态)")


def test_status_of_no_tasks(plans_repo):
    assert plans_repo.ok("status", "--year", "2030").strip() == "没有符合条件的任务。"


# --- overdue ---------------------------------------------------------------------------------------


def test_overdue_grouped_by_unit_one_line_per_task(plans_repo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = plans_repo.ok("overdue", "--as-of", "2024-10-08")
    titles = [line for line in out.splitlines() if re.search(r":逾期 \d+ 项,将到期 \d+ 项$", line)]
    late = plans_repo.json("overdue", "--as-of", "2024-10-08", "--json")
    for unit in ("司法所", "区政数局"):  # a task is listed under each unit that owes a part of it
        count = sum(1 for t in late if unit in [p["unit"] for p in t["parts"]])
        assert count and f"{unit}:逾期 {count} 项,将到期 0 项" in titles
    tables = _table(out, "编号")
    assert len(tables) == len(titles)
    for table in tables:
        assert table[0].split() == ["编号", "任务", "期限(原文)", "应完成", "状态", "说明"]
        assert len({cell_len(line) for line in table}) == 1 and cell_len(table[0]) <= 120
    rows = [row for table in tables for row in table[2:]]
    assert all(re.match(r"^(hl2022|qz2024)/\d ", row) for row in rows)
    qz = next(row for row in rows if row.startswith("qz2024/1 "))
    assert "9月底前" in qz and "2024-09-30" in qz and "● 逾期8天" in qz
    # the total counts each task once, and says when a task is listed under several units
    last = out.rstrip().splitlines()[-1]
    assert last.startswith(f"截至 2024-10-08:共 {len(late)} 项任务,逾期 {len(late)} 项、将到期 0 项,涉及 {len(titles)} 个单位")
    assert (f"共 {len(rows)} 行" in last) == (len(rows) > len(late))


def test_overdue_nothing_late(plans_repo):
    assert plans_repo.ok("overdue", "--as-of", "2022-01-02").strip() == "截至 2022-01-02,没有逾期或将到期的任务。"


# --- show, log, units ---------------------------------------------------------------------------------


def test_show_folds_the_whole_text(plans_repo, monkeypatch):
    gk = plans_repo
    gk.ok("progress", "hl2022/3", "已完成初稿" * 12, "--date", "2022-05-10")
    monkeypatch.setenv("COLUMNS", "50")
    out = gk.ok("show", "hl2022/3")
    assert out.splitlines()[0] == f"hl2022/3  {HL2022}"
    flat = "".join(line.strip() for line in out.splitlines())
    assert HL2022_TASKS[3] in flat and "已完成初稿" * 12 in flat.replace(" ", "")
    for label in ("章节", "序号", "任务", "牵头单位", "配合单位", "期限", "状态", "进展", "变更记录"):
        assert label in out, label
    facts = out.split("\n\n")[0].splitlines()[1:]
    assert facts[0].startswith("章节") and all(cell_len(line) <= 50 for line in facts)
    assert any(line.startswith(" " * 10) for line in facts)  # continuation lines under the value column


def test_log_and_units_tables(plans_repo, monkeypatch):
    gk = plans_repo
    monkeypatch.setenv("COLUMNS", "120")  # six columns (with 单位): the summaries fit unfolded
    log = gk.ok("log", "-n", "3")
    table = _table(log, "时间")[0]
    assert table[0].split() == ["时间", "提交", "人员", "操作", "单位", "摘要"]
    assert len(table) == 5 and "新增" in log and len({cell_len(line) for line in table}) == 1
    monkeypatch.setenv("COLUMNS", "100")
    units = gk.ok("units")
    table = _table(units, "单位")[0]
    assert table[0].split() == ["单位", "别名", "未完成", "已完成", "牵头", "配合", "负责"]
    sifa = next(line for line in table if line.startswith("司法所 "))
    assert sifa.split() == ["司法所", "2", "0", "1", "1", "1"]  # open parts: it only supports qz2024/1
    assert units.rstrip().splitlines()[-1].startswith("共 ") and units.rstrip().endswith("个单位")


@pytest.mark.parametrize("argv, heavy", [
    (["--help"], ("rich", "yaml", "ruamel", "dateutil")),
    # warm cache: no YAML parser at all
    (["status"], ("rich", "yaml", "ruamel", "dateutil")),
    (["overdue", "--as-of", "2024-10-08"], ("rich", "yaml", "ruamel", "dateutil")),
    (["status", "--help"], ("rich", "yaml", "ruamel", "dateutil")),
])
def test_start_up_imports_stay_light(plans_repo, argv, heavy):
    """The read commands draw their own tables and read the cache; ``--help`` needs neither."""
    import subprocess
    import sys

    plans_repo.ok("status")  # the cache is warm
    code = ("import sys; from gktrack.cli.app import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            f"found = [m for m in sys.modules if m.split('.')[0] in {heavy!r}]\n"
            "assert not found, found")
    proc = subprocess.run([sys.executable, "-c", code], cwd=plans_repo.root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert ("gktrack" in proc.stdout) if "--help" in argv else ("hl2022/" in proc.stdout)


# --- the bundled plans on an 80-column terminal -------------------------------------------------------
# plans/ and units.yaml of this folder: real plans, long unit lists and collectives, as a Linux
# terminal (统信UOS, 麒麟) opens at 80 columns and Windows' conhost at 120.

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "tables"
UPDATE = bool(os.environ.get("GKTRACK_UPDATE_GOLDEN"))
PINNED = {"GKTRACK_TODAY": "2024-10-08", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.cn",
          "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.cn", "GIT_CONFIG_NOSYSTEM": "1",
          "GIT_AUTHOR_DATE": "2024-10-01T09:00:00+08:00", "GIT_COMMITTER_DATE": "2024-10-01T09:00:00+08:00"}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    """A repository holding the bundled plans and registry, committed once."""
    root = tmp_path_factory.mktemp("bundled") / "repo"
    shutil.copytree(ROOT / "plans", root / "plans")
    shutil.copy(ROOT / "units.yaml", root / "units.yaml")
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "计划包"]):
        subprocess.run(["git", *argv], cwd=root, env={**os.environ, **PINNED, "HOME": str(root.parent)}, check=True)
    return root


def _run(root: Path, *argv: str, columns: int | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKTRACK_") and k != "COLUMNS"}
    env.update(PINNED, HOME=str(root.parent))
    if columns:
        env["COLUMNS"] = str(columns)
    result = subprocess.run([sys.executable, "-m", "gktrack", *argv], cwd=root, env=env, capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _text_column(table: list[str]) -> int:
    """Cells of the 任务 column: from its header to the next header, less the gap."""
    header = table[0]
    rest = header[header.index("任务") + 2:]
    following = len(rest) - len(rest.lstrip(" "))
    return cell_len("任务") + following - 2


TABLE_COMMANDS = [["status"], ["status", "--unit", "司法所"], ["status", "--plan", "xj2024"], ["overdue"],
                  ["overdue", "--unit", "司法所"], ["show", "xj2024/43"], ["show", "hl2022/3"], ["units"], ["log"]]


@pytest.mark.parametrize("argv", TABLE_COMMANDS, ids=" ".join)
def test_bundled_plans_fit_in_80_columns(bundled, argv):
    out = _run(bundled, *argv, columns=80)
    wide = [line for line in out.splitlines() if cell_len(line) > 80]
    assert wide == []
    for table in _table(out, "编号"):
        assert len({cell_len(line) for line in table}) == 1  # aligned
        assert _text_column(table) >= 29  # the task text keeps about 15 characters
        for row in table[2:]:
            text = row.split()[1]
            assert len(text.rstrip("…")) >= 13, row


def test_status_at_80_columns_gives_way_in_order(bundled):
    """What gives way first: the columns that say nothing, then the long forms of cells, then
    the deadline phrase, 序号 and 最近进展; 编号, 任务, the units, 应完成 and 状态 stay."""
    out = _run(bundled, "status", columns=80)
    header = _table(out, "编号")[0][0]
    assert header.split() == ["编号", "任务", "责任单位", "应完成", "状态"]
    assert "(已完成 0/" not in out and "● 逾期647天" in out  # the state without its parts
    assert "区发改委等" in out  # several units: the first and "等"
    mine = _run(bundled, "status", "--unit", "司法所", columns=80)
    assert _table(mine, "编号")[0][0].split() == ["编号", "任务", "角色", "应完成", "状态"]
    assert "负责(集体)" in mine and "负责(经各有关单位)" not in mine
    late = _run(bundled, "overdue", columns=80)
    assert _table(late, "编号")[0][0].split() == ["编号", "任务", "状态", "说明"]
    # 说明 says why without what 状态 says: the days late and the dates go
    assert "未写期限,按年底评估" in late and "8月底前,节点前无进展记录" in late and "2017年12月无进展记录" in late
    # with room the long forms come back: the same task at 200 columns
    assert "已逾期647天(未写期限,按年底2022-12-31评估)" in _run(bundled, "overdue", columns=200)
    assert "负责(经各有关单位)" in _run(bundled, "status", "--unit", "司法所", columns=200)


def test_import_dry_run_table_fits_in_80_columns(tmp_path):
    root = tmp_path / "repo"
    _run(tmp_path, "init", str(root))
    out = _run(root, "import", str(ROOT / "tests" / "fixtures" / "seeds" / "003_c32299c7a5ad9a3b.txt"), "--dry-run",
               columns=80)
    table = _table(out, "章节")[0]
    assert len(table) > 3 and all(cell_len(line) <= 80 for line in table)


@pytest.mark.parametrize("name, argv", [("status_unit", ["status", "--unit", "司法所"]),
                                        ("overdue_unit", ["overdue", "--unit", "司法所"]),
                                        ("status_plan", ["status", "--plan", "qz2017"])])
@pytest.mark.parametrize("columns", [120, 200])
def test_wide_terminals_keep_their_tables(bundled, name, argv, columns):
    """At 120 and 200 columns the tables are what they were before the narrow layout (the golden
    files were made by that code): nothing there had to give way."""
    out = _run(bundled, *argv, columns=columns)
    path = GOLDEN / f"{name}_{columns}.txt"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"已生成黄金文件 {path.name},请检查后提交")
    assert out == path.read_text(encoding="utf-8"), f"{path.name} 与黄金文件不同;确认无误后用 GKTRACK_UPDATE_GOLDEN=1 重新生成"


def test_json_does_not_follow_the_terminal(bundled):
    for argv in (["status", "--json"], ["overdue", "--json"], ["show", "xj2024/43", "--json"]):
        outputs = {_run(bundled, *argv, columns=columns) for columns in (60, 80, 120, None)}
        assert len(outputs) == 1, argv


def test_overdue_at_80_columns_keeps_a_dated_deadline(plans_repo, monkeypatch):
    # hl2022/3 is due 2022-09-30, written as that date: with 期限 and 应完成 left out on a narrow
    # terminal, its 说明 in short form is the date, not an empty cell
    monkeypatch.setenv("COLUMNS", "80")
    rows = {line.split()[0]: line for line in plans_repo.ok("overdue").splitlines() if line.startswith("hl2022/")}
    assert "2022-09-30" in rows["hl2022/3"]
    assert all(len(line.split()) >= 5 for line in rows.values())  # 编号 任务 ● 逾期N天 说明
