"""Layouts met in real plans the importer had not seen (helper `newdocs`): each test's text is
written for the test in the layout seen, with its own tasks and units."""

from __future__ import annotations

from gktrack.features.importer import parse_document
from gktrack.features.importer.table import TEXT, header_role

R, L, S = "responsible", "lead", "support"


def _tasks(plan):
    return [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks]


# ---- a pipe table whose first row carries a category the header's first name spans ---------------

def test_two_text_column_names_joined_by_he_name_a_text_column():
    assert header_role("目标和要求") == TEXT
    assert header_role("内容及要求") == TEXT
    assert header_role("牵头单位及配合单位") is None  # two kinds of column: no one role


def test_a_full_width_first_row_with_a_category_before_the_task_is_read_one_column_on():
    # the empty 备注 column was dropped from every row; the first row alone holds the category
    # (merged down over the others), so it is as wide as the header but one column on
    text = "\n".join([
        "工作任务 | 目标和要求 | 责任单位 | 备注 |",
        "规范信息发布 | 完善网站栏目 | 梳理政府网站各栏目,及时更新过时内容,确保信息准确 | 区政府办、区融媒体中心 | |",
        "加强政策解读 | 重要政策文件与解读材料同步起草、同步审签、同步发布 | 区司法局 | |",
        "办好依申请公开 | 规范申请登记、办理、答复各环节,按时办结 | 区政府办 | |",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("完善网站栏目\n梳理政府网站各栏目,及时更新过时内容,确保信息准确", [("区政府办", R), ("区融媒体中心", R)], []),
        ("加强政策解读\n重要政策文件与解读材料同步起草、同步审签、同步发布", [("区司法局", R)], []),
        ("办好依申请公开\n规范申请登记、办理、答复各环节,按时办结", [("区政府办", R)], []),
    ]
    # the rows after the first lost the category on the left: they stay in it
    assert [s.title for s in plan.sections] == ["规范信息发布"]
    assert {t.section for t in plan.tasks} == {plan.sections[0].key}
    assert not any("备注" in t.text for t in plan.tasks)


# ---- "X牵头Y配合" with the comma left out -------------------------------------------------------

def test_a_unit_phrase_without_its_comma_names_each_unit_with_its_role():
    from gktrack.domain.unitphrase import parse_unit_phrase

    def read(phrase):
        return [(u.name, u.role) for u in parse_unit_phrase(phrase)]

    assert read("综合科牵头各业务科室配合") == [("综合科", L), ("各业务科室", S)]
    assert read("县民政局牵头县直有关部门配合各镇负责") == [
        ("县民政局", L), ("县直有关部门", S), ("各镇", R)]
    # what the lead does runs on into the next names: the group word after it is the next unit
    assert read("党政办牵头做好栏目维护各站所分别落实") == [("党政办", L), ("各站所", R)]
    # one unit and what it does stays one unit
    assert read("县财政局牵头做好预算公开") == [("县财政局", L)]


def test_inline_units_without_their_comma_in_a_prose_plan():
    text = "\n".join([
        "某局2024年政务公开工作要点",
        "一、做好政策解读",
        "起草科室同步起草解读材料,随文件一并报审、一并发布。(办公室牵头做好审核把关各科室分别落实)",
        "二、管好网站栏目",
        "每月检查一次栏目内容,及时删除过期信息。(办公室牵头各科室配合)",
    ]) + "\n"
    plan = parse_document(text)
    assert [[(u.name, u.role) for u in t.units] for t in plan.tasks] == [
        [("办公室", L), ("各科室", R)], [("办公室", L), ("各科室", S)]]

