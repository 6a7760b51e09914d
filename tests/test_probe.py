"""Twelve plan documents written for issue 15 (tests/fixtures/probe), each imitating a layout offices
receive: what a careful reader takes from each — tasks, their units with roles, deadlines, and the
heading each task sits under. Written from reading the documents, not from the importer's output.

Per task: (text starts with, units as [(name, role)] or None to leave unchecked, deadlines or None,
title of the innermost heading or None for no heading / unchecked).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gktrack.features.importer import import_file

PROBE = Path(__file__).parent / "fixtures" / "probe"
L, S, R = "lead", "support", "responsible"
ANY = object()  # section left unchecked

EXPECTED = {
    "p53_city-2024-pipes-category-spans-two-header-cells.txt": ("某市2024年政府信息公开重点工作安排", 2024, [
        # "工作任务" spans a category and a task name: a category's first row is one cell wider, its
        # other rows leave the category out; the empty 备注 cell was dropped from each row
        ("推进财政信息公开\n按时公开市本级预算", [("市财政局", R), ("市审计局", R)], [], "深化重点领域公开"),
        ("推进重大项目公开\n公开重大建设项目", [("市发展改革委", R)], [], "深化重点领域公开"),
        ("推进教育信息公开\n及时公开义务教育", [("市教育局", R)], ["6月底前"], "深化重点领域公开"),
        ("做好政策解读\n重要政策文件", [("市政府办公室", L), ("市政府各部门", S)], [], "加强解读回应"),
        ("回应社会关切\n对涉及本部门", [("各有关单位", R)], [], "加强解读回应"),
        ("规范依申请公开\n依法答复", [("市政府各部门", R)], [], "加强解读回应"),
    ]),
    "p52_county-2024-qingdan-deadline-cells.txt": ("宁强县2024年政务公开工作任务清单", 2024, [
        # deadline cells written as quarters, 旬, half-years, "年内", and two phrases in one cell
        ("编制年度政务公开工作计划", [("县政府办公室", R)], ["2024年第二季度"], None),
        ("开展政务公开第三方评估", [("县政府办公室", R)], ["第四季度末"], None),
        ("完成政府信息公开指南修订", [("县司法局", R)], ["12月中旬"], None),
        ("通报政务新媒体检查情况", [("县委网信办", R)], ["每半年"], None),
        ("完成基层政务公开事项目录更新", [("各镇人民政府", R)], ["年内"], None),
        ("公开12345热线办理情况", [("县政务服务中心", R)], ["每月5日前", "遇重大事项即时发布"], None),
    ]),
    "p51_city-2024-star-marks-new-tasks.txt": ("榆林市2024年政务公开工作任务分工方案", 2024, [
        # "★" before an item's number marks it new: the item is still "1." / "4."
        ("建立政策文件“一件事”集成发布机制", [("市政府办公室", L), ("市数据局", S)], ["2024年6月底前"],
         "加强政策发布解读"),
        ("做好行政规范性文件统一公开", [("市司法局", R)], [], "加强政策发布解读"),
        ("开展政府网站和政务新媒体季度检查", [("市政府办公室", R)], None, "强化平台建设"),
        ("推进政务公开专区与12345热线联动", [("市政务服务中心", R)], [], "强化平台建设"),
    ]),
    "p50_county-2024-wechat-page.html": ("镇安县2024年政务公开工作要点", 2024, [
        # the WeChat article saved as a web page: "01" and the title in paragraphs of their own
        ("及时公开县政府规范性文件", [("县司法局", R)], [], "加强政策公开"),
        ("做好重要政策解读", [("县政府办公室", L), ("县直各部门", S)], [], "加强政策公开"),
        ("推进政府网站集约化", [("县数据局", R)], ["2024年9月底前"], "加强平台建设"),
    ]),
    "p49_county-2024-comma-labels-and-joined-units.txt": ("山阳县2024年政务公开工作要点", 2024, [
        # labelled parts apart by "，"; units joined by "和"/"及"
        ("做好财政预决算公开", [("县财政局", R)], ["2024年9月底前"], "推进重点领域公开"),
        ("做好审计结果公开", [("县审计局", L), ("县财政局", S), ("县直各部门", S)], [], "推进重点领域公开"),
        ("做好重大建设项目信息公开", [("县发改局", R), ("县住建局", R)], [], "推进重点领域公开"),
        ("做好教育、医疗领域信息公开", [("县教体局", R), ("县卫健局", R)], ["持续推进"], "推进重点领域公开"),
    ]),
    "p48_city-2024-qingdan-csv.csv": ("商洛市2024年政务公开重点任务清单", 2024, [
        # a sheet saved as CSV in GBK: the title in a row of its own, a quoted cell with a comma and a line break
        ("及时公开市政府常务会议议定事项", [("市政府办公室", L)], ["会后5个工作日内"], None),
        ("公开市级重大建设项目批准和实施信息，包括项目名称、投资额、建设进度等。\n按季度更新项目进展。",
         [("市发展改革委", L), ("市住建局", S), ("市交通局", S)], ["每季度"], None),
        ("做好就业补贴政策公开", [("市人社局", L), ("市财政局", S)], ["2024年6月底前"], None),
    ]),
    "p46_city-2024-cn-numeral-year-you-sentence.txt": ("延安市二〇二四年政务公开工作要点", 2024, [
        # the year in Chinese numerals; a last sentence "由X牵头，Y配合。" names the units
        ("做好政策文件集中公开", [("市政府办公室", L), ("各县(市、区)政府", S), ("市直各部门(单位)", S)], None,
         "强化政策发布解读"),
        ("提升政策解读质量", [("市直各部门(单位)", R)], None, "强化政策发布解读"),
        ("加强政务新媒体管理", [("市委网信办", R), ("市政府办公室", R)], None, "优化政务公开平台"),
    ]),
    "p47_county-2024-three-label-lines.txt": ("富县2024年政务公开工作任务分工", 2024, [
        # 牵头单位 / 配合单位 / 完成时限 each on a line of its own after the item
        ("公开县级预决算", [("县财政局", L), ("县直各预算单位", S)], ["2024年9月底前"], "加强重点领域信息公开"),
        ("做好医疗卫生领域信息公开", [("县卫健局", L)], ["持续推进"], "加强重点领域信息公开"),
        ("完成政府信息公开工作年度报告编制发布", [("县政府办公室", L), ("县直各部门", S), ("各镇人民政府", S)],
         ["2024年1月31日前"], "夯实政务公开基础"),
    ]),
    "p45_county-2024-bullet-details-under-items.txt": ("丹凤县2024年政务公开工作要点", 2024, [
        # "●" lines under a numbered item that is a whole task (its sentence, its units) are its details;
        # "●" lines right under a heading are the heading's items
        ("做好财政信息公开。", [("县财政局", R)], None, "深化重点领域信息公开"),
        ("做好乡村振兴信息公开", [("县农业农村局", L), ("各镇人民政府", S)], None, "深化重点领域信息公开"),
        ("开展政府网站常态化检查", [("县政府办公室", R)], None, "加强平台建设"),
        ("推进政务公开专区建设", [("县政务服务中心", R)], ["2024年6月底前"], "加强平台建设"),
    ]),
    "p43_county-2024-deadlines-in-running-text.txt": ("柞水县2024年政务公开工作要点", 2024, [
        # deadlines written in the sentence, unlabelled; a unit name with its own bracket inside the unit bracket
        ("编制并公开县政府2024年度重大行政决策事项目录", [("县司法局", R)], ["2024年第一季度"], "推进政策公开"),
        ("全面梳理现行有效行政规范性文件", [("县司法局", L), ("县直各部门", S)], ["10月底前"], "推进政策公开"),
        ("按月公开县本级重点项目建设进展", [("县发改局", R)], ["每月10日前"], "推进政策公开"),
        ("对涉及我县的重大突发事件", [("县委宣传部(县政府新闻办)", R), ("县应急管理局", R)], None, "做好回应关切"),
        ("办好“政府开放日”活动", [("县政府办公室", R), ("县委网信办", R)], None, "做好回应关切"),
    ]),
    "p44_county-2024-taizhang-progress-columns.txt": ("洛南县2024年政务公开工作任务台账", 2024, [
        # a 台账 with 进展情况 and 备注 columns: neither is text, unit or deadline
        ("更新县政府信息公开指南。", [("县政府办公室", R)], ["2024年3月底前"], None),
        ("公开县级预决算和部门预决算。", [("县财政局", R)], ["2024年9月底前"], None),
        ("开展政务新媒体季度检查。", [("县委网信办", R)], ["每季度"], None),
        ("规范村务公开栏设置。", [("各镇人民政府", R)], ["2024年6月底前"], None),
    ]),
    "p39_county-2024-square-bracket-labels.txt": ("镇坪县2024年政务公开工作要点", 2024, [
        # labelled parts in 【】 after the sentence instead of （）
        ("做好规范性文件公开", [("县司法局", R)], ["2024年6月底前"], "加强政策发布解读"),
        ("落实政策解读“三同步”要求", [("县政府办公室", L), ("县直各部门", S)], ["长期坚持"], "加强政策发布解读"),
        ("推进政府网站集约化建设", [("县数据局", R)], ["2024年9月底前"], "加强平台建设"),
        ("开展政务新媒体常态化监管", [("县委网信办", R), ("县政府办公室", R)], ["每季度"], "加强平台建设"),
    ]),
    "p40_county-2024-tabs-lead-marked-inside-cell.txt": ("白河县2024年政务公开重点工作任务分工表", 2024, [
        # one 责任单位 column; the lead marked inside the cell: "X（牵头），Y" or "牵头：X；配合：Y"
        ("全面公开县级预决算", [("县财政局", L), ("县直各预算单位", R)], ["2024年9月底前"], None),
        ("做好重大建设项目信息公开", [("县发改局", L), ("县住建局", S), ("县交通局", S)], ["持续推进"], None),
        ("规范政府信息公开申请办理", [("县政府办公室", R)], ["长期坚持"], None),
        ("推进基层政务公开标准化规范化", [("县政府办公室", L), ("各镇人民政府", R)], ["2024年10月底前"], None),
    ]),
    "p41_city-2018-pcn-only-separate-deadline-bracket.txt": ("渭南市2018年政务公开工作要点", 2018, [
        # only "（一）" items, no chapters; the deadline in a bracket of its own after the unit bracket
        ("推进决策公开", [("市政府办公室", R), ("市法制办", R)], ["2018年9月底前完成"], None),
        ("推进管理服务公开", [("市编办", R), ("市直各部门", S)], [], None),
        ("推进财政资金信息公开", [("市财政局", R)], ["长期坚持"], None),
    ]),
    "p42_district-2024-units-line-lead-marks.txt": ("汉台区2024年政务公开工作要点", 2024, [
        # "责任单位：X（牵头），Y" on the line after each item
        ("做好财政信息公开", [("区财政局", L), ("区直各部门", R)], ["2024年9月底前"], "深化重点领域信息公开"),
        ("做好就业创业信息公开", [("区人社局", R)], [], "深化重点领域信息公开"),
        ("优化政务服务事项办事指南", [("区行政审批服务局", L), ("区直有关部门", S)], [], "提升政务服务水平"),
    ]),
    "p30_province-2017-yaodian-bold-lead-brackets.txt": ("河北省2017年政务公开工作要点", 2017, [
        # older 省级 要点: "（一）推进决策公开。" a lead sentence, then body, then "（X牵头，Y、Z配合）"
        ("推进决策公开", [("省政府办公厅", L), ("省发展改革委", S), ("省法制办", S)], [],
         "推进“五公开”工作机制建设"),
        ("推进执行和结果公开", [("省政府督查室", L), ("省直各部门", S)], [], "推进“五公开”工作机制建设"),
        ("加强政策解读", [("省政府新闻办", L), ("省直各部门", S)], ["2017年6月底前"], "围绕稳增长加强政策解读"),
        ("积极回应关切", [("省委网信办", R), ("省政府新闻办", R)], None, "围绕稳增长加强政策解读"),
        ("推进财政预决算公开", [("省财政厅", R)], None, "推进重点领域信息公开"),
        ("推进国有企业信息公开", [("省国资委", L), ("各省属国有企业", S)], ["年底前"], "推进重点领域信息公开"),
    ]),
    "p31_city-2024-qingdan-web-table-one-cell-per-line.txt": ("宝鸡市2024年政务公开重点任务清单", 2024, [
        # a web table copied one cell per line: six header lines, then six lines a row;
        # 目标任务 repeats per row and groups the rows (the section); 牵头单位 lead, 责任单位 responsible
        ("在市政府门户网站集中公开", [("市司法局", L), ("市政府办公室", R)], ["2024年6月底前"], "优化政策发布"),
        ("重要政策文件出台后同步发布", [("市政府办公室", L), ("市直各部门", R)], ["持续推进"], "优化政策发布"),
        ("开展政府网站和政务新媒体季度检查", [("市政府办公室", L), ("各县区政府", R)], ["每季度"], "强化平台建设"),
        ("推进政务公开专区与政务服务中心融合建设", [("市行政审批服务局", L), ("各县区政府", R)],
         ["2024年10月底前"], "强化平台建设"),
    ]),
    "p32_district-2024-units-per-section-at-top.txt": ("成都市武侯区2024年政务公开工作要点", 2024, [
        # "本部分工作由X牵头，Y配合。" under a heading names the units of the section's items;
        # an item's own bracket is more specific and wins
        ("严格落实政策文件与解读材料同步", [("区政府办公室", L), ("区直各部门", S), ("各街道办事处", S)], [],
         "加强政策解读回应"),
        ("围绕群众关切开展政策解读进社区", [("区政府办公室", L), ("区直各部门", S), ("各街道办事处", S)], None,
         "加强政策解读回应"),
        ("加强网络舆情监测和回应", [("区政府办公室", L), ("区直各部门", S), ("各街道办事处", S)], [],
         "加强政策解读回应"),
        ("及时公开区级重大建设项目", [("区发改局", L), ("区财政局", S), ("区住建交通局", S)], [], "深化重点领域信息公开"),
        ("做好区级预决算公开", [("区财政局", R)], ["2024年9月底前"], "深化重点领域信息公开"),
        ("更新完善区级政务公开事项标准目录", [("区政府办公室", L), ("区直各部门", S)], [], "提升政务公开标准化水平"),
        ("推进政务公开专区规范化建设", [("区政务服务中心", R)], ["2024年10月底前"], "提升政务公开标准化水平"),
    ]),
    "p33_street-2024-keshi-and-time-next-line.txt": ("城关街道2024年政务公开工作任务分解", 2024, [
        # "责任科室：X  完成时间：Y" on the line after each item, parts apart by two spaces
        ("落实重大事项决策前征求意见制度", [("党政办", R)], ["全年"], "推进决策和执行公开"),
        ("公开街道年度重点工作推进情况", [("党政办", R), ("经济发展办", R)], ["2024年7月底前"], "推进决策和执行公开"),
        ("规范社区居务公开栏设置", [("社会事务办", R), ("各社区", S)], ["2024年6月底前"], "深化基层政务公开"),
        ("做好低保、特困供养", [("社会事务办", R)], ["每季度"], "深化基层政务公开"),
        ("开展政务公开进社区活动", [("党政办", R)], ["2024年11月底前"], "深化基层政务公开"),
    ]),
    "p34_county-2024-subitems-are-tasks.txt": ("永寿县2024年政务公开工作要点", 2024, [
        # "1、规范性文件公开" is a heading (no full stop, no unit); its "（1）" sub-items are the tasks
        ("县政府及其部门制发的行政规范性文件", [("县司法局", R)], None, "规范性文件公开"),
        ("2024年11月底前完成现行有效规范性文件清理", [("县司法局", L), ("县政府办公室", S)], ["2024年11月底前"],
         "规范性文件公开"),
        ("重要政策文件与解读材料同步起草", [("县直各部门", R)], [], "政策解读"),
        ("开展“政策解读进万家”活动", [("县政府办公室", R)], None, "政策解读"),
        ("每季度开展政府网站常态化检查", [("县政府办公室", R)], None, "政府网站"),
        ("规范政务新媒体开设、变更和关停", [("县委网信办", R), ("县政府办公室", R)], ["2024年6月底前"], "政务新媒体"),
        ("严格落实政务新媒体“三审三校”制度", [("各政务新媒体主办单位", R)], [], "政务新媒体"),
    ]),
    "p35_county-2024-wechat-article-markers.txt": ("紫阳县2024年政务公开工作要点", 2024, [
        # a WeChat article: account line, "点击蓝字", "01"/"02" section markers on a line of their own,
        # "■"/"▲" bullets, then END / 来源 / 编辑 / 审核 / 阅读原文 (the space inside a title goes, as elsewhere)
        ("及时公开县级预决算", [("县财政局", R)], ["2024年9月底前"], "聚焦重点领域深化信息公开"),
        ("做好乡村振兴项目资金公开", [("县农业农村局", L), ("各镇人民政府", S)], None, "聚焦重点领域深化信息公开"),
        ("公开义务教育阶段招生政策", [("县教育体育局", R)], ["2024年8月底前"], "聚焦重点领域深化信息公开"),
        ("开展政府网站和政务新媒体常态化检查", [("县政府办公室", R)], ["每季度"], "强化平台建设提升服务能力"),
        ("推进政务公开专区标准化建设", [("县政务服务中心", L), ("各镇人民政府", S)], [], "强化平台建设提升服务能力"),
    ]),
    "p36_county-2024-body-overview-then-annex-tabs.txt": ("石泉县2024年政务公开工作方案", 2024, [
        # the body has only 总体要求 and 保障措施 paragraphs; the tasks are the rows of the 附件 table
        ("全面公开县级预决算", [("县财政局", R), ("县直各预算单位", S)], ["2024年9月底前"], None),
        ("公开重大建设项目审批", [("县发改局", R), ("县住建局", S)], ["持续推进"], None),
        ("更新完善政府信息公开指南", [("县政府办公室", R)], ["2024年3月底前"], None),
        ("规范依申请公开办理", [("县司法局", R), ("县政府办公室", S)], ["长期坚持"], None),
    ]),
    "p37_city-2024-deadline-forms.txt": ("汉中市2024年政务公开工作要点", 2024, [
        ("制定2024年度政务公开工作计划", [("市政府办公室", R)], ["2024年第一季度"], "做好政策公开"),
        ("开展现行有效规范性文件清理", [("市司法局", R)], ["10月底前完成", "长期坚持"], "做好政策公开"),
        ("按月公开市本级重点项目建设进展", [("市发展改革委", R)], ["每月10日前"], "做好政策公开"),
        ("对涉及我市的重大舆情", [("市委网信办", L), ("市直有关部门", S)], ["即时"], "做好回应关切"),
        ("完成年度政务公开第三方评估", [("市政府办公室", R)], ["2024年上半年"], "做好回应关切"),
        ("政府信息公开申请在法定期限内答复", [("市直各部门", R)], ["收到申请后20个工作日内"], "做好回应关切"),
    ]),
    "p38_city-2019-yaodian-canyu-luoshi.txt": ("安康市2019年政务公开工作要点", 2019, [
        # older roles: "参与" supports, "落实" / "分别负责" are responsible
        ("全面公开市县两级政府部门权责清单", [("市委编办", L), ("市直有关部门", S), ("各县区政府", R)], [],
         "着力推进“放管服”改革信息公开"),
        ("推进“互联网+政务服务”信息公开", [("市行政审批服务局", L), ("市直各部门", R), ("各县区政府", R)],
         ["2019年底前"], "着力推进“放管服”改革信息公开"),
        ("落实政策解读“三同步”制度", [("市政府办公室", R), ("各起草部门", R)], [], "着力加强政策解读和回应关切"),
        ("建立健全舆情收集", [("市委网信办", L), ("市政府办公室", S)], [], "着力加强政策解读和回应关切"),
    ]),
    "p26_city-2024-labels-as-sentences.txt": ("鹤壁市2024年政务公开工作要点", 2024, [
        ("做好财政预决算公开工作", [("市财政局", R)], ["2024年9月底前"], "深化重点领域信息公开"),
        # the labelled parts as sentences of their own, each closed by "。"
        ("做好重大建设项目批准和实施信息公开", [("市发展改革委", R)], ["持续推进"], "深化重点领域信息公开"),
        ("推进政务服务事项办理信息公开", [("市政务服务中心", L), ("市直各部门", S)], ["2024年6月"],
         "深化重点领域信息公开"),
        # a last sentence that only says who does it, unbracketed
        ("加强政府网站内容建设", [("市政府办公室", R), ("市大数据局", S)], [], "强化平台建设"),
        # "各部门要密切配合" asks units to act; it names nobody's task
        ("规范政务新媒体管理", [], [], "强化平台建设"),
    ]),
    "p25_county-2024-title-brackets.txt": ("南召县2024年政务公开工作要点", 2024, [
        # a unit bracket closing an item's title sentence, more text after it: the item's units
        ("加强组织领导。各乡镇、县直各部门要把政务公开工作", [("县政府办公室", R)], None, "强化组织保障"),
        ("加强业务培训。每年组织政务公开业务培训", [("县政府办公室", R), ("各乡镇", S)], None, "强化组织保障"),
        ("强化考核评估。将政务公开工作纳入年度目标考核", [("县政府办公室", L), ("县委督查室", S)], None, "强化组织保障"),
        ("加强监督检查（含乡镇）。每半年开展一次专项检查", [], None, "强化组织保障"),  # "(含乡镇)" names no unit
    ]),
    "p24_county-2024-units-after-groups.txt": ("宁陵县2024年政务公开工作要点", 2024, [
        # "以上工作由X牵头,Y配合" names the units of every item since the last unit line;
        # "以上第4-5项由X负责" only items 4 and 5
        ("及时公开县政府及其部门出台的规范性文件", [("县政府办公室", L), ("县直各部门", S)], None, "加强政策发布解读"),
        ("围绕县委、县政府重大决策部署", [("县政府办公室", L), ("县直各部门", S)], None, "加强政策发布解读"),
        ("持续做好政府网站内容保障", [], None, "优化政务公开平台"),
        ("规范政务新媒体运维管理", [("县政务服务中心", R), ("各乡镇", S)], None, "优化政务公开平台"),
        ("推进政务公开专区与便民服务中心融合建设", [("县政务服务中心", R), ("各乡镇", S)], None, "优化政务公开平台"),
        ("严格依申请公开办理", [("县司法局", R)], None, "夯实工作基础"),
    ]),
    "p01_gansu-2024-yaodian-inline-lead.txt": ("甘肃省2024年政务公开工作要点", 2024, [
        # two "(X牵头,Y按职责分工负责)" in one (一) paragraph: two tasks
        ("加强稳增长政策发布", [("省发展改革委", L), ("省财政厅", R), ("省商务厅", R)], [],
         "围绕稳住经济大盘加强政策公开"),
        ("围绕持续优化营商环境", [("省营商环境建设局", L), ("省市场监管局", R), ("省税务局", R)], [],
         "围绕稳住经济大盘加强政策公开"),
        ("做好财政资金信息公开", [("省财政厅", R)], [], "围绕稳住经济大盘加强政策公开"),
        ("深化民生领域信息公开", [("省人社厅", R), ("省教育厅", R), ("省卫生健康委", R)], [],
         "围绕保障和改善民生加强信息公开"),
        ("加大保障性住房分配信息公开", [("省住房城乡建设厅", L), ("各市州政府", R), ("兰州新区管委会", R)], [],
         "围绕保障和改善民生加强信息公开"),
        ("加强安全生产和应急信息公开", [("省应急厅", L), ("省直有关部门", S)], [],
         "围绕保障和改善民生加强信息公开"),
        ("提升政府网站集约化水平", [("省政府办公厅", L), ("省数据局", S)], ["年底前"], "强化政务公开平台建设"),
        ("规范政务新媒体管理", [("省政府办公厅", R), ("省委网信办", R)], None, "强化政务公开平台建设"),
    ]),
    "p02_county-2024-fengong-labelled-next-line.txt": ("泾源县2024年政务公开工作要点任务分工方案", 2024, [
        # each item followed by one line "责任单位:…;完成时限:…"
        ("及时公开县政府常务会议", [("县政府办公室", R)], ["每次会议后5个工作日内"], "加强重点领域信息公开"),
        ("做好乡村振兴领域信息公开", [("县农业农村局", L), ("县财政局", S), ("各乡镇人民政府", S)],
         ["2024年12月底前"], "加强重点领域信息公开"),
        ("全面公开县本级预算", [("县财政局", L), ("县直各预算单位", S)], ["2024年9月30日前"], "加强重点领域信息公开"),
        ("严格落实政策解读", [("县直各部门", R), ("各乡镇人民政府", R)], ["持续推进"], "提升政策解读回应质效"),
        ("畅通12345政务服务便民热线", [("县政务服务中心", R)], ["长期坚持"], "提升政策解读回应质效"),
        ("规范依申请公开办理", [("县司法局", R), ("县政府办公室", R)], ["2024年6月底前"], "夯实政务公开工作基础"),
        ("加强政府网站和政务新媒体日常监管", [("县政府办公室", R)], ["每季度"], "夯实政务公开工作基础"),
    ]),
    "p03_town-2024-leader-lines.txt": ("桥头镇2024年政务公开工作任务分解表", 2024, [
        # "牵头领导:某某" names a person, never a unit; "责任股室:" / "配合股室:" name the units
        ("严格落实重大行政决策预公开制度", [("党政综合办公室", R)], ["全年"], "推进决策和执行公开"),
        ("做好镇政府重点工作落实情况公开", [("党政综合办公室", R), ("经济发展办公室", R)], ["6月底前", "12月底前"],
         "推进决策和执行公开"),
        ("更新完善镇级政务公开事项标准目录", [("党政综合办公室", R), ("各站所", S)], ["2024年9月底前"],
         "深化基层政务公开"),
        ("规范村务公开", [("农业农村办公室", R), ("财政所", R)], ["每季度"], "深化基层政务公开"),
        ("规范设置镇便民服务中心", [("便民服务中心", R)], ["2024年6月底前"], "深化基层政务公开"),
    ]),
    "p04_district-weijianju-2024-keshi.txt": ("温江区卫生健康局2024年政务公开工作实施方案", 2024, [
        ("主动公开辖区医疗机构", [("医政科", R), ("局属各单位", R)], [], "推进医疗服务信息公开"),
        ("做好医疗卫生机构“双随机、一公开”", [("综合监督科", R)], None, "推进医疗服务信息公开"),
        ("及时发布传染病疫情信息", [("疾控科", R), ("区疾控中心", S)], [], "加强公共卫生信息公开"),
        ("公开家庭医生签约服务", [("基层卫生科", R)], [], "加强公共卫生信息公开"),
        ("加强局政府信息公开专栏管理", [("办公室", L), ("局机关各科室", S)], [], "夯实政务公开基础"),
        ("严格依申请公开办理程序", [("办公室", R), ("政策法规科", R)], ["每季度"], "夯实政务公开基础"),
        # 保障措施 items without children are tasks of the issuing body (no unit named)
        ("加强组织领导", [], [], "保障措施"),
        ("强化考核督办", [], [], "保障措施"),
    ]),
    "p05_lianduqu-2024-qingdan-tabs-repeated-header.txt": ("丽水市莲都区2024年政务公开重点任务清单", 2024, [
        # tab-separated rows; the header is repeated after the page break: never a task
        ("及时公开区政府全体会议", [("区政府办公室", R)], ["会后5个工作日内"], None),
        ("公开全区重大建设项目", [("区发改局", L), ("区住建局", S), ("区交通运输局", S)], ["按月"], None),
        ("做好涉企政策集中公开", [("区经信局", R), ("区商务局", R)], ["2024年6月底前"], None),
        ("公开城乡低保", [("区民政局", R), ("各乡镇人民政府", R), ("各街道办事处", R)], ["每季度"], None),
        ("做好生态环境质量", [("市生态环境局莲都分局", R)], ["持续推进"], None),
        ("公开义务教育招生入学政策", [("区教育局", R)], ["2024年8月底前"], None),
        ("规范政府信息公开年度报告", [("区政府办公室", R), ("区直各部门", R)], ["2024年1月31日前"], None),
    ]),
    "p06_city-2024-fengong-pipes-merged-blank.txt": ("滁州市2024年政务公开工作任务分工表", 2024, [
        # 重点任务 is the group column (merged, left blank below its first row): it becomes the section
        ("规范性文件在印发后20个工作日内", [("市司法局", R), ("市政府办公室", R)], ["持续推进"], "优化政策发布解读"),
        ("围绕优化营商环境出台的政策措施", [("市发展改革委", L), ("市直有关部门", S)], ["每季度"], "优化政策发布解读"),
        # its unit cell is merged with the row above
        ("建立政策解读质量评估机制", [("市发展改革委", L), ("市直有关部门", S)], ["2024年10月底前"], "优化政策发布解读"),
        ("制定并公开年度重大行政决策事项目录", [("市司法局", R)], ["2024年4月底前"], "加强公众参与"),
        ("邀请利益相关方", [("市政府办公室", R)], ["全年"], "加强公众参与"),
        ("健全依申请公开工作机制", [("市政府办公室", R), ("各县(市、区)政府", R)], ["2024年11月30日前"],
         "规范依申请公开"),
        ("开展依申请公开业务培训", [("市政府办公室", R)], ["2024年9月底前"], "规范依申请公开"),
    ]),
    "p07_quanjiao-2023-yaodian-fanti.txt": ("全椒县2023年政务公开工作要点", 2023, [
        # 繁体, with a cover notice, 抄送 and 印发 line
        ("做好政策文件公开", [("县政府办公室", R), ("县司法局", R)], ["2023年12月底前"], "着力提升政策公开质量"),
        ("强化政策解读", [("县直各部门", R), ("各乡镇人民政府", R)], [], "着力提升政策公开质量"),
        ("完善基层政务公开事项目录", [("县政府办公室", L), ("各乡镇人民政府", R)], ["2023年9月底前"],
         "着力推进基层政务公开"),
        ("推进村务公开与政务公开衔接", [("县民政局", R), ("县农业农村局", R), ("各乡镇人民政府", R)], [],
         "着力推进基层政务公开"),
    ]),
    "p08_city-2023-parts-four-levels.txt": ("曲靖市2023年政务公开工作要点", 2023, [
        # 第二部分 > 一、 > (一) > 1.; 第一部分 总体要求 holds no task
        ("及时公开助企纾困", [("市发展改革委", R), ("市工业和信息化局", R)], [], "加强市场主体关切信息公开"),
        ("公开招商引资优惠政策", [("市投资促进局", R)], [], "加强市场主体关切信息公开"),
        ("公开市级重大建设项目", [("市发展改革委", L), ("市住房城乡建设局", S)], ["按季度"], "加强重大项目信息公开"),
        ("全面公开政务服务事项办事指南", [("市政务服务管理局", R)], [], "推进办事服务公开"),
        ("公开“一件事一次办”", [("市政务服务管理局", R)], [], "推进办事服务公开"),
        ("加强组织领导", [], [], "保障措施"),
        ("加强培训考核", [], ["每年"], "保障措施"),
    ]),
    "p09_district-2024-notice-cover-and-footer.txt": ("雁塔区2024年政务公开工作要点", 2024, [
        ("及时发布区政府重点工作推进情况", [("区发改委", R)], ["每半年"], "围绕中心工作做好信息发布"),
        ("做好城市更新和老旧小区改造", [("区住建局", L), ("各街道办事处", S)], [], "围绕中心工作做好信息发布"),
        ("加强区政府门户网站内容保障", [("区政府办公室", R), ("区直各部门", S)], [], "持续优化政务公开平台"),
        ("推进政务公开专区标准化建设", [("区行政审批服务局", L), ("各街道办事处", R)], ["年底前"], "持续优化政务公开平台"),
    ]),
    "p10_street-2024-deadline-kinds.txt": ("北林街道2024年政务公开工作实施方案", 2024, [
        ("编制街道政务公开事项清单", [("党政办公室", R)], ["2024年6月底前"], "重点工作"),
        ("及时更新街道政务公开栏", [("党政办公室", L), ("各社区居委会", S)], ["每季度末"], "重点工作"),
        ("落实居务公开制度", [("社会事务办公室", R), ("各社区居委会", R)], ["长期坚持"], "重点工作"),
        # "全年" in its text is no deadline: the labelled one is
        ("汇总全年政务公开工作开展情况", [("党政办公室", R)], ["11月30日前"], "重点工作"),
        ("做好低保、临时救助", [("社会事务办公室", R)], ["全年"], "重点工作"),
        # the units unlabelled, only the time labelled: "(X负责;完成时限:Y)"
        ("按月公开辖区城乡居民最低生活保障", [("社会事务办公室", R)], ["每月10日前"], "重点工作"),
        ("各科室、各社区要高度重视", [("各科室", R), ("各社区居委会", R)], ["2024年3月底前"], "工作要求"),
    ]),
    "p11_county-2024-body-then-annex-table.html": ("临泉县2024年政务公开工作方案", 2024, [
        # the body only summarises; the tasks are the rows of the 附件 table (任务类别 groups them)
        ("做好县政府规范性文件统一公开", [("县司法局", L), ("县政府办公室", S)], ["持续推进"], "政策公开"),
        ("重要政策出台后3个工作日内发布解读材料", [("县直各部门", L)], ["长期坚持"], "政策公开"),
        ("完成县政府网站适老化", [("县数据资源局", L), ("县政府办公室", S)], ["2024年10月底前"], "平台建设"),
        ("开展政务新媒体季度检查", [("县政府办公室", L), ("县委网信办", S)], ["每季度"], "平台建设"),
        ("在县、乡镇政务服务中心设立政务公开专区", [("县数据资源局", L), ("各乡镇人民政府", S)], ["2024年6月底前"],
         "基层政务公开"),
    ]),
    "p12_district-2022-pdf-wrapped.txt": ("南岸区2022年政务公开工作要点", 2022, [
        # hard-wrapped PDF copy with "- 1 -" page numbers; unit brackets broken over lines
        ("提高政策文件公开质量", [("区司法局", L), ("区政府办公室", S)], [], "加强政策发布解读"),
        ("丰富政策解读形式", [("区政府各部门", R)], [], "加强政策发布解读"),
        ("推进财政信息公开", [("区财政局", R)], ["2022年9月底前"], "做好重点领域信息公开"),
        ("推进公共资源配置信息公开", [("区公共资源交易中心", R), ("区规划自然资源局", R), ("区住房城乡建委", R)], [],
         "做好重点领域信息公开"),
        ("加强依申请公开办理", [("区政府办公室", R), ("区司法局", R)], [], "强化政务公开基础工作"),
    ]),
    "p13_county-2024-qingdan-markdown-three-levels.txt": ("松桃苗族自治县2024年政务公开重点工作任务清单", 2024, [
        # 工作类别 > 工作事项 > 工作内容: the two group columns (merged, blank below) are section and subsection
        ("县政府及其部门制发的规范性文件", [("县司法局", R)], ["持续推进"], "文件公开"),
        ("开展规范性文件清理", [("县司法局", R), ("县政府办公室", R)], ["2024年11月底前"], "文件公开"),
        ("重要政策文件与解读材料同步起草", [("县直各部门", R)], ["长期坚持"], "政策解读"),
        ("每季度开展政府网站和政务新媒体检查", [("县政府办公室", R)], ["每季度"], "网站管理"),
        ("推进部门网站向县政府门户网站集约迁移", [("县大数据局", R)], ["2024年9月30日前"], "网站管理"),
        ("在县政务服务中心和各乡镇便民服务中心", [("县政务服务中心", R), ("各乡镇人民政府", R)], ["2024年6月底前"],
         "专区建设"),
    ]),
    "p14_town-2023-inline-person-and-unit-labels.txt": ("龙门镇2023年政务公开工作方案", 2023, [
        # "…。责任人:某某;责任单位:X。" after the sentence: a person (a note) and the unit
        ("推进决策公开", [("党政办", R)], [], "工作任务"),
        ("推进财务公开", [("财政所", R)], ["每季度"], "工作任务"),
        # "各村(社区)" closing a labelled list is a name, not a unit bracket of its own
        ("推进村务公开", [("农业综合服务中心", R), ("各村(社区)", R)], ["每月5日前"], "工作任务"),
        ("推进办事公开", [("便民服务中心", R)], ["2023年6月底前"], "工作任务"),
        ("加强组织领导", [], [], "保障措施"),
        ("加强监督考核", [], [], "保障措施"),
    ]),
    "p15_county-jiaotiju-2024-tabs-leader-column.txt": ("岚皋县教育体育局2024年政务公开工作任务分解表", 2024, [
        # a 牵头领导 column names people (notes), 责任股室 and 配合单位 columns name units
        ("更新完善本局政府信息公开指南", [("办公室", R), ("各股室", S)], ["2024年3月底前"], None),
        ("公开本局年度部门预算", [("计划财务股", R)], ["按规定时限"], None),
        ("做好学前教育资助", [("学生资助中心", R), ("各中小学校", S)], ["全年"], None),
        ("公开中考、高考招生政策", [("教育股", R), ("县招生办", S)], ["2024年7月底前"], None),
    ]),
    "p16_district-2024-units-first-colon.txt": ("铜川市王益区2024年政务公开工作任务分工", 2024, [
        # each item opens with its units and a colon: "区发改局:负责…"
        ("负责公开全区国民经济", [("区发改局", R)], ["按季度"], "深化重点领域信息公开"),
        ("负责做好区级预决算", [("区财政局", R)], ["2024年9月底前"], "深化重点领域信息公开"),
        ("负责做好保障性住房分配", [("区住建局", R), ("区自然资源局", R)], [], "深化重点领域信息公开"),
        ("负责政府网站和政务新媒体日常监管", [("区政府办公室", R)], ["每季度"], "强化平台和阵地建设"),
        ("负责规范便民服务中心", [("各镇", R), ("各街道", R)], ["年底前"], "强化平台和阵地建设"),
        ("负责及时发布传染病疫情", [("区卫健局(区疾控中心)", R)], [], "强化平台和阵地建设"),
    ]),
    "p17_city-2024-labels-on-one-line-spaced.txt": ("旬阳市2024年政务公开工作要点", 2024, [
        # "牵头单位:X　配合单位:Y　完成时限:Z" after the sentence, parts apart by spaces only
        ("做好规范性文件公开", [("市司法局", L), ("市政府办公室", S)], ["2024年6月底前"], "做好政策公开"),
        ("做好政策解读", [("市政府办公室", L), ("市直各部门", R)], ["持续推进"], "做好政策公开"),
        ("及时回应社会关切", [("市委网信办", R)], ["长期坚持"], "做好回应关切"),
        ("办好政府开放日活动", [("市政府办公室", L), ("各镇人民政府", S)], ["2024年10月底前"], "做好回应关切"),
    ]),
    "p18_county-2024-wrapped-title-semicolon-brackets.txt": ("岳池县2024年政务公开工作要点", 2024, [
        # "A(期限,X负责);B(Y负责)。": each clause closed by its own unit bracket is a task
        ("做好政策文件公开。及时公开县政府及办公室", [("县司法局", R)], ["2024年6月底前"], "加强政策公开"),
        ("开展现行有效文件清理", [("县政府办公室", R)], [], "加强政策公开"),
        ("做好政策解读", [("县直各部门", R)], [], "加强政策公开"),
        ("办好政府门户网站", [("县政府办公室", L), ("县大数据中心", S)], [], "加强平台建设"),
        ("推进部门网站集约化迁移", [("县大数据中心", R)], ["2024年10月底前"], "加强平台建设"),
        ("规范政务新媒体", [("县委网信办", R), ("县政府办公室", R)], [], "加强平台建设"),
    ]),
    "p19_district-sifaju-2024-excel-unicode-text.txt": ("长安区司法局2024年政务公开工作任务台账", 2024, [
        # Excel "Unicode 文本": UTF-16, tabs, cells with line breaks or quotes put in "…" ("" a quote)
        ("做好行政执法信息公开。\n按照行政执法公示制度要求", [("行政执法监督科", R)], ["持续推进"], None),
        ("公开本局年度部门预算、决算。", [("办公室", R), ("财务室", R)], ["按上级统一要求"], None),
        ("做好“减证便民”事项清单公开", [("公共法律服务管理科", R)], ["2024年6月底前", "2024年12月底前"], None),
        ('办理政府信息公开申请，规范答复文书，做到"一案一档"。', [("办公室", R)], ["全年"], None),
        ("开展普法宣传进社区活动", [("普法与依法治理科", R), ("各司法所", R)], ["每季度"], None),
    ]),
    "p20_county-2024-space-aligned-table.txt": ("商南县2024年政务公开重点任务分工表", 2024, [
        # columns laid out with spaces; a blank 类别 cell is the group above (merged)
        ("做好规范性文件统一公开", [("县司法局", R)], ["持续推进"], "政策公开"),
        ("公开县级预决算和部门预决算", [("县财政局", R)], ["2024年9月底前"], "政策公开"),
        ("做好政策解读", [("县直各部门", R)], ["长期坚持"], "政策公开"),
        ("开展政务新媒体季度检查", [("县委网信办", R), ("县政府办公室", R)], ["每季度"], "平台建设"),
        ("推进政务公开专区规范化建设", [("县政务服务中心", R)], ["2024年6月底前"], "平台建设"),
    ]),
    "p21_city-ziranziyuan-2024-pipes-category-rows.txt": ("安康市自然资源局2024年政务公开重点工作任务清单", 2024, [
        # rows "一 | 类别 | |" number a group of rows: headings, not tasks
        ("公开国土空间总体规划", [("国土空间规划科", R)], ["批准后20个工作日内"], "规划信息公开"),
        ("公开建设项目规划许可信息", [("建设项目审批科", R)], ["持续推进"], "规划信息公开"),
        ("公开土地征收启动", [("耕地保护监督科", R), ("征地事务中心", R)], ["持续推进"], "自然资源管理信息公开"),
        ("公开国有建设用地使用权出让结果", [("自然资源开发利用科", R)], ["每月"], "自然资源管理信息公开"),
        ("公开行政处罚决定信息", [("执法监察支队", R)], ["作出决定后7个工作日内"], "执法监督信息公开"),
    ]),
    "p22_district-2024-tabs-heading-rows.txt": ("汉滨区2024年政务公开工作任务清单", 2024, [
        # "一、…\t\t\t": a heading row with one cell filled among tab rows
        ("公开区政府重点工作任务分解", [("区政府办公室", R)], ["2024年7月底前", "2025年1月底前"], "以公开促进政策落实"),
        ("公开区级重大建设项目进展", [("区发改局", R)], ["每季度"], "以公开促进政策落实"),
        ("做好12345热线诉求办理结果公开", [("区政务服务中心", R)], ["每月"], "以公开回应社会关切"),
        ("及时回应网络舆情关切", [("区委网信办", R), ("区直各部门", R)], ["长期坚持"], "以公开回应社会关切"),
    ]),
    "p23_county-2024-tabs-lead-support-merged.txt": ("旬邑县2024年政务公开工作任务分工表", 2024, [
        # an empty 配合单位 cell is empty; a row whose 牵头单位 is blank too continues the merged cells above
        ("规范性文件印发后在政策文件库", [("县司法局", L), ("县政府办公室", S)], ["持续推进"], "政策发布解读"),
        ("政策出台后同步发布图解", [("县直各部门", L)], ["长期坚持"], "政策发布解读"),
        ("对解读材料质量开展年度评估", [("县直各部门", L)], ["2024年11月底前"], "政策发布解读"),
        ("推进政府网站集约化平台迁移", [("县数据局", L), ("县政府办公室", S)], ["2024年9月底前"], "平台建设"),
        ("开展政务新媒体常态化检查", [("县委网信办", L)], ["每季度"], "平台建设"),
    ]),
}

# Expectations the importer does not meet yet: name -> reason (the test is marked xfail).
KNOWN_GAPS: dict[str, str] = {}

# Words of labels, headers, notices and page furniture: never inside a task's text or a unit's name.
# ("牵头领导:某某" may stay in the text as a note: a person, not a unit.)
NEVER_IN_TASK = ("责任单位", "责任人：", "责任股室", "配合股室", "责任科室", "完成时限", "牵头单位", "配合单位",
                 "抄送", "印发给你们", "第 1 页", "- 1 -", "- 2 -", "序号")
PEOPLE = ("刘志刚", "陈晓梅", "王海", "李明", "赵强", "王军", "李华", "张伟")


def _by_role(units):
    return {role: [name for name, r in units if r == role] for role in (L, S, R)}


def _params():
    return [pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_GAPS[name], strict=True))
            if name in KNOWN_GAPS else name for name in sorted(EXPECTED)]


@pytest.fixture(scope="module")
def plans():
    return {name: import_file(PROBE / name) for name in EXPECTED}


def test_every_probe_document_has_an_expectation():
    assert sorted(p.name for p in PROBE.iterdir() if p.is_file()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", _params())
def test_tasks_units_deadlines_and_sections(plans, name):
    title, year, tasks = EXPECTED[name]
    plan = plans[name]
    assert plan.title == title
    assert plan.year == year
    headings = {s.key: s.title for s in plan.sections}
    got = [(t.text, [(u.name, u.role) for u in t.units], t.deadline, headings.get(t.section)) for t in plan.tasks]
    assert len(got) == len(tasks), [g[0][:20] for g in got]
    for (text, units, deadline, section), (start, want_units, want_deadline, want_section) in zip(got, tasks):
        assert text.startswith(start), (text[:30], start)
        if want_units is not None:  # in order within each role; a plan file keeps roles apart
            assert _by_role(units) == _by_role(want_units), text[:20]
        if want_deadline is not None:
            assert deadline == want_deadline, text[:20]
        if want_section is not ANY:
            assert section == want_section, text[:20]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_label_header_or_person_is_a_task_or_unit(plans, name):
    for task in plans[name].tasks:
        assert not any(word in task.text for word in NEVER_IN_TASK), task.text
        for unit in task.units:
            assert unit.name not in PEOPLE and not any(p in unit.name for p in PEOPLE), unit.name
            assert not any(word in unit.name for word in ("领导", "完成时限", "序号")), unit.name


def test_cover_notice_gives_issuer_number_and_date(plans):
    plan = plans["p09_district-2024-notice-cover-and-footer.txt"]
    assert plan.issuer == "西安市雁塔区人民政府办公室"
    assert plan.doc_number == "雁塔政办发〔2024〕12号"
    assert plan.issued == dt.date(2024, 3, 18)
    wrapped = plans["p18_county-2024-wrapped-title-semicolon-brackets.txt"]
    assert wrapped.doc_number == "岳府办发〔2024〕9号" and wrapped.issued == dt.date(2024, 4, 2)
    fanti = plans["p07_quanjiao-2023-yaodian-fanti.txt"]
    assert fanti.issuer == "全椒县人民政府办公室"
    assert fanti.issued == dt.date(2023, 4, 20)


def test_progress_and_remarks_columns_stay_out_of_the_task(plans):
    plan = plans["p44_county-2024-taizhang-progress-columns.txt"]
    for task in plan.tasks:
        assert not any(word in task.text for word in ("已完成", "推进中", "未开始")), task.text
    # a bare "已完成" is not recorded as progress, and the office is told so: the task comes in open
    assert plan.warnings == [(5, "表中完成情况只写了“已完成”等状态的 1 项任务导入后仍是未完成(状态词不作为进展记录);"
                                 "确已办结的请用 gktrack close 记录办结日期")]


def test_bullet_details_stay_in_their_item(plans):
    first = plans["p45_county-2024-bullet-details-under-items.txt"].tasks[0]
    assert "三公" in first.text and "县级预决算" in first.text


def test_deadline_cells_are_all_understood(plans):
    # every deadline of these two documents is one the deadline grammar reads (none kept as unknown)
    for name in ("p37_city-2024-deadline-forms.txt", "p52_county-2024-qingdan-deadline-cells.txt"):
        assert not any("无法识别的时限" in message for _, message in plans[name].warnings), name


def test_wrapped_lines_are_rejoined(plans):
    plan = plans["p12_district-2022-pdf-wrapped.txt"]
    assert "行政规范性文件统一登记" in plan.tasks[0].text
    assert "2022年9月底前完成债务信息集中公开" in plan.tasks[2].text


def test_group_columns_of_a_table_nest(plans):
    plan = plans["p13_county-2024-qingdan-markdown-three-levels.txt"]
    assert [(s.key, s.number, s.title) for s in plan.sections] == [
        ("1", "一、", "政策公开"), ("1.1", "（一）", "文件公开"), ("1.2", "（二）", "政策解读"),
        ("2", "二、", "平台建设"), ("2.1", "（三）", "网站管理"), ("2.2", "（四）", "专区建设")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_whole_documents_are_not_reported_as_cut_off(plans, name):
    # each ends in a deadline cell, a page number, a 印发 line or a full stop: nothing is cut off
    assert not any("最后一项任务可能不完整" in message for _, message in plans[name].warnings)


def test_space_aligned_table_typed_in_an_editor_lines_up_by_display_width():
    # the p20 table typed where a Chinese character is two columns wide: the same tasks
    import unicodedata

    from gktrack.features.importer import parse_document
    from gktrack.features.importer.sources import Document

    def pad(text, width):
        return text + " " * (width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))

    rows = [["序号", "类别", "重点任务", "责任单位", "完成时限"],
            ["1", "政策公开", "做好规范性文件统一公开。", "县司法局", "持续推进"],
            ["2", "", "公开县级预决算和部门预决算。", "县财政局", "2024年9月底前"],
            ["3", "平台建设", "开展政务新媒体季度检查。", "县委网信办、县政府办公室", "每季度"]]
    lines = ["某县2024年政务公开重点任务分工表", ""] + [
        "".join(pad(c, n) for c, n in zip(row, (8, 12, 44, 26))) + row[-1] for row in rows]
    plan = parse_document(Document.from_text("\n".join(lines)))
    headings = {s.key: s.title for s in plan.sections}
    assert [(headings.get(t.section), t.text, [u.name for u in t.units], t.deadline) for t in plan.tasks] == [
        ("政策公开", "做好规范性文件统一公开。", ["县司法局"], ["持续推进"]),
        ("政策公开", "公开县级预决算和部门预决算。", ["县财政局"], ["2024年9月底前"]),
        ("平台建设", "开展政务新媒体季度检查。", ["县委网信办", "县政府办公室"], ["每季度"])]


def test_a_channel_before_a_colon_is_a_topic_not_a_unit(tmp_path):
    """"政府网站:" and "政务服务大厅:" open an item by its topic; only a body ("区财政局:") is taken
    as the item's unit."""
    path = tmp_path / "某区2024年政务公开工作要点.txt"
    path.write_text("某区2024年政务公开工作要点\n一、平台建设\n"
                    "1.政府网站:加强内容保障,及时更新政策文件栏目。\n"
                    "2.政务服务大厅:设置政务公开专区,提供查阅服务。\n"
                    "3.区财政局:负责做好预决算信息公开。\n", encoding="utf-8")
    plan = import_file(path)
    got = [(t.text[:6], [u.name for u in t.units]) for t in plan.tasks]
    assert got == [("政府网站:加", []), ("政务服务大厅", []), ("负责做好预决", ["区财政局"])]


def test_an_item_right_after_a_heading_is_never_a_page_number(tmp_path):
    """"6、" typed for "6." makes the next "7." look out of sequence; under a heading ("二、保障措施"
    ends without a full stop, as headings do) it is still an item, not a page number cut into text."""
    path = tmp_path / "要点.txt"
    path.write_text("某市2024年政务公开工作要点\n一、重点工作\n"
                    + "".join(f"{n}.做好第{n}项公开工作。(市政府办公室负责)\n" for n in range(1, 6))
                    + "6、规范政务新媒体管理。(市委网信办负责)\n二、保障措施\n"
                    "7.加强组织领导。各县(市、区)政府要加强对政务公开工作的领导。\n", encoding="utf-8")
    plan = import_file(path)
    headings = {s.key: s.title for s in plan.sections}
    last = plan.tasks[-1]
    assert (last.number, headings[last.section], last.text[:7]) == ("7.", "保障措施", "加强组织领导。")
    assert not any("页码" in message for _, message in plan.warnings)


def test_a_units_after_line_ending_in_a_semicolon_is_read_the_same(tmp_path):
    """"以上工作由X负责;" (a full-width semicolon where "。" is usual) names X, not a unit called
    "以上工作由X"."""
    path = tmp_path / "要点.txt"
    path.write_text("某县2024年政务公开工作要点\n一、政策公开\n1.做好文件公开。\n2.做好政策解读。\n"
                    "以上工作由县政府办公室负责；\n", encoding="utf-8")
    plan = import_file(path)
    assert [[u.name for u in t.units] for t in plan.tasks] == [["县政府办公室"], ["县政府办公室"]]
