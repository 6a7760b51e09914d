"""The plan's year and title read from the text wherever a reader finds them, never from a file's
name when the text says; a 文号 beside a label run into it; why an import found no task.

Real users' files are named "附件1.docx" or "通知.pdf": these tests use such names (or none), so
nothing here depends on a file name holding the year. The documents are small ones written for
these tests, in the shapes real pages take.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from gktrack.features.importer.sources import text_document

ITEMS = """一、深化重点领域信息公开
(一)做好财政信息公开。按月公开财政收支情况。(县财政局牵头)
(二)做好教育信息公开。及时公开招生政策。(县教育局负责)
"""
TASKS = ["做好财政信息公开。按月公开财政收支情况。", "做好教育信息公开。及时公开招生政策。"]


def read(text: str, name: str = "附件1.docx"):
    return parse_document(text_document(text, name))


def said(plan, *words: str) -> bool:
    return any(all(word in message for word in words) for _, message in plan.warnings)


def test_a_lead_opening_with_the_year_gives_the_year():
    plan = read("2021年全县政务公开工作的总体要求是:坚持以人民为中心,推动公开提质增效。\n" + ITEMS)
    assert plan.year == 2021 and not plan.year_from_file
    assert [t.text for t in plan.tasks] == TASKS
    plan = read("2020年,县统计局政务公开工作要以服务发展为中心,增强解读实效。\n" + ITEMS)
    assert plan.year == 2020


def test_a_lead_looking_back_or_a_date_gives_no_year():
    for lead in ("2019年以来,全县政务公开工作取得明显成效。", "2020年,全县政务公开工作取得明显成效。"):
        plan = read(lead + "\n" + ITEMS, name="通知.txt")
        assert plan.year is None, lead


def test_a_notice_title_naming_the_plan_in_book_marks():
    plan = read("青禾县人民政府办公室关于印发《青禾县2022年政务公开工作要点》的通知\n" + ITEMS)
    assert plan.title == "青禾县2022年政务公开工作要点" and not plan.title_from_file
    assert plan.year == 2022


def test_a_plan_carrying_out_a_years_yaodian_has_that_year():
    plan = read("教育部关于贯彻落实《2019年政务公开工作要点》的实施方案\n" + ITEMS)
    assert plan.title == "教育部关于贯彻落实《2019年政务公开工作要点》的实施方案"
    assert plan.year == 2019 and plan.issuer == "教育部"
    assert not said(plan, "文中没有计划标题")
    assert [t.text for t in plan.tasks] == TASKS


def test_the_notice_date_wins_over_the_carried_out_yaodians_year():
    notice = "各乡镇,县直各部门:\n现将本方案印发给你们,请认真落实。\n青禾县人民政府办公室\n2020年1月8日\n"
    plan = read(notice + "青禾县关于贯彻落实《2019年政务公开工作要点》的实施方案\n" + ITEMS)
    assert plan.year == 2020


def test_a_title_with_the_year_at_its_end():
    plan = read("青禾镇政务公开工作计划2018\n" + ITEMS)
    assert plan.title == "青禾镇政务公开工作计划2018" and plan.year == 2018


def test_a_sites_date_line_is_not_the_year_and_its_greeting_not_the_title():
    plan = read("欢迎来到某某范文网!\n青禾镇政务公开工作计划\n工作计划 时间:2021-08-31 手机版\n" + ITEMS)
    assert plan.title == "青禾镇政务公开工作计划"
    assert plan.year is None


def test_a_sentence_naming_the_published_plan():
    plan = read("制定经过\n2023年3月1日,农业农村部办公厅发布《农业农村部2023年政务公开工作要点》。\n" + ITEMS)
    assert plan.title == "农业农村部2023年政务公开工作要点" and not plan.title_from_file
    assert plan.issuer == "农业农村部办公厅" and plan.issued == dt.date(2023, 3, 1)
    assert plan.year == 2023


def test_a_plan_cited_in_the_lead_is_not_the_title():
    plan = read("为贯彻落实国务院办公厅发布的《2023年政务公开工作要点》,结合实际,制定本方案。\n" + ITEMS)
    assert plan.title_from_file and plan.title == "附件1"


def test_the_opening_title_of_a_text_with_nothing_numbered():
    plan = read("青禾县司法局2017年政务公开工作实施方案为认真贯彻上级部署,结合我局实际,制定本方案。"
                "指导思想以公开为常态、不公开为例外,推进决策公开。")
    assert plan.title == "青禾县司法局2017年政务公开工作实施方案" and plan.year == 2017
    assert not plan.tasks


def test_the_file_names_year_is_said_to_be_the_file_names(plans_repo, tmp_path):
    path = tmp_path / "青禾县2019年政务公开要点.txt"
    path.write_text("为推进政务公开,制定本要点。\n" + ITEMS, encoding="utf-8")
    out = plans_repo.ok("import", str(path), "--dry-run")
    assert "2019年" in out and "年度 2019 取自文件名" in out
    out = plans_repo.ok("import", str(path), "--dry-run", "--year", "2020")
    assert "年度 2019 取自文件名" not in out and "2020年" in out
    neutral = tmp_path / "附件1.txt"
    neutral.write_text("为推进政务公开,制定本要点。\n" + ITEMS, encoding="utf-8")
    assert "找不到计划年度" in plans_repo.fail("import", str(neutral), "--dry-run", code=2)


def test_labels_run_together_keep_the_doc_number():
    page = ("索引号 000014348/2019-00012 主题分类 综合政务\n发文机构县政府办公室发文字号青政办〔2019〕12号\n"
            "成文日期2019年03月02日\n青禾县2019年政务公开工作要点\n")
    plan = read(page + ITEMS)
    assert plan.doc_number == "青政办〔2019〕12号"
    assert plan.year == 2019


def test_an_import_finding_no_task_says_why(plans_repo, tmp_path):
    path = tmp_path / "附件.txt"
    path.write_text("青禾县2023年政务公开工作实施方案\n一、总体要求\n以公开为常态,推动政务公开提质增效。\n"
                    "二、基本原则\n坚持依法公开,坚持便民实用。\n", encoding="utf-8")
    line = plans_repo.fail("import", str(path), code=2)
    assert "没有找到任何任务,未导入:文中只有方案的总体说明" in line and "--dry-run" in line


@settings(max_examples=30, deadline=None)
@given(year=st.integers(2000, 2099),
       name=st.sampled_from(["附件1.docx", "新建文本文档.txt", "通知.pdf", "2016年旧稿.doc", None]),
       form=st.sampled_from(["{y}年全县政务公开工作的总体要求是:推动公开。\n",
                             "青禾县人民政府办公室关于印发《青禾县{y}年政务公开工作要点》的通知\n",
                             "司法部关于贯彻落实《{y}年政务公开工作要点》的实施方案\n",
                             "青禾镇政务公开工作计划{y}\n"]))
def test_the_texts_year_never_depends_on_the_file_name(year, name, form):
    plan = parse_document(text_document(form.format(y=year) + ITEMS, name))
    assert plan.year == year and not plan.year_from_file
    assert [t.text for t in plan.tasks] == TASKS
