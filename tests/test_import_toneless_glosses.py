"""Pinyin glosses without tone marks, or repeated, that a mirror site puts after the characters of a
plan ("重(zhong)要(yao)(yao)"): dropped where the page glosses throughout, while ordinary words in
brackets ("(app)", "(PDF)", "(GB/T 123)") stay, and the note about removed glosses is given only
when something was removed.

The documents are small ones written for these tests, in the shapes real pages have.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gktrack.features.importer import parse_document
from gktrack.features.importer.text import strip_pinyin_glosses

GLOSS_NOTE = "拼音"


def glossed_note(plan) -> bool:
    return any(GLOSS_NOTE in message for _, message in plan.warnings)


def content(plan):
    """What an import yields, apart from its notes."""
    return (plan.title, [(s.key, s.number, s.title) for s in plan.sections],
            [(t.number, t.section, t.text, [(u.name, u.role) for u in t.units], t.deadline) for t in plan.tasks])


PLAIN = "\n".join([
    "青禾县2023年政务公开工作要点",
    "一、深化重要领域信息公开",
    "1.推进财政预算公开,按时发布部门预算。(县财政局牵头,各部门配合,6月底前)",
    "2.做好政策解读工作。(县政府办公室负责)",
])
GLOSSED = "\n".join([
    "青禾县2023年政务公开工作要点",
    "一、深化重(zhong)要(yao)(yao)领(ling)域信(xin)息公开",
    "1.推(tui)进财(cai)(cai)政(zheng)(zheng)(zheng)预算公(gong)开,按时发布部(bu)门预算。(县财政局牵头,各部门配合,6月底前)",
    "2.做好政(zheng)策(ce)解(jie)读工作。(县政府办公室负责)",
])


def test_toneless_and_repeated_glosses_go_where_the_page_glosses_throughout():
    assert strip_pinyin_glosses("深化重(zhong)要(yao)(yao)政(zheng)(zheng)(zheng)府(fu)(fu)信(xin)息公(gong)开(kai)") \
        == "深化重要政府信息公开"
    # a toned gloss repeated goes whole, however few there are
    assert strip_pinyin_glosses("重(zhòng)要(yào)(yào)") == "重要"
    # a page cut inside a toneless gloss, where the page glosses throughout
    assert strip_pinyin_glosses("推(tui)进(jin)财(cai)政(zheng)预(yu)算(suan)条(l") == "推进财政预算条"


def test_a_few_toneless_syllables_in_brackets_are_not_taken_for_glosses():
    for text in ("重(zhong)要(yao)", "人工智能(ai)应用", "面积(mu)与时长(min)", "小组(man)(ban)"):
        assert strip_pinyin_glosses(text) == text


def test_ordinary_bracketed_words_stay_in_a_glossed_page():
    words = "标准文本(word和pdf版)、政务服务(app)、上传(PDF)、状态(ok)、标准(GB/T 123)、重量(kg)、专家(Smith)"
    glossed = "推(tui)进(jin)财(cai)(cai)政(zheng)预(yu)算(suan)公(gong)开(kai),做(zuo)好(hao)信(xin)息(xi)发(fa)布(bu)。"
    assert strip_pinyin_glosses(glossed + words) == "推进财政预算公开,做好信息发布。" + words


def test_a_glossed_plan_imports_as_the_plain_one_and_says_so():
    plain, glossed = parse_document(PLAIN), parse_document(GLOSSED)
    assert content(glossed) == content(plain)
    assert [t.text for t in glossed.tasks] == ["推进财政预算公开,按时发布部门预算。", "做好政策解读工作。"]
    assert [(u.name, u.role) for u in glossed.tasks[0].units] == [("县财政局", "lead"), ("各部门", "support")]
    assert glossed.tasks[0].deadline == ["6月底前"]
    assert glossed_note(glossed) and not glossed_note(plain)


def test_a_few_bracketed_syllables_are_kept_and_no_note_is_given():
    plan = parse_document("\n".join([
        "青禾县2023年政务公开工作要点",
        "一、深化重点领域信息公开",
        "1.优化政务服务(app)和小程序(ai)功能。(县数据局负责)",
    ]))
    assert plan.tasks[0].text == "优化政务服务(app)和小程序(ai)功能。"
    assert not glossed_note(plan)


# ---- properties ----------------------------------------------------------------------------------

_HAN = "政务公开工作要点发布文件标准推进落实做好信息平台建设规范管理服务决策解读回应"
_UNITS = ["县财政局", "县政府办公室", "县数据局", "各乡镇"]
_SYLLABLES = ["zheng", "wu", "gong", "kai", "yao", "dian", "fa", "bu", "wen", "jian", "tui", "jin", "luo", "shi",
              "xin", "xi", "ping", "tai", "guan", "li", "fu", "jue", "ce", "jie", "du", "hui", "ying", "er", "ou",
              "zhòng", "yào", "qū", "lǜ", "nüe", "xiong"]
_TEXT = st.text(alphabet=_HAN, min_size=2, max_size=10)


@st.composite
def plans(draw):
    """The lines of a small plan: a title, headings, items with a unit bracket."""
    lines = ["青禾县2023年政务公开工作要点"]
    for number in range(1, draw(st.integers(1, 2)) + 1):
        lines.append("一二"[number - 1] + "、" + draw(_TEXT))
        for item in range(1, draw(st.integers(1, 3)) + 1):
            lines.append(f"{item}." + draw(_TEXT) + "。(" + draw(st.sampled_from(_UNITS)) + "负责)")
    return lines


@st.composite
def glossed(draw, lines):
    """``lines`` with a gloss, maybe repeated, after most of their characters."""
    out = []
    for line in lines:
        pieces = []
        for char in line:
            pieces.append(char)
            if char in _HAN and draw(st.integers(0, 3)):
                pieces.append(("(" + draw(st.sampled_from(_SYLLABLES)) + ")") * draw(st.integers(1, 3)))
        out.append("".join(pieces))
    return out


def gloss_count(marked: list[str], lines: list[str]) -> int:
    """How many characters ``marked`` glosses (once or more)."""
    return sum(line.count(")") - line.count(")(") for line in marked) - sum(line.count(")") for line in lines)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_plan_imports_the_same_with_and_without_glosses(data):
    lines = data.draw(plans())
    marked = data.draw(glossed(lines))
    assume(gloss_count(marked, lines) >= 6)
    plain, gloss = parse_document("\n".join(lines)), parse_document("\n".join(marked))
    assert content(gloss) == content(plain)
    assert glossed_note(gloss) and not glossed_note(plain)


# a word no pinyin syllable spells: pinyin ends in a vowel, n, ng or r
_NO_SYLLABLE = st.tuples(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=5),
                         st.sampled_from("bcdfhjklmpqstvwxz")).map("".join)
_ORDINARY = st.one_of(_NO_SYLLABLE, st.from_regex(r"[A-Z][A-Za-z]{0,6}", fullmatch=True),
                      st.from_regex(r"[A-Z]{1,3}/T[0-9]{2,5}", fullmatch=True),
                      st.tuples(_NO_SYLLABLE, _TEXT).map(lambda p: p[0] + "和" + p[1]))
# any lowercase word, a syllable or not: a plan may write a few of them
_ANY_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)


def _bracketed(draw, lines: list[str], words: list[str]) -> list[str]:
    """``words`` in brackets after characters of the headings and items (never in the unit bracket)."""
    places = [(at, cut + 1) for at, line in enumerate(lines) if at
              for cut, char in enumerate(line[:line.find("。(") if "。(" in line else len(line)]) if char in _HAN]
    chosen = sorted(((draw(st.sampled_from(places)), word) for word in words), reverse=True)
    out = list(lines)
    for (at, cut), word in chosen:
        out[at] = out[at][:cut] + "(" + word + ")" + out[at][cut:]
    return out


def _read(plan) -> str:
    return "\n".join([s.title for s in plan.sections] + [t.text for t in plan.tasks])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_ordinary_bracketed_words_are_kept_in_a_glossed_plan(data):
    words = data.draw(st.lists(_ORDINARY, min_size=1, max_size=4))
    lines = _bracketed(data.draw, data.draw(plans()), words)
    marked = data.draw(glossed(lines))
    # a page that glosses throughout: many glosses, few other words
    assume(gloss_count(marked, lines) >= max(6, 3 * len(words) + 1))
    plain, gloss = parse_document("\n".join(lines)), parse_document("\n".join(marked))
    assert content(gloss) == content(plain)
    # a Latin word stays in the text; "(b和件件台)" may read as a unit, the same with glosses or without
    assert all("(" + word + ")" in _read(plain) for word in words if word.isascii())
    assert glossed_note(gloss) and not glossed_note(plain)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_few_lowercase_words_are_kept_in_a_plan_that_does_not_gloss(data):
    lines = data.draw(plans())
    words = data.draw(st.lists(_ANY_WORD, min_size=1, max_size=5))
    plan = parse_document("\n".join(_bracketed(data.draw, lines, words)))
    read = _read(plan)
    assert all("(" + word + ")" in read for word in words)
    assert not glossed_note(plan)
