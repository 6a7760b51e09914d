"""A unit clause with a topic in front: "(文件公开由办公厅牵头,各处配合)". 由 (请) brings in the unit;
what stands before it is the subject matter, never part of the name — and 由 inside a name
("自由贸易试验区管委会") brings in nothing.

The documents are small ones written for these tests, in the shapes real excerpts have.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from gktrack.domain.model import UnitRef
from gktrack.domain.unitphrase import format_unit_phrase, looks_like_unit_phrase, parse_unit_phrase
from gktrack.features.importer import parse_document

L, S, R = "lead", "support", "responsible"


def pairs(units) -> list[tuple[str, str]]:
    return [(u.name, u.role) for u in units]


@pytest.mark.parametrize("text, expected", [
    ("目录编制由综合司牵头,各业务司配合", [("综合司", L), ("各业务司", S)]),
    ("目录编制由综合司(局)牵头,各业务司(局)、档案馆配合", [("综合司(局)", L), ("各业务司(局)", S), ("档案馆", S)]),
    ("信息发布统一由市政府办公室负责", [("市政府办公室", R)]),
    ("该项工作均由县政务服务中心负责,各乡镇配合", [("县政务服务中心", R), ("各乡镇", S)]),
    ("专栏维护请市大数据局牵头,市直各部门配合", [("市大数据局", L), ("市直各部门", S)]),
    # the words of the topic listed with 、 are the topic's too
    ("政策解读、回应关切由区政府办负责,区直各部门配合", [("区政府办", R), ("区直各部门", S)]),
    # the topic before a sentence-style cell ("X牵头做好…")
    ("平台整合由区数据局牵头做好对接工作,各街道配合", [("区数据局", L), ("各街道", S)]),
    # two clauses, each with its own topic: both leads are the task's
    ("清单公开由法规处牵头,各处室配合;年报编制由办公室牵头,信息中心配合",
     [("法规处", L), ("各处室", S), ("办公室", L), ("信息中心", S)]),
    # 由 and 请 inside a word bring in nothing
    ("自由贸易试验区管委会牵头,市商务局配合", [("自由贸易试验区管委会", L), ("市商务局", S)]),
    ("片区建设由自由贸易试验区管委会牵头", [("自由贸易试验区管委会", L)]),
    ("市政务服务中心申请受理科负责", [("市政务服务中心申请受理科", R)]),
    ("由市政府办公室牵头,市直各部门配合", [("市政府办公室", L), ("市直各部门", S)]),
])
def test_the_topic_before_by_is_no_part_of_the_name(text, expected):
    assert pairs(parse_unit_phrase(text)) == expected


def test_a_topic_clause_on_its_own_reads_as_a_unit_line():
    assert looks_like_unit_phrase("目录编制由综合司牵头,各业务司配合")
    assert not looks_like_unit_phrase("由于工作需要,综合司牵头")  # 由于 is no 由


DOC = """某部2023年政务公开工作要点
一、提高公开质量
(一)集中公开规章。年底前完成清理并集中公开。(规章公开由法规司牵头,各有关司配合)
(二)更新权责清单。动态调整并公开权责清单。(权责清单由综合司负责)
(三)做好年度报告。〔年报编制由办公厅牵头,信息中心配合;数据核对由统计司牵头,各有关司配合〕
"""


def test_items_closed_by_a_topic_clause_get_the_real_units():
    plan = parse_document(DOC)
    assert [t.text for t in plan.tasks] == ["集中公开规章。年底前完成清理并集中公开。", "更新权责清单。动态调整并公开权责清单。",
                                            "做好年度报告。"]
    assert [pairs(t.units) for t in plan.tasks] == [
        [("法规司", L), ("各有关司", S)],
        [("综合司", R)],
        [("办公厅", L), ("信息中心", S), ("统计司", L), ("各有关司", S)],
    ]
    names = {u.name for t in plan.tasks for u in t.units}
    assert not any("由" in name for name in names)


def test_import_registers_no_topic_as_a_unit(plans_repo, tmp_path):
    path = tmp_path / "要点.txt"
    path.write_text(DOC, encoding="utf-8")
    out = plans_repo.ok("import", str(path), "--dry-run")
    [line] = [line for line in out.splitlines() if "将登记新单位" in line]
    assert "法规司" in line and "办公厅" in line and "由" not in line


# ---- property: a topic in front changes nothing about the units -----------------------------

TOPICS = ["目录编制", "规章公开", "政策解读、回应关切", "年报编制", "清单动态调整", "平台整合"]
BODIES = ["综合司", "法规司", "市政府办公室", "区数据局", "县政务服务中心", "办公厅", "信息中心", "自由贸易试验区管委会",
          "各有关司", "区直各部门"]
INTRODUCERS = ["由", "均由", "统一由"]
ROLE_WORDS = {L: ["牵头", "牵头负责"], S: ["配合", "协助配合"], R: ["负责", "按职责分工负责"]}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TOPICS), st.sampled_from(INTRODUCERS),
                          st.lists(st.tuples(st.sampled_from(BODIES), st.sampled_from([L, S, R])),
                                   min_size=1, max_size=3, unique_by=lambda b: b[0])),
                min_size=1, max_size=2))
def test_a_topic_in_front_changes_nothing_about_the_units(clauses):
    plain, topical = [], []
    for topic, by, bodies in clauses:
        parts = [name + ROLE_WORDS[role][index % 2] for index, (name, role) in enumerate(bodies)]
        plain.append(",".join(parts))
        topical.append(topic + by + ",".join(parts))
    assert parse_unit_phrase(";".join(topical)) == parse_unit_phrase(";".join(plain))
    # what is read back is written back unchanged
    units = parse_unit_phrase(";".join(topical))
    assert parse_unit_phrase(format_unit_phrase(units)) == [
        UnitRef(u.name, u.role) for u in sorted(units, key=lambda u: [L, S, R].index(u.role))]
    assert not any(re.search("编制|公开|解读|整合|调整", u.name) for u in units)
