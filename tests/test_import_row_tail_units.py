"""The importer on an item whose last sentence names who does it and by when, with nothing between
them ("…更新。综合科、法规科常态化开展"): a table row whose cells ran together, or a plain list
written so. The units and the deadline leave the task's text; a last sentence that is ordinary
text ending in a deadline word ("此项工作持续推进") stays text, without units."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

R = "responsible"
HEAD = "某县档案局2024年政务公开工作要点\n一、夯实公开基础\n"


def read(plan) -> list[tuple]:
    return [(t.number, t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks]


def test_a_flattened_table_row_gives_its_units_and_deadline():
    """A division-of-labour table read without its cell separators: each row is the task, then the
    responsible offices, then the time, all on one line."""
    text = ("某市档案局2024年政务公开工作要点分工方案\n"
            "一、夯实公开基础(一)集中公开规章文件。1. 完善本系统规章汇编,定期做好汇编更新。综合科、法规科,各有关科室常态化开展\n"
            "2. 推进规范性文件清理工作。法规科,综合科长期坚持\n"
            "3. 建设本系统文件检索平台。法规科2024年10月底前\n")
    plan = parse_document(text)
    assert read(plan) == [
        ("1.", "完善本系统规章汇编,定期做好汇编更新。", [("综合科", R), ("法规科", R), ("各有关科室", R)], ["常态化开展"]),
        ("2.", "推进规范性文件清理工作。", [("法规科", R), ("综合科", R)], ["长期坚持"]),
        ("3.", "建设本系统文件检索平台。", [("法规科", R)], ["2024年10月底前"]),
    ]
    assert {t.section for t in plan.tasks} == {"1.1"}
    assert [(t.units_text) for t in plan.tasks][0] == "综合科、法规科,各有关科室"


def test_a_plain_item_ending_in_units_and_a_deadline():
    """"A、B,C常态化开展。" closing an ordinary numbered item, with its full stop."""
    plan = parse_document(HEAD + "1. 编制年度公开目录,及时调整目录内容。县档案局、县司法局,各乡镇常态化开展。\n"
                                 "2. 做好依申请公开答复工作。县档案局年底前完成。\n")
    assert read(plan) == [
        ("1.", "编制年度公开目录,及时调整目录内容。", [("县档案局", R), ("县司法局", R), ("各乡镇", R)], ["常态化开展"]),
        ("2.", "做好依申请公开答复工作。", [("县档案局", R)], ["年底前完成"]),
    ]


def test_collectives_alone_before_the_deadline_are_units():
    """"各乡镇各部门持续推进": a sentence that only says who (collectives) and when is read so."""
    plan = parse_document(HEAD + "1. 规范政府网站信息发布。各乡镇各部门持续推进。\n"
                                 "2. 落实信息发布审核制度。县档案局牵头,各乡镇配合。\n")
    assert read(plan)[0] == ("1.", "规范政府网站信息发布。", [("各乡镇各部门", R)], ["持续推进"])


def test_ordinary_last_sentences_ending_in_a_deadline_word_stay_text():
    """What comes before the deadline word must be a clean list of units: a topic, a clause before a
    unit, a verb before a collective, or a sentence asking units to act is no unit phrase; and a time
    that carries the act itself ("每季度通报一次") says what the unit does, it is no time cell."""
    sentences = ["此项工作持续推进。", "建立健全工作台账,相关部门常态化开展。", "督促各乡镇持续推进。",
                 "各部门要常态化开展。", "在全县范围内长期坚持。", "县档案局每季度通报一次。", "各科室及时更新"]
    lines = [f"{n}. 规范政府网站信息发布。{last}" for n, last in enumerate(sentences, 1)]
    plan = parse_document(HEAD + "\n".join(lines) + "\n")
    assert [(t.number, t.text, t.units) for t in plan.tasks] == [
        (f"{n}.", f"规范政府网站信息发布。{last}", []) for n, last in enumerate(sentences, 1)]


def test_a_row_tail_without_a_full_stop_is_not_reported_as_cut():
    """The last line ends in units and a time, no full stop: the row is whole, not a cut document."""
    plan = parse_document(HEAD + "1. 编制年度公开目录。县档案局常态化开展\n2. 清理过期政策文件。县司法局常态化开展\n")
    assert read(plan)[-1] == ("2.", "清理过期政策文件。", [("县司法局", R)], ["常态化开展"])
    assert not [message for _, message in plan.warnings if "中断" in message], plan.warnings


_WORDS = "推进完善公开政策信息决策执行管理服务结果解读回应规范制度监督"
_UNITS = ["县财政局", "县人社局", "县司法局", "县数据局", "各街道办事处", "县直有关单位"]
_DEADLINES = ["常态化开展", "持续推进", "长期坚持", "年底前", "2024年6月底前", "每季度"]


@st.composite
def row_items(draw):
    """One item: a sentence, then either 1–3 units and a deadline (joined by 、 or ,) or ordinary
    words and a deadline; with or without a full stop at the end."""
    body = draw(st.text(alphabet=_WORDS, min_size=4, max_size=20)) + "。"
    deadline = draw(st.sampled_from(_DEADLINES))
    units = draw(st.lists(st.sampled_from(_UNITS), min_size=1, max_size=3, unique=True))
    joiner = draw(st.sampled_from(["、", ","]))
    words = draw(st.text(alphabet=_WORDS, min_size=2, max_size=8))
    stop = draw(st.sampled_from(["", "。"]))
    named = draw(st.booleans())
    tail = (joiner.join(units) if named else words) + deadline
    return body, tail + stop, units if named else [], deadline


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row_items())
def test_units_and_deadline_leave_the_text_only_when_the_tail_names_units(case):
    body, tail, units, deadline = case
    plan = parse_document(HEAD + f"1. {body}{tail}\n")
    [task] = plan.tasks
    if units:
        assert (task.text, [u.name for u in task.units], task.deadline) == (body, units, [deadline])
    else:
        assert (task.text, task.units) == (body + tail, [])


# ---- a list numbered on across subsections, its first item inside a heading's line ----------------

def test_numbering_that_runs_on_into_the_next_subsection_splits_after_its_heading():
    """Items 1–2 under (一), item 3 under (二) on (二)'s own line: "3." starts an item there, as "1."
    does after (一)'s heading."""
    text = ("某市档案局2024年政务公开工作要点分工方案\n"
            "一、夯实公开基础(一)集中公开规章文件。1. 完善本系统规章汇编。综合科常态化开展\n"
            "2. 推进规范性文件清理工作。法规科常态化开展\n"
            "(二)推进基层公开规范化。3. 指导基层单位更新公开目录。综合科年底前\n")
    plan = parse_document(text)
    assert [(s.key, s.number) for s in plan.sections] == [("1", "一、"), ("1.1", "(一)"), ("1.2", "(二)")]
    assert [(t.section, t.number, t.text, [u.name for u in t.units], t.deadline) for t in plan.tasks] == [
        ("1.1", "1.", "完善本系统规章汇编。", ["综合科"], ["常态化开展"]),
        ("1.1", "2.", "推进规范性文件清理工作。", ["法规科"], ["常态化开展"]),
        ("1.2", "3.", "指导基层单位更新公开目录。", ["综合科"], ["年底前"]),
    ]


def test_a_number_that_neither_restarts_nor_runs_on_stays_in_the_text():
    """After 1–2 under (一), "(二)….5. …" is neither 1 nor 3: no item starts there."""
    text = ("某县2024年政务公开工作要点\n"
            "一、夯实公开基础\n(一)集中公开规章文件\n1. 完善本系统规章汇编。\n2. 推进规范性文件清理。\n"
            "(二)推进基层公开规范化。5. 指导基层单位更新公开目录。\n")
    plan = parse_document(text)
    assert [t.number for t in plan.tasks][:2] == ["1.", "2."]
    assert not any(t.number == "5." for t in plan.tasks)
    assert any("5. 指导基层单位更新公开目录。" in t.text for t in plan.tasks)
