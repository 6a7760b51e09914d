"""Sixteen real plan documents (tests/fixtures/corpus, each cut at about 2,000 bytes; INDEX.md
describes them): the tasks, units and deadlines a careful reader takes from their visible part.

Each expectation lists, per task: the start of its text, its units as (name, role) and its
deadlines. Written from reading the documents, not from the importer's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gktrack.features.importer import import_file

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
L, S, R = "lead", "support", "responsible"

SHIJIAZHUANG_UNITS = [("市政府办公室", L), ("市委编办", L), ("市行政审批局", L), ("市政府各部门", R),
                      ("各县(市、区)政府", R), ("高新区", R), ("循环化工园区", R), ("综合保税区管委会", R)]
JINGZHOU_ALL = [("市政府各有关部门", R), ("各县市区人民政府", R), ("功能区管委会", R)]
XUANCHENG_BASE = [("各县市区政府", R), ("各乡镇政府", R), ("各街道办事处", R)]
TAISHAN_OFFICE = [("办公室", L), ("其他股室", S), ("属下单位", S)]
TAISHAN_ALL = [("办公室", R), ("各股室", R), ("属下单位", R)]
TAISHAN_GD = [("广电旅游和公共服务股(行政审批服务股)", L), ("办公室", S)]
CQ_PLANNING = [("改革发展局", L), ("规划和自然资源局", L), ("建设局", R), ("公共服务局", R),
               ("生态环境局", R), ("综合执法局", R), ("城市建设事务中心", R)]

# file: (title, year, [(text starts with, units, deadlines)])
EXPECTED = {
    "01_beijing-2018-yaodian.txt": ("北京市2018年政务公开工作要点", 2018, [
        # one (一) paragraph, five tasks, each closed by its own "(…负责落实)"
        ("围绕抓好“三件大事”", [("市规划国土委", R)], []),
        ("推进支持雄安新区建设", [("市发展改革委", R), ("市经济信息化委", R), ("市环保局", R), ("市教委", R),
                          ("市卫生计生委", R), ("市人力社保局", R)], []),
        ("及时公开延崇高速", [("市交通委", R)], []),
        ("推进2022年北京冬奥会", [("市重大项目办", R), ("市体育局", R), ("市教委", R)], []),
        ("协调发布金融、房地产", [], []),  # cut off before its units
    ]),
    "04_yunnan-2022-yaodian.txt": ("2022年云南省政务公开工作要点", 2022, [
        ("加强涉及市场主体的信息公开", [("省直有关部门", R), ("各州、市人民政府", R)], []),
        ("加强涉及减税降费的信息公开", [], []),
    ]),
    "06_shijiazhuang-2020-yaodian.txt": ("石家庄市2020年政务公开工作要点", 2020, [
        ("加强权力配置信息公开", SHIJIAZHUANG_UNITS, []),
        ("加强权力运行信息公开", [], []),
    ]),
    "09_jingzhou-2022-zerenqingdan-spam.txt": (None, 2022, [
        ("进一步增强政策文件制定实施", JINGZHOU_ALL, ["持续推进"]),
        ("开设行业帮扶政策公开专题", JINGZHOU_ALL, ["持续推进"]),
        ("用好营商环境问题投诉", [("市发展改革委", L), ("市住建局", R)], []),
    ]),
    "10_shucheng-2024-mubiaoqingdan-wanchengqingkuang.txt": (None, 2024, [
        ("做好行政规范性文件意见征集、采纳工作。", [], []),
        ("严格履行重大行政决策事项法定程序。", [], []),
        ("做好政策文件库建设。", [], []),
    ]),
    "12_jiangmen-weijianju-2021-fengong.txt": ("江门市卫生健康局2021年政务公开工作要点分工方案", 2021, [
        ("加强行政执法信息公开", [("局政法科", R)], []),
        ("推进本机关预算、决算", [("局财务科", R)], []),
        ("每年至少更新一次", [("局规划科", R)], ["每年"]),
        ("及时反馈网民", [("局主办科室", R)], []),
        ("设立专栏", [("局防控办", L), ("各工作组", S)], ["每月"]),
        ("扎实做好疫苗接种", [("局疾控科", R)], []),
        ("提高新冠肺炎防控", [("局宣传科研组", R)], []),
        ("做好爱国卫生运动", [("局规划科", R)], []),
        ("综合运用新闻发布会", [("局主办科室", R)], []),
        ("按照《江门市政府系统政策解读工作细则(试行)》", [("局主办科室", R)], []),
        ("加强政策咨询服务", [("局主办科室", R)], []),
        ("加强内部协调工作", [("局办公室", R)], []),
    ]),
    "14_taishan-wenguanglvtiju-2021-fengong.txt": (None, None, [
        ("主动公开“十四五”规划纲要", TAISHAN_OFFICE, []),
        ("做好“十一五”规划", TAISHAN_OFFICE, []),  # its unit cell is merged with the row above
        ("及时公开建设高标准市场体系", [("广电旅游和公共服务股(行政审批服务股)", R)], []),
        ("加强行政执法信息公开", [("市场执法股", R)], []),
        ("积极推进部门单位财政预算", [("计划财务股", R), ("属下单位", R)], []),
        ("持续深化地方政府债务", [("计划财务股", R)], []),
        ("按上级考核要求", TAISHAN_ALL, ["每年"]),
        ("及时反馈网民", TAISHAN_ALL, []),  # merged with the row above
        ("做好爱国卫生运动", TAISHAN_GD, []),
        ("建立“六稳”“六保”专栏目", TAISHAN_ALL, []),
        ("综合运用新闻发布会", [], []),  # cut off before its unit cell
    ]),
    "16_xuancheng-2020-jiceng-fangan-fanti.txt": ("宣城市全面推进基层政务公开标准化规范化工作实施方案", 2020, [
        ("根据省基层政务公开事项梳理指南", [("市直26个试点领域业务主管部门", R)], ["2020年10月底"]),
        ("编制完善基层政务公开事项目录", XUANCHENG_BASE, ["2020年11月底"]),
        ("全面准确公开基层政务服务事项", [("市数据资源局", R)] + XUANCHENG_BASE, ["2020年底"]),
        ("推行基层政务服务一次告知制度", [("市数据资源局", R)] + XUANCHENG_BASE, ["2020年底"]),
        ("县、乡两级政府要健全政务公开工作机构", XUANCHENG_BASE, ["2020年底"]),
        ("县、乡两级政府要对政府信息进行全生命周期",
         [("各县(市、区)政府", R), ("各乡镇政府", R), ("各街道办事处", R)], ["2021年底"]),
        ("推进基层政务公开事项标准目录", None, []),  # its unit cell is cut off mid-name
    ]),
    "18_chongqing-gaoxinqu-2021-fenjiebiao.txt": ("重庆高新区贯彻落实国务院办公厅2021年政务公开工作要点任务分解表", 2021, [
        ("公开高新区国民经济和社会发展", [("改革发展局", L)], []),  # "——": no responsible unit
        ("公开高新区“十四五”重点专项规划", CQ_PLANNING, []),
        ("公开高新区法定国土空间规划", [], []),  # cut off before its unit cells
    ]),
    "22_xinyu-2023-yaodian.txt": ("2023年新余市政务公开工作要点", 2023, [
        ("聚焦落实战略部署加强公开", [], []),  # 总体要求/指导思想/工作目标 are no tasks
    ]),
    "24_xuanhan-2023-yaodian.txt": ("2023年全县政务公开工作要点", 2023, [
        ("深入推进“四大战略”信息公开", [], []),
        ("深入推进教育、科技、人才支撑", [], []),
    ]),
    "29_zhongdu-jiedao-2025-fangan.txt": (None, None, [
        ("强化组织领导,完善工作机制", [], ["每季度"]),
        ("深化主动公开,提升公开质效", [], []),
        ("规范依申请公开,强化服务保障", [], []),
        ("健全解读回应,增强政民互动", [], []),
    ]),
    "30_zhangwu-2020-jiceng-fangan.txt": (None, 2020, [
        ("落实国家试点领域标准指引", [], ["2020年11月底前"]),
        ("2011年底前建立全县统一", [], []),  # before the plan year: refused with a warning (a slip for 2021?)
        ("2022年底11月前", [], None),
        ("2020年9月底前制定工作方案", [], ["2020年9月底前"]),
        ("2020年11月底前县乡两级政府", [], ["2020年11月底前"]),
        ("2022年3月底前", [], ["2022年3月底前"]),
        ("加强组织领导", [], []),
        ("抓好队伍建设", [], []),
        ("强化监督考核", [], []),
    ]),
    "33_sichuan-2020-jiceng-tongzhi-fanti.txt": (None, 2020, [
        ("工作重点。基层政府", [], ["2020年9月30日前"]),
        ("注重衔接。基层政府", [], []),
        ("统一规范。县级政府", [], []),
    ]),
    "36_hunan-2022-zhengwu-fuwu-and-gongkai-yaodian.txt": ("湖南省2022年政务管理服务工作要点", 2022, [
        ("强化“一网通办”支撑", None, []),  # its unit bracket is cut off
    ]),
    "37_OFFTOPIC-lishanqu-2023-zhongdian-renwu-fengong.txt": ("立山区政府2023年重点工作任务分解和责任分工方案", 2023, [
        ("努力实现地区生产总值增长", [("区发改局", L), ("立山经济开发区", R), ("全区经济运行各专班", R)], []),
        ("规模上工业增加值增长", [("区工信局", L), ("立山经济开发区", R)], []),
        ("固定资产投资增长", [("区发改局", L), ("立山经济开发区", R), ("各街道", R), ("区直各部门", R)], []),
        ("社会消费品零售总额增长", [("区商务局", L), ("各街道", R), ("区市场局", R)], []),
        ("一般公共预算收入增长", [("区财政局", L), ("立山经济开发区", R), ("各街道", R), ("税务局", R)], []),
        ("居民收入增长与经济增长基本同步", [("区发改局", L), ("各街道", R), ("各相关单位", R)], []),
        ("其他主要经济指标", [], []),
    ]),
}

# Never a task and never a unit: headers, headings, notices, contact lines, banners, 文号.
NOT_TASKS = ("工作任务", "具体要求", "责任单位", "责任科室", "责任部门", "时限要求", "序号", "完成情况", "您的位置",
             "现印发给你们", "索引号", "浏览量", "主办单位", "版权所有", "〔20", "网站标识码", "指导思想", "总体要求")


@pytest.fixture(scope="module")
def plans():
    return {name: import_file(CORPUS / name) for name in EXPECTED}


def test_every_document_of_the_corpus_has_an_expectation():
    assert sorted(p.name for p in CORPUS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_visible_tasks_units_and_deadlines(plans, name):
    title, year, tasks = EXPECTED[name]
    plan = plans[name]
    if title is not None:
        assert plan.title == title
    if year is not None:
        assert plan.year == year
    got = [(t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks]
    assert len(got) == len(tasks), [g[0][:20] for g in got]
    for (text, units, deadline), (start, want_units, want_deadline) in zip(got, tasks):
        assert text.startswith(start), (text[:30], start)
        if want_units is not None:
            assert units == want_units, text[:20]
        if want_deadline is not None:
            assert deadline == want_deadline, text[:20]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_header_heading_or_banner_is_a_task_or_unit(plans, name):
    plan = plans[name]
    for task in plan.tasks:
        first_line = task.text.split("\n")[0]
        assert not any(first_line.startswith(word) for word in NOT_TASKS), first_line
        for unit in task.units:
            assert unit.name not in NOT_TASKS and not unit.name.startswith(("我", "本")), unit.name
            assert "责任" not in unit.name[-4:] or unit.name.endswith("单位"), unit.name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_warnings_are_one_chinese_line_each(plans, name):
    for line, message in plans[name].warnings:
        assert isinstance(line, int) and line >= 0
        assert "\n" not in message and message


def test_documents_without_a_title_take_the_file_name(plans):
    plan = plans["29_zhongdu-jiedao-2025-fangan.txt"]
    assert plan.title == "29_zhongdu-jiedao-2025-fangan" and plan.title_from_file
    assert any("标题取自文件名" in message for _, message in plan.warnings)


def test_cut_off_documents_say_their_last_task_may_be_incomplete(plans):
    for name in ("09_jingzhou-2022-zerenqingdan-spam.txt", "14_taishan-wenguanglvtiju-2021-fengong.txt",
                 "24_xuanhan-2023-yaodian.txt"):
        assert any("最后一项任务可能不完整" in message for _, message in plans[name].warnings), name


def test_traditional_chinese_is_read_as_simplified(plans):
    plan = plans["16_xuancheng-2020-jiceng-fangan-fanti.txt"]
    assert plan.tasks[0].text.startswith("根据省基层政务公开事项梳理指南")
    assert any("繁体" in message for _, message in plan.warnings)


def test_section_structure_of_tables(plans):
    jingzhou = plans["09_jingzhou-2022-zerenqingdan-spam.txt"]
    assert [(s.key, s.number, s.title) for s in jingzhou.sections] == [
        ("1", "一、", "以公开助力经济平稳健康发展"), ("1.1", "(一)", "加强涉及市场主体的信息公开")]
    assert {t.section for t in jingzhou.tasks} == {"1.1"}
    jiangmen = plans["12_jiangmen-weijianju-2021-fengong.txt"]
    assert [t.section for t in jiangmen.tasks] == ["1", "2", "3", "3", "4", "4", "4", "4", "5", "6", "6", "6"]
