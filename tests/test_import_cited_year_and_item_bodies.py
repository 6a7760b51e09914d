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
