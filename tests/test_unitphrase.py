"""parse_unit_phrase / format_unit_phrase: the phrases of the seed documents and generated ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gktrack.errors import InputError
from gktrack.domain.model import UnitRef
from gktrack.domain.unitphrase import (
    format_unit_phrase, is_body_name, looks_like_unit_phrase, parse_unit_phrase, text_problem,
)

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def pairs(text: str) -> list[tuple[str, str]]:
    return [(u.name, u.role) for u in parse_unit_phrase(text)]


L, S, R = "lead", "support", "responsible"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("司法所", [("司法所", R)]),
        ("市统计局牵头,市财政局、市审计局配合", [("市统计局", L), ("市财政局", S), ("市审计局", S)]),
        ("司法所牵头", [("司法所", L)]),
        ("区医保局、区卫健委按职责分工负责", [("区医保局", R), ("区卫健委", R)]),
        ("各有关单位按职能分工落实", [("各有关单位", R)]),
        ("各有关单位按职责分工落实", [("各有关单位", R)]),
        ("宣传办负责", [("宣传办", R)]),
        ("城管住建和农业农村局;各有关单位", [("城管住建和农业农村局", R), ("各有关单位", R)]),
        ("司法所牵头,党政综合办配合,各有关单位按职能分工落实",
         [("司法所", L), ("党政综合办", S), ("各有关单位", R)]),
        ("党政综合办牵头,公服办、宣传办、各村(社区)配合,各有关单位按职能分工落实",
         [("党政综合办", L), ("公服办", S), ("宣传办", S), ("各村(社区)", S), ("各有关单位", R)]),
        ("财政分局牵头,各有关单位、各村(社区)按职责分工落实",
         [("财政分局", L), ("各有关单位", R), ("各村(社区)", R)]),
        ("(办公室牵头)", [("办公室", L)]),
        ("（办公室牵头）", [("办公室", L)]),
        ("责任单位:市统计局", [("市统计局", R)]),
        ("(责任单位:市审计局、被审计单位)", [("市审计局", R), ("被审计单位", R)]),
        ("市发改委、科技局、财政局", [("市发改委", R), ("市科技局", R), ("市财政局", R)]),
        ("市发改委、市科技局", [("市发改委", R), ("市科技局", R)]),
        ("市财政局、物价局,市国税局、地税局等部门按职责分工负责",
         [("市财政局", R), ("市物价局", R), ("市国税局", R), ("市地税局", R)]),
        ("区教体局、区卫健委、区城管执法局等公共企事业单位行政主管部门按职责分工负责",
         [("区教体局", R), ("区卫健委", R), ("区城管执法局", R)]),
        ("各县区政府", [("各县区政府", R)]),
        # issue 17: a leading 各 is every name's along the 、 run
        ("区直相关部门、各乡〔镇〕、街道按职责分工负责", [("区直相关部门", R), ("各乡(镇)", R), ("各街道", R)]),
        ("各乡（镇）、街道", [("各乡(镇)", R), ("各街道", R)]),
        ("各县市区政府,各乡镇政府、街道办事处", [("各县市区政府", R), ("各乡镇政府", R), ("各街道办事处", R)]),
        ("各街道、区直各部门", [("各街道", R), ("区直各部门", R)]),
        ("各镇、县直各部门负责", [("各镇", R), ("县直各部门", R)]),  # a level, then a collective of its own
        # the shared 各 covers the other kinds of local body a 各 list names: 街办, 管理处, 农场…
        ("区商务局等成员单位,各乡、街办、管理处", [("区商务局", R), ("各乡", R), ("各街办", R), ("各管理处", R)]),
        ("各镇、街办、管委会配合", [("各镇", S), ("各街办", S), ("各管委会", S)]),
        ("各乡镇、农场、林场", [("各乡镇", R), ("各农场", R), ("各林场", R)]),
        ("各科室、办公室", [("各科室", R), ("办公室", R)]),  # one office is no kind of body
        # issue 15: bare levels before one body are one collective; nested brackets stay whole
        ("省直有关部门,各州、市人民政府按照职责分工负责", [("省直有关部门", R), ("各州、市人民政府", R)]),
        ("各县、市、区人民政府", [("各县、市、区人民政府", R)]),
        ("牵头单位:市政府办公室,市委编办;责任单位:市政府各部门,各县(市、区)政府",
         [("市政府办公室", L), ("市委编办", L), ("市政府各部门", R), ("各县(市、区)政府", R)]),
        # X会Y, X会同Y: X leads; 主办/协办 are lead/support
        ("宣传处会办公室", [("宣传处", L), ("办公室", R)]),
        ("区委办会同区政府办负责", [("区委办", L), ("区政府办", R)]),
        ("局防控办主办、各工作组协办", [("局防控办", L), ("各工作组", S)]),
        # "X统筹" leads as "X牵头" does; "由" brings in the unit
        ("由办公室统筹,各股室具体落实", [("办公室", L), ("各股室", R)]),
        ("县政府办统筹,各乡镇配合", [("县政府办", L), ("各乡镇", S)]),
        ("办公室抓总,各股室分别落实", [("办公室", L), ("各股室", R)]),
        ("管委会", [("管委会", R)]),
        ("市妇联、市红十字会", [("市妇联", R), ("市红十字会", R)]),
        # X和Y: two units when the left one is a unit; "等…" is no unit
        ("区政数局和区直相关部门", [("区政数局", R), ("区直相关部门", R)]),
        ("办公室牵头,其他股室及属下单位配合", [("办公室", L), ("其他股室", S), ("属下单位", S)]),
        ("市发展改革委牵头,市住建局等政府各有关", [("市发展改革委", L), ("市住建局", R)]),
        ("民生实事人大票决项目牵头单位和责任单位负责", [("民生实事人大票决项目牵头单位和责任单位", R)]),
        ("区政府办公室 区政数局", [("区政府办公室", R), ("区政数局", R)]),
        ("公服办牵头,各有关单位职能分工落实", [("公服办", L), ("各有关单位", R)]),
        ("市场监管分局、财政分局", [("市场监管分局", R), ("财政分局", R)]),
        ("牵头单位:市发改委;配合单位:市财政局、统计局",
         [("市发改委", L), ("市财政局", S), ("市统计局", S)]),
        ("市发改委(牵头)、市财政局", [("市发改委", L), ("市财政局", R)]),
        # a role phrase in brackets after a list is said of the whole list; a name's own alias stays
        ("区政府办、区政数局(按职责分工负责)", [("区政府办", R), ("区政数局", R)]),
        ("区财政局、区审计局(共同牵头)", [("区财政局", L), ("区审计局", L)]),
        ("县卫健局(县疾控中心)负责", [("县卫健局(县疾控中心)", R)]),
        ("县人民政府办公室/县政务服务和大数据管理局", [("县人民政府办公室", R), ("县政务服务和大数据管理局", R)]),
        # the same unit twice keeps its strongest role, where it first appears
        ("司法所牵头,各有关单位、司法所配合", [("司法所", L), ("各有关单位", S)]),
    ],
)
def test_phrases(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "负责", "牵头,配合", "()", "加强组织领导。做好培训。"])
def test_unreadable_phrases_raise(text):
    with pytest.raises(InputError) as caught:
        parse_unit_phrase(text)
    assert caught.value.message.startswith("无法识别的责任单位:")
    assert "\n" not in caught.value.message


def test_format_is_canonical():
    units = [UnitRef("司法所", L), UnitRef("党政综合办", S), UnitRef("宣传办", S), UnitRef("各有关单位", R)]
    assert format_unit_phrase(units) == "司法所牵头,党政综合办、宣传办配合,各有关单位负责"
    assert parse_unit_phrase(format_unit_phrase(units)) == units
    assert format_unit_phrase([]) == ""


def test_format_keeps_unprefixed_names_as_written():
    units = [UnitRef("市发改委", R), UnitRef("科技局", R), UnitRef("各有关单位", R)]
    assert parse_unit_phrase(format_unit_phrase(units)) == units


def seed_phrases() -> list[str]:
    """Every unit phrase the five seeds write, found by their layouts."""
    phrases = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        phrases += re.findall(r"[(（]责任单位[:：]([^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)*)[)）]", text)
        phrases += re.findall(r"[(（]([^()（）]*(?:按职责分工负责|牵头))[)）]", text)
    lines = (SEEDS / "000_708db31ce4ea3cc1.txt").read_text(encoding="utf-8").splitlines()
    phrases += [line.strip() for line in lines[33:] if line.strip() and not re.match(r"^[一二三四五(\d]", line.strip())]
    return phrases


def test_every_seed_phrase_parses():
    phrases = seed_phrases()
    assert len(phrases) > 120
    for phrase in phrases:
        units = parse_unit_phrase(phrase)
        assert units, phrase
        assert all(u.name and "等" not in u.name[-3:] and len(u.name) <= 25 for u in units), phrase
        assert parse_unit_phrase(format_unit_phrase(units)) == units


def test_seed_unit_lines_look_like_units():
    lines = (SEEDS / "000_708db31ce4ea3cc1.txt").read_text(encoding="utf-8").splitlines()
    unit_lines = [lines[i - 1] for i in (40, 44, 48, 54, 58, 62, 90, 98, 108, 120, 124, 132, 156, 178, 202, 209)]
    assert all(looks_like_unit_phrase(line) for line in unit_lines)
    not_units = [lines[i - 1] for i in (22, 26, 28, 32, 36, 38, 50, 6, 18)] + ["持续推进", "6月底前", "工作任务"]
    assert not any(looks_like_unit_phrase(line) for line in not_units)


# ---- generated phrases ----------------------------------------------------------------------

CORES = ["发改", "财政", "教育", "科技", "人社", "卫健", "司法", "城管执法", "政数", "民政", "交通运输",
         "住建", "生态环境", "应急管理", "医保", "统计", "审计", "信访", "商务", "资源规划", "农业农村",
         "文广旅", "水务", "林业", "退役军人事务", "数据资源", "行政审批", "融媒体"]
SUFFIXES = ["局", "办", "所", "委", "中心", "分局"]
PREFIXES = ["市", "区", "县", "镇", "乡", "省"]
COLLECTIVES = ["各有关单位", "各村(社区)", "各村（社区）", "各乡(镇)", "各街道办事处", "各县区人民政府", "各有关部门"]
ROLE_TEXT = {
    L: ["牵头", "牵头负责"],
    S: ["配合", "协助配合", "配合落实"],
    R: ["负责", "按职责分工负责", "按职能分工落实", "按职责分工落实", "职能分工落实", "分别负责"],
}
SEPARATORS = ["、", "、", ",", "，", ";", "；", " ", "、 "]

prefixed_name = st.builds(lambda p, c, s: p + c + s, st.sampled_from(PREFIXES), st.sampled_from(CORES),
                          st.sampled_from(SUFFIXES))
name = st.one_of(prefixed_name, prefixed_name, st.sampled_from(COLLECTIVES))


@st.composite
def phrases(draw):
    groups = draw(st.lists(st.tuples(st.lists(name, min_size=1, max_size=4), st.sampled_from([L, S, R])),
                           min_size=1, max_size=3))
    seen: set[str] = set()
    text_parts, expected = [], []
    wrap = draw(st.sampled_from(["{}", "({})", "（{}）", "责任单位:{}", "（责任单位：{}）"]))
    labelled = "责任单位" in wrap
    for index, (names, role) in enumerate(groups):
        kept = []
        for n in names:
            if n.replace("（", "(").replace("）", ")") not in seen:
                seen.add(n.replace("（", "(").replace("）", ")"))
                kept.append(n)
        names = kept
        if not names:
            continue
        joined = names[0]
        for n in names[1:]:
            # after a label ("责任单位:A、B,C牵头") a "," closes the label's own names: a role word
            # then says only what follows it, so the first group is one 、 run
            joined += draw(st.sampled_from(SEPARATORS if index or not labelled else ["、", " ", "、 "])) + n
        last = index == len(groups) - 1
        # only the last group may leave its role unsaid (then it is responsible)
        if last and role == R and draw(st.booleans()):
            role_text = ""
        else:
            role_text = draw(st.sampled_from(ROLE_TEXT[role]))
        text_parts.append(joined + role_text)
        expected += [(n.replace("（", "(").replace("）", ")"), role) for n in names]
    text = draw(st.sampled_from([",", "，", ";"])).join(text_parts)
    return wrap.format(text), expected


@settings(max_examples=200, deadline=None)
@given(phrases())
def test_generated_phrases_parse_back(case):
    text, expected = case
    assert pairs(text) == expected


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PREFIXES), st.lists(st.tuples(st.sampled_from(CORES), st.sampled_from(SUFFIXES)),
                                           min_size=2, max_size=5, unique=True))
def test_shared_prefix_is_distributed(prefix, parts):
    names = [core + suffix for core, suffix in parts]
    text = "、".join([prefix + names[0]] + names[1:]) + "等部门按职责分工负责"
    assert pairs(text) == [(prefix + n, R) for n in names]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(prefixed_name, st.sampled_from([c for c in COLLECTIVES if "（" not in c]),
                                    st.builds(lambda c, s: c + s, st.sampled_from(CORES), st.sampled_from(SUFFIXES))),
                          st.sampled_from([L, S, R])), min_size=1, max_size=8, unique_by=lambda t: t[0]))
def test_format_round_trips(items):
    units = [UnitRef(n, role) for n, role in items]
    back = parse_unit_phrase(format_unit_phrase(units))
    assert sorted(back, key=lambda u: u.name) == sorted(units, key=lambda u: u.name)


@pytest.mark.parametrize("name, group", [
    ("区直相关部门", True), ("各有关单位", True), ("市直各单位", True), ("各乡(镇)", True),
    ("全区经济运行各专班", True), ("民生实事人大票决项目牵头单位和责任单位", True), ("属下单位", True),
    ("区政数局", False), ("司法所", False), ("城管住建和农业农村局", False), ("市场监管分局", False),
])
def test_group_words_are_collectives(name, group):
    from gktrack.domain.unitphrase import is_group_word
    from gktrack.domain.units import is_collective_name

    assert is_group_word(name) is group
    assert is_collective_name(name) is group


@pytest.mark.parametrize("name", ["我市", "我区", "我局", "本单位", "我中心", "本机关"])
def test_self_references(name):
    from gktrack.domain.unitphrase import is_self_reference

    assert is_self_reference(name)
    assert not is_self_reference("市财政局")


def test_line_breaks_in_a_cell_separate_whole_names_and_join_wrapped_ones():
    # a table cell written on two lines: two units; a name a narrow column or a PDF wrapped: one
    assert [(u.name, u.role) for u in parse_unit_phrase("县政府办公室\n县直各部门")] == [
        ("县政府办公室", "responsible"), ("县直各部门", "responsible")]
    assert [u.name for u in parse_unit_phrase("市住房城乡建\n设局")] == ["市住房城乡建设局"]
    assert [(u.name, u.role) for u in parse_unit_phrase("市发改委牵头\n市财政局配合")] == [
        ("市发改委", "lead"), ("市财政局", "support")]
    assert [u.name for u in parse_unit_phrase("广电旅游和公共服务股\n(行政审批服务股)")] == [
        "广电旅游和公共服务股(行政审批服务股)"]


@pytest.mark.parametrize("phrase, said", [
    ("||", "只有标点或竖线"), ("|", "只有标点或竖线"), ("——", "只有标点或竖线"),
    ("6", "只是一个数字"), ("12、", "只是一个数字"),
    ("年底前", "是时限"), ("长期推进", "是时限"), ("2021年8月前", "是时限"),
    ("办公室牵头,持续推进", "是时限"), ("2021年2月公布预算信息", "是时限"),
])
def test_a_cell_of_another_column_is_no_unit(phrase, said):
    # what a table read into the wrong columns hands the unit parser
    with pytest.raises(InputError) as caught:
        parse_unit_phrase(phrase)
    assert said in caught.value.message


@pytest.mark.parametrize("text, said", [
    ("4", "只是一个数字"), ("12、", "只是一个数字"), ("(3)", "只是一个数字"), ("1.2", "只是一个数字"), ("③", "只是一个数字"),
    (" 7 ", "只是一个数字"), ("||", "只有标点或竖线"), ("——", "只有标点或竖线"), ("……", "只有标点或竖线"),
])
def test_a_number_or_punctuation_alone_is_no_task_text(text, said):
    assert said in text_problem(text)


@pytest.mark.parametrize("text", ["办好12345热线", "2024年度报告", "一", "", "做好(一)项工作"])
def test_text_with_words_is_task_text(text):
    assert text_problem(text) is None


@pytest.mark.parametrize("phrase", ["12345热线", "县第一中学", "各科室", "宣传处会办公室", "市12345政务服务便民热线中心"])
def test_names_with_digits_or_time_words_inside_are_still_units(phrase):
    assert parse_unit_phrase(phrase)


# ---- adverbs, names with a place of their own, sentence-style cells -------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        # an adverb between the list and the role word belongs to neither
        ("县财政局、县税务局、县医保局分别牵头落实", [("县财政局", L), ("县税务局", L), ("县医保局", L)]),
        ("区教体局、区卫健委分别负责", [("区教体局", R), ("区卫健委", R)]),
        ("镇党政办、镇财政所共同负责", [("镇党政办", R), ("镇财政所", R)]),
        ("市商务局、市文旅局按职责分工负责", [("市商务局", R), ("市文旅局", R)]),
        ("市水务局、市林业局分别按职责分工负责", [("市水务局", R), ("市林业局", R)]),
        ("市医保局、市民政局共同牵头,市统计局配合", [("市医保局", L), ("市民政局", L), ("市统计局", S)]),
        ("县委宣传部负责牵头,县融媒体中心配合", [("县委宣传部", L), ("县融媒体中心", S)]),
        # a name that names a place of its own keeps it, and the run of shared prefixes ends there
        ("市商务局、人民银行临川市中心支行、临川银保监分局分别牵头落实",
         [("市商务局", L), ("人民银行临川市中心支行", L), ("临川银保监分局", L)]),
        ("县发改委、国家税务总局安远县税务局、统计局",
         [("县发改委", R), ("国家税务总局安远县税务局", R), ("统计局", R)]),
        ("市发改委、科技局、财政局分别负责", [("市发改委", R), ("市科技局", R), ("市财政局", R)]),
        # "X为责任单位": the role said as what the names are
        ("各市州、县市区人民政府均为责任单位", [("各市州、县市区人民政府", R)]),
        ("县应急局为牵头单位,各乡镇为配合单位", [("县应急局", L), ("各乡镇", S)]),
        # a sentence-style cell: the unit is the noun phrase before the role word, not the clause after it
        ("县司法局牵头全县规范性文件清理工作,县各规范性文件制定机关具体落实;各成员单位负责做好本单位文件公开工作",
         [("县司法局", L), ("县各规范性文件制定机关", R), ("各成员单位", R)]),
        ("区政府办负责做好网站、政务新媒体和热线的管理,确保信息安全;各街道配合",
         [("区政府办", R), ("各街道", S)]),
        ("市大数据局配合做好平台对接", [("市大数据局", S)]),
        # a role word followed by a kind of body is part of a name
        ("各牵头单位负责", [("各牵头单位", R)]),
    ],
)
def test_adverbs_places_and_clauses(text, expected):
    assert pairs(text) == expected


def test_a_sentence_is_still_no_unit_line():
    # what a cell reads as units is not enough for a line of its own to be one
    assert not looks_like_unit_phrase("县政府办负责做好政府网站管理工作")
    assert looks_like_unit_phrase("市财政局、市税务局分别牵头落实")


def test_a_clause_after_any_short_noun_phrase_is_no_name():
    assert pairs("区各行政规范性文件制定主体牵头做好文件公开工作;区政府办配合") == [
        ("区各行政规范性文件制定主体", L), ("区政府办", S)]


def test_a_ministry_department_ending_in_si_is_a_unit():
    # a 部委's departments are 司: "(监测司、大气司)" closes an item like "(财政局、税务局)"
    assert pairs("监测司、大气司") == [("监测司", R), ("大气司", R)]
    assert looks_like_unit_phrase("监测司、大气司") and is_body_name("大气司")


def test_small_form_brackets_hold_a_note_like_any_bracket():
    # "﹝﹞" are the small forms of "〔〕": a note inside them is part of the name before it
    assert pairs("市发改委,各区县政府﹝含高新区管委会,下同﹞") == pairs("市发改委,各区县政府〔含高新区管委会,下同〕")
    assert [name for name, _ in pairs("市发改委,各区县政府﹝含高新区管委会,下同﹞")] == [
        "市发改委", "各区县政府(含高新区管委会,下同)"]
