"""The importer on PDF texts that still read differently once wrapped: a 分工表 read one cell a line
whose unit cell is as long as the page is wide, a document-sharing copy numbered in chunks, and a web
page's banner lines (longer than the page width, or a date line exactly as long) above the wrapped text."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document

from test_import_metamorphic import outline, wrapped


def deadlines(plan) -> list[tuple]:
    return [(t.text[:6], [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks]


# a 分工表 copied one cell a line: each item's text, then its units, then its deadline; some unit
# cells are exactly 28 characters long, and the first item's text ends with its full stop at the end
# of a 28-character line
TABLE = [
    "某区2024年政务公开重点工作任务分工表",
    "工作任务",
    "具体要求",
    "责任单位",
    "时限要求",
    "深化重点领域信息公开",
    "1.聚焦产业发展。",
    "围绕先进制造业集群培育、数字经济发展等方面加大信息公开力度,及时发布惠企政策和申报指南,方便各类企业查询和办理。",
    "区发展改革局、区科工局、区商务局、区农业局按职责分工负责",
    "6月底前",
    "持续推进",
    "2.聚焦民生保障。",
    "做好就业创业扶持政策和专项活动的信息公开,及时公开公共就业服务项目的进展情况,方便群众了解政策和办理相关业务。",
    "区人社局、区民政局、区退役军人事务局、各街道按职责分工负责",
    "9月底前",
    "持续推进",
    "做好义务教育招生政策、学校划片范围和民办学校招生计划等信息的公开,在招生前集中发布,及时回应家长关心的热点问题。",
    "区教育体育局、区财政局、各乡镇、各街道按职责分工负责",
    "8月底前",
    "加强政策解读",
    "3.提高解读质量。",
    "坚持政策解读材料与政策文件同步起草、同步审签、同步发布,讲清政策的背景依据和主要内容,重大政策解读率达到百分之百。",
    "区政府办公室、区司法局、区直各部门、各乡镇按职责分工负责",
    "持续推进",
    "通过图解、视频、简明问答和现场宣讲等多种形式开展政策解读,把政策送到企业和群众身边,提升群众对政策的知晓度。",
    "区融媒体中心、区直各部门、各乡镇、各街道按职责分工负责",
    "12月底前",
]


def test_a_full_width_unit_cell_keeps_apart_from_the_cells_around_it():
    written = parse_document("\n".join(TABLE))
    assert deadlines(written)[1] == ("做好就业创业", [("区人社局", "responsible"), ("区民政局", "responsible"),
                                                ("区退役军人事务局", "responsible"), ("各街道", "responsible")],
                                     ["9月底前", "持续推进"])
    for width in (26, 28):
        text = wrapped(TABLE, width)
        if width == 28:  # the premise: unit cells and a text's last line as wide as the page
            assert "区发展改革局、区科工局、区商务局、区农业局按职责分工负责" in text.splitlines()
            assert "度,及时发布惠企政策和申报指南,方便各类企业查询和办理。" in text.splitlines()
        plan = parse_document(text)
        assert outline(plan) == outline(written), width
        assert deadlines(plan) == deadlines(written), width


# a document-sharing site's copy: the banner, then the document in chunks of about one size, each
# chunk numbered "N、" and cut wherever the size ran out, mid-sentence
SHARED = [
    "《某镇2024年政务公开工作方案.docx》由会员分享,可在线阅读,更多相关《某镇2024年政务公开工作方案.docx(6页珍藏版)》请在某某文库上搜索。",
    "1、某镇2024年政务公开工作方案 为做好本年度政务公开工作,进一步推进决策、执行、管理、服务、结果公开,结合本镇实际,"
    "制定本方案。 一、推进决策公开 (一)完善重大行政决策程序。把公众参与、专家论证、风险评估、合法性审查和集体讨论决定作为重大行政",
    "2、决策的法定程序,对涉及群众切身利益的决策事项,在决策前向社会公布决策草案和决策依据,广泛听取意见。 (二)推进执行公开。"
    "及时公开重点改革任务、重要政策和重大工程项目的执行措施、实施步骤和责任分工,根据工作进展公布取得",
    "3、的成效和后续举措,听取公众意见建议,改进工作,确保执行到位。 二、推进管理公开 (三)推行行政执法公示制度。公开执法职责、"
    "执法依据、裁量基准、执法流程、执法结果和救济途径等内容,规范行政裁量,促进执法公正公开。 (四)推",
    "4、进服务公开。向社会公布公共服务事项目录,公开服务项目名称、设立依据、收费标准和服务时限等信息,推动公共企事业单位办事公开。",
]


def test_a_shared_copy_numbered_in_chunks_reads_as_written_when_wrapped():
    written = parse_document("\n".join(SHARED))
    assert [t.text[:6] for t in written.tasks] == ["完善重大行政", "推进执行公开", "推行行政执法", "推进服务公开"]
    assert any("删除页码标记 4 处" in message for _, message in written.warnings)
    for width in (28, 30, 35):
        plan = parse_document(wrapped(SHARED, width))
        assert outline(plan) == outline(written), width
        assert any("删除页码标记 4 处" in message for _, message in plan.warnings), width


# a web page around a plan that was pasted from a PDF: its banner lines, longer than the page width
# and no sentences, stand above the wrapped text
BANNER = [
    "首页 > 某某市司法局 > 政务公开 > 法定主动公开内容 > 计划总结",
    "某某市司法局关于印发2024年政务公开工作要点分工方案的通知",
    "发布日期:2024-03-18 10:20 来源:某某市司法局 浏览次数: 字号:大 中 小",
    "某某市司法局2024年政务公开工作要点分工方案",
    "一、推进行政执法信息公开",
    "1.全面推行行政执法公示制度,在政府网站集中公开执法主体、执法人员、执法依据和执法结果等信息,接受社会监督。(执法监督科牵头)",
    "2.做好行政复议和行政应诉案件相关信息的公开,定期公布复议决定书,以案释法,引导群众依法表达诉求。(行政复议科牵头)",
    "二、推进公共法律服务信息公开",
    "3.公开公共法律服务事项清单和办事指南,及时更新法律援助的申请条件、办理流程和联系方式,方便群众查询。(公共法律服务科牵头)",
    "4.做好人民调解工作的宣传,公开各级人民调解组织的名录和联系方式,引导群众通过调解化解矛盾纠纷。(基层工作科牵头)",
]


def test_banner_lines_longer_than_the_page_leave_the_text_wrapped():
    written = parse_document("\n".join(BANNER))
    assert [t.text[:6] for t in written.tasks] == ["全面推行行政", "做好行政复议", "公开公共法律", "做好人民调解"]
    for width in (26, 28, 30):
        # only the paragraphs are broken (a PDF's text under a web page's banner)
        lines = [piece for line in BANNER
                 for piece in ([line] if "。" not in line else [line[i:i + width] for i in range(0, len(line), width)])]
        plan = parse_document("\n".join(lines))
        assert outline(plan) == outline(written), width
        assert plan.title == written.title


def test_a_page_date_line_as_long_as_the_page_continues_no_paragraph():
    # the notice's title and the page's date line each exactly as long as the page is wide
    lines = list(BANNER)
    lines[1] = "某某市司法局关于印发某某市2024年政务公开工作要点分工方案的通知"
    lines[2] = "发布日期:2024-03-18 10:20 来源:本局 浏览次数:"
    width = 33
    assert len(lines[1]) == len(lines[2]) == width
    written = parse_document("\n".join(lines))
    pieces = [piece for line in lines
              for piece in ([line] if "。" not in line else [line[i:i + width] for i in range(0, len(line), width)])]
    plan = parse_document("\n".join(pieces))
    assert outline(plan) == outline(written)
    assert plan.year == written.year == 2024 and plan.title is not None


_CHARS = "政务公开信息发布解读回应关切平台建设目录申请财政预算决策民生执法服务基层专栏保密审查新闻规范推进完善落实"
_UNITS = ["县政府办公室", "县财政局", "县司法局", "县发改委", "县人社局", "县数据局", "各乡镇", "县直各部门"]
_DEADLINES = ["持续推进", "6月底前", "2024年底前", "长期坚持", "每季度"]


@st.composite
def cell_tables(draw):
    """A 分工表 one cell a line under its column names: an item's text, its unit cell (of any
    length), its deadline cells."""
    sentences = iter(draw(st.lists(st.text(alphabet=_CHARS, min_size=8, max_size=16), min_size=50, max_size=50,
                                   unique=True)))
    lines = ["某县2024年政务公开重点工作任务分工表", "工作任务", "具体要求", "责任单位", "时限要求"]
    for number in "一二":
        lines.append(f"{number}、{next(sentences)[:8]}")
        for _ in range(draw(st.integers(3, 4))):
            lines.append(",".join(next(sentences) for _ in range(draw(st.integers(3, 5)))) + "。")
            units = draw(st.lists(st.sampled_from(_UNITS), min_size=1, max_size=5, unique=True))
            lines.append("、".join(units) + draw(st.sampled_from(["", "按职责分工负责", "负责", "牵头"])))
            lines += draw(st.lists(st.sampled_from(_DEADLINES), min_size=1, max_size=2, unique=True))
    return lines


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cell_tables(), st.integers(min_value=22, max_value=32))
def test_a_wrapped_cell_table_keeps_each_cell_to_its_task(lines, width):
    text = wrapped(lines, width)
    # fewer full lines than six say nothing of a page width: such a text is read line by line (left open)
    assume(sum(len(line) >= width - 2 for line in text.splitlines()) >= 6)
    assert deadlines(parse_document(text)) == deadlines(parse_document("\n".join(lines)))
