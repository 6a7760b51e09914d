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
