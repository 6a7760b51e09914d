"""The importer: reading files, and finding the plan in the five seed documents and in generated ones."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gktrack.domain.deadlines import find_deadline_phrases
from gktrack.errors import InputError
from gktrack.features.importer import Document, import_file, parse_document, read_document
from conftest import pairs

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
L, S, R = "lead", "support", "responsible"


def seed(prefix: str):
    path = next(SEEDS.glob(prefix + "_*.txt"))
    return import_file(path)


def top(plan) -> list:
    return [s for s in plan.sections if "." not in s.key]


# ---- seeds ------------------------------------------------------------------------------------

def test_seed_000_flattened_table_with_unit_lines():
    plan = seed("000")
    assert plan.title == "横栏镇2022年政务公开工作要点分工方案"
    assert plan.year == 2022
    assert plan.issuer == "中山市横栏党政综合办公室"
    assert plan.issued == dt.date(2022, 7, 28)  # written "2022728"
    assert len(plan.tasks) == 49
    assert [t.number for t in plan.tasks] == [f"{i}." for i in range(1, 50)]
    assert [s.title for s in top(plan)] == [
        "优化政务公开工作基础", "围绕服务中心工作、助力经济社会平稳健康发展深化重点领域信息公开",
        "推动重大政策解读提质增效,优化政策咨询服务", "优化政务公开平台建设", "坚持全镇一盘棋,强化工作指导监督"]
    assert len(plan.sections) == 5 + 4 + 5 + 3 + 4
    tasks = plan.tasks
    assert pairs(tasks[0]) == [("司法所", R)]
    assert pairs(tasks[2]) == [("司法所", L), ("党政综合办", S), ("各有关单位", R)]
    assert tasks[2].units_text == "司法所牵头,党政综合办配合,各有关单位按职能分工落实"
    shared = tasks[9:13]
    assert all(t.units_text == "卫健分局、疫情防控指挥部、宣传办、公服办、各村(社区),各有关单位按职能分工落实"
               for t in shared)
    assert all(t.section == "2.1" for t in shared)
    assert pairs(tasks[8]) == [("党政综合办", L), ("各有关单位", R)]
    assert pairs(tasks[39]) == [("城管住建和农业农村局", R), ("各有关单位", R)]
    assert all(t.units for t in tasks)
    assert [t.section for t in tasks[40:]] == ["5"] * 9
    assert plan.owner is None
    assert not [w for w in plan.warnings if "责任单位" in w[1]]


def test_seed_001_cover_notice_and_unit_brackets():
    plan = seed("001")
    assert plan.title == "钦州市2017年政务公开工作实施方案"
    assert (plan.year, plan.doc_number, plan.issued) == (2017, "钦政办电〔2017〕87号", dt.date(2017, 5, 10))
    assert plan.issuer == "钦州市人民政府办公室"
    assert len(top(plan)) == 6
    assert len(plan.sections) == 6 + 22
    text = (SEEDS / "001_0533a1980def9b3a.txt").read_text(encoding="utf-8")
    assert len(plan.tasks) == text.count("(责任单位:") == 50
    assert all(t.units and t.units_text for t in plan.tasks)
    # the notice's 一、二、三、 are not tasks
    assert not any(t.text.startswith(("各级各部门要围绕", "各县区、钦州港区", "各级政府及其部门办公室")) for t in plan.tasks)
    assert plan.tasks[0].text.startswith("围绕财政、金融和就业创业政策")
    assert pairs(plan.tasks[0]) == [(n, R) for n in ("市发改委", "市科技局", "市财政局", "市人社局", "市金融办")]
    # unnumbered paragraphs sharing one unit phrase are one task
    state_assets = next(t for t in plan.tasks if t.text.startswith("推进国企国资改革信息公开"))
    assert state_assets.number is None and state_assets.section == "2.2"
    assert state_assets.text.count("\n") == 2 and state_assets.text.endswith("指导监管企业做好信息公开工作。")
    deadlines = {d for t in plan.tasks for d in t.deadline}
    assert {"每年2月底前", "每年4月底前", "按季度", "20个工作日内", "2017年底"} <= deadlines
    # the notice's own deadline is reported, not turned into a task
    assert any("2017年5月11日前" in message for _, message in plan.warnings)


def test_seed_002_full_width_paragraph_tasks():
    plan = seed("002")
    assert plan.title == "2021年槐荫区政务公开工作要点"
    assert (plan.year, plan.doc_number, plan.issued) == (2021, "槐政办字〔2021〕4号", dt.date(2021, 6, 23))
    assert plan.issuer == "槐荫区人民政府办公室"
    assert len(plan.sections) == 4
    assert len(plan.tasks) == 21
    assert all(t.units for t in plan.tasks)
    assert [t.number for t in plan.tasks[:2]] == ["（一）", "（二）"]
    first = plan.tasks[0]
    assert first.units_text == "区政府各部门，各街道办事处"
    assert pairs(first) == [("区政府各部门", R), ("各街道办事处", R)]
    assert first.text.endswith("确保公开承诺事项落实到位。")
    assert not any("责任单位" in t.text for t in plan.tasks)


def test_seed_003_division_of_labour_table():
    plan = seed("003")
    assert plan.title == "2024年南昌市新建区政务公开工作要点"
    assert (plan.year, plan.doc_number, plan.issued) == (2024, "新府办发〔2024〕30号", dt.date(2024, 6, 30))
    assert plan.issuer == "南昌市新建区人民政府办公室"
    items = [s for s in plan.sections if "." in s.key]
    assert len(items) == 18
    assert [s.number for s in items] == [f"{i}." for i in range(1, 19)]
    assert [s.number for s in top(plan)] == ["一、", "二、", "三、", "四、"]
    assert len(plan.tasks) == 54
    assert all(t.units and t.deadline for t in plan.tasks)
    assert plan.tasks[0].deadline == ["持续推进", "及时更新"]
    assert plan.tasks[4].deadline == ["6月底前", "持续推进"]
    votes = next(t for t in plan.tasks if t.text.startswith("重点围绕2024年新建区政府民生实事"))
    assert votes.deadline == ["根据项目完成时限", "及时更新"]
    assert pairs(votes) == [("民生实事人大票决项目牵头单位和责任单位", R)]
    lead = next(t for t in plan.tasks if t.text.startswith("探索建立重大政策集成式发布"))
    assert pairs(lead)[0] == ("区政数局", L) and ("各乡(镇)", R) in pairs(lead)
    public = next(t for t in plan.tasks if t.text.startswith("加快教育、卫生健康"))
    assert [u.name for u in public.units][-1] == "区城管执法局"
    assert {t.section for t in plan.tasks} == {s.key for s in items}
    # the prose 要点 is reported, not imported twice
    assert any("分工表" in message for _, message in plan.warnings)


def test_seed_004_document_site_copy_with_page_markers():
    plan = seed("004")
    assert plan.title == "2023年度政务公开工作实施方案"
    assert plan.year == 2023
    # 一、总体要求 is the preamble; 二、–六、 hold 6 + 4 + 3 + 2 + 2 "(一)" items
    assert [s.number for s in plan.sections] == ["二、", "三、", "四、", "五、", "六、"]
    assert len(plan.tasks) == 17
    assert [sum(1 for t in plan.tasks if t.section == s.key) for s in plan.sections] == [6, 4, 3, 2, 2]
    for task in plan.tasks:
        assert not re.search(r"(?<![\d%])\d{1,2}、", task.text), task.text
    assert "集体争论打算确定为重大行政决策法定程序。" in plan.tasks[0].text
    assert "之前已公开征求意见的" in plan.tasks[0].text
    led = [t for t in plan.tasks if t.units]
    assert [pairs(t) for t in led] == [[("办公室", L)], [("办公室", L)]]
    assert all("办公室牵头" not in t.text for t in plan.tasks)
    assert plan.owner is None  # issue 15: never a unit called 我局
    assert any("--owner" in message and "我局" in message for _, message in plan.warnings)
    assert any("页码" in message for _, message in plan.warnings)
    # every task knows the line it starts on, even inside the long joined page lines
    assert [t.line for t in plan.tasks][:3] == [2, 4, 4]


def test_every_seed_warns_in_one_chinese_line():
    for path in sorted(SEEDS.glob("*.txt")):
        plan = import_file(path)
        for line, message in plan.warnings:
            assert isinstance(line, int) and "\n" not in message and re.search(r"[\u4e00-\u9fff]", message)


# ---- other layouts ------------------------------------------------------------------------------

def test_pdf_copy_with_hard_wraps_and_page_numbers():
    text = "\n".join([
        "某县2023年政务公开工作要点",
        "一、加强重点领域信息公开",
        "1.围绕稳经济一揽子政策措施,及时公开政策文件和解读材料,持续做好惠企",
        "政策集中发布工作,方便企业群众查询。(责任单位:县发改局、县财政局)",
        "- 2 -",
        "2.做好财政预决算信息公开,按要求公开部门预算和部门决算,细化公开内容",
        "",
        "第 3 页",
        "",
        "和公开范围,接受社会监督。(责任单位:县财政局)",
    ])
    plan = parse_document(text)
    assert len(plan.tasks) == 2
    assert plan.tasks[1].text == "做好财政预决算信息公开,按要求公开部门预算和部门决算,细化公开内容和公开范围,接受社会监督。"
    assert pairs(plan.tasks[1]) == [("县财政局", R)]


def test_table_with_row_numbers_and_pipes():
    text = "\n".join([
        "某区2024年政务公开重点任务清单",
        "| 序号 | 工作任务 | 责任单位 | 完成时限 |",
        "|---|---|---|---|",
        "| 1 | 及时公开重大建设项目批准和实施信息。 | 区发改委牵头,区住建局配合 | 6月底前 |",
        "| 2 | 做好政府信息公开工作年度报告编制发布。 | 区政府办公室 | 2024年1月31日前 |",
    ])
    plan = parse_document(text)
    assert plan.title == "某区2024年政务公开重点任务清单"
    assert [(t.number, t.text, pairs(t), t.deadline) for t in plan.tasks] == [
        ("1", "及时公开重大建设项目批准和实施信息。", [("区发改委", L), ("区住建局", S)], ["6月底前"]),
        ("2", "做好政府信息公开工作年度报告编制发布。", [("区政府办公室", R)], ["2024年1月31日前"]),
    ]


def test_labelled_unit_and_deadline_lines():
    text = "\n".join([
        "(一)规范政府信息公开申请办理。严格按照法定时限答复,规范答复文书。",
        "责任单位:区司法局、区政府办公室",
        "完成时限:2024年6月底前",
        "(二)加强政府网站建设。做好网站日常监测。",
        "牵头单位:区政数局;配合单位:各乡镇",
    ])
    plan = parse_document(text)
    assert [pairs(t) for t in plan.tasks] == [[("区司法局", R), ("区政府办公室", R)],
                                             [("区政数局", L), ("各乡镇", S)]]
    assert plan.tasks[0].deadline == ["2024年6月底前"]
    assert plan.tasks[1].units_text == "牵头单位:区政数局;配合单位:各乡镇"


def test_units_on_headings_and_split_unit_lines():
    text = "\n".join([
        "一、加强政策解读",
        "（一）落实解读制度（牵头单位：区政府办）",
        "1.做好重要政策解读,同步起草解读材料。",
        "2.开展政策解读进基层活动。（责任单位：各街道）",
        "（二）强化平台建设",
        "1.做好政府网站日常监测,及时整改发现的问题。",
        "牵头单位:区政数局",
        "配合单位:各镇街",
        "（三）做好公报工作",
        "1.按时编印政府公报,做好赠阅。",
        "（责任单位：区政府办）",
    ])
    plan = parse_document(text)
    assert [s.title for s in plan.sections] == ["加强政策解读", "落实解读制度", "强化平台建设", "做好公报工作"]
    assert [(t.section, pairs(t), t.units_text) for t in plan.tasks] == [
        ("1.1", [("区政府办", L)], "牵头单位：区政府办"),   # from its heading
        ("1.1", [("各街道", R)], "各街道"),              # its own
        ("1.2", [("区政数局", L), ("各镇街", S)], "牵头单位:区政数局;配合单位:各镇街"),
        ("1.3", [("区政府办", R)], "区政府办"),
    ]
    assert plan.warnings == []


def test_deadline_inside_the_unit_bracket():
    plan = parse_document("（一）加强稳经济政策解读。及时公开配套政策。（牵头单位：县发改局；配合单位：县财政局；2023年6月底前完成）\n"
                          "（二）做好市场主体关切回应。（县税务局、县人社局按职责分工负责，持续推进）")
    assert [(pairs(t), t.deadline) for t in plan.tasks] == [
        ([("县发改局", L), ("县财政局", S)], ["2023年6月底前完成"]),
        ([("县税务局", R), ("县人社局", R)], ["持续推进"]),
    ]
    assert plan.tasks[0].text == "加强稳经济政策解读。及时公开配套政策。"


def test_unit_bracket_that_cannot_be_split_is_warned_not_dropped():
    plan = parse_document("一、做好公开平台\n1.每季度更新政府网站栏目。(责任单位:牵头,配合)\n"
                          "2.做好年报。（责任单位：县政府办）\n")
    assert plan.tasks[0].text == "每季度更新政府网站栏目。(责任单位:牵头,配合)" and plan.tasks[0].units == []
    assert (2, "“(责任单位:牵头,配合)”中的单位无法拆分,原样留在任务内容中,请核对") in plan.warnings
    assert pairs(plan.tasks[1]) == [("县政府办", R)]
    assert not [w for w in plan.warnings if w[0] == 3]


def test_plan_without_title_or_units_names_its_issuer():
    text = "\n".join([
        "各科室:",
        "现将本局工作安排印发给你们,请认真贯彻落实。",
        "一、做好通知要求的事项,这一段是通知的正文。",
        "某县市场监管局",
        "2023年3月1日",
        "一、加强组织领导",
        "(一)健全工作机制。我局成立政务公开工作领导小组,统筹推进全局政务公开工作。",
        "(二)强化督促检查。定期检查各科室政务公开落实情况,及时通报存在的问题。",
    ])
    plan = parse_document(text)
    assert len(plan.tasks) == 2 and all(not t.units for t in plan.tasks)
    assert plan.issuer == "某县市场监管局" and plan.owner == "某县市场监管局"
    assert plan.issued == dt.date(2023, 3, 1)


def test_nothing_found_is_a_warning_not_an_error():
    plan = parse_document("这是一段普通的文字,不是工作方案。")
    assert plan.tasks == []
    assert plan.warnings and plan.warnings[-1][1].startswith("没有找到任何任务")


# ---- reading files -----------------------------------------------------------------------------

def test_text_encodings(tmp_path):
    content = "一、加强组织领导\n(一)健全工作机制,明确责任分工。(责任单位:县政府办)\n"
    for name, data in [("utf8.txt", content.encode("utf-8")), ("bom.txt", b"\xef\xbb\xbf" + content.encode("utf-8")),
                       ("gbk.txt", content.encode("gbk")), ("gb18030.text", content.encode("gb18030")),
                       ("utf16.txt", content.encode("utf-16")), ("plan.unknown", content.encode("gbk"))]:
        path = tmp_path / name
        path.write_bytes(data)
        doc = read_document(path)
        assert doc.lines[0].text == "一、加强组织领导" and doc.lines[1].no == 2, name
        assert len(import_file(path).tasks) == 1


def test_unreadable_files_name_the_file(tmp_path):
    bad = tmp_path / "坏文件.txt"
    bad.write_bytes(b"\x81\x30\xff\xfe\x80" * 10 + b"\x00")
    with pytest.raises(InputError) as caught:
        read_document(bad)
    assert "坏文件.txt" in caught.value.message
    not_gbk = tmp_path / "乱码.txt"
    not_gbk.write_bytes(b"\xff\xff\xff\x80\x80")
    with pytest.raises(InputError) as caught:
        read_document(not_gbk)
    assert "乱码.txt" in caught.value.message
    with pytest.raises(InputError):
        read_document(tmp_path / "没有这个文件.txt")


def test_line_numbers_count_every_line_ending():
    doc = Document.from_text("a\r\nb\rc\n\nd")
    assert [(line.no, line.text) for line in doc.lines] == [(1, "a"), (2, "b"), (3, "c"), (4, ""), (5, "d")]


def test_docx_paragraphs_tables_and_automatic_numbers(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word = docx.Document()
    word.add_paragraph("某区2024年政务公开工作要点")
    word.add_paragraph("一、深化重点领域信息公开")
    item = word.add_paragraph("做好财政信息公开。(责任单位:区财政局)")
    word.add_paragraph("二、加强平台建设")
    table = word.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["具体要求", "责任单位", "时限要求"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["做好政府网站日常监测。", "区政数局", "持续推进"]):
        cell.text = text
    table.rows[2].cells[0].text = "做好政务新媒体管理。"
    table.rows[2].cells[2].text = "6月底前"
    # the unit cell spans both rows: Word writes it once, then "continue"
    top_cell, below = table.rows[1].cells[1]._tc, table.rows[2].cells[1]._tc
    for tc, value in ((top_cell, "restart"), (below, None)):
        merge = OxmlElement("w:vMerge")
        if value:
            merge.set(qn("w:val"), value)
        tc.get_or_add_tcPr().append(merge)
    # an automatic number Word draws itself: "1." before the item
    numbering = word.part.numbering_part.element
    abstract = numbering.makeelement(qn("w:abstractNum"), {qn("w:abstractNumId"): "90"})
    level = abstract.makeelement(qn("w:lvl"), {qn("w:ilvl"): "0"})
    for tag, val in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "%1.")):
        level.append(level.makeelement(qn(tag), {qn("w:val"): val}))
    abstract.append(level)
    numbering.insert(0, abstract)
    num = numbering.makeelement(qn("w:num"), {qn("w:numId"): "91"})
    num.append(num.makeelement(qn("w:abstractNumId"), {qn("w:val"): "90"}))
    numbering.append(num)
    props = item._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    for tag, val in (("w:ilvl", "0"), ("w:numId", "91")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), val)
        num_pr.append(child)
    props.append(num_pr)
    path = tmp_path / "plan.docx"
    word.save(path)

    doc = read_document(path)
    texts = [line.text for line in doc.lines]
    assert texts[2] == "1.做好财政信息公开。(责任单位:区财政局)"
    # the merged unit cell comes after the last row it covers, like the seeds' flattened tables
    assert texts[4:] == ["具体要求", "责任单位", "时限要求", "做好政府网站日常监测。", "持续推进",
                         "做好政务新媒体管理。", "区政数局", "6月底前"]
    plan = parse_document(doc)
    assert plan.title == "某区2024年政务公开工作要点"
    assert [(t.number, t.section, pairs(t), t.deadline) for t in plan.tasks] == [
        ("1.", "1", [("区财政局", R)], []),
        (None, "2", [("区政数局", R)], ["持续推进"]),
        (None, "2", [("区政数局", R)], ["6月底前"]),
    ]
    assert [s.title for s in plan.sections] == ["深化重点领域信息公开", "加强平台建设"]


def test_docx_without_python_docx(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_docx(name, *args, **kwargs):
        if name == "docx":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_docx)
    path = tmp_path / "plan.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert "pip install python-docx" in caught.value.message


# ---- generated documents ------------------------------------------------------------------------

CN = "一二三四五六七八九十"
HEAD_TITLES = ["加强组织领导", "深化重点领域信息公开", "强化政策解读", "优化政务公开平台", "推进基层政务公开标准化",
               "做好依申请公开工作", "健全工作机制", "回应社会关切", "规范政府信息管理", "提升政务服务水平"]
SENTENCES = [
    "围绕稳经济一揽子政策措施,及时公开政策文件、解读材料和落实情况,方便企业群众查询",
    "持续做好财政预决算信息公开,细化公开内容和范围,接受社会监督",
    "规范政府信息公开申请办理流程,严格按照法定时限答复,确保答复内容合法有据",
    "加强政府网站和政务新媒体日常监测,及时发现和整改存在的突出问题",
    "做好人大代表建议和政协委员提案办理结果公开工作,及时回应社会关切",
    "组织开展政务公开业务培训,不断提高工作人员的政策水平和业务能力",
    "推进基层政务公开标准目录动态调整,将公开事项公开到位",
    "在6月底前完成年度重大行政决策事项目录编制并向社会公开",
    "每季度通报一次政务公开工作落实情况,对落实不力的单位予以督促",
]
UNIT_CORES = ["发改", "财政", "教育", "司法", "政数", "民政", "住建", "医保", "统计", "审计", "商务", "卫健"]
UNIT_SUFFIXES = ["局", "办", "委", "中心", "分局"]
COLLECTIVES = ["各有关单位", "各村(社区)", "各乡镇(街道)", "各街道办事处"]
CHROME_TOP = ["无障碍 长者助手", "您当前的位置:首页 > 政务公开 > 工作要点", "分享到:", "浏览量:1024",
              "字体【 大 中 小 】", "发布时间:2023-03-01 10:00"]
CHROME_BOTTOM = ["扫一扫在手机打开当前页", "【打印本页】 【关闭窗口】"]


def style_marker(style: str, value: int, wide: bool) -> str:
    if style == "cn":
        return CN[value - 1] + "、" if value <= 10 else "十" + CN[value - 11] + "、"
    if style == "pcn":
        inner = CN[value - 1] if value <= 10 else "十" + CN[value - 11]
        return f"（{inner}）" if wide else f"({inner})"
    if style == "n.":
        return f"{value}．" if wide else f"{value}."
    if style == "n、":
        return f"{value}、"
    return f"（{value}）" if wide else f"({value})"


@dataclass
class Expected:
    sections: list[tuple[str, str]] = field(default_factory=list)       # (key, title)
    tasks: list[tuple[str | None, str, list[tuple[str, str]]]] = field(default_factory=list)  # section, text, units


@st.composite
def unit_phrases(draw):
    def name():
        return draw(st.one_of(
            st.builds(lambda p, c, s: p + c + s, st.sampled_from("市区县镇"), st.sampled_from(UNIT_CORES),
                      st.sampled_from(UNIT_SUFFIXES)),
            st.sampled_from(COLLECTIVES)))

    lead = draw(st.booleans())
    names = list(dict.fromkeys(name() for _ in range(draw(st.integers(1, 4)))))
    if lead and len(names) > 1:
        phrase = f"{names[0]}牵头,{'、'.join(names[1:])}{draw(st.sampled_from(['配合', '按职责分工负责']))}"
        role = S if phrase.endswith("配合") else R
        return phrase, [(names[0], L)] + [(n, role) for n in names[1:]]
    ending = draw(st.sampled_from(["", "按职责分工负责", "负责", "按职能分工落实"]))
    return "、".join(names) + ending, [(n, R) for n in names]


@st.composite
def documents(draw):
    wide = draw(st.booleans())
    chain = draw(st.sampled_from([["n."], ["pcn"], ["cn", "pcn"], ["cn", "n."], ["cn", "n、"], ["pcn", "n."],
                                  ["cn", "pcn", "n."], ["cn", "pcn", "n、"], ["cn", "pcn", "n.", "pn"]]))
    units_mode = draw(st.sampled_from(["inline", "unlabelled", "line", "none"]))
    comma, colon = ("，", "：") if wide else (",", ":")
    lines: list[str] = []
    expected = Expected()
    page = [draw(st.integers(2, 5))]

    if draw(st.booleans()):
        lines += draw(st.lists(st.sampled_from(CHROME_TOP), min_size=1, max_size=4, unique=True))
    year = draw(st.integers(2018, 2025))
    title = f"某区{year}年政务公开工作要点"
    if draw(st.booleans()):
        lines += [f"关于印发{title}的通知", f"各镇(街道){comma}区直各单位{colon}",
                  f"现将《{title}》印发给你们{comma}请认真贯彻落实。",
                  "一、各单位要高度重视,认真组织实施。", "二、请于年底前报送落实情况。",
                  "某区人民政府办公室", f"{year}年3月1日"]
    lines.append(title)
    if draw(st.booleans()):
        lines.append(f"为深入推进政务公开工作{comma}结合我区实际{comma}制定本要点。")

    def task_text() -> str:
        picked = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3, unique=True))
        return "。".join(p.replace(",", comma) for p in picked) + "。"

    def emit_tasks(level: int, section: str | None) -> None:
        count = draw(st.integers(1, 4))
        run: list[int] = []
        for value in range(1, count + 1):
            marker = style_marker(chain[level], value, wide)
            text = task_text()
            phrase, units = draw(unit_phrases())
            written = text
            if units_mode == "inline":
                written += f"（责任单位{colon}{phrase}）" if wide else f"(责任单位{colon}{phrase})"
            elif units_mode == "unlabelled":
                phrase = phrase if phrase[-2:] in ("负责", "配合", "落实") else phrase + "负责"
                units = [(n, r) for n, r in units]
                written += f"（{phrase}）" if wide else f"({phrase})"
            line = marker + written
            # a page break inside the sentence: the page number lands at the start of the next line
            if len(text) > 70 and draw(st.booleans()):
                cut = draw(st.integers(45, len(text) - 20))
                while not ("\u4e00" <= line[len(marker) + cut - 1] <= "\u9fff"
                           and "\u4e00" <= line[len(marker) + cut] <= "\u9fff"):
                    cut += 1
                # real page numbers do not happen to continue the item numbering
                while page[0] in (1, value + 1):
                    page[0] += 1
                form = draw(st.sampled_from(["inline", "bare", "dash"]))
                head, tail = line[:len(marker) + cut], line[len(marker) + cut:]
                if form == "inline":
                    lines.extend([head, f"{page[0]}、{tail}"])
                elif form == "bare":
                    lines.extend([head, f"{page[0]}、", tail])
                else:
                    lines.extend([head, f"- {page[0]} -", tail])
                page[0] += 1
            else:
                lines.append(line)
            run.append(len(expected.tasks))
            expected.tasks.append((section, text, units if units_mode in ("inline", "unlabelled") else []))
            if units_mode == "line" and (value == count or draw(st.booleans())):
                lines.append(phrase)
                for index in run:
                    expected.tasks[index] = (section, text_of(index), units)
                run = []

    def text_of(index: int) -> str:
        return expected.tasks[index][1]

    def emit(level: int, key: str | None) -> None:
        if level == len(chain) - 1:
            emit_tasks(level, key)
            return
        for value in range(1, draw(st.integers(1, 3)) + 1):
            title_text = draw(st.sampled_from(HEAD_TITLES))
            child = f"{key}.{value}" if key else str(value)
            ending = "。" if chain[level] == "pcn" and draw(st.booleans()) else ""
            lines.append(style_marker(chain[level], value, wide) + title_text + ending)
            expected.sections.append((child, title_text))
            emit(level + 1, child)

    emit(0, None)
    if draw(st.booleans()):
        lines += draw(st.lists(st.sampled_from(CHROME_BOTTOM), min_size=1, max_size=2, unique=True))
    blank = draw(st.booleans())
    return ("\n\n" if blank else "\n").join(lines), expected, title, year


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_parse_back(case):
    text, expected, title, year = case
    plan = parse_document(text)
    assert (plan.title, plan.year) == (title, year)
    assert [(s.key, s.title) for s in plan.sections] == expected.sections
    got = [(t.section, t.text, pairs(t)) for t in plan.tasks]
    assert got == expected.tasks
    if all(not units for _, _, units in expected.tasks):
        assert plan.owner is not None or any("owner" in m for _, m in plan.warnings)


DEADLINE_CELLS = [["6月底前", "持续推进"], ["持续推进", "及时更新"], ["12月底前"], ["每季度"], ["持续推进"],
                  ["2024年9月30日前"], ["根据项目\n完成时限", "及时更新"]]


@st.composite
def tables(draw):
    """A 重点工作任务分工表 flattened one cell per line, as web pages and the seeds write it."""
    with_headings = draw(st.booleans())
    with_time = draw(st.booleans())
    lines = ["某区2024年政务公开重点工作任务分工表", "工作任务", "具体要求", "责任单位"]
    if with_time:
        lines.append("时限要求")
    expected = Expected()
    item = 0
    for top_index in range(1, draw(st.integers(1, 3)) + 1):
        if with_headings:
            heading = draw(st.sampled_from(HEAD_TITLES)) + "," + draw(st.sampled_from(HEAD_TITLES))
            lines.append(heading)
            expected.sections.append((str(top_index), heading))
        for item_index in range(1, draw(st.integers(1, 3)) + 1):
            item += 1
            title = draw(st.sampled_from(HEAD_TITLES))
            lines.append(f"{item}.{title}。")
            key = f"{top_index}.{item_index}" if with_headings else str(item)
            expected.sections.append((key, title))
            for _ in range(draw(st.integers(1, 3))):
                text = draw(st.sampled_from(SENTENCES)) + "。"
                phrase, units = draw(unit_phrases())
                cells = draw(st.sampled_from(DEADLINE_CELLS)) if with_time else []
                lines += [text, phrase] + [c for cell in cells for c in cell.split("\n")]
                # without a time column the deadline is the one the text names, if any
                deadline = [c.replace("\n", "") for c in cells] or find_deadline_phrases(text)
                expected.tasks.append((key, text, units, deadline))
    lines.append("抄送:区委办,区人大常委会办。")
    return "\n\n".join(lines), expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_generated_tables_parse_back(case):
    text, expected = case
    plan = parse_document(text)
    assert plan.title == "某区2024年政务公开重点工作任务分工表"
    assert [(s.key, s.title) for s in plan.sections] == expected.sections
    assert [(t.section, t.text, pairs(t), t.deadline) for t in plan.tasks] == expected.tasks
