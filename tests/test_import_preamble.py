"""A plan's introduction known by where it stands, not by a fixed list of titles.

A top-level part titled by a general word of the introduction's kind (…要求, …目标, …思想, …原则,
…思路, …依据) that comes before the first part holding the plan's tasks, and holds no unit phrase,
no deadline and no numbered items itself, is the plan's introduction: reported, never a task. The
same title after the task parts ("三、工作要求 (一)加强组织领导…(X负责)"), or a part so titled that
holds tasks of its own, is read like any other part.

The documents are small ones written for these tests, in the shapes real plans take.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from gktrack.features.importer.lines import INTRO_TITLE

TITLE = "青禾县2024年政务公开工作方案"
LEAD = "为做好全县政务公开工作,结合本县实际,制定本方案。"
INTRO_TEXT = "对照上级部署梳理年度重点任务,明确公开责任,形成工作台账,推动政务公开基础巩固提升。"
TASK_PART = ("二、重点任务\n"
             "(一)深化惠企政策解读。围绕减税降费政策发布图文解读。\n"
             "(二)规范依申请公开办理。完善登记、审核、答复流程。\n")
TASKS = ["深化惠企政策解读。围绕减税降费政策发布图文解读。", "规范依申请公开办理。完善登记、审核、答复流程。"]


def rows(plan) -> list[tuple[str | None, str | None, str]]:
    """(section title, number, text) of every task."""
    titles = {s.key: s.title for s in plan.sections}
    return [(titles.get(t.section), t.number, t.text) for t in plan.tasks]


def messages(plan) -> list[str]:
    return [message for _, message in plan.warnings]


def intro_document(title: str) -> str:
    return f"{TITLE}\n{LEAD}\n一、{title}\n{INTRO_TEXT}\n{TASK_PART}"


# ---- before the tasks: the introduction -----------------------------------------------------------


def test_work_requirements_before_the_task_part_is_the_introduction():
    plan = parse_document(intro_document("工作要求"))
    assert rows(plan) == [("重点任务", "(一)", TASKS[0]), ("重点任务", "(二)", TASKS[1])]
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "重点任务")]
    assert (3, "“工作要求”是方案的总体说明,不作为任务") in plan.warnings
    assert (4, "“工作要求”部分不是任务,未导入:对照上级部署梳理年度重点任务,明确公开责任,形成…") in plan.warnings
    assert not any("只有方案的总体说明" in message for message in messages(plan))


def test_overall_goal_and_basic_requirements_before_the_task_part():
    for title in ("总体目标", "基本要求"):
        plan = parse_document(intro_document(title))
        assert [text for _, _, text in rows(plan)] == TASKS, title
        assert [s.title for s in plan.sections] == ["重点任务"], title
        assert f"“{title}”是方案的总体说明,不作为任务" in messages(plan), title
        assert any(message.startswith(f"“{title}”部分不是任务,未导入:对照上级部署") for message in messages(plan))


def test_two_introduction_parts_in_a_row_then_the_tasks():
    document = (f"{TITLE}\n一、指导思想和基本原则\n坚持以人民为中心,坚持依法公开、便民高效。\n"
                f"二、工作要求\n{INTRO_TEXT}\n" + TASK_PART.replace("二、", "三、"))
    plan = parse_document(document)
    assert [text for _, _, text in rows(plan)] == TASKS
    assert [(s.number, s.title) for s in plan.sections] == [("三、", "重点任务")]
    assert "“指导思想和基本原则”是方案的总体说明,不作为任务" in messages(plan)
    assert "“工作要求”是方案的总体说明,不作为任务" in messages(plan)


def test_introduction_title_and_text_on_one_line_is_reported_not_dropped():
    # a flat plan: every part a single item, the first one the introduction (by where it stands, or
    # by its title as before: its text was left out without a word)
    for title in ("工作要求", "总体要求"):
        document = (f"{TITLE}\n一、{title}。{INTRO_TEXT}\n"
                    "二、深化惠企政策解读。围绕减税降费政策发布图文解读。(县发改局负责)\n"
                    "三、规范依申请公开办理。完善登记、审核、答复流程。(县司法局负责)\n")
        plan = parse_document(document)
        assert [(t.number, t.text, t.units_text) for t in plan.tasks] == [
            ("二、", TASKS[0], "县发改局负责"), ("三、", TASKS[1], "县司法局负责")]
        assert (2, f"“{title}”是方案的总体说明,不作为任务") in plan.warnings
        assert (2, f"“{title}”部分不是任务,未导入:对照上级部署梳理年度重点任务,明确公开责任,形成…") in plan.warnings


# ---- after the tasks, or holding tasks: a part like any other -------------------------------------


def test_work_requirements_after_the_task_parts_keep_their_tasks():
    document = (f"{TITLE}\n一、工作要求\n{INTRO_TEXT}\n{TASK_PART}"
                "三、工作要求\n(一)加强组织领导。各部门明确分管负责人和工作人员。(县政府办公室负责)\n"
                "(二)强化督促检查。将政务公开纳入年度绩效考核。(县政府督查室负责,2024年12月底前)\n")
    plan = parse_document(document)
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "重点任务"), ("三、", "工作要求")]
    assert rows(plan)[2:] == [
        ("工作要求", "(一)", "加强组织领导。各部门明确分管负责人和工作人员。"),
        ("工作要求", "(二)", "强化督促检查。将政务公开纳入年度绩效考核。"),
    ]
    assert [u.name for u in plan.tasks[2].units] == ["县政府办公室"]
    assert [u.name for u in plan.tasks[3].units] == ["县政府督查室"]
    assert plan.tasks[3].deadline == ["2024年12月底前"]
    # only the one at the top is the introduction
    assert messages(plan).count("“工作要求”是方案的总体说明,不作为任务") == 1


def test_work_requirements_paragraph_at_the_end_is_read_as_before():
    document = (f"{TITLE}\n{TASK_PART.replace('二、', '一、')}"
                "二、工作要求\n各部门要高度重视,按时报送工作进展情况。(县政府办公室负责)\n")
    plan = parse_document(document)
    assert rows(plan)[-1] == ("工作要求", None, "各部门要高度重视,按时报送工作进展情况。")
    assert [u.name for u in plan.tasks[-1].units] == ["县政府办公室"]
    assert not any("总体说明" in message for message in messages(plan))


def test_a_part_titled_like_requirements_holding_unit_items_is_tasks():
    document = (f"{TITLE}\n一、工作要求\n(一)完善公开目录。更新本部门政务公开事项目录。(县司法局负责)\n"
                "(二)加强队伍建设。开展政务公开业务培训。(县政府办公室负责)\n" + TASK_PART)
    plan = parse_document(document)
    assert [(s.number, s.title) for s in plan.sections] == [("一、", "工作要求"), ("二、", "重点任务")]
    assert rows(plan)[:2] == [
        ("工作要求", "(一)", "完善公开目录。更新本部门政务公开事项目录。"),
        ("工作要求", "(二)", "加强队伍建设。开展政务公开业务培训。"),
    ]
    assert [u.name for u in plan.tasks[0].units] == ["县司法局"]
    assert not any("总体说明" in message for message in messages(plan))


def test_a_requirements_part_naming_its_unit_or_deadline_is_a_task():
    for said in ("(县政府办公室负责)", "2024年6月底前完成。"):
        document = f"{TITLE}\n一、工作要求\n{INTRO_TEXT}{said}\n{TASK_PART}"
        plan = parse_document(document)
        assert [title for title, _, _ in rows(plan)] == ["工作要求", "重点任务", "重点任务"], said
        assert plan.tasks[0].text.startswith("对照上级部署"), said
        assert not any("总体说明" in message for message in messages(plan)), said


def test_a_title_that_says_what_to_do_is_no_introduction():
    # "坚持公开原则" ends like a principle but says what to do: a task, as before
    document = f"{TITLE}\n一、坚持公开原则\n{INTRO_TEXT}\n{TASK_PART}"
    plan = parse_document(document)
    assert rows(plan)[0] == ("坚持公开原则", None, INTRO_TEXT)


def test_requirements_with_nothing_after_them_stay_as_before():
    # an excerpt cut after the part: no task part follows, so nothing says it is an introduction
    plan = parse_document(f"{TITLE}\n{LEAD}\n一、工作要求\n{INTRO_TEXT}\n")
    assert [(t.number, t.text) for t in plan.tasks] == [("一、", "工作要求\n" + INTRO_TEXT)]
    assert not any("总体说明" in message for message in messages(plan))


# ---- property: wherever the introduction's words are, its text is never a task --------------------

_PREFIXES = st.sampled_from(["", "工作", "总体", "基本", "主要", "有关", "总"])
_WORDS = st.sampled_from(["要求", "目标", "思想", "原则", "思路", "依据"])
_SENTENCES = st.lists(st.sampled_from([
    "坚持以公开为常态、不公开为例外。", "推动政务公开工作提质增效。", "确保各项任务落到实处。",
    "围绕中心工作梳理公开事项。", "持续提升群众满意度。"]), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=_PREFIXES, word=_WORDS, sentences=_SENTENCES, after=st.booleans())
def test_property_introduction_before_tasks_never_a_task(prefix, word, sentences, after):
    title, text = prefix + word, "".join(sentences)
    # "总体要求", "工作目标" …: the introduction wherever they stand, as they always were
    assume(not (after and INTRO_TITLE.match(title)))
    document = f"{TITLE}\n一、{title}\n{text}\n{TASK_PART}"
    if after:  # the same title at the end, with a unit: a task part like any other
        document += f"三、{title}\n(一)抓好工作落实。按时报送进展情况。(县政府办公室负责)\n"
    plan = parse_document(document)
    assert text not in [t.text for t in plan.tasks]
    assert any(message.startswith(f"“{title}”") and "不作为任务" in message for message in messages(plan))
    expected = TASKS + (["抓好工作落实。按时报送进展情况。"] if after else [])
    assert [t.text for t in plan.tasks] == expected
