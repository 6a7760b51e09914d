"""Metadata in the forms pages give it, and unit lists that write their names out:

- a page's status mark before the 文号 on a notice's heading line ("(失效)X〔2017〕14号 …") does
  not hide the 文号;
- a title ending in an edition bracket ("……分工方案(2024年版)") is a title and gives its year, and
  the body named before "政务公开" gives the issuer;
- a page's heading, the cover notice under it and the title repeated under the notice: the notice is
  front matter, read for its metadata and not reported line by line; a notice's 文号 line and
  addressee line are no intro paragraph or unit line either;
- a level prefix is lent along a "、" list only where the list leaves it out: a list that writes it
  on its later names keeps a bare name as written.

The documents are small ones written for these tests.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.unitphrase import parse_unit_phrase
from gktrack.features.importer import parse_document
from gktrack.features.importer.sources import text_document

ITEMS = """一、深化重点领域信息公开
1.做好预算信息公开。按时公开部门预算。(县财政局牵头,各乡镇负责落实)
2.做好招生信息公开。及时公开招生政策。(县教育局负责)
"""
TASKS = [("做好预算信息公开。按时公开部门预算。", [("县财政局", "lead"), ("各乡镇", "responsible")]),
         ("做好招生信息公开。及时公开招生政策。", [("县教育局", "responsible")])]


def read(text: str, name: str = "附件1.txt"):
    return parse_document(text_document(text, name))


def tasks(plan) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(task.text, [(unit.name, unit.role) for unit in task.units]) for task in plan.tasks]


def names(text: str) -> list[str]:
    return [unit.name for unit in parse_unit_phrase(text)]


# ---- a status mark before the 文号 -------------------------------------------------------------

NOTICE = ("{mark}青政办发〔2018〕7号 青禾县人民政府办公室关于印发青禾县2018年政务公开工作要点的通知\n"
          "各乡镇人民政府,县政府各部门:\n现将《青禾县2018年政务公开工作要点》印发给你们,请认真贯彻落实。\n"
          "青禾县人民政府办公室\n2018年5月4日\n青禾县2018年政务公开工作要点\n")


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["(失效)", "(已废止)", "【有效】", "[已修改]", "（失效）", "(失效) ", ""]))
def test_a_status_mark_before_the_number_does_not_hide_it(mark):
    plan = read(NOTICE.format(mark=mark) + ITEMS)
    assert plan.doc_number == "青政办发〔2018〕7号"
    assert plan.title == "青禾县2018年政务公开工作要点" and plan.year == 2018
    assert plan.issuer == "青禾县人民政府办公室" and plan.issued == dt.date(2018, 5, 4)
    assert tasks(plan) == TASKS


def test_a_numbering_bracket_is_no_status_mark():
    # "(一)X〔2018〕7号文件…" is a numbered sentence citing a document, not a heading's 文号
    plan = read("青禾县2018年政务公开工作要点\n(一)青政办发〔2018〕7号 文件要求各单位按月公开预算\n" + ITEMS)
    assert plan.doc_number is None


# ---- an edition bracket at the end of the title --------------------------------------------------

@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["", " "]), st.sampled_from(["(2024年版)", "（2024年版）", "(2024年)", "(2024)"]))
def test_a_title_with_an_edition_bracket(space, edition):
    title = f"青禾县市场监督管理局{space}政务公开工作要点分工方案{edition}"
    plan = read(title + "\n" + ITEMS)
    assert plan.year == 2024 and not plan.year_from_file and not plan.title_from_file
    assert plan.title == title.replace(" ", "").replace("（", "(").replace("）", ")")
    assert plan.issuer == "青禾县市场监督管理局"
    assert tasks(plan) == TASKS


def test_a_notice_issuing_a_plan_with_an_edition_bracket():
    plan = read("青禾县市场监督管理局关于印发政务公开工作要点分工方案(2024年版)的通知\n"
                "各股室:\n现将分工方案印发给你们,请认真落实。\n" + ITEMS)
    assert plan.title == "政务公开工作要点分工方案(2024年版)" and plan.year == 2024
    assert plan.issuer == "青禾县市场监督管理局"
    assert tasks(plan) == TASKS


def test_a_span_of_years_is_still_no_plan_year():
    plan = read("青禾县政务公开工作三年行动计划(2023—2025年)\n" + ITEMS)
    assert plan.year is None


# ---- a page's heading, the notice, the title again -----------------------------------------------

def test_a_notice_between_the_pages_heading_and_the_title_is_front_matter():
    document = ("青禾县2019年政务公开工作要点\n\n2019-07-18 来源:青禾县人民政府\n\n"
                "  青禾县人民政府办公室\n\n  关于印发《青禾县2019年政务公开工作要点》的通知\n\n"
                "  青政办发〔2019〕75号\n\n  县直各单位:\n\n"
                "  《青禾县2019年政务公开工作要点》已经县政府同意,现印发给你们,请认真贯彻落实。\n\n"
                "  青禾县人民政府办公室\n\n  2019年7月9日\n\n  青禾县2019年政务公开工作要点\n\n" + ITEMS)
    plan = read(document)
    assert plan.title == "青禾县2019年政务公开工作要点" and plan.year == 2019
    assert plan.doc_number == "青政办发〔2019〕75号"
    assert plan.issuer == "青禾县人民政府办公室" and plan.issued == dt.date(2019, 7, 9)
    assert tasks(plan) == TASKS
    # one note for the whole notice, none for its lines one by one
    front = [message for line, message in plan.warnings if line < 25]
    assert front == ["第1–17行是标题前的网页信息或印发通知,只读取了文号、日期等信息,未作为任务"]


def test_a_notice_that_is_the_plan_says_nothing_of_its_number_and_addressee_lines():
    document = ("青禾县人民政府办公室关于做好2020年政务公开工作的通知\n青政办函〔2020〕8号\n"
                "各乡镇人民政府,县政府各部门:\n为做好今年政务公开工作,现就有关事项通知如下。\n" + ITEMS)
    plan = read(document)
    assert plan.doc_number == "青政办函〔2020〕8号" and plan.year == 2020
    assert tasks(plan) == TASKS
    notes = [message for line, message in plan.warnings if line in (2, 3)]
    assert notes == []
    # the notice's own lead is text left out: still said
    assert any(line == 4 and "导语段落" in message for line, message in plan.warnings)


# ---- a level prefix along a unit list ----------------------------------------------------------

def test_a_list_writing_its_prefixes_out_keeps_a_bare_name():
    assert names("区发改委、滨江协同发展办、区商务委、区科委等相关部门") == [
        "区发改委", "滨江协同发展办", "区商务委", "区科委"]
    plan = read("2025年某区政务公开工作要点\n一、夯实根基\n"
                "1.严格执行公开属性审查。(责任单位:区发改委、滨江协同发展办、区商务委,完成时限:全年)\n")
    assert tasks(plan) == [("严格执行公开属性审查。", [("区发改委", "responsible"), ("滨江协同发展办", "responsible"),
                                                ("区商务委", "responsible")])]
    # a list that leaves the prefix out still shares it
    assert names("区发改委、科委、商务委") == ["区发改委", "区科委", "区商务委"]
    # the run ends at a ","
    assert names("市财政局、物价局,市国税局、地税局") == ["市财政局", "市物价局", "市国税局", "市地税局"]


CORES = ["发改委", "财政局", "教育局", "科技局", "卫健委", "司法局", "信访办", "统计局"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from("市区县"), st.lists(st.sampled_from(CORES), min_size=3, max_size=6, unique=True),
       st.data())
def test_a_bare_name_takes_the_prefix_only_where_no_later_name_writes_one(prefix, cores, data):
    written = [prefix + cores[0]] + [data.draw(st.sampled_from([prefix + core, core])) for core in cores[1:]]
    expected = []
    for position, name in enumerate(written):
        spelled_later = any(later.startswith(prefix) for later in written[position + 1:])
        expected.append(name if name.startswith(prefix) or spelled_later else prefix + name)
    assert names("、".join(written) + "按职责分工负责") == expected
