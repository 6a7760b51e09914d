"""The importer on short PDF texts: a 分工表's items broken at the page width among their unit and
deadline lines (few lines of the page width among them), and a unit bracket broken inside a name."""

from __future__ import annotations

from gktrack.features.importer import parse_document

from test_import_metamorphic import outline, wrapped

# a 分工表 copied from a PDF, one cell a line: each item a paragraph of two or three lines, then a
# short unit line and a short deadline line; headings and column names are short too
TABLE = [
    "某市2024年政务公开重点工作任务分工",
    "工作任务",
    "具体措施",
    "责任单位",
    "完成时限",
    "(一)推进规章和规范性文件公开",
    "1.依托政府信息公开平台完善规章库建设,及时发布现行有效规章的正式文本,做好规章的动态更新和清理结果的公开。",
    "市政府办公室、市司法局",
    "2024年底前",
    "2.各单位依托政府信息公开平台建成本部门规范性文件库,集中公开现行有效的行政规范性文件,并标注文件的有效性。",
    "市司法局牵头,市直各单位配合",
    "2024年11月底前",
    "(二)推进政务公开标准化建设",
    "3.结合权责清单和实际承担的工作职责,动态更新政府信息主动公开目录,确保目录所列信息及时准确公开。",
    "各县(区)人民政府",
    "持续推进",
    "4.围绕群众关注的教育、医疗、养老等领域,编制完善公开事项标准目录,推动标准目录在基层的落地实施。",
    "市教育局、市卫健委、市民政局",
    "2024年9月底前",
    "5.在政府网站设置政策解读专栏,重要政策文件与解读材料同步起草、同步审签、同步发布。",
    "市政府办公室牵头,各有关单位配合",
    "持续推进",
    "6.加强政务新媒体的日常监管,定期开展内容检查,对发现的问题及时督促整改并通报结果。",
    "市委网信办、市政府办公室",
    "2024年12月底前",
]


def test_a_short_wrapped_table_reads_as_written():
    written = parse_document("\n".join(TABLE))
    for width in (26, 28, 30, 32, 35):
        plan = parse_document(wrapped(TABLE, width))
        assert outline(plan) == outline(written), width
        # each numbered item is a task of its section, not a heading over its own second line
        assert [(t.section, t.number, t.text[:8]) for t in plan.tasks] == [
            ("1", "1.", "依托政府信息公开"), ("1", "2.", "各单位依托政府信"), ("2", "3.", "结合权责清单和实"),
            ("2", "4.", "围绕群众关注的教"), ("2", "5.", "在政府网站设置政"), ("2", "6.", "加强政务新媒体的"),
        ]
        assert [(u.name, u.role) for u in plan.tasks[1].units] == [("市司法局", "lead"), ("市直各单位", "support")]
        assert plan.tasks[1].deadline == ["2024年11月底前"]
        assert [s.title for s in plan.sections] == ["推进规章和规范性文件公开", "推进政务公开标准化建设"]


# items closing with a labelled unit bracket whose ")" was forgotten: the page width breaks the
# list inside a name ("(牵头科室:办" over "公室")
BRACKETS = [
    "某局2024年政务公开工作要点",
    "一、推进决策公开",
    "(一)实行重大决策预公开制度。涉及群众切身利益的重要决策,决策前通过政府网站公布草案及其依据,广泛听取公众意见。(牵头科室:办公室、法规科",
    "(二)将“五公开”落实到公文办理程序。拟制公文时明确主动公开、依申请公开、不予公开等属性,随公文一并报批。(牵头科室:办公室",
    "(三)加大会议开放程度。涉及重大民生事项的会议,制定会议方案时提出是否邀请群众代表列席,会议公开方式随方案一同报批。(牵头科室:综合科)",
    "二、推进执行公开",
    "(四)做好政策解读。重要政策文件与解读材料同步起草、同步审签、同步发布,解读材料说明政策的背景依据和主要内容。(牵头科室:宣传科",
]


def test_a_unit_bracket_broken_inside_a_name_keeps_its_units():
    written = parse_document("\n".join(BRACKETS))
    for width in (28, 29, 30):
        plan = parse_document(wrapped(BRACKETS, width))
        assert outline(plan) == outline(written), width
        assert [(t.number, [(u.name, u.role) for u in t.units]) for t in plan.tasks] == [
            ("(一)", [("办公室", "lead"), ("法规科", "lead")]),
            ("(二)", [("办公室", "lead")]),
            ("(三)", [("综合科", "lead")]),
            ("(四)", [("宣传科", "lead")]),
        ]
        assert any("没有右括号" in message for _, message in plan.warnings)
