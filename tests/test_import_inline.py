"""The importer on documents whose line breaks were lost (headings and items run into one line),
and on a body list followed by a table that repeats it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from conftest import pairs

L, S, R = "lead", "support", "responsible"


def outline(plan) -> tuple[list, list]:
    """Sections and tasks as compared: what a plan file keeps of them, without line numbers."""
    return ([(s.key, s.number, s.title) for s in plan.sections],
            [(t.section, t.number, t.text, pairs(t), t.deadline) for t in plan.tasks])


# A plan written one item a line, and the same plan as a web page that lost every line break.
LINES = [
    "某县2024年政务公开工作要点",
    "为做好本年度政务公开工作,结合本县实际,制定本要点。",
    "一、总体要求",
    "以新时代政务公开工作要求为指导,持续提升政务公开质量。",
    "二、重点任务",
    "(一)深化决策公开。",
    "1.完善重大行政决策目录管理,年内公布决策事项目录。(县司法局牵头,各乡镇配合)",
    "2.推进会议开放,邀请群众代表列席常务会议。(县政府办负责)",
    "(二)加强政策解读",
    "1、严格落实政策文件与解读材料同步审签制度。(县政府办牵头)",
    "三、回应社会关切",
    "一是完善舆情收集研判机制,及时回应群众关切。(县委网信办牵头落实)"
    "二是办好政府开放日活动,每季度至少举办一次。(县政府办牵头,县直各部门配合)",
    "四、保障措施",
    "各部门要加强组织领导,确保各项任务落到实处。",
]


def test_whole_plan_on_one_line():
    plan = parse_document("".join(LINES))
    sections, tasks = outline(plan)
    assert sections == [("2", "二、", "重点任务"), ("2.1", "(一)", "深化决策公开"), ("2.2", "(二)", "加强政策解读"),
                        ("3", "三、", "回应社会关切"), ("4", "四、", "保障措施")]
    assert [(t[0], t[1], t[2], t[3]) for t in tasks] == [
        ("2.1", "1.", "完善重大行政决策目录管理,年内公布决策事项目录。", [("县司法局", L), ("各乡镇", S)]),
        ("2.1", "2.", "推进会议开放,邀请群众代表列席常务会议。", [("县政府办", R)]),
        ("2.2", "1、", "严格落实政策文件与解读材料同步审签制度。", [("县政府办", L)]),
        ("3", None, "一是完善舆情收集研判机制,及时回应群众关切。", [("县委网信办", L)]),
        ("3", None, "二是办好政府开放日活动,每季度至少举办一次。", [("县政府办", L), ("县直各部门", S)]),
        ("4", None, "各部门要加强组织领导,确保各项任务落到实处。", []),
    ]
    # "总体要求" swallowed its body: the title is taken apart, the body is the plan's introduction
    assert any("“总体要求”是方案的总体说明" in message for _, message in plan.warnings)
    assert outline(plan) == outline(parse_document("\n".join(LINES)))


def test_unnumbered_part_title_before_the_first_item_on_one_line():
    plan = parse_document("某县2024年政务公开工作方案为做好本年度政务公开工作,制定本方案。"
                          "工作目标到年底公开质量明显提升。主要任务深化重点领域信息公开"
                          "1.做好财政预决算信息公开。(县财政局负责)2.做好保障性住房信息公开。(县住建局负责)")
    assert [(t.number, t.text, pairs(t)) for t in plan.tasks] == [
        ("1.", "做好财政预决算信息公开。", [("县财政局", R)]),
        ("2.", "做好保障性住房信息公开。", [("县住建局", R)]),
    ]


def test_heading_that_swallowed_its_body():
    plan = parse_document("某区2024年政务公开工作要点\n"
                          "一、工作目标到年底,政务公开制度体系更加完善,公开质量明显提升。\n"
                          "二、主要任务\n"
                          "(一)推进决策公开。完善决策事项目录,按季度更新。(区司法局负责)\n"
                          "(二)加强组织领导。各部门要明确专人负责。(区政府办负责)\n")
    assert [(s.number, s.title) for s in plan.sections] == [("二、", "主要任务")]
    assert [(t.number, t.text, pairs(t)) for t in plan.tasks] == [
        ("(一)", "推进决策公开。完善决策事项目录,按季度更新。", [("区司法局", R)]),
        ("(二)", "加强组织领导。各部门要明确专人负责。", [("区政府办", R)]),
    ]
    assert any("“工作目标”是方案的总体说明" in message for _, message in plan.warnings)


def test_a_title_that_only_starts_like_a_part_title_is_kept_whole():
    plan = parse_document("某区2024年政务公开工作要点\n"
                          "一、重点任务推进情况。各单位按月报送进展。\n"
                          "1.报送决策公开进展。(区司法局负责)\n")
    assert [s.title for s in plan.sections] == ["重点任务推进情况"]


def test_first_second_items_under_a_heading_each_keep_their_units():
    plan = parse_document("某镇2024年政务公开工作要点\n"
                          "一、深化重点领域信息公开\n"
                          "一是及时公开财政预决算信息,细化到项级科目。(镇财政所牵头落实)"
                          "二是做好征地补偿信息公开,公开补偿标准和安置方案。(镇自然资源所牵头落实,各村配合)\n"
                          "二、强化政策解读\n"
                          "围绕惠企政策开展解读,解读材料与文件同步发布。(镇党政办负责)\n")
    assert [(t.section, t.text, pairs(t)) for t in plan.tasks] == [
        ("1", "一是及时公开财政预决算信息,细化到项级科目。", [("镇财政所", L)]),
        ("1", "二是做好征地补偿信息公开,公开补偿标准和安置方案。", [("镇自然资源所", L), ("各村", S)]),
        ("2", "围绕惠企政策开展解读,解读材料与文件同步发布。", [("镇党政办", R)]),
    ]


def test_numbers_inside_sentences_are_not_split():
    text = ("某县2024年政务公开工作要点\n"
            "一、深化决策公开\n"
            "1.依据《条例》第3条规定,对下列事项予以公开:(1)重大行政决策事项;(2)规范性文件。(县司法局负责)\n"
            "2.自2024.1.起按月更新公开目录,信息发布量提高到上年的1.5倍;第2条所列事项同步公开。(县政府办负责)\n"
            "3.做好信息发布。具体包括(1)政策文件;(2)解读材料。(县政务服务中心负责)\n")
    plan = parse_document(text)
    assert [(s.number, s.title) for s in plan.sections] == [("一、", "深化决策公开")]
    assert [(t.number, t.text, pairs(t)) for t in plan.tasks] == [
        ("1.", "依据《条例》第3条规定,对下列事项予以公开:(1)重大行政决策事项;(2)规范性文件。", [("县司法局", R)]),
        ("2.", "自2024.1.起按月更新公开目录,信息发布量提高到上年的1.5倍;第2条所列事项同步公开。", [("县政府办", R)]),
        ("3.", "做好信息发布。具体包括(1)政策文件;(2)解读材料。", [("县政务服务中心", R)]),
    ]
    assert outline(parse_document(text.replace("\n", ""))) == outline(plan)


def test_a_run_of_items_without_sentence_ends_is_split_at_its_numbers():
    # the whole plan on one line, its first items not ending their sentences: "…责任2.完善…3.加强…"
    text = ("某区教育局2025年政务公开工作计划为做好本年度政务公开工作,结合本区实际,制定本计划如下:"
            "一、健全工作机制,打牢公开基础。1.压实公开工作责任2.完善公开目录,依照办法第2.5条按季度更新"
            "3.加强业务培训,每半年组织一次培训。"
            "二、深化重点领域公开。1.做好教育经费公开,公开率提高2.5个百分点。2.升级网站2.0版栏目,在2、3月份完成。")
    plan = parse_document(text)
    assert plan.title == "某区教育局2025年政务公开工作计划"
    assert [(s.key, s.number, s.title) for s in plan.sections] == [
        ("1", "一、", "健全工作机制,打牢公开基础"), ("2", "二、", "深化重点领域公开")]
    assert [(t.section, t.number, t.text) for t in plan.tasks] == [
        ("1", "1.", "压实公开工作责任"),
        ("1", "2.", "完善公开目录,依照办法第2.5条按季度更新"),
        ("1", "3.", "加强业务培训,每半年组织一次培训。"),
        ("2", "1.", "做好教育经费公开,公开率提高2.5个百分点。"),
        ("2", "2.", "升级网站2.0版栏目,在2、3月份完成。"),
    ]
    # the same with the next number on a line of its own
    broken = text.replace("3.加强", "\n3.加强").replace("二、", "\n二、")
    assert outline(parse_document(broken)) == outline(plan)


def test_numbers_that_do_not_run_on_as_items_are_not_split():
    text = ("某县2024年政务公开工作要点\n"
            "一、深化决策公开\n"
            # a single pair: "2." could be a number in the sentence, not the next item
            "1.压实公开工作责任2.完善目录。(县政府办负责)\n"
            # inside brackets and quotes
            "2.公开三类信息(1.政策文件2.解读材料3.办事指南),落实“1.建制度2.强平台3.优服务”要求。(县司法局负责)\n"
            # a count's unit after the number
            "3.全年公开信息不少于1.项2.个3.批。(县财政局负责)\n")
    plan = parse_document(text)
    assert [(t.number, t.text, pairs(t)) for t in plan.tasks] == [
        ("1.", "压实公开工作责任2.完善目录。", [("县政府办", R)]),
        ("2.", "公开三类信息(1.政策文件2.解读材料3.办事指南),落实“1.建制度2.强平台3.优服务”要求。", [("县司法局", R)]),
        ("3.", "全年公开信息不少于1.项2.个3.批。", [("县财政局", R)]),
    ]


# ---- generated plans, with and without their line breaks ----------------------------------------

TITLES = ["加强组织领导", "深化决策公开", "强化政策解读", "优化政务公开平台", "回应社会关切", "规范信息管理"]
SENTENCES = ["及时公开政策文件和解读材料,方便企业群众查询", "持续做好财政预决算信息公开,接受社会监督",
             "规范依申请公开办理流程,严格按照法定时限答复", "加强政府网站日常监测,及时整改突出问题",
             "组织开展业务培训,提高工作人员业务能力", "每季度通报一次工作落实情况"]
UNITS = ["县司法局", "县财政局", "县政府办", "县政数局", "县民政局", "各乡镇"]
CN = "一二三四五六七八九十"


@st.composite
def plans(draw):
    chain = draw(st.sampled_from([["cn", "n."], ["cn", "n、"], ["cn", "pcn", "n."], ["pcn", "n."]]))
    with_units = draw(st.booleans())
    # items of a run of three or more that do not end their sentences: "1.…责任2.完善…3.…"
    run_on = draw(st.booleans())
    lines = ["某县2024年政务公开工作要点", "为做好本年度政务公开工作,结合本县实际,制定本要点。"]

    def marker(style: str, value: int) -> str:
        return {"cn": f"{CN[value - 1]}、", "pcn": f"({CN[value - 1]})",
                "n.": f"{value}.", "n、": f"{value}、"}[style]

    def item(bare: bool = False) -> str:
        text = "。".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=2, unique=True)))
        text += "" if bare else "。"
        if with_units:
            names = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=2, unique=True))
            text += f"({names[0]}牵头,{names[1]}配合)" if len(names) == 2 else f"({names[0]}负责)"
        return text

    def emit(level: int) -> None:
        count = draw(st.integers(1, 3))
        for value in range(1, count + 1):
            if level == len(chain) - 1:
                bare = run_on and count >= 3 and value < count and draw(st.booleans())
                lines.append(marker(chain[level], value) + item(bare))
                continue
            lines.append(marker(chain[level], value) + draw(st.sampled_from(TITLES)))
            if level == len(chain) - 2 and with_units and draw(st.booleans()):
                # "一是…。(X负责)二是…。(Y负责)" instead of numbered items
                lines.append("".join(f"{'一二三'[n]}是" + item() for n in range(draw(st.integers(1, 3)))))
            else:
                emit(level + 1)

    emit(0)
    return lines


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_a_plan_reads_the_same_without_its_line_breaks(lines):
    with_breaks = parse_document("\n".join(lines))
    one_line = parse_document("".join(lines))
    assert with_breaks.tasks and with_breaks.sections
    assert outline(one_line) == outline(with_breaks)


# ---- a body list and the table that repeats it --------------------------------------------------

BODY_AND_TABLE = """某局2024年政务公开工作安排
一、工作要点
1.加强政策解读。对本局起草的政策文件开展解读,做到解读材料与文件同步发布。
2.做好依申请公开。规范申请登记、审核、答复流程,按时答复申请人。
3.推进办事公开。公开办事指南和办理结果,方便群众查询。
4.强化平台管理。每月检查网站栏目更新情况,及时清理过时信息。
二、任务分解
{header} | 具体内容 | 责任科室 |
政策解读 | 对本局起草的政策文件开展解读,做到解读材料与文件同步发布。 | 政策法规科 |
依申请公开 | 规范申请登记、审核、答复流程,按时答复申请人。 | 办公室 |
办事公开 | 公开办事指南和办理结果,方便群众查询 | 行政审批科 |
"""


def test_body_item_missing_from_the_table_that_repeats_the_body_is_kept():
    for header in ("重点任务", "工作类别"):
        plan = parse_document(BODY_AND_TABLE.format(header=header))
        # the table's category cells head its rows, they are not glued onto the task text
        assert [s.title for s in plan.sections] == ["政策解读", "依申请公开", "办事公开"]
        assert [(t.section, t.text, pairs(t)) for t in plan.tasks] == [
            ("1", "对本局起草的政策文件开展解读,做到解读材料与文件同步发布。", [("政策法规科", R)]),
            ("2", "规范申请登记、审核、答复流程,按时答复申请人。", [("办公室", R)]),
            ("3", "公开办事指南和办理结果,方便群众查询", [("行政审批科", R)]),
            (None, "强化平台管理。每月检查网站栏目更新情况,及时清理过时信息。", []),
        ]
        assert plan.tasks[-1].number == "4." and plan.tasks[-1].line == 6
        assert any(line == 6 and "在分工表中没有" in message for line, message in plan.warnings)


def test_a_table_that_does_not_repeat_the_body_replaces_it_as_before():
    """A 方案's body (its 工作要求) before its task table: the rows are the tasks, the body is not."""
    text = BODY_AND_TABLE.format(header="重点任务").replace(
        "1.加强政策解读。对本局起草的政策文件开展解读,做到解读材料与文件同步发布。",
        "1.提高思想认识。各科室要把政务公开摆上重要位置。").replace(
        "2.做好依申请公开。规范申请登记、审核、答复流程,按时答复申请人。", "2.加强督促检查。办公室每季度通报一次。")
    plan = parse_document(text)
    assert [t.text for t in plan.tasks] == ["对本局起草的政策文件开展解读,做到解读材料与文件同步发布。",
                                            "规范申请登记、审核、答复流程,按时答复申请人。",
                                            "公开办事指南和办理结果,方便群众查询"]
    assert not any("在分工表中没有" in message for _, message in plan.warnings)


def test_a_heading_title_set_off_by_a_space_from_its_sentences_keeps_to_itself():
    # "一、活动内容 围绕…。各乡镇…。": the line break after the title became a space; the title is the
    # words before it, not the whole first sentence, whether the text keeps its other line breaks or not
    lines = ["某县2024年政务公开主题日活动方案",
             "一、活动内容 围绕全县中心工作,组织开展政务公开主题日活动。各乡镇制定活动方案,9月15日前报县政府办。",
             "(一)实地调研。组织代表到重点项目现场调研。(县发改局负责)",
             "(二)座谈交流。召开座谈会听取群众意见。(县政府办负责)"]
    for text in ("\n".join(lines), " ".join(lines)):
        plan = parse_document(text)
        assert [(s.number, s.title) for s in plan.sections] == [("一、", "活动内容")]
        assert [(t.number, t.text) for t in plan.tasks] == [
            ("(一)", "实地调研。组织代表到重点项目现场调研。"), ("(二)", "座谈交流。召开座谈会听取群众意见。")]
        # its sentences open the part, as they would on a line of their own
        assert any("小节开头的说明段落" in message and "围绕全县中心工作" in message for _, message in plan.warnings)
    # a space inside a sentence-long title (a PDF's line break) is no title's end
    plan = parse_document("某县2024年政务公开工作要点\n一、进一步深化 重点领域信息公开。各乡镇按月公开财政收支情况。\n"
                          "(一)公开财政预决算信息。(县财政局负责)\n")
    assert [s.title for s in plan.sections] == ["进一步深化重点领域信息公开"]
