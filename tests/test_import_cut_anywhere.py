"""Plans cut off at any point, as a web page's excerpt stops: what the importer reads from the part
before the cut is what it reads from the whole plan, and the last task says nothing it was not told."""

from __future__ import annotations

from conftest import pairs
from gktrack.features.importer import parse_document


def cut_warned(plan) -> bool:
    return any("文档在此处中断" in message for _, message in plan.warnings)


# ---- a flattened table's last row broken off inside its text -----------------------------------

TAB_TABLE = "\n".join([
    "某区2024年政务公开重点任务清单",
    "序号\t工作任务\t责任单位\t完成时限",
    "1\t及时公开区政府常务会议议定事项，做好会议解读。\t区政府办公室\t会后5个工作日内",
    "2\t做好涉企政策集中公开，开设惠企政策专区。\t区经信局、区商务局\t2024年6月底前",
    "3\t公开城乡低保、特困人员救助供养等社会救助政策。\t区民政局\t每季度",
])

PIPE_TABLE = "\n".join([
    "某市2024年政务公开工作任务分工表",
    "序号 | 重点任务 | 工作措施 | 责任单位 | 完成时限",
    "1 | 优化政策发布解读 | 规范性文件在印发后20个工作日内公开。 | 市司法局 | 全年",
    "2 |  | 建立政策解读质量评估机制，对解读材料质量进行抽查。 | 市发展改革委 | 2024年10月底前",
    "3 | 加强公众参与 | 制定并公开年度重大行政决策事项目录。 | 市司法局 | 2024年4月底前",
])


def test_a_tab_row_cut_in_its_text_takes_no_units_or_deadline_from_the_row_above():
    plan = parse_document(TAB_TABLE[:TAB_TABLE.index("救助供养")])
    last = plan.tasks[-1]
    assert (last.number, last.text, pairs(last), last.deadline) == ("3", "公开城乡低保、特困人员", [], [])
    assert pairs(plan.tasks[1]) == [("区经信局", "responsible"), ("区商务局", "responsible")]
    assert cut_warned(plan)


def test_a_pipe_row_cut_in_its_text_takes_no_units_or_deadline_from_the_row_above():
    plan = parse_document(PIPE_TABLE[:PIPE_TABLE.index("决策事项")])
    last = plan.tasks[-1]
    assert (last.number, last.text, pairs(last), last.deadline) == ("3", "制定并公开年度重大行政", [], [])
    assert cut_warned(plan)


def test_a_whole_last_row_of_a_flattened_table_is_read_as_before():
    for text in (TAB_TABLE, PIPE_TABLE):
        last = parse_document(text).tasks[-1]
        assert last.units and last.deadline


# ---- a few characters of the next heading, unit line or footer ---------------------------------

PROSE = "\n".join([
    "某县2024年政务公开工作要点",
    "一、加强政策解读",
    "(一)强化政策解读。对出台的重要政策,主要负责同志要通过撰写解读文章等方式带头解读。",
    "县政府办公室牵头,县直各部门配合",
    "二、推进决策公开",
    "(二)推进决策公开。涉及群众切身利益的重大决策事项,在决策前公开征求意见。",
    "党政综合办牵头,各乡镇人民政府配合",
    "(三)公开决策结果。重大决策作出后及时公开决策结果和解读材料。",
    "党政综合办",
    "抄送:县委办公室",
])


def test_the_start_of_a_heading_unit_line_or_footer_where_the_text_stops_is_no_task():
    whole = [task.text for task in parse_document(PROSE).tasks]
    for stop, fragment in (("党政综合办牵头", "党政综合"), ("党政综合办\n抄送", "党政综合"), ("抄送:", "抄送")):
        at = PROSE.index(stop) + len(fragment)
        plan = parse_document(PROSE[:at])
        assert PROSE[:at].endswith(fragment)
        # the tasks read are the whole plan's first ones, none of them the fragment or ending in it
        assert [task.text for task in plan.tasks] == whole[:len(plan.tasks)]
        assert any(f"文档在此处中断,末尾残缺的“{fragment}”" in message for _, message in plan.warnings)


def test_a_numbered_item_cut_after_its_first_words_is_reported_as_cut():
    at = PROSE.index("(三)公开") + len("(三)公开")
    plan = parse_document(PROSE[:at])
    assert (plan.tasks[-1].number, plan.tasks[-1].text, plan.tasks[-1].units) == ("(三)", "公开", [])
    assert any(line == 8 and "文档在此处中断" in message for line, message in plan.warnings)


def test_a_short_numbered_last_item_of_a_list_is_not_reported_as_cut():
    text = "\n".join(PROSE.split("\n")[:7] + ["三、保障措施", "1.加强组织领导", "2.强化监督考核"])
    assert not cut_warned(parse_document(text))


# ---- a unit bracket or label opened where the text stops ---------------------------------------

BRACKETED = "\n".join([
    "某市2024年政务公开工作要点",
    "一、推进决策公开",
    "1.推进决策公开。涉及群众切身利益的重大决策事项,在决策前公开征求意见。(责任单位:市司法局)",
    "2.做好政策解读。政策文件与解读材料同步起草、同步审签、同步发布。(责任单位:市政府办公室、市直各部门)",
])


def test_a_unit_bracket_opened_where_the_text_stops_is_reported_as_cut():
    at = BRACKETED.index("(责任单位:市政府") + len("(责任单位:")
    plan = parse_document(BRACKETED[:at])
    assert plan.tasks[-1].number == "2." and plan.tasks[-1].units == []
    assert any(line == 4 and "文档在此处中断" in message for line, message in plan.warnings)


def test_a_unit_line_cut_right_after_a_separator_is_reported_with_the_names_read():
    at = PROSE.index("党政综合办牵头") + len("党政综合办牵头,")
    text = PROSE[:at].replace("党政综合办牵头,", "党政综合办、")
    plan = parse_document(text)
    assert pairs(plan.tasks[-1]) == [("党政综合办", "responsible")]
    assert any("责任单位可能不完整:读取为“党政综合办”" in message for _, message in plan.warnings)


# ---- a bracket closed inside a sentence where the text stops ------------------------------------

def test_a_text_cut_right_after_a_bracket_inside_its_sentence_is_reported_as_cut_unlike_a_unit_bracket():
    text = "\n".join(BRACKETED.split("\n")[:3] + ["2.推动基层政务公开与村(居)务公开协同发展。(责任单位:市民政局)"])
    for stop in ("村(居)", "村（居）"):
        cut = text.replace("村(居)", stop)
        plan = parse_document(cut[:cut.index(stop) + len(stop)])
        assert plan.tasks[-1].text.endswith("与" + stop) and plan.tasks[-1].units == []
        assert any(line == 4 and "文档在此处中断" in message for line, message in plan.warnings)
    # a bracket after a full stop, or holding the item's units or deadline, ends a whole text
    for last in ("2.做好政策解读。(责任单位:市政府办公室)", "2.做好政策解读,同步发布(市政府办公室负责)",
                 "2.做好政策解读,建立政策解读专家库(2024年6月底前)"):
        plan = parse_document("\n".join(BRACKETED.split("\n")[:3] + [last]))
        assert plan.tasks[-1].text.startswith("做好政策解读") and not cut_warned(plan)


# ---- the first characters of a last unit name where the text stops --------------------------------

def test_a_last_unit_name_cut_to_one_or_two_characters_is_dropped_and_said():
    prose = PROSE.replace("县政府办公室牵头,县直各部门配合", "县政府办公室、县直各部门")
    for text, stop, kept in ((prose, "县政府办公室、县", "县政府办公室"), (TAB_TABLE, "区经信局、区", "区经信局"),
                             (PIPE_TABLE, "| 市", None)):
        plan = parse_document(text[:text.index(stop) + len(stop)])
        last = plan.tasks[-1]
        assert [unit.name for unit in last.units] == ([kept] if kept else [])
        assert last.units_text == kept
        assert any(f"末尾残缺的“{stop[-1]}”未作为单位" in message for _, message in plan.warnings)
    # a short name the plan names elsewhere is whole
    text = TAB_TABLE.replace("区政府办公室", "区委") + "\n4\t公开社会救助资金发放情况。\t区委"
    assert [unit.name for unit in parse_document(text).tasks[-1].units] == ["区委"]
    # and a two-character body's name ending a whole plan, named nowhere else, is whole too
    whole = PROSE[:PROSE.index("\n抄送")]
    assert whole.endswith("\n党政综合办")
    for name in ("团委", "妇联"):
        plan = parse_document(whole + f"、{name}")
        assert [unit.name for unit in plan.tasks[-1].units] == ["党政综合办", name]
        assert not any("残缺" in message for _, message in plan.warnings)


def test_a_unit_label_cut_off_before_its_first_name_stays_out_of_the_task_text():
    for label in ("(责任单位:", "（牵头单位：", "(责任单位"):
        text = BRACKETED.replace("(责任单位:市政府", label + "市政府")
        plan = parse_document(text[:text.index(label + "市政府") + len(label)])
        assert plan.tasks[-1].text == "做好政策解读。政策文件与解读材料同步起草、同步审签、同步发布。"
        assert plan.tasks[-1].units == []
        assert any(line == 4 and f"文档在此处中断,最后一项任务的“{label}”之后没有单位名称" in message
                   for line, message in plan.warnings)


def test_a_unit_label_line_cut_after_its_colon_names_no_one():
    for label in ("责任单位:", "牵头单位：", "配合单位:"):
        lines = BRACKETED.split("\n")
        lead = "牵头单位:市政府办公室" if label == "配合单位:" else None
        text = "\n".join(lines[:3] + [lines[3][:lines[3].index("(")]] + ([lead] if lead else []) + [label])
        plan = parse_document(text)
        assert plan.tasks[-1].text == "做好政策解读。政策文件与解读材料同步起草、同步审签、同步发布。"
        assert pairs(plan.tasks[-1]) == ([("市政府办公室", "lead")] if lead else [])
        assert pairs(plan.tasks[0]) == [("市司法局", "responsible")]
        assert not any("无法识别" in message for _, message in plan.warnings)
        at = len(text.split("\n"))
        assert any(line == at and f"文档在此处中断,最后一项任务的“{label}”之后没有单位名称" in message
                   for line, message in plan.warnings)


def test_a_row_cut_after_its_unit_cell_takes_no_deadline_from_the_row_above_where_no_cells_are_merged():
    for stop in ("区民政局", "区民政局\t"):
        text = TAB_TABLE[:TAB_TABLE.index("区民政局") + len(stop)]
        last = parse_document(text).tasks[-1]
        assert (last.number, pairs(last), last.deadline) == ("3", [("区民政局", "responsible")], [])
    # a table whose rows leave out merged cells takes them from the row above, at its end too
    merged = "\n".join(TAB_TABLE.split("\n")[:3] + ["2\t做好涉企政策集中公开，开设惠企政策专区。\t区经信局",
                                                    "3\t公开城乡低保、特困人员救助供养等社会救助政策。\t区民政局"])
    assert parse_document(merged).tasks[-1].deadline == ["会后5个工作日内"]


# ---- a table written one cell a line, its next row's first words where the text stops -------------

CELL_LINES = "\n\n".join([
    "某区2024年政务公开重点工作任务分工表",
    "工作任务", "具体要求", "责任单位", "时限要求",
    "1.聚焦政府中心工作。",
    "加强现代化产业体系建设、扩大有效需求等方面的信息公开。",
    "区发改委、区商务局按职责分工负责", "持续推进", "及时更新",
    "围绕“数字政府”建设和民营企业市场准入等方面政策措施,加强相关信息主动公开。",
    "区发改委、区政数局按职责分工负责", "持续推进", "及时更新",
    "围绕市场经济运行各领域各环节,依法推进企业信用信息公开公示。",
    "区市场监管局按职责分工负责", "持续推进",
])


def test_the_first_words_of_a_cell_a_line_row_where_the_text_stops_are_no_deadline():
    whole = parse_document(CELL_LINES).tasks
    assert [task.deadline for task in whole] == [["持续推进", "及时更新"]] * 2 + [["持续推进"]]
    plan = parse_document(CELL_LINES[:CELL_LINES.index("各领域")])
    assert plan.tasks[1].deadline == ["持续推进", "及时更新"]
    assert all("围绕市场经济运行" not in task.deadline for task in plan.tasks)
    assert cut_warned(plan)
