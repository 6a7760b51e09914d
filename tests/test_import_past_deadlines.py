"""A date in a task's own sentence that lies before the plan's year is what the task is about
(history, or which things it covers), never its deadline: the task would be overdue from the day
it is imported. A 前 phrase qualifying a noun ("年底前制定的文件") is no deadline at all. A deadline
the document states as one (a table's 时限 column, a "完成时限:" field) stays as written.

The documents are small ones written for these tests, in the shapes real plans take.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.domain.deadlines import parse_deadline
from gktrack.features.importer import parse_document
from gktrack.features.importer.sources import text_document


def read(text: str, year: int | None = None):
    return parse_document(text_document(text, "附件1.txt"), year)


def warned(plan, *words: str) -> list[tuple[int, str]]:
    return [(line, m) for line, m in plan.warnings if all(word in m for word in words)]


def test_a_past_year_end_in_the_sentence_is_what_is_published():
    plan = read("青禾县2017年政务公开工作要点\n一、推进财政信息公开\n"
                "1.公开2017年债务限额、2016年末债务余额等信息。(县财政局牵头,各乡镇负责落实)\n"
                "2.做好预算公开,9月底前公开部门预算。(县财政局负责)\n")
    assert plan.year == 2017
    first, second = plan.tasks
    assert "2016年末债务余额" in first.text and first.deadline == []
    assert [u.name for u in first.units] == ["县财政局", "各乡镇"]
    assert second.deadline == ["9月底前"]
    notes = warned(plan, "2016年末", "早于计划年度 2017 年")
    assert len(notes) == 1 and notes[0][0] == 3


def test_a_copied_past_deadline_is_not_taken_but_a_current_one_is():
    plan = read("某市市场监管局2024年政务公开工作要点\n一、加强制度建设\n"
                "1.于2022年11月底前建成规范性文件库,2024年6月底前完成更新。(办公室负责)\n")
    task, = plan.tasks
    assert task.deadline == ["2024年6月底前"]
    assert warned(plan, "2022年11月底前") and not warned(plan, "2024年6月底前")


def test_a_before_phrase_qualifying_a_noun_is_no_deadline():
    plan = read("某区2019年政务公开工作要点\n一、规范文件管理\n"
                "1.对2018年底前制定的规范性文件进行清理并公开目录。(区司法局负责)\n"
                "2.对年底前出台的政策做好解读。(区政府办负责)\n"
                "3.年底前完成政策文件清理。(区司法局负责)\n")
    assert [t.deadline for t in plan.tasks] == [[], [], ["年底前"]]
    assert not warned(plan, "早于计划年度")  # not a deadline at all, so nothing to refuse


def test_a_deadline_the_document_states_stays_as_written():
    plan = read("某县2024年政务公开工作任务分工表\n"
                "序号 | 工作任务 | 责任单位 | 完成时限\n"
                "1 | 建成政策文件库 | 县司法局 | 2023年底前\n"
                "2 | 更新公开目录 | 县政府办 | 2024年6月底前\n")
    assert [t.deadline for t in plan.tasks] == [["2023年底前"], ["2024年6月底前"]]
    plan = read("某县2024年政务公开工作要点\n一、完善制度\n"
                "1.建成政策文件库。(责任单位:县司法局,完成时限:2023年底前)\n")
    assert plan.tasks[0].deadline == ["2023年底前"]
    assert not warned(plan, "早于计划年度")


def test_the_users_year_decides(plans_repo, tmp_path):
    path = tmp_path / "附件1.txt"
    path.write_text("政务公开工作要点\n一、推进财政信息公开\n"
                    "1.公开2023年末债务余额,2024年9月底前公开预算。(县财政局负责)\n", encoding="utf-8")
    out = plans_repo.ok("import", str(path), "--dry-run", "--year", "2024")
    assert "早于计划年度 2024 年" in out
    assert read(path.read_text(encoding="utf-8"), 2024).tasks[0].deadline == ["2024年9月底前"]


@settings(max_examples=40, deadline=None)
@given(plan_year=st.integers(2016, 2026), offset=st.integers(-3, 2),
       form=st.sampled_from(["{y}年底前", "{y}年末", "{y}年6月底前", "{y}年3月31日前"]),
       verb=st.sampled_from(["完成", "建成", "制定的", "的", "公开"]))
def test_no_text_deadline_before_the_plan_year(plan_year, offset, form, verb):
    phrase = form.format(y=plan_year + offset)
    plan = read(f"某区{plan_year}年政务公开工作要点\n一、推进公开\n"
                f"1.做好信息公开,{phrase}{verb}规范性文件目录。(区政府办负责)\n")
    task, = plan.tasks
    for found in task.deadline:
        due = parse_deadline(found, plan_year).due
        assert due is None or due.year >= plan_year
    if offset >= 0 and not verb.endswith("的"):
        assert task.deadline == [phrase]
