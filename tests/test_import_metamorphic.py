"""The importer on copies of one plan that a reader sees as the same plan: a PDF's text, which breaks
every paragraph at the page width, reads as the text written one paragraph a line."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from gktrack.domain.unitphrase import looks_like_unit_phrase
from gktrack.features.importer import parse_document


def outline(plan) -> tuple[list, list]:
    """Sections and tasks as a reader compares them: texts without the line breaks."""
    return ([(s.key, s.number, s.title) for s in plan.sections],
            [(t.section, t.number, "".join(t.text.split()), [(u.name, u.role) for u in t.units], t.deadline)
             for t in plan.tasks])


def wrapped(lines: list[str], width: int) -> str:
    """The lines as a PDF's text gives them: each broken every ``width`` characters."""
    return "\n".join(line[i:i + width] for line in lines for i in range(0, len(line), width))


# items without numbers, each followed by its unit on a line of its own (a table's columns read
# row by row): the wrapped paragraph ends on a short line, after which nothing more joins it
UNNUMBERED = [
    "某县2024年政务公开工作要点",
    "一、以政务公开助力稳增长",
    "(一)加强预期引导",
    "围绕全县经济社会发展形势和宏观经济政策执行落实情况,通过例行新闻发布会、媒体采访、提供解读素材等形式及时"
    "宣传解读,回应市场主体关切。",
    "县发改委牵头落实",
    "围绕促进就业创业的规划和政策,加强就业创业政策信息公开,深入解读政策背景、依据、目标任务和涉及范围,"
    "做好政策落地的跟踪解读。",
    "县人社局牵头落实",
    "(二)推进财政信息公开",
    "按月公开全县财政收支情况,解读财政收支增减变化情况及原因,主动解释说明收支运行中可能引发社会关注的热点问题,"
    "引导各方正确认识财政形势。",
    "县财政局牵头落实",
    "围绕优化融资结构和信贷结构等政策,加强金融政策信息公开,通过政策通报会、银企对接会等方式加大宣传力度,"
    "把政策意图及时准确传递给市场。",
    "县金融办牵头落实",
]


def test_wrapped_unnumbered_items_stay_apart():
    plan = parse_document(wrapped(UNNUMBERED, 28))
    assert outline(plan) == outline(parse_document("\n".join(UNNUMBERED)))
    assert [(t.text[:6], [(u.name, u.role) for u in t.units]) for t in plan.tasks] == [
        ("围绕全县经济", [("县发改委", "lead")]),
        ("围绕促进就业", [("县人社局", "lead")]),
        ("按月公开全县", [("县财政局", "lead")]),
        ("围绕优化融资", [("县金融办", "lead")]),
    ]


# a generated plan long enough to be recognised as a PDF's text (many lines of the page width, not
# repeating like a table's cells): headings, then items numbered or not, closed by their units in
# brackets or followed by them on a line of their own; no digits or numerals in the text, so that
# no broken line starts like a number
_CHARS = "政务公开信息发布解读回应关切平台建设目录申请财政预算决策民生执法服务基层专栏保密审查新闻规范推进完善落实"
_UNITS = ["县政府办", "县财政局", "县司法局", "县发改委", "县人社局", "县数据局"]
_sentence = st.text(alphabet=_CHARS, min_size=8, max_size=16)


@st.composite
def plans(draw):
    # every sentence different, as a plan's are
    sentences = iter(draw(st.lists(_sentence, min_size=90, max_size=90, unique=True)))
    lines = ["某县2024年政务公开工作要点"]
    # a plan of short items (two or three lines each) has few full lines among its unit lines and headings
    length = draw(st.integers(1, 4))
    for number in "一二三"[:draw(st.integers(2, 3))]:
        lines.append(f"{number}、{next(sentences)[:8]}")
        numbered, own_line = draw(st.booleans()), draw(st.booleans())  # units in brackets or on a line
        # the bracket "(X牵头)", or "(牵头单位:X" with its ")" forgotten
        bracket = draw(st.sampled_from(["({}牵头)", "(牵头单位:{}"]))
        for index in range(draw(st.integers(3, 4))):
            text = ",".join(next(sentences) for _ in range(draw(st.integers(length, length + 2))))
            unit = draw(st.sampled_from(_UNITS))
            lines.append((f"{index + 1}." if numbered else "") + text + "。" + ("" if own_line else bracket.format(unit)))
            if own_line:
                lines.append(f"{unit}牵头落实")
    return lines


# found by Hypothesis: the unwrapped text itself, ten lines of which three of one length (78) end in a
# "(牵头单位:" left open, was taken for a short text wrapped at that width and its items run together
_OPEN_BRACKETS = [
    "某县2024年政务公开工作要点",
    "一、实请决生政录查民",
    "目规关务布专申闻读,法财专目栏应务台布基算,关开息栏政进落算解录布实申,决执服范查审解建层布民善发完发政。(牵头单位:县政府办",
    "息决录布执法切闻发录财应回保服政,法生读执建规发设保政层目层解息切,算进申决善法密录,闻策规发专开民台务,执发财台预应完申生请密开。(牵头单位:县政府办",
    "开开进密政关录算法民开目密闻查密,服息平关目切实执,审录财回推平布政范,信切善目层生策落民台,密进平新善保范查实目。(牵头单位:县政府办",
    "栏查政务息关服切解息,法财生层录新息善策民,布回预新录决实录服推应,策决录录新算财执执平关栏平,公应新落实法专解政规服预密落。(牵头单位:县政府办",
    "二、基法预生进平善政",
    "推策信层新息录推开关,决回服基录应预法审善台层法,新决布完布开基财保台推执应,财应范审范申决开服保密发解,请开规公查查层务目策决审民栏。(牵头单位:县政府办",
    "平解专预息服申公息预新发建实设请,新台决应布密法布法设平审基算解基,服善务息密专息民法开读台关决读完,栏发务建密务算设解策目决专密公密。(牵头单位:县政府办",
    "解审录栏基发预请执服目执务实新法,信回回政政推策落,推规设息读信公关服解,公设推发实保算保申决录规预。(牵头单位:县政府办",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(plans(), st.integers(min_value=24, max_value=32))
@example(_OPEN_BRACKETS, 27)
def test_a_pdf_wrapped_plan_reads_as_written(lines, width):
    # a paragraph whose last line is full continues, to a reader too, on the next one: not this property
    assume(all(len(line) % width in range(1, width - 2) for line in lines))
    text = wrapped(lines, width)
    # fewer full lines than six, or than four in ten of the lines half the page wide or more, say
    # nothing of a page width (a web page's short items do the same): such a text is read line by
    # line (``rejoin_wrapped``; left open)
    full = [line for line in text.splitlines() if len(line) >= width - 2]
    assume(len(full) >= 6 and len(full) >= 0.4 * sum(len(line) >= width / 2 for line in text.splitlines()))
    # a paragraph's first full line that reads as a unit list by itself ("…平台,…电视台") may be an
    # item's closing unit line to a reader too (``_said_all``): ambiguous, not this property
    assume(not any(len(line) > width and looks_like_unit_phrase(line[:width]) for line in lines))
    assert outline(parse_document(text)) == outline(parse_document("\n".join(lines)))
