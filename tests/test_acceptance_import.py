"""Acceptance of issue 4 through the real CLI: `gktrack import` of text (UTF-8, GB18030), .docx,
--dry-run, one commit, no second plan, warnings with line numbers, and the seed figures.

The parser's own cases (layouts, generated documents) are in test_importer.py; the byte-equality
of the bundled plans/ with the import of the seeds is in test_bundled_plans.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Gk

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(prefix + "_*.txt"))


@pytest.fixture
def fresh(gk) -> Gk:
    gk.ok("init")
    return gk


SMALL = "\n".join([
    "明溪县2024年政务公开工作要点",
    "一、深化重点领域信息公开",
    "这一段是小节开头的说明文字,没有编号,也没有责任单位。",
    "(一)做好稳经济政策公开",
    "1.及时公开惠企政策和解读材料,方便企业查询。(责任单位:县发改委、科技局、财政局)",
    "2.在2024年9月30日前完成政策文件清理并公开结果。(牵头单位:县司法局;配合单位:县政府办)",
    "(二)做好平台建设",
    "1.每季度更新政府网站栏目。(责任单位:牵头,配合)",
    "2.做好政务新媒体管理。(县政数局负责,6月底前)",
    "二、强化组织保障",
    "1.各单位加强政务公开工作力量。(责任单位:各有关单位)",
    "",
])


# --- seed figures (the acceptance table of issue 4) ----------------------------------------------

# seed: (plan id, top-level sections, all sections, tasks, task count per top-level section or None)
FIGURES = [
    ("000", "hl2022", 5, 21, 49, [9, 14, 9, 8, 9]),
    ("001", "qz2017", 6, 28, 50, None),
    ("002", "hy2021", 4, 4, 21, None),
    ("003", "xj2024", 4, 22, 54, None),
    ("004", "yh2023", 5, 5, 17, [6, 4, 3, 2, 2]),
]


@pytest.mark.parametrize("prefix, plan_id, top, sections, tasks, per_section", FIGURES,
                         ids=[f[0] for f in FIGURES])
def test_seed_figures_through_the_cli(fresh, prefix, plan_id, top, sections, tasks, per_section):
    args = ["import", str(seed(prefix)), "--dry-run", "--json"] + (["--id", plan_id] if prefix == "004" else [])
    before = fresh.snapshot()
    data = fresh.json(*args)
    assert fresh.snapshot() == before
    assert (data["id"], data["tasks"], data["sections"], len(data["by_section"])) == (plan_id, tasks, sections, top)
    if per_section:
        assert [s["tasks"] for s in data["by_section"]] == per_section
    assert data["dry_run"] is True and data["commit"] is None
    for warning in data["warnings"]:
        assert isinstance(warning["line"], int) and re.search(r"[\u4e00-\u9fff]", warning["message"])


def test_seed_000_units_in_the_imported_plan(fresh):
    fresh.ok("import", str(seed("000")))
    rows = {r["id"]: r for r in fresh.json("status", "--plan", "hl2022", "--json")}
    assert rows["hl2022/1"]["units"] == [{"name": "司法所", "role": "responsible"}]
    assert rows["hl2022/3"]["units"] == [{"name": "司法所", "role": "lead"}, {"name": "党政综合办", "role": "support"},
                                         {"name": "各有关单位", "role": "responsible"}]
    # tasks 10–13 share the one unit line that follows them
    shared = [rows[f"hl2022/{n}"]["units"] for n in range(10, 14)]
    assert all(units == shared[0] for units in shared) and len(shared[0]) == 6
    # every unit found is in the registry, and the main command answers
    names = {u["name"] for u in fresh.json("units", "--json")}
    assert {u["name"] for r in rows.values() for u in r["units"]} <= names
    mine = {r["id"]: r["role"] for r in fresh.json("status", "--unit", "司法所", "--json")}
    assert (mine["hl2022/1"], mine["hl2022/3"]) == ("responsible", "lead")


def test_seed_003_deadline_cells_are_kept_as_written(fresh):
    fresh.ok("import", str(seed("003")))
    rows = fresh.json("status", "--plan", "xj2024", "--json")
    assert len(rows) == 54 and all(r["deadline"] for r in rows)
    assert rows[4]["deadline"] == "6月底前,持续推进"
    text = fresh.text("plans/xj2024.yaml")
    assert "    deadline: [6月底前, 持续推进]\n" in text


def test_seed_004_page_markers_are_gone(fresh):
    fresh.ok("import", str(seed("004")), "--id", "yh2023")
    for row in fresh.json("status", "--plan", "yh2023", "--json"):
        assert not re.search(r"(?<![\d%])\d{1,2}、", row["text"]), row["text"]


# --- dry run ---------------------------------------------------------------------------------------


def test_dry_run_shows_what_would_be_created_and_writes_nothing(fresh, tmp_path):
    path = tmp_path / "要点.txt"
    path.write_text(SMALL, encoding="utf-8")
    before = fresh.snapshot()
    result = fresh("import", str(path), "--dry-run")
    assert result.code == 0, result.err
    assert fresh.snapshot() == before and not list((fresh.root / "plans").glob("*.yaml"))
    out = result.out
    assert "将导入(试运行,未写入):mx2024 明溪县2024年政务公开工作要点(2024年)" in out
    # counts per section
    assert re.search(r"一、深化重点领域信息公开\s+4", out) and re.search(r"二、强化组织保障\s+1", out)
    assert "共 2 个一级章节(含下级章节共 4 个)、5 项任务。" in out
    # units found
    [units] = [line for line in out.splitlines() if line.startswith("将登记新单位")]
    for name in ("县发改委", "县科技局", "县财政局", "县司法局", "县政府办", "县政数局"):
        assert name in units, name
    assert "各有关单位" not in units and "各有关单位" in out  # a collective init registers, not a new unit
    # what it was not sure of, with line numbers
    assert "注意:第 3 行:小节开头的说明段落未作为任务" in out
    assert "注意:第 8 行:“(责任单位:牵头,配合)”中的单位无法拆分" in out
    data = fresh.json("import", str(path), "--dry-run", "--json")
    assert {"line": 3, "message": "小节开头的说明段落未作为任务:这一段是小节开头的说明文字,没有编号,也没有责任…"} \
        in data["warnings"]
    assert fresh.snapshot() == before


# --- the real import ---------------------------------------------------------------------------------


def test_import_writes_one_plan_and_makes_one_commit(fresh, tmp_path):
    path = tmp_path / "要点.txt"
    path.write_text(SMALL, encoding="utf-8")
    n = fresh.count()
    out = fresh.ok("import", str(path))
    assert out.startswith("已导入:mx2024 ")
    assert fresh.count() == n + 1
    info = fresh.commit_info()
    assert info.summary == "导入计划 mx2024:明溪县2024年政务公开工作要点(5 项任务)"
    assert info.trailers == {"Gktrack-Action": "import", "Gktrack-Plan": "mx2024"}
    assert sorted(info.files) == ["plans/mx2024.yaml", "units.yaml"]
    assert fresh.status() == ""
    assert fresh.ok("validate").strip() and fresh("validate").code == 0
    rows = {r["id"]: r for r in fresh.json("status", "--json")}
    # the shared prefix is distributed: 县发改委、科技局、财政局
    assert rows["mx2024/1"]["units"] == [{"name": n, "role": "responsible"} for n in ("县发改委", "县科技局", "县财政局")]
    assert rows["mx2024/1"]["section"] == ["一、深化重点领域信息公开", "(一)做好稳经济政策公开"]
    assert rows["mx2024/2"]["units"] == [{"name": "县司法局", "role": "lead"}, {"name": "县政府办", "role": "support"}]
    # a deadline inside the text is found; one in the unit bracket too
    assert rows["mx2024/2"]["deadline"] == "2024年9月30日前" and rows["mx2024/2"]["due"] == "2024-09-30"
    assert rows["mx2024/4"]["deadline"] == "6月底前"
    assert rows["mx2024/4"]["units"] == [{"name": "县政数局", "role": "responsible"}]
    # what could not be split stays in the text (and was warned about), never dropped
    assert rows["mx2024/3"]["text"].endswith("(责任单位:牵头,配合)")
    registry = fresh.text("units.yaml")
    for name in ("县科技局", "县财政局", "县政数局"):
        assert f"  - name: {name}\n" in registry
    assert "各有关单位" not in [u["name"] for u in fresh.json("units", "--json") if not u["collective"]]


def test_options_fill_in_what_the_document_lacks(fresh, tmp_path):
    path = tmp_path / "无标题.txt"
    path.write_text("一、加强组织领导\n(一)健全工作机制,明确责任分工。(责任单位:县政府办)\n", encoding="utf-8")
    # issue 15: no title line, the file name is the title (and the output says so)
    line = fresh.fail("import", str(path))
    assert "找不到计划年度" in line and "--year" in line
    dry = fresh("import", str(path), "--year", "2025", "--dry-run", "--json")
    assert dry.json["title"] == "无标题"
    assert any("标题取自文件名" in w["message"] for w in dry.json["warnings"])
    line = fresh.fail("import", str(path), "--title", "某县政务公开工作安排")
    assert "找不到计划年度" in line and "--year" in line
    assert "不可用" in fresh.fail("import", str(path), "--id", "../x", "--title", "t", "--year", "2025")
    fresh.ok("import", str(path), "--title", "某县政务公开工作安排", "--year", "2025", "--id", "mx-2025")
    assert fresh.json("show", "mx-2025/1", "--json")["text"] == "健全工作机制,明确责任分工。"


def test_importing_the_same_document_twice_does_not_make_a_second_plan(fresh, tmp_path):
    fresh.ok("import", str(seed("002")))
    for args in ([str(seed("002"))], [str(seed("002")), "--id", "other"], [str(seed("002")), "--dry-run"]):
        line = fresh.fail("import", *args, code=2)
        assert "已导入为计划 hy2021" in line
    # the same bytes under another name are the same document
    copy = tmp_path / "副本.txt"
    copy.write_bytes(seed("002").read_bytes())
    assert "已导入为计划 hy2021" in fresh.fail("import", str(copy))
    assert sorted(p.name for p in (fresh.root / "plans").glob("*.yaml")) == ["hy2021.yaml"]


def test_gb18030_text_imports_like_utf8(fresh, tmp_path):
    text = seed("000").read_text(encoding="utf-8")
    gb = tmp_path / "横栏镇.txt"
    gb.write_bytes(text.encode("gb18030"))
    fresh.ok("import", str(gb))
    utf8 = fresh.json("import", str(seed("000")), "--id", "utf8", "--dry-run", "--json")
    rows = fresh.json("status", "--plan", "hl2022", "--json")
    assert len(rows) == utf8["tasks"] == 49
    assert rows[2]["text"].startswith("各村(社区)、各有关单位要结合实际")
    assert rows[2]["units"][0] == {"name": "司法所", "role": "lead"}


def test_docx_with_a_table(fresh, tmp_path):
    docx = pytest.importorskip("docx")
    word = docx.Document()
    word.add_paragraph("美兰区2024年政务公开工作要点")
    word.add_paragraph("一、深化重点领域信息公开")
    word.add_paragraph("1.做好财政预决算信息公开。(责任单位:区财政局)")
    word.add_paragraph("二、加强平台建设")
    table = word.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [["序号", "具体要求", "责任单位", "时限要求"],
                                        ["1", "做好政府网站日常监测。", "区政数局牵头,各街道配合", "持续推进"],
                                        ["2", "做好政务新媒体管理。", "区委网信办", "6月底前"]]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    path = tmp_path / "要点.docx"
    word.save(path)
    fresh.ok("import", str(path))
    rows = fresh.json("status", "--plan", "ml2024", "--json")
    assert [(r["text"], r["units"], r["deadline"], r["section"][0]) for r in rows] == [
        ("做好财政预决算信息公开。", [{"name": "区财政局", "role": "responsible"}], None, "一、深化重点领域信息公开"),
        ("做好政府网站日常监测。", [{"name": "区政数局", "role": "lead"}, {"name": "各街道", "role": "support"}],
         "持续推进", "二、加强平台建设"),
        ("做好政务新媒体管理。", [{"name": "区委网信办", "role": "responsible"}], "6月底前", "二、加强平台建设"),
    ]


def test_unreadable_input_is_one_line_and_changes_nothing(fresh, tmp_path):
    bad = tmp_path / "坏文件.txt"
    bad.write_bytes(b"\x81\x30\xff\xfe\x80" * 10 + b"\x00")
    assert "坏文件.txt" in fresh.fail("import", str(bad))
    assert "找不到文件" in fresh.fail("import", str(tmp_path / "没有.txt"))
    fake = tmp_path / "假的.docx"
    fake.write_bytes(b"not a zip file")
    assert "假的.docx" in fresh.fail("import", str(fake))


# --- the bundled plans/ ---------------------------------------------------------------------------


def test_bundled_plans_show_real_work():
    env = {k: v for k, v in os.environ.items() if not k.startswith("GKTRACK_")}
    env.update(GKTRACK_NO_CACHE="1", GKTRACK_TODAY="2024-07-01")
    plans = sorted(p.stem for p in (ROOT / "plans").glob("*.yaml"))
    assert plans == ["hl2022", "hy2021", "qz2017", "xj2024", "yh2023"]
    out = subprocess.run([sys.executable, "-m", "gktrack", "overdue", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    late = json.loads(out)
    # xj2024 was issued on 2024-06-30: its "5月底前/6月底前,持续推进" checkpoints were not owed
    assert {r["plan"] for r in late} == {"hl2022", "hy2021", "qz2017", "yh2023"}
    assert all(r["level"] == "red" for r in late)
    env.update(GKTRACK_TODAY="2024-10-01")
    out = subprocess.run([sys.executable, "-m", "gktrack", "overdue", "--plan", "xj2024", "--json"], cwd=ROOT,
                         env=env, capture_output=True, text=True, check=True).stdout
    assert {r["deadline"] for r in json.loads(out)} == {"8月底前,持续推进"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "import tests/fixtures/seeds/000_708db31ce4ea3cc1.txt" in readme


def test_a_new_collective_is_said_apart_from_the_units_with_what_it_still_needs(fresh, tmp_path):
    path = tmp_path / "要点.txt"
    path.write_text("\n".join([
        "某局2024年政务公开工作要点",
        "一、做好主动公开",
        "1.及时更新政府信息公开专栏。(责任单位:办公室)",
        "2.做好政策解读。(责任单位:各科室)",
    ]) + "\n", encoding="utf-8")
    out = fresh.ok("import", str(path), "--dry-run")
    assert "将登记新单位 1 个:办公室\n" in out
    assert "将登记新集体 1 个:各科室(成员单位请在 units.yaml 的 collectives 中用 members 列出" in out
