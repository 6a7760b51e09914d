"""Plans cut off at any point, as a web page's excerpt stops: what the importer reads from the part
before the cut is what it reads from the whole plan, and the last task says nothing it was not told."""

from __future__ import annotations

from gktrack.features.importer import parse_document


def units(task) -> list[tuple[str, str]]:
    return [(unit.name, unit.role) for unit in task.units]


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
    assert (last.number, last.text, units(last), last.deadline) == ("3", "公开城乡低保、特困人员", [], [])
    assert units(plan.tasks[1]) == [("区经信局", "responsible"), ("区商务局", "responsible")]
    assert cut_warned(plan)


def test_a_pipe_row_cut_in_its_text_takes_no_units_or_deadline_from_the_row_above():
    plan = parse_document(PIPE_TABLE[:PIPE_TABLE.index("决策事项")])
    last = plan.tasks[-1]
    assert (last.number, last.text, units(last), last.deadline) == ("3", "制定并公开年度重大行政", [], [])
    assert cut_warned(plan)


def test_a_whole_last_row_of_a_flattened_table_is_read_as_before():
    for text in (TAB_TABLE, PIPE_TABLE):
        last = parse_document(text).tasks[-1]
        assert last.units and last.deadline
