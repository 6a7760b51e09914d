"""Layouts met in real plans the importer had not seen (helpers `newdocs3` and `newdocs4`): each
test's text is written for the test in the layout seen, with its own tasks and units."""

from __future__ import annotations

from gktrack.features.importer import parse_document
from gktrack.features.importer.table import GROUP, RESPONSIBLE, header_role
from conftest import task_triples as _tasks

R, L, S = "responsible", "lead", "support"


# ---- one unit column named for two roles ("牵头及责任单位") -------------------------------------

def test_a_unit_column_named_for_two_roles_is_a_unit_column():
    assert header_role("牵头及责任单位") == RESPONSIBLE
    assert header_role("牵头单位和配合单位") == RESPONSIBLE
    assert header_role("牵头与协办部门") == RESPONSIBLE


def test_a_table_with_a_lead_and_responsible_column_reads_its_header_as_a_header():
    text = "\n".join([
        "某县2019年政务公开工作要点分工方案",
        "工作任务 | 具体要求 | 牵头及责任单位 |",
        "一、加强政策解读 | 1.做好重要政策的解读。 | 县政府办牵头,县司法局负责 |",
        "二、回应社会关切 | 2.及时回应网民留言。 | 县融媒体中心牵头,县信访局负责 |",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("做好重要政策的解读。", [("县政府办", L), ("县司法局", R)], []),
        ("及时回应网民留言。", [("县融媒体中心", L), ("县信访局", R)], []),
    ]
    # the header is the table's: not a paragraph left out, nor a unit line without a task
    assert not any("工作任务" in message or "牵头及责任单位" in message for _, message in plan.warnings), plan.warnings


# ---- "(一)、": a bracketed number with a mark after it too ------------------------------------

def test_a_bracketed_number_with_a_mark_after_it_heads_its_title():
    text = "\n".join([
        "某县2019年政务公开工作方案",
        "一、主要任务",
        "(一)、加强政府网站管理",
        "(1)、定期检查网站栏目,及时更新过期内容。(县政府办负责)",
        "(2).规范网站信息发布审核流程。(县融媒体中心负责)",
        "(二)、做好依申请公开",
        "规范申请登记、办理、答复各环节,按时办结。(县司法局负责)",
    ]) + "\n"
    plan = parse_document(text)
    assert [(s.number, s.title) for s in plan.sections] == [
        ("一、", "主要任务"), ("(一)、", "加强政府网站管理"), ("(二)、", "做好依申请公开")]
    assert _tasks(plan) == [
        ("定期检查网站栏目,及时更新过期内容。", [("县政府办", R)], []),
        ("规范网站信息发布审核流程。", [("县融媒体中心", R)], []),
        ("规范申请登记、办理、答复各环节,按时办结。", [("县司法局", R)], []),
    ]
    assert [t.number for t in plan.tasks] == ["(1)、", "(2).", None]


# ---- a unit bracket whose deadline is a date the parser does not read ---------------------------

def test_a_unit_bracket_with_a_date_the_parser_does_not_read_still_names_its_units():
    text = "\n".join([
        "某县2021年政务公开工作要点",
        "一、做好信息发布",
        "(一)规范发布流程。制定信息发布审核办法。(县政府办负责,2021年8月前完成)",
        "(二)更新公开目录。全面梳理主动公开事项。(2021年10月前,县司法局牵头,各乡镇配合)",
        "(三)做好政策解读。解读材料与文件同步发布。(县融媒体中心负责,2021年6月底前)",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("规范发布流程。制定信息发布审核办法。", [("县政府办", R)], ["2021年8月前完成"]),
        ("更新公开目录。全面梳理主动公开事项。", [("县司法局", L), ("各乡镇", S)], ["2021年10月前"]),
        ("做好政策解读。解读材料与文件同步发布。", [("县融媒体中心", R)], ["2021年6月底前"]),
    ]
    # kept as written, and said: "8月前" may mean before August or by its end
    assert (3, "无法识别的时限“2021年8月前完成”,已原样保留") in plan.warnings
    assert (4, "无法识别的时限“2021年10月前”,已原样保留") in plan.warnings


# ---- "各镇、县直各部门": a level's bodies, then a collective of its own ---------------------------

def test_a_level_before_a_collective_of_its_own_names_two_groups():
    text = "\n".join([
        "某县2022年政务公开工作要点",
        "一、加强政策解读",
        "(一)做好解读。重要政策文件与解读材料同步发布。(县政府办牵头,各镇、县直各部门负责)",
        "(二)回应关切。及时回应网民留言。(各乡镇、县直有关单位按职责分工负责)",
    ]) + "\n"
    plan = parse_document(text)
    assert [[(u.name, u.role) for u in t.units] for t in plan.tasks] == [
        [("县政府办", L), ("各镇", R), ("县直各部门", R)],
        [("各乡镇", R), ("县直有关单位", R)],
    ]


# ---- a table written one cell a line, its unit cell merged down over several rows ----------------

def test_rows_under_a_merged_unit_cell_take_its_units_where_the_table_is_one_cell_a_line():
    # the unit cell spans items 1–3: copied one cell a line it stands once, after item 1
    text = "\n\n".join([
        "某县2019年政务公开工作要点分工方案",
        "工作任务", "具体要求", "牵头及责任单位",
        "一、加强政策解读",
        "(一)做好重要政策解读",
        "1.围绕全县重点工作,及时做好政策解读。",
        "县政府办牵头,各镇、县直各部门负责",
        "2.政策文件与解读材料同步起草、同步审签。",
        "3.对常务会议审议的议题跟进解读。",
        "(二)回应社会关切",
        "4.及时回应网民留言,加强舆情研判。",
        "县融媒体中心牵头,县信访局配合",
        "5.每季度通报一次留言办理情况,对办理",
    ]) + "\n"
    plan = parse_document(text)
    merged = [("县政府办", L), ("各镇", R), ("县直各部门", R)]
    assert [(t.number, [(u.name, u.role) for u in t.units]) for t in plan.tasks] == [
        ("1.", merged), ("2.", merged), ("3.", merged),
        ("4.", [("县融媒体中心", L), ("县信访局", S)]),
        # the text's last section: item 5 may share a unit cell below it the excerpt cut off, as one
        # cell of several items does ("5.… 6.…" then their units)
        ("5.", []),
    ]
    assert not any("未使用这一行" in message for _, message in plan.warnings), plan.warnings


# ---- "总体指导思想": an introduction's title with a qualifier -------------------------------------

def test_an_introduction_titled_with_a_qualifier_is_not_a_task():
    text = "\n".join([
        "某镇2021年政务公开工作实施方案",
        "一、总体指导思想",
        "以习近平新时代中国特色社会主义思想为指导,全面推进基层政务公开标准化规范化。",
        "二、主要任务",
        "1.规范政府信息公开指南。(责任单位:镇党政办)",
        "2.做好财政预决算公开。(责任单位:镇财政所)",
    ]) + "\n"
    plan = parse_document(text)
    assert [t.text for t in plan.tasks] == ["规范政府信息公开指南。", "做好财政预决算公开。"]


# ---- a table whose unit column is headed "任务分工" --------------------------------------------

def test_a_column_of_who_does_the_task_headed_fenggong_is_a_unit_column():
    assert header_role("任务分工") == RESPONSIBLE
    assert header_role("责任分工") == RESPONSIBLE
    assert header_role("工作要点") == GROUP


def test_a_table_headed_gongzuo_yaodian_and_renwu_fengong_is_read_as_a_table():
    text = "\n".join([
        "某市卫生健康委2023年政务公开工作要点任务分工",
        "工作要点 | 具体要求 | 任务分工 |",
        "政策解读 | 做好医保新政的图文解读。 | 政策法规科,各区卫生健康局 |",
        "公开平台 | 及时更新网站办事指南栏目。 | 办公室 |",
        "规范网站信息发布审核流程。 | 信息中心 | |",
    ]) + "\n"
    plan = parse_document(text)
    assert [s.title for s in plan.sections] == ["政策解读", "公开平台"]
    assert _tasks(plan) == [
        ("做好医保新政的图文解读。", [("政策法规科", R), ("各区卫生健康局", R)], []),
        ("及时更新网站办事指南栏目。", [("办公室", R)], []),
        ("规范网站信息发布审核流程。", [("信息中心", R)], []),
    ]


# ---- one cell a line: a numbered task, then what it asks for, then its units -------------------

def test_a_long_numbered_task_and_its_requirement_cell_are_one_task():
    text = "\n".join([
        "某市2022年政务公开工作任务分解方案",
        "工作任务", "|", "工作要求", "|", "牵头单位", "|", "责任单位", "|",
        "一、围绕重点领域深化信息公开", "|", "|||",
        "(一)做好财政信息公开", "|", "|||",
        "1.全面公开本级政府预算、决算及部门预算、决算和“三公”经费,细化到功能分类项级科目", "|",
        "在政府网站设立财政信息专栏,集中发布", "|",
        "市财政局", "|",
        "市直各部门,各区人民政府", "|",
        "2.公开政府债务情况", "|",
        "及时更新债务限额和余额,接受社会监督", "|",
        "市财政局", "|",
        "各区人民政府", "|",
    ]) + "\n"
    plan = parse_document(text)
    assert _tasks(plan) == [
        ("全面公开本级政府预算、决算及部门预算、决算和“三公”经费,细化到功能分类项级科目\n在政府网站设立财政信息专栏,集中发布",
         [("市财政局", L), ("市直各部门", R), ("各区人民政府", R)], []),
        ("公开政府债务情况\n及时更新债务限额和余额,接受社会监督", [("市财政局", L), ("各区人民政府", R)], []),
    ]
