"""A plan's year comes from its own 文号 (where a document's number stands: a field, the line under
its title, its notice's heading), never from a 文号 it cites in a sentence; and a numbered item whose
heading line is followed by its body and its own unit line is one task, however its text is cut.

The documents are small ones written for these tests, in the shapes real pages take.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from gktrack.features.importer import parse_document
from gktrack.features.importer.sources import text_document
from conftest import pairs

ITEMS = """一、深化重点领域信息公开
(一)做好财政信息公开。按月公开财政收支情况。(县财政局牵头)
(二)做好教育信息公开。及时公开招生政策。(县教育局负责)
"""
TASKS = ["做好财政信息公开。按月公开财政收支情况。", "做好教育信息公开。及时公开招生政策。"]
TITLE = "青禾县政务公开工作安排\n"
# last year's 要点 cited by its number, after its title and inside the sentence
CITED = "按照《某省人民政府办公厅关于印发2020年政务公开工作要点的通知》(某政办发〔2020〕12号)要求,结合实际,安排如下。\n"


def read(text: str):
    return parse_document(text_document(text, "附件1.docx"))


# ---- the year: a cited 文号 is no year of the plan's -------------------------------------------

def test_a_cited_number_alone_gives_no_year():
    for lead in (CITED, "根据某政办发〔2020〕12号文件精神,制定本安排。\n"):
        plan = read(TITLE + lead + ITEMS)
        assert plan.year is None, lead
        assert plan.doc_number is None
        assert [t.text for t in plan.tasks] == TASKS


def test_the_importer_asks_for_the_year_when_only_a_cited_number_has_one(gk):
    gk.ok("init")
    source = gk.root / "附件1.txt"
    source.write_text(TITLE + CITED + ITEMS, encoding="utf-8")
    stopped = gk("import", str(source), "--dry-run")
    assert stopped.code == 2
    assert "找不到计划年度" in stopped.err and "--year" in stopped.err
    assert "2021年" in gk.ok("import", str(source), "--dry-run", "--year", "2021")


def test_the_plans_own_number_gives_its_year_beside_a_cited_one():
    heads = (
        TITLE + "青政办〔2021〕3号\n",                                        # under the title
        "文号:青政办〔2021〕3号\n" + TITLE,                                   # a page's field
        "青政办〔2021〕3号 青禾县人民政府办公室关于印发青禾县政务公开工作安排的通知\n",  # the notice's heading
        "青禾县人民政府办公室关于印发青禾县政务公开工作安排的通知(青政办〔2021〕3号)\n",
    )
    for head in heads:
        plan = read(head + CITED + ITEMS)
        assert (plan.year, plan.doc_number) == (2021, "青政办〔2021〕3号"), head
        assert plan.title == "青禾县政务公开工作安排"
        assert [t.text for t in plan.tasks] == TASKS


def test_a_lead_year_wins_over_a_cited_number():
    plan = read(TITLE + "2021年,全县政务公开工作要" + CITED.removeprefix("按照") + ITEMS)
    assert plan.year == 2021


def test_a_notice_carrying_out_a_years_yaodian_is_that_years_plan():
    notice = ("青禾县人民政府办公室关于贯彻落实《2021年政务公开工作要点》的通知\n各乡镇人民政府,县直各单位:\n"
              "国务院办公厅印发《2021年政务公开工作要点》(国办发〔2021〕12号),现提出以下任务:\n")
    plan = read(notice + ITEMS)
    assert plan.title == "青禾县人民政府办公室关于贯彻落实《2021年政务公开工作要点》的通知"
    assert plan.year == 2021 and plan.doc_number is None
    assert [t.text for t in plan.tasks] == TASKS


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=2015, max_value=2030), st.integers(min_value=1, max_value=99),
       st.sampled_from(["按照《某省政府办公厅关于印发政务公开工作要点的通知》({n})要求,制定本安排。",
                        "根据{n}文件精神,结合实际,制定本安排。",
                        "为贯彻落实{n}的部署,现安排如下:"]),
       st.one_of(st.none(), st.integers(min_value=2015, max_value=2030)))
def test_only_the_plans_own_number_gives_a_year(cited_year, serial, sentence, own_year):
    cited = sentence.format(n=f"某政办发〔{cited_year}〕{serial}号")
    own = f"青政办〔{own_year}〕{serial}号\n" if own_year else ""
    plan = read(TITLE + own + cited + "\n" + ITEMS)
    assert plan.year == own_year
    assert [t.text for t in plan.tasks] == TASKS


# ---- an item with a heading line, its body and its own unit lines -------------------------------

RECORDS = """某市档案馆2024年政务公开工作实施方案
一、主动公开事项
(一)公开类别:机构信息
公开本馆内设机构、职能及负责人情况。
责任科室:办公室
(二)公开类别:馆藏开放
公布年度开放档案目录,
更新查阅服务指南。
牵头科室:利用科
配合科室:保管科
(三)公开类别:收费标准
公开复制服务的收费项目、依据和标准。
责任科室:财务科
(四)公开类别:人事招录
公开公开招聘的岗位、条件和程序,"""


def test_items_with_a_body_and_a_unit_line_are_tasks_like_one_cut_before_its_units():
    plan = read(RECORDS)
    assert [(s.number, s.title) for s in plan.sections] == [("一、", "主动公开事项")]
    assert [(t.number, t.section, t.text, pairs(t)) for t in plan.tasks] == [
        ("(一)", "1", "公开类别:机构信息\n公开本馆内设机构、职能及负责人情况。", [("办公室", "responsible")]),
        ("(二)", "1", "公开类别:馆藏开放\n公布年度开放档案目录,更新查阅服务指南。",
         [("利用科", "lead"), ("保管科", "support")]),
        ("(三)", "1", "公开类别:收费标准\n公开复制服务的收费项目、依据和标准。", [("财务科", "responsible")]),
        ("(四)", "1", "公开类别:人事招录\n公开公开招聘的岗位、条件和程序,", []),
    ]


def test_a_heading_whose_paragraphs_close_with_their_own_units_stays_a_heading():
    plan = read("某市档案馆2024年政务公开工作实施方案\n一、主动公开事项\n(一)加强机构信息公开\n"
                "公开本馆内设机构和职能。(办公室负责)\n公开负责人履历。(人事科负责)\n"
                "(二)加强收费信息公开\n公开复制服务收费标准。\n责任科室:财务科\n")
    # (一)'s paragraphs are two tasks, each with its units: (一) heads them, and its sibling reads alike
    assert [(s.number, s.title) for s in plan.sections] == [
        ("一、", "主动公开事项"), ("(一)", "加强机构信息公开"), ("(二)", "加强收费信息公开")]
    assert [(t.section, t.text, pairs(t)) for t in plan.tasks] == [
        ("1.1", "公开本馆内设机构和职能。", [("办公室", "responsible")]),
        ("1.1", "公开负责人履历。", [("人事科", "responsible")]),
        ("1.2", "公开复制服务收费标准。", [("财务科", "responsible")]),
    ]
    plan = read("某市档案馆2024年政务公开工作实施方案\n一、主动公开事项\n(一)加强机构信息公开\n"
                "公开本馆内设机构和职能。\n责任科室:办公室\n公开负责人履历。\n责任科室:人事科\n")
    assert [s.number for s in plan.sections] == ["一、", "(一)"]
    assert [(t.text, pairs(t)) for t in plan.tasks] == [
        ("公开本馆内设机构和职能。", [("办公室", "responsible")]), ("公开负责人履历。", [("人事科", "responsible")])]


BODIES = ["公开本馆内设机构及职能。", "公布年度开放档案目录,方便查阅。", "公开复制服务的收费项目、依据和标准。",
          "公开招聘岗位、条件、程序和结果,接受社会监督。"]
KINDS = ["机构信息", "馆藏开放", "收费标准", "人事招录"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(BODIES), min_size=1, max_size=2, unique=True),
                          st.sampled_from(["责任科室:办公室", "牵头科室:利用科\n配合科室:保管科"])),
                min_size=1, max_size=4), st.booleans())
def test_every_item_of_that_shape_is_one_task_with_its_heading(items, cut):
    lines = ["某市档案馆2024年政务公开工作实施方案", "一、主动公开事项"]
    for k, (bodies, unit_lines) in enumerate(items):
        lines += [f"({'一二三四'[k]})公开类别:{KINDS[k]}", *bodies]
        if not (cut and k == len(items) - 1):  # the last one cut off before its unit line
            lines.append(unit_lines)
    plan = read("\n".join(lines))
    assert [s.number for s in plan.sections] == ["一、"]
    assert [t.number for t in plan.tasks] == [f"({'一二三四'[k]})" for k in range(len(items))]
    for k, (task, (bodies, unit_lines)) in enumerate(zip(plan.tasks, items)):
        assert task.text.replace("\n", "") == f"公开类别:{KINDS[k]}" + "".join(bodies)
        want = [] if cut and k == len(items) - 1 else \
            [("办公室", "responsible")] if "办公室" in unit_lines else [("利用科", "lead"), ("保管科", "support")]
        assert pairs(task) == want
